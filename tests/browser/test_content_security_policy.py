"""A real browser opens the main pages under the Content-Security-Policy the server sends, and
reports every violation: an inline script, style attribute or event handler anywhere in a
template shows up here as a console message and a ``securitypolicyviolation`` event."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from browser_support import BROWSER_TEST, launched
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page

from renaksi.access import OPERATOR
from renaksi.accounts.models import MemberInvitation
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.services import save_tree

USERNAME = "admin.situs"
PASSWORD = "kata-sandi-situs-9051"
HOME = "kpu-kab-boalemo"

pytestmark = BROWSER_TEST

# Recorded by the page itself, from its first script on.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def plan(live_server) -> Plan:
    """An approved, published plan of Boalemo, and a draft whose first line can be edited."""
    agency = find_agency(HOME)
    agency.publishes_plans = True
    agency.save(update_fields=["publishes_plans"])
    plan = save_tree(agency, 2024, random_plan(5, 6), actor=OPERATOR)
    plan.status = Plan.Status.APPROVED
    plan.save(update_fields=["status"])
    draft = save_tree(agency, 2025, random_plan(6, 6), actor=OPERATOR)
    line = SubActivity.objects.system("test: the line to edit").filter(plan=draft).order_by("pk").first()
    assert line is not None
    plan.line_edit_url = reverse("planning:line_edit", args=[draft.pk, line.pk])  # type: ignore[attr-defined]
    get_user_model().objects.create_superuser(USERNAME, password=PASSWORD)
    token = uuid.uuid4().hex
    MemberInvitation.objects.create(
        agency=agency,
        username="orang-baru",
        role="viewer",
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    plan.invitation_url = reverse("accounts:invitation_open", args=[token])  # type: ignore[attr-defined]
    return plan


@pytest.fixture
def browser(plan) -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


def visit(page: Page, url: str, messages: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    assert "content-security-policy" in response.headers, url
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], (url, violations)
    csp_console = [text for text in messages if "Content Security Policy" in text]
    assert csp_console == [], (url, csp_console)


def test_the_main_pages_render_without_a_single_policy_violation(live_server, plan, browser):
    url = live_server.url
    context = browser.new_context(locale="id-ID")
    context.add_init_script(LISTEN)
    page = context.new_page()
    messages: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        messages.append(message.text)

    page.on("console", on_console)

    for anonymous in (
        reverse("portal:index"),
        reverse("portal:plan_detail", args=[plan.pk]),
        "/tidak-ada/",
        plan.invitation_url,  # type: ignore[attr-defined]
        reverse("accounts:login"),
    ):
        visit(page, url + anonymous, messages)

    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(url + reverse("planning:agency_list"))
    pages = [
        reverse("planning:agency_list"),
        reverse("planning:plan_detail", args=[plan.pk]),
        reverse("history:plan_history", args=[plan.pk]),
        reverse("imports:upload", args=[HOME]),
        reverse("manage:agency_list"),
        reverse("manage:members", args=[HOME]),
        reverse("manage:agency_settings", args=[HOME]),
        reverse("manage:agency_create"),
        reverse("manage:reference"),
        reverse("accounts:security"),
        reverse("accounts:password_change"),
        reverse("accounts:invitations"),
        reverse("manage:login_locks"),
        reverse("jobs:list"),
        plan.line_edit_url,  # type: ignore[attr-defined]
    ]
    for path in pages:
        visit(page, url + path, messages)
    # The authenticator setup shows the secret.
    page.goto(url + reverse("accounts:security"))
    page.get_by_role("button", name="Pasang aplikasi autentikator").click()
    page.wait_for_url(url + reverse("accounts:security"))
    assert page.locator("#totp-secret").is_visible()
    visit(page, url + reverse("accounts:security"), messages)
    context.close()
