"""Excel 97-2003 (.xls) and OpenDocument (.ods) workbooks to the :class:`Grid` the XLSX reader makes.

The cells come out as :func:`renaksi.imports.readers.read_xlsx` gives them: text as the XLSX
reader renders each value (integers as digits, a fraction never read as thousands, dates as ISO
text, booleans ``TRUE``/``FALSE``), each with its kind and exact number; cells covered by a merged
range read empty ("same as above"), and a range within one row over months repeats the mark of
its first cell. The sheet is the first with the plan header, as in XLSX.

What these formats cannot give is said in ``grid.notes``: cell fills are not read, so months
marked only by shading are not seen (the note is what tells a planner why a schedule is empty),
and .xls number formats are not read, so a fraction formatted as a percent reads as a fraction.

.xls values come from python-calamine. Before calamine opens the file, the OLE container and
the BIFF records are read here (olefile): calamine expands a sheet to its whole used range in
memory (one cell at IV65536 of a 6 KB file costs 1 GB), so the range is checked first; and an
encrypted workbook, a password-protected .xlsx (an OLE container with an ``EncryptedPackage``)
or another OLE document gets a one-line refusal. .ods is read by :mod:`renaksi.imports.ods_reader`.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

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
    NUL_IN_CELL,
    PASSWORD_PROTECTED,
    SHADING_NOT_READ,
    cell_too_long,
    encrypted_office_file,
    merged_note,
    no_sheet_named,
    sheet_note,
    too_big,
)
from renaksi.imports.readers import read_file_bytes, regular_file_size
from renaksi.imports.safe_zip import check_zip_limits
from renaksi.imports.xls_formats import FORMAT, NUMBER_RECORDS, XF, ZeroDashes

__all__ = [
    "MAX_XLS_AREA",
    "PASSWORD_PROTECTED",
    "SHADING_NOT_READ",
    "SheetCells",
    "check_zip_limits",
    "read_calamine",
    "typed_cell",
]

# calamine holds a sheet's whole used range, empty cells included (~60 bytes a cell): 4 million
# cells is ~250 MB. A plan of 65,536 rows (the .xls maximum) and 60 columns still fits.
MAX_XLS_AREA = import_limits.DEFAULT.xls_area


@dataclass
class SheetCells:
    """One sheet's non-empty cells by 1-based row and column, and its merged ranges
    (first row, first column, last row, last column; 1-based)."""

    name: str
    cells: dict[int, dict[int, Cell]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: int = 0  # cells under a merged range that hold text: not read, as Excel shows them
    fractions: int = 0  # numbers with a fraction whose format (percent?) could not be read


def read_calamine(
    path: Path | str, *, kind: Literal["xls", "ods"], sheet: str | None = None, name: str | None = None
) -> Grid:
    """Read one sheet of an .xls or .ods workbook (``kind``), the one with the plan header."""
    path = Path(path)
    name = name or path.name
    size, limit = regular_file_size(path), import_limits.current().file_bytes
    if size > limit:
        raise SourceError(too_big(size, limit))
    if kind == "ods":
        from renaksi.imports.ods_reader import read_ods_sheets

        chosen, reason = _pick_sheet(iter(read_ods_sheets(path, name=name)), sheet)
    elif kind == "xls":
        with closing(_xls_sheets(read_file_bytes(path, limit), name=name)) as sheets:
            chosen, reason = _pick_sheet(sheets, sheet)
    else:
        raise ValueError(f"kind must be 'xls' or 'ods', not {kind!r}")
    return _grid(chosen, kind, reason)


def _pick_sheet(sheets: Iterator[SheetCells], wanted: str | None) -> tuple[SheetCells, Message]:
    first: SheetCells | None = None
    names: list[str] = []
    for candidate in sheets:
        names.append(candidate.name)
        if wanted is not None:
            if candidate.name == wanted:
                return candidate, ASKED_FOR
            continue
        if _has_plan_header(candidate):
            return candidate, FIRST_SHEET_WITH_HEADER
        first = first or candidate
    if wanted is not None:
        raise SourceError(no_sheet_named(wanted, names))
    if first is None:
        raise SourceError(msg(gettext_noop("buku kerja ini tidak punya lembar")))
    return first, msg(gettext_noop("lembar pertama; tidak ada lembar yang memuat judul tabel rencana"))


def _has_plan_header(sheet: SheetCells) -> bool:
    for row in sorted(sheet.cells)[:HEADER_SCAN_ROWS]:
        if row > HEADER_SCAN_ROWS:
            break
        words: set[str] = set()
        for cell in sheet.cells[row].values():
            words.update(m.upper() for m in HEADER_WORD_RE.findall(cell.text))
        if len(words) >= MIN_HEADER_WORDS:
            return True
    return False


def _grid(sheet: SheetCells, kind: str, reason: Message) -> Grid:
    notes = [sheet_note(sheet.name, reason), SHADING_NOT_READ]
    merged = MergedRanges(sheet.merges)
    cells_by_row: dict[int, dict[int, Cell]] = {}
    hidden = sheet.hidden
    for row, cells in sheet.cells.items():
        kept = {column: cell for column, cell in cells.items() if not merged.covers(row, column)}
        hidden += len(cells) - len(kept)
        if kept:
            cells_by_row[row] = kept
    rows: list[GridRow] = []
    spread = 0
    if cells_by_row:
        last_column = max(max(cells) for cells in cells_by_row.values())
        check_extent(max(cells_by_row), last_column)
        spread = spread_across(cells_by_row, merged.across, last_column, {})
        for row in sorted(cells_by_row):
            cells = cells_by_row[row]
            line: list[Cell] = [EMPTY] * max(cells)
            for column, cell in cells.items():
                line[column - 1] = cell
            rows.append(GridRow(row, line))
    if sheet.merges:
        notes.append(merged_note(len(sheet.merges)))
    if spread:
        notes.append(
            msg(
                gettext_noop(
                    "{count} rentang sel gabungan dalam satu baris berisi tanda bulan: sel yang tertutup "
                    "gabungan mengulangnya"
                ),
                count=spread,
            )
        )
    if hidden:
        notes.append(
            msg(
                gettext_noop(
                    "{count} sel yang tersembunyi di bawah sel gabungan berisi teks; sel itu tidak dibaca, "
                    "karena tidak ditampilkan"
                ),
                count=hidden,
            )
        )
    if sheet.fractions:
        notes.append(
            msg(
                gettext_noop(
                    "{count} bilangan punya pecahan; format angka .xls tidak dibaca, sehingga persen terbaca "
                    "sebagai pecahan (0.975, bukan 97,5%)"
                ),
                count=sheet.fractions,
            )
        )
    return Grid(rows, kind, sheet=sheet.name, notes=notes, merges=list(sheet.merges))


@dataclass(frozen=True)
class _Format:
    """The one attribute of an openpyxl cell that the XLSX reader's rendering looks at."""

    number_format: str


