"""Every workflow step by every role, through the services and through the pages: who may, who is
refused (and then nothing changed), and the rules of the steps themselves."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from tests.planning.workflow_support import OUTSIDERS, ROLES, People, make_people, make_plan, put_in

from renaksi.access import OPERATOR
from renaksi.history import Event
from renaksi.history.models import HistoryEvent
from renaksi.planning import models as m
from renaksi.planning import workflow

pytestmark = pytest.mark.django_db

#: step -> (the status it starts from, the status it ends in, the roles of HOME that may take it)
STEPS: dict[str, tuple[str, str, set[str]]] = {
    "submit": ("draft", "submitted", {"agency_admin", "planner"}),
    "withdraw": ("submitted", "draft", {"agency_admin", "planner"}),
    "approve": ("submitted", "approved", {"approver"}),
    "return": ("submitted", "draft", {"approver"}),
    "revise": ("approved", "draft", {"agency_admin", "planner"}),
}


def run_step(step: str, plan: m.Plan, actor: Any) -> m.Plan:
    if step == "submit":
        return workflow.submit_plan(plan, actor)
    if step == "withdraw":
        return workflow.withdraw_plan(plan, actor)
    if step == "approve":
        return workflow.approve_plan(plan, actor)
    if step == "return":
        return workflow.return_plan(plan, actor, "Target TW II keliru")
    return workflow.open_revision(plan, actor, "Revisi Anggaran")


def post_step(client: Client, step: str, plan: m.Plan) -> Any:
    names = {
        "submit": ("planning:plan_submit", {}),
        "withdraw": ("planning:plan_withdraw", {}),
        "approve": ("planning:plan_approve", {}),
        "return": ("planning:plan_return", {"reason": "Target TW II keliru"}),
        "revise": ("planning:plan_revise", {"reason": "Revisi Anggaran"}),
    }
    name, data = names[step]
    return client.post(reverse(name, args=[plan.pk]), data)


@pytest.fixture
def people() -> People:
    return make_people()


def _fingerprint(plan: m.Plan) -> tuple[Any, ...]:
    plan.refresh_from_db()
    versions = list(m.PlanVersion.objects.of_plan(plan).values_list("number", "status", "submitted_by_id"))
    return plan.status, plan.version, versions, HistoryEvent.objects.system("test").count()


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", ROLES + OUTSIDERS)
def test_each_role_takes_exactly_the_steps_its_role_allows_through_the_service(
    people: People, step: str, role: str
) -> None:
    start, end, allowed = STEPS[step]
    plan = put_in(make_plan(), start, people)
    if role in allowed:
        run_step(step, plan, people[role])
        plan.refresh_from_db()
        assert plan.status == end
    else:
        before = _fingerprint(plan)
        with pytest.raises(PermissionDenied):
            run_step(step, plan, people[role])
        assert _fingerprint(plan) == before


@pytest.mark.parametrize("step", sorted(STEPS))
def test_no_actor_is_refused_every_step(people: People, step: str) -> None:
    plan = put_in(make_plan(), STEPS[step][0], people)
    before = _fingerprint(plan)
    with pytest.raises(PermissionDenied):
        run_step(step, plan, None)
    assert _fingerprint(plan) == before


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("role", ROLES + OUTSIDERS)
def test_each_role_takes_exactly_the_steps_its_role_allows_through_the_pages(
    people: People, step: str, role: str
) -> None:
    start, end, allowed = STEPS[step]
    plan = put_in(make_plan(), start, people)
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    before = _fingerprint(plan)
    response = post_step(client, step, plan)
    if role in allowed:
        assert response.status_code == 302 and response["Location"] == reverse(
            "planning:plan_detail", args=[plan.pk]
        )
        plan.refresh_from_db()
        assert plan.status == end
        return
    if role == "anonymous":
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    elif role == "other_agency":
        assert response.status_code == 404  # another agency's plan answers like a missing one
    else:
        assert response.status_code == 403
    assert _fingerprint(plan) == before


@pytest.mark.parametrize("step", sorted(STEPS))
def test_a_step_the_status_does_not_allow_is_refused_and_changes_nothing(people: People, step: str) -> None:
    start, _end, allowed = STEPS[step]
    for year, status in enumerate(sorted({"draft", "submitted", "approved"} - {start}), 2024):
        plan = put_in(make_plan(year=year), status, people)
        before = _fingerprint(plan)
        with pytest.raises(workflow.WorkflowError, match="tidak dapat dilakukan"):
            run_step(step, plan, people[sorted(allowed)[0]])
        assert _fingerprint(plan) == before


def test_nobody_approves_a_version_they_submitted_themselves_not_even_a_site_admin(people: People) -> None:
    plan = make_plan()
    workflow.submit_plan(plan, people["site_admin"])
    before = _fingerprint(plan)
    with pytest.raises(workflow.WorkflowError, match="Anda sendiri yang mengajukan"):
        workflow.approve_plan(plan, people["site_admin"])
    assert _fingerprint(plan) == before
    workflow.approve_plan(plan, people["approver"])
    assert plan.status == "approved"


def test_a_site_admin_who_submitted_is_told_on_the_page_to_leave_the_approval_to_someone_else(
    people: People,
) -> None:
    plan = make_plan()
    client = Client()
    client.force_login(people["site_admin"])
    assert post_step(client, "submit", plan).status_code == 302
    response = client.post(reverse("planning:plan_approve", args=[plan.pk]), follow=True)
    assert "Anda sendiri yang mengajukan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_returning_needs_a_reason_and_keeps_it_in_the_history(people: People) -> None:
    plan = put_in(make_plan(), "submitted", people)
    with pytest.raises(workflow.WorkflowError, match="Alasan pengembalian wajib diisi"):
        workflow.return_plan(plan, people["approver"], "   ")
    workflow.return_plan(plan, people["approver"], "Target TW II keliru")
    event = HistoryEvent.objects.system("test").filter(plan=plan, event=Event.PLAN_RETURNED).get()
    assert (event.before, event.after, event.note) == (
        {"status": "submitted"},
        {"status": "draft"},
        "Target TW II keliru",
    )
    assert event.actor_label == "Approver (approver)"


def test_the_history_of_the_whole_cycle_names_each_person_and_step(people: People) -> None:
    plan = put_in(make_plan(), "submitted", people)
    workflow.withdraw_plan(plan, people["planner"])
    workflow.submit_plan(plan, people["agency_admin"])
    workflow.approve_plan(plan, people["approver"])
    workflow.open_revision(plan, people["planner"], "Revisi Anggaran")
    steps = list(
        HistoryEvent.objects.system("test")
        .filter(plan=plan)
        .exclude(event__in=[Event.CREATED, Event.PLAN_IMPORTED])
        .order_by("pk")
        .values_list("event", "actor_label", "note")
    )
    assert steps == [
        ("plan_submitted", "Planner (planner)", ""),
        ("plan_returned", "Planner (planner)", "Pengajuan ditarik kembali."),
        ("plan_submitted", "Agency_Admin (agency_admin)", ""),
        ("plan_approved", "Approver (approver)", ""),
        ("plan_changed", "Planner (planner)", "Revisi Anggaran"),
    ]


def test_the_command_line_operator_may_take_every_step(people: People) -> None:
    plan = make_plan()
    workflow.submit_plan(plan, OPERATOR)
    workflow.approve_plan(plan, OPERATOR)  # the operator is nobody's account: no self-approval
    assert plan.status == "approved"
