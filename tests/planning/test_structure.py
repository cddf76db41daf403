"""The editor's structure services on the seed plan: permission first, one record with names,
nothing for a no-op, a conflict instead of an overwrite, positions in printed order."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.history.models import HistoryEvent
from renaksi.planning import models as m
from renaksi.planning.services import load_tree
from renaksi.planning.structure import StructureConflict, StructureError, delete_object, shift_object
from renaksi.planning.structure_goals import add_goal, move_program_goal, update_goal, update_program_goal
from renaksi.planning.structure_items import (
    LineFields,
    add_activity,
    add_indicator,
    add_line,
    move_indicator,
    move_line,
    update_indicator,
    update_line,
)
from renaksi.planning.structure_plans import copy_plan, create_empty_plan


@pytest.fixture
def people(seed_plan, django_user_model):
    other = Agency.objects.create(name="KPU Provinsi Lain", code="kpu-prov-lain")
    users = {}
    for name, agency, role in (
        ("perencana", seed_plan.agency, Role.PLANNER),
        ("pembaca", seed_plan.agency, Role.VIEWER),
        ("luar", other, Role.PLANNER),
    ):
        users[name] = django_user_model.objects.create_user(name, password="kata-sandi-uji-123")
        Membership.objects.create(user=users[name], agency=agency, role=role)
    return users


def records(plan):
    return list(HistoryEvent.objects.of_plan(plan).order_by("pk"))


def headerless(plan):
    return m.ProgramGoal.objects.of_plan(plan).get(strategic_goal__isnull=True)


def first_line(plan):
    return m.SubActivity.objects.of_plan(plan).order_by("position").first()


def fields_of(line, **change):
    values = {
        "name": line.name,
        "activity_id": line.activity_id,
        "cost": line.cost,
        "cost_state": line.cost_state,
        "budget_code": line.budget_code,
        "remarks": line.remarks,
        "person_in_charge": line.person_in_charge,
        "months": (),
    }
    values.update(change)
    return LineFields(**values)


def assert_positions_follow_the_tree(plan):
    """Every kind's positions are 0..n-1 and, read in that order, give load_tree's order."""
    tree = load_tree(plan)
    for model, keys in (
        (m.ProgramGoal, [pg.key for goal in tree.goals for pg in goal.program_goals]),
        (m.Indicator, [indicator.key for indicator in tree.indicators()]),
        (m.SubActivity, [line.key for line in tree.lines()]),
    ):
        rows = list(model.objects.of_plan(plan).order_by("position").values_list("pk", "position"))
        assert [position for _pk, position in rows] == list(range(len(rows)))
        assert [pk for pk, _position in rows] == keys


@pytest.mark.parametrize("who", ["pembaca", "luar", None])
def test_a_viewer_an_outsider_and_nobody_cannot_change_the_structure(seed_plan, people, who):
    actor = people.get(who) if who else None
    before = len(records(seed_plan))
    goal = m.StrategicGoal.objects.of_plan(seed_plan).first()
    for attempt in (
        lambda: add_goal(seed_plan, actor, number="8", text="Sasaran baru"),
        lambda: update_goal(goal, actor, number="1", text="Diubah"),
        lambda: move_program_goal(headerless(seed_plan), actor, goal),
        lambda: add_indicator(headerless(seed_plan), actor, text="Indikator", target="80 - 90%"),
        lambda: update_line(first_line(seed_plan), actor, fields_of(first_line(seed_plan), cost=1)),
        lambda: shift_object(goal, actor, 1),
        lambda: delete_object(first_line(seed_plan), actor),
        lambda: copy_plan(seed_plan, actor, year=2024),
        lambda: create_empty_plan(seed_plan.agency, actor, year=2025),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert len(records(seed_plan)) == before
    assert m.Plan.objects.system("test").count() == 1


def test_an_approved_plan_cannot_be_restructured(seed_plan, people):
    m.Plan.objects.system("test").filter(pk=seed_plan.pk).update(status=m.Plan.Status.APPROVED)
    with pytest.raises(StructureError, match="draf"):
        add_goal(seed_plan, people["perencana"], number="8", text="Sasaran baru")
    with pytest.raises(StructureError, match="draf"):
        delete_object(first_line(seed_plan), people["perencana"])


def test_a_new_goal_and_the_flagged_program_goal_moved_under_it_are_recorded_with_names(seed_plan, people):
    planner = people["perencana"]
    before = len(records(seed_plan))
    goal = add_goal(seed_plan, planner, number="8", text="Terwujudnya Tata Kelola Hukum")
    program = headerless(seed_plan)
    assert program.needs_review
    changed = move_program_goal(program, planner, goal)
    assert changed == {
        "strategic_goal": "8. Terwujudnya Tata Kelola Hukum",
        "needs_review": False,
        "review_note": "",
    }
    added, moved = records(seed_plan)[before:]
    assert added.object_label == "Sasaran strategis «8. Terwujudnya Tata Kelola Hukum»"
    assert moved.object_label == f"Sasaran program «{program.text}»"
    assert moved.before["strategic_goal"] is None and moved.after["strategic_goal"].startswith("8.")
    tree = load_tree(seed_plan)
    assert [goal.number for goal in tree.goals] == ["1", "2", "6", "7", "8"]
    assert tree.goals[-1].program_goals[0].text == program.text
    assert_positions_follow_the_tree(seed_plan)


def test_an_indicator_target_is_read_and_a_noop_save_writes_nothing(seed_plan, people):
    planner = people["perencana"]
    indicator = add_indicator(
        headerless(seed_plan), planner, text="Persentase layanan hukum", target="80 - 90%"
    )
    assert (indicator.target_kind, indicator.target_value, indicator.target_upper) == ("range", 80, 90)
    before = len(records(seed_plan))
    assert (
        update_indicator(
            indicator,
            planner,
            text=indicator.text,
            target="80 - 90%",
            polarity=indicator.polarity,
            expected_version=1,
        )
        == {}
    )
    assert len(records(seed_plan)) == before
    changed = update_indicator(
        indicator, planner, text=indicator.text, target="97,5%", polarity=indicator.polarity
    )
    assert changed == {"target_text": "97,5%"}
    (record,) = records(seed_plan)[before:]
    assert record.object_label == "Indikator «Persentase layanan hukum»"
    assert record.before == {"target_text": "80 - 90%"}


def test_two_people_saving_the_same_line_the_second_is_shown_the_first_value(seed_plan, people):
    planner = people["perencana"]
    line = first_line(seed_plan)
    update_line(line, planner, fields_of(line, cost=1_500_000), expected_version=line.version)
    with pytest.raises(StructureConflict) as refused:
        update_line(line, planner, fields_of(line, cost=2_000_000), expected_version=line.version)
    assert "Rp 1.500.000" in str(refused.value)
    assert m.SubActivity.objects.of_plan(seed_plan).get(pk=line.pk).cost == 1_500_000


def test_a_line_added_scheduled_moved_and_deleted_keeps_the_plan_in_order(seed_plan, people):
    planner = people["perencana"]
    indicator = m.Indicator.objects.of_plan(seed_plan).order_by("position").first()
    line = add_line(
        indicator,
        planner,
        fields_of(first_line(seed_plan), name="Rapat koordinasi", cost=8_378_000, months=(1, 2, 3)),
    )
    assert line.schedule_mask == 0b111
    assert_positions_follow_the_tree(seed_plan)
    target = m.Indicator.objects.of_plan(seed_plan).order_by("-position").first()
    assert move_line(line, planner, target) == {"indicator": target.text}
    assert_positions_follow_the_tree(seed_plan)
    assert shift_object(line, planner, 1) is None  # last already: nothing to do, nothing written
    assert shift_object(line, planner, -1) is not None
    assert_positions_follow_the_tree(seed_plan)
    delete_object(line, planner)
    assert not m.SubActivity.objects.of_plan(seed_plan).filter(pk=line.pk).exists()
    assert records(seed_plan)[-1].before["name"] == "Rapat koordinasi"
    assert_positions_follow_the_tree(seed_plan)


def test_a_goal_with_program_goals_is_not_deleted(seed_plan, people):
    goal = m.StrategicGoal.objects.of_plan(seed_plan).first()
    with pytest.raises(StructureError, match="pindahkan atau hapus dulu"):
        delete_object(goal, people["perencana"])


def test_an_activity_serves_several_indicators(seed_plan, people):
    indicators = list(m.Indicator.objects.of_plan(seed_plan).order_by("position")[:2])
    activity = add_activity(seed_plan, people["perencana"], name="Kegiatan bersama", indicators=indicators)
    tree = load_tree(seed_plan)
    assert all("Kegiatan bersama" in node.activities for node in list(tree.indicators())[:2])
    assert records(seed_plan)[-1].after["indicators"] == [indicator.text for indicator in indicators]
    with pytest.raises(StructureError, match="sudah ada"):
        add_activity(seed_plan, people["perencana"], name="Kegiatan bersama", indicators=indicators)
    assert activity.pk


def test_clearing_a_review_flag_is_one_record(seed_plan, people):
    program = headerless(seed_plan)
    before = len(records(seed_plan))
    update_program_goal(program, people["perencana"], text=program.text, needs_review=False)
    (record,) = records(seed_plan)[before:]
    assert record.after == {"needs_review": False, "review_note": ""}


def test_copying_to_next_year_keeps_targets_schedule_and_costs_in_one_record(seed_plan, people):
    m.SubActivity.objects.of_plan(seed_plan).update(schedule_mask=0b111000111000, person_in_charge="Kasubbag")
    copy = copy_plan(seed_plan, people["perencana"], year=2024)
    old, new = load_tree(seed_plan), load_tree(copy)
    assert new.total_cost() == old.total_cost() == 10_060_818_000
    assert [(g.number, g.text) for g in new.goals] == [(g.number, g.text) for g in old.goals]
    strip = lambda tree: [  # noqa: E731
        (
            i.text,
            i.target,
            i.activities,
            [(x.name, x.cost, x.budget_code, x.months, x.person_in_charge) for x in i.lines],
        )
        for i in tree.indicators()
    ]
    assert strip(new) == strip(old)
    assert copy.status == m.Plan.Status.DRAFT and copy.year == 2024
    (record,) = records(copy)
    assert record.after["counts"] == {
        "strategic_goals": 4,
        "program_goals": 25,
        "indicators": 44,
        "activities": len(old.activities()),
        "lines": 45,
    }
    with pytest.raises(StructureError, match="sudah ada"):
        copy_plan(seed_plan, OPERATOR, year=2024)


def test_an_empty_plan_is_one_record(seed_plan, people):
    plan = create_empty_plan(seed_plan.agency, people["perencana"], year=2025, signing_unit="Sekretaris")
    (record,) = records(plan)
    assert record.event == "created" and plan.status == m.Plan.Status.DRAFT


def test_history_shows_a_reorder_as_a_place_and_a_kegiatans_indicators_by_name(seed_plan, people):
    from renaksi.history.presenters import history_row

    goal = m.StrategicGoal.objects.of_plan(seed_plan).order_by("position").first()
    shift_object(goal, people["perencana"], 1)
    row = history_row(records(seed_plan)[-1], "Asia/Makassar")
    assert [(c.label, c.before, c.after) for c in row.changes] == [("Urutan", "1", "2")]
    indicators = list(m.Indicator.objects.of_plan(seed_plan).order_by("position")[:2])
    add_activity(seed_plan, people["perencana"], name="Kegiatan bersama", indicators=indicators)
    row = history_row(records(seed_plan)[-1], "Asia/Makassar")
    assert ("Indikator", "", f"{indicators[0].text}; {indicators[1].text}") in [
        (c.label, c.before, c.after) for c in row.changes
    ]


def test_a_move_of_an_indicator_someone_changed_since_is_refused(seed_plan, people):
    planner = people["perencana"]
    indicator = m.Indicator.objects.of_plan(seed_plan).order_by("position").first()
    update_indicator(indicator, planner, text=indicator.text, target="99%", polarity=indicator.polarity)
    program = m.ProgramGoal.objects.of_plan(seed_plan).order_by("-position").first()
    with pytest.raises(StructureConflict, match="99%"):
        move_indicator(indicator, planner, program, expected_version=indicator.version)
    assert (
        m.Indicator.objects.of_plan(seed_plan).get(pk=indicator.pk).program_goal_id
        == indicator.program_goal_id
    )
