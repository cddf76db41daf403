"""The seed plan's page in a real browser (Debian's chromium, Playwright): at 1366x768 the official
table shows every column without scrolling sideways and no recap amount is cut off; a finding of
the checks panel takes the reader to its row; on a phone (390x844) each line is a card with its
name, cost and months."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_TEST, launched
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Browser, Page

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan, SubActivity

USERNAME = "perencana.tabel"
PASSWORD = "kata-sandi-perencana-512"

pytestmark = BROWSER_TEST

# Elements that need horizontal scrolling inside a box, visually hidden text excepted (it is
# clipped to one pixel on purpose, for screen readers).
OVERFLOWING = """(selector) => {
  const box = document.querySelector(selector);
  return [box, ...box.querySelectorAll('*')]
    .filter((el) => !el.closest('.visually-hidden') && el.scrollWidth > el.clientWidth && el.clientWidth > 0)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.scrollWidth}>${el.clientWidth}: ${el.textContent.slice(0, 40)}`);
}"""


@pytest.fixture
def plan(live_server) -> Plan:
    agency = find_agency("kpu-prov-gorontalo")
    seed, _record = commit_import(preview_import(Path(renaksi.cli.SEED_FILE)), agency, 2023, actor=OPERATOR)
    for line in SubActivity.objects.of_plan(seed).order_by("position")[:30]:
        line.schedule_mask = 0b000000111110  # Feb-Jun
        line.save(update_fields=["schedule_mask"])
    planner = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    Membership.objects.create(user=planner, agency=agency, role=Role.PLANNER)
    return seed


@pytest.fixture
def lines(plan) -> list[tuple[str, int]]:
    """The seed's lines (name, months), read before the browser starts."""
    return list(SubActivity.objects.of_plan(plan).order_by("position").values_list("name", "schedule_mask"))


@pytest.fixture
def browser(plan) -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


def _open(browser: Browser, url: str, plan: Plan, width: int, height: int) -> Page:
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url + reverse("accounts:login"))
    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.goto(url + reverse("planning:plan_detail", args=[plan.pk]))
    return page


def test_at_1366x768_the_table_shows_every_column_and_no_recap_amount_is_cut(live_server, plan, browser):
    page = _open(browser, live_server.url, plan, 1366, 768)
    table = page.locator("#renaksi-table")
    table.scroll_into_view_if_needed()
    width = page.evaluate("document.documentElement.clientWidth")
    headers = page.locator("#renaksi-table thead th")
    assert (
        headers.count() == 7 + 1 + 12 + 3
    )  # NO..Rencana Kegiatan, the months' head, 12 months, cost/code/KET
    labels = []
    for index in range(headers.count()):
        header = headers.nth(index)
        box = header.bounding_box()
        assert box is not None
        labels.append(header.inner_text().strip())
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (labels[-1], box, width)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768, (labels[-1], box)
    assert {"PERKIRAAN BIAYA", "AKUN", "KET", "12"} <= set(labels)
    assert page.evaluate(OVERFLOWING, ".table-scroll--plan") == []
    # a cost, a code and a remark of a line are on screen too, not only their headers
    row = page.locator("#renaksi-table tbody tr.has-line").first
    for column in ("cost", "code", "remarks", "month-12"):
        box = row.locator(f'td[data-col="{column}"]').bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, column
    # the recaps: no amount needs scrolling, nor any recap box
    amounts = page.locator(".recap td.num")
    assert amounts.count() > 26
    cut = page.evaluate(
        "() => [...document.querySelectorAll('.recap td.num')]"
        ".filter((td) => td.scrollWidth > td.clientWidth).map((td) => td.textContent)"
    )
    assert cut == []
    for box in ("#recap-levels", "#recap-codes", "#recap-goals"):
        container = page.locator(box).locator("xpath=..")
        assert container.evaluate("(el) => el.scrollWidth <= el.clientWidth"), box
        cell_box = page.locator(f"{box} td.num").last.bounding_box()
        assert cell_box is not None and cell_box["x"] + cell_box["width"] <= width, box


def test_a_finding_of_the_checks_panel_takes_the_reader_to_its_row(live_server, plan, browser):
    page = _open(browser, live_server.url, plan, 1366, 768)
    finding = page.locator('#checks-list li[data-rule="no-month-scheduled"] a').first
    anchor = finding.get_attribute("data-anchor")
    assert anchor
    finding.click()
    row = page.locator(f"#{anchor}")
    assert row.evaluate("(el) => el.matches(':target')")
    box = row.bounding_box()
    assert box is not None and 0 <= box["y"] < 768 and box["y"] + box["height"] > 0
    # the review flag's link goes to the flagged program goal
    review = page.locator('#checks-list li[data-rule="needs-review"] a')
    review.click()
    assert page.locator(f"#{review.get_attribute('data-anchor')}").get_attribute("data-col") == "program_goal"


def test_on_a_phone_each_line_is_a_card_with_its_name_cost_and_months(live_server, plan, lines, browser):
    page = _open(browser, live_server.url, plan, 390, 844)
    assert not page.locator("#renaksi-table").is_visible()
    cards = page.locator("#line-cards li.line-card")
    assert cards.count() == len(lines) == 45
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for index in (0, 1, 29, 30, 44):
        card = cards.nth(index)
        card.scroll_into_view_if_needed()
        name = card.locator(".line-card__name")
        cost = card.locator(".line-card__cost")
        months = card.locator(".line-card__months")
        for part in (name, cost, months):
            assert part.is_visible()
            box = part.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        assert name.inner_text() == " ".join(lines[index][0].split())
        assert cost.inner_text().startswith("Rp ") or cost.inner_text() in {"-", "—"}
        expected = "Feb, Mar, Apr, Mei, Jun" if lines[index][1] else "Belum dijadwalkan"
        assert months.inner_text() == expected
