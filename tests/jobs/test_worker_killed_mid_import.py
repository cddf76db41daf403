"""A browser import's save job whose worker is killed while it writes: no plan row is left, the
job is marked failed, the upload is still the user's to save again, and saving it again writes
exactly the plan."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest
from worker_support import _job, _run, _wait, _worker

LINES = 8000  # a save of a second or more, even on a fast machine

# Upload a generated plan as the demo account (an agency admin) and queue its save; the upload
# is read here, at once, so that the worker's only job is the save.
QUEUE_SAVE = """
import sys
from django.conf import settings
from renaksi.cli import _setup_django
_setup_django()
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from renaksi.agencies.services import find_agency
from renaksi.imports import upload_jobs, uploads
from renaksi.imports.models import PendingImport
from renaksi.imports.sample import random_plan
from renaksi.imports.writers import write_tsv
user = get_user_model().objects.get(username="demo")
agency = find_agency("kpu-prov-gorontalo")
pending = PendingImport.objects.system("test").filter(agency=agency).first()
if pending is None:
    settings.RENAKSI_IMPORT_INLINE_BYTES = 10**9
    path = settings.DATA_DIR / "besar.tsv"
    write_tsv(random_plan(23, int(sys.argv[1]), headerless=False), path)
    upload = SimpleUploadedFile("besar.tsv", path.read_bytes(), "text/tab-separated-values")
    pending = uploads.start_pending_import(user, agency, upload, year=2030, replace=False)
    path.unlink()
assert pending.status == PendingImport.Status.READY, pending.status
print(upload_jobs.start_commit(user, pending, replace=False).pk.hex)
"""

TABLES = (
    "planning_plan",
    "planning_strategicgoal",
    "planning_programgoal",
    "planning_indicator",
    "planning_activity",
    "planning_activityindicator",
    "planning_subactivity",
    "imports_importrecord",
    "history_historyevent",
)


def _counts(data_dir: Path) -> dict[str, int]:
    with sqlite3.connect(data_dir / "renaksi.sqlite3", timeout=30) as db:
        return {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}  # noqa: S608


def _pending_imports(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "renaksi.sqlite3", timeout=30) as db:
        return [row[0] for row in db.execute("SELECT status FROM imports_pendingimport")]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_save_job_whose_worker_is_killed_writes_nothing_and_a_second_save_writes_the_plan(
    data_dir: Path,
) -> None:
    _run(data_dir, "-m", "renaksi.cli", "demo", "--quiet")
    job_hex = _run(data_dir, "-c", QUEUE_SAVE, str(LINES)).strip()
    before = _counts(data_dir)
    worker = _worker(data_dir)
    try:
        job = _wait(data_dir, job_hex, {"running", "done", "failed"})
        assert job["status"] == "running"
        time.sleep(0.5)  # the child is inside the save's transaction
        assert _job(data_dir, job_hex)["status"] == "running", "the save ended before it could be killed"
    finally:
        worker.kill()  # SIGKILL: its child dies with it, mid-transaction
        worker.wait(timeout=30)
    time.sleep(0.5)
    report = _run(data_dir, "-m", "renaksi.cli", "sweep")
    job = _job(data_dir, job_hex)
    assert job["status"] == "failed", report
    assert "terhenti" in str(job["error"])
    assert _counts(data_dir) == before  # not one row of the plan, its record or its history
    assert _pending_imports(data_dir) == ["ready"]  # the upload waits to be saved again
    assert list((data_dir / "jobs").iterdir()) == []

    again = _run(data_dir, "-c", QUEUE_SAVE, str(LINES)).strip()
    worker = _worker(data_dir)
    try:
        job = _wait(data_dir, again, {"done", "failed"}, seconds=300)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert job["status"] == "done", job["error"]
    after = _counts(data_dir)
    assert after["planning_plan"] == before["planning_plan"] + 1
    assert after["planning_subactivity"] == before["planning_subactivity"] + LINES
    assert after["imports_importrecord"] == before["imports_importrecord"] + 1
    assert _pending_imports(data_dir) == []  # saved: the upload is gone
