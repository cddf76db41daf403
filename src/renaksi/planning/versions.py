"""A plan's versions (versi 1, 2, ...): the list, the frozen copy of each approved one, and the
difference between any two.

The plan's rows are its newest version. A version row is made the first time a workflow step
needs it (plans made before versions existed have none until then): :func:`current_version`
answers without writing; each step of :mod:`renaksi.planning.workflow` (in its transaction, the
plan locked, after its permission check) stores it.
"""

from __future__ import annotations

from typing import Any

from renaksi.core import canonical
from renaksi.core.plan_diff import PlanDiff, diff_trees
from renaksi.core.plan_tree import PlanTree
from renaksi.planning import models as m
from renaksi.planning.services import load_tree


class UnknownVersion(LookupError):
    """A version number the plan does not have."""


def person_name(actor: Any) -> str:
    """How a version names a person: the full name with the username, else the username; the
    command-line operator is named as such."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "operator (baris perintah)"
    full_name = actor.get_full_name()
    username = actor.get_username()
    return f"{full_name} ({username})" if full_name and full_name != username else username


def version_rows(plan: m.Plan) -> list[m.PlanVersion]:
    """The plan's stored versions, oldest first."""
    return list(m.PlanVersion.objects.of_plan(plan).order_by("number"))


def versions(plan: m.Plan) -> list[m.PlanVersion]:
    """Every version of the plan, oldest first, the newest (its rows) last; a plan that never took
    a workflow step has one, version 1, not stored yet."""
    rows = version_rows(plan)
    return rows or [m.PlanVersion(plan=plan, number=1, status=plan.status)]


def current_version(plan: m.Plan) -> m.PlanVersion:
    """The version the plan's rows are (not stored when the plan never took a workflow step)."""
    return versions(plan)[-1]


def snapshot_text(plan: m.Plan) -> str:
    """The plan as it stands, frozen: its canonical JSON."""
    return canonical.dumps(load_tree(plan), agency={"code": plan.agency.code, "name": plan.agency.name})


def version_tree(plan: m.Plan, number: int) -> PlanTree:
    """The plan as version ``number`` says it: the frozen copy of an approved version, the plan's
    rows for the current one."""
    found = {row.number: row for row in versions(plan)}
    row = found.get(number)
    if row is None:
        raise UnknownVersion(number)
    if row.snapshot:
        tree, _agency = canonical.loads(row.snapshot)
        return tree
    if number != max(found):
        raise UnknownVersion(number)  # an older version without a copy: never happens once stored
    return load_tree(plan)


def diff_versions(plan: m.Plan, old: int, new: int) -> PlanDiff:
    """What turns version ``old`` into version ``new`` (either order, any two versions)."""
    return diff_trees(version_tree(plan, old), version_tree(plan, new))


_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def _when(moment: Any) -> str:
    from django.utils import timezone

    from renaksi.exports.meta import indonesian_date

    local = timezone.localtime(moment)
    zone = _ZONE_NAMES.get(str(timezone.get_current_timezone()), local.tzname() or "")
    return f"{indonesian_date(local.date())} pukul {local:%H.%M} {zone}".rstrip()


def approval_stamp(plan: m.Plan) -> str:
    """What the printed plan says about its version (always in Indonesian, as the document is):
    ``Versi 2 · Disetujui oleh Nama (nama) pada 2 Desember 2026 pukul 13.05 WITA``, or that the
    version is not approved yet."""
    version = current_version(plan)
    head = f"Versi {version.number}"
    if version.reason:
        head += f" ({version.reason})"
    if plan.status == m.Plan.Status.APPROVED and version.approved_at is not None:
        return f"{head} · Disetujui oleh {version.approved_by_name} pada {_when(version.approved_at)}"
    if plan.status == m.Plan.Status.APPROVED:
        return f"{head} · Disetujui"
    if plan.status == m.Plan.Status.SUBMITTED and version.submitted_at is not None:
        return f"{head} · Diajukan oleh {version.submitted_by_name} pada {_when(version.submitted_at)}; belum disetujui"
    return f"{head} · Draf, belum disetujui"
