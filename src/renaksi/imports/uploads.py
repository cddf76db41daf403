"""Imports from the browser: an uploaded file kept privately, read (by a job in the worker when it
is big, :mod:`renaksi.imports.upload_jobs`), shown as a preview a person corrects, then committed
through :func:`commit_import` (by a job too when the plan is big).

Every write here takes the acting user and checks, through :mod:`renaksi.access`, that they may
edit the agency's plans; a caller that forgets cannot widen access. The file lives in the data
folder (``uploads/<id>/<name>``), never under a URL; the read preview (tree and report) lives
beside it as JSON, so showing the preview again never reads the file again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy

from renaksi.access import Action, require
from renaksi.agencies.models import Agency
from renaksi.core.corrections import (
    AttachProgramGoal,
    Correction,
    JoinLineToPrevious,
    MoveLine,
    NewGoalForProgramGoal,
    SetPolarity,
    apply_corrections,
    correction_from_dict,
    correction_to_dict,
)
from renaksi.core.grid import SourceError
from renaksi.core.import_report import ImportReport, plan_figures
from renaksi.core.messages import Message, gettext_noop, message_from_data, msg
from renaksi.core.plan_tree import PlanTree, Polarity
from renaksi.exports.collector import collector_paused
from renaksi.history import Source
from renaksi.imports.models import ImportRecord, PendingImport
from renaksi.imports.preview_store import report_from_data, report_to_data, tree_from_data, tree_to_data
from renaksi.imports.readers import MAX_SOURCE_BYTES
from renaksi.imports.services import (
    ImportPreview,
    check_year,
    commit_import,
    preview_import,
    preview_replace,
    replace_summary,
)
from renaksi.planning import workflow
from renaksi.planning.models import Plan
from renaksi.planning.services import existing_plan

logger = logging.getLogger(__name__)

PREVIEW_FILE = "preview.json"


class UploadRefused(Exception):
    """An upload or a commit that cannot go ahead; its text is a key of :data:`REFUSALS`."""


REFUSALS = {
    "not_ready": gettext_lazy("Berkas ini belum selesai dibaca."),
    "exists": gettext_lazy(
        "Rencana untuk tahun dan unit ini sudah ada. Centang “Ganti rencana yang sudah ada” untuk menggantinya."
    ),
    "not_draft": gettext_lazy(
        "Rencana yang ada sudah diajukan atau disetujui; tarik kembali pengajuannya atau buka revisi "
        "sebelum menggantinya."
    ),
}


def refusal_message(code: str) -> str:
    return str(REFUSALS.get(code, code))


def max_upload_bytes() -> int:
    return int(getattr(settings, "RENAKSI_MAX_IMPORT_BYTES", MAX_SOURCE_BYTES))


def _inline_bytes() -> int:
    """Files up to this size are read inside the request; bigger ones by a job."""
    return int(getattr(settings, "RENAKSI_IMPORT_INLINE_BYTES", 256 * 2**10))


def _expiry() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "RENAKSI_PENDING_IMPORT_HOURS", 24)))


def uploads_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _folder(pending: PendingImport) -> Path:
    return uploads_dir() / pending.pk.hex


def _require_editor(actor: Any, agency_id: int) -> None:
    require(actor, Action.EDIT, agency_id)


# --- upload and reading -------------------------------------------------------------------------


def start_pending_import(
    actor: Any, agency: Agency, upload: UploadedFile, *, year: int, replace: bool
) -> PendingImport:
    """Keep ``upload`` privately and read it: at once when it is small, else by a job in the
    worker (the pending import's status says when it is ready). Raises
    :class:`~renaksi.core.grid.SourceError` for a file over the size limit, before anything is
    kept, and :class:`~renaksi.jobs.services.TooManyJobs` (keeping nothing) when the user has
    too many jobs running."""
    _require_editor(actor, agency.pk)
    limit = max_upload_bytes()
    if upload.size is None or upload.size > limit:
        raise SourceError(  # as read_source words it
            f"the file is {upload.size or 0:,} bytes, over the limit of {limit:,} bytes; split the plan or ask "
            "an administrator to raise the limit"
        )
    expire_pending_imports()
    pending_id = uuid.uuid4()
    name = get_valid_filename(Path(upload.name or "rencana").name)[:120] or "rencana"
    folder = uploads_dir() / pending_id.hex
    folder.mkdir(mode=0o700)
    digest = hashlib.sha256()
    with (folder / name).open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    pending = PendingImport.objects.create(
        id=pending_id,
        agency=agency,
        uploaded_by=actor,
        filename=name,
        size=upload.size,
        sha256=digest.hexdigest(),
        stored_path=f"{pending_id.hex}/{name}",
        year=year,
        replace=replace,
    )
    if upload.size <= _inline_bytes():
        refusal = read_pending(pending.pk)
        if refusal is not None:
            _remove(pending)  # refused in the request: nothing of it is kept
            raise refusal
    else:
        from renaksi.imports.upload_jobs import start_reading

        try:
            start_reading(actor, pending)
        except Exception:
            _remove(pending)
            raise
    pending.refresh_from_db()
    return pending


@collector_paused()  # as the import's own services do (a million objects, no cycles)
def read_pending(pending_id: uuid.UUID) -> SourceError | None:
    """Read and recognize the kept file. A refusal is recorded on the pending import (as its
    message and place, so :func:`refusal_text` says it in any language) and returned, never
    raised, so a caller in a request can show it in the page's language."""
    pending = PendingImport.objects.system("reading an upload its user made").get(pk=pending_id)
    try:
        preview = preview_import(uploads_dir() / pending.stored_path)
        check_year(preview, pending.year)
    except SourceError as error:
        record_refusal(pending, error)
        return error
    except Exception:
        logger.exception("reading upload %s failed", pending_id)
        internal = SourceError(msg(gettext_noop("kesalahan internal; lihat log server")))
        record_refusal(pending, internal)
        return internal
    data = {"tree": tree_to_data(preview.tree), "report": report_to_data(preview.report)}
    (_folder(pending) / PREVIEW_FILE).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _update(pending_id, status=PendingImport.Status.READY)
    return None


def record_refusal(pending: PendingImport, error: SourceError) -> None:
    """A refused file is not kept; the row stays to say why, until it expires."""
    shutil.rmtree(_folder(pending), ignore_errors=True)
    stored = {"message": asdict(error.detail), "line": error.line, "column": error.column}
    _update(
        pending.pk,
        status=PendingImport.Status.FAILED,
        error=json.dumps(stored, ensure_ascii=False, default=str),
    )


def refusal_text(pending: PendingImport, translate: Callable[[str], str] | None = None) -> str:
    """Why the file was refused, in the language of ``translate`` (a row written before refusals
    were kept as messages holds the Indonesian text itself)."""
    try:
        stored = json.loads(pending.error)
        message = message_from_data(stored["message"])
    except (ValueError, TypeError, KeyError):
        return pending.error
    return SourceError(message, stored.get("line"), stored.get("column")).render(translate)


def _update(pending_id: uuid.UUID, **fields: object) -> None:
    PendingImport.objects.system("an upload being read").filter(pk=pending_id).update(
        updated_at=timezone.now(), **fields
    )


def is_stale(pending: PendingImport) -> bool:
    """Still reading, but its read job ended (a job that died records the refusal itself), or
    (an upload from before read jobs) long after it started."""
    if pending.status != PendingImport.Status.READING:
        return False
    from renaksi.imports.upload_jobs import latest_job
    from renaksi.jobs.models import Job
    from renaksi.jobs.services import mark_if_stale

    job = latest_job(pending, Job.Kind.IMPORT_READ)
    if job is None:
        return timezone.now() - pending.updated_at > dt.timedelta(minutes=15)
    mark_if_stale(job)
    return not job.is_active


def expire_pending_imports(now: dt.datetime | None = None) -> int:
    """Remove pending imports (and their files) older than the expiry; returns how many."""
    cutoff = (now or timezone.now()) - _expiry()
    old = list(PendingImport.objects.system("expiring old uploads").filter(created_at__lt=cutoff))
    for pending in old:
        _remove(pending)
    return len(old)


def _remove(pending: PendingImport) -> None:
    folder = _folder(pending)
    PendingImport.objects.system("removing an upload").filter(pk=pending.pk).delete()
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


def discard_pending(actor: Any, pending: PendingImport) -> None:
    _require_editor(actor, pending.agency_id)
    _remove(pending)


# --- the preview --------------------------------------------------------------------------------


@dataclass
class PendingPreview:
    """What a read upload holds: the importer's tree (which correction paths point into), the
    tree with the corrections applied, and the report."""

    tree: PlanTree
    corrected: PlanTree
    report: ImportReport
    corrections: list[Correction]


def load_preview(pending: PendingImport) -> PendingPreview:
    data = json.loads((_folder(pending) / PREVIEW_FILE).read_text(encoding="utf-8"))
    tree = tree_from_data(data["tree"])
    corrections = [correction_from_dict(item) for item in pending.corrections]
    return PendingPreview(
        tree, apply_corrections(tree, corrections), report_from_data(data["report"]), corrections
    )


def same_target(one: Correction, other: Correction) -> bool:
    """Two corrections of the same object: the later one replaces the earlier."""
    placing = (AttachProgramGoal, NewGoalForProgramGoal)
    if isinstance(one, placing) and isinstance(other, placing):
        return one.path == other.path
    return type(one) is type(other) and one.path == other.path


def set_correction(actor: Any, pending: PendingImport, correction: Correction) -> None:
    """Keep ``correction`` with the pending import (replacing an earlier one of the same object).
    Raises :class:`~renaksi.core.corrections.CorrectionError` when it does not fit the tree."""
    _require_editor(actor, pending.agency_id)
    with transaction.atomic():
        locked = PendingImport.objects.system("the caller may edit").select_for_update().get(pk=pending.pk)
        current = [correction_from_dict(item) for item in locked.corrections]
        kept = [item for item in current if not same_target(item, correction)] + [correction]
        apply_corrections(load_preview(locked).tree, kept)  # refuses what does not fit
        locked.corrections = [correction_to_dict(item) for item in kept]
        locked.save(update_fields=["corrections", "updated_at"])
    pending.corrections = locked.corrections


def drop_correction(actor: Any, pending: PendingImport, index: int) -> None:
    _require_editor(actor, pending.agency_id)
    with transaction.atomic():
        locked = PendingImport.objects.system("the caller may edit").select_for_update().get(pk=pending.pk)
        if 0 <= index < len(locked.corrections):
            del locked.corrections[index]
            locked.save(update_fields=["corrections", "updated_at"])
    pending.corrections = locked.corrections


def plan_in_the_way(pending: PendingImport, tree: PlanTree) -> Plan | None:
    """The plan the import would replace (same agency, year and signing unit), if there is one."""
    return existing_plan(pending.agency, pending.year, tree.signing_unit)


def replace_changes(pending: PendingImport, preview: PendingPreview) -> list[str] | None:
    """What saving the corrected preview over the plan in the way would add, change and remove
    (None when no plan is in the way). Writes nothing."""
    as_read = ImportPreview(pending.filename, pending.sha256, preview.corrected, preview.report)
    diff = preview_replace(as_read, pending.agency, pending.year)
    return None if diff is None else [str(line) for line in replace_summary(diff)]


def check_commit(actor: Any, pending: PendingImport, *, replace: bool) -> PendingPreview:
    """Refuse (:class:`UploadRefused`) a commit that cannot go ahead, before a job is queued for
    it and again when it runs; the preview it would save otherwise."""
    _require_editor(actor, pending.agency_id)
    if pending.status != PendingImport.Status.READY:
        raise UploadRefused("not_ready")
    preview = load_preview(pending)
    existing = plan_in_the_way(pending, preview.corrected)
    if existing is not None and not replace:
        raise UploadRefused("exists")
    if existing is not None and not workflow.lines_editable(existing.status):
        raise UploadRefused("not_draft")
    return preview


def line_count(tree: PlanTree) -> int:
    return sum(
        len(indicator.lines)
        for goal in tree.goals
        for program_goal in goal.program_goals
        for indicator in program_goal.indicators
    )


@collector_paused()
def commit_pending(actor: Any, pending: PendingImport, *, replace: bool) -> tuple[Plan, ImportRecord]:
    """Write the corrected plan and its import record, all or nothing, then drop the upload.
    Raises :class:`UploadRefused` when a plan is in the way (and ``replace`` is not given, or it
    is not a draft); :class:`~renaksi.planning.services.PlanExistsError` if one appeared since."""
    preview = check_commit(actor, pending, replace=replace)
    report = preview.report
    report.notes.extend(_correction_notes(preview.tree, preview.corrections))
    report.figures = plan_figures(preview.corrected)
    with transaction.atomic():
        plan, record = commit_import(
            ImportPreview(pending.filename, pending.sha256, preview.corrected, report),
            pending.agency,
            pending.year,
            replace=replace,
            via="web",
            actor=actor,
            source=Source.IMPORT,
        )
        _remove(pending)
    return plan, record


def _correction_notes(tree: PlanTree, corrections: Iterable[Correction]) -> list[Message]:
    """What the person corrected, in the report's own words (like the reader's notes)."""
    notes = []
    for correction in corrections:
        if isinstance(correction, MoveLine):
            g, p, i, n = correction.path
            line = tree.goals[g].program_goals[p].indicators[i].lines[n]
            target = tree.goals[correction.to[0]].program_goals[correction.to[1]].indicators[correction.to[2]]
            notes.append(
                msg(
                    gettext_noop(
                        "dikoreksi di pratinjau: rencana kegiatan {line!r} dipindahkan ke indikator {indicator!r}"
                    ),
                    line=line.name,
                    indicator=target.text,
                )
            )
            continue
        if isinstance(correction, JoinLineToPrevious):
            g, p, i, n = correction.path
            line = tree.goals[g].program_goals[p].indicators[i].lines[n]
            notes.append(
                msg(
                    gettext_noop(
                        "dikoreksi di pratinjau: rencana kegiatan {line!r} digabung ke baris di atasnya"
                    ),
                    line=line.name,
                )
            )
            continue
        if isinstance(correction, SetPolarity):
            g, p, i = correction.path
            indicator = tree.goals[g].program_goals[p].indicators[i]
            template = (
                gettext_noop("dikoreksi di pratinjau: indikator {indicator!r} makin rendah makin baik")
                if correction.polarity is Polarity.LOWER_IS_BETTER
                else gettext_noop("dikoreksi di pratinjau: indikator {indicator!r} makin tinggi makin baik")
            )
            notes.append(msg(template, indicator=indicator.text))
            continue
        program_goal = tree.goals[correction.path[0]].program_goals[correction.path[1]]
        if isinstance(correction, AttachProgramGoal):
            notes.append(
                msg(
                    gettext_noop(
                        "dikoreksi di pratinjau: sasaran program {program_goal!r} ditempatkan di bawah sasaran "
                        "strategis {number}"
                    ),
                    program_goal=program_goal.text,
                    number=tree.goals[correction.goal].number,
                )
            )
        else:
            notes.append(
                msg(
                    gettext_noop(
                        "dikoreksi di pratinjau: sasaran program {program_goal!r} ditempatkan di bawah sasaran "
                        "strategis baru {number} {text!r}"
                    ),
                    program_goal=program_goal.text,
                    number=correction.number,
                    text=correction.text,
                )
            )
    return notes
