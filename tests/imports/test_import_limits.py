"""Import limits hold while the file is read, and every refusal is one line naming its place.

Every hostile file here is made by the test itself: sheets without a declared dimension, zip
members whose headers lie about their size, damaged deflate data, bad CRCs, FIFOs, /dev/zero.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from renaksi.core.grid import SourceError
from renaksi.imports.limits import ImportLimits, applied
from renaksi.imports.readers import read_delimited, read_source, read_xlsx

HEADER = "NO\tSASARAN STRATEGIS\tINDIKATOR KINERJA\tTARGET\tKEGIATAN\tPERKIRAAN BIAYA\tAKUN"


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: int, columns: int, *, dimension: str | None = None, with_refs: bool = True) -> bytes:
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    if dimension:
        head += f'<dimension ref="{dimension}"/>'.encode()
    parts = [head, b"<sheetData>"]
    for row in range(1, rows + 1):
        if with_refs:
            cells = "".join(f'<c r="{_column_letters(c)}{row}"><v>{c}</v></c>' for c in range(1, columns + 1))
            parts.append(f'<row r="{row}">{cells}</row>'.encode())
        else:
            parts.append(b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>")
    parts.append(b"</sheetData></worksheet>")
    return b"".join(parts)


def workbook_with_sheet(path: Path, sheet: bytes, *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A real workbook (openpyxl's parts) whose first sheet is ``sheet``."""
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", compression) as out:
        for info in source.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            out.writestr(info.filename, data)
    return path


