"""What the spreadsheet readers (XLSX, and XLS/ODS through calamine) share, and the plan
header's words the text reader looks for too: a value's cell text and kind, the size check of a
sheet, merged ranges and the schedule bar a range within one row draws.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from decimal import Decimal
from typing import Any

from renaksi.core.grid import BOOLEAN, DATE, NUMBER, STRING, Cell, SourceError
from renaksi.core.messages import gettext_noop, msg
from renaksi.core.schedule import MARK_TRUE
from renaksi.core.text import normalize_space
from renaksi.imports import limits as import_limits

# Words of the plan header. A line holding three of them is the header, and the delimiter that
# splits it into the most cells is the file's delimiter.
HEADER_WORD_RE = re.compile(r"\b(NO|SASARAN|INDIKATOR|TARGET|KEGIATAN|BIAYA|AKUN)\b", re.IGNORECASE)
MIN_HEADER_WORDS = 3
HEADER_SCAN_ROWS = 200


EMPTY = Cell("")


def check_extent(rows: int, columns: int) -> None:
    limits = import_limits.current()
    if rows > limits.rows:
        raise SourceError(
            msg(
                gettext_noop("lembar ini punya {count:,} baris, melebihi batas {limit:,}"),
                count=rows,
                limit=limits.rows,
            )
        )
    if columns > limits.columns:
        raise SourceError(
            msg(
                gettext_noop("lembar ini punya {count:,} kolom, melebihi batas {limit}"),
                count=columns,
                limit=limits.columns,
            )
        )


class MergedRanges:
    """Which cells merged ranges cover (all but each range's top-left), by column and row, and
    which ranges lie within one row (``across``: row, first column, last column)."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        by_column: dict[int, list[tuple[int, int, int, int]]] = {}
        self.across = [
            (min_row, min_col, max_col)
            for min_row, min_col, max_row, max_col in ranges
            if min_row == max_row and max_col > min_col
        ]
        for min_row, min_col, max_row, max_col in ranges:
            # Columns past the limit are refused later anyway; clipping keeps a hostile
            # "A1:XFD1" from making 16,384 entries.
            for column in range(min_col, min(max_col, import_limits.current().columns + 1) + 1):
                by_column.setdefault(column, []).append((min_row, max_row, min_row, min_col))
        self.by_column = {column: sorted(entries) for column, entries in by_column.items()}
        self.starts = {column: [entry[0] for entry in entries] for column, entries in self.by_column.items()}

    def covers(self, row: int, column: int) -> bool:
        starts = self.starts.get(column)
        if not starts:
            return False
        index = bisect.bisect_right(starts, row) - 1
        if index < 0:
            return False
        min_row, max_row, top_row, top_col = self.by_column[column][index]
        return row <= max_row and (row, column) != (top_row, top_col)


_MONTHS_IN_A_YEAR = 12


def spread_across(
    cells_by_row: dict[int, dict[int, Cell]],
    across: list[tuple[int, int, int]],
    last_column: int,
    interned: dict[tuple[str, bool, str, str], Cell],
) -> int:
    """Give the cells a range within one row covers what its first cell holds when that is a
    schedule mark (a fill without text, or a month mark with or without a fill): a bar over months
    3..5 schedules all three. A range whose first cell holds other text (a title or a label across
    the table) keeps its covered cells empty, fill and all: repeating a title's fill would give its
    row more cells than the one the recognizer reads as the signing unit or agency. A range wider
    than the twelve months (a filled divider across the whole table) is no schedule bar and is not
    spread either. Ranges over several rows are not passed here; their covered cells stay empty
    ("same as above"). Cells right of the sheet's last real cell are not made, so a range reaching
    far past the table neither widens it nor trips the column limit."""
    spread = 0
    for row, first, last in across:
        if last - first + 1 > _MONTHS_IN_A_YEAR:
            continue
        cells = cells_by_row.get(row)
        top = None if cells is None else cells.get(first)
        if cells is None or top is None:
            continue
        if normalize_space(top.text) in MARK_TRUE:
            text = top.text
        elif top.shaded and not top.text.strip():
            text = ""
        else:
            continue
        key = (text, top.shaded, STRING, "")
        copy = interned.get(key)
        if copy is None:
            copy = interned[key] = Cell(text, top.shaded)
        for column in range(first + 1, min(last, last_column) + 1):
            cells.setdefault(column, copy)
        spread += 1
    return spread


def value_kind(value: Any) -> tuple[str, str]:
    """What kind of value a cell holds, and a number's exact decimal text (``8.378``)."""
    if isinstance(value, bool):
        return BOOLEAN, ""
    if isinstance(value, int):
        return NUMBER, str(value)
    if isinstance(value, float):
        return NUMBER, format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.date | dt.time):
        return DATE, ""
    return STRING, ""


def zero_shows_dash(number_format: str) -> bool:
    """Whether a number format shows zero as a dash, as accounting formats do (``_("Rp"* "-"_)``):
    its third section (the one for zero) prints ``-`` and no digit."""
    sections = number_format.split(";")
    if len(sections) < 3:
        return False
    zero = re.sub(r"\\.|_.|\*.|\[[^\]]*\]", "", sections[2])
    return "-" in zero and not re.search(r"[0#?]", zero)


def cell_text(value: Any, cell: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number_format = cell.number_format or ""
        if value == 0 and zero_shows_dash(number_format):
            return "-"  # a numeric 0 shown "Rp -": the sheet's way of saying "no amount"
        if "%" in number_format:
            return _percent_text(value)
        if isinstance(value, int):
            return str(value)
        if value.is_integer():
            return str(int(value))
        # A fraction must never read as thousands: 12.345 would become Rp 12.345 under Indonesian
        # grouping, so three decimals get a fourth, which no amount parser accepts.
        text = repr(value)
        if "e" not in text and len(text.partition(".")[2]) == 3:
            text += "0"
        return text
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _percent_text(value: int | float) -> str:
    """``0.975`` formatted as a percentage is ``97,5%``: the Indonesian decimal comma, no float noise."""
    percent = Decimal(repr(value)) * 100
    text = format(percent.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"
