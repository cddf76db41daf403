"""Cost cells in forms no Rupiah reader accepts are refused naming their row and column.

An accounting negative ``(5.000.000)``, scientific notation ``1e20`` and digits of other scripts
(Arabic-Indic ``٥٠٠٠``, full-width ``５０００``) where the cost belongs used to become a remark, and
the plan's total dropped without a word. None of them is read as an amount (DESIGN.md §6: an
ambiguous number is an error naming the cell): a plan line's cost is never negative, ``1e20`` is
no amount anyone typed, and other digits may be a paste from another system whose separators
are not known; the refusal says what to write instead.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.grid import Cell, Grid, GridRow, SourceError
from renaksi.core.money import MoneyError, format_number_id, parse_rupiah, unreadable_amount
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
    ]
    + ["RENCANA PELAKSANAAN KEGIATAN"]
    + [""] * 11
    + ["PERKIRAAN BIAYA", "AKUN", "KET"]
)
MONTHS = [""] * 7 + [str(m) for m in range(1, 13)]
START = ["1.", "Goal A", "PG A", "Persentase X", "90%", "Kegiatan A", "Line A"] + [""] * 12
SECOND = [""] * 6 + ["Line B"] + [""] * 12


def read(*rows: list[str]):
    lines = [HEADER, MONTHS, *rows]
    grid = Grid([GridRow(i + 1, [Cell(c) for c in cells]) for i, cells in enumerate(lines)], "tsv")
    return recognize(grid)


FORMS = [
    "(5.000.000)",
    "Rp (5.000.000)",
    "(Rp 5.000.000)",
    "1e20",
    "1E+7",
    "8.378e6",
    "٥٠٠٠",
    "５０００",
    "Rp ５.０００",
]


@pytest.mark.parametrize("text", FORMS)
def test_a_cost_in_a_form_no_reader_accepts_is_refused_naming_its_cell(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(START + ["Rp 1.000.000", "3358.EBC.954.A", ""], SECOND + [text, "3358.EBC.954.A", "catatan"])
    assert (caught.value.line, caught.value.column) == (4, 20)


@pytest.mark.parametrize("text", ["(5.000.000)", "1e20", "٥٠٠٠", "５０００"])
def test_the_same_form_after_a_separate_rp_cell_is_refused_naming_its_cell(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        read(START + ["Rp", "1.000.000", "3358.EBC.954.A", ""], SECOND + ["Rp", text, "3358.EBC.954.A", ""])
    assert (caught.value.line, caught.value.column) == (4, 21)


def test_an_accounting_negative_is_refused_as_a_negative_cost() -> None:
    with pytest.raises(SourceError, match="negatif"):
        read(START + ["(5.000.000)", "3358.EBC.954.A", ""])


def test_other_digits_are_refused_saying_to_write_0_to_9() -> None:
    with pytest.raises(SourceError, match="0-9"):
        read(START + ["٥٠٠٠", "3358.EBC.954.A", ""])


def test_scientific_notation_is_refused_as_such() -> None:
    with pytest.raises(SourceError, match="ilmiah"):
        read(START + ["1e20", "3358.EBC.954.A", ""])


def test_a_remark_holding_such_a_form_after_the_cost_stays_a_remark() -> None:
    tree, report = read(START + ["Rp 1.000.000", "3358.EBC.954.A", "(lihat 1e20)"])
    line = next(tree.lines())
    assert line.cost == 1_000_000 and line.remarks == "(lihat 1e20)"


@pytest.mark.parametrize("text", ["(5.000.000)", "1e20", "٥٠٠٠", "５０００"])
def test_the_form_after_the_budget_code_with_no_cost_yet_is_refused_not_a_remark(text: str) -> None:
    # It used to become the line's remark, and the plan's total dropped by the cost.
    with pytest.raises(SourceError) as caught:
        read(START + ["Rp 1.000.000", "3358.EBC.954.A", ""], SECOND + ["3358.EBC.954.A", text])
    assert (caught.value.line, caught.value.column) == (4, 21)


@given(st.text())
def test_no_text_the_rupiah_reader_accepts_is_called_unreadable(text: str) -> None:
    try:
        parse_rupiah(text)
    except MoneyError:
        return
    assert unreadable_amount(text) is None


@given(st.integers(min_value=1_000, max_value=10**12))
def test_every_accepted_amount_in_parentheses_is_an_accounting_negative(amount: int) -> None:
    assert unreadable_amount(f"({format_number_id(amount)})") is not None