_GENERAL, _PERCENT = _Format("General"), _Format("0%")


def typed_cell(value: Any, *, percent: bool = False, zero_dash: bool = False) -> Cell:
    """A cell from a typed value, its text as the XLSX reader renders the same value; ``zero_dash``:
    the file shows this 0 as ``-`` (an accounting format), which says "no amount"."""
    kind, number = value_kind(value)
    if zero_dash and value == 0 and not isinstance(value, bool):
        return Cell("-", False, kind, number)
    return Cell(cell_text(value, _PERCENT if percent else _GENERAL), False, kind, number)


# -- .xls -----------------------------------------------------------------------------------------


@contextmanager
def _calamine_errors(name: str) -> Iterator[None]:
    from python_calamine import PasswordError

    try:
        yield
    except SourceError:
        raise
    except PasswordError:
        raise SourceError(PASSWORD_PROTECTED) from None
    except BaseException as error:
        # A panic inside calamine reaches Python as pyo3's PanicException, a BaseException.
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        detail = " ".join(str(error).split())[:200]
        raise SourceError(
            msg(
                gettext_noop("{name} bukan buku kerja .xls yang dapat dibaca: {reason}"),
                name=name,
                reason=detail or type(error).__name__,
            )
        ) from None


def _xls_sheets(data: bytes, *, name: str) -> Generator[SheetCells, None, None]:
    stream = _workbook_stream(data, name=name)
    extents, largest, zero_dashes = _biff_extents(stream)
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    with _calamine_errors(name):
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(workbook.sheets_metadata)
    try:
        for entry in metadata:
            if entry.typ != SheetTypeEnum.WorkSheet:
                continue
            _check_area(entry.name, extents.get(entry.name, largest))
            with _calamine_errors(name):
                sheet = workbook.get_sheet_by_name(entry.name)
                values = sheet.to_python()
                start_row, start_column = (sheet.start if values else None) or (0, 0)
                merges = [
                    (top + 1, left + 1, bottom + 1, right + 1)
                    for (top, left), (bottom, right) in sheet.merged_cell_ranges or ()
                ]
            yield _xls_cells(
                entry.name, values, start_row, start_column, merges, zero_dashes.get(entry.name, set())
            )
    finally:
        workbook.close()


