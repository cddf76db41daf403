"""Inputs that look almost right: each is read correctly, or refused naming its line and column.

Nothing is guessed: a cell that could be two things is an error or a recorded judgement.
"""

from __future__ import annotations

import pytest

from renaksi.core.grid import Cell, Grid, GridRow, SourceError
from renaksi.core.plan_tree import CostState
from renaksi.core.recognizer import recognize

HEADER = (
    [
        "NO",
        "SASARAN STRATEGIS",
        "SASARAN PROGRAM",
        "INDIKATOR KINERJA",
        "TARGET",
        "KEGIATAN",
        "Rencana Kegiatan",
        "RENCANA PELAKSANAAN KEGIATAN",
    ]
    + [""] * 11
    + ["PERKIRAAN BIAYA", "AKUN", "KET"]
)
MONTHS = [""] * 7 + [str(m) for m in range(1, 13)]
ROW = (
    ["1.", "Goal A", "PG A", "Persentase X", "90%", "Kegiatan A", "Line A"]
    + [""] * 12
    + ["Rp 8.378.000", "3358.EBC.954.A", ""]
)


def row(**changes: str) -> list[str]:
    """The standard first row with some cells changed, by 1-based column number (c20="...")."""
    cells = list(ROW)
    for key, value in changes.items():
        index = int(key[1:]) - 1
        while len(cells) <= index:
            cells.append("")
        cells[index] = value
    return cells


def read(*rows: list[str], header: list[str] = HEADER):
    lines = [header, MONTHS, *rows]
    grid = Grid([GridRow(i + 1, [Cell(c) for c in cells]) for i, cells in enumerate(lines)], "tsv")
    return recognize(grid)


def refused(*rows: list[str], header: list[str] = HEADER) -> SourceError:
    with pytest.raises(SourceError) as caught:
        read(*rows, header=header)
    return caught.value


def test_a_sub_activity_named_like_a_target_stays_a_sub_activity() -> None:
    tree, _ = read(
        row(), [""] * 6 + ["2 Kali Rapat Koordinasi"] + [""] * 12 + ["Rp 1.000.000", "3358.EBC.954.A"]
    )
    lines = list(tree.lines())
    assert [line.name for line in lines] == ["Line A", "2 Kali Rapat Koordinasi"]
    assert tree.total_cost() == 9_378_000


def test_text_in_the_cost_column_is_refused_naming_its_cell() -> None:
    error = refused(row(c20="Rp 1.000.000 (termasuk pajak)"))
    assert (error.line, error.column) == (3, 20)
    assert "PERKIRAAN BIAYA" in str(error)


def test_a_fraction_of_a_rupiah_is_refused() -> None:
    error = refused(row(c20="0.125"))
    assert (error.line, error.column) == (3, 20)


def test_a_number_in_a_month_column_is_not_taken_for_a_cost() -> None:
    error = refused(row(c9="2", c20="-", c21="-"))
    assert (error.line, error.column) == (3, 9)
    assert "bulan 2" in str(error)


def test_a_mark_in_a_month_column_schedules_that_month() -> None:
    tree, _ = read(row(c8="v", c10="✓", c19="1"))
    assert next(tree.lines()).months == (1, 3, 12)


def test_a_column_that_is_not_a_plan_column_stops_the_import_naming_it() -> None:
    # Saving without it would lose a whole column; the person renames or removes it.
    header = HEADER[:7] + ["SATUAN"] + HEADER[7:]
    months = [""] + MONTHS
    cells = ROW[:7] + ["Paket"] + ROW[7:]
    lines = [header, months, cells]
    with pytest.raises(SourceError, match="SATUAN") as raised:
        recognize(Grid([GridRow(i + 1, [Cell(c) for c in r]) for i, r in enumerate(lines)], "tsv"))
    assert (raised.value.line, raised.value.column) == (3, 8)


@pytest.mark.parametrize("code", ["33580.EBC", "3358 EBC 954", "3358-EBC-954", "EBC.954", "3358.EB1"])
def test_a_malformed_budget_code_is_refused_naming_its_cell(code: str) -> None:
    error = refused(row(c21=code))
    assert (error.line, error.column) == (3, 21)


