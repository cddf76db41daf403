"""Approve versus return on PostgreSQL (a database of the test's own on the server of
``DATABASE_URL``, made by ``renaksi demo``): exactly one winner and one history event a round, the
loser told why. 20 rounds in every run on PostgreSQL, 1,000 with ``make reliability``; the SQLite
races are tests/reliability/test_approve_return_race.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from concurrency_support import Database

RELIABILITY = Path(__file__).resolve().parents[1] / "reliability"
if str(RELIABILITY) not in sys.path:
    sys.path.insert(0, str(RELIABILITY))

from figures import missed, record  # noqa: E402  (tests/reliability)
from races import race_figures  # noqa: E402


@pytest.mark.parametrize(
    "rounds", [pytest.param(20, id="20"), pytest.param(1000, id="1000", marks=pytest.mark.reliability)]
)
def test_approve_return_races_on_postgresql_each_have_one_winner_and_one_event(
    postgresql_db: Database, rounds: int
) -> None:
    figures = race_figures(postgresql_db.env, rounds)
    record(f"approve vs return races ({rounds:,}, PostgreSQL)", figures)
    assert not missed(figures), "\n".join(missed(figures))
