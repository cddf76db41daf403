"""The reporting period an instant falls in, in an agency's own time zone.

A realization reported at 23:30 on 31 March in Jayapura (WIT, UTC+9) belongs to March and to
the first quarter there, although it is already 1 April in UTC: the period is always read on the
agency's clock, never on the server's (``TZ``) or in UTC. Pure: no Django, no process time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple
from zoneinfo import ZoneInfo

from renaksi.core.schedule import quarter_of_month

__all__ = ["INDONESIAN_ZONES", "Period", "period_of"]

#: The three time zones of Indonesia by their usual names.
INDONESIAN_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


class Period(NamedTuple):
    year: int
    month: int  # 1..12
    quarter: int  # 1..4


def period_of(moment: dt.datetime, time_zone: str) -> Period:
    """The (year, month, quarter) of ``moment`` on the clock of ``time_zone`` (an IANA name such
    as ``Asia/Makassar``, or WIB, WITA, WIT). ``moment`` must carry its offset: a naive time has
    no single period (it could be any of three), so it raises ``ValueError``; so does an unknown
    zone name (``zoneinfo.ZoneInfoNotFoundError`` is a ``KeyError``, raised as it is)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; give an aware datetime")
    local = moment.astimezone(ZoneInfo(INDONESIAN_ZONES.get(time_zone, time_zone)))
    return Period(local.year, local.month, quarter_of_month(local.month))
