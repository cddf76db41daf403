"""Reporting periods around month, quarter and year ends, on the agency's clock (WIB, WITA, WIT),
whatever the process time zone: the table is checked here and, in a subprocess, under
``TZ=UTC`` and ``TZ=Asia/Makassar``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

import pytest

from renaksi.core.periods import Period, period_of

UTC = dt.UTC
# (UTC instant, zone, expected period): each pair straddles a local midnight that ends a month,
# a quarter or a year. Worked out by hand: WIB is UTC+7, WITA UTC+8, WIT UTC+9, none has DST.
INSTANTS = [
    ("2024-01-31T16:59:59", "Asia/Jakarta", (2024, 1, 1)),
    ("2024-01-31T17:00:00", "Asia/Jakarta", (2024, 2, 1)),
    ("2024-02-29T15:59:59", "Asia/Makassar", (2024, 2, 1)),  # a leap day
    ("2024-02-29T16:00:00", "Asia/Makassar", (2024, 3, 1)),
    ("2024-03-31T14:59:59", "Asia/Jayapura", (2024, 3, 1)),
    ("2024-03-31T15:00:00", "Asia/Jayapura", (2024, 4, 2)),  # still 31 March in UTC
    ("2024-03-31T16:59:59", "Asia/Jakarta", (2024, 3, 1)),
    ("2024-03-31T17:00:00", "Asia/Jakarta", (2024, 4, 2)),
    ("2024-06-30T15:59:59", "Asia/Makassar", (2024, 6, 2)),
    ("2024-06-30T16:00:00", "Asia/Makassar", (2024, 7, 3)),
    ("2024-06-30T15:00:00", "Asia/Jayapura", (2024, 7, 3)),
    ("2024-06-30T14:59:59", "Asia/Jayapura", (2024, 6, 2)),
    ("2024-09-30T16:59:59", "Asia/Jakarta", (2024, 9, 3)),
    ("2024-09-30T17:00:00", "Asia/Jakarta", (2024, 10, 4)),
    ("2024-09-30T16:00:00", "Asia/Makassar", (2024, 10, 4)),
    ("2024-12-31T16:59:59", "Asia/Jakarta", (2024, 12, 4)),
    ("2024-12-31T17:00:00", "Asia/Jakarta", (2025, 1, 1)),
    ("2024-12-31T15:59:59", "Asia/Makassar", (2024, 12, 4)),
    ("2024-12-31T16:00:00", "Asia/Makassar", (2025, 1, 1)),
    ("2024-12-31T14:59:59", "Asia/Jayapura", (2024, 12, 4)),
    ("2024-12-31T15:00:00", "Asia/Jayapura", (2025, 1, 1)),  # New Year in Papua, 31 Dec in UTC
    ("2023-12-31T23:59:59", "Asia/Jayapura", (2024, 1, 1)),
    ("2025-03-31T16:30:00", "WIB", (2025, 3, 1)),
    ("2025-03-31T16:30:00", "WITA", (2025, 4, 2)),
    ("2025-03-31T16:30:00", "WIT", (2025, 4, 2)),
]


@pytest.mark.parametrize(("instant", "zone", "expected"), INSTANTS)
def test_an_instant_falls_in_the_period_of_the_agency_clock(
    instant: str, zone: str, expected: tuple[int, int, int]
) -> None:
    assert period_of(dt.datetime.fromisoformat(instant).replace(tzinfo=UTC), zone) == Period(*expected)


def test_the_same_instant_in_another_offset_gives_the_same_period() -> None:
    moment = dt.datetime(2024, 12, 31, 15, 0, tzinfo=UTC)
    shifted = moment.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    assert period_of(shifted, "Asia/Jayapura") == period_of(moment, "Asia/Jayapura") == Period(2025, 1, 1)


def test_a_naive_time_is_refused_rather_than_read_on_the_server_clock() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        period_of(dt.datetime(2024, 12, 31, 23, 0), "Asia/Jakarta")


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        period_of(dt.datetime(2024, 1, 1, tzinfo=UTC), "Asia/Atlantis")


# Tests whose answers involve clocks and dates, run again under each process time zone.
TZ_SUBSET = ["tests/reliability/test_periods.py", "tests/core/test_core_schedule.py"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("tz", ["UTC", "Asia/Makassar"])
def test_the_time_tests_pass_under_each_process_time_zone(tz: str, tmp_path: Path) -> None:
    if os.environ.get("RENAKSI_TZ_CHILD"):
        pytest.skip("already the child run")
    # Without DATABASE_URL: the child must never touch the test database of this run.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"TZ": tz, "RENAKSI_TZ_CHILD": "1", "RENAKSI_DATA_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TZ_SUBSET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
