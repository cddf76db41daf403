"""Replacing a plan updates it, it never rebuilds it: what was matched keeps its row, its id and
everything that hangs on it; only what the new file removes goes; each change is recorded once."""

from __future__ import annotations

import copy
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.core.plan_diff import diff_trees, walk
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.history import Event
from renaksi.history.models import HistoryEvent
from renaksi.imports.sample import random_plan
from renaksi.planning import models as m
from renaksi.planning.services import load_tree, save_tree
from renaksi.planning.workflow import LineChange, update_line
from renaksi.planning.workflow_base import PlanApprovedError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imports"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from plan_edits import edited  # noqa: E402
from plan_strategies import comparable  # noqa: E402

pytestmark = pytest.mark.django_db

AGENCY = "kpu-kab-pohuwato"
MODELS = (m.StrategicGoal, m.ProgramGoal, m.Indicator, m.Activity, m.SubActivity, m.QuarterTarget)


def history(**lookup: Any) -> Any:
    return HistoryEvent.objects.system("test").filter(**lookup)


def rows(plan: m.Plan) -> dict[str, list[dict[str, Any]]]:
    """Every row of the plan's parts, every column, by primary key."""
    found = {}
    for model in MODELS:
        path = "indicator__plan" if model is m.QuarterTarget else "plan"
        found[model.__name__] = list(model.objects.of_plan(plan, path).order_by("pk").values())
    found["links"] = list(
        m.ActivityIndicator.objects.of_plan(plan, "indicator__plan").order_by("pk").values()
    )
    return found


def small_plan() -> PlanTree:
    def line(name: str, cost: int) -> Line:
        return Line(name=name, activity="Rapat Koordinasi", cost=cost, cost_state=CostState.AMOUNT)

    return PlanTree(
        year=2024,
        title="RENCANA AKSI TAHUN 2024",
        goals=[
            Goal(
                "1",
                "Meningkatnya kualitas perencanaan",
                [
                    ProgramGoal(
                        "Tersusunnya dokumen perencanaan",
                        [
                            Indicator(
                                "Persentase dokumen tepat waktu",
                                "90%",
                                quarter_targets={1: "20%", 4: "90%"},
                                activities=["Rapat Koordinasi"],
                                lines=[line("Rapat RKA", 5_000_000), line("Rapat Renja", 3_000_000)],
                            ),
                            Indicator(
                                "Jumlah laporan kinerja",
                                "4 Dokumen",
                                activities=["Rapat Koordinasi"],
                                lines=[line("Penyusunan LKj", 2_000_000)],
                            ),
                        ],
                    )
                ],
            )
        ],
    )


def save(tree: PlanTree, *, replace: bool = False, agency: str = AGENCY) -> m.Plan:
    return save_tree(find_agency(agency), 2024, copy.deepcopy(tree), replace=replace, actor=OPERATOR)


def line_named(plan: m.Plan, name: str) -> m.SubActivity:
    return m.SubActivity.objects.of_plan(plan).get(name=name)


def test_replacing_with_the_same_plan_writes_no_history_and_changes_no_row() -> None:
    tree = random_plan(5, 60, headerless=True, person_in_charge=True, title=True)
    plan = save(tree)
    before, events, updated = rows(plan), history().count(), plan.updated_at
    again = save(tree, replace=True)
    again.refresh_from_db()
    assert again.pk == plan.pk
    assert rows(plan) == before
    assert history().count() == events
    assert again.updated_at == updated


def test_a_replace_keeps_every_lines_history_and_removes_only_the_line_the_file_removed(
    django_user_model,
) -> None:
    plan = save(small_plan())
    planner = django_user_model.objects.create_user("perencana")
    Membership.objects.create(user=planner, agency=find_agency(AGENCY), role=Role.PLANNER)
    for name, cost in (("Rapat RKA", 5_500_000), ("Rapat Renja", 3_300_000), ("Penyusunan LKj", 2_200_000)):
        line = line_named(plan, name)
        update_line(line, LineChange(cost, "amount", "", "", "", (3, 4)), planner)
    kept = {name: line_named(plan, name).pk for name in ("Rapat RKA", "Penyusunan LKj")}
    gone = line_named(plan, "Rapat Renja").pk
    line_history = {
        pk: set(history(object_type="planning.subactivity", object_id=str(pk)).values_list("pk", flat=True))
        for pk in (*kept.values(), gone)
    }
    assert all(len(records) == 3 for records in line_history.values())  # created, changed, cost changed

    new = small_plan()
    first = new.goals[0].program_goals[0].indicators[0]
    first.lines = [line for line in first.lines if line.name != "Rapat Renja"]
    plan = save(new, replace=True)

    assert {line.name: line.pk for line in plan.sub_activities.all()} == kept
    for pk in kept.values():
        after = set(
            history(object_type="planning.subactivity", object_id=str(pk)).values_list("pk", flat=True)
        )
        assert line_history[pk] <= after
        # The file's costs are the ones before the edit: one `changed` record puts them back.
        assert len(after - line_history[pk]) == 1
    assert line_history[gone] < set(
        history(object_type="planning.subactivity", object_id=str(gone)).values_list("pk", flat=True)
    )
    deleted = history(event=Event.DELETED).get()
    assert (deleted.object_id, deleted.before["name"]) == (str(gone), "Rapat Renja")


