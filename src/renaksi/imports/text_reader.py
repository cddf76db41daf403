"""Delimited text (tab-, semicolon- or comma-separated) to a :class:`~renaksi.core.grid.Grid`:
the encoding (a BOM's, else UTF-8, else cp1252) and the delimiter (the one that splits the plan
header into the most cells) are chosen and noted, and every refusal names its line and column.
"""

from __future__ import annotations

import codecs
import csv
import re

from renaksi.core.grid import Cell, Grid, GridRow, SourceError
from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.core.text import csv_unsafe
from renaksi.imports import limits as import_limits
from renaksi.imports.reader_common import HEADER_SCAN_ROWS, HEADER_WORD_RE, MIN_HEADER_WORDS
from renaksi.imports.reader_messages import (
    cell_too_long,
    text_too_many_cells,
    text_too_many_columns,
    text_too_many_rows,
)

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
    for number, line in enumerate(lines[:HEADER_SCAN_ROWS], 1):
        words = {m.upper() for m in HEADER_WORD_RE.findall(line)}
        if len(words) >= MIN_HEADER_WORDS:
            counts = {d: len(_split_one(line, d)) for d in _DELIMITERS}
            best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
            return best, msg(
                gettext_noop("pemisah ini membagi baris judul di baris {line} menjadi {count} sel"),
                line=number,
                count=counts[best],
            )
    sample = "\n".join(lines[:HEADER_SCAN_ROWS])
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


def bom_encoding(data: bytes) -> str | None:
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
    bom = bom_encoding(data)
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
    line, column = text_position(data, error.start, encoding)
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


def text_position(data: bytes, offset: int, encoding: str) -> tuple[int, int]:
    """Line and column (1-based, in characters) of the byte at ``offset``: the text before it is valid."""
    prefix = data[:offset].decode(encoding, errors="replace")
    return _char_position(prefix, len(prefix))


def _char_position(text: str, index: int) -> tuple[int, int]:
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before) - line_start + 1
