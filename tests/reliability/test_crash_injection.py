"""Failures injected at the first, middle and last row of an import and of an XLSX and PDF
export, and ``kill -9`` in the middle of both: the tables are unchanged (or hold the whole
import, never part of it), no file is left at the target, beside it, in the data folder or in
the temporary folder, and a rerun gives exactly the expected rows.

Injected failures run in every CI run; the kills (many instants, a bigger plan) with
``make reliability``.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from corpus import tsv
from figures import Figure, missed, record

from renaksi.imports.sample import random_plan
from renaksi.imports.writers import table_cells

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LINES_TABLE = "planning_subactivity"


class Installation:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.tmp = root / "tmp"
        self.out = root / "out"
        for folder in (self.tmp, self.out):
            folder.mkdir(parents=True, exist_ok=True)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        return env | {"RENAKSI_DATA_DIR": str(self.data), "TMPDIR": str(self.tmp)} | extra

    def run(self, *args: str, crash: tuple[str, int] | None = None) -> subprocess.CompletedProcess[str]:
        extra = {"RENAKSI_CRASH_IN": crash[0], "RENAKSI_CRASH_ROW": str(crash[1])} if crash else {}
        command = [str(HERE / "crash_worker.py")] if crash else ["-m", "renaksi.cli"]
        return subprocess.run(
            [sys.executable, *command, *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "renaksi.cli", *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def state(self) -> dict[str, Any]:
        """Row count and checksum of every table, read from the SQLite file directly."""
        tables = {}
        with closing(sqlite3.connect(self.data / "renaksi.sqlite3")) as db:
            names = [
                n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            ]
            for name in names:
                rows = sorted(
                    repr(row) for row in db.execute(f'SELECT * FROM "{name}"')
                )  # names from the schema
                tables[name] = {
                    "rows": len(rows),
                    "sha256": hashlib.sha256("\n".join(rows).encode()).hexdigest(),
                }
        return {"tables": tables}

    def leftovers(self, data_before: set[str]) -> list[str]:
        """Files that appeared anywhere but in the database: the data folder, temp, the output folder."""
        database = {
            "renaksi.sqlite3",
            "renaksi.sqlite3-wal",
            "renaksi.sqlite3-shm",
            "renaksi.sqlite3-journal",
        }
        data_now = {str(p.relative_to(self.data)) for p in self.data.rglob("*")} - database
        found = sorted(data_now - data_before)
        found += [f"tmp/{p.relative_to(self.tmp)}" for p in self.tmp.rglob("*")]
        found += [f"out/{p.relative_to(self.out)}" for p in self.out.rglob("*")]
        return found

    def data_files(self) -> set[str]:
        database = {
            "renaksi.sqlite3",
            "renaksi.sqlite3-wal",
            "renaksi.sqlite3-shm",
            "renaksi.sqlite3-journal",
        }
        return {str(p.relative_to(self.data)) for p in self.data.rglob("*")} - database


def make_installation(root: Path, lines: int) -> tuple[Installation, Path]:
    site = Installation(root)
    assert site.run("demo", "-q").returncode == 0
    source = root / "plan.tsv"
    source.write_bytes(tsv([list(c) for c in table_cells(random_plan(11, lines, title=False))]))
    return site, source


def import_args(source: Path) -> list[str]:
    return ["import", str(source), "--agency", "kpu-kab-boalemo", "--year", "2024"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Installation, Path]:
    return make_installation(tmp_path_factory.mktemp("crash"), 120)


@pytest.mark.parametrize("at", ["first", "middle", "last"])
def test_an_import_failing_at_a_line_row_changes_no_table_and_leaves_no_file(
    site: tuple[Installation, Path], at: str
) -> None:
    installation, source = site
    row = {"first": 1, "middle": 60, "last": 120}[at]
    before, files = installation.state(), installation.data_files()
    run = installation.run(*import_args(source), crash=("import", row))
    assert run.returncode != 0 and "InjectedFailure" in run.stderr, run.stderr[-2000:]
    assert installation.state() == before
    assert installation.leftovers(files) == []


def test_after_failed_imports_a_rerun_writes_exactly_the_plan(site: tuple[Installation, Path]) -> None:
    installation, source = site
    before = installation.state()["tables"][LINES_TABLE]["rows"]
    run = installation.run(*import_args(source))
    assert run.returncode == 0, run.stderr[-2000:]
    assert installation.state()["tables"][LINES_TABLE]["rows"] == before + 120


_SEED_ROWS: dict[Path, int] = {}


def table_rows_of_seed(installation: Installation) -> int:
    """The rows of the seed plan's table (its CSV has one line per row, after the header)."""
    if installation.root not in _SEED_ROWS:
        csv_text = installation.run("export", "1", "--format", "csv").stdout
        _SEED_ROWS[installation.root] = len(csv_text.splitlines()) - 1
    return _SEED_ROWS[installation.root]


