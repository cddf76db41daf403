"""The plan checks itself: the lint findings and the import's review flags in a panel beside the
table, each linking to the row it concerns, on a whole plan and on a paged one (the link names
the page). Read from the parsed page, compared with ``renaksi.core.lint`` on the stored plan."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from html_tree import Element, parse
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.core.lint import lint
from renaksi.core.plan_tree import CostState, Indicator, Line
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.services import load_tree, save_tree


def _page(client, plan: Plan, page: int | str | None = None) -> Element:
    response = client.get(
        reverse("planning:plan_detail", args=[plan.pk]), {"halaman": page} if page is not None else {}
    )
    assert response.status_code == 200
    return parse(response)


def _ids(page: Element) -> dict[str, Element]:
    return {element.attrs["id"]: element for element in page.iter() if "id" in element.attrs}


def _items(page: Element) -> list[Element]:
    listing = list(page.iter("ol", id="checks-list"))
    return list(listing[0].iter("li")) if listing else []


def _whole_counts(plan: Plan) -> Counter[str]:
    tree = load_tree(plan)
    counts = Counter(finding.rule for finding in lint(tree))
    flagged = sum(1 for pg in tree.program_goals() if pg.needs_review)
    if flagged:
        counts["needs-review"] = flagged
    return counts


def _panel_counts(page: Element) -> Counter[str]:
    tables = list(page.iter("table", id="checks-rules"))
    if not tables:
        return Counter()
    return Counter(
        {row.attrs["data-rule"]: int(row.find("td").text) for row in tables[0].find("tbody").iter("tr")}
    )


@pytest.mark.django_db
def test_the_seed_plans_page_lists_every_finding_of_its_checks_beside_the_table(client, seed_plan):
    page = _page(client, seed_plan)
    page.find("aside", id="pemeriksaan")
    findings = lint(load_tree(seed_plan))
    items = _items(page)
    # every lint finding, and the one program goal the import flagged for review
    assert len(items) == len(findings) + 1
    assert _panel_counts(page) == _whole_counts(seed_plan)
    assert [item.attrs["data-rule"] for item in items if item.attrs["data-severity"] == "review"] == [
        "needs-review"
    ]
    # the seed's schedule did not survive the PDF: every line is a warning, none an error
    assert Counter(item.attrs["data-rule"] for item in items)["no-month-scheduled"] == 45


@pytest.mark.django_db
def test_each_finding_links_to_the_row_it_concerns(client, seed_plan):
    page = _page(client, seed_plan)
    ids = _ids(page)
    table = page.find("table", id="renaksi-table")
    lines = {line.pk: line for line in SubActivity.objects.of_plan(seed_plan)}
    for item in _items(page):
        link = item.find("a")
        href = link.attrs["href"]
        assert href.startswith("#")
        target = ids[href[1:]]  # an element of this page has that id...
        assert target.is_inside(table)  # ...inside the plan table
        rule = item.attrs["data-rule"]
        if rule == "no-month-scheduled":
            assert target.tag == "tr"
            line = lines[int(target.attrs["data-line-id"])]
            assert line.name in item.text
            assert target.find("td", data_col="line").text == line.name
        elif rule == "needs-review":
            assert target.attrs["data-col"] == "program_goal"
            assert target.has_class("needs-review")
        else:
            assert target.attrs["data-col"] == "indicator"


@pytest.mark.django_db
def test_errors_warnings_and_review_flags_are_told_apart(client, seed_plan):
    line = SubActivity.objects.of_plan(seed_plan).filter(cost_state=CostState.AMOUNT.value).first()
    line.budget_code = ""  # a cost without a budget code is an error
    line.save()
    page = _page(client, seed_plan)
    items = _items(page)
    errors = [item for item in items if item.attrs["data-severity"] == "error"]
    assert [item.attrs["data-rule"] for item in errors] == ["cost-without-code"]
    assert errors[0].has_class("check--error")
    assert errors[0].find("a").attrs["href"] == f"#baris-{line.pk}"
    # errors come first, then the review flag, then the warnings
    order = [item.attrs["data-severity"] for item in items]
    assert order == sorted(order, key=["error", "review", "warning"].index)
    summary = page.find("p", id="checks-summary")
    summary.find("span", data_errors="1")
    summary.find("span", data_reviews="1")
    assert page.find("aside", id="pemeriksaan").has_class("plan-checks--errors")


@pytest.mark.django_db
def test_a_plan_without_findings_says_so(client):
    tree = random_plan(5, 3)
    for line in tree.lines():
        line.months = (1, 2)
    plan = save_tree(find_agency("kpu-kab-boalemo"), 2024, tree, actor=OPERATOR)
    findings = lint(load_tree(plan))
    page = _page(client, plan)
    if findings:  # the seed of the generator decides; this one must be clean
        pytest.fail(f"plan 5/3 has findings: {findings}")
    assert not list(page.iter("ol", id="checks-list"))
    assert page.find("aside", id="pemeriksaan").has_class("plan-checks--clean")


def _paged_tree():
    """A generated plan with something for every rule: a percent target over 100, an indicator
    without target, one without lines, a duplicated line, a code without cost, a flagged goal."""
    tree = random_plan(23, 160)
    indicators = list(tree.indicators())
    indicators[3].target = "120%"
    indicators[10].target = ""
    indicators[-2].lines.append(
        Line(
            name="Rapat ganda",
            activity="Rapat",
            cost=1_000,
            cost_state=CostState.AMOUNT,
            budget_code="3358.EBC",
        )
    )
    indicators[-2].lines.append(
        Line(
            name="Rapat ganda",
            activity="Rapat",
            cost=1_000,
            cost_state=CostState.AMOUNT,
            budget_code="3358.EBC",
        )
    )
    indicators[-5].lines[0].cost_state = CostState.NONE
    indicators[-5].lines[0].cost = None
    indicators[-5].lines[0].budget_code = "3360.EBA.994"
    goal = tree.goals[len(tree.goals) // 2]
    goal.program_goals[0].indicators.append(Indicator(text="Indikator tanpa baris", target="1 Dokumen"))
    goal.program_goals[-1].needs_review = True
    return tree


@pytest.mark.django_db
def test_a_paged_plan_counts_each_rule_over_the_whole_plan_and_links_each_finding_to_its_page(
    client, settings
):
    settings.RENAKSI_PLAN_PAGE_ROWS = 40
    plan = save_tree(find_agency("kpu-kab-boalemo"), 2024, _paged_tree(), actor=OPERATOR)
    whole = _whole_counts(plan)
    assert all(whole[rule] for rule in ("percent-over-100", "indicator-without-target", "duplicate-line"))
    first = _page(client, plan)
    pages = first.find("nav", data_pager="atas")
    count = max(int(link.attrs["data-page"]) for link in pages.iter() if "data-page" in link.attrs)
    # every finding of the whole plan is listed on exactly one page, with the words renaksi check prints
    expected = Counter(
        (finding.rule, str(finding.where), str(finding.message)) for finding in lint(load_tree(plan))
    )
    seen: Counter[tuple[str, str, str]] = Counter()
    for number in range(1, count + 1):
        page = _page(client, plan, number)
        assert _panel_counts(page) == whole
        ids = _ids(page)
        for item in _items(page):
            href = item.find("a").attrs["href"]
            assert href.startswith(f"?halaman={number}#")
            assert href.split("#", 1)[1] in ids  # the row is on the page the link names
            if item.attrs["data-rule"] != "needs-review":
                where, message = item.text.split(" ", 1)[1].split(": ", 1)
                seen[(item.attrs["data-rule"], where, message)] += 1
    assert seen == expected
