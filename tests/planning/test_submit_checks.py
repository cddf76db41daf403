"""Submitting is refused while the plan check finds an error or a program goal is flagged for
review; its warnings are shown and must be acknowledged (a tick on the page)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from tests.planning.workflow_support import People, clean_tree, make_people, make_plan

from renaksi.planning import models as m
from renaksi.planning import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


def _planner(people: People) -> Client:
    client = Client()
    client.force_login(people["planner"])
    return client


def test_a_plan_with_a_check_error_cannot_be_submitted(people: People) -> None:
    tree = clean_tree()
    tree.goals[0].program_goals[0].indicators[0].lines[0].budget_code = ""  # cost without a code: an error
    plan = make_plan(tree)
    with pytest.raises(workflow.WorkflowError, match="1 kesalahan"):
        workflow.submit_plan(plan, people["planner"], acknowledge_warnings=True)
    plan.refresh_from_db()
    assert plan.status == "draft"
    response = _planner(people).post(
        reverse("planning:plan_submit", args=[plan.pk]), {"acknowledge_warnings": "on"}, follow=True
    )
    assert "pemeriksaan menemukan 1 kesalahan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_a_plan_with_a_program_goal_flagged_for_review_cannot_be_submitted(people: People) -> None:
    tree = clean_tree()
    tree.goals[0].program_goals[0].needs_review = True
    plan = make_plan(tree)
    with pytest.raises(workflow.WorkflowError, match="masih perlu ditinjau: Tersusunnya dokumen perencanaan"):
        workflow.submit_plan(plan, people["planner"], acknowledge_warnings=True)
    response = _planner(people).post(reverse("planning:plan_submit", args=[plan.pk]), follow=True)
    assert "masih perlu ditinjau" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"
    # Fixed, it goes.
    m.ProgramGoal.objects.of_plan(plan).update(needs_review=False)
    workflow.submit_plan(plan, people["planner"])
    assert plan.status == "submitted"


def test_warnings_are_shown_and_submitting_needs_the_tick(people: People) -> None:
    tree = clean_tree()
    tree.goals[0].program_goals[0].indicators[1].lines[0].months = ()  # no month scheduled: a warning
    plan = make_plan(tree)
    browser = _planner(people)
    page = browser.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert 'name="acknowledge_warnings"' in page
    response = browser.post(reverse("planning:plan_submit", args=[plan.pk]), follow=True)
    assert (
        "Pemeriksaan menemukan 1 peringatan. Centang bahwa Anda sudah membacanya" in response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.status == "draft"
    with pytest.raises(workflow.WorkflowError, match="1 peringatan"):
        workflow.submit_plan(plan, people["planner"])
    browser.post(reverse("planning:plan_submit", args=[plan.pk]), {"acknowledge_warnings": "on"})
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_the_seed_plan_with_its_flagged_goal_cannot_be_submitted(seed_plan, people: People) -> None:
    from renaksi.access import OPERATOR

    with pytest.raises(workflow.WorkflowError, match="masih perlu ditinjau"):
        workflow.submit_plan(seed_plan, OPERATOR, acknowledge_warnings=True)
