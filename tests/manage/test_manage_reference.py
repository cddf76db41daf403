"""The reference table of budget code names: reading a CSV, previewing it, committing it whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from manage_support import People, everything, history

from renaksi.accounts import management, reference, services
from renaksi.agencies.models import BudgetCodeName
from renaksi.core.budget_codes import BudgetCodeError

PREVIEW_URL = reverse("manage:reference_preview")
COMMIT_URL = reverse("manage:reference_commit")

GOOD_CSV = """kode;nama
3358;Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya (SDM)
ebc;Layanan Manajemen SDM
3358.EBC.954;Layanan Manajemen SDM Internal
3358.EBC.954.051.A;Honorarium
521211;Belanja Bahan
"""


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "nama-kode.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _preview(browser: Client, path: Path):
    with path.open("rb") as handle:
        return browser.post(PREVIEW_URL, {"file": handle})


def _token(response) -> str:
    import re

    found = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode())
    assert found, "the preview offers no commit"
    return found.group(1)


@pytest.mark.parametrize(
    ("text", "code", "level"),
    [
        ("3358", "3358", "kegiatan"),
        (" ebc ", "EBC", "kro"),
        ("521211", "521211", "akun"),
        ("3358.ebc.954", "3358.EBC.954", "ro"),
        ("3358.EBC.954.051", "3358.EBC.954.051", "komponen"),
        ("3358.EBC.954.A", "3358.EBC.954.A", "subkomponen"),
    ],
)
def test_reference_codes_are_canonical_with_their_level(text, code, level):
    assert reference.reference_code(text) == (code, level)


@pytest.mark.parametrize("text", ["954", "A", "33X8", "3358..EBC", "3358.12"])
def test_codes_that_name_nothing_alone_or_are_malformed_are_refused(text):
    with pytest.raises(BudgetCodeError):
        reference.reference_code(text)


def test_a_preview_writes_nothing_and_the_commit_writes_every_row(people: People, tmp_path):
    browser = people.browser("site_admin")
    before = everything()
    preview = _preview(browser, _write(tmp_path, GOOD_CSV))
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "5 baris kode dibaca" in page and "5 baru, 0 berubah nama, 0 tetap" in page
    assert everything() == before
    response = browser.post(COMMIT_URL, {"token": _token(preview)})
    assert response.status_code == 302
    names = dict(BudgetCodeName.objects.values_list("code", "name"))
    assert names["EBC"] == "Layanan Manajemen SDM"
    assert names["3358.EBC.954.051.A"] == "Honorarium"
    assert BudgetCodeName.objects.get(code="3358.EBC.954").level == "ro"
    (event,) = history("reference_imported")
    assert event.actor == people.site_admin and event.agency.code == "kpu-prov-gorontalo"
    assert event.after["counts"] == {"created": 5, "updated": 0, "unchanged": 0}
    assert "nama-kode.csv" in event.note
    listing = browser.get(reverse("manage:reference")).content.decode()
    assert "Belanja Bahan" in listing


def test_a_second_import_updates_changed_names_and_keeps_others(people: People, tmp_path):
    browser = people.browser("site_admin")
    browser.post(COMMIT_URL, {"token": _token(_preview(browser, _write(tmp_path, GOOD_CSV)))})
    second = "kode,nama\n521211,Belanja Barang Operasional\n3358,Dukungan Manajemen dan Pelaksanaan Tugas Teknis Lainnya (SDM)\n"
    preview = _preview(browser, _write(tmp_path, second, name="kedua.csv"))
    assert "0 baru, 1 berubah nama, 1 tetap" in preview.content.decode()
    browser.post(COMMIT_URL, {"token": _token(preview)})
    assert BudgetCodeName.objects.get(code="521211").name == "Belanja Barang Operasional"
    assert BudgetCodeName.objects.count() == 5
    event = history("reference_imported")[-1]
    assert event.before == {"521211": "Belanja Bahan"}
    assert event.after["counts"] == {"created": 0, "updated": 1, "unchanged": 1}


def test_a_windows_1252_file_with_commas_is_read(people: People, tmp_path):
    text = "Kode,Nama\n6870,Fasilitasi Kampanye – Café\n"
    preview = _preview(people.browser("site_admin"), _write(tmp_path, text, encoding="cp1252"))
    page = preview.content.decode()
    assert "Windows-1252" in page and "Fasilitasi Kampanye – Café" in page


def test_a_file_with_errors_names_each_line_and_column_and_nothing_can_be_written(people: People, tmp_path):
    text = (
        "kode;nama\n"
        "3358;Dukungan Manajemen\n"
        "33X8;Salah\n"
        "6871;\n"
        "3358;Dua Kali\n"
        "954;RO tanpa induk\n"
        '6709;"Perencanaan; Pemilu";lebih\n'
    )
    browser = people.browser("site_admin")
    before = everything()
    preview = _preview(browser, _write(tmp_path, text))
    page = preview.content.decode()
    assert "Baris 3, kolom kode" in page
    assert "Baris 4, kolom nama" in page
    assert "Baris 5, kolom kode" in page and "baris 2" in page
    assert "Baris 6, kolom kode" in page
    assert "Baris 7: 3 kolom" in page
    assert 'name="token"' not in page
    assert browser.post(COMMIT_URL, {"token": ""}).status_code == 302
    assert everything() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "kosong"),
        (b"code;name\n3358;X\n", "Baris 1"),
        (b"kode;nama\n", "hanya berisi baris judul"),
        (b"kode;nama\n3358;\x81\x8d\n", "bukan UTF-8"),
        (b"kode;nama\x00\n", "bita nol"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(people: People, tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    before = everything()
    response = _preview(people.browser("site_admin"), path)
    assert message in response.content.decode()
    assert everything() == before


def test_the_import_service_refuses_the_whole_file_on_one_bad_row(people: People):
    before = everything()
    with pytest.raises(management.ManagementError):
        services.import_reference(actor=people.site_admin, text="kode;nama\n3358;A\n12;B\n")
    assert everything() == before


def test_a_preview_commits_once_only(people: People, tmp_path):
    browser = people.browser("site_admin")
    token = _token(_preview(browser, _write(tmp_path, GOOD_CSV)))
    browser.post(COMMIT_URL, {"token": token})
    response = browser.post(COMMIT_URL, {"token": token}, follow=True)
    assert "sudah tidak berlaku" in response.content.decode()
    assert len(history("reference_imported")) == 1


def test_a_commit_with_another_token_writes_nothing(people: People, tmp_path):
    browser = people.browser("site_admin")
    _preview(browser, _write(tmp_path, GOOD_CSV))
    before = everything()
    browser.post(COMMIT_URL, {"token": "0" * 32})
    assert everything() == before
