"""The one way to agency data: every query of it states whose eyes it is for.

Agency data (plans and everything in them, imports, export jobs, history) is read through a
:class:`Scope`, made for the user of a request by :func:`request_scope`, or, for the system's own
work (a command, a background job, the public portal), through an explicit ``.system(...)`` or
:func:`published_plans`. A query that does neither raises :class:`UnscopedQueryError` when it is
run, in tests and in production alike: a forgotten scope is an error, never a leak. Querysets
reached from an object already in hand (``plan.strategic_goals.all()``) carry that object and
pass.

What each role may do is decided here and nowhere else (:data:`ROLE_ACTIONS`). An object outside
the user's agencies answers exactly like one that does not exist (:class:`~django.http.Http404`
with the same message); an object the user may read but not change answers 403.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from renaksi.accounts.models import Role

if TYPE_CHECKING:
    from renaksi.planning.models import Plan

__all__ = [
    "NOT_FOUND",
    "OPERATOR",
    "ROLE_ACTIONS",
    "Action",
    "AgencyManager",
    "AgencyQuerySet",
    "Scope",
    "UnscopedQueryError",
    "published_plans",
    "request_scope",
    "require",
    "require_site_admin",
    "scope_for",
]

NOT_FOUND = "Tidak ditemukan."

_Q = TypeVar("_Q", bound="AgencyQuerySet[Any]")
_M = TypeVar("_M", bound=models.Model)


class UnscopedQueryError(RuntimeError):
    """Agency data was queried without saying for whom (a :class:`Scope`) or that the system
    itself reads it (``.system(reason)``)."""


class AgencyQuerySet(models.QuerySet[_M]):
    """A queryset of agency data that refuses to run unless it was scoped."""

    _scope_reason: str | None = None

    def _clone(self: _Q) -> _Q:
        clone = super()._clone()  # type: ignore[misc]
        clone._scope_reason = self._scope_reason
        return clone

    def _scoped(self: _Q, reason: str) -> _Q:
        clone = self._chain()  # type: ignore[attr-defined]
        clone._scope_reason = reason
        return clone

    def system(self: _Q, reason: str) -> _Q:
        """For the system's own work (a command run by the operator, a background job): every
        agency's data, with the reason said where the query is written."""
        if not reason:
            raise ValueError("say why the system reads every agency's data")
        return self._scoped(f"system: {reason}")

    def of_plan(self: _Q, plan: Any, path: str = "plan") -> _Q:
        """The rows of one plan the caller already holds (and so was allowed to read)."""
        if plan is None or plan.pk is None:
            raise ValueError("of_plan needs a saved plan")
        return self.filter(**{path: plan})._scoped(f"plan {plan.pk}")

    def _reached_from_agency_data(self) -> bool:
        """A related manager's queryset (``plan.sub_activities.all()``) carries the object it hangs
        from. That object was itself read through a scope only if it is agency data too: rows
        reached from an agency or a user (``agency.plans.all()``) still need a scope."""
        instance = getattr(self, "_hints", {}).get("instance")
        return instance is not None and isinstance(type(instance)._default_manager, AgencyManager)

    def _check_scope(self) -> None:
        if self._scope_reason is None and not self._reached_from_agency_data():
            raise UnscopedQueryError(
                f"{self.model.__name__} was queried without a scope: read agency data through "
                "renaksi.access.request_scope(request) (or scope_for(user)), or mark the system's "
                "own work with .system(reason)"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args: Any, **kwargs: Any) -> Any:
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        self._check_scope()
        return super().count()

    def exists(self) -> bool:
        self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()


class AgencyManager(models.Manager.from_queryset(AgencyQuerySet)):  # type: ignore[misc]
    """The default manager of every model holding agency data."""


