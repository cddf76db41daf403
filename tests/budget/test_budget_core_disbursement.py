"""The disbursement plan's core (renaksi.core.disbursement): spreading a cost over its months to the
exact Rupiah, hand-entered rows, and the monthly, cumulative and quarterly curves."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.disbursement import (
    MANUAL,
    MANUAL_MISMATCH,
    NO_MONTHS,
    SPREAD,
    Curve,
    DisbursementLine,
    check_manual_row,
    plan_disbursement,
    spread_cost,
)

costs = st.integers(min_value=0, max_value=10**13)
month_sets = st.sets(st.integers(min_value=1, max_value=12), min_size=1)


def test_a_cost_spreads_evenly_with_the_remainder_in_the_earliest_months() -> None:
    assert spread_cost(8_378_000, [3, 4, 5]) == (0, 0, 2_792_667, 2_792_667, 2_792_666, *([0] * 7))
    assert spread_cost(10, [12, 1]) == (5, *([0] * 10), 5)
    assert spread_cost(7, [2, 6, 9]) == (0, 3, 0, 0, 0, 2, 0, 0, 2, 0, 0, 0)


def test_a_cost_cannot_be_spread_over_no_month_nor_a_month_outside_the_year() -> None:
    with pytest.raises(ValueError, match="no month"):
        spread_cost(1_000, [])
    with pytest.raises(ValueError, match="1..12"):
        spread_cost(1_000, [0, 3])
    with pytest.raises(ValueError, match="negative"):
        spread_cost(-1, [3])
    assert spread_cost(0, []) == (0,) * 12


@given(costs, month_sets)
def test_a_spread_line_sums_exactly_to_its_cost_in_its_months_only(cost: int, months: set[int]) -> None:
    amounts = spread_cost(cost, months)
    assert len(amounts) == 12
    assert sum(amounts) == cost
    assert all(amount == 0 for month, amount in enumerate(amounts, 1) if month not in months)
    scheduled = [amounts[month - 1] for month in months]
    assert max(scheduled) - min(scheduled) <= 1
    assert all(isinstance(amount, int) and amount >= 0 for amount in amounts)


@given(costs, month_sets)
def test_spreading_is_deterministic_and_does_not_depend_on_the_order_of_the_months(
    cost: int, months: set[int]
) -> None:
    assert spread_cost(cost, sorted(months)) == spread_cost(cost, sorted(months, reverse=True))


def test_a_hand_entered_row_must_sum_to_the_lines_cost() -> None:
    row = [100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 900]
    assert check_manual_row(1_000, row) is None
    problem = check_manual_row(1_001, row)
    assert problem is not None and "Rp 1.000" in str(problem) and "Rp 1.001" in str(problem)
    assert check_manual_row(None, [0] * 12) is None
    assert check_manual_row(1_000, [1_000]) is not None
    assert check_manual_row(1_000, [-100, 1_100, *([0] * 10)]) is not None


def _line(line_id: int, cost: int | None, months: tuple[int, ...], code: str = "", manual=None):
    return DisbursementLine(line_id, f"baris {line_id}", cost, months, code, manual)


def test_a_line_with_a_cost_but_no_months_is_reported_and_not_guessed() -> None:
    rpd = plan_disbursement([_line(1, 5_000, ()), _line(2, None, ()), _line(3, 3_000, (1, 2, 3))])
    assert [(issue.line.line_id, issue.kind) for issue in rpd.issues] == [(1, NO_MONTHS)]
    assert rpd.lines[0].amounts == (0,) * 12
    assert rpd.total.total == 3_000 and rpd.planned_cost == 8_000 and not rpd.balanced


def test_a_hand_entered_row_wins_over_the_schedule_and_an_unbalanced_one_is_reported() -> None:
    good = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4_000)
    bad = (1, *([0] * 11))
    rpd = plan_disbursement([_line(1, 4_000, (1, 2), manual=good), _line(2, 10, (5,), manual=bad)])
    assert [row.source for row in rpd.lines] == [MANUAL, MANUAL]
    assert rpd.lines[0].amounts == good
    assert [(issue.line.line_id, issue.kind) for issue in rpd.issues] == [(2, MANUAL_MISMATCH)]


def test_the_curve_rolls_up_per_code_level_with_cumulative_and_quarterly_sums() -> None:
    rpd = plan_disbursement(
        [
            _line(1, 1_200, (1, 2, 3, 4), "3358.EBC.954.A"),
            _line(2, 600, (12,), "3358.EBA.994"),
            _line(3, 90, (7, 8, 9), "bukan kode"),
        ]
    )
    assert [row.source for row in rpd.lines] == [SPREAD, SPREAD, SPREAD]
    assert set(rpd.by_code) == {
        "3358",
        "3358.EBC",
        "3358.EBC.954",
        "3358.EBC.954.A",
        "3358.EBA",
        "3358.EBA.994",
    }
    assert rpd.by_code["3358"].monthly == (300, 300, 300, 300, 0, 0, 0, 0, 0, 0, 0, 600)
    assert rpd.by_code["3358.EBA"].total == 600
    assert rpd.total.quarterly == (900, 300, 90, 600)
    assert rpd.total.cumulative_quarterly == (900, 1_200, 1_290, 1_890)
    assert rpd.total.cumulative[-1] == rpd.total.total == rpd.planned_cost == 1_890
    assert rpd.balanced


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), costs),
            month_sets,
            st.sampled_from(["3358.EBC.954.A", "3358.EBC", "6709.QGE.001", "", "x.y"]),
        ),
        max_size=30,
    )
)
def test_every_level_and_the_plan_sum_per_month_to_their_lines(rows) -> None:
    lines = [
        _line(index, cost, tuple(sorted(months)), code) for index, (cost, months, code) in enumerate(rows)
    ]
    rpd = plan_disbursement(lines)
    assert rpd.issues == ()
    assert rpd.total.total == rpd.planned_cost == sum(cost or 0 for cost, _m, _c in rows)
    for key, curve in rpd.by_code.items():
        under = [row.amounts for row in rpd.lines if (row.line.budget_code + ".").startswith(key + ".")]
        assert curve.monthly == tuple(sum(column) for column in zip(*under, strict=True))
    assert rpd.total.cumulative == tuple(sum(rpd.total.monthly[: month + 1]) for month in range(12))


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=12, max_size=12))
def test_a_curves_quarters_and_cumulative_agree_with_its_months(monthly: list[int]) -> None:
    curve = Curve(tuple(monthly))
    assert sum(curve.quarterly) == curve.total == curve.cumulative[-1] == curve.cumulative_quarterly[-1]
    assert list(curve.cumulative) == sorted(curve.cumulative)


def test_quarter_progress_compares_the_cumulative_curve_with_the_absorption_targets() -> None:
    from decimal import Decimal

    from renaksi.core.disbursement import quarter_progress

    curve = Curve((100, 0, 0, 0, 0, 300, 0, 0, 250, 0, 0, 350))
    progress = quarter_progress(curve, 1_000)
    assert [(p.cumulative, p.percent, p.target, p.below_target) for p in progress] == [
        (100, Decimal("10.0"), 15, True),
        (400, Decimal("40.0"), 40, False),
        (650, Decimal("65.0"), 60, False),
        (1_000, Decimal("100.0"), 90, False),
    ]
    assert quarter_progress(Curve((1,) + (0,) * 11), 3)[0].percent == Decimal("33.3")
    assert quarter_progress(Curve((2,) + (0,) * 11), 3)[0].percent == Decimal("66.7")
    assert all(p.percent is None and not p.below_target for p in quarter_progress(Curve((0,) * 12), 0))
