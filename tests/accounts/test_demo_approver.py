"""The demo approver: made once with a random password kept (0600) in the data folder, approver of
the demo agency; it can approve what the demo account submitted; later runs keep what an admin
changed; only the operator or a site admin may set it up."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from tests.planning.workflow_support import make_plan

from renaksi.access import OPERATOR
from renaksi.accounts.demo_approver import APPROVER_USERNAME, approver_message, ensure_demo_approver
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.planning import workflow

pytestmark = pytest.mark.django_db

HOME = "kpu-prov-gorontalo"


def test_the_demo_approver_is_made_once_with_a_private_random_password(tmp_path: Path) -> None:
    agency = find_agency(HOME)
    first = ensure_demo_approver(tmp_path, agency, actor=OPERATOR)
    path = tmp_path / "demo-approver-password"
    assert first.password and path.read_text().strip() == first.password
    assert path.stat().st_mode & 0o777 == 0o600
    user = get_user_model().objects.get(username=APPROVER_USERNAME)
    assert user.check_password(first.password)
    assert Membership.objects.get(user=user, agency=agency).role == Role.APPROVER
    again = ensure_demo_approver(tmp_path, agency, actor=OPERATOR)
    assert (
        again.password == first.password
        and get_user_model().objects.filter(username="penyetuju").count() == 1
    )
    assert first.password in approver_message(again) and str(path) in approver_message(again)


def test_a_password_an_admin_changed_stays_changed_and_is_not_printed(tmp_path: Path) -> None:
    agency = find_agency(HOME)
    ensure_demo_approver(tmp_path, agency, actor=OPERATOR)
    user = get_user_model().objects.get(username=APPROVER_USERNAME)
    user.set_password("kata-sandi-baru-yang-panjang")
    user.save()
    again = ensure_demo_approver(tmp_path, agency, actor=OPERATOR)
    assert again.password is None and "sudah diganti" in approver_message(again)
    user.refresh_from_db()
    assert user.check_password("kata-sandi-baru-yang-panjang")


def test_only_the_operator_or_a_site_admin_sets_it_up(tmp_path: Path) -> None:
    planner = get_user_model().objects.create_user("perencana", password="kata-sandi-uji-123")
    Membership.objects.create(user=planner, agency=find_agency(HOME), role=Role.AGENCY_ADMIN)
    for actor in (None, planner):
        with pytest.raises(PermissionDenied):
            ensure_demo_approver(tmp_path, find_agency(HOME), actor=actor)
    assert not get_user_model().objects.filter(username=APPROVER_USERNAME).exists()


def test_the_demo_approver_approves_what_the_agency_admin_submitted(tmp_path: Path) -> None:
    agency = find_agency(HOME)
    admin = get_user_model().objects.create_user("demo", password="kata-sandi-uji-123")
    Membership.objects.create(user=admin, agency=agency, role=Role.AGENCY_ADMIN)
    ensure_demo_approver(tmp_path, agency, actor=OPERATOR)
    approver = get_user_model().objects.get(username=APPROVER_USERNAME)
    plan = make_plan()
    workflow.submit_plan(plan, admin)
    workflow.approve_plan(plan, approver)
    assert plan.status == "approved"
