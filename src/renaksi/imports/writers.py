"""A plan tree written back as the official table, in the forms the importer reads.

Every writer is fed by :func:`renaksi.core.table.table_rows` and nothing else, so the files agree
with every other output on what is printed where. The layout is the seed's: a title block, the
header (``RENCANA PELAKSANAAN KEGIATAN`` over the months 1..12 on a second header row), then
one row per Rencana Kegiatan. A cell covered by a merged cell is written empty, which the
importer reads as "same as above"; XLSX gets real merged ranges instead.

These writers serve round-trip tests, the benchmark and simple downloads; the full print layout
(column widths, page setup, signature block) is built elsewhere.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.core.table import (
    COLUMN_CODE,
    COLUMN_COST,
    COLUMN_PIC,
    COLUMN_REMARKS,
    COLUMN_SCHEDULE,
    LEADING_COLUMNS,
    NO_COST_TEXT,
    TableRow,
    names_persons_in_charge,
    plan_title,
    table_rows,
    trailing_columns,
)
from renaksi.core.text import csv_safe

__all__ = ["MoneyStyle", "WriterError", "table_cells", "write_csv", "write_tsv", "write_xlsx"]

# "plain": an integer without grouping (8378000), which a spreadsheet in any locale reads as it is.
MoneyStyle = Literal["id", "en", "seed", "plain"]
_MONEY_STYLES = ("id", "en", "seed", "plain")

# Column positions of the table (0-based) before the optional second cost cell of the seed style.
_NO, _GOAL, _PROGRAM_GOAL, _INDICATOR, _TARGET, _ACTIVITY, _LINE = range(7)
_FIRST_MONTH = 7
_COST = _FIRST_MONTH + 12


class WriterError(ValueError):
    """A plan that cannot be written in the asked form, naming the cell that stops it."""


def _title_block(tree: PlanTree, fallback: bool = True) -> list[str]:
    title = plan_title(tree.title, tree.year) if fallback else tree.title
    return [text for text in (title, tree.signing_unit, tree.agency_label) if text]


def _header_rows(*, cost_cells: int, pic: bool) -> list[list[str]]:
    first = [
        *LEADING_COLUMNS,
        COLUMN_SCHEDULE,
        *[""] * 11,
        COLUMN_COST,
        *[""] * (cost_cells - 1),
        COLUMN_CODE,
        COLUMN_REMARKS,
    ]
    second = [""] * _FIRST_MONTH + [str(month) for month in range(1, 13)] + [""] * (cost_cells + 2)
    if pic:
        first.append(COLUMN_PIC)
        second.append("")
    return [first, second]


def _cost_cells(row: TableRow, money_style: str) -> list[str]:
    line = row.line
    cells = 2 if money_style == "seed" else 1
    if line is None or line.cost_state is CostState.ABSENT:
        return [""] * cells
    if line.cost_state is CostState.NONE:
        return [NO_COST_TEXT] + [""] * (cells - 1)
    assert line.cost is not None
    return _money_cells(line.cost, money_style)


def _money_cells(amount: int, money_style: str) -> list[str]:
    if money_style == "id":
        return [format_rupiah(amount)]
    if money_style == "en":
        return [f"{amount:,}"]
    if money_style == "plain":
        return [str(amount)]
    return ["Rp", f"{amount:,}"]


def _code_cell(row: TableRow) -> str:
    line = row.line
    if line is None:
        return ""
    if line.budget_code:
        return line.budget_code
    return "-" if line.cost_state is CostState.NONE else ""


def _structure_cells(row: TableRow) -> list[str]:
    """NO .. Rencana Kegiatan: each merged text on the first row of its span, empty below."""
    goal, program_goal, indicator = row.goal, row.program_goal, row.indicator
    first_of_goal = row.goal_span > 0 and goal.number is not None
    return [
        f"{goal.number}." if first_of_goal else "",
        goal.text if first_of_goal else "",
        program_goal.text if row.program_goal_span > 0 else "",
        indicator.text if row.indicator_span > 0 else "",
        indicator.target if row.indicator_span > 0 else "",
        row.activity if row.activity_span > 0 else "",
        row.line.name if row.line is not None else "",
    ]


def table_cells(
    tree: PlanTree, *, money_style: MoneyStyle = "id", month_mark: str = "v", title_fallback: bool = True
) -> Iterator[list[str]]:
    """The table as rows of text cells: title block, two header rows, then the plan rows. Without
    ``title_fallback``, a plan without a title of its own gets no title row (``RENCANA AKSI TAHUN
    2024`` printed for it would read back as its title).

    A headerless goal (``number is None``) that is not the first starts after a repeated
    header, as at the seed's page break: otherwise its empty goal cells would read as "same as
    the goal above", and the break is what tells a reader that a goal header is missing.
    """
    if money_style not in _MONEY_STYLES:
        raise ValueError(f"money_style must be one of {_MONEY_STYLES}, not {money_style!r}")
    rows = table_rows(tree)
    pic = names_persons_in_charge(rows)
    headers = _header_rows(cost_cells=2 if money_style == "seed" else 1, pic=pic)
    for text in _title_block(tree, title_fallback):
        yield [text]
    yield from headers
    for row in rows:
        if row.goal_span > 0 and row.goal.number is None and row.index > 0:
            yield from headers
        line = row.line
        cells = _structure_cells(row)
        cells.extend(month_mark if scheduled else "" for scheduled in row.months)
        cells.extend(_cost_cells(row, money_style))
        cells.append(_code_cell(row))
        cells.append(line.remarks if line is not None else "")
        if pic:
            cells.append(line.person_in_charge if line is not None else "")
        yield cells


# -- text forms ---------------------------------------------------------------------------------


def write_tsv(
    tree: PlanTree,
    stream_or_path: IO[str] | IO[bytes] | str | os.PathLike[str],
    *,
    month_mark: str = "v",
    money_style: MoneyStyle = "id",
) -> None:
    """Tab-separated UTF-8 text, the form of the seed. Cells are not quoted: a tab or line break
    inside a text cannot be represented and becomes a space."""
    out = io.StringIO()
    for cells in table_cells(tree, money_style=money_style, month_mark=month_mark):
        out.write("\t".join(_one_line(cell) for cell in cells))
        out.write("\n")
    _emit(out.getvalue(), stream_or_path, "utf-8")


def _one_line(text: str) -> str:
    if "\t" in text or "\n" in text or "\r" in text:
        return " ".join(text.replace("\t", " ").splitlines())
    return text


def write_csv(
    tree: PlanTree,
    stream_or_path: IO[str] | IO[bytes] | str | os.PathLike[str],
    *,
    delimiter: str = ";",
    encoding: str = "cp1252",
    money_style: MoneyStyle = "id",
    month_mark: str = "x",
) -> None:
    """Delimited text as a spreadsheet saves it (quoted where needed), in ``encoding``.

    A text the encoding cannot hold raises :class:`WriterError` naming the row, the column and the
    character: writing ``?`` in its place would lose it silently.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for number, cells in enumerate(table_cells(tree, money_style=money_style, month_mark=month_mark), 1):
        for column, cell in enumerate(cells, 1):
            try:
                cell.encode(encoding)
            except UnicodeEncodeError as error:
                char = cell[error.start]
                raise WriterError(
                    f"row {number}, column {column}: {char!r} (U+{ord(char):04X}) in {cell!r} cannot be written "
                    f"in {encoding}; write the file as UTF-8 instead"
                ) from None
        writer.writerow([csv_safe(cell) for cell in cells])
    _emit(out.getvalue(), stream_or_path, encoding)


