"""A schedule bar drawn as one merged range over several months schedules every month it covers."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_source

STRUCTURE = [
    "NO",
    "SASARAN STRATEGIS",
    "SASARAN PROGRAM",
    "INDIKATOR KINERJA",
    "TARGET",
    "KEGIATAN",
    "Rencana Kegiatan",
]
TAIL = ["PERKIRAAN BIAYA", "AKUN", "KET"]
FIRST_MONTH = len(STRUCTURE)  # 0-based column of month 1
TAIL_START = FIRST_MONTH + 12


def write_plan(path: Path, *, mark: str) -> Path:
    """A plan like the seed's header, one line whose months 3..5 are one merged range."""
    workbook = xlsxwriter.Workbook(path, {"strings_to_numbers": False})
    sheet = workbook.add_worksheet("Rencana Aksi")
    header = workbook.add_format({"bold": True, "border": 1})
    bar = workbook.add_format({"border": 1, "pattern": 1, "bg_color": "#4F81BD"})
    plain = workbook.add_format({"border": 1})
    sheet.write_string(0, 0, "RENCANA AKSI TAHUN 2023")
    top = 2
    for column, label in enumerate(STRUCTURE):
        sheet.merge_range(top, column, top + 1, column, label, header)
    sheet.merge_range(top, FIRST_MONTH, top, FIRST_MONTH + 11, "RENCANA PELAKSANAAN KEGIATAN", header)
    for month in range(1, 13):
        sheet.write_number(top + 1, FIRST_MONTH + month - 1, month, header)
    for offset, label in enumerate(TAIL):
        sheet.merge_range(top, TAIL_START + offset, top + 1, TAIL_START + offset, label, header)
    row = top + 2
    texts = [
        "1.",
        "Meningkatnya Kualitas Penyelenggaraan Pemilu",
        "Meningkatnya Partisipasi Pemilih",
        "Persentase Pemilih yang Menggunakan Hak Pilih",
        "80%",
        "Sosialisasi dan Pendidikan Pemilih",
        "Rapat Koordinasi Sosialisasi",
    ]
    for column, text in enumerate(texts):
        sheet.write_string(row, column, text)
    march, may = FIRST_MONTH + 2, FIRST_MONTH + 4
    if mark:
        sheet.merge_range(row, march, row, may, mark, plain)
    else:
        sheet.merge_range(row, march, row, may, "", bar)
    sheet.write_number(row, TAIL_START, 15_000_000)
    sheet.write_string(row, TAIL_START + 1, "3358.EBC.954.A")
    workbook.close()
    return path


@pytest.mark.parametrize("mark", ["", "v"], ids=["shaded", "marked"])
def test_a_line_whose_months_3_to_5_are_one_merged_range_is_scheduled_in_all_three(
    tmp_path: Path, mark: str
) -> None:
    tree, report = recognize(read_source(write_plan(tmp_path / "plan.xlsx", mark=mark)))
    lines = list(tree.lines())
    assert len(lines) == 1
    assert lines[0].months == (3, 4, 5)
    assert lines[0].cost == 15_000_000
    assert report.lost_cells == 0
    assert not report.unplaced
