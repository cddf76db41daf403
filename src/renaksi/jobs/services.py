"""Starting jobs and reading them: the queue's side that requests use.

A request only writes a queued row (:func:`enqueue`); a worker process runs it
(:mod:`renaksi.jobs.worker`). With ``RENAKSI_JOBS_IMMEDIATE`` (tests) the job runs at once in the
calling process instead, through the same code the worker runs.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.access import Action, require
from renaksi.accounts.models import Role
from renaksi.jobs.models import ACTIVE, Job

# What a job is doing now, as its page says it.
PHASES = {
    "queued": _("menunggu pekerja"),
    "loading": _("memuat rencana"),
    "writing": _("menulis berkas"),
    "reading": _("membaca berkas"),
    "saving": _("menyimpan rencana"),
}
READ_ONLY_ROLES = frozenset({Role.VIEWER, Role.INSPECTOR})


class TooManyJobs(Exception):
    """The user already has the most active jobs allowed; the message is for them."""


def max_active_jobs() -> int:
    return int(getattr(settings, "RENAKSI_JOBS_PER_USER", 3))


def stale_after() -> dt.timedelta:
    """A running job whose worker has not written for this long is taken as dead."""
    return dt.timedelta(seconds=float(getattr(settings, "RENAKSI_JOB_STALE_SECONDS", 120)))


def inline_lines() -> int:
    """Plans with more lines than this are exported (XLSX, PDF) and imported by a job."""
    return int(getattr(settings, "RENAKSI_JOB_INLINE_LINES", 1000))


def jobs_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "jobs"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def may_start_jobs(scope: Any, agency: Any) -> bool:
    """Whether the user of ``scope`` holds a role that may start a job for ``agency`` (or for a
    Kab/Kota under it): a site admin, or a role in it or above it that is not read-only. Viewers
    and inspectors read; they do not make the server build workbooks."""
    chain: list[int] = []
    node = agency
    while node is not None and len(chain) < 4:
        chain.append(node.pk)
        node = getattr(node, "parent", None)
    return may_start_jobs_in(scope, chain)


def may_start_jobs_in(scope: Any, agency_ids: Iterable[int]) -> bool:
    """:func:`may_start_jobs` for an agency and its ancestors given by id."""
    if scope.site_admin:
        return True
    for agency_id in agency_ids:
        role = scope.roles.get(agency_id)
        if role is not None and role not in READ_ONLY_ROLES:
            return True
    return False


def active_job(kind: str, agency: Any, key: str) -> Job | None:
    """A live job of the same work, if there is one (a stale one is marked failed first)."""
    for job in Job.objects.system("is the same work already under way").filter(
        kind=kind, agency=agency, key=key, status__in=ACTIVE
    ):
        if not mark_if_stale(job):
            return job
    return None


def enqueue(actor: Any, kind: str, agency: Any, key: str, params: dict[str, Any] | None = None) -> Job:
    """Queue a job (the caller has checked that ``actor`` may ask for it). The same work already
    under way is returned instead of a second job; beyond :func:`max_active_jobs` active jobs of
    ``actor``, :class:`TooManyJobs`. Whoever asks must at least read ``agency`` (checked first;
    the callers check the right to start that kind of job); the system's own jobs pass
    :data:`~renaksi.access.OPERATOR`."""
    require(actor, Action.VIEW, agency.pk)
    existing = active_job(kind, agency, key)
    if existing is not None:
        return existing
    limit = max_active_jobs()
    if actor is not None and getattr(actor, "pk", None) is not None:
        mine = Job.objects.system("the user's own active jobs").filter(user=actor, status__in=ACTIVE)
        live = [job for job in mine if not mark_if_stale(job)]
        if len(live) >= limit:
            raise TooManyJobs(
                gettext(
                    "Anda sudah menjalankan %(count)d pekerjaan, batasnya %(limit)d; tunggu sampai salah "
                    "satunya selesai sebelum memulai yang lain."
                )
                % {"count": len(live), "limit": limit}
            )
    user = actor if getattr(actor, "pk", None) is not None else None
    job = Job.objects.create(
        kind=kind, agency=agency, user=user, key=key, params=params or {}, phase="queued"
    )
    if getattr(settings, "RENAKSI_JOBS_IMMEDIATE", False):
        from renaksi.jobs.runner import run_now

        run_now(job.pk)
        job.refresh_from_db()
    return job


def job_file(job: Job) -> Path | None:
    """The finished file of a job, or None; never a path outside the jobs folder."""
    if job.status != Job.Status.DONE or not job.file_path or job.file_removed:
        return None
    folder = jobs_dir().resolve()
    path = (folder / job.file_path).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return path


def this_host() -> str:
    return socket.gethostname()


def worker_name(pid: int | None = None) -> str:
    return f"{this_host()}:{pid or os.getpid()}"


def _worker_is_gone(job: Job) -> bool:
    host, _sep, pid = job.worker.rpartition(":")
    if host != this_host() or not pid.isdigit():
        return False  # another machine's worker: only the heartbeat tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_stale(job: Job, now: dt.datetime | None = None) -> bool:
    """A running job whose worker is gone: its process no longer exists on this machine, or it has
    not written for :func:`stale_after`."""
    if job.status != Job.Status.RUNNING:
        return False
    if job.worker and _worker_is_gone(job):
        return True
    return (now or timezone.now()) - job.updated_at > stale_after()


def mark_if_stale(job: Job) -> bool:
    """Mark a stale running job failed (once); True when it was stale."""
    if not is_stale(job):
        return False
    from renaksi.jobs.runner import fail

    fail(job.pk, str(_("pekerjaan terhenti: prosesnya berhenti sebelum selesai")), only_if_running=True)
    job.refresh_from_db()
    return True


def may_see_memory(scope: Any, job: Job) -> bool:
    """Peak memory is for the agency's admins and site admins."""
    from renaksi.access import Action

    return bool(scope.can(Action.MANAGE_AGENCY, job.agency_id))
