"""A planner builds next year's plan in a real browser (Debian's chromium, Playwright), at 1366x768
and with no CSP violation: the 2024 plan as a copy of the 2023 seed, a new goal, the flagged
program goal moved under it, an indicator with target "80 - 90%" (its reading shown as typed), a
line scheduled over three months by keyboard, and a cost changed; then the whole cycle: the
planner submits, the approver approves, the approved plan's PDF carries the approval, the planner
opens a revision with a reason, changes a line and sees the diff of the two versions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from browser_support import BROWSER_TEST, launched
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.history.models import HistoryEvent
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning import models as m

USERNAME = "perencana.susun"
PASSWORD = "kata-sandi-perencana-842"
FLAGGED = "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum"
NEW_GOAL = "Terwujudnya Tata Kelola Hukum yang Tertib"
NEW_INDICATOR = "Persentase produk hukum yang terpublikasi"
NEW_LINE = "Rapat koordinasi JDIH"
APPROVER, APPROVER_PASSWORD = "penyetuju.siklus", "kata-sandi-penyetuju-517"

pytestmark = BROWSER_TEST


@pytest.fixture
def seed(live_server) -> m.Plan:
    agency = find_agency("kpu-prov-gorontalo")
    plan, _record = commit_import(preview_import(Path(renaksi.cli.SEED_FILE)), agency, 2023, actor=OPERATOR)
    planner = get_user_model().objects.create_user(USERNAME, password=PASSWORD, first_name="Rina")
    Membership.objects.create(user=planner, agency=agency, role=Role.PLANNER)
    approver = get_user_model().objects.create_user(APPROVER, password=APPROVER_PASSWORD, first_name="Budi")
    Membership.objects.create(user=approver, agency=agency, role=Role.APPROVER)
    return plan


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url + reverse("accounts:login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(url + reverse("planning:agency_list"))


def program_item(page: Page, text: str):
    return page.locator(f"li.outline__item--program:has(> .outline__head h3:text-is('{text}'))")


def added_here(page: Page):
    """The object the page came back at (the redirect after a save names it: #indikator-12)."""
    page.wait_for_url("**/susun/#*")
    return page.locator("#" + page.url.rsplit("#", 1)[1])


def test_a_planner_builds_next_years_plan_and_takes_it_through_approval_and_a_revision(live_server, seed):
    url = live_server.url
    violations: list[str] = []
    with launched() as chromium:
        context = chromium.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        log_in(page, url, USERNAME, PASSWORD)

        # The 2024 plan as a copy of 2023: from the plan page to the editor, then "Buat rencana baru".
        page.goto(url + reverse("planning:plan_detail", args=[seed.pk]))
        page.get_by_role("link", name="Susun rencana").click()
        page.wait_for_url(url + reverse("editor:editor", args=[seed.pk]))
        page.get_by_role("link", name="Buat rencana baru").click()
        expect(page.get_by_label("Salinan rencana yang ada (target dan jadwal ikut)")).to_be_checked()
        expect(page.get_by_label("Tahun")).to_have_value("2024")
        page.get_by_role("button", name="Buat rencana").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Rencana Aksi 2024")
        expect(page.locator(".editor__counts")).to_contain_text("45 rencana kegiatan")

        # A new goal (its number suggested: the seed's goals are 1, 2, 6, 7).
        page.get_by_text("Tambah sasaran strategis", exact=True).click()
        expect(page.get_by_label("Nomor", exact=True).last).to_have_value("8")
        page.locator("#sasaran-baru").get_by_label("Sasaran strategis").fill(NEW_GOAL)
        page.locator("#sasaran-baru").get_by_role("button", name="Tambah").click()
        expect(page.locator("h2.outline__title", has_text=NEW_GOAL)).to_have_text(f"8. {NEW_GOAL}")

        # The flagged program goal without a goal, moved under it: the flag is gone.
        flagged = program_item(page, FLAGGED)
        expect(flagged).to_contain_text("Perlu ditinjau")
        flagged.locator("> form.outline__move select").select_option(label=f"8. {NEW_GOAL}")
        flagged.locator("> form.outline__move").get_by_role("button", name="Pindahkan").click()
        expect(page.get_by_text("(tanpa sasaran strategis)")).to_have_count(0)
        goal = page.locator("li.outline__item--goal", has=page.locator("h2", has_text=NEW_GOAL))
        moved = goal.locator("li.outline__item--program", has=page.locator("h3", has_text=FLAGGED))
        expect(moved).to_be_visible()
        expect(moved).not_to_contain_text("Perlu ditinjau")

        # An indicator with a range target: the reading shows as it is typed.
        moved.get_by_role("link", name="Tambah indikator").click()
        page.get_by_label("Indikator kinerja").fill(NEW_INDICATOR)
        page.get_by_label("Target").press_sequentially("80 - 90%")
        expect(page.locator("output.reading")).to_have_text("rentang 80 sampai 90 persen")
        page.get_by_role("button", name="Tambah").click()
        indicator = added_here(page)  # the page comes back at what was added
        expect(indicator.locator("h4")).to_contain_text(NEW_INDICATOR)
        expect(indicator).to_contain_text("80 - 90% (rentang 80 sampai 90 persen)")

        # A line under it, scheduled Jan-Mar by keyboard (Space toggles, the arrows walk the grid).
        indicator.get_by_role("link", name="Tambah rencana kegiatan").click()
        page.get_by_label("Rencana kegiatan").fill(NEW_LINE)
        page.get_by_label("Jan").focus()
        for key in ("Space", "ArrowRight", "Space", "ArrowRight", "Space"):
            page.keyboard.press(key)
        expect(page.get_by_label("Mar")).to_be_focused()
        page.get_by_label("Perkiraan biaya (Rp)").press_sequentially("8.378.000")
        expect(page.locator("output.reading").first).to_have_text("Rp 8.378.000")
        page.get_by_label("Akun (kode anggaran)").press_sequentially("6638.QGE")
        expect(page.locator("output.reading").last).to_contain_text("6638")
        page.get_by_role("button", name="Tambah").click()
        line = added_here(page)
        expect(line).to_contain_text(NEW_LINE)
        expect(indicator.locator("li.outline__item--line")).to_have_count(1)

        # A cost changed on the new line; an ambiguous one is refused naming the field as typed.
        line.get_by_role("link", name="Ubah").click()
        expect(page.get_by_label("Perkiraan biaya (Rp)")).to_have_value("8.378.000")
        cost = page.get_by_label("Perkiraan biaya (Rp)")
        cost.fill("")
        cost.press_sequentially("1.5")
        expect(page.locator("output.reading").first).to_contain_text("Perkiraan biaya tidak dapat dibaca")
        cost.fill("12.500.000")
        page.get_by_role("button", name="Simpan").click()
        expect(page.locator(".messages")).to_contain_text("Tersimpan")
        plan_url = page.url.split("/susun/")[0] + "/"

        # Submitted, once the check's warnings are acknowledged.
        page.goto(plan_url)
        page.get_by_label("Saya sudah membaca peringatan pemeriksaan rencana").check()
        page.get_by_role("button", name="Ajukan untuk persetujuan").click()
        expect(page.locator(".messages")).to_contain_text("diajukan")

        # The approver approves it; its PDF carries the approval.
        approving = chromium.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
        approver = approving.new_page()
        log_in(approver, url, APPROVER, APPROVER_PASSWORD)
        approver.goto(plan_url)
        approver.get_by_role("button", name="Setujui rencana").click()
        expect(approver.locator(".messages")).to_contain_text("disetujui")
        pdf = approving.request.get(plan_url + "unduh/pdf/")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        printed = " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.body())).pages
        )
        assert "Versi 1 · Disetujui oleh Budi" in printed, printed[-600:]
        approving.close()

        # The planner opens a revision with its reason, changes the line, and sees the diff.
        page.goto(plan_url)
        page.get_by_role("link", name="Buka revisi").click()
        page.get_by_label("Alasan revisi").fill("Revisi Anggaran")
        page.get_by_role("button", name="Buka revisi").click()
        page.goto(plan_url)
        page.get_by_text("Ubah baris rencana kegiatan").click()
        page.get_by_role("link", name=f"Ubah {NEW_LINE}").click()
        cost = page.get_by_label("Perkiraan biaya (Rp)")
        cost.fill("15.000.000")
        page.get_by_role("button", name="Simpan").click()
        page.goto(plan_url + "versi/")
        page.get_by_label("Dari versi").select_option("1")
        page.get_by_label("Ke versi").select_option("2")
        page.get_by_role("button", name="Bandingkan").click()
        changed = page.locator("table.version-diff tbody tr", has_text=NEW_LINE)
        expect(changed).to_have_count(1)
        expect(changed).to_contain_text("Diubah")
        expect(changed).to_contain_text("Rp 12.500.000")
        expect(changed).to_contain_text("Rp 15.000.000")
        context.close()
    assert violations == []

    copy = m.Plan.objects.system("test").get(agency=seed.agency, year=2024)
    added = m.SubActivity.objects.of_plan(copy).get(name=NEW_LINE)
    assert (added.schedule_mask, added.cost, added.budget_code) == (0b111, 15_000_000, "6638.QGE")  # revised
    assert added.indicator.target_kind == "range"
    program = m.ProgramGoal.objects.of_plan(copy).get(text=FLAGGED)
    assert program.strategic_goal.number == "8" and not program.needs_review
    labels = list(HistoryEvent.objects.of_plan(copy).order_by("pk").values_list("object_label", flat=True))
    assert f"Rencana kegiatan «{NEW_LINE}»" in labels
    copy.refresh_from_db()
    assert (copy.status, copy.version_number) == (m.Plan.Status.DRAFT, 2)
