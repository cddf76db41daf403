"""Cells as read from a source file, before any meaning is given to them.

Every reader (text/TSV, CSV, XLSX) turns its file into a :class:`Grid`; the recognizer turns a
grid into a plan. Line and column numbers are 1-based and name the place a person would look:
the physical line of a text file, the row and column of a sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    text: str
    shaded: bool = False  # a filled (coloured) cell: how spreadsheets mark a scheduled month


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
    notes: list[str] = field(default_factory=list)  # what the reader decided (delimiter, encoding)


class SourceError(ValueError):
    """Input that cannot be imported. Always names where: line and column (1-based) when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(prefix + message)
