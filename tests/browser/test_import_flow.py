"""A real browser imports a plan: a planner uploads a merged-cell XLSX of the seed (written by
Renaksi's own writer), puts the flagged program goal under a new goal 5, sets one indicator to
lower-is-better, saves, and sees the plan with goal 5 and the import's report.

Chromium is Debian's, driven by Playwright; everything the pages need is created before the
browser starts (see test_isolation_flow.py for why).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_TEST, launched
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Browser, Page

from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_source
from renaksi.imports.writers import write_xlsx

SEED = Path(__file__).parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
USERNAME = "perencana.provinsi"
PASSWORD = "kata-sandi-perencana-913"
HOME = "kpu-prov-gorontalo"
FLAGGED = "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum"

pytestmark = BROWSER_TEST


@pytest.fixture
def workbook(live_server, settings, tmp_path: Path) -> Path:
    """The seed as a merged-cell XLSX, and a planner of KPU Provinsi Gorontalo."""
    settings.DATA_DIR = tmp_path / "data"
    tree, _report = recognize(read_source(SEED))
    path = tmp_path / "rencana-aksi-2023.xlsx"
    write_xlsx(tree, path)
    planner = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    Membership.objects.create(user=planner, agency=find_agency(HOME), role=Role.PLANNER)
    return path


@pytest.fixture
def browser(workbook) -> Iterator[Browser]:
    with launched() as chromium:
        yield chromium


def log_in(page: Page, url: str) -> None:
    page.goto(url + reverse("accounts:login"))
    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(url + reverse("planning:agency_list"))


def test_a_planner_uploads_corrects_and_commits_a_merged_cell_workbook(
    live_server, workbook, browser, tmp_path
):
    url = live_server.url
    shots = Path(os.environ.get("RENAKSI_SCREENSHOT_DIR", tmp_path))
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in(page, url)

    # Only the planner's own agency offers an import.
    buttons = page.get_by_role("link", name="Impor rencana")
    assert buttons.count() == 1
    buttons.click()
    page.wait_for_url(url + reverse("imports:upload", args=[HOME]))
    page.get_by_label("Berkas rencana").set_input_files(str(workbook))
    page.get_by_label("Tahun rencana").fill("2023")
    page.get_by_role("button", name="Unggah dan pratinjau").click()

    # The preview: the golden total, the flagged program goal marked in the table and offered for placing.
    page.wait_for_selector("section.import-corrections")
    assert page.locator("#jumlah-total td[data-col='cost']").inner_text() == "Rp 10.060.818.000"
    assert FLAGGED in page.locator("td.needs-review").inner_text()
    assert page.locator("tr.has-marks").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(shots / "import-preview-1366.png"))
    page.locator("tr.has-marks").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "import-preview-marks.png"))

    # Keyboard only: a new goal 5 for the flagged program goal.
    placing = page.locator("fieldset.import-placing")
    placing.get_by_label("Nomor sasaran strategis baru").focus()
    page.keyboard.type("5")
    page.keyboard.press("Tab")
    page.keyboard.type("Meningkatnya Kualitas Layanan Hukum")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("tbody[data-goal-number='5']")
    assert FLAGGED in page.locator("tbody[data-goal-number='5'] td[data-col='program_goal']").inner_text()
    assert page.locator("td.needs-review").count() == 0

    # One indicator is lower-is-better.
    polarity = page.locator("form.import-polarity")
    polarity.get_by_label("Indikator kinerja").select_option(index=3)
    polarity.get_by_label("Makin rendah makin baik").check()
    polarity.get_by_role("button", name="Tetapkan arah capaian").click()
    page.wait_for_selector("ul.import-kept li:nth-child(2)")
    page.locator("section.import-corrections").screenshot(path=str(shots / "import-corrections.png"))
    page.locator("section.import-report").screenshot(path=str(shots / "import-report.png"))

    # On a phone the page itself does not scroll sideways (the table scrolls in its own region).
    phone = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone_page = phone.new_page()
    phone_page.context.add_cookies(context.cookies())
    phone_page.goto(page.url)
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.screenshot(path=str(shots / "import-preview-phone.png"), full_page=False)
    phone.close()

    page.get_by_role("button", name="Simpan rencana").click()
    page.wait_for_selector("section.import-report")
    assert "/rencana/" in page.url
    assert page.locator("tbody[data-goal-number='5']").count() == 1
    assert page.locator("#jumlah-total td[data-col='cost']").inner_text() == "Rp 10.060.818.000"
    report = page.locator("section.import-report")
    assert "rencana-aksi-2023.xlsx" in report.inner_text()
    assert "Rp 10.060.818.000" in report.locator("dl.import-figures").inner_text()
    plan_url = page.url

    # The same file with the same corrections again: the preview says nothing would change.
    page.goto(url + reverse("imports:upload", args=[HOME]))
    page.get_by_label("Berkas rencana").set_input_files(str(workbook))
    page.get_by_label("Tahun rencana").fill("2023")
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    page.wait_for_selector("section.import-corrections")
    correct(page)
    changes = page.locator("ul.import-changes li").all_inner_texts()
    assert all("ditambah 0, diubah 0, dihapus 0" in line for line in changes[:5]), changes
    assert "Tidak ada yang berubah" in changes[-1]
    page.get_by_label("Ganti rencana yang sudah ada").check()
    page.get_by_role("button", name="Simpan rencana").click()
    page.wait_for_url(plan_url)
    context.close()


def correct(page: Page) -> None:
    """Goal 5 for the flagged program goal and the fourth indicator lower-is-better."""
    placing = page.locator("fieldset.import-placing")
    placing.get_by_label("Nomor sasaran strategis baru").fill("5")
    placing.get_by_label("Teks sasaran strategis baru").fill("Meningkatnya Kualitas Layanan Hukum")
    placing.get_by_role("button", name="Buat sasaran strategis baru").click()
    page.wait_for_selector("tbody[data-goal-number='5']")
    polarity = page.locator("form.import-polarity")
    polarity.get_by_label("Indikator kinerja").select_option(index=3)
    polarity.get_by_label("Makin rendah makin baik").check()
    polarity.get_by_role("button", name="Tetapkan arah capaian").click()
    page.wait_for_selector("ul.import-kept li:nth-child(2)")
