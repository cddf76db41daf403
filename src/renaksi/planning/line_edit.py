"""The edit of one line of a draft plan (the line form), checked, versioned and recorded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from renaksi.access import Action, require
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState
from renaksi.core.schedule import MONTH_NAMES_ID, Schedule
from renaksi.history import Event, Source, changed_fields, record_event
from renaksi.planning import models as m
from renaksi.planning.limits import TextTooLong, check_line_texts
from renaksi.planning.services import history_values
from renaksi.planning.workflow_base import EditConflict, WorkflowError, lines_editable, locked_plan
from renaksi.versioning import StaleVersion, update_versioned


@dataclass(frozen=True)
class LineChange:
    cost: int | None
    cost_state: str
    budget_code: str
    remarks: str
    person_in_charge: str
    months: tuple[int, ...]
    #: The line's version the person's edit starts from (the form carries it), when known.
    base_version: int | None = None


#: The fields of a line that the edit form changes, as recorded in history.
LINE_EDIT_FIELDS = ("cost", "cost_state", "budget_code", "remarks", "person_in_charge", "months")


#: The columns a line edit writes.
LINE_EDIT_COLUMNS = ("cost", "cost_state", "budget_code", "remarks", "person_in_charge", "schedule_mask")


def update_line(
    line: m.SubActivity,
    change: LineChange,
    actor: Any,
    *,
    source: Source = Source.FORM,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Save a line's editable fields, recording ``changed`` (and ``line_cost_changed`` when the cost
    changed). Only a draft plan's lines change. Returns the changed fields' new values (empty when
    nothing changed, in which case nothing is written).

    ``expected_version`` (else ``change.base_version``) is the line's version the editor read (the
    edit form carries it): when someone saved the line since, nothing is written and
    :class:`EditConflict` shows what they saved. Without either (a caller that read the line just
    now) the save is not checked. Text longer
    than its limit is refused naming the field (:mod:`renaksi.planning.limits`). ``actor`` must
    hold :attr:`Action.EDIT` in the plan's agency; an approved plan is changed only through a
    revision (:func:`renaksi.planning.workflow.open_revision`)."""
    require(actor, Action.EDIT, line.plan.agency_id)
    with transaction.atomic():
        plan = locked_plan(line.plan)
        if not lines_editable(plan.status):
            raise WorkflowError(not_draft_message(plan))
        lines = m.SubActivity.objects.of_plan(plan)
        current = lines.select_for_update().get(pk=line.pk)
        try:
            check_line_texts(change, stored=current)
        except TextTooLong as error:
            raise WorkflowError(str(error)) from None
        before_all = _edit_values(current)
        current.cost = change.cost
        current.cost_state = change.cost_state
        current.budget_code = change.budget_code
        current.remarks = change.remarks
        current.person_in_charge = change.person_in_charge
        current.schedule_mask = Schedule.from_months(change.months).mask
        after_all = _edit_values(current)
        before, after = changed_fields(before_all, after_all)
        if not after:
            return {}  # what this person saves is stored already, whoever saved it
        if expected_version is None:
            expected_version = change.base_version
        base = current.version if expected_version is None else expected_version
        try:
            update_versioned(lines, current, base, LINE_EDIT_COLUMNS)
        except StaleVersion as stale:
            raise _line_conflict(before, stale.current) from None
        common = {"source": source, "agency": plan.agency, "actor": actor, "plan": plan, "obj": current}
        record_event(event=Event.CHANGED, before=before, after=after, **common)
        if "cost" in after:
            record_event(
                event=Event.LINE_COST_CHANGED,
                before={"cost": before["cost"], "cost_state": before_all["cost_state"]},
                after={"cost": after["cost"], "cost_state": after_all["cost_state"]},
                **common,
            )
    return after


def _line_conflict(stored: dict[str, Any], version: int | None) -> EditConflict:
    """The answer to a stale save: the stored values of the fields it would have changed."""
    shown = "; ".join(
        f"{LINE_FIELD_LABELS[name]}: {_shown_value(name, value)}"
        for name, value in stored.items()
        if not (name == "cost_state" and "cost" in stored)  # the cost says it
    )
    return EditConflict(
        _(
            "Baris ini sudah diubah orang lain sejak Anda membukanya, sehingga perubahan Anda tidak "
            "disimpan. Yang tersimpan sekarang: %(stored)s. Muat ulang halaman ini untuk melihatnya, "
            "lalu ulangi perubahan Anda bila masih perlu."
        )
        % {"stored": shown},
        stored,
        version,
    )


#: How a conflict names each field of a line edit.
LINE_FIELD_LABELS: dict[str, Any] = {
    "cost": _("Perkiraan biaya"),
    "cost_state": _("Perkiraan biaya"),
    "budget_code": _("Akun"),
    "remarks": _("Keterangan"),
    "person_in_charge": _("Penanggung jawab"),
    "months": _("Rencana pelaksanaan"),
}


def _shown_value(name: str, value: Any) -> str:
    if name == "cost":
        return format_rupiah(value) if value is not None else "-"
    if name == "months":
        return ", ".join(MONTH_NAMES_ID[month - 1] for month in value) if value else "-"
    if name == "cost_state":
        return str(_("tanpa biaya (-)")) if value == CostState.NONE.value else "-"
    text = str(value) if value else "-"
    return f"\u201c{text}\u201d" if value else text


def _edit_values(line: m.SubActivity) -> dict[str, Any]:
    values = history_values(line)
    return {name: values[name] for name in LINE_EDIT_FIELDS}


def cost_state_for(cost: int | None, text: str) -> str:
    """The cost state a typed cost means: an amount, an explicit "-" (no cost), or nothing."""
    if cost is not None:
        return CostState.AMOUNT.value
    return CostState.NONE.value if text.strip() else CostState.ABSENT.value


def months_of(values: Iterable[str | int]) -> tuple[int, ...]:
    months = sorted({int(value) for value in values})
    return tuple(month for month in months if 1 <= month <= 12)


def not_draft_message(plan: m.Plan) -> str:
    """Why a plan that is not a draft cannot be changed, and what to do instead."""
    if plan.status == m.Plan.Status.APPROVED:
        return str(
            _(
                "Rencana ini sudah disetujui dan tidak dapat diubah. Buka revisi (versi baru) "
                "dengan alasannya untuk mengubahnya."
            )
        )
    return str(_("Hanya rencana berstatus draf yang dapat diubah. Tarik kembali pengajuannya lebih dahulu."))
