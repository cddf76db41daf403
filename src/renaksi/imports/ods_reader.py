"""OpenDocument spreadsheets (.ods): ``content.xml`` read into sheets of typed cells and merges.

python-calamine reads .ods values but not its merged ranges, drops tabs and line breaks inside a
cell (``b<tab/>c`` reads ``bc``), and expands repeated cells without a limit: an 800-byte file
with one row of 1,000 repeated cells repeated 100,000 times exhausts memory and aborts the
process. So the content is read here, in one streaming pass through defusedxml (no entities), with
every repetition counted against the limits before it is expanded. Empty repeated rows and
cells, which LibreOffice writes to the sheet's edge, cost nothing.

A cell's value is its typed value (``office:value``, ``office:date-value`` ...) rendered as the
XLSX reader renders the same value; a percentage reads ``97,5%``; a 0 shown as ``-`` (an
accounting format) reads ``-``. Text is the cell's paragraphs joined by line breaks, with ODF's
``text:s``, ``text:tab`` and ``text:line-break`` restored and annotations (comments) left out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from renaksi.core.grid import Cell, SourceError
from renaksi.core.messages import gettext_noop, msg
from renaksi.core.money import format_number_id
from renaksi.imports import limits as import_limits
from renaksi.imports.calamine_reader import PASSWORD_PROTECTED, SheetCells, typed_cell
from renaksi.imports.reader_messages import cell_too_long
from renaksi.imports.safe_zip import ZIP_DAMAGE, Inflation, check_zip_limits

__all__ = ["MAX_ODS_CELLS", "read_ods_sheets"]

# Non-empty cells over all sheets, repetitions expanded. A 44,000-line plan has ~500,000.
MAX_ODS_CELLS = import_limits.DEFAULT.cells

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELL, _COVERED, _ROW, _SHEET = _T + "table-cell", _T + "covered-table-cell", _T + "table-row", _T + "table"
_PARAGRAPHS = (_X + "p", _X + "h")
_SKIPPED = frozenset({_O + "annotation", _X + "note", _X + "bookmark-ref"})
_DASH_RE = re.compile(r"\s*(?:Rp\.?)?\s*-\s*")
_WHITESPACE_RE = re.compile(r"[ \t\r\n]+")
_DURATION_RE = re.compile(r"PT(\d+)H(\d+)M(\d+(?:\.\d+)?)S")


def read_ods_sheets(path: Path, *, name: str) -> list[SheetCells]:
    from defusedxml.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(path)
    except ZIP_DAMAGE as error:
        raise SourceError(
            msg(
                gettext_noop(
                    "{name} bukan buku kerja .ods yang dapat dibaca: arsip zip yang rusak ({reason})"
                ),
                name=name,
                reason=str(error),
            )
        ) from None
    with archive:
        check_zip_limits(archive)
        inflation = Inflation(archive)
        names = set(archive.namelist())
        if "META-INF/manifest.xml" in names and b"encryption-data" in inflation.read("META-INF/manifest.xml"):
            raise SourceError(PASSWORD_PROTECTED)
        if "content.xml" not in names:
            raise SourceError(
                msg(
                    gettext_noop("{name} bukan buku kerja .ods yang dapat dibaca: tidak ada content.xml"),
                    name=name,
                )
            )
        reader = _Reader()
        try:
            with inflation.open("content.xml") as content:
                for event, element in iterparse(content, events=("start", "end")):
                    reader.feed(event, element)
        except SourceError:
            raise
        except Exception as error:  # defusedxml's refusals, XML errors and damaged deflate data alike
            detail = " ".join(str(error).split())[:200]
            raise SourceError(
                msg(
                    gettext_noop("{name} bukan buku kerja .ods yang dapat dibaca: {reason}"),
                    name=name,
                    reason=detail or type(error).__name__,
                )
            ) from None
    return reader.sheets


class _Reader:
    """Builds sheets from iterparse events: rows are handled (and dropped) as each one ends."""

    def __init__(self) -> None:
        self.sheets: list[SheetCells] = []
        self.stack: list[Any] = []
        self.row = 0  # rows of the current sheet so far (0-based index of the next row)
        self.limits = import_limits.current()
        self.budget = self.limits.cells

    def feed(self, event: str, element: Any) -> None:
        if event == "start":
            self.stack.append(element)
            if element.tag == _SHEET and not _inside_row(self.stack[:-1]):
                self.sheets.append(SheetCells(element.get(_T + "name", f"Sheet{len(self.sheets) + 1}")))
                self.row = 0
            return
        self.stack.pop()
        if element.tag == _ROW and self.sheets and not _inside_row(self.stack):
            self._row(element)
            element.clear()
            if self.stack:
                self.stack[-1].remove(element)

    def _row(self, element: Any) -> None:
        sheet = self.sheets[-1]
        max_columns = self.limits.columns
        repeat = _count(element.get(_T + "number-rows-repeated"))
        cells: dict[int, Cell] = {}
        spans: list[tuple[int, int, int]] = []  # (column, rows, columns) of merges starting here
        column = 0
        for child in element:
            if child.tag not in (_CELL, _COVERED):
                continue
            times = _count(child.get(_T + "number-columns-repeated"))
            cell = _cell(child)
            if child.tag == _COVERED:
                if cell is not None:
                    sheet.hidden += times * repeat
            else:
                rows = _count(child.get(_T + "number-rows-spanned"))
                columns = _count(child.get(_T + "number-columns-spanned"))
                if rows > 1 or columns > 1:
                    spans.extend((column + k, rows, columns) for k in range(min(times, max_columns + 1)))
                if cell is not None:
                    if len(cell.text) > self.limits.cell_chars:
                        raise SourceError(
                            cell_too_long(len(cell.text), self.limits.cell_chars), self.row + 1, column + 1
                        )
                    if column + times > max_columns:
                        raise SourceError(
                            msg(
                                gettext_noop(
                                    "lembar {sheet!r}: ada sel di kolom {column}, melebihi batas {limit} kolom"
                                ),
                                sheet=sheet.name,
                                column=format_number_id(column + times),
                                limit=max_columns,
                            ),
                            self.row + 1,
                        )
                    for k in range(times):
                        cells[column + k + 1] = cell
            column += times
        if cells or spans:
            if cells and self.row + repeat > self.limits.rows:
                raise SourceError(
                    msg(
                        gettext_noop("lembar {sheet!r} punya {count} baris, melebihi batas {limit}"),
                        sheet=sheet.name,
                        count=format_number_id(self.row + repeat),
                        limit=format_number_id(self.limits.rows),
                    )
                )
            copies = repeat if cells else 1
            self.budget -= len(cells) * copies
            if self.budget < 0:
                raise SourceError(
                    msg(
                        gettext_noop(
                            "buku kerja ini punya lebih dari {limit} sel berisi (sel berulang ikut dihitung); "
                            "pecah rencananya"
                        ),
                        limit=format_number_id(self.limits.cells),
                    )
                )
            for k in range(copies):
                line = self.row + k + 1
                if cells:
                    sheet.cells[line] = dict(cells) if k else cells
                sheet.merges.extend(
                    (line, first + 1, line + rows - 1, first + columns) for first, rows, columns in spans
                )
        self.row += repeat


def _inside_row(ancestors: list[Any]) -> bool:
    """A table inside a cell (ODF allows it) is part of that cell, not a sheet."""
    return any(parent.tag == _ROW for parent in ancestors)


def _count(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(int(value), 1)
    except ValueError:
        raise SourceError(
            msg(
                gettext_noop("bukan buku kerja .ods yang dapat dibaca: jumlah ulang atau rentang {value!r}"),
                value=value,
            )
        ) from None


def _cell(element: Any) -> Cell | None:
    """The cell's value, or ``None`` when it holds nothing."""
    if not len(element) and _O + "value-type" not in element.attrib:
        return None  # most cells of a sheet: empty, repeated or not
    shown = "\n".join(_paragraph(child) for child in element if child.tag in _PARAGRAPHS)
    kind = element.get(_O + "value-type")
    value = _typed_value(element, kind, shown)
    if value is not None:
        dash = kind in ("float", "currency") and _DASH_RE.fullmatch(shown) is not None
        return typed_cell(value, percent=kind == "percentage", zero_dash=dash)
    if kind == "string" and element.get(_O + "string-value") is not None:
        shown = element.get(_O + "string-value")
    return Cell(shown) if shown else None


