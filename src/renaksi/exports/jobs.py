"""Background export jobs: a roll-up of a whole province can take a while, so it runs in a thread
and records its progress in :class:`~renaksi.exports.models.ExportJob` for the job page to show.

No broker: a daemon thread in the web process. With ``RENAKSI_EXPORT_JOBS_SYNC = True`` (tests)
the job runs inside the request instead. A job whose process died stays unfinished in the
table; :attr:`STALE_AFTER` without a progress update marks it as stopped on its page.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from renaksi.agencies.models import Agency
from renaksi.exports.models import ExportJob
from renaksi.exports.services import RollupError, export_rollup, rollup_filename, rollup_plan_records

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=15)
_ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def exports_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_file(job: ExportJob) -> Path | None:
    """The finished file of a job, or None; never a path outside the exports folder."""
    if job.status != ExportJob.Status.DONE or not job.file_path:
        return None
    folder = exports_dir().resolve()
    path = (folder / job.file_path).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


def is_stale(job: ExportJob, now: dt.datetime | None = None) -> bool:
    """An unfinished job that has not moved for :data:`STALE_AFTER` (its process is gone)."""
    return job.is_active and (now or timezone.now()) - job.updated_at > STALE_AFTER


def start_rollup_job(province: Agency, year: int) -> ExportJob:
    """Queue a roll-up of ``province`` for ``year`` and start it.

    Raises :class:`RollupError` before anything is queued when there is nothing to roll up. An
    unfinished, live job for the same province and year is returned instead of a second one.
    """
    rollup_plan_records(province, year)  # refuse early, with the reason, rather than in the thread
    for job in ExportJob.objects.system("a live roll-up job").filter(
        agency=province, year=year, status__in=_ACTIVE
    ):
        if not is_stale(job):
            return job
    job = ExportJob.objects.create(agency=province, year=year)
    if getattr(settings, "RENAKSI_EXPORT_JOBS_SYNC", False):
        run_job(job.pk)
        job.refresh_from_db()
    else:
        threading.Thread(
            target=_run_in_thread, args=(job.pk,), name=f"renaksi-export-{job.pk}", daemon=True
        ).start()
    return job


def run_job(job_id: uuid.UUID) -> None:
    """Build the job's file, recording progress; a failure is recorded on the job, not raised."""
    job = ExportJob.objects.system("the background job itself").select_related("agency").get(pk=job_id)
    _update(job_id, status=ExportJob.Status.RUNNING)
    name = f"{job.pk.hex}-{rollup_filename(job.agency, job.year)}"

    def progress(done: int, total: int) -> None:
        _update(job_id, progress_done=done, progress_total=total)

    try:
        export_rollup(job.agency, job.year, exports_dir() / name, progress)
    except RollupError as error:  # the plans went away between the request and the run
        _update(job_id, status=ExportJob.Status.FAILED, error=str(error))
    except Exception:
        logger.exception("export job %s failed", job_id)
        _update(job_id, status=ExportJob.Status.FAILED, error="internal error; see the server log")
    else:
        _update(job_id, status=ExportJob.Status.DONE, file_path=name)


def _run_in_thread(job_id: uuid.UUID) -> None:
    try:
        run_job(job_id)
    except Exception:  # the job row itself is gone or the database is unreachable
        logger.exception("export job %s could not run", job_id)
    finally:
        connections.close_all()  # this thread's connections; nothing else would close them


def _update(job_id: uuid.UUID, **fields: object) -> None:
    # A queryset update touches only these columns, so a progress write never undoes another.
    ExportJob.objects.system("the background job itself").filter(pk=job_id).update(
        updated_at=timezone.now(), **fields
    )
