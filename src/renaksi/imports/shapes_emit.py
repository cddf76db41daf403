"""The grid a :mod:`renaksi.imports.shapes` layout builds, written as delimited text or XLSX.

Text forms write every cell's text (a merged range is its first cell's text, the cells it covers
empty); a workbook gets the merged ranges, typed numbers with their number formats and filled
month cells. No text is ever written as a formula.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renaksi.core.text import csv_safe
from renaksi.imports.writers import WriterError

if TYPE_CHECKING:
    from renaksi.imports.shapes import Shape, _Out, _Sheet

_MONTH_FILL = "#4F81BD"


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
        covered: set[tuple[int, int]] = set()
        for first_row, first_column, last_row, last_column in sheet.merges:
            top_left = sheet.rows[first_row][first_column]
            worksheet.merge_range(first_row, first_column, last_row, last_column, "", formats.of(top_left))
            for r in range(first_row, last_row + 1):
                covered.update((r, c) for c in range(first_column, last_column + 1))
            covered.discard((first_row, first_column))
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
