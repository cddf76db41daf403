"""Writes on a plan's ceilings (pagu) and hand-entered disbursement rows (RPD).

Every write takes the acting user and checks the permission itself first
(:func:`renaksi.access.require`, EDIT on the plan's agency), refuses an approved plan, is atomic,
and records one history record per saved object, with names (the code and its description, the
line's name), only what changed, and none for a save that changes nothing. Objects people edit
carry a version: a stale save is refused showing what the other person saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from renaksi.access import Action, require
from renaksi.budget.ceiling_import import CeilingImportPreview, CeilingRow
from renaksi.budget.models import Ceiling, LineDisbursement
from renaksi.core.budget_codes import BudgetCodeError
from renaksi.core.ceilings import parse_ceiling_code
from renaksi.core.disbursement import check_manual_row
from renaksi.core.money import MAX_AMOUNT, format_rupiah
from renaksi.history import Event, EventRows, Source, changed_fields, record_event
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.workflow_base import PlanApprovedError, refuse_if_approved
from renaksi.versioning import StaleVersion, update_versioned

__all__ = [
    "BudgetError",
    "EditConflict",
    "commit_ceiling_import",
    "delete_ceiling",
    "save_ceiling",
    "save_line_disbursement",
]

DESCRIPTION_MAX = 500


class BudgetError(Exception):
    """A write the plan or the input does not allow; the message is for the user."""


class EditConflict(BudgetError):
    """Someone else saved the object since this person opened it; ``current`` is what is stored."""

    def __init__(self, message: str, current: dict[str, Any] | None) -> None:
        super().__init__(message)
        self.current = current


def _writable_plan(plan: Plan, actor: Any) -> Plan:
    """The plan, locked, after the permission check and the approved-plan refusal."""
    require(actor, Action.EDIT, plan.agency_id)
    current = (
        Plan.objects.system("budget: the actor may edit this plan (checked above)")
        .select_for_update()
        .select_related("agency")
        .get(pk=plan.pk)
    )
    try:
        refuse_if_approved(current)  # the one guard of every write path (planning.workflow_base)
    except PlanApprovedError as error:
        raise BudgetError(str(error)) from None
    return current


def _ceiling_values(ceiling: Ceiling) -> dict[str, Any]:
    return {"code": ceiling.code, "description": ceiling.description, "ceiling": ceiling.amount}


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
        raise BudgetError(_("Pagu harus berupa jumlah Rupiah bulat yang tidak negatif."))


def canonical_ceiling_code(text: str) -> str:
    """The canonical code of a ceiling, or :class:`BudgetError` saying what is wrong with it."""
    try:
        return parse_ceiling_code(text).canonical
    except BudgetCodeError as error:
        raise BudgetError(_("Kode: %(reason)s") % {"reason": error.detail.render(_)}) from None


def _ceiling_conflict(stored: Ceiling | None) -> EditConflict:
    if stored is None:
        return EditConflict(
            _("Pagu ini sudah dihapus orang lain sejak Anda membukanya; perubahan Anda tidak disimpan."), None
        )
    return EditConflict(
        _(
            "Pagu %(code)s sudah diubah orang lain sejak Anda membukanya, sehingga perubahan Anda tidak "
            "disimpan. Yang tersimpan sekarang: %(amount)s (%(description)s)."
        )
        % {
            "code": stored.code,
            "amount": format_rupiah(stored.amount),
            "description": stored.description or "—",
        },
        _ceiling_values(stored),
    )


def save_ceiling(
    plan: Plan,
    actor: Any,
    *,
    code: str,
    amount: int,
    description: str = "",
    ceiling_id: int | None = None,
    expected_version: int | None = None,
    source: Source = Source.FORM,
) -> Ceiling | None:
    """Add a ceiling (``ceiling_id`` None) or change one; returns it, or ``None`` when nothing
    changed. Adding a code that has a ceiling already is a conflict showing the stored one."""
    with transaction.atomic():
        plan = _writable_plan(plan, actor)
        canonical = canonical_ceiling_code(code)
        _check_amount(amount)
        description = " ".join(description.split())
        if len(description) > DESCRIPTION_MAX:
            raise BudgetError(_("Uraian lebih dari %(max)s karakter.") % {"max": DESCRIPTION_MAX})
        ceilings = Ceiling.objects.of_plan(plan)
        if ceiling_id is None:
            stored = ceilings.filter(code=canonical).first()
            if stored is not None:
                raise _ceiling_conflict(stored)
            ceiling = Ceiling.objects.create(
                plan=plan, code=canonical, description=description, amount=amount
            )
            record_event(
                event=Event.CREATED,
                source=source,
                agency=plan.agency,
                actor=actor,
                plan=plan,
                obj=ceiling,
                after=_ceiling_values(ceiling),
            )
            return ceiling
        current = ceilings.select_for_update().filter(pk=ceiling_id).first()
        if current is None:
            raise _ceiling_conflict(None)
        if canonical != current.code and ceilings.filter(code=canonical).exists():
            raise _ceiling_conflict(ceilings.get(code=canonical))
        before_all = _ceiling_values(current)
        current.code, current.description, current.amount = canonical, description, amount
        before, after = changed_fields(before_all, _ceiling_values(current))
        if not after:
            return None
        base = current.version if expected_version is None else expected_version
        try:
            update_versioned(ceilings, current, base, ("code", "description", "amount"))
        except StaleVersion:
            raise _ceiling_conflict(ceilings.filter(pk=ceiling_id).first()) from None
        record_event(
            event=Event.CHANGED,
            source=source,
            agency=plan.agency,
            actor=actor,
            plan=plan,
            obj=current,
            before=before,
            after=after,
        )
        return current


def delete_ceiling(plan: Plan, actor: Any, ceiling_id: int, expected_version: int | None = None) -> None:
    """Remove one ceiling (refused, showing the stored value, when it changed since it was read)."""
    with transaction.atomic():
        plan = _writable_plan(plan, actor)
        ceilings = Ceiling.objects.of_plan(plan)
        current = ceilings.select_for_update().filter(pk=ceiling_id).first()
        if current is None or (expected_version is not None and current.version != expected_version):
            raise _ceiling_conflict(current)
        record_event(
            event=Event.DELETED,
            source=Source.FORM,
            agency=plan.agency,
            actor=actor,
            plan=plan,
            obj=current,
            before=_ceiling_values(current),
        )
        current.delete()


def ceiling_fingerprint(plan: Plan) -> list[list[Any]]:
    """The plan's stored ceilings as a preview saw them: an import commits only onto these."""
    return [
        [code, description, amount]
        for code, description, amount in Ceiling.objects.of_plan(plan)
        .order_by("code")
        .values_list("code", "description", "amount")
    ]


