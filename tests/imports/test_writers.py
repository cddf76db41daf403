"""Writers: the plan table in the seed's layout, as TSV, CSV and merged-cell XLSX."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.imports.writers import WriterError, table_cells, write_csv, write_tsv, write_xlsx


def small_plan(*, pic: str = "") -> PlanTree:
    first = Indicator(
        "Persentase Pegawai yang Mendapatkan Layanan",
        "97,5%",
        activities=["Layanan Manajemen SDM"],
        lines=[
            Line(
                "ATK Administrasi Kepegawaian",
                "Layanan Manajemen SDM",
                (1, 2),
                8_378_000,
                CostState.AMOUNT,
                "3358.EBC.954.A",
                person_in_charge=pic,
            ),
            Line("Pengelolaan SIMPEG", "Layanan Manajemen SDM", (), None, CostState.NONE),
        ],
    )
    second = Indicator(
        "Persentase Penegakan Disiplin Pegawai",
        "90%",
        activities=["Layanan Manajemen SDM", "Monitoring Disiplin"],
        lines=[
            Line(
                "Apel Pagi", "Layanan Manajemen SDM", (12,), None, CostState.ABSENT, "6871.QGE", "Swakelola"
            ),
            Line("Monitoring Disiplin Pegawai", "Monitoring Disiplin", (), None, CostState.NONE, "6871.QGE"),
        ],
    )
    orphan = Indicator(
        "Persentase Produk Hukum",
        "100%",
        activities=["Penyuluhan Hukum"],
        lines=[
            Line("Sosialisasi Hukum", "Penyuluhan Hukum", (), 30_760_000, CostState.AMOUNT, "6638.BBB.001")
        ],
    )
    return PlanTree(
        year=2023,
        title="RENCANA AKSI TAHUN 2023",
        signing_unit="SEKRETARIS",
        agency_label="KOMISI PEMILIHAN UMUM PROVINSI GORONTALO",
        goals=[
            Goal(
                "1", "Meningkatnya kapasitas SDM", [ProgramGoal("Tertib Administrasi SDM", [first, second])]
            ),
            Goal(
                None,
                "",
                [ProgramGoal("Terlaksananya Pelayanan Informasi Hukum", [orphan], needs_review=True)],
            ),
            Goal("6", "Terwujudnya Dukungan Logistik", []),
        ],
    )


def test_the_table_starts_with_the_title_block_and_two_header_rows() -> None:
    rows = list(table_cells(small_plan()))
    assert rows[:3] == [
        ["RENCANA AKSI TAHUN 2023"],
        ["SEKRETARIS"],
        ["KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"],
    ]
    assert rows[3][:8] == [
        "NO",
        "SASARAN STRATEGIS",
        "SASARAN PROGRAM",
        "INDIKATOR KINERJA",
        "TARGET",
        "KEGIATAN",
        "Rencana Kegiatan",
        "RENCANA PELAKSANAAN KEGIATAN",
    ]
    assert rows[3][19:] == ["PERKIRAAN BIAYA", "AKUN", "KET"]
    assert rows[4] == [""] * 7 + [str(m) for m in range(1, 13)] + ["", "", ""]


def test_merged_cells_are_written_once_and_empty_below() -> None:
    rows = list(table_cells(small_plan()))[5:]
    assert rows[0][:7] == [
        "1.",
        "Meningkatnya kapasitas SDM",
        "Tertib Administrasi SDM",
        "Persentase Pegawai yang Mendapatkan Layanan",
        "97,5%",
        "Layanan Manajemen SDM",
        "ATK Administrasi Kepegawaian",
    ]
    assert rows[1][:7] == ["", "", "", "", "", "", "Pengelolaan SIMPEG"]
    # the activity continues into the next indicator: one merged KEGIATAN cell
    assert rows[2][:7] == ["", "", "", "Persentase Penegakan Disiplin Pegawai", "90%", "", "Apel Pagi"]
    assert rows[3][5:7] == ["Monitoring Disiplin", "Monitoring Disiplin Pegawai"]


def test_months_costs_and_codes_follow_the_cost_state() -> None:
    rows = list(table_cells(small_plan(), month_mark="v"))[5:]
    assert rows[0][7:19] == ["v", "v"] + [""] * 10
    assert rows[0][19:] == ["Rp 8.378.000", "3358.EBC.954.A", ""]
    assert rows[1][19:] == ["-", "-", ""]  # no cost and no code
    assert rows[2][18:] == ["v", "", "6871.QGE", "Swakelola"]  # no cost cell at all
    assert rows[3][19:] == ["-", "6871.QGE", ""]


def test_money_styles() -> None:
    english = list(table_cells(small_plan(), money_style="en"))[5]
    seed = list(table_cells(small_plan(), money_style="seed"))
    assert english[19] == "8,378,000"
    assert seed[3][19:] == ["PERKIRAAN BIAYA", "", "AKUN", "KET"]
    assert seed[5][19:] == ["Rp", "8,378,000", "3358.EBC.954.A", ""]
    assert seed[6][19:] == ["-", "", "-", ""]
    with pytest.raises(ValueError, match="money_style"):
        list(table_cells(small_plan(), money_style="fr"))  # type: ignore[arg-type]


def test_a_goal_without_a_header_prints_no_number_and_starts_after_a_repeated_header() -> None:
    rows = list(table_cells(small_plan()))
    assert rows[9][0] == "NO" and rows[10][7] == "1"
    assert rows[11][:5] == [
        "",
        "",
        "Terlaksananya Pelayanan Informasi Hukum",
        "Persentase Produk Hukum",
        "100%",
    ]


def test_the_person_in_charge_column_is_there_only_when_a_line_has_one() -> None:
    assert "PENANGGUNG JAWAB" not in list(table_cells(small_plan()))[3]
    rows = list(table_cells(small_plan(pic="Kasubbag Hukum dan SDM")))
    assert rows[3][-1] == "PENANGGUNG JAWAB"
    assert rows[5][-1] == "Kasubbag Hukum dan SDM"
    assert rows[6][-1] == ""


def test_write_tsv_writes_utf8_tab_separated_lines(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    write_tsv(small_plan(), path)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "RENCANA AKSI TAHUN 2023"
    assert lines[5].split("\t")[19] == "Rp 8.378.000"
    stream = io.StringIO()
    write_tsv(small_plan(), stream)
    assert stream.getvalue() == path.read_text(encoding="utf-8")


def test_write_csv_quotes_cells_that_need_it_and_encodes_cp1252(tmp_path: Path) -> None:
    tree = small_plan()
    tree.goals[0].text = 'Meningkatnya "Prima"; Pemilu\u2013Pemilihan'
    path = tmp_path / "plan.csv"
    write_csv(tree, path)
    data = path.read_bytes()
    assert '1.;"Meningkatnya ""Prima""; Pemilu\u2013Pemilihan";'.encode("cp1252") in data
    assert b";x;x;" in data  # month marks


def test_write_csv_refuses_a_character_cp1252_cannot_hold_naming_row_and_column() -> None:
    tree = small_plan()
    tree.goals[0].program_goals[0].indicators[0].target = "\u2265 90%"
    with pytest.raises(WriterError, match=r"row 6, column 5: '\u2265' \(U\+2265\)"):
        write_csv(tree, io.BytesIO())
    write_csv(tree, io.BytesIO(), encoding="utf-8")


def test_write_xlsx_merges_spanning_cells_shades_months_and_writes_amounts_as_numbers(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    tree = small_plan()
    tree.goals[0].program_goals[0].indicators[0].lines[0].remarks = "=HYPERLINK(1)"
    write_xlsx(tree, path)
    sheet = openpyxl.load_workbook(path).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "H4:S4", "T4:T5", "A6:A9", "B6:B9", "C6:C9", "D6:D7", "E6:E7", "F6:F8"} <= merged
    assert sheet["B6"].value == "Meningkatnya kapasitas SDM"
    assert sheet["H6"].fill.patternType == "solid" and sheet["J6"].fill.patternType is None
    assert sheet["T6"].value == 8_378_000 and sheet["T6"].number_format == '"Rp" #,##0'
    assert sheet["T7"].value == "-" and sheet["U7"].value == "-"
    assert sheet["V6"].value == "=HYPERLINK(1)" and sheet["V6"].data_type == "s"
    assert sheet["A10"].value == "NO"  # the repeated header before the goal without a header