def patch_member(path: Path, member: str, *, size: int | None = None, crc: int | None = None) -> None:
    """Make the local and central headers of ``member`` declare another size or CRC."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    # Find this member's central entry by its name.
    name = member.encode()
    central_at = 0
    while True:
        central_at = data.index(b"PK\x01\x02", central_at + 1)
        name_length = struct.unpack_from("<H", data, central_at + 28)[0]
        if bytes(data[central_at + 46 : central_at + 46 + name_length]) == name:
            break
    local_at = info.header_offset
    if size is not None:
        struct.pack_into("<I", data, local_at + 22, size)
        struct.pack_into("<I", data, central_at + 24, size)
    if crc is not None:
        struct.pack_into("<I", data, local_at + 14, crc)
        struct.pack_into("<I", data, central_at + 16, crc)
    path.write_bytes(bytes(data))


# -- 1. cells, rows and columns counted while the sheet is streamed ---------------------------------


def test_it_refuses_a_sheet_over_the_cell_limit_at_the_row_where_it_crossed_without_a_dimension(
    tmp_path: Path,
) -> None:
    path = workbook_with_sheet(tmp_path / "many.xlsx", sheet_xml(60, 30))
    with applied(ImportLimits(xlsx_cells=1_000)), pytest.raises(SourceError, match="sel") as caught:
        read_source(path)
    assert caught.value.line == 34  # cell 1,001 is the 11th of row 34


def test_it_refuses_a_cell_past_the_column_limit_whatever_the_dimension_says(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "wide.xlsx", sheet_xml(3, 250, dimension="A1:B3"))
    with pytest.raises(SourceError, match="200") as caught:
        read_source(path)
    assert (caught.value.line, caught.value.column) == (1, 201)


def test_it_refuses_a_row_past_the_row_limit_whatever_the_dimension_says(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "long.xlsx", sheet_xml(120, 2, dimension="A1:B2"))
    with applied(ImportLimits(rows=100)), pytest.raises(SourceError, match="100") as caught:
        read_source(path)
    assert caught.value.line == 101


def test_it_counts_cells_and_columns_of_a_sheet_whose_cells_have_no_reference(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "norefs.xlsx", sheet_xml(2, 260, with_refs=False))
    with pytest.raises(SourceError, match="200") as caught:
        read_source(path)
    assert (caught.value.line, caught.value.column) == (1, 201)


def test_a_sheet_inside_the_limits_reads_as_before(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "fine.xlsx", sheet_xml(40, 25))
    with applied(ImportLimits(xlsx_cells=1_000)):
        grid = read_xlsx(path)
    assert len(grid.rows) == 40 and len(grid.rows[-1].cells) == 25


# -- 2. zip members are counted as they inflate ----------------------------------------------------


def lying_workbook(path: Path, inflated: int) -> Path:
    """A workbook whose sheet inflates to ``inflated`` bytes while its headers say 2,000."""
    sheet = sheet_xml(2, 2)
    padding = b" " * (inflated - len(sheet))
    body = sheet.replace(b"<sheetData>", b"<sheetData>" + padding)
    workbook_with_sheet(path, body)
    patch_member(path, "xl/worksheets/sheet1.xml", size=2_000)
    return path


def test_a_member_that_lies_about_its_size_is_refused_without_being_inflated(tmp_path: Path) -> None:
    path = lying_workbook(tmp_path / "liar.xlsx", 120 * 10**6)
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="xl/worksheets/sheet1.xml"):
            read_source(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 2**20


def noise(size: int) -> bytes:
    """An XML comment of ``size`` bytes that compresses about 2 to 1 (no ratio check refuses it)."""
    import random

    return b"<!--" + random.Random(size).randbytes(size // 2).hex().encode() + b"-->"


def test_a_member_over_the_member_limit_is_refused_as_it_inflates(tmp_path: Path) -> None:
    sheet = sheet_xml(2, 2).replace(b"<sheetData>", noise(3_000_000) + b"<sheetData>")
    path = workbook_with_sheet(tmp_path / "big.xlsx", sheet)
    with applied(ImportLimits(member_bytes=2_000_000)), pytest.raises(SourceError) as caught:
        read_source(path)
    assert "xl/worksheets/sheet1.xml" in str(caught.value)
    assert "2.000.000" in str(caught.value)


def test_members_over_the_total_limit_together_are_refused_as_they_inflate(tmp_path: Path) -> None:
    sheet = sheet_xml(2, 2).replace(b"<sheetData>", noise(1_500_000) + b"<sheetData>")
    path = workbook_with_sheet(tmp_path / "big.xlsx", sheet)
    with applied(ImportLimits(inflated_bytes=1_000_000)), pytest.raises(SourceError, match="1.000.000"):
        read_source(path)


def test_a_damaged_deflate_stream_is_one_line_naming_the_member(tmp_path: Path) -> None:
    import random

    noise = random.Random(7).randbytes(200_000).hex().encode()
    sheet = sheet_xml(2, 2).replace(b"<sheetData>", b"<sheetData><!--" + noise + b"-->")
    path = workbook_with_sheet(tmp_path / "damaged.xlsx", sheet)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 2_000, start + 2_400):
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(SourceError, match="xl/worksheets/sheet1.xml"):
        read_source(path)


def test_a_bad_crc_is_one_line_naming_the_member(tmp_path: Path) -> None:
    path = workbook_with_sheet(tmp_path / "crc.xlsx", sheet_xml(5, 5))
    patch_member(path, "xl/worksheets/sheet1.xml", crc=0x12345678)
    with pytest.raises(SourceError, match="xl/worksheets/sheet1.xml"):
        read_source(path)


def test_an_ods_whose_content_lies_about_its_size_is_refused_naming_it(tmp_path: Path) -> None:
    content = (
        b'<?xml version="1.0"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>'
        + b" " * 50_000_000
        + b"</office:body></office:document-content>"
    )
    path = tmp_path / "liar.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        out.writestr("content.xml", content)
    patch_member(path, "content.xml", size=2_000)
    with pytest.raises(SourceError, match="content.xml"):
        read_source(path)


# -- 3. text files have rows, columns, cells and characters limits ----------------------------------


def test_a_text_file_over_the_row_limit_is_refused_at_the_first_row_past_it() -> None:
    data = ("\n".join([HEADER] + ["1\ta\tb"] * 150) + "\n").encode()
    with applied(ImportLimits(rows=100)), pytest.raises(SourceError, match="100") as caught:
        read_delimited(data, name="long.txt")
    assert caught.value.line == 101


def test_a_csv_file_over_the_row_limit_is_refused_at_the_first_row_past_it() -> None:
    data = ("\n".join([HEADER.replace("\t", ";")] + ['1;"a";b'] * 150) + "\n").encode()
    with applied(ImportLimits(rows=100)), pytest.raises(SourceError, match="100") as caught:
        read_delimited(data, name="long.csv")
    assert caught.value.line == 101


def test_a_text_row_over_the_column_limit_is_refused_at_the_first_column_past_it() -> None:
    data = (HEADER + "\n" + "\t".join(["x"] * 16_384) + "\n").encode()
    with pytest.raises(SourceError, match="200") as caught:
        read_delimited(data, name="wide.txt")
    assert (caught.value.line, caught.value.column) == (2, 201)


def test_a_csv_row_over_the_column_limit_is_refused_at_the_first_column_past_it() -> None:
    data = (HEADER.replace("\t", ",") + "\n" + ",".join(["x"] * 16_384) + "\n").encode()
    with pytest.raises(SourceError, match="200") as caught:
        read_delimited(data, name="wide.csv")
    assert (caught.value.line, caught.value.column) == (2, 201)


def test_a_text_file_over_the_cell_limit_is_refused_at_the_row_where_it_crossed() -> None:
    data = ("\n".join([HEADER] + ["\t".join(["x"] * 10)] * 50) + "\n").encode()
    with applied(ImportLimits(cells=307)), pytest.raises(SourceError, match="307") as caught:
        read_delimited(data, name="cells.txt")
    assert caught.value.line == 32  # 7 header cells and 30 rows of 10 make 307: the 31st row crosses


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_cell_longer_than_the_field_limit_is_refused_naming_its_row_and_column(delimiter: str) -> None:
    row = delimiter.join(["1", "a", "x" * 10_001])
    data = (HEADER.replace("\t", delimiter) + "\n" + row + "\n").encode()
    with pytest.raises(SourceError, match="10.000") as caught:
        read_delimited(data, name="long-cell.txt")
    assert (caught.value.line, caught.value.column) == (2, 3)


def test_an_xlsx_cell_longer_than_the_field_limit_is_refused_naming_its_row_and_column(
    tmp_path: Path,
) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["C4"] = "y" * 10_001
    workbook.save(tmp_path / "long.xlsx")
    with pytest.raises(SourceError, match="10.000") as caught:
        read_source(tmp_path / "long.xlsx")
    assert (caught.value.line, caught.value.column) == (4, 3)


# -- 4. files that are no regular files ------------------------------------------------------------


def test_a_directory_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="bukan berkas biasa"):
        read_source(tmp_path)


@pytest.fixture
def fifo(make_fifo) -> Path:
    return make_fifo("plan.txt")


def test_a_fifo_is_refused_before_it_is_opened(fifo: Path) -> None:
    with pytest.raises(SourceError, match="bukan berkas biasa"):
        read_source(fifo)


_DEV_ZERO_PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
from pathlib import Path
from renaksi.core.grid import SourceError
from renaksi.imports.readers import read_source
try:
    read_source(Path("/dev/zero"))
except SourceError as error:
    print("refused:", error)
"""


