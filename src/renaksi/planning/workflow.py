"""The approval workflow of a plan and its versions.

draft -> submitted (ajukan) -> approved (setujui); a submitted plan goes back to draft when
whoever may submit withdraws it (tarik kembali) or an approver returns it with a reason
(kembalikan); an approved plan changes only through a revision (buka revisi), which keeps the
approved version frozen (:class:`~renaksi.planning.models.PlanVersion`) and makes the plan's rows
the draft of the next version.

Who may: submitting, withdrawing and opening a revision take :attr:`Action.SUBMIT` (agency admin,
planner); approving and returning take :attr:`Action.APPROVE` (approver). Nobody approves a
version they submitted themselves, whatever their roles, a site admin included: an agency admin
or site admin who submitted must leave the approval to someone else. Submitting is refused
while the plan check (:mod:`renaksi.core.lint`) finds an error or a program goal is still
flagged for review; its warnings must be acknowledged.

Each step checks the permission first, then runs in one transaction with the plan row locked,
so two people pressing buttons at once cannot both move it, and records one history event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from renaksi.access import Action, require
from renaksi.core.lint import ERROR, WARNING, Finding, lint
from renaksi.history import Event, Source, record_event
from renaksi.planning import models as m
from renaksi.planning.line_edit import (  # noqa: F401  (the line edit's names, as before)
    LINE_EDIT_COLUMNS,
    LINE_EDIT_FIELDS,
    LINE_FIELD_LABELS,
    LineChange,
    cost_state_for,
    months_of,
    not_draft_message,
    update_line,
)
from renaksi.planning.services import load_tree
from renaksi.planning.versions import person_name, snapshot_text
from renaksi.planning.workflow_base import (  # noqa: F401
    EditConflict,
    Status,
    WorkflowError,
    lines_editable,
    locked_plan,
)

#: action -> (statuses it may start from, status it ends in, the permission it takes)
TRANSITIONS: dict[str, tuple[frozenset[str], str, Action]] = {
    "submit": (frozenset({Status.DRAFT}), Status.SUBMITTED, Action.SUBMIT),
    "withdraw": (frozenset({Status.SUBMITTED}), Status.DRAFT, Action.SUBMIT),
    "approve": (frozenset({Status.SUBMITTED}), Status.APPROVED, Action.APPROVE),
    "return": (frozenset({Status.SUBMITTED}), Status.DRAFT, Action.APPROVE),
    "revise": (frozenset({Status.APPROVED}), Status.DRAFT, Action.SUBMIT),
}


def may(action: str, status: str) -> bool:
    """Whether a plan in ``status`` may take ``action`` (a key of :data:`TRANSITIONS`)."""
    return status in TRANSITIONS[action][0]


@dataclass(frozen=True)
class SubmitCheck:
    """What stands between a draft and its submission: errors and review flags refuse it,
    warnings must be acknowledged."""

    errors: list[Finding]
    warnings: list[Finding]
    review_flags: list[str]  # the flagged program goals' texts

    @property
    def blocked(self) -> bool:
        return bool(self.errors or self.review_flags)


def submit_check(plan: m.Plan) -> SubmitCheck:
    """The plan check run on the plan's rows, and its program goals still flagged for review."""
    tree = load_tree(plan)
    findings = lint(tree)
    return SubmitCheck(
        errors=[finding for finding in findings if finding.severity == ERROR],
        warnings=[finding for finding in findings if finding.severity == WARNING],
        review_flags=[pg.text for pg in tree.program_goals() if pg.needs_review],
    )


def _refuse_unchecked(check: SubmitCheck, acknowledge_warnings: bool) -> None:
    if check.errors:
        count = len(check.errors)
        raise WorkflowError(
            ngettext(
                "Rencana belum dapat diajukan: pemeriksaan menemukan %(count)d kesalahan. Perbaiki dahulu.",
                "Rencana belum dapat diajukan: pemeriksaan menemukan %(count)d kesalahan. Perbaiki dahulu.",
                count,
            )
            % {"count": count}
        )
    if check.review_flags:
        raise WorkflowError(
            _("Rencana belum dapat diajukan: sasaran program berikut masih perlu ditinjau: %(goals)s.")
            % {"goals": "; ".join(check.review_flags)}
        )
    if check.warnings and not acknowledge_warnings:
        count = len(check.warnings)
        raise WorkflowError(
            ngettext(
                "Pemeriksaan menemukan %(count)d peringatan. Centang bahwa Anda sudah membacanya, "
                "lalu ajukan lagi.",
                "Pemeriksaan menemukan %(count)d peringatan. Centang bahwa Anda sudah membacanya, "
                "lalu ajukan lagi.",
                count,
            )
            % {"count": count}
        )


def _user_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _stored_current_version(plan: m.Plan) -> m.PlanVersion:
    """The stored row of the plan's current version, made (version 1) when there is none (a plan
    that never took a step); only inside :func:`_step`, the permission checked and the plan locked."""
    row = m.PlanVersion.objects.of_plan(plan).order_by("-number").first()
    if row is None:
        row = m.PlanVersion.objects.create(plan=plan, number=1, status=plan.status)
    return row


