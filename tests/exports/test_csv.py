"""The flat CSV export against formula injection: no cell, and no line of a cell, can start a formula."""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from renaksi.core import canonical
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.table import table_rows
from renaksi.core.text import csv_line, csv_safe, csv_unsafe

# Every way a line can end, as str.splitlines() (and so a careless reader) knows them.
BREAKS = ("\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
ATTACKS = (
    "catatan\r=cmd|' /C calc'!A0",
    'catatan\n=HYPERLINK("http://x")',
    "catatan\r\n+cmd|x",
    "catatan\u2028@SUM(1)",
    "catatan\u2029-2+3",
    "catatan\v=1",
    "catatan\x85=1",
    " =cmd|x",
    "\t=cmd|x",
    "\r=cmd|x",
    "\n\n=cmd",
    "ok\r \t=cmd",
    "''=already quoted",
)
FORMULA_START = re.compile(r"^[\s]*[=+\-@]")
_SPLIT = re.compile("|".join(map(re.escape, sorted(BREAKS, key=len, reverse=True))))


def hostile_plan() -> PlanTree:
    lines = [
        Line(
            name=f"Rapat {n}",
            activity="Kegiatan",
            cost=1_000 * (n + 1),
            cost_state=CostState.AMOUNT,
            budget_code="3358.EBC",
            remarks=attack,
            person_in_charge=attack,
        )
        for n, attack in enumerate(ATTACKS)
    ]
    indicator = Indicator(ATTACKS[0], "1 Dokumen", lines=lines)
    return PlanTree(year=2024, goals=[Goal("1", ATTACKS[1], [ProgramGoal(ATTACKS[2], [indicator])])])


def unescaped_formula(cell: str) -> bool:
    """A cell, or a line inside it, that a spreadsheet or a line-splitting reader would run."""
    if cell[:1] in ("\t", "\r"):
        return True
    return any(
        FORMULA_START.match(part) and not re.fullmatch(r"-|[+-]?[\d.,]+", part.strip())
        for part in _SPLIT.split(cell)
    )


def test_a_remark_with_a_bare_carriage_return_does_not_split_the_row_or_start_a_formula() -> None:
    tree = hostile_plan()
    text = canonical.to_csv(tree)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(table_rows(tree))  # the header and one row per table row
    assert all(len(row) == len(canonical.CSV_COLUMNS) for row in rows)
    offenders = [cell for row in rows for cell in row if unescaped_formula(cell)]
    assert offenders == []
    remarks = canonical.CSV_COLUMNS.index("remarks")
    assert [csv_unsafe(row[remarks]) for row in rows[1:]] == list(ATTACKS)


def test_no_physical_line_of_the_csv_starts_a_formula_whatever_the_reader_splits_on() -> None:
    text = canonical.to_csv(hostile_plan())
    assert [line for line in _SPLIT.split(text) if FORMULA_START.match(line.lstrip('"'))] == []


@given(st.text())
def test_csv_safe_is_undone_by_csv_unsafe_for_any_text(text: str) -> None:
    assert csv_unsafe(csv_safe(text)) == text


@given(st.text(alphabet=[*"".join(BREAKS), "=", "+", "-", "@", "'", " ", "\t", "\u00a0", "a", "1", '"', ","]))
def test_no_line_of_any_text_starts_a_formula_once_made_safe(text: str) -> None:
    assert not unescaped_formula(csv_safe(text))


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_one_row_of_any_texts_reads_back_as_one_row(cells: list[str]) -> None:
    safe = [csv_safe(cell) for cell in cells]
    assert list(csv.reader(io.StringIO(csv_line(safe), newline=""))) == [safe]


@given(st.lists(st.text(alphabet=st.characters(exclude_characters="".join(BREAKS))), min_size=2, max_size=5))
def test_a_row_without_line_breaks_is_written_as_the_csv_module_writes_it(cells: list[str]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    assert csv_line(cells) == out.getvalue()
