"""The reference table of budget-code names, read from a ``kode;nama`` CSV: each code's canonical
form and level, a preview of what an import would change (:func:`renaksi.accounts.services.import_reference`
writes it), and the agency whose history keeps the table's changes."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.db.models import Case, When
from django.utils.translation import gettext as _

from renaksi.accounts.management import ManagementError
from renaksi.agencies.models import Agency, BudgetCodeName
from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.grid import SourceError
from renaksi.core.text import normalize_space
from renaksi.imports.readers import decode_text

__all__ = [
    "REFERENCE_MAX_BYTES",
    "REFERENCE_NAME_MAX",
    "ReferenceImportResult",
    "ReferencePreview",
    "ReferenceRow",
    "decode_reference_file",
    "preview_reference",
    "reference_code",
    "reference_history_agency",
]

REFERENCE_MAX_BYTES = 2 * 1024 * 1024
REFERENCE_NAME_MAX = 300
_SINGLE_SEGMENT_LEVELS = (
    (re.compile(r"[0-9]{4}"), "kegiatan"),
    (re.compile(r"[A-Z]{3}"), "kro"),
    (re.compile(r"[0-9]{6}"), "akun"),
)


def reference_code(text: str) -> tuple[str, str]:
    """The canonical code and its level for a reference row.

    A code alone names the same thing wherever it appears: a kegiatan (``3358``), a KRO
    (``EBC``), an akun (``521211``). An RO, komponen or subkomponen means something only under its
    parents, so it is written with its path (``3358.EBC.954``) and read by
    :func:`~renaksi.core.budget_codes.parse_budget_code`, whose last level is the row's level.
    """
    stripped = text.strip()
    if "." not in stripped:
        value = stripped.upper() if stripped.isascii() else stripped
        for pattern, level in _SINGLE_SEGMENT_LEVELS:
            if pattern.fullmatch(value):
                return value, level
        raise BudgetCodeError(
            _(
                "kode %(code)r tanpa titik harus kegiatan (4 angka), KRO (3 huruf) atau akun (6 angka); "
                "tulis RO, komponen dan subkomponen bersama induknya, mis. 3358.EBC.954"
            )
            % {"code": stripped}
        )
    code = parse_budget_code(stripped)
    return code.canonical, code.levels()[-1][0]


@dataclass(frozen=True)
class ReferenceRow:
    line: int
    code: str
    level: str
    name: str
    current_name: str | None  # the name stored now; None when the code is new

    @property
    def status(self) -> str:
        if self.current_name is None:
            return "new"
        return "unchanged" if self.current_name == self.name else "changed"


@dataclass(frozen=True)
class ReferencePreview:
    """What an import of a reference file would do; nothing is written while ``errors`` is not
    empty."""

    rows: tuple[ReferenceRow, ...]
    errors: tuple[str, ...]
    delimiter: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def decode_reference_file(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding (UTF-8, with or without BOM, else cp1252)."""
    if len(data) > REFERENCE_MAX_BYTES:
        raise ManagementError(
            _("Berkas terlalu besar (%(size)s bita); batasnya %(limit)s bita.")
            % {"size": len(data), "limit": REFERENCE_MAX_BYTES},
            "file",
        )
    if b"\x00" in data:
        raise ManagementError(_("Berkas ini bukan CSV teks (berisi bita nol)."), "file")
    try:
        text, encoding = decode_text(data, name="berkas")
    except SourceError as error:
        raise ManagementError(
            _("Berkas ini bukan UTF-8 maupun Windows-1252 (%(detail)s).") % {"detail": error}, "file"
        ) from None
    return text, ("Windows-1252" if encoding == "cp1252" else "UTF-8")


def preview_reference(text: str) -> ReferencePreview:
    """Read ``kode;nama`` (or ``kode,nama``) rows under a header row, checking every row."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []
    parsed: list[tuple[int, str, str, str]] = []
    seen: dict[str, int] = {}
    header_read = False
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if not header_read:
            header_read = True
            header = [cell.strip().casefold() for cell in cells]
            if header[:2] != ["kode", "nama"] or any(header[2:]):
                errors.append(
                    _(
                        "Baris %(line)s: baris judul harus berisi kolom kode dan nama (kode;nama atau kode,nama)."
                    )
                    % {"line": line}
                )
                break
            continue
        if len(cells) > 2 and any(cell.strip() for cell in cells[2:]):
            errors.append(
                _("Baris %(line)s: %(count)s kolom terisi; yang diharapkan hanya kode dan nama.")
                % {"line": line, "count": sum(1 for cell in cells if cell.strip())}
            )
            continue
        raw_code = cells[0]
        name = normalize_space(cells[1]) if len(cells) > 1 else ""
        try:
            code, level = reference_code(raw_code)
        except BudgetCodeError as error:
            errors.append(_("Baris %(line)s, kolom kode: %(error)s") % {"line": line, "error": error})
            continue
        if not name:
            errors.append(_("Baris %(line)s, kolom nama: nama kosong.") % {"line": line})
            continue
        if len(name) > REFERENCE_NAME_MAX:
            errors.append(
                _("Baris %(line)s, kolom nama: lebih dari %(max)s karakter.")
                % {"line": line, "max": REFERENCE_NAME_MAX}
            )
            continue
        if code in seen:
            errors.append(
                _("Baris %(line)s, kolom kode: kode %(code)s sudah ada di baris %(first)s.")
                % {"line": line, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = line
        parsed.append((line, code, level, name))
    if not header_read:
        errors.append(_("Berkas kosong: tidak ada baris judul kode;nama."))
    elif not parsed and not errors:
        errors.append(_("Berkas hanya berisi baris judul; tidak ada kode yang dibaca."))
    current = (
        dict(BudgetCodeName.objects.filter(code__in=list(seen)).values_list("code", "name")) if seen else {}
    )
    rows = tuple(
        ReferenceRow(line=line, code=code, level=level, name=name, current_name=current.get(code))
        for line, code, level, name in parsed
    )
    return ReferencePreview(rows=rows, errors=tuple(errors), delimiter=delimiter)


@dataclass(frozen=True)
class ReferenceImportResult:
    created: int
    updated: int
    unchanged: int


def reference_history_agency() -> Agency:
    """The agency whose history holds reference imports: the table is shared by every agency, so
    its changes are kept at the top of the tree (the national agency, else the first province)."""
    agency = (
        Agency.objects.filter(parent__isnull=True)
        .order_by(Case(When(level=Agency.Level.NATIONAL, then=0), default=1), "name")
        .first()
    )
    if agency is None:
        raise ManagementError(_("Belum ada satker; buat satker lebih dulu."))
    return agency