def _typed_value(element: Any, kind: str | None, shown: str) -> Any:
    """The typed value of a non-string cell, or ``None`` (then its shown text is read)."""
    if kind in ("float", "currency", "percentage"):
        raw = element.get(_O + "value")
        if raw is None:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return None
        if not number.is_finite():
            return None
        if number == number.to_integral_value() and abs(number) < 2**53:
            return int(number)
        result = float(raw)
        return result if math.isfinite(result) else None
    if kind == "boolean":
        raw = (element.get(_O + "boolean-value") or "").lower()
        return {"true": True, "false": False}.get(raw)
    if kind == "date":
        try:
            return dt.datetime.fromisoformat(element.get(_O + "date-value") or "")
        except ValueError:
            return None
    if kind == "time":
        match = _DURATION_RE.fullmatch(element.get(_O + "time-value") or "")
        if match is None or int(match.group(1)) >= 24:
            return None
        seconds = float(match.group(3))
        return dt.time(
            int(match.group(1)), int(match.group(2)), int(seconds), round(seconds % 1 * 1e6) % 10**6
        )
    return None


def _paragraph(element: Any) -> str:
    parts: list[str] = []
    _text_into(element, parts)
    return "".join(parts)


def _text_into(element: Any, parts: list[str]) -> None:
    if element.text:
        parts.append(_WHITESPACE_RE.sub(" ", element.text))
    for child in element:
        tag = child.tag
        if tag == _X + "s":
            parts.append(" " * _count(child.get(_X + "c")))
        elif tag == _X + "tab":
            parts.append("\t")
        elif tag == _X + "line-break":
            parts.append("\n")
        elif tag not in _SKIPPED:
            _text_into(child, parts)
        if child.tail:
            parts.append(_WHITESPACE_RE.sub(" ", child.tail))