def _step(
    plan: m.Plan,
    action: str,
    actor: Any,
    source: Source,
    *,
    event: Event,
    note: str = "",
    expected_version: int | None = None,
    acknowledge_warnings: bool = False,
) -> m.Plan:
    starts, end, permission = TRANSITIONS[action]
    require(actor, permission, plan.agency_id)
    with transaction.atomic():
        current = locked_plan(plan)
        if current.status not in starts:
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
        if action == "submit":
            _refuse_unchecked(submit_check(current), acknowledge_warnings)
        version = _stored_current_version(current)
        now, name, user_id = timezone.now(), person_name(actor), _user_id(actor)
        before: dict[str, Any] = {"status": current.status}
        after: dict[str, Any] = {"status": end}
        if action == "submit":
            version.submitted_by_id, version.submitted_by_name, version.submitted_at = user_id, name, now
        elif action == "approve":
            if user_id is not None and user_id == version.submitted_by_id:
                raise WorkflowError(
                    _(
                        "Anda sendiri yang mengajukan versi ini, sehingga tidak dapat menyetujuinya "
                        "(juga sebagai admin satker atau admin situs). Persetujuan diberikan oleh "
                        "penyetuju lain."
                    )
                )
            version.approved_by_id, version.approved_by_name, version.approved_at = user_id, name, now
            version.snapshot = snapshot_text(current)
        elif action in ("withdraw", "return"):
            version.submitted_by_id, version.submitted_by_name, version.submitted_at = None, "", None
        if action == "revise":
            if not version.snapshot:  # approved before versions were kept: its rows are still it
                version.snapshot = snapshot_text(current)
            version.save()
            version = m.PlanVersion(
                plan=current,
                number=version.number + 1,
                reason=note,
                opened_by_id=user_id,
                opened_by_name=name,
                opened_at=now,
            )
            before["version_number"], after["version_number"] = version.number - 1, version.number
        version.status = end
        version.save()
        current.status, current.version_number = end, version.number
        current.version += 1
        current.save(update_fields=["status", "version", "version_number", "updated_at"])
        record_event(
            event=event,
            source=source,
            agency=current.agency,
            actor=actor,
            plan=current,
            obj=current,
            before=before,
            after=after,
            note=note,
        )
    plan.status, plan.version, plan.version_number = current.status, current.version, current.version_number
    return current


# Each step moves the plan's version column on; given the version the person's page showed
# (``expected_version``), a step on a plan that changed since is refused (EditConflict).


def submit_plan(
    plan: m.Plan,
    actor: Any,
    *,
    acknowledge_warnings: bool = False,
    source: Source = Source.FORM,
    expected_version: int | None = None,
) -> m.Plan:
    """Draft -> submitted (diajukan); refused while the plan check finds an error or a program
    goal is flagged for review, and while its warnings are not acknowledged."""
    return _step(
        plan,
        "submit",
        actor,
        source,
        event=Event.PLAN_SUBMITTED,
        expected_version=expected_version,
        acknowledge_warnings=acknowledge_warnings,
    )


def withdraw_plan(
    plan: m.Plan, actor: Any, *, source: Source = Source.FORM, expected_version: int | None = None
) -> m.Plan:
    """Submitted -> draft, by whoever may submit (the submitter or a colleague planner)."""
    return _step(
        plan,
        "withdraw",
        actor,
        source,
        event=Event.PLAN_RETURNED,
        note=str(_("Pengajuan ditarik kembali.")),
        expected_version=expected_version,
    )


def approve_plan(
    plan: m.Plan, actor: Any, *, source: Source = Source.FORM, expected_version: int | None = None
) -> m.Plan:
    """Submitted -> approved (disetujui), by an approver who did not submit this version; the
    version is frozen as approved."""
    return _step(plan, "approve", actor, source, event=Event.PLAN_APPROVED, expected_version=expected_version)


def _reason(reason: str, message: Any) -> str:
    reason = reason.strip()
    if not reason:
        raise WorkflowError(message)
    return reason


def return_plan(
    plan: m.Plan,
    actor: Any,
    reason: str,
    *,
    source: Source = Source.FORM,
    expected_version: int | None = None,
) -> m.Plan:
    """Submitted -> draft, with the reason kept in the history record."""
    reason = _reason(reason, _("Alasan pengembalian wajib diisi."))
    return _step(
        plan,
        "return",
        actor,
        source,
        event=Event.PLAN_RETURNED,
        note=reason,
        expected_version=expected_version,
    )


def open_revision(
    plan: m.Plan,
    actor: Any,
    reason: str,
    *,
    source: Source = Source.FORM,
    expected_version: int | None = None,
) -> m.Plan:
    """Approved -> a new version (N+1) as a draft, with its reason (e.g. "Revisi Anggaran"); the
    approved version stays as it was approved."""
    reason = _reason(reason, _("Alasan revisi wajib diisi."))
    return _step(
        plan,
        "revise",
        actor,
        source,
        event=Event.PLAN_CHANGED,
        note=reason,
        expected_version=expected_version,
    )