def commit_ceiling_import(
    plan: Plan, actor: Any, rows: Sequence[CeilingRow], seen: list[list[Any]]
) -> CeilingImportPreview:
    """Make the plan's ceilings exactly the file's rows (added, changed, removed), all or nothing.
    ``seen`` is :func:`ceiling_fingerprint` at preview time: when the ceilings changed since, the
    import is refused (preview it again) rather than undoing someone's edit unseen."""
    with transaction.atomic():
        plan = _writable_plan(plan, actor)
        if ceiling_fingerprint(plan) != seen:
            raise BudgetError(
                _("Pagu rencana ini diubah orang lain sejak pratinjau dibuat; unggah berkasnya lagi.")
            )
        ceilings = Ceiling.objects.of_plan(plan)
        stored = {ceiling.code: ceiling for ceiling in ceilings.select_for_update()}
        preview = CeilingImportPreview.of(
            rows, {code: (c.description, c.amount) for code, c in stored.items()}
        )
        if preview.errors:
            raise BudgetError(_("Berkas pagu berisi kesalahan; tidak ada yang disimpan."))
        history = EventRows(source=Source.IMPORT, agency=plan.agency, actor=actor, plan=plan)
        for change in preview.removed:
            ceiling = stored[change.code]
            history.add_object(Event.DELETED, ceiling, before=_ceiling_values(ceiling))
            ceiling.delete()
        for change in preview.changed:
            ceiling = stored[change.code]
            before_all = _ceiling_values(ceiling)
            ceiling.description, ceiling.amount = change.description, change.amount
            update_versioned(ceilings, ceiling, ceiling.version, ("description", "amount"))
            before, after = changed_fields(before_all, _ceiling_values(ceiling))
            history.add_object(Event.CHANGED, ceiling, before=before, after=after)
        for change in preview.added:
            ceiling = Ceiling.objects.create(
                plan=plan, code=change.code, description=change.description, amount=change.amount
            )
            history.add_object(Event.CREATED, ceiling, after=_ceiling_values(ceiling))
        history.save()
    return preview


