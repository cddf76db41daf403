"""Reading ceiling files (renaksi.budget.ceiling_import): the columns by their header, every row's
error named by row and column, amounts read as people write them and never guessed."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from renaksi.budget.ceiling_import import CeilingImportPreview, CeilingRow, read_ceiling_file
from renaksi.core.money import format_number_id


def test_columns_are_found_by_their_header_in_any_order_and_language() -> None:
    rows, errors = read_ceiling_file(b'Ceiling,Code\n"8,378,000",3358.ebc\n', "pagu.csv")
    assert errors == [] and rows == [CeilingRow(2, "3358.EBC", "", 8_378_000)]
    rows, errors = read_ceiling_file(b"kode\turaian\tpagu\n6709\tPerencanaan Pemilu\tRp 1.000,-\n", "p.txt")
    assert errors == [] and rows == [CeilingRow(2, "6709", "Perencanaan Pemilu", 1_000)]


def test_a_windows_1252_file_with_a_semicolon_reads_its_accented_description() -> None:
    data = "kode;uraian;pagu\n3358;Dukungan Manajemen – café;2.500.000\n".encode("cp1252")
    rows, errors = read_ceiling_file(data, "pagu.csv")
    assert errors == [] and rows[0].description == "Dukungan Manajemen – café"


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_guessed() -> None:
    data = (
        b"kode;uraian;pagu\n"
        b"6709;;1.5\n"  # 1,5 or 1.5 juta? refused
        b"67O9.QGE;;1.000\n"
        b"6871.QGE;;\n"
        b"6871.QGE;;-5.000\n"
        b"6872.QGE;;1.000\n"
        b"6872.QGE;;2.000\n"
    )
    rows, errors = read_ceiling_file(data, "pagu.csv")
    assert [row.code for row in rows] == ["6872.QGE"]
    assert [error.split(":")[0] for error in errors] == [
        "Baris 2, kolom pagu",
        "Baris 3, kolom kode",
        "Baris 4, kolom pagu",
        "Baris 5, kolom pagu",
        "Baris 7, kolom kode",
    ]
    assert "baris 6" in errors[-1]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Berkas kosong"),
        (b"kode;pagu\n", "hanya berisi baris judul"),
        (b"nama;jumlah\n3358;1\n", "Baris 1: tidak ada baris judul"),
        (b"kode;pagu\x00\n", "bita nol"),
        (b"PK\x03\x04 not really a workbook", "XLSX"),
    ],
)
def test_a_file_that_is_no_ceiling_table_is_refused_saying_why(data: bytes, expected: str) -> None:
    rows, errors = read_ceiling_file(data, "pagu.csv")
    assert rows == [] and len(errors) == 1 and expected in errors[0], errors


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    rows, errors = read_ceiling_file(buffer.getvalue(), "pagu.xlsx")
    assert rows == [] and errors


def test_a_cell_protected_against_formulas_reads_back_as_its_text() -> None:
    rows, errors = read_ceiling_file(b"kode;uraian;pagu\n3358;'=SUM(A1);1.000\n", "pagu.csv")
    assert errors == [] and rows[0].description == "=SUM(A1)"


def test_an_xlsx_with_a_header_below_a_title_and_a_text_amount() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_string(0, 0, "POK 2023")
    for column, value in enumerate(["Kode", "Uraian", "Pagu"]):
        sheet.write_string(2, column, value)
    sheet.write_string(3, 0, "3360.EBA.994")
    sheet.write_string(3, 1, "Layanan Perkantoran")
    sheet.write_number(3, 2, 3_083_386_000)
    sheet.write_string(4, 0, "3358")
    sheet.write_string(4, 2, "Rp 1.000.000")
    workbook.close()
    rows, errors = read_ceiling_file(buffer.getvalue(), "pok.xlsx")
    assert errors == []
    assert rows == [
        CeilingRow(4, "3360.EBA.994", "Layanan Perkantoran", 3_083_386_000),
        CeilingRow(5, "3358", "", 1_000_000),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["3358", "3358.EBC", "6709.QGE.001", "6871.QGE", "3358.EBC.954.A"]),
        st.integers(0, 10**13),
        min_size=1,
    )
)
def test_what_a_file_holds_is_what_is_read_whatever_the_amounts_grouping(ceilings) -> None:
    lines = ["kode;pagu"] + [f"{code};Rp {format_number_id(amount)}" for code, amount in ceilings.items()]
    rows, errors = read_ceiling_file("\n".join(lines).encode(), "pagu.csv")
    assert errors == []
    assert {row.code: row.amount for row in rows} == ceilings


def test_the_preview_tells_added_changed_removed_and_unchanged() -> None:
    rows = [CeilingRow(2, "3358", "", 5), CeilingRow(3, "6709", "a", 7), CeilingRow(4, "6871.QGE", "", 1)]
    preview = CeilingImportPreview.of(rows, {"3358": ("", 5), "6709": ("a", 6), "6710": ("", 9)})
    assert [c.code for c in preview.added] == ["6871.QGE"]
    assert [(c.code, c.old_amount, c.amount) for c in preview.changed] == [("6709", 6, 7)]
    assert [(c.code, c.old_amount) for c in preview.removed] == [("6710", 9)]
    assert preview.unchanged == 1