def test_matched_objects_keep_their_ids_and_each_change_is_one_record_by_name() -> None:
    plan = save(small_plan())
    ids = {model: set(model.objects.of_plan(plan).values_list("pk", flat=True)) for model in MODELS[:5]}
    since = history().order_by("-pk").first().pk

    new = small_plan()
    first, second = new.goals[0].program_goals[0].indicators
    first.target = "95%"
    moved = first.lines.pop()  # "Rapat Renja" goes to the second indicator
    moved.cost = 4_000_000
    second.lines.append(moved)
    plan = save(new, replace=True)

    for model, before in ids.items():
        assert set(model.objects.of_plan(plan).values_list("pk", flat=True)) == before, model
    records = list(
        history(pk__gt=since).order_by("pk").values_list("event", "object_label", "before", "after")
    )
    plan_imported = records.pop(0)
    assert plan_imported[0] == Event.PLAN_IMPORTED
    assert sorted(records, key=lambda r: r[1]) == [
        (Event.CHANGED, "Persentase dokumen tepat waktu", {"target_text": "90%"}, {"target_text": "95%"}),
        (
            Event.CHANGED,
            "Rapat Renja",
            {"cost": 3_000_000, "indicator": "Persentase dokumen tepat waktu"},
            {"cost": 4_000_000, "indicator": "Jumlah laporan kinerja"},
        ),
    ]
    assert load_tree(plan).goals[0].program_goals[0].indicators[1].lines[-1].name == "Rapat Renja"
    indicator = m.Indicator.objects.of_plan(plan).get(text="Persentase dokumen tepat waktu")
    assert (indicator.target_text, indicator.target_kind, indicator.target_value) == (
        "95%",
        "percent",
        Decimal(95),
    )


def test_a_renamed_kegiatan_is_a_new_kegiatan_and_its_lines_keep_their_rows() -> None:
    plan = save(small_plan())
    line_ids = set(plan.sub_activities.values_list("pk", flat=True))
    new = small_plan()
    for indicator in new.indicators():
        indicator.activities = ["Rapat Koordinasi Teknis"]
        for line in indicator.lines:
            line.activity = "Rapat Koordinasi Teknis"
    plan = save(new, replace=True)
    assert set(plan.sub_activities.values_list("pk", flat=True)) == line_ids
    assert list(plan.activities.values_list("name", flat=True)) == ["Rapat Koordinasi Teknis"]
    assert set(plan.sub_activities.values_list("activity__name", flat=True)) == {"Rapat Koordinasi Teknis"}
    assert (
        history(event=Event.DELETED, object_type="planning.activity").get().before["name"]
        == "Rapat Koordinasi"
    )
    assert (
        history(event=Event.CREATED, object_type="planning.activity", plan=plan).count() == 2
    )  # first save too


def test_an_approved_plan_replaced_with_changes_is_refused_and_unchanged_stays_approved() -> None:
    plan = save(small_plan())
    plan.status = m.Plan.Status.APPROVED
    plan.save()
    save(small_plan(), replace=True)
    plan.refresh_from_db()
    assert plan.status == m.Plan.Status.APPROVED

    new = small_plan()
    new.goals[0].text = "Meningkatnya kualitas perencanaan dan penganggaran"
    events = history().count()
    with pytest.raises(PlanApprovedError):
        save(new, replace=True)
    plan.refresh_from_db()
    assert plan.status == m.Plan.Status.APPROVED
    assert m.StrategicGoal.objects.of_plan(plan).get().text == "Meningkatnya kualitas perencanaan"
    assert history().count() == events


def test_a_submitted_plan_replaced_with_changes_goes_back_to_draft() -> None:
    plan = save(small_plan())
    plan.status = m.Plan.Status.SUBMITTED
    plan.save()
    new = small_plan()
    new.goals[0].text = "Meningkatnya kualitas perencanaan dan penganggaran"
    save(new, replace=True)
    plan.refresh_from_db()
    assert plan.status == m.Plan.Status.DRAFT
    returned = history(event=Event.PLAN_RETURNED).get()
    assert (returned.before, returned.after) == ({"status": "submitted"}, {"status": "draft"})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees=edited(max_lines=20))
def test_any_replace_stores_the_new_plan_and_keeps_the_ids_of_what_it_matched(
    db: None, trees: tuple[PlanTree, PlanTree]
) -> None:
    old, new = trees
    old.signing_unit = new.signing_unit = "SEKRETARIS"
    old.year = new.year = 2024
    with transaction.atomic():
        plan = save(old)
        stored = load_tree(plan)
        keys = {id(node): node.key for node in walk(stored)}
        plan = save(new, replace=True)
        reloaded = load_tree(plan)
        assert comparable(reloaded) == comparable(new)
        # Every stored object that is still in the plan was matched, so its id was kept.
        diff = diff_trees(stored, new)
        kept = {keys[id(match.old)] for _name, level in diff.levels()[:3] for match in level.matched}
        kept |= {keys[id(match.old)] for match in diff.lines.matched}
        assert kept - {None} <= {node.key for node in walk(reloaded)}
        changes = sum(len(level.changed) for _name, level in diff.levels())
        assert history(plan=plan, event=Event.CHANGED).count() == changes
        transaction.set_rollback(True)
