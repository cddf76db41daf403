"""The layout the XLSX export shares between its sheets: the table's columns and widths, the
labels and number formats, the workbook's formats (:class:`_Styles`), sheet names Excel accepts,
and each table row's height (:func:`row_heights`). Part of :mod:`renaksi.exports.xlsx`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from renaksi.core import table
from renaksi.core.plan_tree import Goal
from renaksi.core.table import TableRow
from renaksi.core.text import normalize_space

# Columns of the table, 0-based.
NO, GOAL, PROGRAM_GOAL, INDICATOR, TARGET, ACTIVITY, LINE = range(7)
FIRST_MONTH = 7
COST = FIRST_MONTH + 12
CODE, REMARKS, PIC = COST + 1, COST + 2, COST + 3
_WIDTHS = {NO: 5, GOAL: 22, PROGRAM_GOAL: 24, INDICATOR: 28, TARGET: 12, ACTIVITY: 24, LINE: 30}
_TAIL_WIDTHS = {COST: 19, CODE: 16, REMARKS: 16, PIC: 20}
_MONTH_WIDTH = 3.3

# The shared labels (renaksi.core.table), in Indonesian: the workbook is the official document.
GRAND_TOTAL_LABEL = str(table.GRAND_TOTAL)
HEADERLESS_SUBTOTAL_LABEL = str(table.HEADERLESS_SUBTOTAL)
HEADERLESS_GOAL = str(table.HEADERLESS_GOAL)
SUMMARY_SHEET = "Ringkasan"
# Accounting style: "Rp" at the left edge, the amount right-aligned with thousands grouped (shown
# with "." in an Indonesian-locale spreadsheet). One section, so 0 shows as 0, never as "-",
# which in this table means "no cost".
RUPIAH_FORMAT = '_("Rp"* #,##0_)'
_MONTH_FILL = "#4F81BD"
_HEADER_FILL = "#D9D9D9"
_NOTE = {"x_scale": 2, "y_scale": 2}  # the note on a cell whose text is continued elsewhere

# Never turn a text into a formula, a number or a link, whichever write method is called.
_WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def goal_subtotal_label(goal: Goal) -> str:
    """``Jumlah Sasaran Strategis 2``, or the label of the group printed without a goal header."""
    return str(table.goal_subtotal_label(goal))


# -- formats ----------------------------------------------------------------------------------------


class _Styles:
    """The formats of a workbook, made once and shared by its sheets."""

    def __init__(self, workbook: Any) -> None:
        add = workbook.add_format
        base = {"font_name": "Arial", "font_size": 9}
        cell = {**base, "border": 1, "valign": "top", "text_wrap": True}
        self.title = add({**base, "font_size": 12, "bold": True, "align": "center", "valign": "vcenter"})
        self.header = add(
            {
                **base,
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "pattern": 1,
                "bg_color": _HEADER_FILL,
            }
        )
        self.text = add(cell)
        self.centered = add({**cell, "align": "center"})
        self.money = add({**cell, "num_format": RUPIAH_FORMAT, "text_wrap": False})
        self.grid = add({"border": 1})
        self.month_on = add({**base, "border": 1, "pattern": 1, "bg_color": _MONTH_FILL})
        self.total_label = add({**cell, "bold": True, "align": "right", "valign": "vcenter"})
        self.total_blank = add({**base, "border": 1})
        self.total_money = add({**base, "border": 1, "bold": True, "num_format": RUPIAH_FORMAT})
        self.signature = add({**base, "font_size": 10, "align": "center"})
        self.signature_name = add({**base, "font_size": 10, "align": "center", "bold": True, "underline": 1})
        self.plain = add(base)
        self.section = add({**base, "bold": True, "font_size": 10})
        self.count = add({**cell, "num_format": "#,##0"})
        self.total_count = add({**base, "border": 1, "bold": True, "num_format": "#,##0"})


# -- sheet names --------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_SHEET_MAX = 31  # characters as Excel counts them (UTF-16 code units)
# Ways to shorten an agency name that is too long, tried in order before it is cut.
_ABBREVIATIONS = (
    (re.compile(r"\bkomisi pemilihan umum\b", re.IGNORECASE), "KPU"),
    (re.compile(r"\bkabupaten\b", re.IGNORECASE), "Kab."),
    (re.compile(r"\bprovinsi\b", re.IGNORECASE), "Prov."),
)


def _excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> str:
    while _excel_length(text) > limit:
        text = text[:-1]
    return text.rstrip(" '")


def sheet_title(name: str) -> str:
    """A sheet name Excel accepts for an agency name: no ``[]:*?/\\``, not quoted, ≤ 31 characters."""
    text = normalize_space(_SHEET_FORBIDDEN.sub(" ", name)).strip("' ")
    for pattern, short in _ABBREVIATIONS:
        if _excel_length(text) <= _SHEET_MAX:
            break
        text = pattern.sub(short, text)
    text = _cut(text, _SHEET_MAX)
    return text or "Rencana Aksi"


class _SheetNames:
    """Hands out sheet names unique within a workbook, as Excel compares them (ignoring case)."""

    def __init__(self, reserved: Sequence[str] = ()) -> None:
        self.taken = {"history"}  # reserved by Excel
        self.taken.update(name.casefold() for name in reserved)

    def take(self, agency_name: str) -> str:
        base = sheet_title(agency_name)
        candidate, number = base, 2
        while candidate.casefold() in self.taken:
            suffix = f" ({number})"
            candidate = _cut(base, _SHEET_MAX - len(suffix)) + suffix
            number += 1
        self.taken.add(candidate.casefold())
        return candidate


def _one_kind_of_line_break(text: str) -> str:
    """Line breaks as spreadsheets keep them (LF). A carriage return, as a browser's text box
    sends with every line break, would be saved as the escape ``_x000D_``, which readers that do
    not decode it (openpyxl, so the importer) would show as text."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _finish_rows(sheet: Any) -> None:
    """Close the file a finished sheet streams its rows to; XlsxWriter opens it again to assemble
    the workbook. Without this a roll-up holds one open file per agency until the end."""
    close = getattr(sheet, "_opt_close", None)
    if sheet.constant_memory and close is not None:
        close()


