"""A real browser (Debian's chromium driven by Playwright) against the running app: a planner of
one agency sees only that agency's plans, and an anonymous visitor sees only published ones.

Everything the pages need is created before the browser starts: Playwright's synchronous API runs
an event loop, inside which Django refuses database calls from the test's thread.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_support import BROWSER_TEST, launched
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Browser

from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan
from renaksi.planning.services import save_tree

USERNAME = "perencana.boalemo"
PASSWORD = "kata-sandi-perencana-482"

pytestmark = BROWSER_TEST


def make_plan(agency_code: str, year: int, status: str, *, publishes: bool, seed: int) -> Plan:
    agency = find_agency(agency_code)
    agency.publishes_plans = publishes
    agency.save(update_fields=["publishes_plans"])
    plan = save_tree(agency, year, random_plan(seed, 8), actor=OPERATOR)
    plan.status = status
    plan.save(update_fields=["status"])
    return plan


@pytest.fixture
def plans(live_server) -> dict[str, Plan]:
    """Two plans of Boalemo (which publishes), one of Pohuwato (which does not), and a planner of
    Boalemo."""
    created = {
        "boalemo approved": make_plan("kpu-kab-boalemo", 2024, Plan.Status.APPROVED, publishes=True, seed=1),
        "boalemo draft": make_plan("kpu-kab-boalemo", 2025, Plan.Status.DRAFT, publishes=True, seed=2),
        "pohuwato approved": make_plan(
            "kpu-kab-pohuwato", 2024, Plan.Status.APPROVED, publishes=False, seed=3
        ),
    }
    planner = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    Membership.objects.create(user=planner, agency=find_agency("kpu-kab-boalemo"), role=Role.PLANNER)
    return created


@pytest.fixture
def browser(plans) -> Iterator[Browser]:
    """Chromium, started once the data is written (no database calls while Playwright runs)."""
    with launched() as chromium:
        yield chromium


def test_a_planner_sees_only_their_agency_and_a_visitor_only_published_plans(live_server, plans, browser):
    boalemo_approved = plans["boalemo approved"]
    boalemo_draft = plans["boalemo draft"]
    pohuwato_approved = plans["pohuwato approved"]
    url = live_server.url
    login = url + reverse("accounts:login")
    agency_list = url + reverse("planning:agency_list")
    portal = url + reverse("portal:index")

    # The planner logs in through the real form.
    member = browser.new_context(locale="id-ID")
    page = member.new_page()
    page.goto(login)
    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(agency_list)

    # Only Boalemo, with both of its plans, is on the agency list.
    agencies = page.locator("li[data-agency]")
    assert agencies.evaluate_all("items => items.map(item => item.dataset.agency)") == ["kpu-kab-boalemo"]
    listed = page.locator("tr[data-plan]").evaluate_all("rows => rows.map(row => Number(row.dataset.plan))")
    assert sorted(listed) == sorted([boalemo_approved.pk, boalemo_draft.pk])

    # Boalemo's plan opens; Pohuwato's answers 404 as if it did not exist.
    page.locator(f"tr[data-plan='{boalemo_approved.pk}'] a").click()
    page.wait_for_url(url + reverse("planning:plan_detail", args=[boalemo_approved.pk]))
    assert page.locator("#renaksi-table").is_visible()
    assert page.locator("#jumlah-total").is_visible()
    refused = page.goto(url + reverse("planning:plan_detail", args=[pohuwato_approved.pk]))
    assert refused is not None and refused.status == 404
    assert page.locator("#renaksi-table").count() == 0
    member.close()

    # A visitor without an account, on a phone, sees only the published approved plan.
    visitor = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = visitor.new_page()
    page.goto(portal)
    listed = page.locator("tr[data-plan]").evaluate_all("rows => rows.map(row => Number(row.dataset.plan))")
    assert listed == [boalemo_approved.pk]
    assert page.get_by_role("link", name="Satuan kerja", exact=True).count() == 0
    links = page.locator("a[href]").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    public = (reverse("portal:index"), reverse("accounts:login"), "#")
    assert links and all(link.startswith(public) for link in links), links
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator(f"tr[data-plan='{boalemo_approved.pk}'] a").click()
    page.wait_for_url(url + reverse("portal:plan_detail", args=[boalemo_approved.pk]))
    # On a phone the plan is a card per line, with the grand total under them.
    total = page.locator("#jumlah-total [data-col='cost']").text_content()
    assert total and page.locator(".line-cards__total").is_visible()
    assert total.strip() in page.locator(".line-cards__total").inner_text()
    headers = page.locator("#renaksi-table thead th").all_inner_texts()
    assert "KET" not in headers
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for hidden in (boalemo_draft, pohuwato_approved):
        response = page.goto(url + reverse("portal:plan_detail", args=[hidden.pk]))
        assert response is not None and response.status == 404
    visitor.close()
