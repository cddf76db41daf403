"""The grid a :mod:`renaksi.imports.shapes` layout builds, written as delimited text or a workbook.

Text forms write every cell's text (a merged range is its first cell's text, the cells it covers
empty); a workbook (XLSX, XLS, ODS) gets the merged ranges, typed numbers with their number
formats and filled month cells. No text is ever written as a formula. XLS and ODS go through the
writers of :mod:`renaksi.imports.writers_ods_xls` (ODS cell by cell; XLS needs ``xlwt``, a
development dependency).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from renaksi.core.text import csv_safe
from renaksi.imports.writers import WriterError

if TYPE_CHECKING:
    from renaksi.imports.shapes import Shape

_MONTH_FILL = "#4F81BD"


@dataclass
class _Out:
    """One cell of a layout: text or a number (with its number format), maybe filled."""

    value: str | int = ""
    style: Literal["text", "title", "header", "money", "none"] = "text"
    shaded: bool = False
    num_format: str = ""


@dataclass
class _Sheet:
    rows: list[list[_Out]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first/last row, column


def emit_text(sheet: _Sheet, path: str | os.PathLike[str], shape: Shape) -> None:
    out = io.StringIO()
    if shape.format == "tsv":
        for cells in sheet.rows:
            out.write("\t".join(_one_line(str(cell.value)) for cell in cells))
            out.write("\n")
        Path(path).write_bytes(out.getvalue().encode("utf-8"))
        return
    writer = csv.writer(out, delimiter=shape.delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for number, cells in enumerate(sheet.rows, 1):
        texts = [str(cell.value) for cell in cells]
        for column, text in enumerate(texts, 1):
            try:
                text.encode(shape.encoding)
            except UnicodeEncodeError as error:
                char = text[error.start]
                raise WriterError(
                    f"row {number}, column {column}: {char!r} (U+{ord(char):04X}) in {text!r} cannot be "
                    f"written in {shape.encoding}; write the file as UTF-8 instead"
                ) from None
        writer.writerow([csv_safe(text) for text in texts])
    Path(path).write_bytes(out.getvalue().encode(shape.encoding))


def _one_line(text: str) -> str:
    if "\t" in text or "\n" in text or "\r" in text:
        return " ".join(text.replace("\t", " ").splitlines())
    return text


def emit_xlsx(sheet: _Sheet, path: str | os.PathLike[str]) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        os.fspath(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        worksheet = workbook.add_worksheet("Rencana Aksi")
        formats = _Formats(workbook)
        for first_row, first_column, last_row, last_column in sheet.merges:
            top_left = sheet.rows[first_row][first_column]
            worksheet.merge_range(first_row, first_column, last_row, last_column, "", formats.of(top_left))
        covered = _covered(sheet)
        for r, cells in enumerate(sheet.rows):
            for c, cell in enumerate(cells):
                if (r, c) not in covered:
                    _write_cell(worksheet, r, c, cell, formats)
    finally:
        workbook.close()


def _write_cell(worksheet: Any, r: int, c: int, cell: _Out, formats: _Formats) -> None:
    cell_format = formats.of(cell)
    if isinstance(cell.value, int):
        worksheet.write_number(r, c, cell.value, cell_format)
    elif cell.value:
        worksheet.write_string(r, c, cell.value, cell_format)
    elif cell.shaded or cell.style == "header":
        worksheet.write_blank(r, c, None, cell_format)


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.title = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.text = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.shaded = workbook.add_format({"border": 1, "pattern": 1, "bg_color": _MONTH_FILL})
        self.numbers: dict[str, Any] = {}

    def of(self, cell: _Out) -> Any:
        if cell.shaded:
            return self.shaded
        if cell.num_format:
            if cell.num_format not in self.numbers:
                self.numbers[cell.num_format] = self.workbook.add_format(
                    {"border": 1, "valign": "top", "num_format": cell.num_format}
                )
            return self.numbers[cell.num_format]
        return {"title": self.title, "header": self.header}.get(cell.style, self.text)


def emit_xls(sheet: _Sheet, path: str | os.PathLike[str]) -> None:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet("Rencana Aksi")
    styles: dict[tuple[str, bool, str], Any] = {}

    def style_of(cell: _Out) -> Any:
        key = (cell.style, cell.shaded, cell.num_format)
        if key not in styles:
            spec = {"title": "font: bold on", "header": "font: bold on; align: wrap on, horiz center"}
            text = spec.get(cell.style, "align: wrap on, vert top")
            if cell.shaded:
                text = "pattern: pattern solid, fore_colour ocean_blue"
            styles[key] = xlwt.easyxf(text, num_format_str=cell.num_format or "General")
        return styles[key]

    covered = _covered(sheet)
    for first_row, first_column, last_row, last_column in sheet.merges:
        cell = sheet.rows[first_row][first_column]
        value = cell.value if cell.value != "" else None
        worksheet.write_merge(first_row, last_row, first_column, last_column, value, style_of(cell))
    heads = {(merge[0], merge[1]) for merge in sheet.merges}
    for r, cells in enumerate(sheet.rows):
        for c, cell in enumerate(cells):
            if (r, c) in covered or (r, c) in heads:
                continue
            if cell.value != "" or cell.shaded:
                worksheet.write(r, c, cell.value if cell.value != "" else None, style_of(cell))
    workbook.save(os.fspath(path))


def emit_ods(sheet: _Sheet, path: str | os.PathLike[str]) -> None:
    from renaksi.imports.writers_ods_xls import _Placed, write_ods_cells

    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in sheet.merges}
    covered = _covered(sheet)
    placed = []
    for r, cells in enumerate(sheet.rows):
        for c, cell in enumerate(cells):
            if (r, c) in covered or (cell.value == "" and not cell.shaded and (r, c) not in spans):
                continue
            rows, columns = spans.get((r, c), (1, 1))
            style = (
                "month_on"
                if cell.shaded
                else ("money" if cell.style == "money" and cell.num_format else "text")
            )
            placed.append(_Placed(r, c, cell.value, style, rows, columns))
    write_ods_cells(placed, path)


def _covered(sheet: _Sheet) -> set[tuple[int, int]]:
    """Cells inside a merged range other than its first."""
    covered: set[tuple[int, int]] = set()
    for first_row, first_column, last_row, last_column in sheet.merges:
        for r in range(first_row, last_row + 1):
            covered.update((r, c) for c in range(first_column, last_column + 1))
        covered.discard((first_row, first_column))
    return covered
