"""The official Rencana Aksi table as a printable XLSX workbook, and a roll-up of many plans.

The sheet is the seed's layout: a title block, the two header rows (``RENCANA PELAKSANAAN
KEGIATAN`` over the months 1..12), one row per Rencana Kegiatan with real merged cells for goals,
program goals, indicators and activities, a subtotal row after each strategic goal, the grand
total, and the signature block. Every cell comes from :func:`~renaksi.core.table.table_rows` and
every total from :func:`~renaksi.core.table.plan_totals`, so the workbook agrees with the page,
the PDF and the open data on every figure. The file reads back through the importer as the same
plan: the layout keeps to what the recognizer reads (labels of total rows, the repeated header
before a goal printed without its header, nothing but notes below the grand total).

Safety: plan text is only ever written with ``write_string``, so ``=cmd|...`` stays text; amounts
are only written with ``write_number``. A text longer than a cell holds (32,767 characters) is
never cut silently: its cell shows the start and says where the rest is, and the sheet ``Teks
panjang`` holds it whole (:mod:`renaksi.exports.long_texts`); the writers return those texts. The file appears at its path only when it is complete
(:func:`~renaksi.exports.files.atomic_path`), and XlsxWriter's scratch files live in a private
folder removed whatever happens.

Memory: the workbook is written in XlsxWriter's ``constant_memory`` mode, which streams each row
to disk as soon as a later one starts, so a 44,000-line national roll-up peaks at about 115 MB
instead of about 235 MB (``bench/bench_export_xlsx.py``). That mode cannot pad a merged range
over rows not written yet (``merge_range`` would flush the current row half-written; XlsxWriter's
author declines to support it), so rows are written whole and in order and each merged range is
recorded where ``merge_range`` records it (:meth:`_PlanSheet._merge`). Only cells with something
in them are written; the table's grid is one conditional format (:meth:`_PlanSheet._grid`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from renaksi.core import table
from renaksi.core.plan_tree import CostState, Goal, PlanTree
from renaksi.core.table import (
    COLUMN_SCHEDULE,
    LEADING_COLUMNS,
    PlanTotals,
    TableRow,
    names_persons_in_charge,
    plan_title,
    plan_totals,
    table_rows,
    trailing_columns,
)
from renaksi.core.text import normalize_space
from renaksi.exports.collector import collector_paused
from renaksi.exports.files import atomic_path
from renaksi.exports.long_texts import CELL_LIMIT, LONG_TEXT_SHEET, LongText, LongTexts
from renaksi.exports.meta import ExportMeta

__all__ = [
    "GRAND_TOTAL_LABEL",
    "RUPIAH_FORMAT",
    "SUMMARY_SHEET",
    "goal_subtotal_label",
    "row_heights",
    "sheet_title",
    "write_plan_xlsx",
    "write_rollup_xlsx",
]

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
# Excel's SUM takes at most 255 arguments; a plan with more goals gets its grand total as a value.
_MAX_SUM_ARGUMENTS = 255
_SIGNATURE_GAP_ROWS = 3  # room for the signature itself
_NOTE = {"x_scale": 2, "y_scale": 2}  # the note on a cell whose text is continued elsewhere
_SURELY_FITS = CELL_LIMIT // 2  # characters: at most two UTF-16 units each

# Never turn a text into a formula, a number or a link, whichever write method is called.
_WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def goal_subtotal_label(goal: Goal) -> str:
    """``Jumlah Sasaran Strategis 2``, or the label of the group printed without a goal header."""
    return str(table.goal_subtotal_label(goal))


# -- the public entry points ------------------------------------------------------------------------


@collector_paused()
def write_plan_xlsx(
    tree: PlanTree, target: Path, meta: ExportMeta, *, formulas: bool = True
) -> list[LongText]:
    """Write one plan as the official table on a sheet named after the agency.

    Subtotals and the grand total are values from :func:`plan_totals`; with ``formulas`` they are
    also ``SUM`` formulas whose saved result is that same value, so a spreadsheet that recalculates
    shows the same figure. ``target`` appears only once the workbook is complete. Returns the
    texts too long for a cell, continued on the sheet ``Teks panjang`` (none, usually).
    """
    long_texts = LongTexts()
    with _workbook(target) as workbook:
        styles = _Styles(workbook)
        names = _SheetNames(reserved=[LONG_TEXT_SHEET])
        _PlanSheet(
            workbook, styles, names.take(meta.agency_name), tree, meta, formulas, long_texts=long_texts
        ).write()
        long_texts.write(workbook, styles.header, styles.plain)
    return long_texts.found


@collector_paused()
def write_rollup_xlsx(
    plans: Sequence[tuple[ExportMeta, PlanTree]], target: Path, *, formulas: bool = True
) -> list[LongText]:
    """Write the plans of several agencies (a province and its Kab/Kota) into one workbook.

    The first sheet, ``Ringkasan``, sums costs per agency, per agency and strategic goal, and per
    agency and full budget code, with a grand total; then each plan follows on a sheet of its own
    in the layout of :func:`write_plan_xlsx`. Sheet names are unique and fit Excel's 31 characters.
    Returns the texts too long for a cell, continued on the last sheet, ``Teks panjang``.
    """
    long_texts = LongTexts()
    with _workbook(target) as workbook:
        totals = [plan_totals(tree) for _meta, tree in plans]
        styles = _Styles(workbook)
        names = _SheetNames(reserved=[SUMMARY_SHEET, LONG_TEXT_SHEET])
        summary = workbook.add_worksheet(SUMMARY_SHEET)
        titles = [names.take(meta.agency_name) for meta, _tree in plans]
        _write_summary(summary, styles, plans, totals, titles, long_texts)
        for (meta, tree), plan_total, title in zip(plans, totals, titles, strict=True):
            _PlanSheet(workbook, styles, title, tree, meta, formulas, plan_total, long_texts).write()
        long_texts.write(workbook, styles.header, styles.plain)
    return long_texts.found


@contextmanager
def _workbook(target: Path) -> Iterator[Any]:
    """An XlsxWriter workbook written through :func:`atomic_path`, with its own scratch folder.

    XlsxWriter assembles the parts of the file as temporary files before zipping them, and leaves
    them behind if it fails half-way (a full disk): a private folder removed on exit makes sure
    nothing is left anywhere. On an error the workbook is not closed, so nothing is written, and
    ``atomic_path`` removes its placeholder.
    """
    with atomic_path(target) as temporary, tempfile.TemporaryDirectory(prefix="renaksi-xlsx-") as scratch:
        workbook = xlsxwriter.Workbook(
            str(temporary), {**_WORKBOOK_OPTIONS, "tmpdir": scratch, "constant_memory": True}
        )
        yield workbook
        workbook.close()
        # Each worksheet refers back to its workbook, a cycle that only the cyclic garbage
        # collector frees, and with it every row setting and merged range of every sheet (176,000
        # objects in a 44,000-line roll-up, 0.2 s to walk). Let go of the sheets (the workbook
        # lists them and maps their names to them), and reference counting frees them at once.
        workbook.worksheets().clear()
        workbook.sheetnames.clear()


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


# -- the plan sheet -------------------------------------------------------------------------------------


@dataclass
class _GoalBlock:
    goal: Goal
    rows: list[TableRow]


def _goal_blocks(rows: list[TableRow]) -> list[_GoalBlock]:
    blocks: list[_GoalBlock] = []
    for row in rows:
        if not blocks or blocks[-1].goal is not row.goal:
            blocks.append(_GoalBlock(row.goal, []))
        blocks[-1].rows.append(row)
    return blocks


def _plan_title(tree: PlanTree) -> str:
    return plan_title(tree.title, tree.year)


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


class _PlanSheet:
    def __init__(
        self,
        workbook: Any,
        styles: _Styles,
        title: str,
        tree: PlanTree,
        meta: ExportMeta,
        formulas: bool,
        totals: PlanTotals | None = None,
        long_texts: LongTexts | None = None,
    ) -> None:
        self.sheet = workbook.add_worksheet(title)
        self.long_texts = long_texts if long_texts is not None else LongTexts()
        self.styles = styles
        self.tree = tree
        self.meta = meta
        self.formulas = formulas
        self.rows = table_rows(tree)
        self.totals = totals if totals is not None else plan_totals(tree)
        self.pic = names_persons_in_charge(self.rows)
        self.last_column = PIC if self.pic else REMARKS

    def write(self) -> None:
        sheet = self.sheet
        r = self._title_block(0)
        header_row = r
        r = self._header(r)
        first_data_row = r
        goal_totals = {id(goal): total for goal, total in self.totals.by_goal}
        heights = row_heights(self.rows, self.pic)
        subtotal_rows: list[int] = []
        for position, block in enumerate(_goal_blocks(self.rows)):
            if block.goal.is_headerless and position > 0:
                # As at the seed's page break: the repeated header is what tells a reader (and the
                # importer) that the goal header above these rows is missing, not merged.
                r = self._header(r)
            start = r
            for row in block.rows:
                height = heights[row.index]
                if height is not None:
                    sheet.set_row(r, height)
                self._row(r, row)
                r += 1
            lines = f"{xl_rowcol_to_cell(start, COST)}:{xl_rowcol_to_cell(r - 1, COST)}"
            self._total_row(r, goal_subtotal_label(block.goal), goal_totals[id(block.goal)], lines)
            subtotal_rows.append(r)
            r += 1
        subtotals = ",".join(xl_rowcol_to_cell(row, COST) for row in subtotal_rows)
        if len(subtotal_rows) > _MAX_SUM_ARGUMENTS:
            subtotals = ""
        self._total_row(r, GRAND_TOTAL_LABEL, self.totals.grand_total, subtotals)
        self._grid(header_row, r)
        last_row = self._signature(r + 2)
        for column in range(self.last_column + 1):
            width = _WIDTHS.get(column) or _TAIL_WIDTHS.get(column) or _MONTH_WIDTH
            sheet.set_column(column, column, width)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.center_horizontally()
        sheet.repeat_rows(header_row, header_row + 1)
        sheet.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes
        sheet.print_area(0, 0, r if last_row is None else last_row, self.last_column)
        sheet.freeze_panes(first_data_row, 0)
        agency, title = (
            _header_footer_text(self.meta.agency_name),
            _header_footer_text(_plan_title(self.tree)),
        )
        sheet.set_header(f"&L&8{agency}&R&8{title}")
        # The version and its approval on every printed page, outside the cells the importer reads.
        approval = f"&L&8{_header_footer_text(self.meta.approval, 120)}" if self.meta.approval else ""
        sheet.set_footer(f"{approval}&C&8Halaman &P dari &N")
        _finish_rows(sheet)

    # -- blocks ----------------------------------------------------------------------------------
    def _title_block(self, r: int) -> int:
        tree = self.tree
        lines = [text for text in (_plan_title(tree), tree.signing_unit, tree.agency_label) if text]
        for text in lines:
            self._merge(r, 0, r, self.last_column)
            self._string(r, 0, text, self.styles.title)
            r += 1
        return r + 1 if lines else r

    def _header(self, r: int) -> int:
        sheet, style = self.sheet, self.styles.header
        tail = trailing_columns(pic=self.pic)
        spanning = list(enumerate(LEADING_COLUMNS)) + [(COST + i, label) for i, label in enumerate(tail)]
        for column, label in spanning:
            sheet.write_string(r, column, label, style)
            self._merge(r, column, r + 1, column)
        self._merge(r, FIRST_MONTH, r, FIRST_MONTH + 11)
        sheet.write_string(r, FIRST_MONTH, COLUMN_SCHEDULE, style)
        sheet.set_row(r + 1, 13)
        for month in range(1, 13):
            sheet.write_number(r + 1, FIRST_MONTH + month - 1, month, style)
        return r + 2

    def _merge(self, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a range whose top-left cell is written (or left empty) by the caller.

        XlsxWriter's ``merge_range`` also writes every covered cell, at once: in constant-memory
        mode that flushes the current row before it is complete, and it is a blank cell per covered
        cell that nothing needs (the table's grid is a conditional format, :meth:`_grid`). Recording
        the range in the worksheet's list of merged ranges, which is what ``merge_range`` itself
        does, lets every row be written whole and in order. The ranges never overlap by
        construction (the spans of :func:`table_rows`); the tests read them back.
        """
        self.sheet.merge.append([first_row, first_column, last_row, last_column])

    def _row(self, r: int, row: TableRow) -> None:
        """One table row. Only cells with something in them are written: a scheduled month (its
        fill), a text, an amount. The grid of the empty ones (unscheduled months, cells under a
        merged range, empty remarks) is the table's conditional border (:meth:`_grid`)."""
        sheet, styles = self.sheet, self.styles
        text, centered = styles.text, styles.centered
        write_string = sheet.write_string
        # A span of 0 is a cell covered by the merged cell above: nothing to write.
        if span := row.goal_span:
            goal = row.goal
            self._spanned(r, NO, span, f"{goal.number}." if goal.number is not None else "", centered)
            self._spanned(r, GOAL, span, goal.text, text)
        if span := row.program_goal_span:
            self._spanned(r, PROGRAM_GOAL, span, row.program_goal.text, text)
        if span := row.indicator_span:
            self._spanned(r, INDICATOR, span, row.indicator.text, text)
            self._spanned(r, TARGET, span, row.indicator.target, centered)
        if span := row.activity_span:
            self._spanned(r, ACTIVITY, span, row.activity, text)
        line = row.line
        if line is None:
            return
        if line.name:
            self._string(r, LINE, line.name, text)
        month_on, write_blank = styles.month_on, sheet.write_blank
        for month in line.months:
            write_blank(r, FIRST_MONTH + month - 1, None, month_on)
        if line.cost_state is CostState.AMOUNT:
            sheet.write_number(r, COST, line.cost, styles.money)
        elif line.cost_state is CostState.NONE:
            write_string(r, COST, table.NO_COST_TEXT, centered)
        code = line.budget_code or ("-" if line.cost_state is CostState.NONE else "")
        if code:
            self._string(r, CODE, code, centered)
        if line.remarks:
            self._string(r, REMARKS, line.remarks, text)
        if self.pic and line.person_in_charge:
            self._string(r, PIC, line.person_in_charge, text)

    def _string(self, r: int, column: int, value: str, style: Any) -> None:
        """Plan text, with one kind of line break, continued on the long-text sheet if too long."""
        value = _one_kind_of_line_break(value)
        if len(value) <= _SURELY_FITS:  # nearly every text: no need to count UTF-16 units
            self.sheet.write_string(r, column, value, style)
            return
        shown, note = self.long_texts.fit(self.sheet.name, r, column, value)
        self.sheet.write_string(r, column, shown, style)
        if note is not None:
            self.sheet.write_comment(r, column, note, _NOTE)

    def _spanned(self, r: int, column: int, span: int, value: str, style: Any) -> None:
        """A cell merged down over ``span`` rows, from its first row."""
        if value:
            self._string(r, column, value, style)
        if span > 1:
            self._merge(r, column, r + span - 1, column)

    def _grid(self, first_row: int, last_row: int) -> None:
        """Thin borders on every cell of the table, as one conditional format over its range.

        Written as a border on each empty cell (12 months a line, the cells under each merged
        range, empty remarks) the grid was two thirds of the cells of a roll-up and half its
        export time; a conditional format draws the same lines on screen and on paper, stays
        with the table when rows are inserted in it, and leaves the cells empty."""
        self.sheet.conditional_format(
            first_row,
            0,
            last_row,
            self.last_column,
            {"type": "formula", "criteria": "TRUE", "format": self.styles.grid},
        )

    def _total_row(self, r: int, label: str, total: int, summed: str) -> None:
        """``label`` in the Rencana Kegiatan column (merged across the months) and the amount under
        PERKIRAAN BIAYA: the shape the importer reads as a total row, and checks. ``summed`` is
        what the ``SUM`` formula adds up; its saved result is ``total`` either way."""
        sheet, styles = self.sheet, self.styles
        self._merge(r, LINE, r, COST - 1)
        sheet.write_string(r, LINE, label, styles.total_label)
        if self.formulas and summed:
            sheet.write_formula(r, COST, f"=SUM({summed})", styles.total_money, total)
        else:
            sheet.write_number(r, COST, total, styles.total_money)

    def _signature(self, r: int) -> int | None:
        """Place and date, the signer's title, room to sign, the name and the NIP, in the right
        part of the page. Returns the last row used, ``None`` when there is nothing to sign."""
        signature, styles = self.meta.signature, self.styles
        lines: list[tuple[str, Any]] = []
        if signature.place_and_date:
            lines.append((signature.place_and_date, styles.signature))
        if signature.title:
            lines.append((signature.title, styles.signature))
        if signature.name or signature.nip:
            lines.extend([("", None)] * _SIGNATURE_GAP_ROWS)
            if signature.name:
                lines.append((signature.name, styles.signature_name))
            if signature.nip:
                lines.append((f"NIP. {signature.nip}", styles.signature))
        first_column = FIRST_MONTH + 6  # from July across PERKIRAAN BIAYA to the last column
        for text, style in lines:
            if text:
                self._merge(r, first_column, r, self.last_column)
                self._string(r, first_column, text, style)
            r += 1
        return r - 1 if lines else None


