"""docs/renaksi-plan.schema.json describes the canonical JSON exactly as Renaksi writes it."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.core import canonical
from renaksi.core.plan_tree import CostState, PlanTree, Polarity
from renaksi.exports.services import plan_text
from renaksi.imports.sample import random_plan
from renaksi.imports.services import commit_import, preview_import

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "renaksi-plan.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)


def errors(document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.fixture
def seed_document(db) -> dict[str, Any]:
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, find_agency("kpu-prov-gorontalo"), 2023, actor=OPERATOR)
    return json.loads(plan_text(plan, "json"))


def test_the_seed_export_validates(seed_document: dict[str, Any]) -> None:
    assert errors(seed_document) == []
    lines = [
        line
        for goal in seed_document["goals"]
        for pg in goal["program_goals"]
        for ind in pg["indicators"]
        for line in ind["lines"]
    ]
    assert len(lines) == 45  # the whole plan was checked, not an empty shell
    assert {line["cost_state"] for line in lines} == {"amount", "none", "absent"}


def test_the_examples_in_the_format_documentation_validate() -> None:
    text = (DOCS / "open-data-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, "the documentation should show a JSON example"
    example = json.loads(blocks[0])
    assert errors(example) == []
    for line in re.findall(r"^\{\n.*?^\}", blocks[1], flags=re.DOTALL | re.MULTILINE):
        document = copy.deepcopy(example)
        document["goals"][0]["program_goals"][0]["indicators"][0]["lines"] = [json.loads(line)]
        assert errors(document) == []


@st.composite
def varied_plans(draw: st.DrawFn) -> PlanTree:
    """Sample plans, with what the sample generator leaves at its default varied too:
    lower-is-better polarity, quarterly targets and scheduled months."""
    tree = random_plan(draw(st.integers(0, 2**32 - 1)), draw(st.integers(1, 25)))
    for indicator in tree.indicators():
        if draw(st.booleans()):
            indicator.polarity = Polarity.LOWER_IS_BETTER
        quarters = draw(st.sets(st.integers(1, 4), max_size=4))
        indicator.quarter_targets = {q: draw(st.text(max_size=8)) for q in sorted(quarters)}
        for line in indicator.lines:
            line.months = tuple(sorted(draw(st.sets(st.integers(1, 12), max_size=12))))
    return tree


@settings(max_examples=60, deadline=None)
@given(tree=varied_plans(), agency=st.none() | st.just({"code": "kpu-x", "name": "KPU X"}))
def test_every_generated_plan_exports_to_a_valid_document(
    tree: PlanTree, agency: dict[str, str] | None
) -> None:
    document = json.loads(canonical.dumps(tree, agency=agency))
    assert errors(document) == []


def _line(document: dict[str, Any]) -> dict[str, Any]:
    return document["goals"][0]["program_goals"][0]["indicators"][0]["lines"][0]


def _indicator(document: dict[str, Any]) -> dict[str, Any]:
    return document["goals"][0]["program_goals"][0]["indicators"][0]


BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "cost as a float": lambda d: _line(d).update(cost=8378000.5),
    "cost as a formatted string": lambda d: _line(d).update(cost="Rp 8.378.000"),
    "negative cost": lambda d: _line(d).update(cost=-1),
    "cost over 10^15": lambda d: _line(d).update(cost=10**15 + 1),
    "amount without a cost": lambda d: _line(d).update(cost=None),
    "cost with state none": lambda d: _line(d).update(cost_state="none"),
    "unknown cost state": lambda d: _line(d).update(cost_state="free"),
    "month 13": lambda d: _line(d).update(months=[1, 13]),
    "month 0": lambda d: _line(d).update(months=[0]),
    "month twice": lambda d: _line(d).update(months=[3, 3]),
    "month as text": lambda d: _line(d).update(months=["Januari"]),
    "malformed budget code": lambda d: _line(d).update(budget_code="3358.ebc.954.A"),
    "extra key in a line": lambda d: _line(d).update(total=1),
    "missing key in a line": lambda d: _line(d).pop("remarks"),
    "unknown polarity": lambda d: _indicator(d).update(polarity="up"),
    "quarter 5": lambda d: _indicator(d).update(quarter_targets={"5": "10%"}),
    "quarter target as a number": lambda d: _indicator(d).update(quarter_targets={"1": 10}),
    "wrong format name": lambda d: d.update(format="renaksi"),
    "version 2": lambda d: d.update(version=2),
    "extra top-level key": lambda d: d.update(exported_at="2023-01-01"),
    "year as text": lambda d: d["plan"].update(year="2023"),
    "goal number too long": lambda d: d["goals"][0].update(number="1" * 17),
    "needs_review as text": lambda d: d["goals"][0]["program_goals"][0].update(needs_review="no"),
    "missing goals": lambda d: d.pop("goals"),
    "unknown agency field": lambda d: d["agency"].update(id=1),
}


@pytest.mark.parametrize("breakage", BROKEN, ids=list(BROKEN))
def test_a_broken_document_does_not_validate(seed_document: dict[str, Any], breakage: str) -> None:
    assert _line(seed_document)["cost_state"] == "amount"  # the mutations assume a costed first line
    broken = copy.deepcopy(seed_document)
    BROKEN[breakage](broken)
    assert errors(broken), f"{breakage} was accepted"


def test_a_line_without_cost_validates_with_either_empty_state(seed_document: dict[str, Any]) -> None:
    for state in (CostState.NONE, CostState.ABSENT):
        document = copy.deepcopy(seed_document)
        _line(document).update(cost=None, cost_state=state.value, budget_code="")
        assert errors(document) == []
