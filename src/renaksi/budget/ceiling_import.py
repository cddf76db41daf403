"""Reading a ceiling table (CSV or XLSX: code, optional description, ceiling) and what importing it
would do (added, changed, removed), before anything is written.

Bytes become cells through the import readers (:func:`renaksi.imports.readers.read_xlsx`, which
refuses zip bombs and oversized sheets, and :func:`~renaksi.imports.readers.decode_text`, which
tells UTF-8 from Windows-1252). The header row names the columns (``kode``, ``uraian``, ``pagu``,
in any order, in Indonesian or English; a title of a few rows above it is skipped); amounts are read by :func:`renaksi.core.money.parse_rupiah`,
and an ambiguous one (``1.5``) is an error naming its row and column, never a guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from renaksi.core.budget_codes import BudgetCodeError
from renaksi.core.ceilings import parse_ceiling_code
from renaksi.core.grid import NUMBER, Cell, SourceError
from renaksi.core.money import MAX_AMOUNT, MoneyError, parse_rupiah
from renaksi.core.text import csv_unsafe, normalize_space
from renaksi.imports.readers import decode_text, read_xlsx

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
DESCRIPTION_MAX = 500
#: The header may sit under a title of a few rows; it is looked for in this many non-empty rows.
HEADER_SCAN_ROWS = 10

#: Header words of each column (casefolded); the first row holding a code and a ceiling column is
#: the header.
HEADERS = {
    "code": {"kode", "kode akun", "kode anggaran", "code", "akun"},
    "description": {"uraian", "deskripsi", "keterangan", "nama", "description", "name"},
    "ceiling": {"pagu", "pagu (rp)", "jumlah pagu", "ceiling", "amount", "nilai"},
}
_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class CeilingRow:
    line: int
    code: str
    description: str
    amount: int


@dataclass(frozen=True)
class CeilingChange:
    code: str
    description: str
    amount: int
    old_amount: int | None = None
    old_description: str | None = None


@dataclass
class CeilingImportPreview:
    rows: list[CeilingRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    added: list[CeilingChange] = field(default_factory=list)
    changed: list[CeilingChange] = field(default_factory=list)
    removed: list[CeilingChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @classmethod
    def of(cls, rows: Sequence[CeilingRow], stored: Mapping[str, tuple[str, int]]) -> CeilingImportPreview:
        """What making the stored ceilings (code -> (description, amount)) the file's rows does."""
        preview = cls(rows=list(rows))
        in_file = {row.code for row in rows}
        for row in rows:
            old = stored.get(row.code)
            if old is None:
                preview.added.append(CeilingChange(row.code, row.description, row.amount))
            elif old != (row.description, row.amount):
                preview.changed.append(CeilingChange(row.code, row.description, row.amount, old[1], old[0]))
            else:
                preview.unchanged += 1
        for code in sorted(set(stored) - in_file):
            description, amount = stored[code]
            preview.removed.append(CeilingChange(code, description, amount, amount, description))
        return preview


def read_ceiling_file(data: bytes, name: str) -> tuple[list[CeilingRow], list[str]]:
    """The rows of a ceiling file and every error found (each naming its row and column)."""
    if len(data) > MAX_FILE_BYTES:
        return [], [_("Berkas terlalu besar; batasnya %(limit)s bita.") % {"limit": MAX_FILE_BYTES}]
    try:
        records = _xlsx_records(data) if data.startswith(b"PK") else _text_records(data, name)
    except SourceError as error:
        return [], [error.render(_)]
    return _read_records(records)


def _xlsx_records(data: bytes) -> list[tuple[int, list[Cell]]]:
    grid = read_xlsx(data)
    return [(row.line, row.cells) for row in grid.rows]


