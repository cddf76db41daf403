"""Random sequences of editor saves (add, move, reorder, delete) keep every kind's positions a
valid printed order: 0..n-1, and the order load_tree (which the table printer reads) gives."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.planning import models as m
from renaksi.planning.services import load_tree
from renaksi.planning.structure import StructureError, delete_object, shift_object
from renaksi.planning.structure_goals import add_goal, add_program_goal, move_program_goal
from renaksi.planning.structure_items import LineFields, add_indicator, add_line, move_indicator, move_line
from renaksi.planning.structure_plans import create_empty_plan

pytestmark = pytest.mark.django_db

KINDS = (m.StrategicGoal, m.ProgramGoal, m.Indicator, m.SubActivity)
step = st.tuples(
    st.sampled_from(["add", "move", "shift", "delete"]),
    st.sampled_from(range(len(KINDS))),
    st.integers(0, 50),
    st.integers(0, 50),
)


def _line(name: str) -> LineFields:
    return LineFields(name, None, 1_000, "amount", "", "", "", (1,))


def _pick(plan, model, index):
    rows = list(model.objects.of_plan(plan).order_by("position"))
    return rows[index % len(rows)] if rows else None


def apply(plan, action, kind, first, second, counter):
    model = KINDS[kind]
    obj = _pick(plan, model, first)
    parent_model = KINDS[kind - 1] if kind else None
    parent = _pick(plan, parent_model, second) if parent_model else None
    name = f"objek {next(counter)}"
    if action == "add":
        if model is m.StrategicGoal:
            add_goal(plan, OPERATOR, number="", text=name)
        elif parent is not None:
            adders = {
                m.ProgramGoal: lambda: add_program_goal(plan, OPERATOR, goal=parent, text=name),
                m.Indicator: lambda: add_indicator(parent, OPERATOR, text=name, target="80 - 90%"),
                m.SubActivity: lambda: add_line(parent, OPERATOR, _line(name)),
            }
            adders[model]()
    elif obj is None:
        return
    elif action == "move" and parent is not None:
        movers = {m.ProgramGoal: move_program_goal, m.Indicator: move_indicator, m.SubActivity: move_line}
        movers[model](obj, OPERATOR, parent)
    elif action == "shift":
        shift_object(obj, OPERATOR, 1 if second % 2 else -1)
    elif action == "delete":
        try:
            delete_object(obj, OPERATOR)
        except StructureError:
            assert any(
                getattr(obj, related).exists()
                for related in ("program_goals", "indicators", "sub_activities")
                if hasattr(obj, related)
            )


def assert_positions_follow_the_tree(plan):
    tree = load_tree(plan)
    expected = {
        m.ProgramGoal: [pg.key for goal in tree.goals for pg in goal.program_goals],
        m.Indicator: [indicator.key for indicator in tree.indicators()],
        m.SubActivity: [line.key for line in tree.lines()],
    }
    for model in KINDS:
        rows = list(model.objects.of_plan(plan).order_by("position").values_list("pk", "position"))
        assert [position for _pk, position in rows] == list(range(len(rows)))
        if model in expected:
            assert [pk for pk, _position in rows] == expected[model]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=4, max_size=15))
def test_random_saves_keep_positions_in_printed_order(db, steps):
    import itertools

    with transaction.atomic():
        plan = create_empty_plan(find_agency("kpu-prov-gorontalo"), OPERATOR, year=2030)
        counter = itertools.count()
        start = [("add", kind, index, index // 2) for kind in range(len(KINDS)) for index in range(3)]
        for action, kind, first, second in start:  # 3 of each kind to work on
            apply(plan, action, kind, first, second, counter)
        for action, kind, first, second in steps:
            apply(plan, action, kind, first, second, counter)
            assert_positions_follow_the_tree(plan)
        transaction.set_rollback(True)
