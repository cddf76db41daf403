"""The same plan read from the layouts people keep it in: merges, repeated values, units, titles.

Grids are built cell by cell here, so each test shows the layout it is about; the generated
plans in every written shape are tested in ``tests/imports``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from renaksi.core.grid import NUMBER, Cell, Grid, GridRow, SourceError
from renaksi.core.plan_tree import CostState
from renaksi.core.recognizer import recognize

HEADER = ["NO", "SASARAN STRATEGIS", "SASARAN PROGRAM", "INDIKATOR KINERJA", "TARGET", "KEGIATAN"]
HEADER += ["Rencana Kegiatan", "RENCANA PELAKSANAAN KEGIATAN", *[""] * 11, "PERKIRAAN BIAYA", "AKUN", "KET"]
MONTHS = [""] * 7 + [str(m) for m in range(1, 13)] + ["", "", ""]
COST, CODE, REMARKS = 19, 20, 21


def row(*structure: str, cost: str | Cell = "", code: str = "", remarks: str = "", extra: str = "") -> list:
    cells: list = list(structure) + [""] * (7 - len(structure)) + [""] * 12 + [cost, code, remarks]
    if extra:
        cells.append(extra)
    return cells


def grid(
    rows: list[list],
    *,
    header: list[str] = HEADER,
    months: list[str] = MONTHS,
    title: list[list[str]] = (),  # type: ignore[assignment]
    merges: list[tuple[int, int, int, int]] | None = None,
    source_format: str = "xlsx",
) -> Grid:
    """A sheet: title lines, the two header rows, then ``rows``; lines are numbered from 1."""
    lines = [*title, header, months, *rows]
    return Grid(
        [
            GridRow(number, [c if isinstance(c, Cell) else Cell(c) for c in cells])
            for number, cells in enumerate(lines, 1)
        ],
        source_format,
        merges=merges,
    )


def first_data_line(title_lines: int = 0) -> int:
    return title_lines + 3


# -- merges ---------------------------------------------------------------------------------


def test_in_a_merged_sheet_an_empty_goal_cell_outside_every_merge_starts_a_flagged_goal_less_group() -> None:
    first = first_data_line()
    rows = [
        row("1.", "Goal one", "PG one", "Ind one", "90%", "Keg", "Line one", cost="Rp 1.000"),
        row("", "", "", "Ind two", "1 Dokumen", "", "Line two", cost="Rp 2.000"),
        row("", "", "PG orphan", "Ind three", "2 Draft", "Keg 2", "Line three", cost="Rp 4.000"),
    ]
    # Goal 1 is merged over its two rows only; the orphan's goal cells lie outside every merge.
    merges = [(first, 1, first + 1, 1), (first, 2, first + 1, 2), (first, 3, first + 1, 3)]
    tree, report = recognize(grid(rows, merges=merges))
    assert [g.number for g in tree.goals] == ["1", None]
    assert sum(line.cost or 0 for line in tree.goal_lines(tree.goals[0])) == 3000
    orphan = tree.goals[1].program_goals[0]
    assert orphan.text == "PG orphan" and orphan.needs_review
    assert any("SASARAN STRATEGIS" in j.message and j.line == first + 2 for j in report.judgements)


def test_in_a_sheet_without_merges_an_empty_goal_cell_still_means_the_goal_above() -> None:
    rows = [
        row("1.", "Goal one", "PG one", "Ind one", "90%", "Keg", "Line one", cost="Rp 1.000"),
        row("", "", "PG two", "Ind two", "2 Draft", "Keg 2", "Line two", cost="Rp 4.000"),
    ]
    tree, _report = recognize(grid(rows, source_format="csv"))
    assert [g.number for g in tree.goals] == ["1"]
    assert [pg.text for pg in tree.goals[0].program_goals] == ["PG one", "PG two"]


def test_an_indicator_row_whose_kegiatan_cell_starts_a_merge_links_the_activity_and_makes_no_line() -> None:
    first = first_data_line()
    rows = [
        row("1.", "Goal", "PG", "Ind only", "90%", "Keg shared"),
        row("", "", "", "Ind with line", "1 Dokumen", "", "The line", cost="Rp 5.000"),
    ]
    merges = [(first, c, first + 1, c) for c in (1, 2, 3)] + [(first, 6, first + 1, 6)]
    tree, _report = recognize(grid(rows, merges=merges))
    only, with_line = list(tree.indicators())
    assert only.lines == [] and only.activities == ["Keg shared"]
    assert [(line.name, line.activity) for line in with_line.lines] == [("The line", "Keg shared")]


def test_an_empty_kegiatan_cell_outside_every_merge_gives_the_line_no_activity() -> None:
    first = first_data_line()
    rows = [
        row("1.", "Goal", "PG", "Ind", "90%", "Keg one", "Line one", cost="Rp 1.000"),
        row("", "", "", "", "", "", "Line two", cost="Rp 2.000"),
        row("", "", "", "", "", "Keg two", "Line three", cost="Rp 3.000"),
        row("", "", "", "", "", "", "Line four", cost="Rp 4.000"),
    ]
    # The sheet merges KEGIATAN (over lines three and four), so its merges say what continues.
    merges = [(first, c, first + 3, c) for c in (1, 2, 3, 4, 5)] + [(first + 2, 6, first + 3, 6)]
    tree, _report = recognize(grid(rows, merges=merges))
    assert [(line.name, line.activity) for line in tree.lines()] == [
        ("Line one", "Keg one"),
        ("Line two", ""),
        ("Line three", "Keg two"),
        ("Line four", "Keg two"),
    ]


# -- every value repeated on every row ------------------------------------------------------


def test_a_table_repeating_every_value_on_every_row_reads_one_object_per_run_of_the_same_text() -> None:
    goal, pg = ("1.", "Goal one"), "PG one"
    rows = [
        row(*goal, pg, "Ind one", "90%", "Keg A", "Line 1", cost="Rp 1.000"),
        row(*goal, pg, "Ind one", "90%", "Keg A", "Line 2", cost="Rp 2.000"),
        row(*goal, pg, "Ind two", "2 Draft", "Keg A", "Line 3", cost="Rp 3.000"),
        row("2.", "Goal two", "PG two", "Ind three", "1 Dokumen", "Keg B", "Line 4", cost="-"),
        row("2.", "Goal two", "PG two", "Ind three", "1 Dokumen", "Keg B", "Line 5", cost="Rp 5.000"),
    ]
    tree, report = recognize(grid(rows, source_format="csv"))
    assert [g.number for g in tree.goals] == ["1", "2"]
    assert [pg.text for pg in tree.program_goals()] == ["PG one", "PG two"]
    assert [(i.text, i.target, len(i.lines)) for i in tree.indicators()] == [
        ("Ind one", "90%", 2),
        ("Ind two", "2 Draft", 1),
        ("Ind three", "1 Dokumen", 2),
    ]
    assert tree.total_cost() == 11_000
    assert report.lost_cells == 0 and not report.unplaced


def test_in_a_repeating_table_an_empty_goal_cell_is_a_goal_less_group_not_the_goal_above() -> None:
    rows = [
        row("1.", "Goal one", "PG one", "Ind one", "90%", "Keg", "Line 1", cost="Rp 1.000"),
        row("1.", "Goal one", "PG one", "Ind one", "90%", "Keg", "Line 2", cost="Rp 2.000"),
        row("", "", "PG orphan", "Ind two", "2 Draft", "Keg", "Line 3", cost="Rp 4.000"),
        row("", "", "PG orphan", "Ind two", "2 Draft", "Keg", "Line 4", cost="Rp 8.000"),
    ]
    tree, _report = recognize(grid(rows, source_format="csv"))
    assert [g.number for g in tree.goals] == ["1", None]
    assert [len(list(tree.goal_lines(g))) for g in tree.goals] == [2, 2]
    assert tree.goals[1].program_goals[0].needs_review


def test_in_a_repeating_table_an_empty_program_goal_cell_gives_the_indicator_a_flagged_empty_program_goal() -> (
    None
):
    rows = [
        row("1.", "Goal", "PG one", "Ind one", "90%", "Keg", "Line 1", cost="Rp 1.000"),
        row("1.", "Goal", "PG one", "Ind one", "90%", "Keg", "Line 2", cost="Rp 2.000"),
        row("1.", "Goal", "", "Ind two", "2 Draft", "Keg", "Line 3", cost="Rp 4.000"),
    ]
    tree, _report = recognize(grid(rows, source_format="csv"))
    assert [(pg.text, pg.needs_review) for pg in tree.program_goals()] == [("PG one", False), ("", True)]
    assert [i.text for i in tree.program_goals().__next__().indicators] == ["Ind one"]


def test_an_indicator_repeated_with_another_target_is_another_indicator() -> None:
    rows = [
        row("1.", "Goal", "PG", "Jumlah dokumen", "1 Dokumen", "Keg", "Line 1", cost="Rp 1.000"),
        row("1.", "Goal", "PG", "Jumlah dokumen", "2 Dokumen", "Keg", "Line 2", cost="Rp 2.000"),
    ]
    tree, _report = recognize(grid(rows, source_format="csv"))
    assert [i.target for i in tree.indicators()] == ["1 Dokumen", "2 Dokumen"]


@pytest.mark.parametrize(
    ("second", "message"),
    [
        (("1.", "Another goal"), "muncul lagi dengan teks lain"),
        (("1.", ""), None),
        (("0.", "Goal zero"), "berulang atau mundur"),
    ],
)
def test_goal_numbers_that_repeat_with_another_text_or_go_backwards_stop_the_import(
    second: tuple[str, str], message: str | None
) -> None:
    rows = [
        row("1.", "Goal one", "PG", "Ind", "90%", "Keg", "Line 1", cost="Rp 1.000"),
        row(*second, "PG b", "Ind b", "1 Dokumen", "Keg", "Line 2", cost="Rp 2.000"),
    ]
    if message is None:  # the number alone, printed again: the same goal
        tree, _report = recognize(grid(rows, source_format="csv"))
        assert [g.number for g in tree.goals] == ["1"]
        return
    with pytest.raises(SourceError, match=message) as raised:
        recognize(grid(rows, source_format="csv"))
    assert raised.value.line == first_data_line() + 1


# -- amounts in units -----------------------------------------------------------------------


def _unit_grid(label: str, cost: str | Cell, *, sub_label: str = "", second: str | Cell = "Rp 1.000") -> Grid:
    header = list(HEADER)
    header[COST] = label
    months = list(MONTHS)
    months[COST] = sub_label
    rows = [
        row("1.", "Goal", "PG", "Ind", "90%", "Keg", "Line 1", cost=cost),
        row("", "", "", "", "", "", "Line 2", cost=second),
    ]
    return grid(rows, header=header, months=months, source_format="csv")


@pytest.mark.parametrize(
    ("label", "sub_label", "multiplier"),
    [
        ("PERKIRAAN BIAYA (Rp juta)", "", 10**6),
        ("PERKIRAAN BIAYA", "(juta)", 10**6),
        ("PERKIRAAN BIAYA", "Rp. (ribu)", 10**3),
        ("ANGGARAN (dalam ribuan rupiah)", "", 10**3),
        ("PERKIRAAN BIAYA (dalam rupiah)", "", 1),
    ],
)
def test_a_unit_in_the_cost_header_scales_every_amount_of_the_column(
    label: str, sub_label: str, multiplier: int
) -> None:
    written = "8378000" if multiplier == 1 else "8.378"  # a fraction of a Rupiah is refused (below)
    number = Cell(written, kind=NUMBER, number=written)
    tree, _report = recognize(
        _unit_grid(label, number, sub_label=sub_label, second=Cell("2", kind=NUMBER, number="2"))
    )
    assert [line.cost for line in tree.lines()] == [int(Decimal(written) * multiplier), 2 * multiplier]


def test_a_fraction_of_a_rupiah_in_a_plain_rupiah_column_is_refused_naming_the_cell() -> None:
    with pytest.raises(SourceError, match="8.378") as raised:
        recognize(_unit_grid("PERKIRAAN BIAYA (Rp)", Cell("8.3780", kind=NUMBER, number="8.378")))
    assert (raised.value.line, raised.value.column) == (first_data_line(), COST + 1)


def test_text_amounts_in_a_scaled_column_read_with_the_decimal_mark_the_column_shows() -> None:
    tree, _report = recognize(_unit_grid("PERKIRAAN BIAYA (Rp juta)", "8,378", second="1,5"))
    assert [line.cost for line in tree.lines()] == [8_378_000, 1_500_000]
    tree, _report = recognize(_unit_grid("PERKIRAAN BIAYA (Rp juta)", "8,378", second="1.5"))
    assert [line.cost for line in tree.lines()] == [8_378_000_000, 1_500_000]


def test_text_amounts_in_a_scaled_column_whose_decimal_mark_cannot_be_told_are_refused() -> None:
    with pytest.raises(SourceError, match="jumlah .8,378. bermakna ganda") as raised:
        recognize(_unit_grid("PERKIRAAN BIAYA (Rp juta)", "8,378", second="12"))
    assert raised.value.column == COST + 1


def test_a_cost_header_whose_unit_cannot_be_told_is_refused_naming_the_cell() -> None:
    with pytest.raises(SourceError, match="tidak dapat dipastikan") as raised:
        recognize(_unit_grid("PERKIRAAN BIAYA (USD)", "Rp 1.000"))
    assert (raised.value.line, raised.value.column) == (1, COST + 1)


def test_a_date_where_the_cost_belongs_is_refused_naming_the_cell() -> None:
    with pytest.raises(SourceError, match="tanggal") as raised:
        recognize(_unit_grid("PERKIRAAN BIAYA", Cell("2023-03-01", kind="d")))
    assert (raised.value.line, raised.value.column) == (first_data_line(), COST + 1)


# -- columns the header does not know -------------------------------------------------------


def test_a_column_of_amounts_under_an_unknown_header_stops_the_import_naming_the_column() -> None:
    header = list(HEADER)
    header[COST] = "DANA"
    rows = [
        row("1.", "Goal", "PG", "Ind", "90%", "Keg", "Line 1", cost="Rp 8.378.000"),
        row("", "", "", "", "", "", "Line 2", cost="Rp 1.000"),
    ]
    with pytest.raises(SourceError, match="'DANA'") as raised:
        recognize(grid(rows, header=header, source_format="csv"))
    assert raised.value.column == COST + 1


def test_a_text_column_under_an_unknown_header_stops_the_import_naming_the_column() -> None:
    header = [*HEADER, "CATATAN AUDIT"]
    rows = [row("1.", "Goal", "PG", "Ind", "90%", "Keg", "Line 1", cost="Rp 1.000", extra="dicek")]
    with pytest.raises(SourceError, match="'CATATAN AUDIT'") as raised:
        recognize(grid(rows, header=header, source_format="csv"))
    assert (raised.value.line, raised.value.column) == (first_data_line(), len(HEADER) + 1)


def test_a_note_in_a_column_without_a_header_is_unplaced_with_a_judgement_not_read_as_remarks() -> None:
    rows = [
        row(
            "1.",
            "Goal",
            "PG",
            "Ind",
            "90%",
            "Keg",
            "Line 1",
            cost="Rp 1.000",
            remarks="ok",
            extra="lihat hal 3",
        )
    ]
    tree, report = recognize(grid(rows, source_format="csv"))
    assert [line.remarks for line in tree.lines()] == ["ok"]
    assert [u.text for u in report.unplaced] == ["lihat hal 3"]
    assert any(j.column == len(HEADER) + 1 for j in report.judgements)


# -- title lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        [["RENCANA AKSI TAHUN 2023"], ["SEKRETARIS"], ["KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"]],
        [["RENCANA AKSI TAHUN 2023"], ["SEKRETARIS KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"]],
        [["RENCANA AKSI TAHUN 2023"], ["Sekretaris", "KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"]],
        [["RENCANA AKSI TAHUN 2023 SEKRETARIS KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"]],
        [["RENCANA AKSI", "TAHUN 2023"], ["Sekretaris,"], ["KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"]],
    ],
    ids=["three lines", "unit and agency in one cell", "two cells", "all in one cell", "split title"],
)
def test_title_lines_give_the_same_signing_unit_and_agency_in_one_cell_or_several(
    title: list[list[str]],
) -> None:
    rows = [row("1.", "Goal", "PG", "Ind", "90%", "Keg", "Line 1", cost="Rp 1.000")]
    tree, report = recognize(grid(rows, title=title, source_format="csv"))
    assert (tree.title, tree.year) == ("RENCANA AKSI TAHUN 2023", 2023)
    assert tree.signing_unit == "SEKRETARIS"
    assert tree.agency_label == "KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"
    assert report.lost_cells == 0 and not report.unplaced


def test_a_numeric_cost_of_zero_reads_as_an_amount_of_zero_and_a_dash_as_no_cost() -> None:
    tree, _report = recognize(_unit_grid("PERKIRAAN BIAYA", Cell("0", kind=NUMBER, number="0"), second="-"))
    assert [(line.cost, line.cost_state) for line in tree.lines()] == [
        (0, CostState.AMOUNT),
        (None, CostState.NONE),
    ]


def test_digits_stored_as_text_among_numeric_amounts_are_refused_naming_the_cell() -> None:
    with pytest.raises(SourceError, match="disimpan sebagai teks") as raised:
        recognize(_unit_grid("PERKIRAAN BIAYA", Cell("1000", kind=NUMBER, number="1000"), second="2500000"))
    assert (raised.value.line, raised.value.column) == (first_data_line() + 1, COST + 1)


def test_text_amounts_in_a_column_of_text_amounts_are_read_as_rupiah() -> None:
    tree, _report = recognize(_unit_grid("PERKIRAAN BIAYA", "2500000", second="Rp 1.000"))
    assert [line.cost for line in tree.lines()] == [2_500_000, 1_000]
