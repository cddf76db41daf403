"""The worker: ``renaksi worker`` (started by ``renaksi serve`` too) runs queued jobs.

Each job runs in a child process forked for it, so its memory goes back to the system when it
ends, a memory limit (``RENAKSI_JOB_MEMORY_MB``, the child's address space) stops it instead of
the machine, and ``wait4`` gives its own peak RSS, which is recorded on the job. The parent
writes the heartbeat while the child works; a child that dies without finishing (killed, out of
memory) leaves its job marked failed. A child dies with its worker (``PR_SET_PDEATHSIG``), and
a job whose worker is gone is marked failed by the next sweep (:mod:`renaksi.jobs.sweep`), which
the worker also runs every few minutes.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import resource
import signal
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from renaksi.jobs import runner
from renaksi.jobs.models import Job
from renaksi.jobs.services import worker_name
from renaksi.jobs.sweep import sweep

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
# How a child that hit its address-space limit usually ends when native code (Typst) allocates.
MEMORY_SIGNALS = frozenset({signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL})
SWEEP_SECONDS = 300.0


class Worker:
    def __init__(self, poll_seconds: float = 1.0, parent: int | None = None) -> None:
        self.poll_seconds = poll_seconds
        self.parent = parent  # the process that started this worker (renaksi serve): stop without it
        self.stopping = False
        self.child: int | None = None
        self.name = worker_name()

    def stop(self, *_args: Any) -> None:
        self.stopping = True
        if self.child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child, signal.SIGTERM)

    def run(self, *, once: bool = False, max_jobs: int | None = None) -> int:
        """Run jobs until stopped (SIGTERM, SIGINT); ``once``: until the queue is empty. Returns how
        many jobs ran."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        ran = 0
        last_sweep = 0.0
        while not self.stopping:
            if self.parent is not None and os.getppid() != self.parent:
                break  # renaksi serve is gone
            if time.monotonic() - last_sweep > SWEEP_SECONDS:
                self._sweep()
                last_sweep = time.monotonic()
            try:
                job_id = runner.claim(worker=self.name)
            except DatabaseError:  # locked longer than the busy timeout, or the server restarting
                logger.warning("the worker could not read the queue; trying again", exc_info=True)
                connections.close_all()
                time.sleep(self.poll_seconds)
                continue
            if job_id is None:
                connections.close_all()  # idle: hold no connection (and no SQLite lock)
                if once:
                    break
                time.sleep(self.poll_seconds)
                continue
            self.run_forked(job_id)
            ran += 1
            if max_jobs is not None and ran >= max_jobs:
                break
        return ran

    def _sweep(self) -> None:
        try:
            sweep()
        except Exception:
            logger.exception("the worker's sweep failed")

    def run_forked(self, job_id: uuid.UUID) -> None:
        connections.close_all()  # the child opens its own; a shared connection would be corrupted
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _die_with_parent(parent)
                _limit_memory()
                runner.execute(job_id)
                connections.close_all()
                code = 0
            finally:
                os._exit(code)
        self.child = pid
        try:
            status, usage = self._wait(job_id, pid)
        finally:
            self.child = None
        self._after_child(job_id, status, usage)

    def _after_child(self, job_id: uuid.UUID, status: int, usage: Any) -> None:
        for attempt in range(5):  # the database may be busy with another writer for a while
            try:
                self._record_end(job_id, status, usage)
                return
            except DatabaseError:
                logger.warning("recording the end of job %s failed (attempt %d)", job_id, attempt + 1)
                connections.close_all()
                time.sleep(2)
        logger.error("the end of job %s was not recorded; the sweep will mark it", job_id)

    def _record_end(self, job_id: uuid.UUID, status: int, usage: Any) -> None:
        Job.objects.system("the worker records its child").filter(pk=job_id).update(
            peak_rss_kb=usage.ru_maxrss
        )
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in MEMORY_SIGNALS and _memory_limit_mb():
            why = _(
                "proses pekerjaan dihentikan (sinyal %(signal)d), kemungkinan karena melampaui batas memori "
                "%(limit)d MB (RENAKSI_JOB_MEMORY_MB)"
            ) % {"signal": os.WTERMSIG(status), "limit": _memory_limit_mb()}
        elif os.WIFSIGNALED(status):
            why = _("proses pekerjaan dihentikan (sinyal %(signal)d)") % {"signal": os.WTERMSIG(status)}
        else:
            why = _("proses pekerjaan berhenti sebelum selesai (kode %(code)d)") % {
                "code": os.WEXITSTATUS(status)
            }
        runner.fail(job_id, why, only_if_running=True)  # nothing changes for a job that finished

    def _wait(self, job_id: uuid.UUID, pid: int) -> tuple[int, Any]:
        beat = time.monotonic()
        while True:
            try:
                found, status, usage = os.wait4(pid, os.WNOHANG)
            except ChildProcessError:  # already reaped
                return 0, resource.getrusage(resource.RUSAGE_CHILDREN)
            if found:
                return status, usage
            if self.parent is not None and os.getppid() != self.parent:
                self.stop()  # renaksi serve is gone: the job ends with the worker
            if time.monotonic() - beat > HEARTBEAT_SECONDS:
                try:
                    runner.heartbeat(job_id)
                except DatabaseError:  # the child holds a long write; the next beat will do
                    logger.info("heartbeat of job %s skipped: database busy", job_id)
                finally:
                    connections.close_all()
                beat = time.monotonic()
            time.sleep(0.1)


def _die_with_parent(parent: int) -> None:
    """Linux: the child gets SIGKILL when the worker dies, so no job outlives its worker."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took hold
        os._exit(1)


def _memory_limit_mb() -> int:
    return int(getattr(settings, "RENAKSI_JOB_MEMORY_MB", 0) or 0)


def _limit_memory() -> None:
    megabytes = _memory_limit_mb()
    if megabytes > 0:
        limit = megabytes * 2**20
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_worker(*, once: bool = False, poll_seconds: float = 1.0, parent: int | None = None) -> int:
    return Worker(poll_seconds, parent).run(once=once)
