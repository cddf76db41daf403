"""Source files to :class:`~renaksi.core.grid.Grid`: text (TSV, CSV), XLSX, and XLS/ODS
(:mod:`renaksi.imports.calamine_reader`), nothing else.

A reader gives cells meaning no more than their place: it decides how bytes become text and
text becomes cells, records each such decision in ``grid.notes``, and refuses a file it cannot
read with a :class:`SourceError` that says where (line and column) and why. The recognizer does
the rest. No Django here: the CLI, the web upload and the tests all call the same functions.

The type of a file is told by its content, never only by its name: a workbook renamed ``.csv``
is still read as a workbook, and an ``.xls`` renamed ``.xlsx`` is read as the ``.xls`` it is.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import datetime as dt
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from renaksi.core.grid import BOOLEAN, DATE, NUMBER, STRING, Cell, Grid, GridRow, SourceError
from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.core.money import format_number_id
from renaksi.core.schedule import MARK_TRUE
from renaksi.core.text import csv_unsafe, normalize_space
from renaksi.imports import limits as import_limits
from renaksi.imports.reader_messages import (
    ASKED_FOR,
    FIRST_SHEET_WITH_HEADER,
    cell_too_long,
    merged_note,
    no_sheet_named,
    not_a_regular_file,
    not_readable_xlsx,
    sheet_note,
    text_too_many_cells,
    text_too_many_columns,
    text_too_many_rows,
    too_big,
)
from renaksi.imports.safe_zip import ZIP_DAMAGE, Inflation, check_zip_limits
from renaksi.imports.sheet_limits import SheetScan
from renaksi.imports.sheet_limits import column_number as _column_number

__all__ = [
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_SOURCE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "check_zip_limits",
    "read_delimited",
    "read_file_bytes",
    "read_source",
    "read_xlsx",
    "regular_file_size",
]

# The default limits (renaksi.imports.limits has them all, docs/limits.md says where each holds).
MAX_SOURCE_BYTES = import_limits.DEFAULT.file_bytes
MAX_UNCOMPRESSED_BYTES = import_limits.DEFAULT.inflated_bytes
MAX_COMPRESSION_RATIO = import_limits.DEFAULT.compression_ratio
MAX_ROWS = import_limits.DEFAULT.rows
MAX_COLUMNS = import_limits.DEFAULT.columns

# Words of the plan header. A line holding three of them is the header, and the delimiter that
# splits it into the most cells is the file's delimiter.
_HEADER_WORD_RE = re.compile(r"\b(NO|SASARAN|INDIKATOR|TARGET|KEGIATAN|BIAYA|AKUN)\b", re.IGNORECASE)
_MIN_HEADER_WORDS = 3
_DELIMITERS = ("\t", ";", ",")  # in order of preference on a tie

# The csv module refuses a field over 131,072 characters with an error that names no cell. The
# import's own limit on characters per cell (checked on every record, naming its row and column)
# is what bounds a field; the text is already in memory whole, so nothing more is held.
csv.field_size_limit(2**31 - 1)
_DELIMITER_NAMES = {
    "\t": msg(gettext_noop("tab")),
    ";": msg(gettext_noop("titik koma")),
    ",": msg(gettext_noop("koma")),
}
_HEADER_SCAN_ROWS = 200

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A valid UTF-8 multi-byte sequence. A file that has such sequences and still fails to decode as
# UTF-8 is UTF-8 with a damaged byte: reading it as cp1252 would garble every accented letter.
_UTF8_MULTIBYTE_RE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

# An OLE compound file: an Excel 97-2003 workbook (.xls), a password-protected .xlsx, a .doc ...
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Signatures of files people upload by mistake, with what to tell them.
_MAGIC: tuple[tuple[bytes, Message], ...] = (
    (b"%PDF-", msg(gettext_noop("PDF; ekspor tabelnya dari lembar kerja asalnya, atau salin teksnya"))),
    (b"\x1f\x8b", msg(gettext_noop("arsip gzip"))),
    (b"7z\xbc\xaf\x27\x1c", msg(gettext_noop("arsip 7-Zip"))),
    (b"Rar!", msg(gettext_noop("arsip RAR"))),
    (b"\x89PNG", msg(gettext_noop("gambar PNG"))),
    (b"\xff\xd8\xff", msg(gettext_noop("gambar JPEG"))),
    (b"GIF8", msg(gettext_noop("gambar GIF"))),
)
_NOT_XLSX = msg(gettext_noop("arsip zip yang bukan buku kerja XLSX"))
_ZIP_KINDS = {
    "word/document.xml": msg(gettext_noop("dokumen Word (.docx)")),
    "xl/workbook.bin": msg(gettext_noop("buku kerja biner Excel (.xlsb)")),
}


# -- dispatch -------------------------------------------------------------------------------------


def read_source(path: Path, *, encoding: str | None = None, max_bytes: int | None = None) -> Grid:
    """Read a plan file of any supported kind, chosen by its content: XLSX, XLS, ODS, or delimited text."""
    path = Path(path)
    limit = import_limits.current().file_bytes if max_bytes is None else max_bytes
    size = regular_file_size(path)
    if size > limit:
        raise SourceError(too_big(size, limit))
    with _open_regular(path) as handle:
        head = handle.read(8)
    if head.startswith(b"PK"):
        kind = _zip_kind(path)
        if kind == "ods":
            from renaksi.imports.calamine_reader import read_calamine

            return read_calamine(path, kind="ods")
        if isinstance(kind, Message):
            raise SourceError(
                msg(
                    gettext_noop(
                        "bukan berkas rencana yang didukung: {kind}; simpan sebagai .xlsx, .xls, .ods, .csv atau "
                        "teks berpemisah tab"
                    ),
                    kind=kind,
                )
            )
        return read_xlsx(path)
    if head.startswith(_OLE_MAGIC):
        from renaksi.imports.calamine_reader import read_calamine

        return read_calamine(path, kind="xls")  # refuses, saying what it is, an OLE file that is no workbook
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise SourceError(
                msg(
                    gettext_noop("bukan berkas rencana yang didukung: {name} adalah {what}"),
                    name=path.name,
                    what=what,
                )
            )
    data = read_file_bytes(path, limit)
    if b"\x00" in data[:8192] and not _bom_encoding(data):
        line, column = _text_position(data, data.index(b"\x00"), "latin-1")
        raise SourceError(
            msg(
                gettext_noop(
                    "bukan berkas rencana yang didukung: {name} berisi data biner (byte NUL); jika ini teks, "
                    "penyandiannya salah (UTF-16 tanpa penanda urutan byte?)"
                ),
                name=path.name,
            ),
            line,
            column,
        )
    return read_delimited(data, name=path.name, encoding=encoding)


def regular_file_size(path: Path) -> int:
    """The size of the file at ``path``, refusing what is no regular file (a folder, a device
    such as /dev/zero, a FIFO) before anything opens it: reading those never ends or hangs."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise SourceError(
            msg(gettext_noop("{path} tidak dapat dibaca: {reason}"), path=str(path), reason=error.strerror)
        ) from None
    if not stat.S_ISREG(status.st_mode):
        raise SourceError(not_a_regular_file(Path(path).name))
    return status.st_size


