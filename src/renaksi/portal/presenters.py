"""What the public portal lists, shaped for templates that only loop."""

from __future__ import annotations

from dataclasses import dataclass, field

from renaksi.access import published_plans
from renaksi.planning.presenters import PlanSummary, plan_summary, with_line_totals


@dataclass
class PublicAgency:
    code: str
    name: str
    plans: list[PlanSummary] = field(default_factory=list)


def published_directory() -> list[PublicAgency]:
    """The agencies with at least one published plan, by name, each with its plans (newest year
    first). One query: line counts and costs are summed by the database."""
    plans = with_line_totals(published_plans()).select_related("agency")
    agencies: dict[int, PublicAgency] = {}
    for plan in plans.order_by("agency__name", "-year", "signing_unit", "id"):
        agency = agencies.get(plan.agency_id)
        if agency is None:
            agency = agencies[plan.agency_id] = PublicAgency(code=plan.agency.code, name=plan.agency.name)
        agency.plans.append(plan_summary(plan))
    return list(agencies.values())
