"""Cells as read from a source file, before any meaning is given to them.

Every reader (text/TSV, CSV, XLSX) turns its file into a :class:`Grid`; the recognizer turns a
grid into a plan. Line and column numbers are 1-based and name the place a person would look:
the physical line of a text file, the row and column of a sheet.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from renaksi.core.messages import Message, gettext_noop, msg

#: What a workbook cell held, beside its text: a number, a date, a boolean or a string. Text
#: sources (TSV, CSV) have strings only.
STRING, NUMBER, DATE, BOOLEAN = "s", "n", "d", "b"


@dataclass(frozen=True)
class Cell:
    text: str
    shaded: bool = False  # a filled (coloured) cell: how spreadsheets mark a scheduled month
    kind: str = STRING  # STRING, NUMBER, DATE or BOOLEAN
    number: str = ""  # a NUMBER's exact value as decimal text (``8.378``), whatever ``text`` shows


@dataclass
class GridRow:
    line: int  # 1-based line (text) or row (sheet) number where the row starts
    cells: list[Cell]

    def is_blank(self) -> bool:
        return all(not c.text.strip() and not c.shaded for c in self.cells)


@dataclass
class Grid:
    rows: list[GridRow]
    source_format: str  # "tsv", "csv" or "xlsx"
    encoding: str | None = None
    sheet: str | None = None
    notes: list[Message] = field(default_factory=list)  # what the reader decided (delimiter, encoding)
    #: Merged ranges of a workbook (first line, first column, last line, last column; 1-based).
    #: ``None`` when the source cannot merge (text); then an empty cell means "same as above".
    merges: list[tuple[int, int, int, int]] | None = None
    _down: dict[int, tuple[list[int], list[tuple[int, int]]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _ranges_down(self) -> dict[int, tuple[list[int], list[tuple[int, int]]]]:
        """Ranges over several lines, by column: their first lines (sorted) and (first, last)."""
        if self._down is None:
            by_column: dict[int, list[tuple[int, int]]] = {}
            for first_line, first_column, last_line, last_column in self.merges or ():
                if last_line > first_line:
                    for column in range(first_column, min(last_column, first_column + 256) + 1):
                        by_column.setdefault(column, []).append((first_line, last_line))
            self._down = {
                column: ([start for start, _ in sorted(spans)], sorted(spans))
                for column, spans in by_column.items()
            }
        return self._down

    def merges_down(self, column: int) -> bool:
        """Whether the sheet merges cells down ``column`` (1-based) anywhere: then, in that column,
        a merge says what continues, and an empty cell outside every merge continues nothing."""
        return self.merges is not None and column in self._ranges_down()

    def covered(self, line: int, column: int) -> bool:
        """Whether the cell at ``line``, ``column`` (1-based) lies under a merge that starts above it."""
        entry = self._ranges_down().get(column) if self.merges is not None else None
        if entry is None:
            return False
        starts, spans = entry
        # Merged ranges of a valid workbook do not overlap: the last one starting at or above
        # ``line`` is the only one that can cover it.
        index = bisect.bisect_right(starts, line) - 1
        if index < 0:
            return False
        first, last = spans[index]
        return first < line <= last


class SourceError(ValueError):
    """Input that cannot be imported. Always names where: line and column (1-based) when known.

    ``str(error)`` is Indonesian; :meth:`render` gives it in the language of a gettext.
    """

    def __init__(self, message: str | Message, line: int | None = None, column: int | None = None) -> None:
        self.detail = message if isinstance(message, Message) else Message(message)
        self.line = line
        self.column = column
        super().__init__(self.render())

    @property
    def message(self) -> str:
        return str(self.detail)

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        """The refusal with where it happened, in the language of ``translate``."""
        detail = self.detail.render(translate)
        if self.line is not None and self.column is not None:
            where = msg(gettext_noop("baris {line}, kolom {column}"), line=self.line, column=self.column)
        elif self.line is not None:
            where = msg(gettext_noop("baris {line}"), line=self.line)
        elif self.column is not None:
            where = msg(gettext_noop("kolom {column}"), column=self.column)
        else:
            return detail
        return f"{where.render(translate)}: {detail}"
