"""Fixtures of the history tests: small plans of two agencies and people with one role each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan
from renaksi.planning.services import save_tree

HOME = "kpu-kab-boalemo"
OTHER = "kpu-kab-pohuwato"


@pytest.fixture
def home_plan(db) -> Plan:
    return save_tree(find_agency(HOME), 2024, random_plan(11, 4), actor=OPERATOR)


@pytest.fixture
def other_plan(db) -> Plan:
    return save_tree(find_agency(OTHER), 2024, random_plan(12, 4), actor=OPERATOR)


@pytest.fixture
def member_client(db, django_user_model) -> Callable[..., Client]:
    """A logged-in browser of a new user holding ``role`` at ``agency`` (CSRF checks on)."""

    def make(role: str, agency: str = HOME, username: str | None = None) -> Client:
        user = django_user_model.objects.create_user(
            username or f"{role}-{agency}", password="kata-sandi-panjang-123", first_name=role.title()
        )
        Membership.objects.create(user=user, agency=find_agency(agency), role=role)
        browser = Client(enforce_csrf_checks=False)
        browser.force_login(user)
        browser.user = user  # type: ignore[attr-defined]
        return browser

    return make
