"""HTTP security headers: a Content-Security-Policy on every page, no caching of what a logged-in
user sees or downloads, and a 403 logged as one line, not a traceback."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.services import commit_import, preview_import

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize(
    "url",
    [reverse("portal:index"), reverse("accounts:login"), "/halaman-yang-tidak-ada/"],
)
def test_every_anonymous_page_carries_a_policy_without_inline_code(anonymous_client: Client, url):
    response = anonymous_client.get(url)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_logged_in_pages_carry_the_policy_and_are_never_stored(client: Client):
    for url in (
        reverse("planning:agency_list"),
        reverse("accounts:security"),
        reverse("manage:agency_list"),
        reverse("portal:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        cache = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache, (url, cache)


def test_a_download_is_private_and_never_stored(client: Client):
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, find_agency("KPU Provinsi Gorontalo"), 2023, actor=OPERATOR)
    response = client.get(reverse("exports:plan_download", args=[plan.pk, "csv"]))
    assert response.status_code == 200
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache


def test_a_public_page_seen_anonymously_may_be_cached(anonymous_client: Client):
    response = anonymous_client.get(reverse("portal:index"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_403_is_logged_as_one_warning_line_with_the_path_and_the_user_without_a_traceback(
    django_user_model, caplog
):
    viewer = django_user_model.objects.create_user("pembaca", password="kata-sandi-pembaca-1")
    Membership.objects.create(user=viewer, agency=find_agency("kpu-prov-gorontalo"), role=Role.VIEWER)
    browser = Client()
    browser.force_login(viewer)
    url = reverse("manage:reference")
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = browser.get(url)
    assert response.status_code == 403
    records = [record for record in caplog.records if record.name == "django.request"]
    assert len(records) == 1
    (record,) = records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and record.exc_text is None
    message = record.getMessage()
    assert url in message and f"user {viewer.pk}" in message
    assert "\n" not in logging.Formatter().format(record)
