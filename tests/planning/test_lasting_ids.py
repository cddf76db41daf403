"""Every object of a loaded plan carries its row's id through the tree, the row iterator and the
page; the canonical JSON does not: the same plan gives the same bytes, loaded or read."""

from __future__ import annotations

import copy

import pytest

from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.core import canonical
from renaksi.core.plan_diff import walk
from renaksi.core.table import table_rows
from renaksi.imports.sample import random_plan
from renaksi.planning import models as m
from renaksi.planning.presenters import plan_page
from renaksi.planning.services import load_tree, save_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> m.Plan:
    return save_tree(
        find_agency("kpu-kab-boalemo"), 2024, random_plan(3, 50, headerless=True, title=True), actor=OPERATOR
    )


def ids(model: type, plan: m.Plan) -> list[int]:
    return list(model.objects.of_plan(plan).order_by("position").values_list("pk", flat=True))


def test_a_loaded_tree_keys_every_object_with_its_rows_id(plan: m.Plan) -> None:
    tree = load_tree(plan)
    assert [g.key for g in tree.goals if g.number is not None] == ids(m.StrategicGoal, plan)
    assert all(g.key is None for g in tree.goals if g.number is None)  # no row of its own
    assert [pg.key for pg in tree.program_goals()] == ids(m.ProgramGoal, plan)
    assert [i.key for i in tree.indicators()] == ids(m.Indicator, plan)
    assert [line.key for line in tree.lines()] == ids(m.SubActivity, plan)
    assert tree.activity_keys == dict(m.Activity.objects.of_plan(plan).values_list("name", "pk"))


def test_the_rows_and_the_page_carry_each_lines_id(plan: m.Plan) -> None:
    tree = load_tree(plan)
    assert [row.line.key for row in table_rows(tree) if row.line] == ids(m.SubActivity, plan)
    page = plan_page(plan, tree)
    keys = [row.line_key for section in page.sections for row in section.rows if row.has_line]
    assert keys == ids(m.SubActivity, plan)


def test_ids_are_not_in_the_canonical_json(plan: m.Plan) -> None:
    tree = load_tree(plan)
    bare = copy.deepcopy(tree)
    for node in walk(bare):
        node.key = None
    bare.activity_keys = {}
    text = canonical.dumps(tree)
    assert text == canonical.dumps(bare)
    assert '"key"' not in text and "activity_keys" not in text
    # export -> import (a replace of the same plan) -> export gives the same bytes
    again = save_tree(plan.agency, plan.year, canonical.loads(text)[0], replace=True, actor=OPERATOR)
    assert canonical.dumps(load_tree(again)) == text