def test_dev_zero_is_refused_without_reading_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _DEV_ZERO_PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2_000:]
    assert "bukan berkas biasa" in done.stdout


# -- 6. an unclosed quote is where it opened -------------------------------------------------------


def test_an_unclosed_quote_is_reported_on_the_line_and_column_where_it_opened() -> None:
    lines = [HEADER.replace("\t", ";"), "1;a;b", '2;"Rapat;c', "3;d;e", '4;"Prima" baru;g', "5;h;i"]
    with pytest.raises(SourceError, match="tidak pernah ditutup") as caught:
        read_delimited(("\n".join(lines) + "\n").encode(), name="q.csv")
    assert (caught.value.line, caught.value.column) == (3, 2)


def test_an_unclosed_quote_after_a_multiline_cell_is_reported_where_it_opened() -> None:
    lines = [HEADER.replace("\t", ";"), '1;"two\nlines";b', "2;x;y", '3;z;"open', "4;f;g"]
    with pytest.raises(SourceError, match="tidak pernah ditutup") as caught:
        read_delimited(("\n".join(lines) + "\n").encode(), name="q.csv")
    assert (caught.value.line, caught.value.column) == (5, 3)


# -- 7. an encrypted Office file is called so ------------------------------------------------------


def renamed_ole_stream(data: bytes, old: str, new: str) -> bytes:
    """The OLE file ``data`` with its directory entry ``old`` renamed ``new``."""
    at = data.index(old.encode("utf-16-le") + b"\x00\x00")
    name = new.encode("utf-16-le") + b"\x00\x00"
    patched = bytearray(data)
    patched[at : at + 64] = name.ljust(64, b"\x00")
    struct.pack_into("<H", patched, at + 64, len(name))
    return bytes(patched)


