"""The one row iterator behind every output."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.table import names_persons_in_charge, plan_totals, table_rows, trailing_columns
from renaksi.imports.sample import random_plan


def line(name: str, activity: str, cost: int | None = None, code: str = "") -> Line:
    state = CostState.AMOUNT if cost is not None else CostState.ABSENT
    return Line(name=name, activity=activity, cost=cost, cost_state=state, budget_code=code)


def test_a_kegiatan_serving_two_indicators_is_one_merged_cell() -> None:
    pg = ProgramGoal(
        "PG",
        [
            Indicator("I1", "1 Dokumen", lines=[line("a", "K")]),
            Indicator("I2", "2 Dokumen", lines=[line("b", "K"), line("c", "L")]),
        ],
    )
    rows = table_rows(PlanTree(goals=[Goal("1", "G", [pg])]))
    assert [r.activity_span for r in rows] == [2, 0, 1]
    assert [r.indicator_span for r in rows] == [1, 2, 0]
    assert [r.goal_span for r in rows] == [3, 0, 0]


def test_goals_and_program_goals_with_nothing_under_them_still_print_a_row() -> None:
    tree = PlanTree(goals=[Goal("1", "empty goal"), Goal("2", "G", [ProgramGoal("empty program goal")])])
    rows = table_rows(tree)
    assert [(r.goal.number, r.program_goal.text, r.indicator.text, r.line) for r in rows] == [
        ("1", "", "", None),
        ("2", "empty program goal", "", None),
    ]


def test_code_totals_use_the_canonical_code_so_spellings_do_not_split_a_code() -> None:
    pg = ProgramGoal(
        "PG",
        [
            Indicator(
                "I", "1 Dokumen", lines=[line("a", "K", 5, "3358.ebc.954"), line("b", "K", 7, "3358.EBC.954")]
            )
        ],
    )
    totals = plan_totals(PlanTree(goals=[Goal("1", "G", [pg])]))
    assert totals.by_code == {"3358.EBC.954": 12}
    assert totals.by_code_level == {"3358": 12, "3358.EBC": 12, "3358.EBC.954": 12}
    assert totals.grand_total == 12


@given(st.integers(0, 10_000), st.integers(1, 60))
def test_every_span_covers_exactly_the_rows_of_its_object_and_nothing_else(seed: int, lines: int) -> None:
    rows = table_rows(random_plan(seed, lines))
    assert [row.index for row in rows] == list(range(len(rows)))
    for span_of, key in (
        (lambda r: r.goal_span, lambda r: id(r.goal)),
        (lambda r: r.program_goal_span, lambda r: id(r.program_goal)),
        (lambda r: r.indicator_span, lambda r: id(r.indicator)),
        (lambda r: r.activity_span, lambda r: (id(r.goal), r.activity) if r.activity else id(r)),
    ):
        start = 0
        while start < len(rows):
            span = span_of(rows[start])
            assert span >= 1
            covered = rows[start : start + span]
            assert {key(row) for row in covered} == {key(rows[start])}
            assert all(span_of(row) == 0 for row in covered[1:])
            # a run ends where its object changes: the next row starts a new span
            assert start + span == len(rows) or key(rows[start + span]) != key(rows[start])
            start += span


@given(st.integers(0, 10_000), st.integers(1, 60))
def test_plan_totals_agree_with_a_line_by_line_sum(seed: int, lines: int) -> None:
    tree = random_plan(seed, lines)
    totals = plan_totals(tree)
    every = list(tree.lines())
    assert totals.lines == len(every)
    assert totals.grand_total == sum(line.cost or 0 for line in every) == sum(t for _g, t in totals.by_goal)
    by_code: dict[str, int] = {}
    by_level: dict[str, int] = {}
    for line in every:
        if not line.budget_code:
            continue
        try:
            code = parse_budget_code(line.budget_code)
            canonical, keys = code.canonical, code.rollup_keys()
        except BudgetCodeError:
            canonical, keys = line.budget_code, [line.budget_code]
        by_code[canonical] = by_code.get(canonical, 0) + (line.cost or 0)
        for key in keys:
            by_level[key] = by_level.get(key, 0) + (line.cost or 0)
    assert totals.by_code == by_code
    assert totals.by_code_level == by_level
    assert list(totals.by_code) == sorted(by_code)


def test_the_columns_right_of_the_months_drop_remarks_for_the_public_and_add_the_person_in_charge() -> None:
    assert trailing_columns(pic=False) == ["PERKIRAAN BIAYA", "AKUN", "KET"]
    assert trailing_columns(pic=True) == ["PERKIRAAN BIAYA", "AKUN", "KET", "PENANGGUNG JAWAB"]
    assert trailing_columns(pic=False, remarks=False) == ["PERKIRAAN BIAYA", "AKUN"]
    tree = random_plan(1, 5, person_in_charge=False)
    assert not names_persons_in_charge(table_rows(tree))
    tree.goals[0].program_goals[0].indicators[0].lines[0].person_in_charge = "Kasubag Program"
    assert names_persons_in_charge(table_rows(tree))
