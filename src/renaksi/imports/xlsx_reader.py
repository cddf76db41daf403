"""One sheet of an XLSX workbook to a :class:`~renaksi.core.grid.Grid`, with cell fills
(shading) and merged ranges; the archive is checked first by :mod:`renaksi.imports.xlsx_prepass`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from renaksi.core.grid import Cell, Grid, GridRow, SourceError
from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.imports import limits as import_limits
from renaksi.imports.reader_common import (
    EMPTY,
    HEADER_SCAN_ROWS,
    HEADER_WORD_RE,
    MIN_HEADER_WORDS,
    MergedRanges,
    cell_text,
    check_extent,
    spread_across,
    value_kind,
)
from renaksi.imports.reader_messages import (
    ASKED_FOR,
    FIRST_SHEET_WITH_HEADER,
    cell_too_long,
    merged_note,
    no_sheet_named,
    not_readable_xlsx,
    sheet_note,
)
from renaksi.imports.safe_zip import Inflation
from renaksi.imports.xlsx_prepass import (
    SheetFacts,
    check_archive,
    open_zip,
    prepare_sheets,
    sheet_members,
    split_ref,
)


def read_xlsx(path_or_bytes: Path | str | bytes, *, sheet: str | None = None) -> Grid:
    """Read one sheet of an XLSX workbook, with cell fills (shading) and merged ranges.

    openpyxl in its full (not read-only) mode is the reader that sees fills; it parses XML
    through defusedxml, which refuses entity tricks. The archive is inspected before openpyxl
    opens it, so a zip bomb or an oversized sheet is refused without being expanded. Formulas are
    read as the values Excel saved with them.

    Merged ranges are taken out of the sheet XML before openpyxl parses it and applied here:
    openpyxl re-styles the border of every cell of every merged range through slow style
    lookups (11 s for the 2,000 ranges of a 2,000-line plan), while the reader only needs to know
    which cells a range covers. Covered cells read as empty, as Excel shows them, and as the
    recognizer needs them to: an empty cell under a merged one is "same as above". A range
    within one row is the exception: a bar over several months, filled or marked once, marks
    each month it covers, so its cells repeat its first cell when that is a fill without text or
    a month mark (a title or label across the table is not repeated, nor is its fill, nor is
    a range wider than the twelve months).
    """
    source: Path | io.BytesIO = (
        io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes | bytearray) else Path(path_or_bytes)
    )
    with open_zip(source) as archive:
        check_archive(archive)
        inflation = Inflation(archive)
        members = sheet_members(archive, inflation)
        facts, without_merges = prepare_sheets(archive, inflation, members)
    workbook = _load_workbook(without_merges)
    try:
        worksheet, reason = _pick_sheet(workbook, sheet)
        notes = [sheet_note(worksheet.title, reason)]
        sheet_facts = facts.get(members.get(worksheet.title, ""), SheetFacts())
        if sheet_facts.formula_without_value is not None:
            ref = sheet_facts.formula_without_value
            row, column = split_ref(ref)
            raise SourceError(
                msg(
                    gettext_noop(
                        "sel {ref} di lembar {sheet!r} berisi rumus tanpa nilai tersimpan; buka dan simpan "
                        "berkasnya di Excel"
                    ),
                    ref=ref,
                    sheet=worksheet.title,
                ),
                row,
                column,
            )
        merged = MergedRanges(sheet_facts.merged)
        rows, spread = _sheet_rows(worksheet, merged)
        if sheet_facts.merged:
            notes.append(merged_note(len(sheet_facts.merged)))
        if spread:
            notes.append(
                msg(
                    gettext_noop(
                        "{count} rentang sel gabungan dalam satu baris berisi warna atau tanda bulan: sel yang "
                        "tertutup gabungan mengulangnya"
                    ),
                    count=spread,
                )
            )
        return Grid(rows, "xlsx", sheet=worksheet.title, notes=notes, merges=sheet_facts.merged)
    finally:
        # openpyxl's cells and their worksheet refer to each other: without this they wait, about
        # 1.7 million objects for a 44,000-line sheet, for the cyclic collector (paused while an
        # import runs), which then spends over a second on them.
        for each in workbook.worksheets:
            each._cells.clear()
        workbook.close()


def _load_workbook(source: Path | io.BytesIO) -> Any:
    import openpyxl

    if isinstance(source, io.BytesIO):
        source.seek(0)
    try:
        # A file object, not a path: openpyxl refuses paths by their extension, and a workbook
        # renamed .csv is still a workbook.
        if isinstance(source, Path):
            with source.open("rb") as handle:
                return openpyxl.load_workbook(handle, data_only=True, read_only=False)
        return openpyxl.load_workbook(source, data_only=True, read_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged part; all mean "unreadable"
        raise SourceError(not_readable_xlsx(f"{type(error).__name__}: {error}")) from None


def _pick_sheet(workbook: Any, name: str | None) -> tuple[Any, Message]:
    if name is not None:
        if name not in workbook.sheetnames:
            raise SourceError(no_sheet_named(name, workbook.sheetnames))
        return workbook[name], ASKED_FOR
    if not workbook.worksheets:
        raise SourceError(
            msg(gettext_noop("buku kerja ini tidak berisi lembar kerja; simpan ulang berkasnya"))
        )
    for worksheet in workbook.worksheets:
        if _has_plan_header(worksheet):
            return worksheet, FIRST_SHEET_WITH_HEADER
    return workbook.active or workbook.worksheets[0], msg(
        gettext_noop("lembar aktif; tidak ada lembar yang memuat judul tabel rencana")
    )


def _has_plan_header(worksheet: Any) -> bool:
    for row in worksheet.iter_rows(max_row=min(worksheet.max_row, HEADER_SCAN_ROWS), values_only=True):
        words: set[str] = set()
        for value in row:
            if isinstance(value, str):
                words.update(m.upper() for m in HEADER_WORD_RE.findall(value))
        if len(words) >= MIN_HEADER_WORDS:
            return True
    return False


def _sheet_rows(worksheet: Any, merged: MergedRanges) -> tuple[list[GridRow], int]:
    """The sheet's rows, and how many merged ranges within one row spread their first cell."""
    # ``iter_rows`` would create a cell object for every empty position of the used range; the
    # sheet's own cell map holds only the cells the file has, which keeps large sparse plans fast.
    cells_by_row: dict[int, dict[int, Cell]] = {}
    shading = _ShadingCache(worksheet)
    interned: dict[tuple[str, bool, str, str], Cell] = {}
    chars = import_limits.current().cell_chars
    for (row, column), cell in worksheet._cells.items():
        value = cell.value
        shaded = shading.is_shaded(cell)
        if value is None and not shaded:
            continue
        text = "" if value is None else cell_text(value, cell)
        if len(text) > chars:
            raise SourceError(cell_too_long(len(text), chars), row, column)
        if (not text and not shaded) or merged.covers(row, column):
            continue
        kind, number = value_kind(value)
        key = (text, shaded, kind, number)
        entry = interned.get(key)
        if entry is None:
            entry = interned[key] = Cell(text, shaded, kind, number)
        cells_by_row.setdefault(row, {})[column] = entry
    if not cells_by_row:
        return [], 0
    last_row = max(cells_by_row)
    last_column = max(max(cells) for cells in cells_by_row.values())
    check_extent(last_row, last_column)
    spread = spread_across(cells_by_row, merged.across, last_column, interned)
    rows: list[GridRow] = []
    for row in sorted(cells_by_row):
        cells = cells_by_row[row]
        line: list[Cell] = [EMPTY] * max(cells)
        for column, cell in cells.items():
            line[column - 1] = cell
        rows.append(GridRow(row, line))
    return rows, spread


