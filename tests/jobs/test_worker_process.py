"""A real worker process on a real SQLite database: a job goes from queued to done, and a job
whose worker is killed is marked failed by the sweep and leaves no file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from worker_support import _env, _job, _run, _wait, _worker

ENQUEUE = """
import sys
from renaksi.cli import _setup_django
_setup_django()
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.jobs.services import enqueue
from renaksi.planning.services import save_tree
kind = sys.argv[1]
if kind == "rollup":
    job = enqueue(OPERATOR, "rollup", find_agency("kpu-prov-gorontalo"), "rollup:2023", {"year": 2023})
else:
    agency = find_agency("kpu-kab-boalemo")
    plan = save_tree(agency, 2023, random_plan(7, int(sys.argv[2])), actor=OPERATOR)
    job = enqueue(OPERATOR, "plan_export", agency, f"plan:{plan.pk}:pdf", {"plan": plan.pk, "fmt": "pdf"})
print(job.pk.hex)
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_worker_process_takes_a_queued_job_to_done_on_a_real_sqlite_database(data_dir: Path) -> None:
    _run(data_dir, "-m", "renaksi.cli", "demo", "--quiet")
    job_hex = _run(data_dir, "-c", ENQUEUE, "rollup").strip()
    assert _job(data_dir, job_hex)["status"] == "queued"
    worker = _worker(data_dir)
    try:
        _wait(data_dir, job_hex, {"done", "failed"})
        time.sleep(0.5)  # the worker records its child's peak memory when the child has ended
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    job = _job(data_dir, job_hex)
    assert job["status"] == "done", job["error"]
    assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""
    assert job["progress_done"] == job["progress_total"] == 2
    assert job["peak_rss_kb"] and int(str(job["peak_rss_kb"])) > 10_000  # the child's own peak, in KB
    produced = data_dir / "jobs" / str(job["file_path"])
    assert produced.read_bytes().startswith(b"PK")
    assert [path.name for path in (data_dir / "jobs").iterdir()] == [produced.name]


def test_a_job_whose_worker_is_killed_is_marked_failed_and_leaves_no_file(data_dir: Path) -> None:
    _run(data_dir, "-m", "renaksi.cli", "demo", "--quiet")
    job_hex = _run(data_dir, "-c", ENQUEUE, "plan_export", "3000").strip()
    worker = _worker(data_dir)
    try:
        job = _wait(data_dir, job_hex, {"running", "done", "failed"})
        assert job["status"] == "running"
        time.sleep(0.5)  # the child is writing the PDF
    finally:
        worker.kill()  # SIGKILL: no cleanup of its own; its child dies with it
        worker.wait(timeout=30)
    time.sleep(0.5)
    report = _run(data_dir, "-m", "renaksi.cli", "sweep")
    job = _job(data_dir, job_hex)
    assert job["status"] == "failed", report
    assert "terhenti" in str(job["error"])
    assert job["file_path"] == ""
    assert list((data_dir / "jobs").iterdir()) == []  # neither the file nor its .part


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.append((int(entry.name), command))
    return found


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_renaksi_serve_runs_a_worker_beside_the_server_and_stops_it_with_itself(data_dir: Path) -> None:
    _run(data_dir, "-m", "renaksi.cli", "demo", "--quiet")
    server = subprocess.Popen(
        [sys.executable, "-m", "renaksi.cli", "serve", "--port", "0", "--workers", "1"],
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        job_hex = _run(data_dir, "-c", ENQUEUE, "rollup").strip()
        assert _wait(data_dir, job_hex, {"done", "failed"})["status"] == "done"
        workers = [pid for pid, command in _children(server.pid) if "renaksi.cli worker" in command]
        assert len(workers) == 1
        server.send_signal(signal.SIGTERM)  # the server process alone, as a service manager may
        assert server.wait(timeout=60) is not None
        deadline = time.monotonic() + 30
        while not _gone(workers[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(workers[0])
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_a_job_over_its_memory_budget_is_failed_and_leaves_no_file(data_dir: Path) -> None:
    _run(data_dir, "-m", "renaksi.cli", "demo", "--quiet")
    job_hex = _run(data_dir, "-c", ENQUEUE, "plan_export", "3000").strip()
    worker = _worker(data_dir, RENAKSI_JOB_MEMORY_MB="250")
    try:
        _wait(data_dir, job_hex, {"done", "failed"}, seconds=300)
        time.sleep(0.5)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    job = _job(data_dir, job_hex)
    assert job["status"] == "failed"
    # The child itself stopped at the limit (named), or a Typst part process it started (the
    # limit is inherited) failed and the exporter raised: the internal-error line.
    assert "memori" in str(job["error"]) or job["error"] == "kesalahan internal; lihat log server", job[
        "error"
    ]
    assert list((data_dir / "jobs").iterdir()) == []
