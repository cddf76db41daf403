"""Personas for the management tests, in Boalemo and its neighbour Pohuwato.

``everything()`` is a picture of every row the management pages may write, so a refused request
can be shown to have changed nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.test import Client

from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency, BudgetCodeName
from renaksi.history.models import HistoryEvent

User = get_user_model()
PASSWORD = "kata-sandi-uji-12345"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """Hashed once: hashing is slow on purpose, and every test makes seven users."""
    return make_password(PASSWORD)


def _user(username: str, **extra: Any) -> Any:
    return User.objects.create(
        username=username, email=f"{username}@example.invalid", password=_password_hash(), **extra
    )


def _member(username: str, agency_code: str, role: str) -> Any:
    user = _user(username, first_name=username.title())
    Membership.objects.create(user=user, agency=Agency.objects.get(code=agency_code), role=role)
    return user


class People:
    """Everyone the tests act as or on."""

    def __init__(self) -> None:
        self.site_admin = _user("situs", is_superuser=True, is_staff=True)
        self.boalemo_admin = _member("admin-boalemo", "kpu-kab-boalemo", Role.AGENCY_ADMIN)
        self.pohuwato_admin = _member("admin-pohuwato", "kpu-kab-pohuwato", Role.AGENCY_ADMIN)
        self.province_admin = _member("admin-provinsi", "kpu-prov-gorontalo", Role.AGENCY_ADMIN)
        self.boalemo_planner = _member("perencana-boalemo", "kpu-kab-boalemo", Role.PLANNER)
        # The member the pages act on: a viewer of Boalemo only.
        self.siti = _member("siti", "kpu-kab-boalemo", Role.VIEWER)
        self.pohuwato_viewer = _member("budi", "kpu-kab-pohuwato", Role.VIEWER)

    def browser(self, persona: str) -> Client:
        browser = Client()
        browser.force_login(getattr(self, persona))
        return browser

    def membership(self, user: Any, agency_code: str = "kpu-kab-boalemo") -> Membership:
        return Membership.objects.get(user=user, agency__code=agency_code)


def everything() -> dict[str, Any]:
    return {
        "users": sorted(
            User.objects.values_list("username", "is_active", "is_superuser", "email", "password")
        ),
        "memberships": sorted(Membership.objects.values_list("user__username", "agency__code", "role")),
        "agencies": sorted(
            Agency.objects.values_list("code", "name", "level", "parent_id", "time_zone", "publishes_plans")
        ),
        "names": sorted(BudgetCodeName.objects.values_list("code", "level", "name")),
        "history": HistoryEvent.objects.system("test: count every event").count(),
    }


def history(event: str) -> list[HistoryEvent]:
    return list(
        HistoryEvent.objects.system("test: read the events written").filter(event=event).order_by("pk")
    )
