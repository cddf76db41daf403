"""Running one job: the code a worker's child process (or, in tests, the caller) runs.

Each kind names its handler; a handler gets the job and a :class:`JobContext` for progress and
its output file, and returns an :class:`Outcome`. The file is written under a temporary name in
the jobs folder and renamed when complete (the export writers do this through ``atomic_path``),
so a failed or killed job leaves no file behind; what a job writes to the database it writes in
one transaction, so it leaves nothing half-written either.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from renaksi.jobs.models import ACTIVE, Job
from renaksi.jobs.services import jobs_dir, worker_name

logger = logging.getLogger(__name__)

# kind -> (handler, what to do when it fails, even when its process died); dotted paths, imported
# when a job runs (the apps they live in import this module's types).
KINDS: dict[str, tuple[str, str | None]] = {
    Job.Kind.ROLLUP: ("renaksi.exports.jobs.run_rollup", None),
    Job.Kind.PLAN_EXPORT: ("renaksi.exports.jobs.run_plan_export", None),
    Job.Kind.IMPORT_READ: ("renaksi.imports.upload_jobs.run_read", "renaksi.imports.upload_jobs.read_failed"),
    Job.Kind.IMPORT_COMMIT: ("renaksi.imports.upload_jobs.run_commit", None),
}


class JobFailed(Exception):
    """A job that cannot finish for a reason its user should read (one line)."""


@dataclass
class Outcome:
    file_name: str = ""  # inside the jobs folder, as returned by JobContext.target
    download_name: str = ""
    content_type: str = ""
    result_plan_id: int | None = None


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job

    def progress(self, done: int, total: int, phase: str | None = None) -> None:
        fields: dict[str, Any] = {"progress_done": done, "progress_total": total}
        if phase is not None:
            fields["phase"] = phase
        _update(self.job.pk, **fields)

    def target(self, name: str) -> Path:
        """Where the job's file goes: the jobs folder, under a name that starts with the job's id."""
        return jobs_dir() / f"{self.job.pk.hex}-{name}"


def claim(job_id: uuid.UUID | None = None, worker: str | None = None) -> uuid.UUID | None:
    """Take the oldest queued job (or ``job_id``) for this process; None when there is none.
    The conditional update makes two workers never take the same job."""
    queued = Job.objects.system("the worker takes a queued job").filter(status=Job.Status.QUEUED)
    for _attempt in range(5):
        candidate = job_id or queued.order_by("created_at").values_list("pk", flat=True).first()
        if candidate is None:
            return None
        now = timezone.now()
        taken = queued.filter(pk=candidate).update(
            status=Job.Status.RUNNING, worker=worker or worker_name(), started_at=now, updated_at=now
        )
        if taken:
            return candidate
        if job_id is not None:
            return None
    return None


def execute(job_id: uuid.UUID) -> None:
    """Run a claimed job to its end, recording the outcome; a failure is recorded, not raised."""
    job = Job.objects.system("the job itself").select_related("agency", "user").get(pk=job_id)
    handler: Callable[[Job, JobContext], Outcome] = import_string(KINDS[job.kind][0])
    context = JobContext(job)
    try:
        outcome = handler(job, context)
    except JobFailed as error:
        fail(job_id, str(error))
        return
    except MemoryError:
        fail(job_id, _("memori pekerjaan habis (batas RENAKSI_JOB_MEMORY_MB)"))
        return
    except Exception:
        logger.exception("job %s failed", job_id)
        fail(job_id, _("kesalahan internal; lihat log server"))
        return
    try:
        finished = _finish(job_id, outcome)
    except BaseException:  # not recorded as done: its file must not stay either
        if outcome.file_name:
            (jobs_dir() / Path(outcome.file_name).name).unlink(missing_ok=True)
        raise
    if not finished and outcome.file_name:  # marked failed meanwhile (taken as dead): no file
        (jobs_dir() / Path(outcome.file_name).name).unlink(missing_ok=True)


def _finish(job_id: uuid.UUID, outcome: Outcome) -> int:
    return (
        Job.objects.system("the job itself")
        .filter(pk=job_id, status=Job.Status.RUNNING)
        .update(
            status=Job.Status.DONE,
            phase="",
            file_path=Path(outcome.file_name).name if outcome.file_name else "",
            download_name=outcome.download_name,
            content_type=outcome.content_type,
            result_plan_id=outcome.result_plan_id,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )


def run_now(job_id: uuid.UUID) -> None:
    """Claim and run one job in this process (``RENAKSI_JOBS_IMMEDIATE``)."""
    if claim(job_id) is not None:
        execute(job_id)


def fail(job_id: uuid.UUID, error: str, *, only_if_running: bool = False) -> bool:
    """Record a job as failed with a one-line ``error`` and run its kind's failure hook."""
    rows = Job.objects.system("a job that failed").filter(pk=job_id)
    rows = rows.filter(status=Job.Status.RUNNING) if only_if_running else rows.filter(status__in=ACTIVE)
    line = " ".join(str(error).split())[:500]
    changed = bool(rows.update(status=Job.Status.FAILED, error=line, finished_at=timezone.now()))
    if changed:
        job = Job.objects.system("a job that failed").get(pk=job_id)
        hook = KINDS.get(job.kind, ("", None))[1]
        if hook:
            try:
                import_string(hook)(job)
            except Exception:
                logger.exception("the failure hook of job %s failed", job_id)
        for part in jobs_dir().glob(f".{job.pk.hex}-*.part"):  # what a killed writer left
            part.unlink(missing_ok=True)
    return changed


def _update(job_id: uuid.UUID, **fields: object) -> None:
    # A queryset update touches only these columns, so a progress write never undoes another.
    Job.objects.system("the job itself").filter(pk=job_id).update(updated_at=timezone.now(), **fields)


def heartbeat(job_id: uuid.UUID) -> None:
    _update(job_id)