@dataclass(frozen=True)
class DisbursementSaved:
    changed: bool
    version: int | None  # the hand row's version now (None: the line is spread again)


def save_line_disbursement(
    plan: Plan,
    actor: Any,
    line_id: int,
    amounts: Sequence[int] | None,
    expected_version: int | None = None,
) -> DisbursementSaved:
    """Set a line's hand-entered RPD (twelve amounts summing to its cost), or with ``amounts``
    ``None`` drop it so the line is spread over its months again."""
    with transaction.atomic():
        plan = _writable_plan(plan, actor)
        line = SubActivity.objects.of_plan(plan).filter(pk=line_id).first()
        if line is None:
            raise BudgetError(_("Baris ini tidak ada di rencana ini."))
        rows = LineDisbursement.objects.of_plan(plan)
        current = rows.select_for_update().filter(line=line).first()
        if expected_version is not None and (current is None or current.version != expected_version):
            raise _disbursement_conflict(line, current)
        if expected_version is None and current is not None and amounts is not None:
            raise _disbursement_conflict(line, current)  # opened as "no hand row", one was saved since
        before = {"disbursement": list(current.amounts) if current is not None else None}
        common = {"source": Source.FORM, "agency": plan.agency, "actor": actor, "plan": plan}
        if amounts is None:
            if current is None:
                return DisbursementSaved(False, None)
            record_event(event=Event.DELETED, obj=current, before=before, **common)
            current.delete()
            return DisbursementSaved(True, None)
        values = list(amounts)
        problem = check_manual_row(line.cost, values)
        if problem is not None:
            raise BudgetError(
                _("RPD baris “%(line)s”: %(reason)s.") % {"line": line.name, "reason": problem.render(_)}
            )
        if current is None:
            created = LineDisbursement.objects.create(plan=plan, line=line, amounts=values)
            record_event(event=Event.CREATED, obj=created, after={"disbursement": values}, **common)
            return DisbursementSaved(True, created.version)
        if list(current.amounts) == values:
            return DisbursementSaved(False, current.version)
        current.amounts = values
        try:
            update_versioned(rows, current, current.version, ("amounts",))
        except StaleVersion:
            raise _disbursement_conflict(line, rows.filter(pk=current.pk).first()) from None
        record_event(
            event=Event.CHANGED, obj=current, before=before, after={"disbursement": values}, **common
        )
        return DisbursementSaved(True, current.version)


def _disbursement_conflict(line: SubActivity, stored: LineDisbursement | None) -> EditConflict:
    shown = (
        "; ".join(format_rupiah(amount) for amount in stored.amounts)
        if stored is not None
        else _("dibagi rata ke bulan pelaksanaannya")
    )
    return EditConflict(
        _(
            "RPD baris “%(line)s” sudah diubah orang lain sejak Anda membukanya, sehingga perubahan Anda "
            "tidak disimpan. Yang tersimpan sekarang: %(stored)s."
        )
        % {"line": line.name, "stored": shown},
        {"disbursement": list(stored.amounts) if stored is not None else None},
    )