class _ShadingCache:
    """Whether a cell's fill marks it (a solid, non-white fill), computed once per distinct fill."""

    def __init__(self, worksheet: Any) -> None:
        self.fills = worksheet.parent._fills
        self.known: dict[int, bool] = {}

    def is_shaded(self, cell: Any) -> bool:
        if not cell.has_style:
            return False
        fill_id = cell._style.fillId
        shaded = self.known.get(fill_id)
        if shaded is None:
            shaded = self.known[fill_id] = _is_marking_fill(self.fills[fill_id])
        return shaded


_WHITE_INDEXES = {1, 9, 64}  # white in the default palette (1, 9), and the "system" colour (64)


def _is_marking_fill(fill: Any) -> bool:
    if getattr(fill, "patternType", None) != "solid":
        return False
    colour = fill.fgColor
    if colour is None:
        return False
    kind = colour.type
    if kind == "rgb":
        rgb = str(colour.rgb).upper()
        return rgb != "00000000" and rgb[-6:] != "FFFFFF"
    if kind == "indexed":
        return colour.indexed not in _WHITE_INDEXES
    if kind == "theme":
        # Theme colour 0 is "Background 1", white in every stock theme; a darker tint of it is grey.
        return not (colour.theme == 0 and (colour.tint or 0) >= 0)
    return False  # "auto"
