"""What a sweep removes: dead jobs, old job files, leftovers of killed writers, old uploads.

Run by the worker every few minutes and by ``renaksi sweep``:

* a running job whose worker is gone is marked failed;
* the file of a finished job older than ``RENAKSI_JOB_RETENTION_HOURS`` is deleted (the row
  stays and says so), and so are roll-ups that old left in the exports folder by the export
  jobs before these;
* ``.part`` files (an export's temporary name) in the jobs and exports folders that belong to no
  active job, and ``.part`` files older than an hour in any folder given;
* ``renaksi-<what>-XXXXXXXX`` scratch folders (as ``tempfile`` names them) in the system temporary folder older than an hour;
* browser uploads left in their preview past ``RENAKSI_PENDING_IMPORT_HOURS``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from renaksi.jobs.models import ACTIVE, Job
from renaksi.jobs.services import jobs_dir, mark_if_stale

SCRATCH_MAX_AGE = dt.timedelta(hours=1)
# What tempfile.TemporaryDirectory(prefix="renaksi-<what>-") makes: eight random characters.
SCRATCH_NAME = re.compile(r"^renaksi-[a-z]+-[a-z0-9_]{8}$")


@dataclass
class SweepReport:
    stale_jobs: int = 0
    job_files: int = 0
    part_files: int = 0
    scratch_folders: int = 0
    uploads: int = 0


def retention() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "RENAKSI_JOB_RETENTION_HOURS", 24)))


def sweep(now: dt.datetime | None = None, extra_folders: Iterable[Path] = ()) -> SweepReport:
    from renaksi.imports.uploads import expire_pending_imports

    now = now or timezone.now()
    report = SweepReport()
    running = Job.objects.system("the sweep looks for dead jobs").filter(status=Job.Status.RUNNING)
    report.stale_jobs = sum(1 for job in running if mark_if_stale(job))
    report.job_files = _remove_old_files(now)
    report.part_files = _remove_parts(now, extra_folders)
    report.scratch_folders = _remove_scratch(now)
    report.uploads = expire_pending_imports(now)
    return report


def _remove_old_files(now: dt.datetime) -> int:
    old = Job.objects.system("the sweep removes old job files").filter(
        finished_at__lt=now - retention(), file_removed=False
    )
    removed = 0
    for job in old.exclude(file_path=""):
        (jobs_dir() / Path(job.file_path).name).unlink(missing_ok=True)
        removed += 1
    old.update(file_removed=True)
    # Roll-ups of the export jobs before renaksi.jobs: no row refers to them any more.
    legacy = Path(settings.DATA_DIR) / "exports"
    if legacy.is_dir():
        cutoff = (now - retention()).timestamp()
        for path in legacy.glob("*.xlsx"):
            if path.is_file() and not path.is_symlink() and _mtime(path) < cutoff:
                removed += _unlink(path)
    return removed


def _remove_parts(now: dt.datetime, extra_folders: Iterable[Path]) -> int:
    active = {
        job_id.hex
        for job_id in Job.objects.system("the sweep spares active jobs' files")
        .filter(status__in=ACTIVE)
        .values_list("pk", flat=True)
    }
    removed = 0
    for folder in (jobs_dir(), Path(settings.DATA_DIR) / "exports"):
        for part in _parts(folder):
            if part.name[1:33] not in active:
                removed += _unlink(part)
    cutoff = time.time() - SCRATCH_MAX_AGE.total_seconds()
    for folder in extra_folders:
        for part in _parts(Path(folder)):
            if _mtime(part) < cutoff:
                removed += _unlink(part)
    return removed


def _parts(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [path for path in folder.glob(".*.part") if path.is_file() and not path.is_symlink()]


def _remove_scratch(now: dt.datetime) -> int:
    cutoff = now.timestamp() - SCRATCH_MAX_AGE.total_seconds()
    data = Path(settings.DATA_DIR).resolve()
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob("renaksi-*"):
        if folder.is_symlink() or not folder.is_dir() or not SCRATCH_NAME.match(folder.name):
            continue
        if folder.resolve() in (data, *data.parents) or (folder / "db.sqlite3").exists():
            continue  # a data folder someone keeps in the temporary folder, never scratch
        try:
            owned = folder.stat().st_uid == os.getuid()
        except OSError:
            continue
        if owned and _mtime(folder) < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _unlink(path: Path) -> int:
    try:
        path.unlink()
    except OSError:
        return 0
    return 1
