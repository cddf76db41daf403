"""Importing a plan in the browser, through the test client: upload, preview, correct, commit.

A planner of KPU Provinsi Gorontalo uploads the seed text; the preview shows the golden figures,
the official table with every judgement call and unplaced cell marked on its row, and the flagged
program goal; they put it under a new goal 5, set one indicator to lower-is-better and commit;
the plan page then shows goal 5 and the import's report.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from html_tree import Element, _TreeBuilder
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.core.corrections import SetPolarity
from renaksi.core.messages import message_from_data
from renaksi.core.plan_tree import Polarity
from renaksi.history.models import HistoryEvent
from renaksi.imports.models import ImportRecord, PendingImport
from renaksi.imports.uploads import (
    commit_pending,
    discard_pending,
    drop_correction,
    expire_pending_imports,
    set_correction,
    start_pending_import,
    uploads_dir,
)
from renaksi.jobs.models import Job
from renaksi.planning.models import Indicator, Plan
from renaksi.planning.services import load_tree

SEED = Path(__file__).parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
HOME = "kpu-prov-gorontalo"
FLAGGED = "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_data(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


def parse(response) -> Element:
    """The page as a tree, whatever its status (a refusal is a 400 page)."""
    builder = _TreeBuilder()
    builder.feed(response.content.decode("utf-8"))
    builder.close()
    return builder.root


def classed(element: Element, tag: str, name: str) -> list[Element]:
    return [found for found in element.iter(tag) if found.has_class(name)]


def one(element: Element, tag: str, name: str) -> Element:
    found = classed(element, tag, name)
    assert len(found) == 1, f"expected one <{tag} class={name}>, found {len(found)}"
    return found[0]


def member(django_user_model, role: str, agency_code: str = HOME, name: str = "") -> Client:
    user = django_user_model.objects.create_user(name or f"{role}-{agency_code}", password="kata-sandi-123")
    Membership.objects.create(user=user, agency=find_agency(agency_code), role=role)
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def planner(django_user_model) -> Client:
    return member(django_user_model, Role.PLANNER)


def seed_upload(name: str = "rencana-aksi-2023.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SEED.read_bytes(), "text/plain")


def upload(browser: Client, file: SimpleUploadedFile, year: int = 2023, **extra: str):
    url = reverse("imports:upload", args=[HOME])
    return browser.post(url, {"file": file, "year": str(year), **extra})


def pending_url(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    return response["Location"]


def test_the_agency_list_offers_an_import_only_where_the_user_may_edit(planner, django_user_model) -> None:
    page = parse(planner.get(reverse("planning:agency_list")))
    node = page.find("li", data_agency=HOME)
    link = one(node, "p", "agency__import").find("a")
    assert link.attrs["href"] == reverse("imports:upload", args=[HOME])
    assert "Impor rencana" in link.text
    viewer = member(django_user_model, Role.VIEWER, name="pembaca")
    assert "agency__import" not in viewer.get(reverse("planning:agency_list")).content.decode()


def test_the_preview_shows_the_golden_total_the_flagged_program_goal_and_every_note_on_its_row(
    planner,
) -> None:
    response = planner.get(pending_url(upload(planner, seed_upload())))
    assert response.status_code == 200
    page = parse(response)
    assert page.find("tr", id="jumlah-total").find("td", data_col="cost").text == "Rp 10.060.818.000"
    assert Plan.objects.system("test").count() == 0  # nothing is written by a preview
    legend = one(page, "fieldset", "import-placing").find("legend").text
    assert FLAGGED in legend
    flagged = one(page, "td", "needs-review")
    assert FLAGGED in flagged.text
    judgements = list(one(page, "ol", "import-judgements").iter("li"))
    assert len(judgements) == 17
    marked_rows = {
        row.attrs["data-row"] for row in classed(page.find("table", id="renaksi-table"), "tr", "has-marks")
    }
    for item in judgements:
        assert item.attrs["data-row"] in marked_rows, item.text
        mark = page.find("a", id=f"{item.attrs['id']}-di-tabel")
        assert mark.attrs["href"] == f"#{item.attrs['id']}"
    # The seed's unplaced cells are all on its cover page, above the table.
    unplaced = list(one(page, "ul", "import-unplaced").iter("li"))
    assert len(unplaced) == 7 and all("data-row" not in item.attrs for item in unplaced)
    assert all("di luar tabel" in item.text for item in unplaced)


def test_a_judgement_sits_on_the_row_read_from_its_line(planner) -> None:
    page = parse(planner.get(pending_url(upload(planner, seed_upload()))))
    # "strategic goals jump from 2 to 6", judged on line 44: the row where goal 6 starts.
    jump = one(page, "ol", "import-judgements").find("li", data_line="44")
    row = page.find("tr", data_row=jump.attrs["data-row"])
    assert row.find("td", data_col="no").text == "6"


def test_a_planner_corrects_the_preview_and_commits_and_the_plan_page_shows_goal_5_and_the_report(
    planner, django_capture_on_commit_callbacks
) -> None:
    url = pending_url(upload(planner, seed_upload()))
    pending = PendingImport.objects.system("test").get()
    correct = reverse("imports:correct", args=[pending.pk])

    response = planner.post(
        correct, {"kind": "new_goal", "target": "2.0", "number": "5", "text": "Meningkatnya Layanan Hukum"}
    )
    assert response.status_code == 302
    response = planner.post(correct, {"kind": "polarity", "indicator": "0.0.0", "polarity": "lower"})
    assert response.status_code == 302

    page = parse(planner.get(url))  # a re-render keeps both corrections
    assert len(list(page.iter("tbody", data_goal_number="5"))) == 1
    assert classed(page, "td", "needs-review") == []
    assert len(list(one(page, "ul", "import-kept").iter("li"))) == 2
    assert page.find("tr", id="jumlah-total").find("td", data_col="cost").text == "Rp 10.060.818.000"

    with django_capture_on_commit_callbacks(execute=True):
        response = planner.post(reverse("imports:commit", args=[pending.pk]))
    plan = Plan.objects.system("test").get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "planning:plan_detail", args=[plan.pk]
    )
    assert not PendingImport.objects.system("test").exists()
    assert list(uploads_dir().iterdir()) == []  # the upload is gone once saved

    tree = load_tree(plan)
    assert [goal.number for goal in tree.goals] == ["1", "2", "5", "6", "7"]
    assert [pg.text for pg in tree.goals[2].program_goals] == [FLAGGED]
    assert tree.goals[0].program_goals[0].indicators[0].polarity is Polarity.LOWER_IS_BETTER
    assert Indicator.objects.system("test").filter(polarity="lower").count() == 1
    record = ImportRecord.objects.system("test").get()
    assert record.imported_via == "web" and record.imported_by is not None
    notes = [str(message_from_data(note)) for note in record.report["notes"]]
    assert any("sasaran strategis baru 5" in note for note in notes)

    page = parse(planner.get(reverse("planning:plan_detail", args=[plan.pk])))
    section = page.find("tbody", data_goal_number="5")
    assert FLAGGED in section.find("td", data_col="program_goal").text
    assert page.find("tr", id="jumlah-sasaran-3").find("td", data_col="cost").text == "Rp 30.760.000"
    report = one(page, "section", "import-report")
    assert "rencana-aksi-2023.txt" in report.text
    assert "Rp 10.060.818.000" in one(report, "dl", "import-figures").text
    assert len(list(one(report, "ol", "import-judgements").iter("li"))) == 17
    assert len(list(one(report, "ul", "import-unplaced").iter("li"))) == 7


def test_a_text_only_line_is_joined_to_the_line_above_from_its_judgement_and_the_join_can_be_undone(
    planner,
) -> None:
    url = pending_url(upload(planner, seed_upload()))
    pending = PendingImport.objects.system("test").get()
    page = parse(planner.get(url))
    offers = classed(page, "form", "import-join")
    assert offers, "a text-only line of the seed is offered for joining"
    line = offers[0].find("input", name="line").attrs["value"]
    response = planner.post(
        reverse("imports:correct", args=[pending.pk]), {"kind": "join_line", "line": line}
    )
    assert response.status_code == 302
    page = parse(planner.get(url))
    assert len(classed(page, "form", "import-join")) == len(offers) - 1
    figures = {
        item.find("dt").text: item.find("dd").text for item in one(page, "dl", "import-figures").iter("div")
    }
    assert figures["Rencana kegiatan"] == "44"
    assert figures["Jumlah total"] == "Rp 10.060.818.000"
    planner.post(reverse("imports:correct", args=[pending.pk]), {"drop": "0"})
    page = parse(planner.get(url))
    figures = {
        item.find("dt").text: item.find("dd").text for item in one(page, "dl", "import-figures").iter("div")
    }
    assert figures["Rencana kegiatan"] == "45"


def test_a_join_that_does_not_fit_is_refused_with_a_message(planner) -> None:
    url = pending_url(upload(planner, seed_upload()))
    pending = PendingImport.objects.system("test").get()
    response = planner.post(
        reverse("imports:correct", args=[pending.pk]), {"kind": "join_line", "line": "0.0.0.0"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url + "#koreksi"
    assert "Hanya baris tanpa biaya" in response.content.decode()
    pending.refresh_from_db()
    assert pending.corrections == []


def test_a_correction_that_does_not_fit_is_refused_on_the_page_and_not_kept(planner) -> None:
    upload(planner, seed_upload())
    pending = PendingImport.objects.system("test").get()
    response = planner.post(
        reverse("imports:correct", args=[pending.pk]),
        {"kind": "new_goal", "target": "2.0", "number": "6", "text": "x"},
    )
    assert response.status_code == 400
    assert "sudah ada" in one(parse(response), "fieldset", "import-placing").text
    pending.refresh_from_db()
    assert pending.corrections == []


def test_an_existing_plan_is_replaced_only_when_asked(planner) -> None:
    planner.post(reverse("imports:commit", args=[_pending_id(planner)]))
    plan = Plan.objects.system("test").get()
    pending_id = _pending_id(planner)
    page = parse(planner.get(reverse("imports:pending", args=[pending_id])))
    assert "sudah punya rencana" in one(page, "section", "import-commit").text
    response = planner.post(reverse("imports:commit", args=[pending_id]))
    assert response["Location"] == reverse("imports:pending", args=[pending_id])
    assert ImportRecord.objects.system("test").count() == 1
    response = planner.post(reverse("imports:commit", args=[pending_id]), {"replace": "on"})
    assert response["Location"] == reverse("planning:plan_detail", args=[plan.pk])
    assert ImportRecord.objects.system("test").count() == 2


def test_re_importing_the_same_file_with_the_same_corrections_changes_nothing(planner) -> None:
    corrections = [
        {"kind": "new_goal", "target": "2.0", "number": "5", "text": "Meningkatnya Layanan Hukum"},
        {"kind": "polarity", "indicator": "0.0.0", "polarity": "lower"},
    ]
    for round_ in (1, 2):
        pending_id = _pending_id(planner)
        for data in corrections:
            planner.post(reverse("imports:correct", args=[pending_id]), data)
        if round_ == 2:
            page = parse(planner.get(reverse("imports:pending", args=[pending_id])))
            changes = [item.text for item in one(page, "ul", "import-changes").iter("li")]
            assert changes[:5] and all("ditambah 0, diubah 0, dihapus 0" in line for line in changes[:5])
            assert "Tidak ada yang berubah" in changes[-1]
            before = HistoryEvent.objects.system("test").count()
        planner.post(reverse("imports:commit", args=[pending_id]), {"replace": "on"})
    assert HistoryEvent.objects.system("test").count() == before
    assert ImportRecord.objects.system("test").count() == 2


def test_a_plan_that_is_not_a_draft_is_not_replaced(planner) -> None:
    planner.post(reverse("imports:commit", args=[_pending_id(planner)]))
    Plan.objects.system("test").update(status=Plan.Status.SUBMITTED)
    pending_id = _pending_id(planner)
    page = parse(planner.get(reverse("imports:pending", args=[pending_id])))
    assert "tarik kembali pengajuannya atau buka revisi" in one(page, "section", "import-commit").text
    response = planner.post(reverse("imports:commit", args=[pending_id]), {"replace": "on"}, follow=True)
    assert "tarik kembali pengajuannya atau buka revisi" in response.content.decode()
    assert ImportRecord.objects.system("test").count() == 1


def _pending_id(browser: Client):
    upload(browser, seed_upload())
    return PendingImport.objects.system("test").latest("created_at").pk


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rencana.pdf", b"%PDF-1.7 not a table", "bukan berkas rencana yang didukung"),
        ("rencana.xlsx", b"PK\x03\x04broken", "bukan berkas rencana yang didukung"),
        ("rencana.txt", b"just some words\nand more\n", ""),
    ],
)
def test_a_bad_file_is_refused_with_the_importers_message_and_nothing_is_written(
    planner, name, content, message
) -> None:
    response = upload(planner, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    box = one(parse(response), "div", "import-refusal")
    assert "tidak ada yang disimpan" in box.text
    assert message in box.text
    assert not PendingImport.objects.system("test").exists() and not Plan.objects.system("test").exists()
    assert list(uploads_dir().iterdir()) == []


def test_an_upload_is_kept_inside_the_uploads_folder_whatever_its_name(planner) -> None:
    upload(planner, seed_upload("../../../etc/rencana 2023.txt"))
    pending = PendingImport.objects.system("test").get()
    stored = (uploads_dir() / pending.stored_path).resolve()
    assert stored.parent.parent == uploads_dir().resolve() and stored.is_file()
    assert pending.filename == "rencana_2023.txt"
    assert stored.read_bytes() == SEED.read_bytes()
    assert "static" not in stored.parts and "media" not in stored.parts


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(planner, settings) -> None:
    settings.RENAKSI_MAX_IMPORT_BYTES = 1000
    response = upload(planner, seed_upload())
    assert response.status_code == 400
    assert "over the limit of 1,000 bytes" in one(parse(response), "div", "import-refusal").text
    assert not PendingImport.objects.system("test").exists()


def test_a_year_that_does_not_match_the_file_is_refused(planner) -> None:
    response = upload(planner, seed_upload(), year=2024)
    assert response.status_code == 400
    assert "2023" in one(parse(response), "div", "import-refusal").text


def test_a_viewer_cannot_upload_or_commit_and_another_agencys_user_gets_404(
    planner, django_user_model
) -> None:
    url = pending_url(upload(planner, seed_upload()))
    pending = PendingImport.objects.system("test").get()
    viewer = member(django_user_model, Role.VIEWER, name="pembaca")
    assert viewer.get(reverse("imports:upload", args=[HOME])).status_code == 403
    assert upload(viewer, seed_upload()).status_code == 403
    assert viewer.get(url).status_code == 403
    assert viewer.post(reverse("imports:commit", args=[pending.pk])).status_code == 403
    outsider = member(django_user_model, Role.PLANNER, agency_code="kpu-kab-boalemo", name="luar")
    assert outsider.get(reverse("imports:upload", args=[HOME])).status_code == 404
    for answer in (outsider.get(url), outsider.post(reverse("imports:commit", args=[pending.pk]))):
        assert answer.status_code == 404
    assert not Plan.objects.system("test").exists()
    assert PendingImport.objects.system("test").count() == 1


def test_the_services_check_the_actor_themselves(planner, django_user_model) -> None:
    upload(planner, seed_upload())
    pending = PendingImport.objects.system("test").get()
    viewer = django_user_model.objects.create_user("pembaca-langsung", password="kata-sandi-123")
    Membership.objects.create(user=viewer, agency=find_agency(HOME), role=Role.VIEWER)
    for write in (
        lambda: start_pending_import(viewer, find_agency(HOME), seed_upload(), year=2023, replace=False),
        lambda: set_correction(viewer, pending, SetPolarity((0, 0, 0), Polarity.LOWER_IS_BETTER)),
        lambda: drop_correction(viewer, pending, 0),
        lambda: commit_pending(viewer, pending, replace=True),
        lambda: discard_pending(viewer, pending),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert PendingImport.objects.system("test").get().corrections == []
    assert not Plan.objects.system("test").exists()
    assert len(list(uploads_dir().iterdir())) == 1


def test_the_pages_answer_under_en_in_english(planner) -> None:
    response = planner.get("/en" + reverse("imports:upload", args=[HOME]))
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    location = pending_url(upload(planner, seed_upload()))  # English is active now: /en/...
    preview = planner.get(location if location.startswith("/en/") else "/en" + location)
    assert preview.status_code == 200 and 'lang="en"' in preview.content.decode()
    assert "Jejak navigasi" not in preview.content.decode()  # a message the catalog already has


def test_old_pending_imports_expire_with_their_files(planner, django_capture_on_commit_callbacks) -> None:
    upload(planner, seed_upload())
    pending = PendingImport.objects.system("test").get()
    PendingImport.objects.system("test").update(created_at=pending.created_at.replace(year=2000))
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_pending_imports() == 1
    assert not PendingImport.objects.system("test").exists()
    assert list(uploads_dir().iterdir()) == []


def test_a_big_file_is_read_in_the_background_and_its_page_says_so(planner, settings) -> None:
    settings.RENAKSI_IMPORT_INLINE_BYTES = 10
    url = pending_url(upload(planner, seed_upload()))
    pending = PendingImport.objects.system("test").get()
    PendingImport.objects.system("test").update(status=PendingImport.Status.READING)  # as if still reading
    response = planner.get(url)
    assert response["Refresh"] == "2"
    assert "Berkas sedang dibaca" in response.content.decode()
    del pending


def test_a_big_file_is_read_by_a_job_and_its_page_then_shows_the_preview(settings, django_user_model) -> None:
    # The job runs at once here (RENAKSI_JOBS_IMMEDIATE); tests/jobs runs one in a real worker.
    settings.RENAKSI_IMPORT_INLINE_BYTES = 10
    settings.RENAKSI_JOBS_IMMEDIATE = True
    browser = member(django_user_model, Role.PLANNER)
    url = pending_url(upload(browser, seed_upload()))
    assert Job.objects.system("test").get().kind == Job.Kind.IMPORT_READ
    response = browser.get(url)
    assert "Refresh" not in response
    page = parse(response)
    assert page.find("tr", id="jumlah-total").find("td", data_col="cost").text == "Rp 10.060.818.000"


def test_an_xlsx_zip_that_is_no_workbook_is_refused(planner) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    response = upload(planner, SimpleUploadedFile("rencana.xlsx", data.getvalue()))
    assert response.status_code == 400
    assert not Agency.objects.filter(code="x").exists()


def test_a_line_of_a_row_holding_two_indicators_can_be_moved_to_the_other_one_from_its_judgement(
    planner,
) -> None:
    # Seed line 31 holds two indicators; the importer gives "Bimtek Kepegawaian" to the second
    # ("Persentase Pegawai ... pelatihan") and reads the first on line 32: the other reading gives
    # the line to the first (the S2 graduates).
    url = pending_url(upload(planner, seed_upload()))
    pending = PendingImport.objects.system("test").get()
    page = parse(planner.get(url))
    on_31 = [
        li for li in one(page, "ol", "import-judgements").iter("li") if li.attrs.get("data-line") == "31"
    ]
    offers = [form for li in on_31 for form in classed(li, "form", "import-move")]
    buttons = {form.find("button").text.split("”")[0].lstrip("“"): form for form in offers}
    assert set(buttons) == {"Bimtek Kepegawaian", "Bimtek Kepemiluan"}
    form = buttons["Bimtek Kepegawaian"]
    response = planner.post(
        reverse("imports:correct", args=[pending.pk]),
        {
            "kind": "move_line",
            "line": form.find("input", name="line").attrs["value"],
            "to": form.find("input", name="to").attrs["value"],
        },
    )
    assert response.status_code == 302
    planner.post(reverse("imports:commit", args=[pending.pk]), {})
    tree = load_tree(Plan.objects.system("test").get())
    by_text = {indicator.text[:22]: indicator for indicator in tree.indicators()}
    assert [line.name for line in by_text["Jumlah PNS KPU Provins"].lines] == [
        "Bimtek Kepegawaian",
        "Bimtek Kepemiluan",
    ]
    assert by_text["Persentase Pegawai yan"].lines == [] or all(
        line.name != "Bimtek Kepegawaian" for line in by_text["Persentase Pegawai yan"].lines
    )


def test_a_big_previews_second_page_is_reached_by_its_link(planner, settings) -> None:
    settings.RENAKSI_PLAN_PAGE_ROWS = 10  # the seed's 45 lines become several pages
    url = pending_url(upload(planner, seed_upload()))
    first = parse(planner.get(url))
    assert {link.attrs["href"] for link in first.iter("a", rel="next")} == {"?halaman=2"}  # top and bottom
    first_rows = [
        row.attrs["data-row"]
        for row in first.find("table", id="renaksi-table").iter("tr")
        if "data-row" in row.attrs
    ]
    second = parse(planner.get(url + "?halaman=2"))
    second_rows = [
        row.attrs["data-row"]
        for row in second.find("table", id="renaksi-table").iter("tr")
        if "data-row" in row.attrs
    ]
    assert second_rows and not set(second_rows) & set(first_rows)
    assert {link.attrs["href"] for link in second.iter("a", rel="prev")} == {"?halaman=1"}