def _open_regular(path: Path) -> io.BufferedReader:
    # O_NONBLOCK: a FIFO put in the file's place after the check must not hang the open.
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise SourceError(
            msg(gettext_noop("{path} tidak dapat dibaca: {reason}"), path=str(path), reason=error.strerror)
        ) from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise SourceError(not_a_regular_file(Path(path).name))
    return os.fdopen(descriptor, "rb")


def read_file_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most ``limit`` (the import limit): one more is a refusal,
    whatever size the file said it had when it was looked at."""
    limit = import_limits.current().file_bytes if limit is None else limit
    size = regular_file_size(path)
    if size > limit:
        raise SourceError(too_big(size, limit))
    with _open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(too_big(len(data), limit))
    return data


def _zip_kind(path: Path) -> str | Message:
    """``"xlsx"``, ``"ods"``, or what the archive is instead."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_zip_limits(archive)
            mimetype = (
                Inflation(archive).head("mimetype", 100).decode("ascii", "replace")
                if "mimetype" in names
                else ""
            )
    except ZIP_DAMAGE as error:
        raise SourceError(
            msg(
                gettext_noop("bukan berkas rencana yang didukung: arsip zip yang rusak ({reason})"),
                reason=str(error),
            )
        ) from None
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        return "ods"
    return next((what for part, what in _ZIP_KINDS.items() if part in names), _NOT_XLSX)


# -- delimited text -------------------------------------------------------------------------------


