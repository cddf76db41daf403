"""Canonical JSON that would crash the reader or the database is refused in one line."""

from __future__ import annotations

import json

import pytest

from renaksi.core import canonical
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal


def document() -> dict:
    line = Line(name="Rapat", activity="Kegiatan", cost=5000, cost_state=CostState.AMOUNT)
    tree = PlanTree(
        year=2024, goals=[Goal("1", "G", [ProgramGoal("PG", [Indicator("I", "90%", lines=[line])])])]
    )
    return canonical.tree_to_dict(tree)


def test_json_nested_200000_deep_is_refused_as_too_deep() -> None:
    text = json.dumps(document())[:-1] + ', "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    with pytest.raises(canonical.CanonicalFormatError, match="terlalu dalam"):
        canonical.loads(text)


def test_a_nul_escaped_in_a_json_text_is_refused_with_its_line_and_column() -> None:
    text = canonical.dumps(PlanTree(year=2024, title="Rencana"))
    text = text.replace('"Rencana"', '"Renc\\u0000ana"')
    line = next(number for number, each in enumerate(text.split("\n"), 1) if "\\u0000" in each)
    column = text.split("\n")[line - 1].index("\\u0000") + 1
    with pytest.raises(canonical.CanonicalFormatError, match=f"NUL.*baris {line}, kolom {column}"):
        canonical.loads(text)


def test_an_escaped_backslash_before_u0000_is_ordinary_text() -> None:
    data = document()
    data["goals"][0]["text"] = "C:\\u0000"  # a backslash, then the letters u0000
    tree, _agency = canonical.loads(json.dumps(data))
    assert tree.goals[0].text == "C:\\u0000"