def _xls_cells(
    name: str,
    values: list[list[Any]],
    start_row: int,
    start_column: int,
    merges: list[tuple[int, int, int, int]],
    zero_dashes: set[tuple[int, int]],
) -> SheetCells:
    sheet = SheetCells(name, merges=merges)
    interned: dict[tuple[type, Any, bool], Cell] = {}
    chars = import_limits.current().cell_chars
    for offset, row in enumerate(values):
        cells: dict[int, Cell] = {}
        for index, value in enumerate(row):
            if value == "" or value is None:
                continue
            dash = value == 0 and (start_row + offset, start_column + index) in zero_dashes
            key = (type(value), value, dash)
            cell = interned.get(key)
            if cell is None:
                cell = interned[key] = typed_cell(value, zero_dash=dash)
            if isinstance(value, float) and not value.is_integer():
                sheet.fractions += 1
            if len(cell.text) > chars:
                raise SourceError(
                    cell_too_long(len(cell.text), chars), start_row + offset + 1, start_column + index + 1
                )
            if "\x00" in cell.text:  # BIFF strings may hold one; PostgreSQL text cannot
                raise SourceError(NUL_IN_CELL, start_row + offset + 1, start_column + index + 1)
            if cell.text:
                cells[start_column + index + 1] = cell
        if cells:
            sheet.cells[start_row + offset + 1] = cells
    return sheet


# The directory entries (UTF-16 names, NUL-terminated) of an encrypted Office file's streams,
# looked for in the raw bytes when the container is too damaged for olefile.
_ENCRYPTED_ENTRIES = tuple(
    (stream + "\x00").encode("utf-16-le") for stream in ("EncryptedPackage", "EncryptionInfo")
)