def read_delimited(data: bytes, *, name: str, encoding: str | None = None) -> Grid:
    """Read tab-, semicolon- or comma-separated text.

    Tab-separated text is the form of text copied out of a PDF, where a stray ``"`` inside a cell
    is ordinary text: its cells are exactly the split on tabs. Semicolon and comma files come
    from spreadsheets and are read with quoting, so a quoted cell may hold the delimiter or line
    breaks; ``GridRow.line`` is then the physical line where the record starts.
    """
    notes: list[Message] = []
    text, used = _decode(data, name=name, encoding=encoding)
    notes.append(msg(gettext_noop("penyandian: {encoding}"), encoding=used))
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _char_position(text, nul)
        raise SourceError(
            msg(gettext_noop("karakter NUL di {name}: penyandian salah, atau bukan berkas teks"), name=name),
            line,
            column,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    limits = import_limits.current()
    if text and text.count("\n") >= limits.rows:  # refused before a million lines are made
        raise SourceError(text_too_many_rows(name, limits.rows), limits.rows + 1)
    lines = text.split("\n") if text else []
    delimiter, reason = _pick_delimiter(lines)
    notes.append(
        msg(
            gettext_noop("pemisah: {delimiter} ({reason})"),
            delimiter=_DELIMITER_NAMES[delimiter],
            reason=reason,
        )
    )
    if delimiter == "\t":
        return Grid(_tsv_rows(lines, name, limits), "tsv", encoding=used, notes=notes)
    return Grid(_csv_rows(lines, delimiter, name, limits), "csv", encoding=used, notes=notes)


def _tsv_rows(lines: list[str], name: str, limits: import_limits.ImportLimits) -> list[GridRow]:
    cell = _Interner()
    rows: list[GridRow] = []
    columns, chars, cells_left = limits.columns, limits.cell_chars, limits.cells
    for number, line in enumerate(lines, 1):
        parts = line.split("\t")
        _check_record(parts, number, name, columns, chars, len(line))
        cells_left -= len(parts)
        if cells_left < 0:
            raise SourceError(text_too_many_cells(name, limits.cells), number)
        rows.append(GridRow(number, [cell(t) for t in parts]))
    return rows


def _check_record(parts: list[str], line: int, name: str, columns: int, chars: int, length: int) -> None:
    """One row's columns and the length of its cells (looked at one by one only when the row's
    whole text, ``length`` characters, could hold a cell over the limit)."""
    if len(parts) > columns:
        raise SourceError(text_too_many_columns(name, columns), line, columns + 1)
    if length > chars:
        for column, text in enumerate(parts, 1):
            if len(text) > chars:
                raise SourceError(cell_too_long(len(text), chars), line, column)


def _csv_rows(
    lines: list[str], delimiter: str, name: str, limits: import_limits.ImportLimits
) -> list[GridRow]:
    # strict: a quote that opens a cell must close it, else the reader would silently swallow
    # the rest of the file into one cell or drop the quotes of `"Prima" baru`.
    reader = csv.reader((line + "\n" for line in lines), delimiter=delimiter, strict=True)
    rows: list[GridRow] = []
    start = 1
    cell = _Interner()
    columns, chars, cells_left = limits.columns, limits.cell_chars, limits.cells
    try:
        for record in reader:
            _check_record(record, start, name, columns, chars, sum(map(len, record)))
            cells_left -= len(record)
            if cells_left < 0:
                raise SourceError(text_too_many_cells(name, limits.cells), start)
            cells = [cell(csv_unsafe(t)) for t in record] if record else [cell("")]
            rows.append(GridRow(start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        opened = _runaway_quote(lines, start, reader.line_num, delimiter)
        if opened is not None or "unexpected end of data" in str(error):
            line, column = opened or (start, None)
            raise SourceError(
                msg(
                    gettext_noop("{name}: sel bertanda kutip yang dimulai di baris ini tidak pernah ditutup"),
                    name=name,
                ),
                line,
                column,
            ) from None
        raise SourceError(
            msg(
                gettext_noop(
                    "{name} tidak dapat dibaca sebagai CSV ({reason}); tanda kutip harus membuka dan menutup "
                    "satu sel utuh"
                ),
                name=name,
                reason=str(error),
            ),
            reader.line_num,
        ) from None
    return rows


def _runaway_quote(lines: list[str], start: int, end: int, delimiter: str) -> tuple[int, int] | None:
    """Where (line, field) the quote opened that ran on past a line end, in the record read from
    line ``start`` until the reader stopped at line ``end``: the quote the person forgot to
    close, however far below the reader noticed. ``None`` when no quote crossed a line end."""
    found = None
    field, quoted, field_start, opened = 1, False, True, (start, 1)
    for number in range(start, min(end, len(lines)) + 1):
        line = lines[number - 1]
        index = 0
        while index < len(line):
            char = line[index]
            if quoted:
                if char == '"':
                    if line.startswith('"', index + 1):
                        index += 1  # a doubled quote is a quote inside the cell
                    else:
                        quoted = False
            elif char == delimiter:
                field, field_start = field + 1, True
                index += 1
                continue
            elif char == '"' and field_start:
                quoted, opened = True, (number, field)
            field_start = False
            index += 1
        if quoted:
            found = opened
        else:
            field, field_start = 1, True  # the record ends with the line
    return found


class _Interner(dict[str, Cell]):
    """One :class:`Cell` per distinct text. Cells are immutable, and most of a plan's cells are
    the same few texts (empty month cells above all), so sharing them saves time and memory."""

    def __call__(self, text: str) -> Cell:
        cell = self.get(text)
        if cell is None:
            cell = self[text] = Cell(text)
        return cell


def _pick_delimiter(lines: list[str]) -> tuple[str, Message]:
    for number, line in enumerate(lines[:_HEADER_SCAN_ROWS], 1):
        words = {m.upper() for m in _HEADER_WORD_RE.findall(line)}
        if len(words) >= _MIN_HEADER_WORDS:
            counts = {d: len(_split_one(line, d)) for d in _DELIMITERS}
            best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
            return best, msg(
                gettext_noop("pemisah ini membagi baris judul di baris {line} menjadi {count} sel"),
                line=number,
                count=counts[best],
            )
    sample = "\n".join(lines[:_HEADER_SCAN_ROWS])
    if "\t" not in sample:
        counts = {d: sample.count(d) for d in _DELIMITERS[1:]}
        best = max(_DELIMITERS[1:], key=lambda d: counts[d])
        if counts[best]:
            return best, msg(
                gettext_noop(
                    "baris judul tidak ditemukan; pemisah yang paling sering muncul, dan tidak ada tab"
                )
            )
    return "\t", msg(gettext_noop("baris judul tidak ditemukan; tab sebagai bawaan"))


def _split_one(line: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return line.split("\t")
    return next(csv.reader([line], delimiter=delimiter), [])


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _decode(data: bytes, *, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SourceError(
                msg(gettext_noop("penyandian {encoding!r} tidak dikenal"), encoding=encoding)
            ) from None
        if codecs.lookup(encoding).name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"  # asked for UTF-8, saved by a program that marks it
        return _strict(data, encoding, name), encoding
    bom = _bom_encoding(data)
    if bom is not None:
        return _strict(data, bom, name), bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    if _UTF8_MULTIBYTE_RE.search(data, 0, utf8_error.start):
        _raise_decode_error(data, "utf-8", name, utf8_error, utf8_so_far=True)
    return _strict(data, "cp1252", name), "cp1252"


def decode_text(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and the encoding read (a BOM's, else UTF-8, else cp1252 when no byte
    before the first bad one was UTF-8), or :class:`SourceError` naming the line and column."""
    return _decode(data, name=name, encoding=encoding)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        _raise_decode_error(data, encoding, name, error)
        raise AssertionError("unreachable") from None


def _raise_decode_error(
    data: bytes, encoding: str, name: str, error: UnicodeDecodeError, *, utf8_so_far: bool = False
) -> None:
    line, column = _text_position(data, error.start, encoding)
    bad = data[error.start : error.start + 4].hex(" ")
    template = (
        gettext_noop(
            "penyandian salah: {name} tidak dapat dibaca sebagai {encoding} (byte {bytes}); berkas ini UTF-8 "
            "sampai titik ini; simpan sebagai UTF-8"
        )
        if utf8_so_far
        else gettext_noop(
            "penyandian salah: {name} tidak dapat dibaca sebagai {encoding} (byte {bytes}); simpan sebagai UTF-8"
        )
    )
    raise SourceError(
        msg(template, name=name, encoding=encoding, bytes=bad),
        line,
        column,
    ) from None


def _text_position(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """Line and column (1-based, in characters) of the byte at ``offset``: the text before it is valid."""
    prefix = data[:offset].decode(encoding, errors="replace")
    return _char_position(prefix, len(prefix))


def _char_position(text: str, index: int) -> tuple[int, int]:
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before) - line_start + 1


# -- XLSX -------------------------------------------------------------------------------------------


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
    with _open_zip(source) as archive:
        _check_archive(archive)
        inflation = Inflation(archive)
        members = _sheet_members(archive, inflation)
        facts, without_merges = _prepare_sheets(archive, inflation, members)
    workbook = _load_workbook(without_merges)
    try:
        worksheet, reason = _pick_sheet(workbook, sheet)
        notes = [sheet_note(worksheet.title, reason)]
        sheet_facts = facts.get(members.get(worksheet.title, ""), _SheetFacts())
        if sheet_facts.formula_without_value is not None:
            ref = sheet_facts.formula_without_value
            row, column = _split_ref(ref)
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
        merged = _MergedRanges(sheet_facts.merged)
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


def _open_zip(source: Path | io.BytesIO) -> zipfile.ZipFile:
    if isinstance(source, io.BytesIO):
        source.seek(0)
    try:
        return zipfile.ZipFile(source)
    except ZIP_DAMAGE as error:
        raise SourceError(not_readable_xlsx(error)) from None


def _check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs: too many parts, too much expanded data, too high a compression ratio."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SourceError(msg(gettext_noop("bukan berkas rencana yang didukung: {kind}"), kind=_NOT_XLSX))
    check_zip_limits(archive)


@dataclass
class _SheetFacts:
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min row, min col, max row, max col
    formula_without_value: str | None = None  # the reference of the first such cell


def _prepare_sheets(
    archive: zipfile.ZipFile, inflation: Inflation, members: dict[str, str]
) -> tuple[dict[str, _SheetFacts], io.BytesIO]:
    """Inflate every part once, within the limits: each sheet's rows, columns and cells are
    counted as it inflates (:class:`~renaksi.imports.sheet_limits.SheetScan`), formulas without
    values are found, and merged ranges are taken out.

    Returns the facts per sheet part, and the workbook as openpyxl reads it: stored, not
    deflated, so that what it expands is exactly what was counted here.
    """
    limits = import_limits.current()
    titles = {part: title for title, part in members.items()}
    facts: dict[str, _SheetFacts] = {}
    cells = 0
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED, allowZip64=True) as out:
        for info in archive.infolist():
            name = info.filename
            if name in titles or (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                scan = SheetScan(titles.get(name, name), limits, cells_before=cells)
                data = inflation.read(info, scan=_first_checking_dimension(scan))
                scan.finish()
                cells = scan.cells
                data, merged = _strip_merges(data)
                facts[name] = _SheetFacts(merged, _formula_without_value(data))
            else:
                data = inflation.read(info)
            out.writestr(info.filename, data)
            del data
    return facts, copy


def _first_checking_dimension(scan: SheetScan) -> Callable[[bytes], None]:
    """``scan.feed``, which first checks the size the sheet declares in its first chunk: an
    honest sheet too large is refused by what it says before any of its cells is counted."""
    first = [True]

    def feed(chunk: bytes) -> None:
        if first[0]:
            first[0] = False
            _check_dimension(chunk[:4096])
        scan.feed(chunk)

    return feed


_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)\"")


def _check_dimension(head: bytes) -> None:
    """The size a sheet declares in its first bytes, checked before the sheet is parsed."""
    match = _DIMENSION_RE.search(head)
    if match is None:
        return
    _check_extent(int(match.group(2)), _column_number(match.group(1).decode()))


def _check_extent(rows: int, columns: int) -> None:
    limits = import_limits.current()
    if rows > limits.rows:
        raise SourceError(
            msg(
                gettext_noop("lembar ini punya {count} baris, melebihi batas {limit}"),
                count=format_number_id(rows),
                limit=format_number_id(limits.rows),
            )
        )
    if columns > limits.columns:
        raise SourceError(
            msg(
                gettext_noop("lembar ini punya {count} kolom, melebihi batas {limit}"),
                count=format_number_id(columns),
                limit=limits.columns,
            )
        )


# Markup cannot occur inside cell text (``<`` is escaped there), so finding the element's name
# in the bytes finds the element.
_MERGE_BLOCK_RE = re.compile(rb"<(?:\w+:)?mergeCells\b[^>]*?(?:/>|>.*?</(?:\w+:)?mergeCells\s*>)", re.DOTALL)
_MERGE_REF_RE = re.compile(rb'\sref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _strip_merges(data: bytes) -> tuple[bytes, list[tuple[int, int, int, int]]]:
    found = data.find(b"mergeCells")
    if found < 0:
        return data, []
    start = data.rfind(b"<", 0, found)
    match = _MERGE_BLOCK_RE.match(data, start)
    if match is None:
        return data, []
    ranges = []
    for first_col, first_row, last_col, last_row in _MERGE_REF_RE.findall(match.group(0)):
        min_row, min_col = int(first_row), _column_number(first_col.decode())
        max_row = int(last_row) if last_row else min_row
        max_col = _column_number(last_col.decode()) if last_col else min_col
        ranges.append((min_row, min_col, max_row, max_col))
    return data[: match.start()] + data[match.end() :], ranges


class _MergedRanges:
    """Which cells merged ranges cover (all but each range's top-left), by column and row, and
    which ranges lie within one row (``across``: row, first column, last column)."""

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        by_column: dict[int, list[tuple[int, int, int, int]]] = {}
        self.across = [
            (min_row, min_col, max_col)
            for min_row, min_col, max_row, max_col in ranges
            if min_row == max_row and max_col > min_col
        ]
        for min_row, min_col, max_row, max_col in ranges:
            # Columns past the limit are refused later anyway; clipping keeps a hostile
            # "A1:XFD1" from making 16,384 entries.
            for column in range(min_col, min(max_col, import_limits.current().columns + 1) + 1):
                by_column.setdefault(column, []).append((min_row, max_row, min_row, min_col))
        self.by_column = {column: sorted(entries) for column, entries in by_column.items()}
        self.starts = {column: [entry[0] for entry in entries] for column, entries in self.by_column.items()}

    def covers(self, row: int, column: int) -> bool:
        starts = self.starts.get(column)
        if not starts:
            return False
        index = bisect.bisect_right(starts, row) - 1
        if index < 0:
            return False
        min_row, max_row, top_row, top_col = self.by_column[column][index]
        return row <= max_row and (row, column) != (top_row, top_col)


_FORMULA_TAG_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formula_without_value(data: bytes) -> str | None:
    """A formula cell whose value Excel never saved reads as empty: find it, to refuse the sheet."""
    from defusedxml.ElementTree import iterparse

    if not _FORMULA_TAG_RE.search(data):
        return None
    try:
        for _event, element in iterparse(io.BytesIO(data), events=("end",)):
            if _local(element.tag) != "c":
                continue
            children = {_local(child.tag): child for child in element}
            value = children.get("v")
            # openpyxl and some generators save ``<v/>`` for "not computed"; an empty string result
            # is an empty value of a string-typed cell.
            no_value = value is None or (not value.text and element.get("t") not in ("str", "inlineStr"))
            if "f" in children and no_value:
                return element.get("r", "?")
            element.clear()
    except Exception as error:  # defusedxml's refusals and plain XML errors alike
        raise SourceError(not_readable_xlsx(error)) from None
    return None


def _sheet_members(archive: zipfile.ZipFile, inflation: Inflation) -> dict[str, str]:
    """Map sheet titles to their XML parts through workbook.xml and its relationships."""
    from defusedxml import ElementTree

    try:
        workbook = ElementTree.fromstring(inflation.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(inflation.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    except Exception as error:  # defusedxml's refusals and plain XML errors alike
        raise SourceError(not_readable_xlsx(error)) from None
    targets: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id", "")] = target
    members: dict[str, str] = {}
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                members[element.get("name", "")] = targets[rid]
    return members


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _split_ref(ref: str) -> tuple[int | None, int | None]:
    match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
    if match is None:
        return None, None
    return int(match.group(2)), _column_number(match.group(1))


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
    for row in worksheet.iter_rows(max_row=min(worksheet.max_row, _HEADER_SCAN_ROWS), values_only=True):
        words: set[str] = set()
        for value in row:
            if isinstance(value, str):
                words.update(m.upper() for m in _HEADER_WORD_RE.findall(value))
        if len(words) >= _MIN_HEADER_WORDS:
            return True
    return False


def _sheet_rows(worksheet: Any, merged: _MergedRanges) -> tuple[list[GridRow], int]:
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
        text = "" if value is None else _cell_text(value, cell)
        if len(text) > chars:
            raise SourceError(cell_too_long(len(text), chars), row, column)
        if (not text and not shaded) or merged.covers(row, column):
            continue
        kind, number = _value_kind(value)
        key = (text, shaded, kind, number)
        entry = interned.get(key)
        if entry is None:
            entry = interned[key] = Cell(text, shaded, kind, number)
        cells_by_row.setdefault(row, {})[column] = entry
    if not cells_by_row:
        return [], 0
    last_row = max(cells_by_row)
    last_column = max(max(cells) for cells in cells_by_row.values())
    _check_extent(last_row, last_column)
    spread = _spread_across(cells_by_row, merged.across, last_column, interned)
    rows: list[GridRow] = []
    for row in sorted(cells_by_row):
        cells = cells_by_row[row]
        line: list[Cell] = [_EMPTY] * max(cells)
        for column, cell in cells.items():
            line[column - 1] = cell
        rows.append(GridRow(row, line))
    return rows, spread


_MONTHS_IN_A_YEAR = 12


def _spread_across(
    cells_by_row: dict[int, dict[int, Cell]],
    across: list[tuple[int, int, int]],
    last_column: int,
    interned: dict[tuple[str, bool, str, str], Cell],
) -> int:
    """Give the cells a range within one row covers what its first cell holds when that is a
    schedule mark (a fill without text, or a month mark with or without a fill): a bar over months
    3..5 schedules all three. A range whose first cell holds other text (a title or a label across
    the table) keeps its covered cells empty, fill and all: repeating a title's fill would give its
    row more cells than the one the recognizer reads as the signing unit or agency. A range wider
    than the twelve months (a filled divider across the whole table) is no schedule bar and is not
    spread either. Ranges over several rows are not passed here; their covered cells stay empty
    ("same as above"). Cells right of the sheet's last real cell are not made, so a range reaching
    far past the table neither widens it nor trips the column limit."""
    spread = 0
    for row, first, last in across:
        if last - first + 1 > _MONTHS_IN_A_YEAR:
            continue
        cells = cells_by_row.get(row)
        top = None if cells is None else cells.get(first)
        if cells is None or top is None:
            continue
        if normalize_space(top.text) in MARK_TRUE:
            text = top.text
        elif top.shaded and not top.text.strip():
            text = ""
        else:
            continue
        key = (text, top.shaded, STRING, "")
        copy = interned.get(key)
        if copy is None:
            copy = interned[key] = Cell(text, top.shaded)
        for column in range(first + 1, min(last, last_column) + 1):
            cells.setdefault(column, copy)
        spread += 1
    return spread


_EMPTY = Cell("")


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


def _value_kind(value: Any) -> tuple[str, str]:
    """What kind of value a cell holds, and a number's exact decimal text (``8.378``)."""
    if isinstance(value, bool):
        return BOOLEAN, ""
    if isinstance(value, int):
        return NUMBER, str(value)
    if isinstance(value, float):
        return NUMBER, format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.date | dt.time):
        return DATE, ""
    return STRING, ""


def _zero_shows_dash(number_format: str) -> bool:
    """Whether a number format shows zero as a dash, as accounting formats do (``_("Rp"* "-"_)``):
    its third section (the one for zero) prints ``-`` and no digit."""
    sections = number_format.split(";")
    if len(sections) < 3:
        return False
    zero = re.sub(r"\\.|_.|\*.|\[[^\]]*\]", "", sections[2])
    return "-" in zero and not re.search(r"[0#?]", zero)


def _cell_text(value: Any, cell: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number_format = cell.number_format or ""
        if value == 0 and _zero_shows_dash(number_format):
            return "-"  # a numeric 0 shown "Rp -": the sheet's way of saying "no amount"
        if "%" in number_format:
            return _percent_text(value)
        if isinstance(value, int):
            return str(value)
        if value.is_integer():
            return str(int(value))
        # A fraction must never read as thousands: 12.345 would become Rp 12.345 under Indonesian
        # grouping, so three decimals get a fourth, which no amount parser accepts.
        text = repr(value)
        if "e" not in text and len(text.partition(".")[2]) == 3:
            text += "0"
        return text
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _percent_text(value: int | float) -> str:
    """``0.975`` formatted as a percentage is ``97,5%``: the Indonesian decimal comma, no float noise."""
    percent = Decimal(repr(value)) * 100
    text = format(percent.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"
