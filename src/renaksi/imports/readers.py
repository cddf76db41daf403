"""Source files to :class:`~renaksi.core.grid.Grid`: text (TSV, CSV), XLSX, and XLS/ODS
(:mod:`renaksi.imports.calamine_reader`), nothing else.

A reader gives cells meaning no more than their place: it decides how bytes become text and
text becomes cells, records each such decision in ``grid.notes``, and refuses a file it cannot
read with a :class:`SourceError` that says where (line and column) and why. The recognizer does
the rest. No Django here: the CLI, the web upload and the tests all call the same functions.

The type of a file is told by its content, never only by its name: a workbook renamed ``.csv``
is still read as a workbook, and an ``.xls`` renamed ``.xlsx`` is read as the ``.xls`` it is.
This module chooses the reader and reads the file's bytes; delimited text is read by
:mod:`renaksi.imports.text_reader`, XLSX by :mod:`renaksi.imports.xlsx_reader`, and what the
spreadsheet readers share is in :mod:`renaksi.imports.reader_common`.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from renaksi.core.grid import Grid, SourceError
from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.imports import limits as import_limits
from renaksi.imports.reader_common import cell_text as _cell_text  # noqa: F401 - imported from here by tests
from renaksi.imports.reader_messages import NOT_XLSX, not_a_regular_file, too_big
from renaksi.imports.safe_zip import ZIP_DAMAGE, Inflation, check_zip_limits
from renaksi.imports.text_reader import bom_encoding, decode_text, read_delimited, text_position
from renaksi.imports.xlsx_reader import read_xlsx

__all__ = [
    "MAX_COLUMNS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_SOURCE_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "check_zip_limits",
    "decode_text",
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
    if b"\x00" in data[:8192] and not bom_encoding(data):
        line, column = text_position(data, data.index(b"\x00"), "latin-1")
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
    return next((what for part, what in _ZIP_KINDS.items() if part in names), NOT_XLSX)
