"""Ceilings against planned cost (renaksi.core.ceilings): at every code level, over is an error and
under a warning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.budget_codes import BudgetCodeError
from renaksi.core.ceilings import (
    EQUAL,
    NO_CEILING,
    OVER,
    UNDER,
    compare_ceilings,
    count_verdicts,
    level_of,
    parse_ceiling_code,
    planned_by_key,
)


def test_a_ceiling_code_may_be_a_kegiatan_alone_or_any_dotted_code() -> None:
    assert parse_ceiling_code("3358").canonical == "3358"
    assert parse_ceiling_code(" 3358.ebc ").canonical == "3358.EBC"
    assert parse_ceiling_code("3358.EBC.954.A").canonical == "3358.EBC.954.A"
    assert [level_of(code) for code in ("3358", "3358.EBC", "3358.EBC.954", "3358.EBC.954.051")] == [
        "kegiatan",
        "kro",
        "ro",
        "komponen",
    ]
    for bad in ("335", "EBC", "3358.EB", "", "3358..EBC"):
        with pytest.raises(BudgetCodeError):
            parse_ceiling_code(bad)


def test_planned_cost_rolls_up_to_every_level_and_the_verdicts_follow() -> None:
    costs = {"3358.EBC.954.A": 700, "3358.EBC.954": 300, "3358.EBA.994": 50, "tidak kode": 9}
    checks = {
        check.code: check
        for check in compare_ceilings(
            costs, {"3358": 1_000, "3358.EBC": 1_000, "3358.EBC.954.A": 800, "6709": 5}
        )
    }
    assert list(checks) == [
        "3358",
        "3358.EBA",
        "3358.EBA.994",
        "3358.EBC",
        "3358.EBC.954",
        "3358.EBC.954.A",
        "6709",
    ]
    assert (checks["3358"].planned, checks["3358"].verdict, checks["3358"].difference) == (1_050, OVER, -50)
    assert checks["3358"].severity == "error"
    assert checks["3358.EBC"].verdict == EQUAL
    assert (checks["3358.EBC.954.A"].verdict, checks["3358.EBC.954.A"].severity) == (UNDER, "warning")
    assert checks["3358.EBC.954"].verdict == NO_CEILING and checks["3358.EBC.954"].planned == 1_000
    assert (checks["6709"].planned, checks["6709"].verdict) == (0, UNDER)
    assert count_verdicts(checks.values()) == {OVER: 1, UNDER: 2, EQUAL: 1, NO_CEILING: 3}


codes = st.sampled_from(
    [
        "3358.EBC",
        "3358.EBC.954",
        "3358.EBC.954.A",
        "3358.EBA.994",
        "6709.QGE.001",
        "6709.QGE.001.C",
        "6871.QGE",
    ]
)


@given(
    st.dictionaries(codes, st.integers(min_value=0, max_value=10**12)),
    st.integers(min_value=-(10**6), max_value=10**6),
)
def test_a_ceiling_at_any_level_gives_over_exactly_when_the_lines_under_it_cost_more(costs, delta) -> None:
    planned = planned_by_key(costs)
    ceilings = {key: max(0, total + delta) for key, total in planned.items()}
    for check in compare_ceilings(costs, ceilings):
        under = sum(cost for code, cost in costs.items() if (code + ".").startswith(check.code + "."))
        assert check.planned == under
        assert check.ceiling is not None
        expected = OVER if under > check.ceiling else UNDER if under < check.ceiling else EQUAL
        assert check.verdict == expected
        assert check.difference == check.ceiling - under
