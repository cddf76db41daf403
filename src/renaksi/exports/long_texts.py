"""Texts longer than an Excel cell holds, kept whole in the XLSX exports.

An Excel cell holds at most 32,767 characters (counted in UTF-16 units, so an emoji counts two);
XlsxWriter cuts a longer string there without a word. Renaksi never cuts a text silently: a cell
whose text is too long shows its start, ending with a visible marker that says where the rest
is, and carries a note saying the same; the whole text is on the sheet ``Teks panjang``, in as
many rows as it takes, each row one part in order (sheet, cell, part n of m, text), so joining
the parts of a cell gives back its text exactly. The writer returns what it continued so that
the caller can tell the person who asked for the export.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

__all__ = ["CELL_LIMIT", "LONG_TEXT_SHEET", "LongText", "LongTexts"]

logger = logging.getLogger(__name__)

CELL_LIMIT = 32_767  # Excel's limit for one cell, in UTF-16 units
LONG_TEXT_SHEET = "Teks panjang"
_HEADER = ("Lembar", "Sel", "Bagian", "Teks")
_FIRST_ROW = 2  # a line saying what the sheet is, then the header


@dataclass(frozen=True)
class LongText:
    """A text continued on the long-text sheet: where its cell is and where its parts are."""

    sheet: str
    cell: str  # e.g. "U12"
    length: int  # characters
    first_row: int  # 1-based rows of its parts on the long-text sheet
    last_row: int


def excel_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _head(text: str, limit: int) -> str:
    """The longest start of ``text`` within ``limit`` UTF-16 units, never half a character."""
    if len(text) <= limit // 2:
        return text
    head = text[:limit]
    while excel_length(head) > limit:
        head = head[: -max(1, (excel_length(head) - limit) // 2)]
    return head


def _parts(text: str) -> list[str]:
    parts = []
    while text:
        part = _head(text, CELL_LIMIT)
        parts.append(part)
        text = text[len(part) :]
    return parts


@dataclass
class LongTexts:
    """The long texts of one workbook: :meth:`fit` as each cell is written, :meth:`write` last."""

    found: list[LongText] = field(default_factory=list)
    _rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def fit(self, sheet: str, row: int, column: int, text: str) -> tuple[str, str | None]:
        """What to write in the cell, and the note to put on it (``None`` when the text fits)."""
        if len(text) <= CELL_LIMIT // 2 or excel_length(text) <= CELL_LIMIT:
            return text, None
        cell = xl_rowcol_to_cell(row, column)
        parts = _parts(text)
        first = _FIRST_ROW + len(self._rows) + 1
        last = first + len(parts) - 1
        rows = f"baris {first}" if first == last else f"baris {first}–{last}"
        marker = f" … [terpotong: teks lengkap ({len(text):,} karakter) di lembar {LONG_TEXT_SHEET}, {rows}]"
        marker = marker.replace(",", ".")
        note = (
            f"Teks sel ini lebih panjang dari {CELL_LIMIT:,} karakter, batas satu sel Excel. ".replace(
                ",", "."
            )
            + f"Teks lengkapnya ada di lembar {LONG_TEXT_SHEET}, {rows}: sambungkan bagian-bagiannya "
            + "menurut urutan."
        )
        for number, part in enumerate(parts, 1):
            self._rows.append((sheet, cell, f"{number} dari {len(parts)}", part))
        self.found.append(LongText(sheet, cell, len(text), first, last))
        return _head(text, CELL_LIMIT - excel_length(marker)) + marker, note

    def write(self, workbook: Any, header_format: Any, text_format: Any) -> None:
        """Add the long-text sheet, last, when there is anything to put on it."""
        if not self.found:
            return
        sheet = workbook.add_worksheet(LONG_TEXT_SHEET)
        sheet.write_string(
            0,
            0,
            f"Teks yang lebih panjang dari {CELL_LIMIT:,} karakter (batas satu sel Excel), utuh. ".replace(
                ",", "."
            )
            + "Sel aslinya menunjukkan awal teks dan baris-baris lanjutannya di lembar ini.",
        )
        for column, label in enumerate(_HEADER):
            sheet.write_string(1, column, label, header_format)
        for index, values in enumerate(self._rows):
            for column, value in enumerate(values):
                sheet.write_string(_FIRST_ROW + index, column, value, text_format)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 2, 10)
        sheet.set_column(3, 3, 120)
        sheet.freeze_panes(_FIRST_ROW, 0)
        logger.warning(
            "XLSX export: %d text(s) longer than %d characters continued on the sheet %r",
            len(self.found),
            CELL_LIMIT,
            LONG_TEXT_SHEET,
        )