def _emit(text: str, target: IO[str] | IO[bytes] | str | os.PathLike[str], encoding: str) -> None:
    if isinstance(target, str | os.PathLike):
        Path(target).write_bytes(text.encode(encoding))
    elif isinstance(target, io.TextIOBase):
        target.write(text)
    else:
        target.write(text.encode(encoding))  # type: ignore[arg-type]


# -- XLSX ---------------------------------------------------------------------------------------

_RUPIAH_FORMAT = '"Rp" #,##0'
_MONTH_FILL = "#4F81BD"


def write_xlsx(
    tree: PlanTree, path: str | os.PathLike[str], *, shade_months: bool = True, month_mark: str = "v"
) -> None:
    """A workbook with one sheet holding the table, merged cells as real merged ranges.

    Scheduled months are solid-filled empty cells (or ``month_mark`` text when ``shade_months``
    is false); amounts are numbers in a Rupiah format; every text is written as a string, so no
    plan text can become a formula.
    """
    import xlsxwriter

    rows = table_rows(tree)
    pic = names_persons_in_charge(rows)
    workbook = xlsxwriter.Workbook(
        os.fspath(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        sheet = workbook.add_worksheet("Rencana Aksi")
        formats = _Formats(workbook)
        r = 0
        for text in _title_block(tree):
            sheet.write_string(r, 0, text, formats.title)
            r += 1
        r = _write_xlsx_header(sheet, r, formats, pic=pic)
        for row in rows:
            if row.goal_span > 0 and row.goal.number is None and row.index > 0:
                r = _write_xlsx_header(sheet, r, formats, pic=pic)
            _write_xlsx_row(sheet, r, row, formats, pic=pic, shade_months=shade_months, month_mark=month_mark)
            r += 1
    finally:
        workbook.close()


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.title = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.text = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.money = workbook.add_format({"border": 1, "valign": "top", "num_format": _RUPIAH_FORMAT})
        self.month = workbook.add_format({"border": 1})
        self.month_on = workbook.add_format({"border": 1, "pattern": 1, "bg_color": _MONTH_FILL})


def _write_xlsx_header(sheet: Any, r: int, formats: _Formats, *, pic: bool) -> int:
    for column, label in enumerate(LEADING_COLUMNS):
        sheet.merge_range(r, column, r + 1, column, label, formats.header)
    sheet.merge_range(r, _FIRST_MONTH, r, _FIRST_MONTH + 11, COLUMN_SCHEDULE, formats.header)
    for month in range(1, 13):
        sheet.write_number(r + 1, _FIRST_MONTH + month - 1, month, formats.header)
    for offset, label in enumerate(trailing_columns(pic=pic)):
        sheet.merge_range(r, _COST + offset, r + 1, _COST + offset, label, formats.header)
    return r + 2


def _write_xlsx_row(
    sheet: Any, r: int, row: TableRow, formats: _Formats, *, pic: bool, shade_months: bool, month_mark: str
) -> None:
    texts = _structure_cells(row)
    spans = [row.goal_span, row.goal_span, row.program_goal_span, row.indicator_span, row.indicator_span]
    spans += [row.activity_span, 1]
    for column, (text, span) in enumerate(zip(texts, spans, strict=True)):
        if span == 0:
            continue  # covered by the merged range written on the span's first row
        if span > 1:
            sheet.merge_range(r, column, r + span - 1, column, "", formats.text)
            if text:
                sheet.write_string(r, column, text, formats.text)
        elif text:
            sheet.write_string(r, column, text, formats.text)
    for month, scheduled in enumerate(row.months):
        if scheduled and shade_months:
            sheet.write_blank(r, _FIRST_MONTH + month, None, formats.month_on)
        elif scheduled and month_mark:
            sheet.write_string(r, _FIRST_MONTH + month, month_mark, formats.month)
    line = row.line
    if line is None:
        return
    if line.cost_state is CostState.AMOUNT:
        assert line.cost is not None
        sheet.write_number(r, _COST, line.cost, formats.money)
    elif line.cost_state is CostState.NONE:
        sheet.write_string(r, _COST, "-", formats.text)
    code = _code_cell(row)
    if code:
        sheet.write_string(r, _COST + 1, code, formats.text)
    if line.remarks:
        sheet.write_string(r, _COST + 2, line.remarks, formats.text)
    if pic and line.person_in_charge:
        sheet.write_string(r, _COST + 3, line.person_in_charge, formats.text)
