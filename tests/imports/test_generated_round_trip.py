"""Generated plans written in every file form and read back give the same plan, cell for cell.

Each test writes a plan, reads the file with ``read_source`` (which tells the form by content)
and the recognizer, and asks for the very same tree (source lines aside) with no cell lost.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from plan_strategies import comparable, first_difference, plan_trees

from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_source
from renaksi.imports.writers import write_csv, write_tsv, write_xlsx

ROUND_TRIP = settings(max_examples=25, deadline=None)


def read_back(tree: PlanTree, filename: str, write: Callable[[PlanTree, Path], None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        write(tree, path)
        grid = read_source(path)
        read, report = recognize(grid)
    difference = first_difference(comparable(tree), comparable(read))
    assert difference is None, f"{difference}\njudgements: {report.judgements}\nunplaced: {report.unplaced}"
    assert report.lost_cells == 0


@ROUND_TRIP
@given(plan_trees())
def test_a_merged_cell_xlsx_with_shaded_months_reads_back_as_the_same_plan(tree: PlanTree) -> None:
    read_back(tree, "plan.xlsx", lambda t, p: write_xlsx(t, p, shade_months=True))


@ROUND_TRIP
@given(plan_trees())
def test_a_semicolon_csv_in_cp1252_with_rupiah_amounts_reads_back_as_the_same_plan(tree: PlanTree) -> None:
    read_back(
        tree, "plan.csv", lambda t, p: write_csv(t, p, delimiter=";", encoding="cp1252", money_style="id")
    )


@ROUND_TRIP
@given(plan_trees())
def test_tab_separated_text_reads_back_as_the_same_plan(tree: PlanTree) -> None:
    read_back(tree, "plan.txt", lambda t, p: write_tsv(t, p))


@ROUND_TRIP
@given(plan_trees())
def test_tab_separated_text_in_the_seed_form_with_rp_in_its_own_cell_reads_back_as_the_same_plan(
    tree: PlanTree,
) -> None:
    read_back(tree, "plan.txt", lambda t, p: write_tsv(t, p, money_style="seed"))