def _workbook_stream(data: bytes, *, name: str) -> bytes:
    """The BIFF stream of an OLE file, or a refusal saying what the file is instead."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as error:  # olefile raises several kinds on a damaged container
        if any(entry in data for entry in _ENCRYPTED_ENTRIES):
            raise SourceError(encrypted_office_file(name)) from None
        raise SourceError(_damaged_xls(name, error)) from None
    try:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            # A password-protected .xlsx (.docx ...) is an OLE container holding the encrypted
            # package: it is no .xls, and saying so points the person to the password.
            raise SourceError(encrypted_office_file(name))
        for stream in ("Workbook", "Book"):
            if ole.exists(stream):
                try:
                    return bytes(ole.openstream(stream).read())
                except Exception as error:
                    raise SourceError(_damaged_xls(name, error)) from None
        if ole.exists("WordDocument"):
            what = msg(gettext_noop("dokumen Word 97-2003 (.doc)"))
        elif ole.exists("PowerPoint Document"):
            what = msg(gettext_noop("presentasi PowerPoint 97-2003 (.ppt)"))
        else:
            what = msg(gettext_noop("berkas OLE yang tidak berisi buku kerja"))
        raise SourceError(
            msg(
                gettext_noop(
                    "bukan berkas rencana yang didukung: {name} adalah {what}; simpan rencananya sebagai .xlsx, "
                    ".xls, .ods atau .csv"
                ),
                name=name,
                what=what,
            )
        )
    finally:
        ole.close()


def _damaged_xls(name: str, error: Exception) -> Message:
    return msg(
        gettext_noop("{name} bukan buku kerja .xls yang dapat dibaca: berkasnya rusak ({reason})"),
        name=name,
        reason=str(error),
    )


_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _MULRK = 0x0809, 0x000A, 0x0085, 0x002F, 0x00BD
# FORMULA, LABELSST, NUMBER, LABEL, BOOLERR, RK, RSTRING, MULRK: the records calamine makes cells of
# (blank cells, BLANK and MULBLANK, carry a format only and are not read).
_CELL_RECORDS = frozenset({0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x00D6, _MULRK})
_Extent = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)


def _biff_extents(
    stream: bytes,
) -> tuple[dict[str, _Extent | None], _Extent | None, dict[str, set[tuple[int, int]]]]:
    """Each named sheet's range of value cells (``None``: it has none), the largest range of any
    sheet (for a sheet whose name could not be read), and each sheet's zeros shown as a dash
    (:class:`~renaksi.imports.xls_formats.ZeroDashes`), in one pass over the records. Refuses an
    encrypted workbook (a FILEPASS record in the workbook globals)."""
    zeros = ZeroDashes()
    dashes: set[tuple[int, int]] | None = None  # the current sheet's zeros shown as a dash
    names_at: dict[int, str] = {}
    boxes: dict[str, list[int]] = {}  # first row, first column, last row, last column
    box: list[int] | None = None  # the current sheet's
    current = ""
    stack: list[str] = []  # an embedded chart has its own BOF .. EOF inside a sheet's
    in_globals = True
    biff8 = True
    two, one = struct.Struct("<HH").unpack_from, struct.Struct("<H").unpack_from
    position, end = 0, len(stream)
    while position + 4 <= end:
        record, length = two(stream, position)
        body = position + 4
        position = body + length
        if position > end:
            break
        if record in _CELL_RECORDS and not in_globals and length >= 4:  # by far the most records
            row, first = two(stream, body)
            last = one(stream, position - 2)[0] if record == _MULRK else first
            if box is None:
                box = boxes[current] = [row, first, row, last]
            else:
                box[0], box[1] = min(box[0], row), min(box[1], first)
                box[2], box[3] = max(box[2], row), max(box[3], last)
            if record in NUMBER_RECORDS and dashes is not None:
                zeros.cell(dashes, record, stream, body, position)
        elif record == _BOF:
            if body == 4:
                biff8 = length >= 2 and one(stream, body)[0] == 0x0600
            else:
                in_globals = False
                stack.append(current)
                current = names_at.get(body - 4, current or f"\x00{body - 4}")
                box = boxes.get(current)
                dashes = zeros.sheet(current)
        elif record == _EOF:
            current = stack.pop() if stack else ""
            box = boxes.get(current)
            dashes = zeros.cells.get(current)
        elif in_globals and record == FORMAT:
            zeros.format_record(stream, body, position)
        elif in_globals and record == XF:
            zeros.xf_record(stream, body, position)
        elif in_globals and record == _FILEPASS:
            raise SourceError(PASSWORD_PROTECTED)
        elif in_globals and record == _BOUNDSHEET and length >= 8:
            names_at[struct.unpack_from("<I", stream, body)[0]] = _sheet_name(
                stream[body + 6 : position], biff8
            )
    extents: dict[str, _Extent | None] = {name: (b[0], b[1], b[2], b[3]) for name, b in boxes.items()}
    found = [extent for extent in extents.values() if extent is not None]
    for sheet in names_at.values():
        extents.setdefault(sheet, None)
    return extents, max(found, key=_area, default=None), zeros.cells


def _sheet_name(raw: bytes, biff8: bool) -> str:
    if not raw:
        return ""
    count = raw[0]
    if biff8 and len(raw) >= 2:
        if raw[1] & 1:
            return raw[2 : 2 + 2 * count].decode("utf-16-le", "replace")
        return raw[2 : 2 + count].decode("latin-1")
    return raw[1 : 1 + count].decode("cp1252", "replace")


def _area(extent: _Extent) -> int:
    return (extent[2] - extent[0] + 1) * (extent[3] - extent[1] + 1)


def _check_area(name: str, extent: _Extent | None) -> None:
    if extent is None:
        return
    check_extent(extent[2] + 1, extent[3] + 1)
    area_limit = import_limits.current().xls_area
    if _area(extent) > area_limit:
        raise SourceError(
            msg(
                gettext_noop(
                    "lembar {name!r} membentang {rows:,} baris kali {columns} kolom ({cells:,} sel), melebihi batas "
                    "{limit:,} sel"
                ),
                name=name,
                rows=extent[2] - extent[0] + 1,
                columns=extent[3] - extent[1] + 1,
                cells=_area(extent),
                limit=area_limit,
            )
        )
