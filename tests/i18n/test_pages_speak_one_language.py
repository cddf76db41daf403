"""The import pages and the plan page say the importer's messages in the page's language only:
an upload's judgements, reader notes and refusals, and a flagged program goal's review note,
in Indonesian by default and in English under /en/, never the other language beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from html_tree import Element, _TreeBuilder
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.core.recognizer import recognize
from renaksi.imports import uploads
from renaksi.imports.models import PendingImport
from renaksi.imports.readers import read_source
from renaksi.planning.models import Plan

SEED = Path(__file__).parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
HOME = "kpu-prov-gorontalo"
JUMP_LINE = "44"  # the seed's page break after which goal numbers jump: a judgement there

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_data(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def planner(django_user_model) -> Client:
    user = django_user_model.objects.create_user("perencana", password="kata-sandi-123")
    Membership.objects.create(user=user, agency=find_agency(HOME), role=Role.PLANNER)
    browser = Client()
    browser.force_login(user)
    return browser


def url(name: str, *args: object, english: bool) -> str:
    with translation.override("id"):  # the default language has no prefix
        path = reverse(name, args=args)
    return "/en" + path if english else path


def parse(response) -> Element:
    builder = _TreeBuilder()
    builder.feed(response.content.decode("utf-8"))
    builder.close()
    return builder.root


def classed(page: Element, tag: str, name: str) -> list[Element]:
    return [found for found in page.iter(tag) if found.has_class(name)]


def upload(browser: Client, name: str, content: bytes, *, english: bool):
    file = SimpleUploadedFile(name, content)
    return browser.post(url("imports:upload", HOME, english=english), {"file": file, "year": "2023"})


def seed_report():
    return recognize(read_source(SEED))[1]


@pytest.mark.parametrize("english", [False, True], ids=["id", "en"])
def test_an_import_preview_shows_its_judgements_and_notes_in_the_pages_language_only(
    planner, english
) -> None:
    response = upload(planner, "rencana.txt", SEED.read_bytes(), english=english)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/en/") == english
    page = parse(planner.get(location))
    text = page.text
    judgements = classed(page, "ol", "import-judgements")[0]
    jump = next(item for item in judgements.iter("li") if item.attrs.get("data-line") == JUMP_LINE)
    with translation.override("en"):
        expected = [j.render(translation.gettext) for j in seed_report().judgements]
    indonesian = [str(j.render()) for j in seed_report().judgements]
    if english:
        assert "strategic goals jump from" in jump.text and "sasaran strategis melompat" not in jump.text
        assert "delimiter: tab" in text and "pemisah:" not in text
        shown, hidden = expected, indonesian
    else:
        assert "sasaran strategis melompat" in jump.text and "strategic goals jump" not in jump.text
        assert "pemisah: tab" in text and "delimiter:" not in text
        shown, hidden = indonesian, expected
    listed = judgements.text
    for said, other in zip(shown, hidden, strict=True):
        assert " ".join(said.split()) in listed
        if said != other:
            assert " ".join(other.split()) not in listed


@pytest.mark.parametrize("english", [False, True], ids=["id", "en"])
def test_an_upload_refusal_is_said_in_the_pages_language(planner, english) -> None:
    response = upload(planner, "rencana.pdf", b"%PDF-1.7 not a table", english=english)
    assert response.status_code == 400
    box = classed(parse(response), "div", "import-refusal")[0].text
    if english:
        assert "not a supported plan file: rencana.pdf is a PDF" in box and "bukan berkas" not in box
    else:
        assert (
            "bukan berkas rencana yang didukung: rencana.pdf adalah PDF" in box
            and "not a supported" not in box
        )


def test_a_refusal_of_a_file_read_in_the_background_is_said_in_the_pages_language(planner) -> None:
    upload(planner, "rencana.txt", SEED.read_bytes(), english=False)
    pending = PendingImport.objects.system("test").get()
    # The same upload read again after its file turned out to be a PDF: refused, and kept as a message.
    (uploads.uploads_dir() / pending.stored_path).write_bytes(b"%PDF-1.7 not a table")
    assert uploads.read_pending(pending.pk) is not None
    for english, said, other in [
        (True, "not a supported plan file: rencana.txt is a PDF", "bukan berkas"),
        (False, "bukan berkas rencana yang didukung: rencana.txt adalah PDF", "not a supported"),
    ]:
        box = classed(
            parse(planner.get(url("imports:pending", pending.pk, english=english))), "div", "import-refusal"
        )
        assert said in box[0].text and other not in box[0].text


def test_the_plan_pages_review_note_is_in_english_under_en(planner) -> None:
    upload(planner, "rencana.txt", SEED.read_bytes(), english=False)
    pending = PendingImport.objects.system("test").get()
    response = planner.post(url("imports:commit", pending.pk, english=False))
    assert response.status_code == 302
    plan = Plan.objects.system("test").get()
    english = parse(planner.get(url("planning:plan_detail", plan.pk, english=True)))
    indonesian = parse(planner.get(url("planning:plan_detail", plan.pk, english=False)))
    note_en = english.find("h2", id="review-heading").parent.text
    note_id = indonesian.find("h2", id="review-heading").parent.text
    assert "printed after a page break without a goal header" in note_en
    assert "dicetak setelah pergantian halaman" not in note_en
    assert "dicetak setelah pergantian halaman" in note_id
    flags = [flag.text for flag in classed(english, "span", "review-flag")]
    assert flags and all("printed after a page break" in flag for flag in flags)
    # and the import's report on the plan page speaks English too
    assert "delimiter: tab" in english.text and "pemisah:" not in english.text
