"""A planner enters ceilings in a real browser (Debian's chromium, Playwright) and sees the verdict
per code level, then opens the RPD chart: at 1366x768, with no CSP violation on the way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_TEST, launched
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Browser, expect

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan, SubActivity

USERNAME = "perencana.pagu"
PASSWORD = "kata-sandi-perencana-731"

pytestmark = BROWSER_TEST


@pytest.fixture
def plan(live_server) -> Plan:
    agency = find_agency("kpu-prov-gorontalo")
    seed, _record = commit_import(preview_import(Path(renaksi.cli.SEED_FILE)), agency, 2023, actor=OPERATOR)
    for line in SubActivity.objects.of_plan(seed):
        line.schedule_mask = 0b111000111000  # Apr-Jun and Okt-Des
        line.save(update_fields=["schedule_mask"])
    planner = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    Membership.objects.create(user=planner, agency=agency, role=Role.PLANNER)
    return seed


@pytest.fixture
def browser(plan) -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


def test_a_planner_enters_ceilings_and_sees_over_and_under_then_the_rpd_chart(live_server, plan, browser):
    url = live_server.url
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(url + reverse("accounts:login"))
    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(url + reverse("planning:agency_list"))

    page.goto(url + reverse("planning:plan_detail", args=[plan.pk]))
    page.get_by_role("link", name="Pagu & RPD").click()
    page.wait_for_url(url + reverse("budget:ceilings", args=[plan.pk]))

    # By keyboard: the code field, then Tab to the description and the amount, Enter to save.
    page.get_by_label("Kode", exact=True).fill("6709")
    page.keyboard.press("Tab")
    page.keyboard.type("DIPA 2023")
    page.keyboard.press("Tab")
    page.keyboard.type("Rp 6.000.000.000")
    page.keyboard.press("Enter")
    page.wait_for_url(url + reverse("budget:ceilings", args=[plan.pk]))
    row = page.locator('tr[data-code="6709"]')
    expect(row).to_have_attribute("data-verdict", "under")
    expect(row).to_contain_text("Di bawah pagu")
    expect(row).to_contain_text("Rp 5.374.788.000")

    page.get_by_label("Kode", exact=True).fill("6709.QGE.001")
    page.get_by_label("Pagu (Rp)").fill("4.000.000.000")
    page.get_by_role("button", name="Simpan pagu").click()
    over = page.locator('tr[data-code="6709.QGE.001"]')
    expect(over).to_have_attribute("data-verdict", "over")
    expect(over).to_contain_text("Melebihi pagu")
    expect(page.locator("#ceiling-summary")).to_contain_text("1 kode melebihi pagu")
    box = over.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366, "the ceiling row fits the screen"

    page.get_by_role("link", name="RPD (rencana penarikan dana)").click()
    page.wait_for_url(url + reverse("budget:rpd", args=[plan.pk]))
    expect(page.locator("figure.rpd-chart svg")).to_be_visible()
    expect(page.locator("#rpd-summary")).to_contain_text("jumlah RPD Rp 10.060.818.000")
    assert page.locator("figure.rpd-chart rect").count() == 12

    # A line's RPD by hand: the months must add up to its cost, else the line is named.
    page.locator("details.rpd-lines summary").click()
    page.locator("details.rpd-lines tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="RPD baris rencana kegiatan")).to_be_visible()
    page.get_by_label("Januari").fill("1")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".messages")).to_contain_text("tidak sama dengan perkiraan biaya")

    # The ceiling file: preview, then save; the page shows the file's ceilings.
    page.goto(url + reverse("budget:ceilings", args=[plan.pk]))
    page.get_by_label("Berkas pagu (CSV atau XLSX)").set_input_files(
        {
            "name": "pagu.csv",
            "mimeType": "text/csv",
            "buffer": b"kode;uraian;pagu\n6709;DIPA;6.000.000.000\n3360;;1\n",
        }
    )
    page.get_by_role("button", name="Pratinjau impor").click()
    expect(page.locator("#ceiling-import-counts")).to_contain_text("1 ditambah, 1 diubah, 1 dihapus, 0 tetap")
    page.get_by_role("button", name="Simpan pagu dari berkas ini").click()
    expect(page.locator('tr[data-code="3360"]')).to_have_attribute("data-verdict", "over")
    expect(page.locator('tr[data-code="6709.QGE.001"]')).to_have_attribute("data-verdict", "no_ceiling")
    assert violations == []
    context.close()
