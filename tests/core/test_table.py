"""The one row iterator behind every output."""

from __future__ import annotations

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.table import plan_totals, table_rows


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