def _header_footer_text(text: str, limit: int = 80) -> str:
    """Plan text inside a page header or footer, where ``&`` starts a control code."""
    return normalize_space(text)[:limit].replace("&", "&&")


# Row heights. Spreadsheets do not grow a row to fit its wrapped text when the file is opened
# (LibreOffice keeps the default height; a merged cell never grows its rows, in Excel either),
# so the export sets each row's height from an estimate of the lines its texts wrap to.
_DEFAULT_ROW_POINTS = 15.0
_LINE_POINTS = 11.5  # one line of Arial 9
_PADDING_POINTS = 3.0
_CHARACTERS_PER_WIDTH = 1.15  # characters of Arial 9 per unit of column width, after word wrap


_PER_LINE = {
    column: max(1, int(width * _CHARACTERS_PER_WIDTH))
    for column, width in {**_WIDTHS, **_TAIL_WIDTHS}.items()
}


def _wrapped_lines(text: str, column: int) -> int:
    per_line = _PER_LINE[column]
    return sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))


def row_heights(rows: Sequence[TableRow], pic: bool = False) -> list[float | None]:
    """The height in points of each table row so that its texts show whole, ``None`` where the
    default height does. A text merged over several rows gets the height it needs spread evenly
    over those rows when the rows' own texts leave it short; shorter spans are settled first.
    A one-line text never needs more than the default height, so only longer ones are counted."""
    heights = [_DEFAULT_ROW_POINTS] * len(rows)
    spans: list[tuple[int, int, float]] = []

    def fit(index: int, tallest: float, column: int, span: int, text: str) -> float:
        """``tallest`` raised to what ``text`` needs if it sits in this row alone, or the text's
        need noted for its span; a text short enough for one line needs nothing."""
        if "\n" in text:
            lines = _wrapped_lines(text, column)
        elif len(text) <= _PER_LINE[column]:
            return tallest
        else:
            lines = -(-len(text) // _PER_LINE[column])
        needed = lines * _LINE_POINTS + _PADDING_POINTS
        if span == 1:
            return max(tallest, needed)
        spans.append((index, span, needed))
        return tallest

    for index, row in enumerate(rows):
        tallest = _DEFAULT_ROW_POINTS
        # A merged text is measured on the first row of its span, the only one with a span.
        if row.goal_span and row.goal.text:
            tallest = fit(index, tallest, GOAL, row.goal_span, row.goal.text)
        if row.program_goal_span and row.program_goal.text:
            tallest = fit(index, tallest, PROGRAM_GOAL, row.program_goal_span, row.program_goal.text)
        if row.indicator_span:
            indicator = row.indicator
            if indicator.text:
                tallest = fit(index, tallest, INDICATOR, row.indicator_span, indicator.text)
            if indicator.target:
                tallest = fit(index, tallest, TARGET, row.indicator_span, indicator.target)
        if row.activity_span and row.activity:
            tallest = fit(index, tallest, ACTIVITY, row.activity_span, row.activity)
        line = row.line
        if line is not None:
            if line.name:
                tallest = fit(index, tallest, LINE, 1, line.name)
            if line.budget_code:
                tallest = fit(index, tallest, CODE, 1, line.budget_code)
            if line.remarks:
                tallest = fit(index, tallest, REMARKS, 1, line.remarks)
            if pic and line.person_in_charge:
                tallest = fit(index, tallest, PIC, 1, line.person_in_charge)
        heights[index] = tallest
    for first, span, needed in sorted(spans, key=lambda item: item[1]):
        short = needed - sum(heights[first : first + span])
        if short > 0:
            for index in range(first, first + span):
                heights[index] += short / span
    return [round(height, 2) if height > _DEFAULT_ROW_POINTS else None for height in heights]
