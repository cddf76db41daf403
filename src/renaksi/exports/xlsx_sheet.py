"""One plan's sheet of the XLSX export: the official table, its totals and the signature
block (:class:`_PlanSheet`). Part of :mod:`renaksi.exports.xlsx`, whose docstring says how rows
and merged ranges are written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from renaksi.exports.long_texts import CELL_LIMIT, LongTexts
from renaksi.exports.meta import ExportMeta
from renaksi.exports.xlsx_layout import (
    _MONTH_WIDTH,
    _NOTE,
    _TAIL_WIDTHS,
    _WIDTHS,
    ACTIVITY,
    CODE,
    COST,
    FIRST_MONTH,
    GOAL,
    GRAND_TOTAL_LABEL,
    INDICATOR,
    LINE,
    NO,
    PIC,
    PROGRAM_GOAL,
    REMARKS,
    TARGET,
    _finish_rows,
    _header_footer_text,
    _one_kind_of_line_break,
    _Styles,
    goal_subtotal_label,
    row_heights,
)

# Excel's SUM takes at most 255 arguments; a plan with more goals gets its grand total as a value.
_MAX_SUM_ARGUMENTS = 255
_SIGNATURE_GAP_ROWS = 3  # room for the signature itself
_SURELY_FITS = CELL_LIMIT // 2  # characters: at most two UTF-16 units each


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
