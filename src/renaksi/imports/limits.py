"""The limits every import reader enforces while it reads (docs/limits.md lists them all).

An import is refused as soon as one of them is crossed, with a message naming the place
(row, column, zip member) where reading stopped, so a hostile or careless file costs bounded
time and memory whatever it declares about itself. No Django here: the readers read
:func:`current`, which is the defaults unless a caller (the import services, a test) put other
limits in effect with :func:`applied`; :func:`from_settings` makes them from the
``RENAKSI_MAX_IMPORT_*`` settings.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

__all__ = ["SETTING_NAMES", "ImportLimits", "applied", "current", "from_settings"]


@dataclass(frozen=True)
class ImportLimits:
    """Each field is a limit; ``SETTING_NAMES`` gives the setting that changes it."""

    #: Size of the file as uploaded or given to ``renaksi import``.
    file_bytes: int = 50 * 2**20
    #: Bytes inflated from all members of a zip workbook (XLSX, ODS) together, counted as inflated.
    inflated_bytes: int = 500 * 10**6
    #: Bytes inflated from any one member of a zip workbook, counted as inflated.
    member_bytes: int = 200 * 10**6
    #: Declared expansion ratio of a member (or of the whole archive) above 1 MiB.
    compression_ratio: int = 200
    #: Members (parts) of a zip workbook.
    zip_members: int = 10_000
    #: Rows of the sheet or text read (the last row number, empty rows included).
    rows: int = 200_000
    #: Columns of the sheet or text read (the last column holding a cell).
    columns: int = 200
    #: Cells of the text or sheet read: every field of a text file, every non-empty cell of an
    #: .ods with its repetitions (a 44,000-line plan has about a million fields as text).
    cells: int = 2_000_000
    #: Cell elements of all sheets of an XLSX workbook, empty styled ones included: openpyxl builds
    #: an object for each (about 450 bytes; a 44,000-line plan has about 620,000).
    xlsx_cells: int = 1_000_000
    #: Characters in one cell (one field of the plan).
    cell_chars: int = 10_000
    #: Rows x columns an .xls sheet spans (python-calamine holds the whole range in memory).
    xls_area: int = 4_000_000


SETTING_NAMES: dict[str, str] = {
    "file_bytes": "RENAKSI_MAX_IMPORT_BYTES",
    "inflated_bytes": "RENAKSI_MAX_IMPORT_INFLATED_BYTES",
    "member_bytes": "RENAKSI_MAX_IMPORT_MEMBER_BYTES",
    "compression_ratio": "RENAKSI_MAX_IMPORT_COMPRESSION_RATIO",
    "zip_members": "RENAKSI_MAX_IMPORT_ZIP_MEMBERS",
    "rows": "RENAKSI_MAX_IMPORT_ROWS",
    "columns": "RENAKSI_MAX_IMPORT_COLUMNS",
    "cells": "RENAKSI_MAX_IMPORT_CELLS",
    "xlsx_cells": "RENAKSI_MAX_IMPORT_XLSX_CELLS",
    "cell_chars": "RENAKSI_MAX_IMPORT_CELL_CHARS",
    "xls_area": "RENAKSI_MAX_IMPORT_XLS_AREA",
}

DEFAULT = ImportLimits()
_CURRENT: contextvars.ContextVar[ImportLimits] = contextvars.ContextVar(
    "renaksi_import_limits", default=DEFAULT
)


def current() -> ImportLimits:
    """The limits in effect for the import being read."""
    return _CURRENT.get()


@contextmanager
def applied(limits: ImportLimits) -> Iterator[ImportLimits]:
    """Put ``limits`` in effect for the readers called inside the block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def from_settings(settings: Any) -> ImportLimits:
    """The limits the ``RENAKSI_MAX_IMPORT_*`` attributes of ``settings`` set (defaults for the others)."""
    values = {}
    for each in fields(ImportLimits):
        value = getattr(settings, SETTING_NAMES[each.name], None)
        if value is not None:
            values[each.name] = int(value)
    return ImportLimits(**values)
