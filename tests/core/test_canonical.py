"""Renaksi's open data format: canonical JSON and flat CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from renaksi.core import canonical
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.text import csv_safe, csv_unsafe


def plan(**line_fields) -> PlanTree:
    line = Line(
        name="Rapat", activity="Kegiatan", cost=5000, cost_state=CostState.AMOUNT, budget_code="6871.QGE"
    )
    for key, value in line_fields.items():
        setattr(line, key, value)
    return PlanTree(
        year=2024, goals=[Goal("1", "G", [ProgramGoal("PG", [Indicator("I", "90%", lines=[line])])])]
    )


def test_the_same_plan_dumps_to_the_same_bytes_and_loads_back() -> None:
    text = canonical.dumps(plan())
    assert text == canonical.dumps(plan())
    tree, _ = canonical.loads(text)
    assert canonical.dumps(tree) == text


@pytest.mark.parametrize(
    "path,value,message",
    [
        (("cost",), 8378000.0, "bilangan bulat Rupiah"),
        (("cost",), -5, "di luar rentang"),
        (("cost",), 10**20, "di luar rentang"),
        (("budget_code",), "NOT A CODE", "budget_code"),
    ],
)
def test_a_json_line_with_a_bad_value_is_refused_naming_its_path(path, value, message) -> None:
    data = json.loads(canonical.dumps(plan()))
    data["goals"][0]["program_goals"][0]["indicators"][0]["lines"][0][path[0]] = value
    with pytest.raises(canonical.CanonicalFormatError, match=message) as caught:
        canonical.loads(json.dumps(data))
    assert "goals[0].program_goals[0].indicators[0].lines[0]" in str(caught.value)


def test_a_json_quarter_outside_1_to_4_is_refused() -> None:
    data = json.loads(canonical.dumps(plan()))
    data["goals"][0]["program_goals"][0]["indicators"][0]["quarter_targets"] = {"7": "10%"}
    with pytest.raises(canonical.CanonicalFormatError, match="quarter"):
        canonical.loads(json.dumps(data))


def test_a_json_year_must_be_a_number() -> None:
    data = json.loads(canonical.dumps(plan()))
    data["plan"]["year"] = "2023"
    with pytest.raises(canonical.CanonicalFormatError, match="year"):
        canonical.loads(json.dumps(data))


def test_the_csv_export_never_lets_plan_text_become_a_formula() -> None:
    text = canonical.to_csv(plan(name='=HYPERLINK("http://x")', remarks="+cmd", person_in_charge="@SUM(1)"))
    row = list(csv.reader(io.StringIO(text)))[1]
    assert '\'=HYPERLINK("http://x")' in row
    assert "'+cmd" in row and "'@SUM(1)" in row
    assert "5000" in row  # numbers stay numbers


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-x", "@A1", "\tTab", "-", "-5", "Rapat", "", "'quoted"])
def test_csv_safe_is_undone_by_csv_unsafe(text: str) -> None:
    assert csv_unsafe(csv_safe(text)) == text
    assert not csv_safe(text).startswith(("=", "+", "@")) or text in {"-5"}
