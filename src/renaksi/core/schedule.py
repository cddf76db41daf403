"""Months and quarters of the fiscal year, and the schedule of a plan line (RENCANA PELAKSANAAN).

The fiscal year is the calendar year, so month 1 is Januari and quarter 1 (TW I) is Januari to
Maret. A line's schedule is the set of months in which it runs, kept as a 12-bit mask: small,
hashable, and cheap to compare or store in one integer column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from renaksi.core.messages import MessageError, gettext_noop, msg
from renaksi.core.text import normalize_space

__all__ = [
    "MARK_TRUE",
    "MONTH_ABBR_ID",
    "MONTH_NAMES_ID",
    "Schedule",
    "ScheduleError",
    "months_of_quarter",
    "parse_month",
    "parse_month_mark",
    "parse_quarter",
    "quarter_label",
    "quarter_of_month",
]

MONTH_NAMES_ID: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTH_ABBR_ID: tuple[str, ...] = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
)

#: Cell contents that mark a month as scheduled in a RENCANA PELAKSANAAN column.
MARK_TRUE: frozenset[str] = frozenset(
    {"v", "V", "x", "X", "\u2713", "\u2714", "\u221a", "1", "\u25cf", "\u25a0"}
)

_ROMAN = ("I", "II", "III", "IV")
_ALL_MONTHS_MASK = (1 << 12) - 1

# Every accepted spelling of a month, casefolded. "Agt" and "Ags" are common alternatives to
# "Agu"; "Sept" is a frequent hand-typed form.
_MONTH_LOOKUP: dict[str, int] = {
    **{name.casefold(): i for i, name in enumerate(MONTH_NAMES_ID, 1)},
    **{abbr.casefold(): i for i, abbr in enumerate(MONTH_ABBR_ID, 1)},
    "agt": 8,
    "ags": 8,
    "sept": 9,
}
_QUARTER_RE = re.compile(
    r"(?:tw|trw|triwulan|q|kuartal)\.?\s?-?\s?(?:ke\s?-?\s?)?(?P<q>iv|i{1,3}|[1-4])", re.IGNORECASE
)
_RANGE_DASH_RE = re.compile(r"\s?[-\u2013\u2014]\s?")


class ScheduleError(MessageError):
    """A month, quarter, mark or schedule that cannot be read, with a message saying why."""


def parse_month(text: str | int) -> int:
    """Read a month as a number 1..12 from ``"3"``, ``"Maret"``, ``"mar"``, ``"Agt"`` and the like.

    Letter case and a trailing dot (``"Jan."``) are ignored. Ints are accepted too, so callers
    can pass a cell value whatever type the spreadsheet reader gave it.
    """
    if isinstance(text, bool):
        raise ScheduleError(msg(gettext_noop("{text!r} bukan bulan"), text=text))
    if isinstance(text, int):
        return _check_month(text)
    key = normalize_space(text).casefold().removesuffix(".")
    if key.isascii() and key.isdigit():
        if len(key.lstrip("0")) > 2:
            raise ScheduleError(
                msg(gettext_noop("{text!r} bukan bulan: bulan bernomor 1 sampai 12"), text=text)
            )
        return _check_month(int(key))
    month = _MONTH_LOOKUP.get(key)
    if month is None:
        raise ScheduleError(
            msg(
                gettext_noop(
                    "{text!r} bukan bulan: seharusnya 1 sampai 12, nama bulan (Januari ... Desember) atau "
                    "singkatannya (Jan, Feb, Mar, Apr, Mei, Jun, Jul, Agu/Agt/Ags, Sep, Okt, Nov, Des)"
                ),
                text=text,
            )
        )
    return month


def _check_month(m: int) -> int:
    if isinstance(m, bool) or not 1 <= m <= 12:
        raise ScheduleError(
            msg(gettext_noop("bulan {month} di luar rentang: bulan bernomor 1 sampai 12"), month=m)
        )
    return m


def _check_quarter(q: int) -> int:
    if isinstance(q, bool) or not 1 <= q <= 4:
        raise ScheduleError(
            msg(gettext_noop("triwulan {quarter} di luar rentang: triwulan bernomor 1 sampai 4"), quarter=q)
        )
    return q


def quarter_of_month(m: int) -> int:
    """The quarter (1..4) that a month (1..12) falls in."""
    return (_check_month(m) - 1) // 3 + 1


def months_of_quarter(q: int) -> tuple[int, ...]:
    """The three months of a quarter: quarter 2 is ``(4, 5, 6)``."""
    first = (_check_quarter(q) - 1) * 3 + 1
    return (first, first + 1, first + 2)


def quarter_label(q: int) -> str:
    """The Indonesian label of a quarter: ``"TW I"`` to ``"TW IV"`` (triwulan)."""
    return f"TW {_ROMAN[_check_quarter(q) - 1]}"


def parse_quarter(text: str) -> int:
    """Read a quarter from ``"TW I"``, ``"Triwulan II"``, ``"Trw III"``, ``"TW 4"``, ``"Q1"``."""
    match = _QUARTER_RE.fullmatch(normalize_space(text))
    if match is None:
        raise ScheduleError(
            msg(
                gettext_noop(
                    "{text!r} bukan triwulan: seharusnya TW, Triwulan, Trw atau Q diikuti I sampai IV atau 1 sampai 4"
                ),
                text=text,
            )
        )
    number = match["q"].upper()
    return _ROMAN.index(number) + 1 if number in _ROMAN else int(number)


@dataclass(frozen=True)
class Schedule:
    """The months a plan line runs in: bit ``m - 1`` of ``mask`` is set when month ``m`` is."""

    mask: int = 0

    def __post_init__(self) -> None:
        """Refuse masks with bits outside the 12 months."""
        if isinstance(self.mask, bool) or not isinstance(self.mask, int):
            raise ScheduleError(f"a schedule mask is an int, not {type(self.mask).__name__}")
        if not 0 <= self.mask <= _ALL_MONTHS_MASK:
            raise ScheduleError(f"schedule mask {self.mask} is out of range 0..{_ALL_MONTHS_MASK}")

    @classmethod
    def from_months(cls, months: Iterable[int]) -> Schedule:
        """Build a schedule from month numbers; duplicates are harmless, bad months raise."""
        mask = 0
        for m in months:
            mask |= 1 << (_check_month(m) - 1)
        return cls(mask)

    @classmethod
    def from_flags(cls, flags: Iterable[bool]) -> Schedule:
        """Build a schedule from 12 flags, one per month column, Januari first."""
        values = list(flags)
        if len(values) != 12:
            raise ScheduleError(f"a schedule needs 12 month flags, got {len(values)}")
        return cls.from_months(m for m, flag in enumerate(values, 1) if flag)

    @classmethod
    def from_text(cls, text: str) -> Schedule:
        """Read the :meth:`to_text` form, ``"1,2,3"``; ranges (``"1-3,7"``) and names (``"Jan-Mar"``) too.

        An empty text is the empty schedule. Items are separated by commas or semicolons; an
        empty item or a backwards range (``"5-2"``) is an error rather than a guess.
        """
        s = normalize_space(text)
        if not s:
            return cls()
        months: list[int] = []
        for item in re.split(r"[,;]", s):
            item = item.strip()
            if not item:
                raise ScheduleError(
                    msg(
                        gettext_noop("jadwal {text!r} punya butir kosong (dua koma berturut-turut?)"),
                        text=text,
                    )
                )
            bounds = _RANGE_DASH_RE.split(item)
            if len(bounds) > 2:
                raise ScheduleError(
                    msg(gettext_noop("butir jadwal {item!r} bukan bulan atau rentang bulan"), item=item)
                )
            first, last = parse_month(bounds[0]), parse_month(bounds[-1])
            if first > last:
                raise ScheduleError(msg(gettext_noop("rentang jadwal {item!r} terbalik"), item=item))
            months.extend(range(first, last + 1))
        return cls.from_months(months)

    @property
    def months(self) -> tuple[int, ...]:
        """The scheduled months, in calendar order."""
        return tuple(m for m in range(1, 13) if self.mask >> (m - 1) & 1)

    @property
    def flags(self) -> tuple[bool, ...]:
        """Twelve booleans, Januari first, as shown in the month columns of the table."""
        return tuple(bool(self.mask >> (m - 1) & 1) for m in range(1, 13))

    @property
    def quarters(self) -> tuple[int, ...]:
        """The quarters holding at least one scheduled month, in order."""
        return tuple(sorted({quarter_of_month(m) for m in self.months}))

    @property
    def is_empty(self) -> bool:
        """Whether no month is scheduled (as after importing a sheet whose shading was lost)."""
        return self.mask == 0

    def __contains__(self, month: object) -> bool:
        """``3 in schedule``: anything that is not a month 1..12 is simply not contained."""
        if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
            return False
        return bool(self.mask >> (month - 1) & 1)

    def to_text(self) -> str:
        """The months as ``"1,2,3"``; ``""`` for the empty schedule."""
        return ",".join(str(m) for m in self.months)


def parse_month_mark(text: str) -> bool:
    """Read one month cell of the schedule: a mark means scheduled, an empty cell means not.

    Anything else is an error rather than a guess, since a stray value in a month column usually
    means the columns were read out of place.
    """
    s = normalize_space(text)
    if not s:
        return False
    if s in MARK_TRUE:
        return True
    accepted = " ".join(sorted(MARK_TRUE))
    raise ScheduleError(
        msg(
            gettext_noop("{text!r} bukan tanda bulan: seharusnya sel kosong atau salah satu dari {accepted}"),
            text=text,
            accepted=accepted,
        )
    )
