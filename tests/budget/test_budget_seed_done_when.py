"""Issue 11's done-when for ceilings and RPD: the seed plan against a generated ceiling table shows
the right over and under per code level, and its RPD sums per month to the plan's cost."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.budget import services
from renaksi.budget.presenters import ceiling_table, costs_by_code, plan_rpd
from renaksi.core.ceilings import level_of, planned_by_key
from renaksi.planning.models import SubActivity

pytestmark = pytest.mark.django_db

SEED_TOTAL = 10_060_818_000  # DESIGN.md §3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_seed_plan_against_a_generated_ceiling_table_shows_the_right_verdict_at_every_level(
    seed_plan, people, seed: int
) -> None:
    chance = random.Random(seed)
    planned = planned_by_key(costs_by_code(seed_plan))
    assert planned["6709"] == 5_374_788_000 and planned["6709.QGE.001"] == 4_698_681_000
    assert sum(total for key, total in planned.items() if "." not in key) == SEED_TOTAL
    expected: dict[str, str] = {}
    for key, total in sorted(planned.items()):
        delta = chance.choice([-1, 0, 1]) * chance.randint(1, 50_000_000)
        amount = max(0, total + delta)
        services.save_ceiling(seed_plan, OPERATOR, code=key, amount=amount)
        expected[key] = "over" if total > amount else "under" if total < amount else "equal"
    assert {level_of(key) for key in expected} == {
        "kegiatan",
        "kro",
        "ro",
        "subkomponen",
    }  # 3358.EBC.954.A: A is a subkomponen
    assert {"over", "under"} <= set(expected.values())

    rows, counts, _depth, hidden = ceiling_table(seed_plan)
    assert hidden == 0
    assert {row.check.code: row.check.verdict for row in rows} == expected
    assert counts["over"] == list(expected.values()).count("over")

    html = people.client("viewer").get(reverse("budget:ceilings", args=[seed_plan.pk])).content.decode()
    shown = dict(re.findall(r'data-code="([^"]+)" data-verdict="([^"]+)"', html))
    assert shown == expected


def test_the_seed_plans_rpd_sums_per_month_to_the_plans_cost(seed_plan, people) -> None:
    chance = random.Random(11)
    lines = list(SubActivity.objects.of_plan(seed_plan).order_by("position"))
    # The seed's month cells are empty (the shading was lost): until months are given, every line
    # with a cost is reported, none guessed.
    before = plan_rpd(seed_plan)
    assert before.total.total == 0 and len(before.issues) == 37
    for line in lines:
        line.schedule_mask = chance.randint(1, 4095)
        line.save(update_fields=["schedule_mask"])
    hand = next(line for line in lines if line.cost)
    row = [0] * 12
    row[5], row[11] = hand.cost - hand.cost // 3, hand.cost // 3
    services.save_line_disbursement(seed_plan, people.planner, hand.pk, row)

    rpd = plan_rpd(seed_plan)
    assert rpd.issues == ()
    assert rpd.planned_cost == rpd.total.total == rpd.total.cumulative[-1] == SEED_TOTAL
    assert sum(rpd.total.monthly) == SEED_TOTAL and sum(rpd.total.quarterly) == SEED_TOTAL
    for placed in rpd.lines:
        assert sum(placed.amounts) == (placed.line.cost or 0)
    kegiatan = [curve for key, curve in rpd.by_code.items() if "." not in key]
    for month in range(12):
        assert sum(curve.monthly[month] for curve in kegiatan) == rpd.total.monthly[month]
    assert rpd.lines[[p.line.line_id for p in rpd.lines].index(hand.pk)].amounts == tuple(row)

    html = people.client("viewer").get(reverse("budget:rpd", args=[seed_plan.pk])).content.decode()
    assert "Rp 10.060.818.000" in html
