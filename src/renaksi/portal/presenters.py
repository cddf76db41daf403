"""What the public portal lists, shaped for templates that only loop."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from renaksi.access import published_plans
from renaksi.core.money import format_rupiah


@dataclass(frozen=True)
class PublicPlan:
    plan_id: int
    year: int
    signing_unit: str
    lines: int
    total_cost: str


@dataclass
class PublicAgency:
    code: str
    name: str
    plans: list[PublicPlan] = field(default_factory=list)


def published_directory() -> list[PublicAgency]:
    """The agencies with at least one published plan, by name, each with its plans (newest year
    first). One query: line counts and costs are summed by the database."""
    plans = (
        published_plans()
        .annotate(line_count=Count("sub_activities"), cost_sum=Coalesce(Sum("sub_activities__cost"), 0))
        .select_related("agency")
        .order_by("agency__name", "-year", "signing_unit", "id")
    )
    agencies: dict[int, PublicAgency] = {}
    for plan in plans:
        agency = agencies.get(plan.agency_id)
        if agency is None:
            agency = agencies[plan.agency_id] = PublicAgency(code=plan.agency.code, name=plan.agency.name)
        agency.plans.append(
            PublicPlan(
                plan_id=plan.pk,
                year=plan.year,
                signing_unit=plan.signing_unit,
                lines=plan.line_count,
                total_cost=format_rupiah(plan.cost_sum),
            )
        )
    return list(agencies.values())
