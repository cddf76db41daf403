"""The plan page's recaps (totals per strategic goal, per budget code at every level, with the
codes' names from the reference table) and its per-line view for phones, read from the parsed
page and checked against sums the database makes of the stored lines."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.db.models import Sum
from django.urls import reverse

from html_tree import Element, parse
from renaksi.access import OPERATOR
from renaksi.agencies.models import BudgetCodeName
from renaksi.agencies.services import find_agency
from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.money import format_rupiah
from renaksi.core.schedule import MONTH_ABBR_ID, Schedule
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan, StrategicGoal, SubActivity
from renaksi.planning.services import save_tree


def _page(client, plan: Plan) -> Element:
    response = client.get(reverse("planning:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return parse(response)


def _amount(text: str) -> int:
    return int(text.removeprefix("Rp ").replace(".", ""))


@pytest.fixture
def generated_plan(db) -> Plan:
    return save_tree(find_agency("kpu-kab-boalemo"), 2024, random_plan(31, 150), actor=OPERATOR)


@pytest.mark.django_db
def test_the_recaps_name_each_code_from_the_reference_table(client, seed_plan):
    for code, level, name in [
        ("3358", "kegiatan", "Dukungan Manajemen SDM"),
        ("EBC", "kro", "Layanan Manajemen SDM Internal"),
        ("3358.EBC.954", "ro", "Layanan Manajemen SDM"),
        ("6709.QGE.001", "ro", "Perencanaan Pemilu"),
    ]:
        BudgetCodeName.objects.create(code=code, level=level, name=name)
    page = _page(client, seed_plan)
    levels = page.find("table", id="recap-levels")

    def named(prefix: str) -> str:
        return levels.find("tr", data_prefix=prefix).find("td", **{"class": "code-name"}).text

    assert named("3358") == "Dukungan Manajemen SDM"
    assert named("3358.EBC") == "Layanan Manajemen SDM Internal"  # a KRO is named alone
    assert named("3358.EBC.954") == "Layanan Manajemen SDM"
    assert named("3358.EBC.954.A") == ""  # no name loaded: none made up
    assert levels.find("tr", data_prefix="3358.EBC.954").find("td", **{"class": "level"}).text == "RO"
    codes = page.find("table", id="recap-codes")
    row = codes.find("tr", data_code="6709.QGE.001")
    assert row.find("span", **{"class": "code-name"}).text == "Perencanaan Pemilu"
    assert row.find("td").text == "Rp 4.698.681.000"


@pytest.mark.django_db
def test_totals_per_code_level_equal_the_sum_of_the_stored_lines(client, generated_plan):
    expected: dict[str, int] = defaultdict(int)
    for code, cost in (
        SubActivity.objects.of_plan(generated_plan).exclude(budget_code="").values_list("budget_code", "cost")
    ):
        try:
            keys = parse_budget_code(code).rollup_keys()
        except BudgetCodeError:
            keys = [code]
        for key in keys:
            expected[key] += cost or 0
    page = _page(client, generated_plan)
    rows = list(page.find("table", id="recap-levels").find("tbody").iter("tr"))
    shown = {row.attrs["data-prefix"]: _amount(row.find("td", **{"class": "num"}).text) for row in rows}
    assert shown == dict(expected)
    levels = {row.find("td", **{"class": "level"}).text for row in rows}
    assert {"Kegiatan", "KRO", "RO", "Komponen", "Subkomponen"} <= levels
    # each Kegiatan's total is the sum of its KRO's
    for prefix, total in shown.items():
        if "." not in prefix and prefix.isdigit():
            children = [t for p, t in shown.items() if p.count(".") == 1 and p.startswith(prefix + ".")]
            assert sum(children) == total


@pytest.mark.django_db
def test_totals_per_strategic_goal_equal_the_sum_of_their_lines(client, generated_plan):
    page = _page(client, generated_plan)
    rows = list(page.find("table", id="recap-goals").find("tbody").iter("tr"))
    goals = StrategicGoal.objects.of_plan(generated_plan).order_by("position")
    shown = {row.attrs["data-goal-number"]: _amount(row.find("td", **{"class": "num"}).text) for row in rows}
    for goal in goals:
        lines = SubActivity.objects.of_plan(generated_plan).filter(
            indicator__program_goal__strategic_goal=goal
        )
        assert shown[goal.number] == (lines.aggregate(total=Sum("cost"))["total"] or 0)
    ids = {element.attrs["id"] for element in page.iter() if "id" in element.attrs}
    for row in rows:
        assert row.find("a").attrs["href"][1:] in ids  # linked to the goal's subtotal row
    total = page.find("table", id="recap-goals").find("tfoot").find("td").text
    assert _amount(total) == SubActivity.objects.of_plan(generated_plan).aggregate(total=Sum("cost"))["total"]


@pytest.mark.django_db
def test_the_phone_view_has_a_card_per_line_with_its_name_cost_and_months(client, generated_plan):
    page = _page(client, generated_plan)
    cards = list(page.find("div", id="line-cards").iter("li", **{"class": "line-card"}))
    lines = list(SubActivity.objects.of_plan(generated_plan).order_by("position"))
    assert len(cards) == len(lines)
    by_id = {int(card.attrs["data-line-id"]): card for card in cards}
    for line in lines:
        card = by_id[line.pk]
        assert card.find("p", **{"class": "line-card__name"}).text == " ".join(line.name.split())
        cost = card.find("dd", **{"class": "line-card__cost num"}).text
        assert cost == (
            format_rupiah(line.cost) if line.cost is not None else ("-" if line.cost_state == "none" else "—")
        )
        months = [MONTH_ABBR_ID[m - 1] for m in Schedule(line.schedule_mask).months]
        shown = next(dd for dd in card.iter("dd") if dd.has_class("line-card__months")).text
        assert shown == (", ".join(months) if months else "Belum dijadwalkan")
