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

from renaksi.core.plan_tree import CostState
from renaksi.core.schedule import Schedule
from renaksi.history import Event, Source, changed_fields, record_event
from renaksi.planning import models as m
from renaksi.planning.services import history_values

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


def _locked(plan: m.Plan) -> m.Plan:
    return (
        m.Plan.objects.system("workflow: the caller was allowed to change this plan")
        .select_for_update()
        .select_related("agency")
        .get(pk=plan.pk)
    )


def _transition(plan: m.Plan, action: str, actor: Any, source: Source, note: str = "") -> m.Plan:
    _starts, end, event = TRANSITIONS[action]
    with transaction.atomic():
        current = _locked(plan)
        if not may(action, current.status):
            raise WorkflowError(
                _("Rencana berstatus %(status)s; tindakan ini tidak dapat dilakukan.")
                % {"status": current.get_status_display()}
            )
        before = {"status": current.status}
        current.status = end
        current.save(update_fields=["status", "updated_at"])
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
    plan.status = current.status
    return current


def submit_plan(plan: m.Plan, actor: Any, *, source: Source = Source.FORM) -> m.Plan:
    """Draft -> submitted (diajukan)."""
    return _transition(plan, "submit", actor, source)


def approve_plan(plan: m.Plan, actor: Any, *, source: Source = Source.FORM) -> m.Plan:
    """Submitted -> approved (disetujui)."""
    return _transition(plan, "approve", actor, source)


def return_plan(plan: m.Plan, actor: Any, reason: str, *, source: Source = Source.FORM) -> m.Plan:
    """Submitted or approved -> draft, with the reason kept in the history record."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Alasan pengembalian wajib diisi."))
    return _transition(plan, "return", actor, source, note=reason)


@dataclass(frozen=True)
class LineChange:
    cost: int | None
    cost_state: str
    budget_code: str
    remarks: str
    person_in_charge: str
    months: tuple[int, ...]


#: The fields of a line that the edit form changes, as recorded in history.
LINE_EDIT_FIELDS = ("cost", "cost_state", "budget_code", "remarks", "person_in_charge", "months")


def update_line(
    line: m.SubActivity, change: LineChange, actor: Any, *, source: Source = Source.FORM
) -> dict[str, Any]:
    """Save a line's editable fields, recording ``changed`` (and ``line_cost_changed`` when the cost
    changed). Only a draft plan's lines change. Returns the changed fields' new values (empty when
    nothing changed, in which case nothing is written)."""
    with transaction.atomic():
        plan = _locked(line.plan)
        if not lines_editable(plan.status):
            raise WorkflowError(_("Hanya rencana berstatus draf yang dapat diubah."))
        current = m.SubActivity.objects.of_plan(plan).select_for_update().get(pk=line.pk)
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
            return {}
        current.save(
            update_fields=[
                "cost",
                "cost_state",
                "budget_code",
                "remarks",
                "person_in_charge",
                "schedule_mask",
            ]
        )
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
