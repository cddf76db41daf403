"""What every workflow write shares: its errors, the locked plan row, and whether lines change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renaksi.planning import models as m
from renaksi.planning.services import PlanExistsError

Status = m.Plan.Status


class WorkflowError(Exception):
    """A change the plan's current state does not allow (the message is for the user)."""


class EditConflict(WorkflowError):
    """Someone else saved the object since this person opened it: nothing was saved, and the
    message shows what is stored now (``current``: the stored values of the fields this save
    would have changed, as history records them; ``version``: the stored version)."""

    def __init__(self, message: str, current: dict[str, Any], version: int | None) -> None:
        super().__init__(message)
        self.current, self.version = current, version


def lines_editable(status: str) -> bool:
    """Only a draft plan's lines change: a submitted plan is withdrawn or returned first, an
    approved one gets a revision (a new version) first."""
    return status == Status.DRAFT


def locked_plan(plan: m.Plan) -> m.Plan:
    """The plan's row, locked until the caller's transaction ends."""
    return (
        m.Plan.objects.system("workflow: the caller was allowed to change this plan")
        .select_for_update()
        .select_related("agency")
        .get(pk=plan.pk)
    )


def refuse_if_approved(plan: m.Plan) -> None:
    """Every write path's guard (line form, structure editor, file import, ``renaksi import
    --replace``): an approved version is never changed; a revision is opened for that."""
    if plan.status == Status.APPROVED:
        raise PlanApprovedError(plan)


class PlanApprovedError(WorkflowError, PlanExistsError):
    """The plan's current version is approved, so nothing may change it (open a revision). A
    :class:`PlanExistsError` too: the plan in the way of an import cannot be replaced."""

    def __init__(self, plan: m.Plan) -> None:
        self.plan = plan
        Exception.__init__(
            self,
            _(
                "%(plan)s sudah disetujui (versi yang disetujui tidak dapat diubah); buka revisi "
                "dengan alasannya untuk mengubahnya."
            )
            % {"plan": plan},
        )
