"""Refusals and missing pages answer with Renaksi's own pages, which print nothing of the request."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from manage_support import People


def test_a_refused_action_gets_the_access_denied_page_in_the_site_style(people: People) -> None:
    response = people.browser("boalemo_admin").get(reverse("manage:agency_create"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Akses ditolak</h1>" in page and "renaksi.css" in page


def test_another_agencys_page_and_a_missing_one_are_the_same_not_found_page(people: People) -> None:
    browser = people.browser("boalemo_admin")
    other = browser.get(reverse("manage:members", args=["kpu-kab-pohuwato"]))
    missing = browser.get(reverse("manage:members", args=["tidak-ada"]))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    page = other.content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in page and "renaksi.css" in page
    assert "csrfmiddlewaretoken" not in page and "kpu-kab-pohuwato" not in page


def test_the_error_pages_speak_english_when_asked(people: People) -> None:
    with translation.override("en"):
        url = reverse("manage:agency_create")  # the English pages live under /en/
    response = people.browser("boalemo_admin").get(url)
    assert response.status_code == 403 and "<h1>Access denied</h1>" in response.content.decode()
