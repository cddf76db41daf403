"""Exports of plans as files: one entry point for the CLI, the web pages and the background jobs.

The open data formats (JSON, CSV) come from :mod:`renaksi.core.canonical`; the official table
(XLSX, PDF) from :mod:`renaksi.exports.xlsx` and :mod:`renaksi.exports.pdf`. Every file is written
under a temporary name and renamed when complete, so a failed export leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.text import slugify

from renaksi.agencies.models import Agency
from renaksi.core import canonical
from renaksi.core.plan_tree import PlanTree
from renaksi.exports.files import atomic_path
from renaksi.exports.meta import ExportMeta, Signature
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree

if TYPE_CHECKING:
    from renaksi.planning.presenters import AgencyNode

Progress = Callable[[int, int], None]

TEXT_FORMATS = ("json", "csv")
BINARY_FORMATS = ("xlsx", "pdf")
FORMATS = TEXT_FORMATS + BINARY_FORMATS

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class UnknownFormat(ValueError):
    pass


class RollupError(LookupError):
    """A roll-up that cannot be made: not a province, or no plan in that year."""


def export_meta(plan: Plan) -> ExportMeta:
    """The title and signature block printed around the plan's table, and its version's approval."""
    from renaksi.planning.versions import approval_stamp

    return ExportMeta(
        agency_name=plan.agency.name,
        signature=Signature(
            place=plan.sign_place,
            date=plan.sign_date,
            title=plan.signer_title,
            name=plan.signer_name,
            nip=plan.signer_nip,
        ),
        approval=approval_stamp(plan),
    )


def agency_header(plan: Plan) -> dict[str, str]:
    """The ``agency`` object of the canonical JSON."""
    return {"code": plan.agency.code, "name": plan.agency.name}


def plan_text(plan: Plan, fmt: str, tree: PlanTree | None = None) -> str:
    """The plan in an open data format (``json`` or ``csv``), as text."""
    tree = tree if tree is not None else load_tree(plan)
    if fmt == "json":
        return canonical.dumps(tree, agency=agency_header(plan))
    if fmt == "csv":
        from renaksi.exports.csv_table import plan_csv

        return plan_csv(tree)
    raise UnknownFormat(f"{fmt!r} is not a text format; one of {', '.join(TEXT_FORMATS)}")


def export_filename(plan: Plan, fmt: str) -> str:
    """``renaksi-kpu-prov-gorontalo-2023.xlsx``; the signing unit is added only when the agency
    has several plans that year, so two downloads never share a name."""
    name = f"renaksi-{plan.agency.code}-{plan.year}"
    siblings = (
        Plan.objects.system("file names: plans of the agency of a plan in hand")
        .filter(agency_id=plan.agency_id, year=plan.year)
        .exclude(pk=plan.pk)
    )
    if siblings.exists():
        name += f"-{slugify(plan.signing_unit) or plan.pk}"
    return f"{name}.{fmt}"


def export_plan(plan: Plan, fmt: str, target: Path) -> Path:
    """Write the plan to ``target`` in ``fmt`` (json, csv, xlsx or pdf) and return ``target``."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    target = Path(target)
    tree = load_tree(plan)
    # Each writer appears at ``target`` only complete (atomic_path): XLSX and PDF write through
    # it themselves, the text formats here.
    if fmt in TEXT_FORMATS:
        text = plan_text(plan, fmt, tree)
        # newline="" keeps the canonical "\n" line endings on every platform.
        with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    elif fmt == "xlsx":
        from renaksi.exports.xlsx import write_plan_xlsx

        write_plan_xlsx(tree, target, export_meta(plan))
    else:
        from renaksi.exports.pdf import render_plan_pdf

        render_plan_pdf(tree, target, export_meta(plan))
    return target


# --- the province roll-up ------------------------------------------------------------------------


def rollup_plan_records(province: Agency, year: int) -> list[Plan]:
    """The plans of a roll-up, in workbook order: the province's own plans first, then each
    Kab/Kota under it by name; several plans of one agency by signing unit."""
    if province.level != Agency.Level.PROVINCE:
        raise RollupError(f"{province.name} is not a province; a roll-up covers a province and its Kab/Kota")
    system = Plan.objects.system("roll-up: its caller was checked for the province")
    own = system.filter(agency=province, year=year).select_related("agency")
    children = (
        system.filter(agency__parent=province, year=year)
        .select_related("agency")
        .order_by("agency__name", "signing_unit", "pk")
    )
    plans = list(own.order_by("signing_unit", "pk")) + list(children)
    if not plans:
        raise RollupError(f"{province.name} and its Kab/Kota have no plan for {year}")
    return plans


def rollup_plans(province: Agency, year: int) -> list[tuple[ExportMeta, PlanTree]]:
    """The plans of a province and its Kab/Kota for ``year``, each with its title block."""
    return [(export_meta(plan), load_tree(plan)) for plan in rollup_plan_records(province, year)]


def export_rollup(province: Agency, year: int, target: Path, progress: Progress | None = None) -> Path:
    """Write the roll-up workbook to ``target``.

    Progress counts one step per plan loaded and one for writing the workbook, reported as
    ``progress(done, total)`` from ``(0, total)`` to ``(total, total)``.
    """
    from renaksi.exports.xlsx import write_rollup_xlsx

    target = Path(target)
    records = rollup_plan_records(province, year)
    total = len(records) + 1
    report = progress or (lambda _done, _total: None)
    report(0, total)
    plans: list[tuple[ExportMeta, PlanTree]] = []
    for plan in records:
        plans.append((export_meta(plan), load_tree(plan)))
        report(len(plans), total)
    write_rollup_xlsx(plans, target)  # appears at target only complete
    report(total, total)
    return target


def rollup_filename(province: Agency, year: int) -> str:
    return f"renaksi-rekap-{province.code}-{year}.xlsx"


def rollup_years(directory: Iterable[AgencyNode]) -> dict[str, list[int]]:
    """For each province with plans (its own or its Kab/Kota's): the years a roll-up can cover,
    newest first, keyed by agency code.

    Read from the agency directory the agency list has already loaded, so it costs no query.
    """
    province = str(Agency.Level.PROVINCE.label)  # node.level is the label in the active language
    found: dict[str, list[int]] = {}

    def walk(nodes: Iterable[AgencyNode]) -> None:
        for node in nodes:
            if node.level == province:
                years = {plan.year for plan in node.plans}
                years.update(plan.year for child in node.children for plan in child.plans)
                if years:
                    found[node.code] = sorted(years, reverse=True)
            walk(node.children)

    walk(directory)
    return found
