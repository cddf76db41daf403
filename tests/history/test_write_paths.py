"""Every write path of plan data leaves one history record per changed object: the import
(commit_import), the command (renaksi import) and the forms (line edit, workflow)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.history import Event, Source
from renaksi.history.models import HistoryEvent
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning import models as m
from renaksi.planning.workflow_base import PlanApprovedError

pytestmark = pytest.mark.django_db

PROVINCE = "kpu-prov-gorontalo"


def _history(**lookup):
    return HistoryEvent.objects.system("test").filter(**lookup)


def _object_counts(plan: m.Plan) -> dict[str, int]:
    return {
        "planning.strategicgoal": plan.strategic_goals.count(),
        "planning.programgoal": plan.program_goals.count(),
        "planning.indicator": plan.indicators.count(),
        "planning.activity": plan.activities.count(),
        "planning.subactivity": plan.sub_activities.count(),
    }


def _recorded_counts(plan: m.Plan, event: Event) -> dict[str, int]:
    counts: dict[str, int] = {}
    for object_type in _history(plan=plan, event=event).values_list("object_type", flat=True):
        counts[object_type] = counts.get(object_type, 0) + 1
    return counts


def test_commit_import_records_the_import_and_one_created_record_per_object(django_user_model) -> None:
    user = django_user_model.objects.create_user("perencana")
    Membership.objects.create(user=user, agency=find_agency(PROVINCE), role=Role.PLANNER)
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, record = commit_import(preview, find_agency(PROVINCE), 2023, actor=user)

    assert record.imported_by_id == user.pk
    imported = _history(plan=plan, event=Event.PLAN_IMPORTED).get()
    assert (imported.source, imported.actor_id, imported.agency_id) == ("import", user.pk, plan.agency_id)
    counted = {name.split(".")[1]: count for name, count in _object_counts(plan).items()}
    names = {"strategicgoal": "strategic_goals", "programgoal": "program_goals", "indicator": "indicators"}
    names |= {"activity": "activities", "subactivity": "lines"}
    assert imported.after["counts"] == {names[model]: count for model, count in counted.items()}
    assert imported.before is None
    assert _recorded_counts(plan, Event.CREATED) == _object_counts(plan)
    assert _history(plan=plan).exclude(actor=user).count() == 0
    assert _history(plan=plan).exclude(agency=plan.agency).count() == 0

    line = plan.sub_activities.exclude(cost=None).order_by("position").first()
    created = _history(event=Event.CREATED, object_type="planning.subactivity", object_id=str(line.pk)).get()
    assert created.before is None
    assert created.after["name"] == line.name
    assert created.after["cost"] == line.cost
    assert created.after["budget_code"] == line.budget_code
    assert created.after["indicator"] == line.indicator_id


def test_a_replacing_import_records_what_it_deleted_with_the_values_before(db) -> None:
    seed_plan, _record = commit_import(
        preview_import(Path(renaksi.cli.SEED_FILE)), find_agency(PROVINCE), 2023, actor=OPERATOR
    )
    old_lines = {line.pk: line.name for line in seed_plan.sub_activities.all()}
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    dropped = next(preview.tree.indicators()).lines.pop(0)
    plan, _record = commit_import(preview, seed_plan.agency, 2023, replace=True, actor=OPERATOR)

    assert plan.pk == seed_plan.pk
    deleted = _history(plan=plan, event=Event.DELETED, object_type="planning.subactivity").get()
    assert deleted.before["name"] == dropped.name and old_lines[int(deleted.object_id)] == dropped.name
    assert deleted.after is None
    assert sum(_recorded_counts(plan, Event.DELETED).values()) == 1
    assert {line.pk: line.name for line in plan.sub_activities.all()} == {
        pk: name for pk, name in old_lines.items() if pk != int(deleted.object_id)
    }
    assert _history(plan=plan, event=Event.PLAN_IMPORTED).count() == 2
    latest = _history(plan=plan, event=Event.PLAN_IMPORTED).order_by("-pk").first()
    assert latest.after["counts"]["lines"] == latest.before["counts"]["lines"] - 1


def test_an_import_that_would_change_an_approved_plan_is_refused_and_it_stays_on_the_portal(db) -> None:
    from renaksi.access import published_plans

    plan, _record = commit_import(
        preview_import(Path(renaksi.cli.SEED_FILE)), find_agency(PROVINCE), 2023, actor=OPERATOR
    )
    plan.status = m.Plan.Status.APPROVED
    plan.save()
    plan.agency.publishes_plans = True
    plan.agency.save()
    assert list(published_plans()) == [plan]

    # The same file changes nothing, so the approved plan stays approved; a changed one is refused.
    commit_import(
        preview_import(Path(renaksi.cli.SEED_FILE)), plan.agency, 2023, replace=True, actor=OPERATOR
    )
    plan.refresh_from_db()
    assert plan.status == m.Plan.Status.APPROVED
    changed = preview_import(Path(renaksi.cli.SEED_FILE))
    next(changed.tree.lines()).remarks = "Revisi anggaran"
    before = _history().count()
    with pytest.raises(PlanApprovedError):
        commit_import(changed, plan.agency, 2023, replace=True, actor=OPERATOR)
    plan.refresh_from_db()
    assert plan.status == m.Plan.Status.APPROVED
    assert list(published_plans()) == [plan]
    assert _history().count() == before


def test_the_import_command_records_its_history_as_a_command(capsys) -> None:
    code = renaksi.cli.main(["import", str(renaksi.cli.SEED_FILE), "--agency", PROVINCE, "--year", "2023"])
    assert code == 0
    plan = m.Plan.objects.system("test").get(agency=find_agency(PROVINCE), year=2023)
    assert set(_history(plan=plan).values_list("source", flat=True)) == {Source.COMMAND.value}
    assert _history(plan=plan, event=Event.PLAN_IMPORTED).get().actor_id is None
    assert _recorded_counts(plan, Event.CREATED) == _object_counts(plan)


# --- the forms -------------------------------------------------------------------------------------


def _edit_url(line: m.SubActivity) -> str:
    return reverse("planning:line_edit", args=[line.plan_id, line.pk])


def _line_form(line: m.SubActivity, **changes: object) -> dict[str, object]:
    from renaksi.core.schedule import Schedule

    data: dict[str, object] = {
        "cost": str(line.cost) if line.cost is not None else "",
        "budget_code": line.budget_code,
        "remarks": line.remarks,
        "person_in_charge": line.person_in_charge,
        "months": [str(month) for month in Schedule(line.schedule_mask).months],
    }
    data.update(changes)
    return data


def test_the_line_form_saves_and_records_the_change_and_the_cost_change(home_plan, member_client) -> None:
    planner = member_client("planner")
    line = home_plan.sub_activities.order_by("position").first()
    old_cost, old_code = line.cost, line.budget_code

    response = planner.post(
        _edit_url(line),
        _line_form(line, cost="Rp 1.250.000,-", budget_code="3358.ebc.954.a", months=["1", "2", "12"]),
    )

    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.cost, line.budget_code) == (1_250_000, "3358.EBC.954.A")
    changed = _history(object_id=str(line.pk), event=Event.CHANGED).get()
    assert (changed.actor_id, changed.agency_id, changed.plan_id) == (
        planner.user.pk,
        home_plan.agency_id,
        home_plan.pk,
    )
    assert changed.source == "form"
    assert changed.after["cost"] == 1_250_000 and changed.before["cost"] == old_cost
    assert changed.after["budget_code"] == "3358.EBC.954.A" and changed.before["budget_code"] == old_code
    assert changed.after["months"] == [1, 2, 12]
    assert "remarks" not in changed.after  # only the fields that changed
    cost_changed = _history(object_id=str(line.pk), event=Event.LINE_COST_CHANGED).get()
    assert (cost_changed.before["cost"], cost_changed.after["cost"]) == (old_cost, 1_250_000)


def test_a_line_saved_without_a_cost_change_records_no_cost_event(home_plan, member_client) -> None:
    planner = member_client("planner")
    line = home_plan.sub_activities.order_by("position").first()
    response = planner.post(_edit_url(line), _line_form(line, remarks="Dipindah ke triwulan II"))
    assert response.status_code == 302
    assert _history(object_id=str(line.pk), event=Event.CHANGED).get().after == {
        "remarks": "Dipindah ke triwulan II"
    }
    assert not _history(event=Event.LINE_COST_CHANGED).exists()


def test_an_ambiguous_cost_is_an_error_naming_the_field_and_saves_nothing(home_plan, member_client) -> None:
    planner = member_client("planner")
    line = home_plan.sub_activities.order_by("position").first()
    before = _history().count()
    response = planner.post(_edit_url(line), _line_form(line, cost="1.5", budget_code="bukan kode"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Perkiraan biaya (Rp): Perkiraan biaya tidak dapat dibaca" in page
    assert "Akun (kode anggaran): Akun (kode anggaran) tidak sah" in page
    refreshed = m.SubActivity.objects.system("test").get(pk=line.pk)
    assert (refreshed.cost, refreshed.budget_code) == (line.cost, line.budget_code)
    assert _history().count() == before


def test_the_line_form_shows_the_current_values_with_a_label_on_every_field(home_plan, member_client) -> None:
    line = home_plan.sub_activities.exclude(cost=None).order_by("position").first()
    page = member_client("planner").get(_edit_url(line)).content.decode()
    for field in ("cost", "budget_code", "remarks", "person_in_charge"):
        assert f'<label for="id_{field}">' in page
    assert 'for="id_months_0"' in page and "Januari" in page
    assert "csrfmiddlewaretoken" in page
    # Every help text a field points to (aria-describedby) is on the page, so screen readers read it.
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert described and all(f'id="{ident}"' in page for ids in described for ident in ids.split())


def test_the_workflow_moves_the_plan_and_records_each_step(home_plan, member_client) -> None:
    planner, approver = member_client("planner"), member_client("approver")
    plan_id = home_plan.pk
    # What the plan check would refuse a submission for: no flagged goal, every cost with a code.
    m.ProgramGoal.objects.of_plan(home_plan).update(needs_review=False)
    m.SubActivity.objects.of_plan(home_plan).filter(budget_code="").exclude(cost=None).update(
        budget_code="3358"
    )
    acknowledged = {"acknowledge_warnings": "on"}

    assert planner.post(reverse("planning:plan_submit", args=[plan_id]), acknowledged).status_code == 302
    returned = approver.post(
        reverse("planning:plan_return", args=[plan_id]), {"reason": "Target TW II keliru"}
    )
    assert returned.status_code == 302
    assert planner.post(reverse("planning:plan_submit", args=[plan_id]), acknowledged).status_code == 302
    assert approver.post(reverse("planning:plan_approve", args=[plan_id])).status_code == 302

    home_plan.refresh_from_db()
    assert home_plan.status == "approved"
    steps = list(
        _history(plan=home_plan)
        .exclude(event=Event.CREATED)
        .exclude(event=Event.PLAN_IMPORTED)
        .order_by("pk")
        .values_list("event", "actor_id", "before", "after", "note", "source")
    )
    assert steps == [
        ("plan_submitted", planner.user.pk, {"status": "draft"}, {"status": "submitted"}, "", "form"),
        (
            "plan_returned",
            approver.user.pk,
            {"status": "submitted"},
            {"status": "draft"},
            "Target TW II keliru",
            "form",
        ),
        ("plan_submitted", planner.user.pk, {"status": "draft"}, {"status": "submitted"}, "", "form"),
        ("plan_approved", approver.user.pk, {"status": "submitted"}, {"status": "approved"}, "", "form"),
    ]


def test_returning_without_a_reason_is_refused_and_records_nothing(home_plan, member_client) -> None:
    home_plan.status = "submitted"
    home_plan.save()
    before = _history().count()
    response = member_client("approver").post(
        reverse("planning:plan_return", args=[home_plan.pk]), {"reason": "  "}
    )
    assert response.status_code == 400
    assert "Alasan pengembalian" in response.content.decode()
    home_plan.refresh_from_db()
    assert home_plan.status == "submitted"
    assert _history().count() == before


def test_a_step_the_status_does_not_allow_changes_nothing(home_plan, member_client) -> None:
    before = _history().count()
    response = member_client("approver").post(reverse("planning:plan_approve", args=[home_plan.pk]))
    assert response.status_code == 302  # back to the plan page, with the reason shown
    home_plan.refresh_from_db()
    assert home_plan.status == "draft"
    assert _history().count() == before


# --- denied writes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "agency", "status"),
    [
        ("viewer", "kpu-kab-boalemo", 403),
        ("approver", "kpu-kab-boalemo", 403),
        ("pic", "kpu-kab-boalemo", 403),
        ("planner", "kpu-kab-pohuwato", 404),
        ("viewer", "kpu-prov-gorontalo", 403),  # the province reads its Kab/Kota, read-only
    ],
)
def test_a_denied_line_edit_changes_nothing_and_records_nothing(
    home_plan, member_client, role, agency, status
) -> None:
    browser = member_client(role, agency)
    line = home_plan.sub_activities.order_by("position").first()
    before = _history().count()
    assert browser.get(_edit_url(line)).status_code == status
    assert browser.post(_edit_url(line), _line_form(line, cost="999")).status_code == status
    assert m.SubActivity.objects.system("test").get(pk=line.pk).cost == line.cost
    assert _history().count() == before


@pytest.mark.parametrize(
    ("role", "agency", "url_name", "status"),
    [
        ("viewer", "kpu-kab-boalemo", "plan_submit", 403),
        ("approver", "kpu-kab-boalemo", "plan_submit", 403),
        ("planner", "kpu-kab-boalemo", "plan_approve", 403),
        ("planner", "kpu-kab-boalemo", "plan_return", 403),
        ("planner", "kpu-kab-pohuwato", "plan_submit", 404),
        ("approver", "kpu-kab-pohuwato", "plan_approve", 404),
    ],
)
def test_a_denied_workflow_step_changes_nothing_and_records_nothing(
    home_plan, member_client, role, agency, url_name, status
) -> None:
    home_plan.status = "submitted" if url_name != "plan_submit" else "draft"
    home_plan.save()
    expected = home_plan.status
    before = _history().count()
    response = member_client(role, agency).post(
        reverse(f"planning:{url_name}", args=[home_plan.pk]), {"reason": "x"}
    )
    assert response.status_code == status
    home_plan.refresh_from_db()
    assert home_plan.status == expected
    assert _history().count() == before


def test_lines_of_a_plan_that_is_not_a_draft_cannot_be_edited(home_plan, member_client) -> None:
    home_plan.status = "submitted"
    home_plan.save()
    line = home_plan.sub_activities.order_by("position").first()
    before = _history().count()
    response = member_client("planner").post(_edit_url(line), _line_form(line, cost="5.000"))
    assert response.status_code == 409
    assert m.SubActivity.objects.system("test").get(pk=line.pk).cost == line.cost
    assert _history().count() == before


def test_workflow_and_line_views_refuse_get_for_writes_and_need_the_csrf_token(
    home_plan, csrf_client
) -> None:
    line = home_plan.sub_activities.order_by("position").first()
    assert csrf_client.get(reverse("planning:plan_submit", args=[home_plan.pk])).status_code == 405
    assert csrf_client.post(reverse("planning:plan_submit", args=[home_plan.pk])).status_code == 403
    assert csrf_client.post(_edit_url(line), _line_form(line, cost="7")).status_code == 403
    home_plan.refresh_from_db()
    assert home_plan.status == "draft"
    assert not _history(event=Event.CHANGED).exists()


def test_a_line_id_of_another_plan_is_not_found(home_plan, other_plan, client) -> None:
    line = other_plan.sub_activities.first()
    assert client.get(reverse("planning:line_edit", args=[home_plan.pk, line.pk])).status_code == 404
