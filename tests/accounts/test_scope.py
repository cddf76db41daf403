"""The scoped entry point to agency data: who reads what, and that a forgotten scope is an error."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from renaksi.access import OPERATOR, Action, UnscopedQueryError, published_plans, scope_for
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.services import save_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans() -> dict[str, Plan]:
    return {
        code: save_tree(find_agency(code), 2024, random_plan(number, 3), actor=OPERATOR)
        for number, code in enumerate(("kpu-prov-gorontalo", "kpu-kab-boalemo", "kpu-kab-pohuwato"))
    }


def member(django_user_model, agency_code: str, role: str, name: str | None = None):
    user = django_user_model.objects.create_user(
        name or f"{role}-{agency_code}", password="kata-sandi-uji-123"
    )
    Membership.objects.create(user=user, agency=find_agency(agency_code), role=role)
    return user


def test_a_query_of_agency_data_without_a_scope_raises_instead_of_reading_everything(plans) -> None:
    for run in (
        lambda: list(Plan.objects.all()),
        lambda: Plan.objects.count(),
        lambda: Plan.objects.exists(),
        lambda: Plan.objects.get(pk=plans["kpu-kab-boalemo"].pk),
        lambda: SubActivity.objects.filter(cost__gt=0).first(),
        lambda: Plan.objects.filter(year=2024).update(title="x"),
        lambda: SubActivity.objects.all().delete(),
    ):
        with pytest.raises(UnscopedQueryError, match="without a scope"):
            run()
    assert Plan.objects.system("test").count() == 3  # nothing was changed or deleted


def test_rows_reached_from_an_object_in_hand_need_no_second_scope(plans) -> None:
    plan = plans["kpu-kab-boalemo"]
    assert plan.sub_activities.count() == 3
    assert SubActivity.objects.of_plan(plan).count() == 3


def test_a_province_member_reads_its_kab_kota_read_only_and_a_kab_kota_member_only_its_own(
    plans, django_user_model
) -> None:
    province, boalemo, pohuwato = (
        plans[code] for code in ("kpu-prov-gorontalo", "kpu-kab-boalemo", "kpu-kab-pohuwato")
    )
    province_planner = scope_for(member(django_user_model, "kpu-prov-gorontalo", Role.PLANNER))
    assert set(province_planner.plans()) == {province, boalemo, pohuwato}
    assert set(province_planner.plans(Action.EDIT)) == {province}
    assert province_planner.can(Action.VIEW, boalemo.agency_id)
    assert not province_planner.can(Action.EDIT, boalemo.agency_id)

    boalemo_planner = scope_for(member(django_user_model, "kpu-kab-boalemo", Role.PLANNER))
    assert set(boalemo_planner.plans()) == {boalemo}
    for other in (province, pohuwato):
        with pytest.raises(Http404):
            boalemo_planner.plan(other.pk)


def test_an_inspector_reads_only_the_agencies_it_is_given_and_changes_nothing(
    plans, django_user_model
) -> None:
    inspector = member(django_user_model, "kpu-kab-boalemo", Role.INSPECTOR, "inspektur")
    Membership.objects.create(user=inspector, agency=find_agency("kpu-kab-pohuwato"), role=Role.INSPECTOR)
    scope = scope_for(inspector)
    assert set(scope.plans()) == {plans["kpu-kab-boalemo"], plans["kpu-kab-pohuwato"]}
    assert all(scope.agency_ids(action) == frozenset() for action in Action if action is not Action.VIEW)


def test_a_deactivated_or_anonymous_user_reads_nothing(plans, django_user_model) -> None:
    user = member(django_user_model, "kpu-kab-boalemo", Role.AGENCY_ADMIN)
    user.is_active = False
    user.save()
    assert list(scope_for(user).plans()) == []
    assert list(scope_for(None).plans()) == []


def test_the_public_sees_only_approved_plans_of_agencies_that_publish(plans) -> None:
    boalemo, pohuwato = plans["kpu-kab-boalemo"], plans["kpu-kab-pohuwato"]
    for plan in (boalemo, pohuwato):
        plan.status = Plan.Status.APPROVED
        plan.save()
    agency = boalemo.agency
    agency.publishes_plans = True
    agency.save()
    assert list(published_plans()) == [boalemo]


def test_a_province_planner_opens_a_kab_kota_plan_but_cannot_edit_its_lines(plans, django_user_model) -> None:
    boalemo = plans["kpu-kab-boalemo"]
    line = boalemo.sub_activities.order_by("position").first()
    before = (line.cost, line.cost_state, line.schedule_mask, line.budget_code, line.remarks)
    browser = Client()
    browser.force_login(member(django_user_model, "kpu-prov-gorontalo", Role.PLANNER))
    assert browser.get(reverse("planning:plan_detail", args=[boalemo.pk])).status_code == 200
    edit = reverse("planning:line_edit", args=[boalemo.pk, line.pk])
    assert browser.post(edit, {"cost": "Rp 1.000", "months": ["1"]}).status_code == 403
    line.refresh_from_db()
    assert (line.cost, line.cost_state, line.schedule_mask, line.budget_code, line.remarks) == before


def test_rows_reached_from_an_agency_or_a_user_still_need_a_scope(plans) -> None:
    agency = find_agency("kpu-kab-boalemo")
    with pytest.raises(UnscopedQueryError):
        list(agency.plans.all())
    assert scope_for(None).filter(agency.plans.all(), "agency_id").count() == 0


def test_the_write_check_lets_the_operator_and_a_permitted_user_through_and_refuses_the_rest(
    plans, django_user_model
) -> None:
    from django.core.exceptions import PermissionDenied

    from renaksi.access import OPERATOR, require

    boalemo = find_agency("kpu-kab-boalemo").pk
    planner = member(django_user_model, "kpu-kab-boalemo", Role.PLANNER)
    viewer = member(django_user_model, "kpu-kab-boalemo", Role.VIEWER)
    province_admin = member(django_user_model, "kpu-prov-gorontalo", Role.AGENCY_ADMIN)
    require(OPERATOR, Action.EDIT, boalemo)
    require(planner, Action.EDIT, boalemo)
    for actor, action in (
        (None, Action.VIEW),  # a caller that forgot its actor
        (viewer, Action.EDIT),
        (planner, Action.APPROVE),
        (province_admin, Action.EDIT),  # reads the kab/kota below it, changes nothing there
    ):
        with pytest.raises(PermissionDenied):
            require(actor, action, boalemo)
