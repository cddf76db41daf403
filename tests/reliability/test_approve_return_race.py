"""Approve versus return, pressed at the same moment by two people holding the same page of a
submitted plan: exactly one wins, the other is told why (the documented ``WorkflowError`` or its
``EditConflict``), and the round writes exactly one history event. On a SQLite file made by
``renaksi demo``; 20 rounds in every run, 1,000 with ``make reliability``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from figures import Figure, missed, record

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
    run = subprocess.run(
        [sys.executable, str(HERE / "race_worker.py"), str(rounds)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60 + rounds,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.splitlines()[-1])
    pairs = list(zip(result["approve"], result["return"], result["events"], strict=True))
    winners = [sum(o == "won" for o in (a, r)) for a, r, _e in pairs]
    crashes = [o for a, r, _e in pairs for o in (a, r) if o.startswith("crash")]
    return [
        Figure("rounds", len(pairs), f">= {rounds}"),
        Figure("rounds without exactly one winner", sum(w != 1 for w in winners), "== 0"),
        Figure("rounds without exactly one history event", sum(e != 1 for _a, _r, e in pairs), "== 0"),
        Figure("losers not told with the documented error", len(crashes), "== 0", "\n".join(crashes[:5])),
    ]


def test_twenty_approve_return_races_each_have_one_winner_and_one_event(tmp_path: Path) -> None:
    figures = race(tmp_path, 20)
    record("approve vs return races (20, SQLite)", figures)
    assert not missed(figures), "\n".join(missed(figures))


@pytest.mark.reliability
def test_a_thousand_approve_return_races_each_have_one_winner_and_one_event(tmp_path: Path) -> None:
    figures = race(tmp_path, 1000)
    record("approve vs return races (1,000, SQLite)", figures)
    assert not missed(figures), "\n".join(missed(figures))
