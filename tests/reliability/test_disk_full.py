"""A full disk while exporting: a one-line error, nothing half written left behind.

The disk is filled for the command alone by a file-size limit (RLIMIT_FSIZE, with SIGXFSZ
ignored, so a write past it fails with EFBIG as a write to a full disk fails with ENOSPC)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from renaksi.imports.sample import random_plan
from renaksi.imports.writers import write_tsv

ROOT = Path(__file__).resolve().parents[2]


def renaksi(
    data: Path, tmp: Path, *args: str, file_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(RENAKSI_DATA_DIR=str(data), TMPDIR=str(tmp), DJANGO_SETTINGS_MODULE="renaksi.settings")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        [sys.executable, "-m", "renaksi.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=limit if file_limit is not None else None,
        timeout=300,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("disk-full")
    data, tmp, out = root / "data", root / "tmp", root / "out"
    tmp.mkdir()
    out.mkdir()
    assert renaksi(data, tmp, "demo", "-q").returncode == 0
    source = root / "plan.tsv"
    write_tsv(random_plan(7, 600, title=False), source)  # no title: the year is the one asked for
    run = renaksi(data, tmp, "import", str(source), "--agency", "kpu-kab-boalemo", "--year", "2024")
    assert run.returncode == 0, run.stderr[-2000:]
    return data, tmp, out


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv", "json"])
def test_a_disk_that_fills_while_exporting_gives_one_line_and_leaves_no_file(site, fmt: str) -> None:
    data, tmp, out = site
    target = out / f"plan.{fmt}"
    # Above the database's own scratch files (WAL index), below the export's size.
    run = renaksi(
        data, tmp, "export", "kpu-kab-boalemo/2024", "--format", fmt, "-o", str(target), file_limit=40_000
    )
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0 and "penulisan gagal" in run.stderr
    assert list(out.iterdir()) == [] and list(tmp.iterdir()) == []


def test_a_database_that_cannot_be_written_gives_one_line(site) -> None:
    data, tmp, out = site
    run = renaksi(
        data,
        tmp,
        "export",
        "kpu-kab-boalemo/2024",
        "--format",
        "csv",
        "-o",
        str(out / "x.csv"),
        file_limit=2_000,
    )
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "basis data tidak dapat ditulis" in run.stderr
    assert list(out.iterdir()) == []
