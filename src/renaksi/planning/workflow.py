"""Form writes on a plan: the approval workflow and the edit of one line.

Each change is made and recorded in history in one transaction, with the plan row locked so two
people pressing the same button at once cannot both move it. The caller (a view) has already
checked, through :mod:`renaksi.access`, that the user may do this to this plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState
from renaksi.core.schedule import MONTH_NAMES_ID, Schedule
from renaksi.history import Event, Source, changed_fields, record_event
from renaksi.planning import models as m
from renaksi.planning.limits import TextTooLong, check_line_texts
from renaksi.planning.services import history_values
from renaksi.versioning import StaleVersion, update_versioned

Status = m.Plan.Status

#: action -> (statuses it may start from, status it ends in, named event)
TRANSITIONS: dict[str, tuple[frozenset[str], str, Event]] = {
    "submit": (frozenset({Status.DRAFT}), Status.SUBMITTED, Event.PLAN_SUBMITTED),
    "approve": (frozenset({Status.SUBMITTED}), Status.APPROVED, Event.PLAN_APPROVED),
    "return": (frozenset({Status.SUBMITTED, Status.APPROVED}), Status.DRAFT, Event.PLAN_RETURNED),
}


def may(action: str, status: str) -> bool:
    """Whether a plan in ``status`` may take ``action`` (``submit``, ``approve``, ``return``)."""
    return status in TRANSITIONS[action][0]


def lines_editable(status: str) -> bool:
    """Only a draft plan's lines change; a submitted or approved plan is returned to draft first."""
    return status == Status.DRAFT


class WorkflowError(Exception):
    """A change the plan's current state does not allow (the message is for the user)."""


class EditConflict(WorkflowError):
    """Someone else saved the object since this person opened it: nothing was saved, and the
    message shows what is stored now (``current``: the stored values of the fields this save
    would have changed, as history records them; ``version``: the stored version)."""

    def __init__(self, message: str, current: dict[str, Any], version: int | None) -> None:
        super().__init__(message)
        self.current, self.version = current, version


def _locked(plan: m.Plan) -> m.Plan:
    return (
        m.Plan.objects.system("workflow: the caller was allowed to change this plan")
        .select_for_update()
        .select_related("agency")
        .get(pk=plan.pk)
    )


def _transition(
    plan: m.Plan, action: str, actor: Any, source: Source, note: str = "", expected_version: int | None = None
) -> m.Plan:
    _starts, end, event = TRANSITIONS[action]
    with transaction.atomic():
        current = _locked(plan)
        if not may(action, current.status):
            raise WorkflowError(
                _("Rencana berstatus %(status)s; tindakan ini tidak dapat dilakukan.")
                % {"status": current.get_status_display()}
            )
        if expected_version is not None and expected_version != current.version:
            raise EditConflict(
                str(
                    _("Rencana ini sudah berubah sejak Anda membukanya; muat ulang halamannya, lalu ulangi.")
                ),
                {"status": current.status},
                current.version,
            )
        before = {"status": current.status}
        current.status = end
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
        record_event(
            event=event,
            source=source,
            agency=current.agency,
            actor=actor,
            plan=current,
            obj=current,
            before=before,
            after={"status": current.status},
            note=note,
        )
    plan.status, plan.version = current.status, current.version
    return current


# Each step moves the plan's version on; given the version the person's page showed
# (``expected_version``), a step on a plan that changed since is refused (EditConflict).


def submit_plan(
    plan: m.Plan, actor: Any, *, source: Source = Source.FORM, expected_version: int | None = None
) -> m.Plan:
    """Draft -> submitted (diajukan)."""
    return _transition(plan, "submit", actor, source, expected_version=expected_version)


def approve_plan(
    plan: m.Plan, actor: Any, *, source: Source = Source.FORM, expected_version: int | None = None
) -> m.Plan:
    """Submitted -> approved (disetujui)."""
    return _transition(plan, "approve", actor, source, expected_version=expected_version)


def return_plan(
    plan: m.Plan,
    actor: Any,
    reason: str,
    *,
    source: Source = Source.FORM,
    expected_version: int | None = None,
) -> m.Plan:
    """Submitted or approved -> draft, with the reason kept in the history record."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Alasan pengembalian wajib diisi."))
    return _transition(plan, "return", actor, source, note=reason, expected_version=expected_version)


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
    than its limit is refused naming the field (:mod:`renaksi.planning.limits`)."""
    with transaction.atomic():
        plan = _locked(line.plan)
        if not lines_editable(plan.status):
            raise WorkflowError(_("Hanya rencana berstatus draf yang dapat diubah."))
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
