"""Saving a plan tree and loading it back gives the same tree, in printed order."""

from __future__ import annotations

import pytest

from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.core import canonical
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.imports.sample import random_plan
from renaksi.planning.services import PlanExistsError, load_tree, save_tree

pytestmark = pytest.mark.django_db


def indicator(name: str) -> Indicator:
    line = Line(
        name=f"line {name}", activity="K", cost=1000, cost_state=CostState.AMOUNT, budget_code="6871.QGE"
    )
    return Indicator(name, "90%", activities=["K"], lines=[line])


def test_goals_keep_their_printed_order_even_without_program_goals() -> None:
    tree = PlanTree(
        year=2024,
        goals=[
            Goal(None, "", [ProgramGoal("orphan first", [indicator("a")], needs_review=True)]),
            Goal("1", "empty goal"),
            Goal("2", "G2", [ProgramGoal("PG2", [indicator("b")])]),
            Goal(None, "", [ProgramGoal("orphan between", [indicator("c")], needs_review=True)]),
            Goal("3", "G3", [ProgramGoal("PG3", [indicator("d")])]),
        ],
    )
    plan = save_tree(find_agency("kpu-kab-pohuwato"), 2024, tree, actor=OPERATOR)
    assert canonical.dumps(load_tree(plan)) == canonical.dumps(tree)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_plans_survive_the_database(seed: int) -> None:
    tree = random_plan(seed, 120, headerless=True, person_in_charge=True, title=True)
    plan = save_tree(find_agency("kpu-kab-pohuwato"), tree.year or 2024, tree, actor=OPERATOR)
    assert canonical.dumps(load_tree(plan)) == canonical.dumps(tree)


def test_a_second_plan_for_the_same_agency_year_and_unit_needs_replace() -> None:
    tree = PlanTree(
        year=2024, signing_unit="SEKRETARIS", goals=[Goal("1", "G", [ProgramGoal("P", [indicator("a")])])]
    )
    agency = find_agency("kpu-kab-pohuwato")
    first = save_tree(agency, 2024, tree, actor=OPERATOR)
    with pytest.raises(PlanExistsError):
        save_tree(agency, 2024, tree, actor=OPERATOR)
    tree.goals[0].text = "G revised"
    again = save_tree(agency, 2024, tree, replace=True, actor=OPERATOR)
    assert again.pk == first.pk
    assert load_tree(again).goals[0].text == "G revised"
