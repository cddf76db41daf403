"""A real worker process on a real SQLite database, for the tests that start one: its data
folder, the commands around it, and the job rows it writes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def _env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}  # SQLite
    env.update(RENAKSI_DATA_DIR=str(data_dir), RENAKSI_JOBS_IMMEDIATE="0")
    return env


def _run(data_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=_env(data_dir), capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _job(data_dir: Path, job_hex: str) -> dict[str, object]:
    with sqlite3.connect(data_dir / "renaksi.sqlite3", timeout=30) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM jobs_job WHERE id = ?", (job_hex,)).fetchone()
    assert row is not None
    return dict(row)


def _wait(data_dir: Path, job_hex: str, statuses: set[str], seconds: float = 120) -> dict[str, object]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = _job(data_dir, job_hex)
        if job["status"] in statuses:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job still {job['status']} after {seconds} s")


def _worker(data_dir: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "renaksi.cli", "worker", "--poll", "0.2"],
        env={**_env(data_dir), **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
