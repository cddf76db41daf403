"""Rows, columns and cells of an XLSX sheet counted while its XML inflates, whatever it declares.

openpyxl (the reader that sees cell fills) builds an object for every cell element of every
sheet: 18 million cells took 280 s and 7.7 GB before the reader could refuse them. So each
worksheet part is scanned chunk by chunk as it comes out of zlib, and reading stops at the first
row, column or cell past the limit (:mod:`renaksi.imports.limits`), naming it. The sheet's
``<dimension>`` is not trusted: a sheet may declare ``A1:B2`` and hold 16,384 columns, or declare
nothing.

Most chunks take the quick path: the cell and row elements are found by regular expressions in C
and only their distinct column letters and row numbers are looked at in Python. A chunk that
crosses a limit, or whose cells carry no reference (``r`` is optional), is walked element by
element to find the exact place.
"""

from __future__ import annotations

import re

from renaksi.core.grid import SourceError
from renaksi.imports.limits import ImportLimits
from renaksi.imports.reader_messages import sheet_too_many_cells, sheet_too_many_columns, sheet_too_many_rows

__all__ = ["SheetScan", "column_number"]

# Markup cannot occur inside cell text (``<`` is escaped there), so a ``<c`` or ``<row`` in the
# bytes is an element. A CDATA section could hold one: it is then counted too, which can only
# refuse a file sooner.
_CELL_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_CELL_REF_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,9})[\"']")
_ROW_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_REF_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*[\"']([0-9]{1,9})[\"']")


def _above(limit: str, alphabet: str) -> str:
    """A pattern for the texts of ``alphabet`` (digits, or column letters) that count above
    ``limit``, written in the same alphabet without leading zeros: longer ones, or as long and
    greater at the first place they differ."""
    first, rest = alphabet[0], alphabet
    choices = [f"[{first if first != '0' else '1'}-{rest[-1]}][{rest[0]}-{rest[-1]}]{{{len(limit)},}}"]
    for index, char in enumerate(limit):
        position = alphabet.index(char)
        if position + 1 < len(alphabet):
            tail = f"[{rest[0]}-{rest[-1]}]{{{len(limit) - index - 1}}}"
            choices.append(f"{re.escape(limit[:index])}[{alphabet[position + 1]}-{rest[-1]}]{tail}")
    return "(?:" + "|".join(choices) + ")"


_LETTERS, _DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_ELEMENT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])([^>]*)")
_REF_ATTR_RE = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]{0,3})([0-9]{1,9})[\"']")
# An unfinished tag longer than this at a chunk's end is no cell or row tag worth keeping.
_MAX_CARRY = 2**16


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str | bytes) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + ord(letter) - 64
    return number


