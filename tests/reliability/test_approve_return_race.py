"""Approve versus return, pressed at the same moment by two people holding the same page of a
submitted plan: exactly one wins, the other is told why (the documented ``WorkflowError`` or its
``EditConflict``), and the round writes exactly one history event. On a SQLite file made by
``renaksi demo``; 20 rounds in every run, 1,000 with ``make reliability``. (The same races on
PostgreSQL: tests/concurrency/test_approve_return_race_on_postgresql.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from figures import Figure, missed, record
from races import race_figures

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def race(tmp_path: Path, rounds: int) -> list[Figure]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "RENAKSI_DATA_DIR": str(tmp_path / "data")
    }
    subprocess.run(
        [sys.executable, "-m", "renaksi.cli", "demo", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
    )
    return race_figures(env, rounds)


def test_twenty_approve_return_races_each_have_one_winner_and_one_event(tmp_path: Path) -> None:
    figures = race(tmp_path, 20)
    record("approve vs return races (20, SQLite)", figures)
    assert not missed(figures), "\n".join(missed(figures))


@pytest.mark.reliability
def test_a_thousand_approve_return_races_each_have_one_winner_and_one_event(tmp_path: Path) -> None:
    figures = race(tmp_path, 1000)
    record("approve vs return races (1,000, SQLite)", figures)
    assert not missed(figures), "\n".join(missed(figures))
