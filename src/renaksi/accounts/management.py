"""Managing who works where, the reading side: the agencies and members a user manages, and
what the user may do to each member (:mod:`renaksi.accounts.services` makes the changes).

Memberships and users are not agency data behind a scoped manager, so the scope is applied by
hand: an agency admin reaches only the members of agencies where they hold
:attr:`Action.MANAGE_MEMBERS`.

Refusals a person can fix (a taken username, a wrong parent) raise :class:`ManagementError`,
naming the form field; refusals of authority raise :class:`~django.core.exceptions.PermissionDenied`
or :class:`~django.http.Http404` exactly as :mod:`renaksi.access` does.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import Http404

from renaksi.access import NOT_FOUND, Action, Scope
from renaksi.accounts.models import Membership
from renaksi.accounts.security import can_reset_password, manages_user
from renaksi.agencies.models import Agency
from renaksi.history import snapshot

__all__ = [
    "AGENCY_FIELDS",
    "MEMBER_FIELDS",
    "RESERVED_AGENCY_CODES",
    "USER_FIELDS",
    "Invitation",
    "ManagementError",
    "MemberRow",
    "agency_members",
    "can_deactivate",
    "is_valid_time_zone",
    "managed_agency",
    "management_agencies",
    "member_of",
    "member_rows",
    "member_snapshot",
]

MEMBER_FIELDS = ("user", "agency", "role")
# Path segments next to agency codes under kelola/satker/ (see management_urls).
RESERVED_AGENCY_CODES = frozenset({"baru"})
AGENCY_FIELDS = ("code", "name", "level", "parent", "time_zone", "publishes_plans")


class ManagementError(ValueError):
    """A change refused for a reason the person can fix; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Invitation:
    """The outcome of inviting someone: the membership, and the temporary password when the user
    was created just now (shown once, never stored in clear)."""

    membership: Membership
    created_user: bool
    temporary_password: str | None


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_time_zone(name: str) -> bool:
    return name in _time_zones()


# --- reaching agencies and members --------------------------------------------------------------


def managed_agency(scope: Scope, code: str, action: Action = Action.MANAGE_MEMBERS) -> Agency:
    """The agency ``code`` if the user may do ``action`` there; 404 when the user cannot see it
    (exactly like a missing code), 403 when they see it but may not manage it."""
    agency: Agency = scope.agency(code, action)
    return agency


def management_agencies(scope: Scope) -> list[Agency]:
    """The agencies whose members or settings the user manages (every agency for a site admin)."""
    if scope.site_admin:
        return list(Agency.objects.select_related("parent").order_by("level", "name"))
    allowed = (scope.agency_ids(Action.MANAGE_MEMBERS) or frozenset()) | (
        scope.agency_ids(Action.MANAGE_AGENCY) or frozenset()
    )
    return list(
        Agency.objects.filter(pk__in=sorted(allowed)).select_related("parent").order_by("level", "name")
    )


def agency_members(agency: Agency) -> list[Membership]:
    return list(Membership.objects.filter(agency=agency).select_related("user").order_by("user__username"))


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    can_deactivate: bool
    can_reset_password: bool


def member_rows(scope: Scope, actor: Any, agency: Agency) -> list[MemberRow]:
    """The members of ``agency`` with what ``actor`` may do to each account; the agencies of all
    the members are read in one query, not one per member."""
    members = agency_members(agency)
    agencies_of: dict[int, set[int]] = defaultdict(set)
    homes: dict[int, int] = {}
    for user_id, agency_id in (
        Membership.objects.filter(user_id__in=[membership.user_id for membership in members])
        .order_by("created_at", "pk")
        .values_list("user_id", "agency_id")
    ):
        agencies_of[user_id].add(agency_id)
        homes.setdefault(user_id, agency_id)  # the first joined: the account's home
    rows = []
    for membership in members:
        user, agency_ids, home = membership.user, agencies_of[membership.user_id], homes[membership.user_id]
        may_deactivate = can_deactivate(scope, actor, user, agency_ids, home)
        may_reset = can_reset_password(actor, user, agency, scope=scope, agency_ids=agency_ids, home_id=home)
        rows.append(MemberRow(membership, may_deactivate, may_reset))
    return rows


def member_of(agency: Agency, membership_id: int) -> Membership:
    """One membership of ``agency``; a membership of any other agency answers like a missing one."""
    membership = (
        Membership.objects.filter(pk=membership_id, agency=agency).select_related("user", "agency").first()
    )
    if membership is None:
        raise Http404(NOT_FOUND)
    return membership


USER_FIELDS = ("username", "first_name", "email", "is_active")


def member_snapshot(membership: Membership) -> dict[str, Any]:
    values = snapshot(membership, MEMBER_FIELDS)
    values["username"] = membership.user.get_username()
    return values


def can_deactivate(
    scope: Scope,
    actor: Any,
    user: AbstractBaseUser,
    agency_ids: Collection[int] | None = None,
    home_id: int | None = None,
) -> bool:
    """Anyone active but oneself, on an account the actor manages (:func:`security.manages_user`:
    a site admin, or an admin of the account's home agency)."""
    if not user.is_active or user.pk == getattr(actor, "pk", None):
        return False
    return manages_user(scope, user, agency_ids, home_id)
