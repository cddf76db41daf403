""".xls and .ods workbooks: read as the XLSX reader reads the same table, or refused in one line."""

from __future__ import annotations

import datetime as dt
import struct
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlwt
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_strategies import comparable, first_difference, plan_trees

from renaksi.core.grid import SourceError
from renaksi.core.import_report import format_report
from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer import recognize
from renaksi.imports.calamine_reader import PASSWORD_PROTECTED, SHADING_NOT_READ, read_calamine, typed_cell
from renaksi.imports.reader_messages import encrypted_office_file
from renaksi.imports.readers import _cell_text, read_source
from renaksi.imports.sample import random_plan
from renaksi.imports.writers_ods_xls import _Placed, write_ods, write_ods_cells, write_xls

SEED = Path("/work/shared/seeds/000_73714d171d2130c8.txt")
ROUND_TRIP = settings(max_examples=25, deadline=None)
WRITERS: dict[str, Callable[..., None]] = {"ods": write_ods, "xls": write_xls}
HEADER = ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA", "TARGET", "KEGIATAN"]

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_file(path: Path, tables: str, *, manifest: str = "<manifest:manifest/>") -> Path:
    """An .ods whose spreadsheet body is ``tables`` (raw ODF markup), for shapes the writer never makes."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}><office:body>'
        f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def read_back(tree: PlanTree, suffix: str, **options: object) -> tuple[PlanTree, list[str], int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan.{suffix}"
        WRITERS[suffix](tree, path, **options)
        grid = read_source(path)
        assert grid.source_format == suffix
        read, report = recognize(grid)
    return read, [str(note) for note in grid.notes], report.lost_cells


# -- generated plans and the seed -----------------------------------------------------------------


@ROUND_TRIP
@given(plan_trees())
def test_a_merged_cell_ods_with_marked_months_reads_back_as_the_same_plan(tree: PlanTree) -> None:
    read, _notes, lost = read_back(tree, "ods")
    assert first_difference(comparable(tree), comparable(read)) is None
    assert lost == 0


@ROUND_TRIP
@given(plan_trees())
def test_a_merged_cell_xls_with_marked_months_reads_back_as_the_same_plan(tree: PlanTree) -> None:
    read, _notes, lost = read_back(tree, "xls")
    assert first_difference(comparable(tree), comparable(read)) is None
    assert lost == 0


@pytest.fixture(scope="module")
def seed_tree() -> PlanTree:
    tree, _report = recognize(read_source(SEED))
    return tree


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_the_seed_written_as_a_workbook_reads_back_as_the_same_plan_with_its_total(
    seed_tree: PlanTree, suffix: str
) -> None:
    read, _notes, lost = read_back(seed_tree, suffix)
    assert read.total_cost() == 10_060_818_000
    assert first_difference(comparable(seed_tree), comparable(read)) is None
    assert lost == 0


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_months_marked_only_by_shading_are_not_invented_and_the_note_says_why(suffix: str) -> None:
    tree = random_plan(7, 30)
    assert any(line.months for line in tree.lines())
    read, notes, _lost = read_back(tree, suffix, shade_months=True, month_mark="")
    assert str(SHADING_NOT_READ) in notes
    assert not any(line.months for line in read.lines())
    assert [line.name for line in read.lines()] == [line.name for line in tree.lines()]


# -- cells ----------------------------------------------------------------------------------------


def test_xls_values_read_as_the_xlsx_reader_renders_them(tmp_path: Path) -> None:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Rencana Aksi")
    for column, label in enumerate(HEADER):
        sheet.write(0, column, label)
    values = [12.345, 8378000, 8378000.0, 2.5, True, False, "Rp 8.378.000"]
    for column, value in enumerate(values):
        sheet.write(1, column, value)
    sheet.write(2, 0, dt.date(2023, 1, 5), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(2, 1, dt.datetime(2023, 1, 5, 10, 30), xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm"))
    workbook.save(str(tmp_path / "plan.xls"))
    grid = read_calamine(tmp_path / "plan.xls", kind="xls")
    texts = [[cell.text for cell in row.cells] for row in grid.rows]
    assert [row.line for row in grid.rows] == [1, 2, 3]
    assert texts[1] == ["12.3450", "8378000", "8378000", "2.5", "TRUE", "FALSE", "Rp 8.378.000"]
    assert texts[2] == ["2023-01-05", "2023-01-05 10:30:00"]
    assert grid.rows[1].cells[0].number == "12.345"
    assert any("2 bilangan punya pecahan" in str(note) for note in grid.notes)


def test_ods_values_read_as_the_xlsx_reader_renders_them_with_percent_and_accounting_dash(
    tmp_path: Path,
) -> None:
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{label}</text:p></table:table-cell>'
        for label in HEADER
    )
    values = (
        '<table:table-cell office:value-type="float" office:value="12.345"><text:p>12,35</text:p></table:table-cell>'
        '<table:table-cell office:value-type="currency" office:value="8378000"><text:p>Rp 8.378.000</text:p>'
        "</table:table-cell>"
        '<table:table-cell office:value-type="percentage" office:value="0.975"><text:p>98%</text:p></table:table-cell>'
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>TRUE</text:p>'
        "</table:table-cell>"
        '<table:table-cell office:value-type="date" office:date-value="2023-01-05"/>'
        '<table:table-cell office:value-type="date" office:date-value="2023-01-05T10:30:00"/>'
        '<table:table-cell office:value-type="currency" office:value="0"><text:p>Rp -</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="0"><text:p>0</text:p></table:table-cell>'
    )
    text = (
        '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b<text:tab/>c'
        "<text:line-break/>d <text:span>e</text:span></text:p><text:p>f</text:p>"
        "<office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell>"
    )
    ods_file(
        tmp_path / "plan.ods",
        '<table:table table:name="Rencana Aksi">'
        f"<table:table-row>{header}</table:table-row><table:table-row>{values}</table:table-row>"
        f"<table:table-row>{text}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row></table:table>",
    )
    grid = read_calamine(tmp_path / "plan.ods", kind="ods")
    texts = [[cell.text for cell in row.cells] for row in grid.rows]
    assert texts[1] == ["12.3450", "8378000", "97,5%", "TRUE", "2023-01-05", "2023-01-05 10:30:00", "-", "0"]
    assert texts[2] == ["a  b\tc\nd e\nf"]
    assert len(grid.rows) == 3


@given(st.integers(-(10**15), 10**15) | st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_a_number_reads_as_the_xlsx_reader_renders_it(value: float) -> None:
    class General:
        number_format = "General"

    assert typed_cell(value).text == _cell_text(value, General())


_ODS_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c"), min_size=1
).filter(lambda t: all(c in "\t\n" or ord(c) >= 32 for c in t) and "\ufffe" not in t and "\uffff" not in t)


@settings(max_examples=60, deadline=None)
@given(st.lists(_ODS_TEXT, min_size=1, max_size=4))
def test_any_text_written_to_an_ods_cell_reads_back_unchanged(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.ods"
        write_ods_cells([_Placed(0, column, text) for column, text in enumerate(texts)], path)
        grid = read_calamine(path, kind="ods")
    assert [cell.text for cell in grid.rows[0].cells] == texts


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_cells_under_a_merge_read_empty_and_a_month_mark_spreads_across_its_row(
    tmp_path: Path, suffix: str
) -> None:
    cells = [_Placed(0, column, label) for column, label in enumerate(HEADER)]
    cells += [
        _Placed(1, 1, "Sasaran", rows=3),
        _Placed(1, 5, "v", columns=3),
        _Placed(1, 9, "Judul", columns=3),
    ]
    path = tmp_path / f"plan.{suffix}"
    if suffix == "ods":
        write_ods_cells(cells, path)
    else:
        workbook = xlwt.Workbook(encoding="utf-8")
        sheet = workbook.add_sheet("S", cell_overwrite_ok=True)
        for cell in cells:
            if cell.rows > 1 or cell.columns > 1:
                sheet.write_merge(
                    cell.row,
                    cell.row + cell.rows - 1,
                    cell.column,
                    cell.column + cell.columns - 1,
                    cell.value,
                )
            else:
                sheet.write(cell.row, cell.column, cell.value)
        sheet.write(2, 1, "hidden under the merge")
        workbook.save(str(path))
    grid = read_calamine(path, kind=suffix)  # type: ignore[arg-type]
    assert [cell.text for cell in grid.rows[1].cells] == [
        "",
        "Sasaran",
        "",
        "",
        "",
        "v",
        "v",
        "v",
        "",
        "Judul",
    ]
    assert [row.line for row in grid.rows] == [1, 2]
    assert grid.merges is not None and (2, 2, 4, 2) in grid.merges
    if suffix == "xls":
        assert (
            "1 sel yang tersembunyi di bawah sel gabungan berisi teks; sel itu tidak dibaca, karena tidak ditampilkan"
            in [str(note) for note in grid.notes]
        )


@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_the_first_sheet_with_the_plan_header_is_read(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan.{suffix}"
    if suffix == "ods":
        row = "".join(
            f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'
            for t in HEADER
        )
        ods_file(
            path,
            '<table:table table:name="Catatan"><table:table-row><table:table-cell office:value-type="string">'
            "<text:p>catatan</text:p></table:table-cell></table:table-row></table:table>"
            f'<table:table table:name="Renaksi"><table:table-row>{row}</table:table-row></table:table>',
        )
    else:
        workbook = xlwt.Workbook(encoding="utf-8")
        workbook.add_sheet("Catatan").write(0, 0, "catatan")
        plan = workbook.add_sheet("Renaksi")
        for column, label in enumerate(HEADER):
            plan.write(0, column, label)
        workbook.save(str(path))
    grid = read_calamine(path, kind=suffix)  # type: ignore[arg-type]
    assert grid.sheet == "Renaksi"
    assert str(grid.notes[0]) == "lembar: 'Renaksi' (lembar pertama yang memuat judul tabel rencana)"


# -- refusals -------------------------------------------------------------------------------------


def one_line_refusal(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        read_source(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def xls_bytes(tmp_path: Path) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    workbook.add_sheet("S").write(0, 0, "NO")
    workbook.save(str(tmp_path / "base.xls"))
    return (tmp_path / "base.xls").read_bytes()


def renamed_stream(data: bytes, old: str, new: str) -> bytes:
    """The same OLE file with the directory entry ``old`` renamed ``new``."""
    at = data.index(old.encode("utf-16-le") + b"\x00\x00")
    assert at % 128 == 0
    name = new.encode("utf-16-le") + b"\x00\x00"
    patched = bytearray(data)
    patched[at : at + 64] = name.ljust(64, b"\x00")
    struct.pack_into("<H", patched, at + 64, len(name))
    return bytes(patched)


def test_a_password_protected_xlsx_is_refused_as_an_encrypted_office_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(renamed_stream(xls_bytes(tmp_path), "Workbook", "EncryptedPackage"))
    assert one_line_refusal(path) == str(encrypted_office_file("plan.xlsx"))


def test_an_encrypted_xls_is_refused_as_password_protected(tmp_path: Path) -> None:
    data = bytearray(xls_bytes(tmp_path))
    assert struct.unpack_from("<H", data, 512)[0] == 0x0809  # the stream's BOF, in the first sector
    struct.pack_into("<H", data, 532, 0x002F)  # the record after it becomes FILEPASS
    path = tmp_path / "plan.xls"
    path.write_bytes(bytes(data))
    assert one_line_refusal(path) == str(PASSWORD_PROTECTED)


def test_a_word_document_is_refused_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "plan.xls"
    path.write_bytes(renamed_stream(xls_bytes(tmp_path), "Workbook", "WordDocument"))
    assert "dokumen Word 97-2003 (.doc)" in one_line_refusal(path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[:600], "plan.xls bukan buku kerja .xls yang dapat dibaca: berkasnya rusak"),
        (
            lambda data: data[:8] + b"\x00" * 100,
            "plan.xls bukan buku kerja .xls yang dapat dibaca: berkasnya rusak",
        ),
        (
            lambda data: data[:512] + b"\xff" * (len(data) - 512),
            "plan.xls adalah berkas OLE yang tidak berisi buku kerja",
        ),
        (
            lambda data: data[:512] + b"\xff" * 4096 + data[4608:],
            "plan.xls bukan buku kerja .xls yang dapat dibaca",
        ),
        (lambda data: data[:512] + b"\x00" * 4096 + data[4608:], "buku kerja ini tidak punya lembar"),
    ],
)
def test_a_damaged_xls_is_refused_in_one_line(
    tmp_path: Path, damage: Callable[[bytes], bytes], message: str
) -> None:
    path = tmp_path / "plan.xls"
    path.write_bytes(damage(xls_bytes(tmp_path)))
    assert message in one_line_refusal(path)


@pytest.mark.parametrize(
    ("row", "column", "limit"),
    [(5, 255, "256 kolom, melebihi batas 200"), (65535, 100, "melebihi batas 4.000.000")],
)
def test_an_xls_whose_used_range_is_too_large_is_refused_before_calamine_expands_it(
    tmp_path: Path, row: int, column: int, limit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import python_calamine

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("S")
    sheet.write(0, 0, "NO")
    sheet.write(row, column, "x")
    workbook.save(str(tmp_path / "plan.xls"))
    expanded: list[str] = []
    real_open = python_calamine.CalamineWorkbook.from_filelike

    class Watched:
        """The workbook calamine opens, noting each sheet it is asked to expand."""

        def __init__(self, workbook: object) -> None:
            self._workbook = workbook

        def __getattr__(self, name: str) -> object:
            return getattr(self._workbook, name)

        def get_sheet_by_name(self, sheet: str) -> object:
            expanded.append(sheet)
            return self._workbook.get_sheet_by_name(sheet)  # type: ignore[attr-defined]

    monkeypatch.setattr(
        python_calamine.CalamineWorkbook, "from_filelike", lambda *a, **k: Watched(real_open(*a, **k))
    )
    assert limit in one_line_refusal(tmp_path / "plan.xls")
    assert expanded == []  # refused from the BIFF records, before calamine expands the sheet


@pytest.mark.parametrize(
    ("table", "limit"),
    [
        (
            '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
            'table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell>'
            "</table:table-row>",
            "sel berisi",
        ),
        (
            '<table:table-row table:number-rows-repeated="300000"><table:table-cell office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>",
            "melebihi batas 200.000",
        ),
        (
            '<table:table-row><table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>",
            "melebihi batas 200 kolom",
        ),
    ],
)
def test_an_ods_whose_repeated_cells_would_explode_is_refused_before_they_are_made(
    tmp_path: Path, table: str, limit: str
) -> None:
    path = ods_file(tmp_path / "plan.ods", f'<table:table table:name="S">{table}</table:table>')
    assert path.stat().st_size < 1000
    assert limit in one_line_refusal(path)


def test_an_ods_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = ods_file(
        tmp_path / "plan.ods", '<table:table table:name="S">' + " " * 5_000_000 + "</table:table>"
    )
    assert "ditolak karena mungkin bom zip" in one_line_refusal(path)


def test_a_password_protected_ods_is_refused_as_password_protected(tmp_path: Path) -> None:
    manifest = "<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"
    path = ods_file(tmp_path / "plan.ods", "", manifest=manifest)
    assert one_line_refusal(path) == str(PASSWORD_PROTECTED)


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ("<table:table", "plan.ods bukan buku kerja .ods yang dapat dibaca"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "plan.ods bukan buku kerja .ods yang dapat dibaca"),
        ("", "buku kerja ini tidak punya lembar"),
    ],
)
def test_a_damaged_or_empty_ods_is_refused_in_one_line(tmp_path: Path, tables: str, message: str) -> None:
    path = ods_file(tmp_path / "plan.ods", tables)
    assert message in one_line_refusal(path)


def test_an_xls_renamed_xlsx_is_read_as_the_xls_it_is(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xls_bytes(tmp_path))
    grid = read_source(path)
    assert grid.source_format == "xls"
    assert grid.rows[0].cells[0].text == "NO"


def test_the_printed_report_says_that_shading_is_not_read(tmp_path: Path) -> None:
    write_xls(random_plan(3, 5), tmp_path / "plan.xls")
    _tree, report = recognize(read_source(tmp_path / "plan.xls"))
    assert f"  catatan: {SHADING_NOT_READ}" in format_report(report).splitlines()