def test_columns_in_an_unusual_order_are_read_by_their_header() -> None:
    header = (
        [
            "NO",
            "SASARAN STRATEGIS",
            "SASARAN PROGRAM",
            "INDIKATOR KINERJA",
            "KEGIATAN",
            "TARGET",
            "Rencana Kegiatan",
            "RENCANA PELAKSANAAN KEGIATAN",
        ]
        + [""] * 11
        + ["PERKIRAAN BIAYA", "AKUN", "KET"]
    )
    tree, _ = read(row(c5="Kegiatan A", c6="90%"), header=header)
    [goal] = tree.goals
    [pg] = goal.program_goals
    [indicator] = pg.indicators
    assert (goal.text, pg.text, indicator.text, indicator.target) == ("Goal A", "PG A", "Persentase X", "90%")
    assert indicator.lines[0].activity == "Kegiatan A"


@pytest.mark.parametrize(
    "number,expected", [("I.", "I"), ("A.", "A"), ("(1)", "1"), ("1.1", "1.1"), ("2)", "2")]
)
def test_goal_numbers_are_read_as_printed(number: str, expected: str) -> None:
    tree, _ = read(row(c1=number))
    assert tree.goals[0].number == expected
    assert not tree.goals[0].program_goals[0].needs_review


def test_a_remark_on_a_total_row_is_kept_as_unplaced_not_swallowed() -> None:
    total = [""] * 6 + ["JUMLAH"] + [""] * 12 + ["Rp 8.378.000", "", "Catatan: revisi DIPA 2"]
    _, report = read(row(), total)
    assert [(u.line, u.column) for u in report.unplaced] == [(4, 22)]
    assert report.lost_cells == 0


def test_a_total_row_that_disagrees_with_the_lines_is_recorded() -> None:
    total = [""] * 6 + ["JUMLAH"] + [""] * 12 + ["Rp 9.000.000"]
    _, report = read(row(), total)
    assert any("berbeda" in j.message and j.line == 4 for j in report.judgements)


def test_an_indicator_beginning_with_jumlah_is_not_a_total_row() -> None:
    tree, _ = read(row(c4="Jumlah Dokumen SOP", c5="Tepat Waktu"))
    assert [i.text for i in tree.indicators()] == ["Jumlah Dokumen SOP"]


def test_an_amount_without_a_sub_activity_is_refused() -> None:
    orphan = [""] * 19 + ["Rp 1.000.000", "3358.EBC.954.A"]
    error = refused(row(), orphan)
    assert (error.line, error.column) == (4, 20)


def test_a_row_of_text_only_is_read_but_flagged_as_possibly_wrapped() -> None:
    wrapped = ["", "", "", "secara tepat waktu", "", "", "dan konsumsi"]
    tree, report = read(row(), wrapped)
    assert any(j.line == 4 and "sambungan teks" in j.message for j in report.judgements)
    assert list(tree.lines())[-1].cost_state is CostState.ABSENT


def test_a_second_amount_on_a_line_is_refused() -> None:
    error = refused(row(c22="Rp 5.000"))
    assert error.line == 3


def test_rows_below_the_grand_total_are_not_read_as_plan_rows() -> None:
    total = [""] * 6 + ["JUMLAH TOTAL"] + [""] * 12 + ["Rp 8.378.000"]
    signature = [
        [""] * 20 + ["Gorontalo, 2 Januari 2023"],
        [""] * 20 + ["Sekretaris"],
        [""] * 20 + ["NIP. 1970"],
        [""] * 20 + ["Catatan kaki"],
    ]
    tree, report = read(row(), total, *signature)
    assert len(list(tree.lines())) == 1
    # The signature block is read (a NIP of four digits is no NIP: kept, like the note under it).
    assert report.signature["title"] == "Sekretaris" and report.signature["nip"] == ""
    assert [(u.line, u.text) for u in report.unplaced] == [(7, "NIP. 1970"), (8, "Catatan kaki")]
    assert not any("berbeda" in j.message for j in report.judgements)
