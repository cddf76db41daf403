"""Readers: files to cells, refusing what they cannot read with the line and column of the fault."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.styles import Color, PatternFill

from renaksi.core.grid import Cell, SourceError
from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_delimited, read_source, read_xlsx

PACKAGED_SEED = (
    Path(__file__).resolve().parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
)
SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_73714d171d2130c8.txt"
SEED = PACKAGED_SEED if PACKAGED_SEED.exists() else SHARED_SEED

HEADER = ["NO", "SASARAN STRATEGIS", "SASARAN PROGRAM", "INDIKATOR KINERJA", "TARGET", "KEGIATAN"]


def texts(grid) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in grid.rows]


# -- the seed ----------------------------------------------------------------------------------


def test_it_reads_the_seed_as_exactly_its_lines_split_on_tabs() -> None:
    grid = read_source(SEED)
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # the file ends with a line break, which starts no row
    assert len(grid.rows) == 81
    assert texts(grid) == [line.split("\t") for line in lines[:-1]]
    assert [row.line for row in grid.rows] == list(range(1, 82))
    assert (grid.source_format, grid.encoding) == ("tsv", "utf-8")


def test_it_keeps_the_stray_quotes_of_pdf_text_inside_tab_separated_cells() -> None:
    grid = read_source(SEED)
    quoted = [c.text for row in grid.rows for c in row.cells if '"Pendidikan Pemilih' in c.text]
    assert len(quoted) == 4
    assert quoted[0].startswith("Persentase Satker") and quoted[0].endswith("untuk Masyarakat Umum")


def test_the_seed_read_from_its_file_loses_no_cell_and_totals_rp_10_060_818_000() -> None:
    tree, report = recognize(read_source(SEED))
    assert report.lost_cells == 0
    assert tree.total_cost() == 10_060_818_000


def test_it_notes_the_encoding_and_the_delimiter_it_chose() -> None:
    grid = read_source(SEED)
    assert "penyandian: utf-8" in [str(note) for note in grid.notes]
    assert any(str(note).startswith("pemisah: tab") for note in grid.notes)


# -- delimited text ------------------------------------------------------------------------------


def test_it_decodes_a_semicolon_csv_saved_in_cp1252() -> None:
    text = (
        "RENCANA AKSI TAHUN 2023\r\n"
        "NO;SASARAN STRATEGIS;SASARAN PROGRAM;INDIKATOR KINERJA;TARGET;KEGIATAN;PERKIRAAN BIAYA;AKUN\r\n"
        '1.;Meningkatnya Layanan "Prima";Pemilu\u2013Pemilihan;Persentase;97,5%;Caf\u00e9;Rp 8.378.000;3358.EBC\r\n'
    )
    grid = read_delimited(text.encode("cp1252"), name="plan.csv")
    assert grid.encoding == "cp1252"
    assert grid.source_format == "csv"
    assert "pemisah: titik koma" in str(grid.notes[1])
    assert texts(grid)[2] == [
        "1.",
        'Meningkatnya Layanan "Prima"',
        "Pemilu\u2013Pemilihan",
        "Persentase",
        "97,5%",
        "Caf\u00e9",
        "Rp 8.378.000",
        "3358.EBC",
    ]


def test_a_quoted_csv_cell_may_hold_the_delimiter_and_line_breaks_and_rows_keep_their_first_line() -> None:
    text = (
        "NO;SASARAN PROGRAM;INDIKATOR KINERJA;TARGET\n"
        '1.;"Terlaksananya; pelayanan\ninformasi\nhukum";Persentase;100%\n'
        ";;Jumlah Dokumen;3 Dokumen\n"
    )
    grid = read_delimited(text.encode(), name="plan.csv")
    assert [row.line for row in grid.rows] == [1, 2, 5]
    assert texts(grid)[1][1] == "Terlaksananya; pelayanan\ninformasi\nhukum"


def test_a_comma_csv_is_recognised_by_how_it_splits_the_header() -> None:
    text = 'NO,SASARAN STRATEGIS,INDIKATOR KINERJA,TARGET,AKUN\n1.,Meningkatnya,Persentase,"97,5%",6871.QGE\n'
    grid = read_delimited(text.encode(), name="plan.csv")
    assert texts(grid)[1] == ["1.", "Meningkatnya", "Persentase", "97,5%", "6871.QGE"]


def test_a_header_with_tabs_and_commas_in_its_texts_is_split_on_tabs() -> None:
    text = "NO\tSASARAN, STRATEGIS\tINDIKATOR\tTARGET\n1.\tA, B\tC\t90%\n"
    grid = read_delimited(text.encode(), name="plan.txt")
    assert grid.source_format == "tsv"
    assert texts(grid)[1] == ["1.", "A, B", "C", "90%"]


def test_windows_and_old_mac_line_ends_read_as_one_row_per_line() -> None:
    grid = read_delimited(b"NO\tTARGET\tAKUN\tKEGIATAN\r\n1.\t90%\r2.\t80%\r\n", name="plan.txt")
    assert texts(grid) == [["NO", "TARGET", "AKUN", "KEGIATAN"], ["1.", "90%"], ["2.", "80%"]]


def test_cells_are_not_stripped() -> None:
    grid = read_delimited(b"NO\tTARGET\tAKUN\n 1. \t 90% \n", name="plan.txt")
    assert texts(grid)[1] == [" 1. ", " 90% "]


def test_utf8_with_a_byte_order_mark_and_utf16_decode() -> None:
    text = "NO\tTARGET\tAKUN\n1.\t97,5%\tPemilu\u2013Pemilihan\n"
    with_bom = read_delimited(text.encode("utf-8-sig"), name="a.txt")
    utf16 = read_delimited(text.encode("utf-16"), name="b.txt")
    assert (
        texts(with_bom)
        == texts(utf16)
        == [["NO", "TARGET", "AKUN"], ["1.", "97,5%", "Pemilu\u2013Pemilihan"]]
    )
    assert (with_bom.encoding, utf16.encoding) == ("utf-8-sig", "utf-16")


def test_an_undecodable_byte_is_refused_naming_its_line_and_column() -> None:
    data = "NO\tTARGET\n1.\t".encode("cp1252") + b"ab\x81c\n"  # 0x81 is undefined in cp1252
    with pytest.raises(SourceError) as caught:
        read_delimited(data, name="plan.txt")
    assert (caught.value.line, caught.value.column) == (2, 6)
    assert "penyandian salah" in str(caught.value)
    assert str(caught.value).startswith("baris 2, kolom 6:")


def test_utf8_text_with_one_damaged_byte_is_refused_rather_than_read_as_cp1252() -> None:
    data = "NO\tTARGET\nPemilu\u2013Pemilihan\n".encode() + b"2.\tab\xff\n"
    with pytest.raises(SourceError) as caught:
        read_delimited(data, name="plan.txt")
    assert (caught.value.line, caught.value.column) == (3, 6)
    assert "penyandian salah" in str(caught.value)


def test_a_nul_character_is_refused_naming_its_line_and_column() -> None:
    with pytest.raises(SourceError) as caught:
        read_delimited(b"NO\tTARGET\n1.\t9\x000%\n", name="plan.txt")
    assert (caught.value.line, caught.value.column) == (2, 5)
    assert "penyandian salah" in str(caught.value)


def test_an_explicit_encoding_is_used_strictly() -> None:
    data = "NO\tTARGET\n1.\tCaf\u00e9\n".encode("latin-1")
    assert texts(read_delimited(data, name="a.txt", encoding="latin-1"))[1] == ["1.", "Caf\u00e9"]
    with pytest.raises(SourceError) as caught:
        read_delimited(data, name="a.txt", encoding="utf-8")
    assert (caught.value.line, caught.value.column) == (2, 7)


def test_an_unclosed_quote_is_refused_naming_the_line_where_the_record_starts() -> None:
    with pytest.raises(SourceError) as caught:
        read_delimited(b'NO;TARGET;AKUN\n1.;"90%;x\n2.;80%;y\n', name="plan.csv")
    assert caught.value.line == 2


# -- dispatch and refusals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG"),
        (b"\x00\x01\x02\x03binary\x00stuff", "data biner"),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused_for_what_it_is(
    tmp_path: Path, content: bytes, what: str
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="bukan berkas rencana yang didukung") as caught:
        read_source(path)
    assert what in str(caught.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"NO\tTARGET\n" * 10)
    with pytest.raises(SourceError, match="melebihi batas 50 byte"):
        read_source(path, max_bytes=50)


def test_a_workbook_renamed_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.save(path)
    grid = read_source(path)
    assert grid.source_format == "xlsx"
    assert texts(grid) == [HEADER]


# -- XLSX ------------------------------------------------------------------------------------


def save(workbook: openpyxl.Workbook, tmp_path: Path, name: str = "plan.xlsx") -> Path:
    path = tmp_path / name
    workbook.save(path)
    return path


def test_solid_coloured_fills_read_as_shaded_and_white_or_patterned_fills_do_not(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    fills = {
        "A1": PatternFill("solid", fgColor="FF4F81BD"),  # blue: shaded
        "B1": PatternFill("solid", fgColor=Color(theme=4)),  # accent 1: shaded
        "C1": PatternFill("solid", fgColor=Color(indexed=10)),  # red: shaded
        "D1": PatternFill("solid", fgColor=Color(theme=0, tint=-0.15)),  # darker white, grey: shaded
        "E1": PatternFill("solid", fgColor="FFFFFFFF"),  # white
        "F1": PatternFill("solid", fgColor=Color(indexed=9)),  # white
        "G1": PatternFill("solid", fgColor=Color(indexed=64)),  # system colour
        "H1": PatternFill("solid", fgColor=Color(theme=0)),  # Background 1, white
        "I1": PatternFill("gray125"),  # a pattern, not a fill
        "J1": PatternFill("solid", fgColor="FFFF0000"),
    }
    for ref, fill in fills.items():
        sheet[ref].fill = fill
    sheet["J1"] = "v"
    grid = read_xlsx(save(workbook, tmp_path))
    shaded = [cell.shaded for cell in grid.rows[0].cells]
    assert shaded == [True, True, True, True, False, False, False, False, False, True]
    assert grid.rows[0].cells[9].text == "v"


def test_trailing_empty_unshaded_cells_are_trimmed_and_rows_keep_their_sheet_numbers(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A3"] = "NO"
    sheet["C3"] = "TARGET"
    sheet["F3"].fill = PatternFill("solid", fgColor="FF00FF00")
    sheet["H3"].fill = PatternFill("solid", fgColor="FFFFFFFF")  # white: trimmed
    sheet["B7"] = "90%"
    grid = read_xlsx(save(workbook, tmp_path))
    assert [row.line for row in grid.rows] == [3, 7]
    assert texts(grid) == [["NO", "", "TARGET", "", "", ""], ["", "90%"]]
    assert grid.rows[0].cells[5].shaded


def test_cells_under_a_merged_range_read_empty_and_the_ranges_are_counted(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["1.", "Meningkatnya kapasitas SDM", "Program A", "Indikator A", "90%", "Layanan"])
    sheet.append(["", "", "", "Indikator B", "80%", ""])
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("F2:F3")
    grid = read_xlsx(save(workbook, tmp_path))
    assert texts(grid)[2] == ["", "", "", "Indikator B", "80%"]
    assert "3 rentang sel gabungan: sel yang tertutup gabungan dibaca kosong (sama dengan di atasnya)" in [
        str(note) for note in grid.notes
    ]


MONTH_FILL = PatternFill("solid", fgColor="FF4F81BD")


def row_at(grid, line: int):
    return next(row for row in grid.rows if row.line == line)


def test_a_shaded_range_merged_over_months_3_to_5_shades_all_three_cells(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A3"] = "Rapat koordinasi"
    sheet["J3"].fill = MONTH_FILL  # only the first cell carries the fill, as openpyxl writes it
    sheet.merge_cells("J3:L3")
    sheet["N3"] = "5000000"
    grid = read_xlsx(save(workbook, tmp_path))
    cells = row_at(grid, 3).cells
    assert [cell.shaded for cell in cells[9:12]] == [True, True, True]
    assert [cell.text for cell in cells[9:12]] == ["", "", ""]
    assert not cells[8].shaded and not cells[12].shaded
    assert (
        "1 rentang sel gabungan dalam satu baris berisi warna atau tanda bulan: sel yang tertutup gabungan "
        "mengulangnya"
    ) in [str(note) for note in grid.notes]


def test_a_month_mark_merged_over_months_3_to_5_marks_all_three_cells(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_string("A3", "Rapat koordinasi")
    sheet.merge_range("J3:L3", "v", workbook.add_format({"border": 1}))
    sheet.write_string("N3", "5000000")
    workbook.close()
    cells = row_at(read_xlsx(path), 3).cells
    assert [cell.text for cell in cells[9:12]] == ["v", "v", "v"]
    assert not any(cell.shaded for cell in cells[9:12])
    assert cells[12].text == ""


def test_a_vertical_merge_still_leaves_the_cells_it_covers_empty(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (3, 4, 5):
        sheet.cell(row, 1, f"Rapat {row}")
    sheet["J3"] = "v"
    sheet["J3"].fill = MONTH_FILL
    sheet.merge_cells("J3:J5")
    grid = read_xlsx(save(workbook, tmp_path))
    assert row_at(grid, 3).cells[9] == Cell("v", True)
    for line in (4, 5):
        assert row_at(grid, line).cells == [Cell(f"Rapat {line}")]  # nothing under the merged cell


def test_a_block_merged_over_two_rows_and_three_columns_leaves_the_cells_it_covers_empty(
    tmp_path: Path,
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A3"] = "Rapat koordinasi"
    sheet["A4"] = "Rapat evaluasi"
    sheet["J3"].fill = MONTH_FILL
    sheet.merge_cells("J3:L4")
    sheet["N3"] = "5000000"
    sheet["N4"] = "4000000"
    grid = read_xlsx(save(workbook, tmp_path))
    third, fourth = row_at(grid, 3).cells, row_at(grid, 4).cells
    assert third[9].shaded
    assert [(cell.text, cell.shaded) for cell in third[10:12]] == [("", False), ("", False)]
    assert [(cell.text, cell.shaded) for cell in fourth[9:12]] == [("", False)] * 3
    assert not any("dalam satu baris" in str(note) for note in grid.notes)


def test_a_title_or_a_divider_merged_across_the_table_is_not_repeated_nor_is_its_fill(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    grey = workbook.add_format({"pattern": 1, "bg_color": "#DDDDDD"})
    sheet.merge_range("A1:W1", "RENCANA AKSI TAHUN 2023", grey)  # shaded title with text
    sheet.merge_range("A2:C2", "KPU PROVINSI GORONTALO", grey)  # a short one, too
    sheet.merge_range("A4:W4", "", grey)  # a filled divider wider than the twelve months
    sheet.write_string("W5", "end")
    workbook.close()
    grid = read_xlsx(path)
    for line in (1, 2, 4):
        cells = row_at(grid, line).cells
        assert len(cells) == 1 and cells[0].shaded
    assert row_at(grid, 1).cells[0].text == "RENCANA AKSI TAHUN 2023"


def test_numbers_dates_and_booleans_read_as_the_text_a_person_sees(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    values = [
        (0.975, "0.0%", "97,5%"),
        (1.0, "0%", "100%"),
        (0.9, "0%", "90%"),
        (0.0492, "0.00%", "4,92%"),
        (1, "0%", "100%"),
        (8378000.0, '"Rp" #,##0', "8378000"),
        (8378000, "#,##0", "8378000"),
        (1.5, "General", "1.5"),
        (True, "General", "TRUE"),
        (dt.datetime(2023, 3, 1), "yyyy-mm-dd", "2023-03-01"),
        (dt.datetime(2023, 3, 1, 8, 30), "yyyy-mm-dd hh:mm", "2023-03-01 08:30:00"),
        ("3358.EBC.954.A", "@", "3358.EBC.954.A"),
    ]
    for column, (value, number_format, _) in enumerate(values, 1):
        cell = sheet.cell(1, column, value)
        cell.number_format = number_format
    grid = read_xlsx(save(workbook, tmp_path))
    assert texts(grid)[0] == [expected for _, _, expected in values]


def test_a_formula_reads_as_the_value_excel_saved_with_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet()
    sheet.write_number("A1", 2)
    sheet.write_formula("B1", "=A1*4189000", None, 8378000)
    workbook.close()
    assert texts(read_xlsx(path)) == [["2", "8378000"]]


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()  # openpyxl saves formulas without their values
    sheet = workbook.active
    sheet.title = "Renaksi"
    sheet.append(HEADER)
    sheet["G5"] = "=SUM(G1:G4)"
    with pytest.raises(SourceError) as caught:
        read_xlsx(save(workbook, tmp_path))
    assert (caught.value.line, caught.value.column) == (5, 7)
    assert "sel G5 di lembar 'Renaksi'" in str(caught.value)
    assert "rumus tanpa nilai tersimpan; buka dan simpan berkasnya di Excel" in str(caught.value)


def test_it_picks_the_first_sheet_with_the_plan_header(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sampul"
    workbook.active["A1"] = "RENCANA AKSI TAHUN 2023"
    notes = workbook.create_sheet("Catatan")
    notes["A1"] = "Tidak ada target"
    plan = workbook.create_sheet("Renaksi 2023")
    plan.append(HEADER)
    workbook.create_sheet("Renaksi 2022").append(HEADER)
    path = save(workbook, tmp_path)
    grid = read_xlsx(path)
    assert grid.sheet == "Renaksi 2023"
    assert "lembar pertama yang memuat judul tabel rencana" in str(grid.notes[0])
    assert read_xlsx(path, sheet="Sampul").sheet == "Sampul"


def test_without_a_plan_header_it_reads_the_active_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Dua")["A1"] = "x"
    workbook.active = 1
    assert read_xlsx(save(workbook, tmp_path)).sheet == "Dua"


def test_an_unknown_sheet_name_is_refused_listing_the_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Renaksi"
    with pytest.raises(SourceError, match="tidak ada lembar bernama 'Lain'; buku kerja ini berisi 'Renaksi'"):
        read_xlsx(save(workbook, tmp_path), sheet="Lain")


def test_a_workbook_can_be_read_from_bytes(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    assert texts(read_xlsx(save(workbook, tmp_path).read_bytes())) == [HEADER]


def minimal_xlsx_parts() -> dict[str, bytes]:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    parts = minimal_xlsx_parts()
    parts["xl/media/padding.bin"] = b"\x00" * (20 * 2**20)  # 20 MB of zeros: ~1000 to 1
    with pytest.raises(SourceError, match="mungkin bom zip"):
        read_source(write_zip(tmp_path / "bomb.xlsx", parts))


def test_a_sheet_declaring_too_many_rows_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["A200001"] = "x"
    with pytest.raises(SourceError, match="200.001 baris, melebihi batas 200.000"):
        read_xlsx(save(workbook, tmp_path))


def test_a_sheet_with_too_many_columns_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.cell(1, 201, "x")
    with pytest.raises(SourceError, match="201 kolom, melebihi batas 200"):
        read_xlsx(save(workbook, tmp_path))


def test_xml_entities_in_a_workbook_are_refused(tmp_path: Path) -> None:
    parts = minimal_xlsx_parts()
    laughs = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    parts["xl/workbook.xml"] = laughs + parts["xl/workbook.xml"]
    with pytest.raises(SourceError, match="bukan buku kerja XLSX yang dapat dibaca"):
        read_source(write_zip(tmp_path / "entities.xlsx", parts))


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    parts = minimal_xlsx_parts()
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row"
    with pytest.raises(SourceError, match="bukan buku kerja XLSX yang dapat dibaca"):
        read_source(write_zip(tmp_path / "damaged.xlsx", parts))


def test_a_quote_that_does_not_close_its_cell_is_refused_naming_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        read_delimited(b'NO;TARGET;AKUN\n1.;90%;x\n2.;"Prima" baru;y\n', name="plan.csv")
    assert caught.value.line == 3


def test_xml_entities_in_a_sheet_are_refused(tmp_path: Path) -> None:
    parts = minimal_xlsx_parts()
    original = parts["xl/worksheets/sheet1.xml"]
    sheet = re.sub(
        rb"<sheetData\s*/>|<sheetData>\s*</sheetData>",
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row></sheetData>',
        original,
    )
    assert sheet != original and b"&lol;" in sheet  # the entity really is in a cell
    parts["xl/worksheets/sheet1.xml"] = b'<!DOCTYPE lolz [<!ENTITY lol "lol">]>' + sheet
    with pytest.raises(SourceError, match="bukan buku kerja XLSX yang dapat dibaca"):
        read_source(write_zip(tmp_path / "entities.xlsx", parts))


def test_asking_for_utf8_reads_a_file_with_a_byte_order_mark_without_the_mark() -> None:
    grid = read_delimited("NO\tTARGET\n".encode("utf-8-sig"), name="a.txt", encoding="UTF-8")
    assert texts(grid) == [["NO", "TARGET"]]
