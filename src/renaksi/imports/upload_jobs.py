"""The browser import's jobs: reading a big upload, and saving a big plan, in the worker.

The request keeps the file and queues the job (:func:`start_reading`, :func:`start_commit`); the
worker reads the file into the upload's preview, or commits it in one transaction (all or
nothing: a failed or killed commit writes no plan row). The pending import stays the user's page
while it is read; a commit's job page links to the saved plan.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from renaksi.access import Action, require
from renaksi.core.grid import SourceError
from renaksi.core.messages import gettext_noop, msg
from renaksi.imports import uploads
from renaksi.imports.models import PendingImport
from renaksi.jobs.models import Job
from renaksi.jobs.runner import JobContext, JobFailed, Outcome
from renaksi.jobs.services import enqueue, inline_lines, mark_if_stale
from renaksi.planning.models import Plan
from renaksi.planning.services import PlanExistsError


def read_key(pending: PendingImport) -> str:
    return f"pending:{pending.pk.hex}"


def commit_key(pending: PendingImport) -> str:
    return f"pending:{pending.pk.hex}:commit"


def start_reading(actor: Any, pending: PendingImport) -> Job:
    """Queue the reading of a big upload (EDIT in its agency, checked first)."""
    require(actor, Action.EDIT, pending.agency_id)
    return enqueue(
        actor, Job.Kind.IMPORT_READ, pending.agency, read_key(pending), {"pending": str(pending.pk)}
    )


def start_commit(actor: Any, pending: PendingImport, *, replace: bool) -> Job:
    """Queue the saving of a big upload's plan (EDIT in its agency, checked first)."""
    require(actor, Action.EDIT, pending.agency_id)
    return enqueue(
        actor,
        Job.Kind.IMPORT_COMMIT,
        pending.agency,
        commit_key(pending),
        {"pending": str(pending.pk), "replace": replace},
    )


def latest_job(pending: PendingImport, kind: str) -> Job | None:
    key = read_key(pending) if kind == Job.Kind.IMPORT_READ else commit_key(pending)
    return (
        Job.objects.system("the jobs of an upload in hand")
        .filter(kind=kind, agency_id=pending.agency_id, key=key)
        .order_by("-created_at")
        .first()
    )


def _pending_of(job: Job) -> PendingImport | None:
    return (
        PendingImport.objects.system("the upload of a job")
        .select_related("agency")
        .filter(pk=uuid.UUID(str(job.params["pending"])), agency_id=job.agency_id)
        .first()
    )


def run_read(job: Job, context: JobContext) -> Outcome:
    """Read the upload; a refused file is recorded on the upload (its page says why), so the job
    itself is done."""
    pending = _pending_of(job)
    if pending is None:
        raise JobFailed(_("unggahan ini sudah tidak ada"))
    context.progress(0, 1, "reading")
    uploads.read_pending(pending.pk)
    context.progress(1, 1)
    return Outcome()


def read_failed(job: Job) -> None:
    """A read job that died (killed, out of memory): its upload says the reading stopped."""
    pending = _pending_of(job)
    if pending is not None and pending.status == PendingImport.Status.READING:
        uploads.record_refusal(
            pending, SourceError(msg(gettext_noop("pembacaan berkas terhenti sebelum selesai; unggah lagi")))
        )


def run_commit(job: Job, context: JobContext) -> Outcome:
    pending = _pending_of(job)
    if pending is None:
        raise JobFailed(_("unggahan ini sudah tidak ada (sudah disimpan, dibatalkan, atau kedaluwarsa)"))
    context.progress(0, 1, "saving")
    try:
        plan, _record = uploads.commit_pending(job.user, pending, replace=bool(job.params.get("replace")))
    except uploads.UploadRefused as error:
        raise JobFailed(uploads.refusal_message(str(error))) from None
    except PlanExistsError:
        raise JobFailed(uploads.refusal_message("exists")) from None
    except PermissionDenied:
        raise JobFailed(_("Anda tidak lagi berhak mengubah rencana satuan kerja ini.")) from None
    context.progress(1, 1)
    return Outcome(result_plan_id=plan.pk)


def commit_or_queue(actor: Any, pending: PendingImport, *, replace: bool) -> Plan | Job:
    """Save the upload's plan: inside the request when it is small (the saved plan), else by a
    job (the job). Refusals (:class:`~renaksi.imports.uploads.UploadRefused`) come before
    anything is queued; a commit already under way is returned instead of a second one. EDIT in
    the upload's agency is checked first, before the jobs are looked at."""
    require(actor, Action.EDIT, pending.agency_id)
    running = latest_job(pending, Job.Kind.IMPORT_COMMIT)
    if running is not None and running.is_active and not mark_if_stale(running):
        return running
    preview = uploads.check_commit(actor, pending, replace=replace)
    if uploads.line_count(preview.corrected) <= inline_lines():
        plan, _record = uploads.commit_pending(actor, pending, replace=replace)
        return plan
    return start_commit(actor, pending, replace=replace)