# The middle row in every run; the first and last with make reliability (each export is a command).
EDGES = pytest.mark.reliability


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
@pytest.mark.parametrize(
    "at", [pytest.param("first", marks=EDGES), "middle", pytest.param("last", marks=EDGES)]
)
def test_an_export_failing_at_a_row_leaves_no_file(
    site: tuple[Installation, Path], fmt: str, at: str
) -> None:
    installation, _source = site
    rows = table_rows_of_seed(installation)
    row = {"first": 1, "middle": rows // 2, "last": rows}[at]
    files = installation.data_files()
    run = installation.run(
        "export", "1", "--format", fmt, "-o", str(installation.out / f"plan.{fmt}"), crash=(fmt, row)
    )
    assert run.returncode != 0 and "InjectedFailure" in run.stderr, run.stderr[-2000:]
    assert installation.leftovers(files) == []


# -- kill -9 ------------------------------------------------------------------------------------------


def timed(run: Callable[[], subprocess.CompletedProcess[str]]) -> float:
    """Seconds a command takes from start to end (it must succeed)."""
    start = time.perf_counter()
    assert run().returncode == 0
    return time.perf_counter() - start


def kill_after(installation: Installation, args: list[str], delay: float) -> bool:
    """Start the command, SIGKILL it after ``delay`` seconds; whether it was still running."""
    process = installation.start(*args)
    time.sleep(delay)
    alive = process.poll() is None
    if alive:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return alive


@pytest.mark.reliability
def test_imports_and_exports_killed_at_many_instants_leave_all_or_nothing(tmp_path: Path) -> None:
    lines = 4000
    installation, source = make_installation(tmp_path, lines)
    start_rows = installation.state()["tables"][LINES_TABLE]["rows"]
    partial, leftover, killed = [], [], 0
    files = installation.data_files()
    # The instants are fractions of how long each command takes on this machine (timed on a
    # twin installation, and on an export of its own), so the kills land mid-run however fast it is.
    twin, twin_source = make_installation(tmp_path / "twin", lines)
    import_seconds = timed(lambda: twin.run(*import_args(twin_source)))
    pdf = installation.out / "plan.pdf"
    pdf_seconds = timed(lambda: installation.run("export", "1", "--format", "pdf", "-o", str(pdf)))
    pdf.unlink()
    fractions = (0.1, 0.25, 0.4, 0.55, 0.7, 0.85)
    for delay in (round(import_seconds * f, 2) for f in fractions):
        before = installation.state()
        killed += kill_after(installation, import_args(source), delay)
        after = installation.state()
        rows = after["tables"][LINES_TABLE]["rows"]
        if after != before and rows != start_rows + lines:
            partial.append(f"import killed at {delay} s: {rows - start_rows} of {lines} lines")
        if rows == start_rows + lines:
            break  # the import completed before the kill: the plan is whole
        leftover += [f"import killed at {delay} s: {f}" for f in installation.leftovers(files)]
    for delay in (round(pdf_seconds * f, 2) for f in fractions):
        killed += kill_after(
            installation, ["export", "1", "--format", "pdf", "-o", str(installation.out / "plan.pdf")], delay
        )
        target = installation.out / "plan.pdf"
        if target.exists():
            target.unlink()  # complete: the export finished before the kill
        leftover += [f"PDF export killed at {delay} s: {f}" for f in installation.leftovers(files)]
        for stray in installation.out.iterdir():
            stray.unlink()
    rerun = installation.run(*import_args(source))
    final = installation.state()["tables"][LINES_TABLE]["rows"]
    rerun_ok = final == start_rows + lines and (rerun.returncode == 0 or "sudah ada" in rerun.stderr)
    figures = [
        Figure("commands killed mid-run", killed, ">= 5"),
        Figure("kills leaving part of an import", len(partial), "== 0", "\n".join(partial)),
        Figure("files left behind by killed commands", len(leftover), "== 0", "\n".join(leftover[:20])),
        Figure(
            "reruns not giving exactly the plan's lines", 0 if rerun_ok else 1, "== 0", rerun.stderr[-500:]
        ),
    ]
    record("crashes: kill -9 mid-import and mid-export (SQLite)", figures)
    assert not missed(figures), "\n".join(missed(figures))