def _text_records(data: bytes, name: str) -> list[tuple[int, list[Cell]]]:
    if b"\x00" in data:
        raise SourceError(_("Berkas ini bukan CSV teks (berisi bita nol)."))
    text, _encoding = decode_text(data, name=name)
    lines = text.splitlines()
    header = next((line for line in lines if line.strip()), "")
    delimiter = max(
        _DELIMITERS, key=lambda d: len(_known_columns(next(csv.reader([header], delimiter=d), [])))
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    for cells in reader:
        records.append((reader.line_num, [Cell(csv_unsafe(cell)) for cell in cells]))
        if len(records) > MAX_ROWS:
            raise SourceError(_("Berkas lebih dari %(max)s baris.") % {"max": MAX_ROWS})
    return records


def _known_columns(cells: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        word = normalize_space(cell).casefold()
        for column, words in HEADERS.items():
            if word in words and column not in found:
                found[column] = index
    return found


def _read_records(records: list[tuple[int, list[Cell]]]) -> tuple[list[CeilingRow], list[str]]:
    columns: dict[str, int] | None = None
    rows: list[CeilingRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    first_line: int | None = None
    read_above = 0
    for line, cells in records:
        texts = [normalize_space(cell.text) for cell in cells]
        if not any(texts):
            continue
        if columns is None:
            first_line = line if first_line is None else first_line
            found = _known_columns(texts)
            if "code" in found and "ceiling" in found:
                columns = found
                continue
            read_above += 1  # a title above the header (a POK export has one or two)
            if read_above < HEADER_SCAN_ROWS:
                continue
            break
        row = _read_row(line, cells, columns, errors)
        if row is None:
            continue
        if row.code in seen:
            errors.append(
                _("Baris %(line)s, kolom kode: kode %(code)s sudah ada di baris %(first)s.")
                % {"line": line, "code": row.code, "first": seen[row.code]}
            )
            continue
        seen[row.code] = line
        rows.append(row)
    if columns is None and first_line is not None:
        errors.append(
            _(
                "Baris %(line)s: tidak ada baris judul dengan kolom kode dan pagu (dan boleh uraian) di "
                "%(rows)s baris pertama, mis. kode;uraian;pagu."
            )
            % {"line": first_line, "rows": HEADER_SCAN_ROWS}
        )
    elif columns is None:
        errors.append(_("Berkas kosong: tidak ada baris judul kode dan pagu."))
    elif not rows and not errors:
        errors.append(_("Berkas hanya berisi baris judul; tidak ada pagu yang dibaca."))
    return rows, errors


def _cell(cells: list[Cell], index: int | None) -> Cell:
    return cells[index] if index is not None and index < len(cells) else Cell("")


def _read_row(line: int, cells: list[Cell], columns: dict[str, int], errors: list[str]) -> CeilingRow | None:
    where = {"line": line}
    code_text = normalize_space(_cell(cells, columns["code"]).text)
    try:
        code = parse_ceiling_code(code_text).canonical
    except BudgetCodeError as error:
        errors.append(
            _("Baris %(line)s, kolom kode: %(reason)s") % {**where, "reason": error.detail.render(_)}
        )
        return None
    description = normalize_space(_cell(cells, columns.get("description")).text)
    if len(description) > DESCRIPTION_MAX:
        errors.append(
            _("Baris %(line)s, kolom uraian: lebih dari %(max)s karakter.")
            % {**where, "max": DESCRIPTION_MAX}
        )
        return None
    amount_cell = _cell(cells, columns["ceiling"])
    try:
        amount = _amount(amount_cell)
    except MoneyError as error:
        errors.append(
            _("Baris %(line)s, kolom pagu: %(reason)s") % {**where, "reason": error.detail.render(_)}
        )
        return None
    return CeilingRow(line, code, description, amount)


def _amount(cell: Cell) -> int:
    """A ceiling: a whole, non-negative Rupiah amount (a workbook number, or text as people write it)."""
    if cell.kind == NUMBER and cell.number:
        try:
            value = Decimal(cell.number)
        except InvalidOperation:
            value = Decimal("NaN")
        if value.is_nan() or value != value.to_integral_value() or value < 0 or value > MAX_AMOUNT:
            raise MoneyError(
                _("%(value)s bukan jumlah Rupiah bulat yang tidak negatif") % {"value": cell.number}
            )
        return int(value)
    amount = parse_rupiah(cell.text)
    if amount is None:
        raise MoneyError(_("pagu kosong"))
    if amount < 0:
        raise MoneyError(_("pagu %(text)r negatif") % {"text": cell.text})
    return amount
