"""The shape writers write what each dimension says, checked on the files without the importer."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_strategies import plan_trees

from renaksi.core.money import parse_rupiah
from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.imports.sample import random_plan
from renaksi.imports.shapes import ACCOUNTING_FORMAT, Shape, unit_used, write_shape

WRITER = settings(max_examples=20, deadline=None, derandomize=True)
TSV = {"format": "tsv", "months": "v", "amounts": "id"}


def tsv_rows(tree: PlanTree, tmp_path: Path, **fields: object) -> list[list[str]]:
    path = tmp_path / "plan.txt"
    write_shape(tree, path, Shape(**{**TSV, **fields}))  # type: ignore[arg-type]
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]


def test_it_refuses_a_layout_its_format_cannot_hold() -> None:
    with pytest.raises(ValueError, match="shading"):
        Shape(format="csv", amounts="id")
    with pytest.raises(ValueError, match="numbers only in a workbook"):
        Shape(format="tsv", months="v")
    with pytest.raises(ValueError, match="cp1252"):
        Shape(format="csv", encoding="cp1252", months="\u2713", amounts="id")


@WRITER
@given(tree=plan_trees())
def test_total_rows_hold_each_goals_sum_and_the_plans(
    tree: PlanTree, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rows = tsv_rows(tree, tmp_path_factory.mktemp("totals"), totals=True)
    totals = [parse_rupiah(row[19]) for row in rows if row[0] in ("JUMLAH", "TOTAL")]
    goal_sums = [sum(line.cost or 0 for line in tree.goal_lines(goal)) for goal in tree.goals]
    assert totals == [*goal_sums, tree.total_cost()]


@WRITER
@given(tree=plan_trees(), continued=st.booleans())
def test_page_headers_come_every_n_plan_rows_and_before_a_headerless_goal_and_never_inside_one(
    tree: PlanTree, continued: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rows = tsv_rows(
        tree,
        tmp_path_factory.mktemp("pages"),
        page_rows=3,
        title="none",
        page_break_text="continued" if continued else "repeated",
    )
    plan_rows: list[list[list[str]]] = []  # the plan rows below each header
    for row in rows:
        if row[0] == "NO":
            plan_rows.append([])
        elif row[7:19] != [str(month) for month in range(1, 13)]:
            plan_rows[-1].append(row)
    if all(goal.number is not None for goal in tree.goals):
        assert all(len(page) <= 3 for page in plan_rows)
    # A goal without a header starts a page and no page starts inside it, whatever the reader
    # would make of an empty goal cell below a header.
    goal_of = {line.name: goal for goal in tree.goals for line in tree.goal_lines(goal)}
    first_goals = [goal_of[page[0][6]] for page in plan_rows if page]
    headerless = [goal for goal in tree.goals if goal.number is None]
    assert [goal for goal in first_goals if goal.number is None] == headerless


@WRITER
@given(tree=plan_trees())
def test_a_repeated_layout_writes_every_level_on_every_row(
    tree: PlanTree, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rows = tsv_rows(tree, tmp_path_factory.mktemp("repeated"), structure="repeated", title="none")
    data = [row for row in rows[2:] if row[0] != "NO" and row[6]]
    assert len(data) == sum(1 for _ in tree.lines())
    for row, line in zip(data, tree.lines(), strict=True):
        assert row[5] == line.activity and row[6] == line.name
        assert all(row[2:5])  # program goal, indicator, target


def test_a_unit_is_used_only_where_every_amount_is_a_whole_number_of_it(tmp_path: Path) -> None:
    tree = random_plan(7, 12)
    for line in tree.lines():
        if line.cost is not None:
            line.cost -= line.cost % 1000
    first = next(tree.lines())
    first.cost, first.cost_state = 1_234_000, CostState.AMOUNT
    assert unit_used(tree, Shape(unit="juta")) is None
    assert unit_used(tree, Shape(unit="ribu")) == "ribu"
    rows = tsv_rows(tree, tmp_path, unit="ribu", title="none")
    assert rows[0][19] == "PERKIRAAN BIAYA (ribu)"
    assert rows[2][19] == "Rp 1.234,00"
    first.cost = 1_234_500
    assert tsv_rows(tree, tmp_path, unit="ribu", title="none")[2][19] == "Rp 1.234.500"


def test_a_semicolon_csv_in_cp1252_holds_the_plan_text(tmp_path: Path) -> None:
    tree = random_plan(3, 10, title=True)
    path = tmp_path / "plan.csv"
    write_shape(tree, path, Shape(format="csv", delimiter=";", encoding="cp1252", months="x", amounts="en"))
    with path.open(encoding="cp1252", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == [tree.title]
    names = {row[6] for row in rows if len(row) > 6}
    assert all(line.name in names for line in tree.lines())


def test_a_merged_workbook_merges_and_a_repeated_one_does_not(tmp_path: Path) -> None:
    tree = random_plan(11, 20, headerless=False)
    for structure, merges_over_data in (("merged", True), ("repeated", False)):
        path = tmp_path / f"{structure}.xlsx"
        write_shape(tree, path, Shape(structure=structure, title="none"))  # type: ignore[arg-type]
        sheet = openpyxl.load_workbook(path).active
        assert any(r.min_row > 2 for r in sheet.merged_cells.ranges) is merges_over_data


def test_no_cost_in_an_accounting_workbook_is_a_zero_in_the_accounting_format(tmp_path: Path) -> None:
    tree = random_plan(5, 30)
    path = tmp_path / "plan.xlsx"
    write_shape(tree, path, Shape(accounting_zero=True, title="none"))
    sheet = openpyxl.load_workbook(path).active
    none_rows = [line for line in tree.lines() if line.cost_state is CostState.NONE]
    zeros = [row[19] for row in sheet.iter_rows(min_row=3) if row[19].value == 0]
    accounting = [cell for cell in zeros if cell.number_format == ACCOUNTING_FORMAT]
    assert none_rows and len(accounting) == len(none_rows)
