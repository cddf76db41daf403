"""The seed plan that ``renaksi demo`` (and so ``make run``, on every start) loads.

It is loaded only where it is absent. Once the seed's agency has a plan for the seed's year,
whoever made it and whatever happened to it since (edited, approved, published, imported again
with ``--replace``), the demo leaves it alone: it never replaces a plan and never adds a second one
beside it (which would make ``AGENCY/YEAR`` name two plans). The seed file is not even read then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError

from renaksi.access import Action, require
from renaksi.agencies.models import Agency
from renaksi.core.import_report import ImportReport
from renaksi.history import Source
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan
from renaksi.planning.services import PlanExistsError


@dataclass(frozen=True)
class DemoPlan:
    plan: Plan
    loaded: bool  # True when this run loaded the seed; False when a plan was there and is untouched
    report: ImportReport | None  # the seed's import report, when this run loaded it


def _present(agency: Agency, year: int) -> Plan | None:
    return (
        Plan.objects.system("renaksi demo: the operator of the server")
        .select_related("agency")
        .filter(agency=agency, year=year)
        .order_by("pk")
        .first()
    )


def ensure_demo_plan(seed: Path, agency: Agency, year: int, *, actor: object, operator: str = "") -> DemoPlan:
    """Load ``seed`` as ``agency``'s plan for ``year`` unless that agency has a plan for that year;
    an existing plan is returned as it is, and nothing is written. ``actor`` (the command line
    passes :data:`~renaksi.access.OPERATOR`) must hold :attr:`Action.EDIT` in ``agency``."""
    require(actor, Action.EDIT, agency.pk)
    if (present := _present(agency, year)) is not None:
        return DemoPlan(present, loaded=False, report=None)
    preview = preview_import(seed)
    try:
        plan, _record = commit_import(
            preview,
            agency,
            year,
            actor=actor,
            replace=False,
            via="demo",
            source=Source.COMMAND,
            operator=operator,
        )
    except (PlanExistsError, IntegrityError):  # another `renaksi demo` loaded it meanwhile
        if (present := _present(agency, year)) is None:
            raise
        return DemoPlan(present, loaded=False, report=None)
    return DemoPlan(plan, loaded=True, report=preview.report)