class SheetScan:
    """Fed the chunks of one worksheet part; raises :class:`SourceError` at the first row,
    column or cell (over all sheets: ``cells_before``) past the limits."""

    def __init__(self, part: str, limits: ImportLimits, *, cells_before: int = 0) -> None:
        self.part = part
        self.limits = limits
        self.cells = cells_before
        self.row = 0  # the current row
        self.column = 0  # the last cell's column in the current row
        self._carry = b""
        self._column_cache: dict[bytes, int] = {}
        columns, rows = _column_letters(limits.columns), str(limits.rows)
        # A plain cell or row reference past the limits (or in lower case, which is walked).
        self._beyond_cell = re.compile(
            rb'<c r="(?:[a-z]|%s[0-9]|[A-Z]{1,3}%s")'
            % (_above(columns, _LETTERS).encode(), _above(rows, _DIGITS).encode())
        )
        self._beyond_row = re.compile(rb'<row r="%s"' % _above(rows, _DIGITS).encode())

    def feed(self, chunk: bytes) -> None:
        data = self._carry + chunk if self._carry else chunk
        cut = data.rfind(b"<")
        if cut >= 0 and data.find(b">", cut) < 0:
            self._carry = data[cut:] if len(data) - cut <= _MAX_CARRY else b""
            data = data[:cut]
        else:
            self._carry = b""
        if not self._quick(data):
            self._walk(data)

    def finish(self) -> None:
        if self._carry:
            self._walk(self._carry)
            self._carry = b""

    def _quick(self, data: bytes) -> bool:
        """Check the chunk without a Python step per cell; ``False``: walk it instead."""
        if b":c" in data or b":row" in data:  # perhaps prefixed elements (<x:c>)
            return self._general(data)

        # Excel, LibreOffice, openpyxl and XlsxWriter write `<c r="B7" ...>` and `<row r="7" ...>`:
        # counted by bytes.count, and a cell or row past the limits looked for by a pattern that
        # matches only those (no list of a million references is made).
        # Every `<c` that starts `<c r="` is a cell with its reference (a chunk holding `<cols>`
        # or `<cfRule>` takes the general patterns), and so for rows.
        cells = data.count(b'<c r="')
        if (
            data.count(b"<c") != cells
            or data.count(b"<row") != data.count(b'<row r="')
            or self.cells + cells > self.limits.xlsx_cells
        ):
            return self._general(data)
        if self._beyond_cell.search(data) is not None or self._beyond_row.search(data) is not None:
            return False
        self.cells += cells
        last_cell, last_row = data.rfind(b'<c r="'), data.rfind(b'<row r="')
        if last_cell > last_row:
            ref = _REF_ATTR_RE.search(data, last_cell)
            if ref is not None:
                self.row, self.column = max(self.row, int(ref.group(2))), column_number(ref.group(1))
        elif last_row >= 0:
            ref = _REF_ATTR_RE.search(data, last_row)
            if ref is not None:
                self.row, self.column = max(self.row, int(ref.group(2))), 0
        return True

    def _general(self, data: bytes) -> bool:
        """:meth:`_quick` for any spelling of the elements (prefixes, attribute order)."""
        refs = _CELL_REF_RE.findall(data)
        return self._check(
            len(_CELL_RE.findall(data)),
            [letters for letters, _digits in refs],
            [digits for _letters, digits in refs],
            len(_ROW_RE.findall(data)),
            _ROW_REF_RE.findall(data),
            data,
        )

    def _check(
        self,
        cells: int,
        letters: list[bytes],
        cell_rows: list[bytes],
        rows: int,
        row_refs: list[bytes],
        data: bytes,
    ) -> bool:
        limits = self.limits
        if len(letters) != cells or len(row_refs) != rows or self.cells + cells > limits.xlsx_cells:
            return False
        columns = self._column_cache
        for each in set(letters):
            number = columns.get(each)
            if number is None:
                number = columns[each] = column_number(each)
            if number > limits.columns:
                return False
        numbers = set(cell_rows)
        numbers.update(row_refs)
        if numbers and max(map(int, numbers)) > limits.rows:
            return False
        self.cells += cells
        # Where the chunk leaves off, for cells without a reference in the next one.
        last_row_at = data.rfind(b"row")
        last_cell_at = max(data.rfind(b"<c "), data.rfind(b"<c>"), data.rfind(b"<c/"), data.rfind(b":c "))
        if letters and last_cell_at > last_row_at:
            self.row, self.column = max(self.row, int(cell_rows[-1])), columns[letters[-1]]
        elif row_refs and last_row_at >= 0:
            self.row, self.column = max(self.row, int(row_refs[-1])), 0
        return True

    def _walk(self, data: bytes) -> None:
        limits = self.limits
        for match in _ELEMENT_RE.finditer(data):
            ref = _REF_ATTR_RE.search(match.group(2) or b"")
            if match.group(1) == b"row":
                self.row = int(ref.group(2)) if ref else self.row + 1
                self.column = 0
                if self.row > limits.rows:
                    raise SourceError(sheet_too_many_rows(self.part, limits.rows), self.row)
                continue
            if ref and ref.group(1):
                row, column = int(ref.group(2)), column_number(ref.group(1))
            else:
                row, column = max(self.row, 1), self.column + 1
            self.row, self.column = max(self.row, row), column
            self.cells += 1
            if row > limits.rows:
                raise SourceError(sheet_too_many_rows(self.part, limits.rows), row, column)
            if column > limits.columns:
                raise SourceError(sheet_too_many_columns(self.part, limits.columns), row, column)
            if self.cells > limits.xlsx_cells:
                raise SourceError(sheet_too_many_cells(limits.xlsx_cells), row, column)
