"""Property tests: the recognizer on arbitrary cells either reads a plan that accounts for every
cell, or refuses with a SourceError; it never crashes and never drops a cell."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renaksi.core.grid import Cell, Grid, GridRow, SourceError
from renaksi.core.money import parse_rupiah
from renaksi.core.recognizer import recognize

HEADER = (
    "NO\tSASARAN STRATEGIS\tSASARAN PROGRAM\tINDIKATOR KINERJA\tTARGET\tKEGIATAN\tRencana Kegiatan\t"
    "RENCANA PELAKSANAAN KEGIATAN\t\t\t\t\t\t\t\t\t\t\t\tPERKIRAAN BIAYA\tAKUN\tKET"
)
MONTHS = "\t" * 7 + "\t".join(str(m) for m in range(1, 13))

cell_texts = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "1.",
            "2.",
            "97,5%",
            "100%",
            "7 Satker",
            "Rp",
            "8,378,000",
            "Rp 30,760,000",
            "-",
            "v",
            "x",
            "3358.EBC.954.A",
            "6871.QGE",
            "Layanan Perkantoran",
            "Persentase Pegawai",
            "JUMLAH",
            "1.5",
            "8.37.800",
            "3358.EB1",
            "NO",
            "TARGET",
            "Rp 1.000,50",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"), max_size=12),
)
rows = st.lists(st.lists(st.tuples(cell_texts, st.booleans()), max_size=24), min_size=1, max_size=12)


def grid_of(body: list[list[tuple[str, bool]]]) -> Grid:
    lines = [
        GridRow(1, [Cell(c) for c in HEADER.split("\t")]),
        GridRow(2, [Cell(c) for c in MONTHS.split("\t")]),
    ]
    for i, row in enumerate(body):
        lines.append(GridRow(i + 3, [Cell(text, shaded) for text, shaded in row]))
    return Grid(lines, "tsv")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_any_grid_is_read_with_every_cell_accounted_for_or_refused_with_a_located_error(body) -> None:
    grid = grid_of(body)
    try:
        tree, report = recognize(grid)
    except SourceError as error:
        # Every refusal of a row names where; only a table without rows has no place to name.
        assert error.line is not None or "tidak ada baris rencana" in str(error)
        return
    assert report.lost_cells == 0
    places = [(p.line, p.column) for p in report.placements] + [(u.line, u.column) for u in report.unplaced]
    assert len(places) == len(set(places)) == report.source_cells
    # The plan's total is exactly the amounts of the cells placed as costs: none invented, none dropped.
    placed_amounts = 0
    for placement in report.placements:
        if placement.field.endswith(": cost") and not is_currency_marker(placement.text):
            placed_amounts += parse_rupiah(placement.text) or 0
    assert tree.total_cost() == placed_amounts
    assert all(line.cost is None or line.cost >= 0 for line in tree.lines())


def is_currency_marker(text: str) -> bool:
    return text.strip().lower().rstrip(".") in {"rp", "idr"}


def test_a_spilled_indicator_whose_continuation_spills_again_is_kept_not_lost() -> None:
    # Found by the property above: each row's first cell repeats the next row's first cell, so
    # each is read as an indicator spilled into the row below; none of them may vanish.
    same = [("97,5%", False), ("1.", False), ("97,5%", False)]
    tree, report = recognize(grid_of([same, same, [("97,5%", False)]]))
    assert report.lost_cells == 0
    assert {(u.line, u.column) for u in report.unplaced} >= {(3, 1), (4, 1), (5, 1)}
