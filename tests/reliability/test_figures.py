"""The battery's own instrument: bars are read as written, and the report fails on a missed one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from figures import Figure, meets

REPORT = Path(__file__).resolve().parent / "report.py"


@pytest.mark.parametrize(
    ("value", "bar", "ok"),
    [
        (0, "== 0", True),
        (1, "== 0", False),
        (511.9, "< 512", True),
        (512, "< 512", False),
        (20, ">= 20", True),
    ],
)
def test_a_bar_is_met_exactly_as_written(value: float, bar: str, ok: bool) -> None:
    assert meets(value, bar) is ok


def test_the_report_prints_every_figure_and_fails_on_a_missed_bar(tmp_path: Path) -> None:
    met, missed = Figure("crashes", 0, "== 0"), Figure("peak memory (MB)", 900.0, "< 512", "big.csv")
    for name, figures in (("a", [met]), ("b", [missed])):
        data = {"area": name, "figures": [{**vars(f), "ok": f.ok} for f in figures]}
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    run = subprocess.run([sys.executable, REPORT, tmp_path], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "crashes" in run.stdout and "MISSED" in run.stdout and "big.csv" in run.stdout
    (tmp_path / "b.json").unlink()
    assert (
        subprocess.run([sys.executable, REPORT, tmp_path], capture_output=True, check=False).returncode == 0
    )


def test_the_report_fails_when_the_battery_wrote_nothing(tmp_path: Path) -> None:
    assert (
        subprocess.run([sys.executable, REPORT, tmp_path], capture_output=True, check=False).returncode == 1
    )