@pytest.mark.parametrize("stream", ["EncryptedPackage", "EncryptionInfo"])
def test_a_password_protected_xlsx_is_called_encrypted_not_an_old_xls(tmp_path: Path, stream: str) -> None:
    from renaksi.imports.sample import random_plan
    from renaksi.imports.writers_ods_xls import write_xls

    xls = tmp_path / "plan.xls"
    write_xls(random_plan(3, 5), xls)
    path = tmp_path / "secret.xlsx"
    path.write_bytes(renamed_ole_stream(xls.read_bytes(), "Workbook", stream))
    with pytest.raises(SourceError, match="terenkripsi") as caught:
        read_source(path)
    assert str(caught.value).startswith("secret.xlsx adalah berkas Office terenkripsi")
    assert "buku kerja .xls" not in str(caught.value)


def test_a_damaged_encrypted_office_file_is_still_called_encrypted(tmp_path: Path) -> None:
    from renaksi.imports.sample import random_plan
    from renaksi.imports.writers_ods_xls import write_xls

    xls = tmp_path / "plan.xls"
    write_xls(random_plan(3, 5), xls)
    data = renamed_ole_stream(xls.read_bytes(), "Workbook", "EncryptedPackage")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(data[:30] + b"\xff" * 50 + data[80:])  # the OLE header damaged
    with pytest.raises(SourceError, match="terenkripsi"):
        read_source(path)


def test_the_deflate_helper_really_damages(tmp_path: Path) -> None:
    # The damaged-stream test above relies on the damage making zlib fail, not on a lucky CRC.
    data = zlib.compress(b"a" * 1000)
    with pytest.raises(zlib.error):
        zlib.decompress(data[:10] + b"\xff" * 5 + data[15:])


# -- 8. one set of limits, one name each ----------------------------------------------------------


def test_the_settings_name_every_limit_with_its_default() -> None:
    from django.conf import settings

    from renaksi.imports.limits import DEFAULT, SETTING_NAMES, from_settings

    assert set(SETTING_NAMES.values()) == {
        name for name in dir(settings) if name.startswith("RENAKSI_MAX_IMPORT_")
    }
    assert from_settings(settings) == DEFAULT


def test_docs_limits_lists_every_setting() -> None:
    from renaksi.imports.limits import SETTING_NAMES

    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    assert all(name in text for name in SETTING_NAMES.values())


def test_a_limit_set_in_the_settings_holds_in_the_import_service(settings, tmp_path: Path) -> None:
    from renaksi.imports.services import preview_import

    settings.RENAKSI_MAX_IMPORT_ROWS = 10
    path = tmp_path / "plan.txt"
    path.write_text("\n".join([HEADER] + ["1\ta"] * 20) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match="10 baris") as caught:
        preview_import(path)
    assert caught.value.line == 11


def test_a_nul_inside_an_xls_cell_is_refused_naming_its_row_and_column(tmp_path: Path) -> None:
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("S")
    sheet.write(0, 0, "NO")
    sheet.write(3, 2, "Rapat\x00Kerja")
    workbook.save(str(tmp_path / "nul.xls"))
    with pytest.raises(SourceError, match="NUL") as caught:
        read_source(tmp_path / "nul.xls")
    assert (caught.value.line, caught.value.column) == (4, 3)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    rows=st.integers(1, 30),
    columns=st.integers(1, 30),
    chunk=st.integers(5, 3_000),
    with_refs=st.booleans(),
    prefixed=st.booleans(),
)
def test_the_quick_count_refuses_exactly_where_the_element_walk_does(
    rows: int, columns: int, chunk: int, with_refs: bool, prefixed: bool
) -> None:
    from renaksi.imports.sheet_limits import SheetScan

    xml = sheet_xml(rows, columns, with_refs=with_refs)
    if prefixed:
        xml = xml.replace(b"<c", b"<x:c").replace(b"</c>", b"</x:c>").replace(b"<row", b"<x:row")
    limits = ImportLimits(rows=20, columns=20, xlsx_cells=300)

    def outcome(parts: list[bytes], walk: bool) -> tuple | None:
        scan = SheetScan("S", limits)
        try:
            for part in parts:
                scan._walk(part) if walk else scan.feed(part)
            scan.finish()
        except SourceError as error:
            return (error.line, error.column, error.message)
        return None

    chunks = [xml[i : i + chunk] for i in range(0, len(xml), chunk)]
    assert outcome(chunks, walk=False) == outcome([xml], walk=True)
