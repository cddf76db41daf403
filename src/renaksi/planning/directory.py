"""The agency list: the agencies a user may read, as trees, each with its plans and their sums."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from renaksi.access import Scope
from renaksi.agencies.models import Agency
from renaksi.core.money import format_rupiah
from renaksi.planning.models import Plan

_Plans = TypeVar("_Plans", bound=QuerySet[Any])


@dataclass(frozen=True)
class PlanSummary:
    plan_id: int
    year: int
    signing_unit: str
    status: str
    lines: int
    total_cost: str


def with_line_totals(plans: _Plans) -> _Plans:
    """``plans`` with each one's number of lines and summed cost, counted by the database in the
    same query (for :func:`plan_summary`)."""
    return plans.annotate(
        line_count=Count("sub_activities"), cost_sum=Coalesce(Sum("sub_activities__cost"), 0)
    )


def plan_summary(plan: Plan) -> PlanSummary:
    """A plan's line in a list of plans; ``plan`` comes from :func:`with_line_totals`."""
    return PlanSummary(
        plan_id=plan.pk,
        year=plan.year,
        signing_unit=plan.signing_unit,
        status=plan.get_status_display(),
        lines=plan.line_count,  # type: ignore[attr-defined]
        total_cost=format_rupiah(plan.cost_sum),  # type: ignore[attr-defined]
    )


@dataclass
class AgencyNode:
    code: str
    name: str
    level: str
    parent_code: str
    depth: int
    plans: list[PlanSummary] = field(default_factory=list)
    agency_id: int = 0
    children: list[AgencyNode] = field(default_factory=list)

    @property
    def heading_level(self) -> int:
        return min(self.depth + 2, 6)


_LEVEL_ORDER: dict[str, int] = {"national": 0, "province": 1, "regency": 2}


def agency_directory(scope: Scope) -> list[AgencyNode]:
    """The agencies ``scope`` may read, as trees (national or province first, then the units
    under it) with their plans.

    Two queries whatever the number of agencies and plans: line counts and costs are summed by
    the database.
    """
    agencies = list(scope.agencies().only("id", "code", "name", "level", "parent_id"))
    plans = scope.filter(
        with_line_totals(Plan.objects.all())
        .order_by("-year", "signing_unit", "id")
        .only("id", "agency_id", "year", "signing_unit", "status"),
        "agency_id",
    )
    plans_by_agency: dict[int, list[PlanSummary]] = defaultdict(list)
    for plan in plans:
        plans_by_agency[plan.agency_id].append(plan_summary(plan))
    agencies.sort(key=lambda agency: (_LEVEL_ORDER.get(agency.level, 9), agency.name))
    by_id = {agency.pk: agency for agency in agencies}
    children: dict[int | None, list[Agency]] = defaultdict(list)
    for agency in agencies:
        children[agency.parent_id if agency.parent_id in by_id else None].append(agency)
    placed: set[int] = set()

    def build(agency: Agency, depth: int) -> AgencyNode:
        placed.add(agency.pk)
        parent = by_id.get(agency.parent_id) if agency.parent_id is not None else None
        node = AgencyNode(
            code=agency.code,
            name=agency.name,
            level=agency.get_level_display(),
            parent_code=parent.code if parent is not None else "",
            depth=depth,
            plans=plans_by_agency.get(agency.pk, []),
            agency_id=agency.pk,
        )
        for child in children.get(agency.pk, []):
            if child.pk not in placed:  # a cycle in parent links must not recurse forever
                node.children.append(build(child, depth + 1))
        return node

    roots = [build(agency, 0) for agency in children[None]]
    # Agencies caught in a parent cycle have no root above them; list them rather than hide them.
    roots += [build(agency, 0) for agency in agencies if agency.pk not in placed]
    return roots
