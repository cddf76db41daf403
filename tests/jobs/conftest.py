"""Jobs run at once in the test's process (RENAKSI_JOBS_IMMEDIATE) unless a test says otherwise;
test_worker_process runs a real worker. Each test has its own data and temporary folders."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency

PROVINCE = "kpu-prov-gorontalo"


@pytest.fixture(autouse=True)
def _job_folders(settings, tmp_path: Path, monkeypatch) -> Iterator[None]:
    settings.DATA_DIR = tmp_path / "data"
    settings.RENAKSI_JOBS_IMMEDIATE = True
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield


@pytest.fixture
def province() -> Agency:
    return find_agency(PROVINCE)


@pytest.fixture
def member(django_user_model, province):
    """``member(role, agency=None)``: a logged-in browser of a new member with that role."""
    made = 0

    def make(role: str, agency: Agency | None = None) -> Client:
        nonlocal made
        made += 1
        user = django_user_model.objects.create_user(f"{role}-{made}", password="kata-sandi-uji-123")
        Membership.objects.create(user=user, agency=agency or province, role=role)
        browser = Client()
        browser.force_login(user)
        browser.user = user  # type: ignore[attr-defined]
        return browser

    return make


__all__ = ["PROVINCE", "Role"]
