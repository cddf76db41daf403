"""The signature block under the table is read into the plan's signature, not left as notes."""

from __future__ import annotations

import pytest

from renaksi.core.grid import Cell, Grid, GridRow
from renaksi.core.recognizer import recognize
from renaksi.core.signature_block import SignatureBlock, read_signature

BLOCK = ["Gorontalo, 2 Januari 2023", "SEKRETARIS,", "Nama Sekretaris, S.H.", "NIP. 19700101 200003 1 001"]


def test_it_reads_place_date_title_name_and_nip_by_what_each_line_is() -> None:
    signature, fields = read_signature(BLOCK)  # type: ignore[misc]
    assert signature == SignatureBlock(
        "Gorontalo", "2023-01-02", "SEKRETARIS", "Nama Sekretaris, S.H.", "197001012000031001"
    )
    assert fields == ["place and date", "title", "name", "NIP"]


def test_a_title_over_two_lines_is_one_title_and_the_name_is_the_line_above_the_nip() -> None:
    lines = [
        "Gorontalo, 31 Desember 2023",
        "SEKRETARIS KOMISI PEMILIHAN UMUM",
        "PROVINSI GORONTALO",
        "Nama",
        "NIP 197001012000031001",
    ]
    signature, _fields = read_signature(lines)  # type: ignore[misc]
    assert (signature.title, signature.name) == (
        "SEKRETARIS KOMISI PEMILIHAN UMUM PROVINSI GORONTALO",
        "Nama",
    )


@pytest.mark.parametrize(
    "lines",
    [
        ["Catatan: angka sementara"],
        ["Gorontalo, 31 Februari 2023", "SEKRETARIS"],
        ["Gorontalo, 2 Jan 2023", "x"],
    ],
    ids=["a note", "no such date", "a month not written out"],
)
def test_lines_with_neither_a_date_nor_a_nip_are_no_signature(lines: list[str]) -> None:
    assert read_signature(lines) is None


HEADER = [
    "NO",
    "SASARAN STRATEGIS",
    "SASARAN PROGRAM",
    "INDIKATOR KINERJA",
    "TARGET",
    "KEGIATAN",
    "Rencana Kegiatan",
]
HEADER += ["RENCANA PELAKSANAAN KEGIATAN", *[""] * 11, "PERKIRAAN BIAYA", "AKUN", "KET"]


def _grid(below: list[list[str]]) -> Grid:
    table = [
        HEADER,
        [""] * 7 + [str(m) for m in range(1, 13)],
        ["1.", "Goal", "PG", "Ind", "90%", "Keg", "Line one"] + [""] * 12 + ["Rp 1.000", "3358.EBC"],
    ]
    rows = table + [[""] * 16 + cells for cells in below]
    return Grid([GridRow(n, [Cell(t) for t in r]) for n, r in enumerate(rows, 1)], "csv")


def test_a_signature_under_the_table_goes_into_the_report_and_every_cell_is_placed() -> None:
    tree, report = recognize(_grid([[line] for line in BLOCK]))
    assert report.signature == {
        "place": "Gorontalo",
        "date": "2023-01-02",
        "title": "SEKRETARIS",
        "name": "Nama Sekretaris, S.H.",
        "nip": "197001012000031001",
    }
    assert [line.name for line in tree.lines()] == ["Line one"]
    assert report.unplaced == [] and report.lost_cells == 0


def test_notes_under_the_signature_stay_unplaced_cells() -> None:
    _tree, report = recognize(_grid([[line] for line in BLOCK] + [["Tembusan: arsip"]]))
    assert [u.text for u in report.unplaced] == ["Tembusan: arsip"]
    assert report.signature["nip"] == "197001012000031001"