class Action(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"  # change the plan, import into it
    REPORT = "report"  # record realization (a PIC on the lines assigned to them)
    SUBMIT = "submit"  # send a draft for approval
    APPROVE = "approve"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_AGENCY = "manage_agency"  # the agency's own settings (publishing)


ROLE_ACTIONS: Mapping[str, frozenset[Action]] = {
    Role.AGENCY_ADMIN: frozenset(
        {Action.VIEW, Action.EDIT, Action.REPORT, Action.SUBMIT, Action.MANAGE_MEMBERS, Action.MANAGE_AGENCY}
    ),
    Role.PLANNER: frozenset({Action.VIEW, Action.EDIT, Action.REPORT, Action.SUBMIT}),
    Role.PIC: frozenset({Action.VIEW, Action.REPORT}),
    Role.APPROVER: frozenset({Action.VIEW, Action.APPROVE}),
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.INSPECTOR: frozenset({Action.VIEW}),
}


@dataclass(frozen=True)
class Scope:
    """What one user may see and do. ``roles`` are the user's own memberships; ``readable`` adds,
    read-only, the agencies under a province (or national) agency the user belongs to."""

    user_id: int | None = None
    site_admin: bool = False
    roles: Mapping[int, str] = field(default_factory=dict)
    readable: frozenset[int] = frozenset()

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def can(self, action: Action, agency_id: int) -> bool:
        if self.site_admin:
            return True
        if action is Action.VIEW:
            return agency_id in self.readable
        role = self.roles.get(agency_id)
        return role is not None and action in ROLE_ACTIONS[role]

    def agency_ids(self, action: Action = Action.VIEW) -> frozenset[int] | None:
        """The agencies where the user may do ``action``; ``None`` means every agency."""
        if self.site_admin:
            return None
        if action is Action.VIEW:
            return self.readable
        return frozenset(agency for agency, role in self.roles.items() if action in ROLE_ACTIONS[role])

    def filter(self, queryset: AgencyQuerySet[_M], agency_field: str, action: Action = Action.VIEW) -> Any:
        """``queryset`` narrowed to the agencies where the user may do ``action``; ``agency_field``
        is the path to the agency id (``"agency_id"``, ``"plan__agency_id"``)."""
        allowed = self.agency_ids(action)
        if allowed is not None:
            queryset = queryset.filter(**{f"{agency_field}__in": sorted(allowed)})
        return queryset._scoped(f"user {self.user_id}")

    def plans(self, action: Action = Action.VIEW) -> Any:
        from renaksi.planning.models import Plan

        return self.filter(Plan.objects.select_related("agency"), "agency_id", action)

    def get(
        self, queryset: AgencyQuerySet[_M], agency_field: str, action: Action = Action.VIEW, **lookup: Any
    ) -> _M:
        """One object the user may read, else 404 as if it did not exist; 403 when the user may
        read it but not do ``action``."""
        try:
            found: _M = self.filter(queryset, agency_field).get(**lookup)
        except ObjectDoesNotExist:
            raise Http404(NOT_FOUND) from None
        agency_id = found
        for part in agency_field.split("__"):
            agency_id = getattr(agency_id, part)
        self._require(action, int(agency_id))  # type: ignore[call-overload]
        return found

    def agency(self, code: str, action: Action = Action.VIEW, **lookup: Any) -> Any:
        """The agency ``code`` (with any further ``lookup``, e.g. ``level=``), by the same rule as
        :meth:`get`: 404 when the user cannot see it or it does not exist, 403 when they see it but
        may not do ``action``."""
        from renaksi.agencies.models import Agency

        agency = Agency.objects.filter(code=code, **lookup).select_related("parent").first()
        if agency is None or not self.can(Action.VIEW, agency.pk):
            raise Http404(NOT_FOUND)
        self._require(action, agency.pk)
        return agency

    def _require(self, action: Action, agency_id: int) -> None:
        if not self.can(action, agency_id):
            raise PermissionDenied

    def plan(self, plan_id: int, action: Action = Action.VIEW) -> Plan:
        from renaksi.planning.models import Plan

        return self.get(Plan.objects.select_related("agency"), "agency_id", action, pk=plan_id)

    def agencies(self, action: Action = Action.VIEW) -> Any:
        from renaksi.agencies.models import Agency

        allowed = self.agency_ids(action)
        queryset = Agency.objects.all()
        return queryset if allowed is None else queryset.filter(pk__in=sorted(allowed))


def _descendants(agency_ids: Iterable[int]) -> set[int]:
    from renaksi.agencies.models import Agency

    found: set[int] = set()
    frontier = set(agency_ids)
    while frontier:
        children = set(Agency.objects.filter(parent_id__in=sorted(frontier)).values_list("pk", flat=True))
        frontier = children - found
        found |= children
    return found


def scope_for(user: Any) -> Scope:
    """The scope of a user (anonymous, inactive or not yet saved: nothing); :data:`OPERATOR`'s is
    a site admin's."""
    if user is OPERATOR:
        return Scope(site_admin=True)
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(user_id=user.pk, site_admin=True)
    from renaksi.accounts.models import Membership
    from renaksi.agencies.models import Agency

    memberships = list(Membership.objects.filter(user=user).values_list("agency_id", "agency__level", "role"))
    roles = {agency_id: role for agency_id, _level, role in memberships}
    upper = [agency_id for agency_id, level, _role in memberships if level != Agency.Level.REGENCY]
    return Scope(user_id=user.pk, roles=roles, readable=frozenset(roles) | _descendants(upper))


class Operator:
    """The person at the server's command line (``renaksi import``, ``renaksi demo``) or the
    system's own work: may do everything, and history names no user for it. Passed explicitly as
    the actor, so that a caller that forgets its actor (``None``) is refused, never let through."""

    is_authenticated = False

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = Operator()


def require(actor: Any, action: Action, agency_id: int) -> None:
    """The permission check every write service makes itself, first: ``actor`` (a user, or
    :data:`OPERATOR`) may take ``action`` in agency ``agency_id``, else
    :class:`~django.core.exceptions.PermissionDenied`. A user who may not even read the agency
    is refused the same way (views answer 404 before they call a service)."""
    if actor is OPERATOR:
        return
    if not scope_for(actor).can(action, agency_id):
        raise PermissionDenied


def require_site_admin(actor: Any) -> None:
    """The check of a write no agency role allows (a new agency, the shared reference tables, an
    account added at once): ``actor`` is a site admin or :data:`OPERATOR`, else
    :class:`~django.core.exceptions.PermissionDenied`."""
    if actor is OPERATOR:
        return
    if not scope_for(actor).site_admin:
        raise PermissionDenied


def request_scope(request: HttpRequest) -> Scope:
    """The scope of the request's user, made once per request."""
    scope: Scope | None = getattr(request, "_renaksi_scope", None)
    if scope is None:
        scope = scope_for(getattr(request, "user", None))
        request._renaksi_scope = scope  # type: ignore[attr-defined]
    return scope


def published_plans() -> Any:
    """The plans anyone may read: approved, of an agency that chose to publish."""
    from renaksi.planning.models import Plan

    return Plan.objects.filter(status=Plan.Status.APPROVED, agency__publishes_plans=True)._scoped("public")
