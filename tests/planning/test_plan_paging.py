"""The plan page of a big plan, a page of rows at a time: structure, never timing (that is
``bench/bench_plan_page.py``). The page size is set small so a plan of a few hundred lines has
many pages; the whole plan printed at once (a page size bigger than the plan) is the reference."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import renaksi.cli
from html_tree import Element, parse
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, ProgramGoal
from renaksi.core.table import plan_totals, table_rows
from renaksi.imports import presenters as import_presenters
from renaksi.imports.models import PendingImport
from renaksi.imports.sample import random_plan
from renaksi.imports.services import preview_import
from renaksi.imports.uploads import PendingPreview
from renaksi.planning import paging
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree, save_tree

PAGE = 40
MERGED = {"no": "goal", "goal": "goal", "program_goal": "program_goal", "indicator": "indicator"}
MERGED |= {"target": "indicator", "activity": "activity"}


def _tree(seed: int = 11, lines: int = 300):
    """A generated plan, plus what generated plans lack: a group without a goal header after the
    first goal, a goal with nothing under it, and an indicator without lines."""
    tree = random_plan(seed, lines)
    lonely = ProgramGoal(
        text="Terlaksananya layanan tanpa judul sasaran",
        needs_review=True,
        review_note="no strategic goal header",
        indicators=[
            Indicator(
                text="Persentase layanan tanpa baris", target="100%", activities=["Layanan Arsip Khusus"]
            ),
            Indicator(
                text="Jumlah dokumen tanpa sasaran",
                target="2 Dokumen",
                lines=[
                    Line(
                        name="Rapat arsip khusus",
                        activity="Layanan Arsip Khusus",
                        cost=2_500_000,
                        cost_state=CostState.AMOUNT,
                        budget_code="3358.EBC.954.A",
                    )
                ],
                activities=["Layanan Arsip Khusus"],
            ),
        ],
    )
    tree.goals.insert(1, Goal(number=None, text="", program_goals=[lonely]))
    tree.goals.append(Goal(number="99", text="Sasaran tanpa isi"))
    return tree


@pytest.fixture
def big_plan(db, settings) -> Plan:
    settings.RENAKSI_PLAN_PAGE_ROWS = PAGE
    return save_tree(find_agency("kpu-kab-boalemo"), 2024, _tree(), actor=OPERATOR)


def _get(client, plan: Plan, page: int | str | None = None, prefix: str = "") -> Element:
    url = prefix + reverse("planning:plan_detail", args=[plan.pk])
    response = client.get(url, {"halaman": page} if page is not None else {})
    assert response.status_code == 200
    return parse(response)


def _rows(page: Element) -> list[Element]:
    return [row for row in page.iter("tr") if row.has_class("plan-row")]


def _cells(row: Element) -> dict[str, Element]:
    return {cell.attrs["data-col"]: cell for cell in row.iter("td") if "data-col" in cell.attrs}


def _pages(client, plan: Plan) -> list[Element]:
    first = _get(client, plan)
    count = int(first.find("input", id="halaman-atas").attrs["max"])
    return [first] + [_get(client, plan, number) for number in range(2, count + 1)]


def _whole(client, plan: Plan, settings) -> Element:
    settings.RENAKSI_PLAN_PAGE_ROWS = 100_000
    try:
        return _get(client, plan)
    finally:
        settings.RENAKSI_PLAN_PAGE_ROWS = PAGE


def _check_grid(table: Element, width: int) -> None:
    """Every body row, with the cells merged into it from above, fills exactly ``width`` columns,
    and no merged cell runs out of its section (so none runs past the page)."""
    for section in table.iter("tbody"):
        covered: dict[int, int] = {}
        for offset, tr in enumerate(section.iter("tr")):
            columns = covered.pop(offset, 0)
            for cell in tr.children:
                if not isinstance(cell, Element) or cell.tag not in ("td", "th"):
                    continue
                colspan, rowspan = int(cell.attrs.get("colspan", "1")), int(cell.attrs.get("rowspan", "1"))
                columns += colspan
                for below in range(offset + 1, offset + rowspan):
                    covered[below] = covered.get(below, 0) + colspan
            assert columns == width, (section.attrs, offset, columns)
        assert not covered, f"a merged cell runs past the end of {section.attrs}"


@pytest.mark.django_db
def test_a_plan_bigger_than_a_page_is_shown_a_bounded_page_of_rows_with_navigation(client, big_plan):
    rows = len(table_rows(load_tree(big_plan)))
    page = _get(client, big_plan)

    assert len(_rows(page)) == PAGE
    pagers = [nav for nav in page.iter("nav") if nav.has_class("pager")]
    assert [nav.attrs["data-pager"] for nav in pagers] == ["atas", "bawah"]
    links = {a.attrs["data-page"]: a.attrs["href"] for a in pagers[0].iter("a")}
    last = math.ceil(rows / PAGE)
    assert links[str(last)] == f"?halaman={last}" and links["2"] == "?halaman=2"
    assert pagers[0].find("span", aria_current="page").attrs["data-page"] == "1"
    assert pagers[0].find("form").attrs["method"] == "get"  # works without JavaScript


@pytest.mark.django_db
def test_every_row_and_every_line_is_on_exactly_one_page_in_printed_order(client, big_plan):
    tree = load_tree(big_plan)
    pages = _pages(client, big_plan)

    indices = [int(row.attrs["data-row"]) for page in pages for row in _rows(page)]
    line_ids = [
        int(row.attrs["data-line-id"]) for page in pages for row in _rows(page) if "data-line-id" in row.attrs
    ]
    assert indices == list(range(len(table_rows(tree))))
    assert line_ids == [line.key for line in tree.lines()]
    assert all(len(_rows(page)) <= PAGE for page in pages)


@pytest.mark.django_db
def test_the_pages_print_what_the_whole_table_prints_with_cut_cells_repeated_and_marked(
    client, big_plan, settings
):
    whole = {row.attrs["data-row"]: _cells(row) for row in _rows(_whole(client, big_plan, settings))}
    full_rows = table_rows(load_tree(big_plan))
    continued = 0
    for page in _pages(client, big_plan):
        rows = _rows(page)
        _check_grid(page.find("table", id="renaksi-table"), 22)
        last = int(rows[-1].attrs["data-row"])
        for position, row in enumerate(rows):
            index = int(row.attrs["data-row"])
            cells = _cells(row)
            for column, cell in cells.items():
                if "data-continued" in cell.attrs:
                    assert position == 0, (index, column)  # only a page's first row repeats a cell
                    assert getattr(full_rows[index], f"{MERGED[column]}_span") == 0
                    assert cell.text.startswith("(lanjutan dari halaman sebelumnya)")
                    continued += 1
                else:
                    assert cell.text == whole[str(index)][column].text, (index, column)
                    expected = min(int(whole[str(index)][column].attrs["rowspan"]), last - index + 1)
                    assert int(cell.attrs["rowspan"]) == expected, (index, column)
            if position:  # a cell the whole table merges from above is merged from above here too
                assert set(cells) == set(whole[str(index)]), index
    assert continued > 0


@pytest.mark.django_db
def test_each_goal_subtotal_closes_the_page_its_last_row_is_on(client, big_plan):
    totals = plan_totals(load_tree(big_plan))
    pages = _pages(client, big_plan)
    subtotals = [
        (number, row.attrs["data-subtotal"], row.find("td", data_col="cost").text)
        for number, page in enumerate(pages, 1)
        for row in page.iter("tr")
        if row.has_class("subtotal")
    ]

    assert [(s[1], s[2]) for s in subtotals] == [
        (goal.number or "", format_rupiah(total)) for goal, total in totals.by_goal
    ]
    grand = [number for number, page in enumerate(pages, 1) for row in page.iter("tr", id="jumlah-total")]
    assert grand == [len(pages)]
    for number, page in enumerate(pages, 1):
        sections = list(page.find("table", id="renaksi-table").iter("tbody"))
        for section in sections:
            closing = [
                row for row in section.iter("tr") if row.has_class("subtotal") or row.has_class("continues")
            ]
            assert len(closing) == 1
            goes_on = (
                section is sections[-1]
                and number < len(pages)
                and "data-continued" in _cells(_rows(pages[number])[0])["no"].attrs
            )
            assert closing[0].has_class("continues") == goes_on


@pytest.mark.django_db
def test_every_page_shows_the_whole_plans_totals_and_figures(client, big_plan, settings):
    tree = load_tree(big_plan)
    totals = plan_totals(tree)
    whole = _whole(client, big_plan, settings)
    whole_figures = {
        div.find("dt").text: div.find("dd").text
        for div in whole.find("dl", **{"class": "figure-list"}).iter("div")
    }
    for page in (_get(client, big_plan), _get(client, big_plan, 3), _get(client, big_plan, "terakhir")):
        index = page.find("table", id="goal-index")
        entries = [
            (next(row.iter("td")).text, row.find("td", data_col="cost").text)
            for row in index.find("tbody").iter("tr")
        ]
        assert entries == [(goal.number or "", format_rupiah(total)) for goal, total in totals.by_goal]
        assert index.find("tfoot").find("td", data_col="cost").text == format_rupiah(totals.grand_total)
        figures = {
            div.find("dt").text: div.find("dd").text
            for div in page.find("dl", **{"class": "figure-list"}).iter("div")
        }
        assert figures == whole_figures
        recap = page.find("table", id="recap-codes")
        shown = [next(row.iter("td")).text for row in recap.find("tbody").iter("tr")]
        assert len(shown) <= 51
        amounts = [int(text.removeprefix("Rp ").replace(".", "")) for text in shown]
        assert sum(amounts) == sum(totals.by_code.values())
        levels = page.find("table", id="recap-levels")
        level_amounts = [
            int(row.find("td", **{"class": "num"}).text.removeprefix("Rp ").replace(".", ""))
            for row in levels.find("tbody").iter("tr")
        ]
        assert sum(level_amounts) == sum(totals.by_code.values())


@pytest.mark.django_db
def test_the_goal_index_links_each_goal_to_the_page_its_first_row_is_on(client, big_plan):
    index = _get(client, big_plan).find("table", id="goal-index")
    for entry in index.find("tbody").iter("tr"):
        link = entry.find("a")
        number, anchor = link.attrs["href"].removeprefix("?halaman=").split("#")
        page = _get(client, big_plan, number)
        section = page.find("tbody", id=anchor)
        first = next(row for row in section.iter("tr") if row.has_class("plan-row"))
        assert "data-continued" not in _cells(first).get("goal", first).attrs  # the goal starts here
        assert _cells(first)["no"].text == next(entry.iter("td")).text


@pytest.mark.django_db
@pytest.mark.parametrize(("asked", "shown"), [("0", 1), ("x", 1), ("999", "last"), ("-3", 1)])
def test_a_page_number_out_of_range_shows_the_nearest_page(client, big_plan, asked, shown):
    count = int(_get(client, big_plan).find("input", id="halaman-atas").attrs["max"])
    page = _get(client, big_plan, asked)

    current = page.find("nav", data_pager="atas").find("span", aria_current="page")
    assert current.attrs["data-page"] == str(count if shown == "last" else shown)


@pytest.mark.django_db
def test_the_line_list_holds_the_lines_of_the_page_numbered_among_all_lines(client, big_plan):
    lines = list(load_tree(big_plan).lines())
    page = _get(client, big_plan, 2)
    on_page = [int(row.attrs["data-line-id"]) for row in _rows(page) if "data-line-id" in row.attrs]
    listed = next(element for element in page.iter("details") if element.has_class("plan-lines"))
    numbers = [int(next(row.iter("td")).text) for row in listed.find("tbody").iter("tr")]

    assert [lines[n - 1].key for n in numbers] == on_page


@pytest.mark.django_db
def test_a_paged_plan_page_needs_the_same_number_of_queries_whatever_its_size(client, settings):
    settings.RENAKSI_PLAN_PAGE_ROWS = PAGE
    counts = []
    for year, lines in ((2024, 200), (2025, 900)):
        plan = save_tree(find_agency("kpu-kab-pohuwato"), year, random_plan(year, lines), actor=OPERATOR)
        with CaptureQueriesContext(connection) as captured:
            _get(client, plan, 3)
        counts.append(len(captured))
    # 22: with the checks' counts (indicators per program goal, targets, repeated lines) and the
    # reference names of the recaps' codes.
    assert counts[0] == counts[1] and counts[0] <= 22, counts


@pytest.mark.django_db
def test_a_plan_of_at_most_a_page_of_lines_is_not_paged(client, settings):
    settings.RENAKSI_PLAN_PAGE_ROWS = PAGE
    plan = save_tree(find_agency("kpu-kab-pohuwato"), 2024, random_plan(3, PAGE), actor=OPERATOR)
    page = _get(client, plan)

    assert not [nav for nav in page.iter("nav") if nav.has_class("pager")]
    assert Counter(row.has_class("has-line") for row in _rows(page))[True] == PAGE
    assert page.find("tr", id="jumlah-total")


@pytest.mark.django_db
def test_a_tree_in_hand_is_paged_as_the_database_pages_it(big_plan):
    """The import preview pages the tree it holds (paging.tree_plan_page); the plan page reads
    the page from the database. Same rows, cells, sections, pager, index and totals."""
    tree = load_tree(big_plan)
    count = math.ceil(len(table_rows(tree)) / PAGE)
    for number in sorted({1, 2, count // 2, count}):
        from_tree = paging.tree_plan_page(big_plan, tree, str(number))
        from_database = paging.database_plan_page(big_plan, str(number))
        assert from_tree.sections == from_database.sections, number
        assert from_tree.pager == from_database.pager, number
        assert from_tree.goal_index == from_database.goal_index
        assert from_tree.figures == from_database.figures
        assert (from_tree.code_totals, from_tree.code_rest) == (
            from_database.code_totals,
            from_database.code_rest,
        )
        assert (from_tree.code_levels, from_tree.level_rest) == (
            from_database.code_levels,
            from_database.level_rest,
        )
        assert from_tree.grand_total == from_database.grand_total
        assert from_tree.flagged_program_goals == from_database.flagged_program_goals


@pytest.mark.django_db
def test_the_import_preview_of_a_big_plan_is_paged_and_its_notes_link_to_their_rows_pages(settings):
    """The seed (47 rows) with a page of 10 rows: five pages; each judgement and unplaced cell
    names the page its row is on and is marked on that page only."""
    settings.RENAKSI_PLAN_PAGE_ROWS = 10
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    pending = PendingImport(agency=find_agency("kpu-prov-gorontalo"), year=2023, filename="seed.txt")
    held = PendingPreview(preview.tree, preview.tree, preview.report, [])
    notes = []
    for number in range(1, 6):
        page = import_presenters.preview_page(pending, held, None, str(number))
        assert page.table.pager is not None and page.table.pager.number == number
        rows = [row for section in page.table.sections for row in section.rows]
        assert len(rows) <= 10
        marked = {mark.anchor for row in rows for mark in row.marks}
        notes = page.report.judgements + page.report.unplaced
        on_page = {note.anchor for note in notes if note.table_page == number}
        assert marked == on_page
        html = render_to_string(
            "imports/_import_report.html", {"report": page.report, "marked": True, "heading_id": "h"}
        )
        for note in notes:
            if note.row is not None:
                assert note.table_page == note.row // 10 + 1
                assert f'href="?halaman={note.table_page}#{note.anchor}-di-tabel"' in html
    assert any(note.row is not None for note in notes)
