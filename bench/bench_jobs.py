"""A big plan's XLSX and PDF built by the job worker, as the web asks for them: time and the
worker child's peak RSS per job (what the job page shows agency admins).

    python bench/bench_jobs.py [--lines 44000] [--formats xlsx pdf] [--memory-mb 4096]

A fresh data folder in the temporary folder (SQLite), the demo data, a generated plan of
``--lines`` lines (``random_plan``), one queued job per format, then ``renaksi worker --once``
under ``RENAKSI_JOB_MEMORY_MB``; each job's wall time (started to finished, from the job row),
peak RSS (``wait4`` of its child) and outcome are printed. The baseline is the worker's idle
child running a small job first (the roll-up of the demo's 45-line seed plan), so the figures
show what the big plan adds.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ENQUEUE = """
import sys, time
from renaksi.cli import _setup_django
_setup_django()
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.jobs.services import enqueue
from renaksi.planning.services import save_tree
agency = find_agency("kpu-kab-boalemo")
plan = save_tree(agency, 2024, random_plan(7, int(sys.argv[1])), actor=OPERATOR)  # not in the 2023 roll-up
enqueue(None, "rollup", find_agency("kpu-prov-gorontalo"), "rollup:2023", {"year": 2023})
for fmt in sys.argv[2:]:
    enqueue(None, "plan_export", agency, f"plan:{plan.pk}:{fmt}", {"plan": plan.pk, "fmt": fmt})
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=44_000)
    parser.add_argument("--formats", nargs="+", default=["xlsx", "pdf"])
    parser.add_argument("--memory-mb", type=int, default=4096)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renaksi-benchjobs-") as folder:
        data = Path(folder) / "data"
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(RENAKSI_DATA_DIR=str(data), RENAKSI_JOB_MEMORY_MB=str(args.memory_mb))
        run = [sys.executable, "-m", "renaksi.cli"]
        subprocess.run([*run, "demo", "--quiet"], env=env, check=True, capture_output=True)
        subprocess.run([sys.executable, "-c", ENQUEUE, str(args.lines), *args.formats], env=env, check=True)
        subprocess.run([*run, "worker", "--once"], env=env, check=True)
        with sqlite3.connect(data / "renaksi.sqlite3") as db:
            rows = db.execute(
                "SELECT kind, params, status, error, peak_rss_kb,"
                " (julianday(finished_at) - julianday(started_at)) * 86400 FROM jobs_job ORDER BY created_at"
            ).fetchall()
    print(f"{'job':<32} {'status':<8} {'seconds':>8} {'peak RSS MB':>12}")
    for kind, params, status, error, peak_kb, seconds in rows:
        label = f"{kind} {json.loads(params).get('fmt', '(seed roll-up)')}"
        print(f"{label:<32} {status:<8} {seconds or 0:>8.1f} {(peak_kb or 0) / 1024:>12.0f} {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