# -- the roll-up summary ------------------------------------------------------------------------------


def _write_summary(
    sheet: Any,
    styles: _Styles,
    plans: Sequence[tuple[ExportMeta, PlanTree]],
    totals: list[PlanTotals],
    titles: list[str],
    long_texts: LongTexts,
) -> None:
    """Costs per agency, per agency × strategic goal and per agency × budget code, with totals.

    Its header rows hold fewer than three words of the plan header, so an importer looking for
    "the first sheet with the plan header" passes over it to the first agency's sheet.
    """
    write_number = sheet.write_number

    def write_string(row: int, column: int, value: str, style: Any) -> None:
        shown, note = long_texts.fit(sheet.name, row, column, _one_kind_of_line_break(value))
        sheet.write_string(row, column, shown, style)
        if note is not None:
            sheet.write_comment(row, column, note, _NOTE)

    grand_total = sum(total.grand_total for total in totals)
    years = {tree.year for _meta, tree in plans if tree.year}
    heading = "RINGKASAN RENCANA AKSI" + (f" TAHUN {years.pop()}" if len(years) == 1 else "")
    write_string(0, 0, heading, styles.title)
    write_string(
        1, 0, f"{len(plans)} satker, {sum(t.lines for t in totals):,} rencana kegiatan", styles.plain
    )
    r = 3

    def header(row: int, labels: Sequence[str]) -> int:
        for column, label in enumerate(labels):
            write_string(row, column, label, styles.header)
        return row + 1

    def total_row(row: int, label: str, amount: int, count: int | None = None) -> int:
        write_string(row, 0, label, styles.total_label)
        if count is None:
            sheet.write_blank(row, 1, None, styles.total_blank)
        else:
            write_number(row, 1, count, styles.total_count)
        write_number(row, 2, amount, styles.total_money)
        return row + 1

    write_string(r, 0, "A. Perkiraan biaya per satker", styles.section)
    r = header(r + 1, ("Satker", "Jumlah Rencana Kegiatan", "Perkiraan Biaya"))
    names = [meta.agency_name or title for (meta, _tree), title in zip(plans, titles, strict=True)]
    for name, total, title in zip(names, totals, titles, strict=True):
        quoted = title.replace("'", "''")
        sheet.write_url(r, 0, f"internal:'{quoted}'!A1", styles.text, _one_kind_of_line_break(name))
        write_number(r, 1, total.lines, styles.count)
        write_number(r, 2, total.grand_total, styles.money)
        r += 1
    r = total_row(r, GRAND_TOTAL_LABEL, grand_total, sum(t.lines for t in totals)) + 1

    write_string(r, 0, "B. Perkiraan biaya per satker dan sasaran strategis", styles.section)
    r = header(r + 1, ("Satker", "Sasaran Strategis", "Perkiraan Biaya"))
    for name, total in zip(names, totals, strict=True):
        for goal, amount in total.by_goal:
            write_string(r, 0, name, styles.text)
            if goal.is_headerless:
                write_string(r, 1, HEADERLESS_GOAL, styles.text)
            else:
                write_string(r, 1, f"{goal.number}. {goal.text}".rstrip(), styles.text)
            write_number(r, 2, amount, styles.money)
            r += 1
    r = total_row(r, GRAND_TOTAL_LABEL, grand_total) + 1

    write_string(r, 0, "C. Perkiraan biaya per satker dan akun", styles.section)
    r = header(r + 1, ("Satker", "Akun", "Perkiraan Biaya"))
    for name, total in zip(names, totals, strict=True):
        for code, amount in total.by_code.items():
            write_string(r, 0, name, styles.text)
            write_string(r, 1, code, styles.text)
            write_number(r, 2, amount, styles.money)
            r += 1
        uncoded = total.grand_total - sum(total.by_code.values())
        if uncoded:
            write_string(r, 0, name, styles.text)
            write_string(r, 1, "(tanpa akun)", styles.text)
            write_number(r, 2, uncoded, styles.money)
            r += 1
    r = total_row(r, GRAND_TOTAL_LABEL, grand_total)

    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 22)
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C&8Halaman &P dari &N")
    _finish_rows(sheet)
