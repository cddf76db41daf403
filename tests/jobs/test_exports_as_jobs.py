"""A big plan's XLSX and PDF from the web are built by a job; a small plan's in the request."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.accounts.models import Role
from renaksi.exports import services as export_services
from renaksi.imports.sample import random_plan
from renaksi.jobs.models import Job
from renaksi.jobs.services import jobs_dir
from renaksi.planning.models import Plan
from renaksi.planning.services import save_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province) -> Plan:
    return save_tree(province, 2023, random_plan(4, 12), actor=OPERATOR)


def test_a_small_plans_pdf_is_downloaded_in_the_request(client: Client, plan: Plan, settings) -> None:
    settings.RENAKSI_JOB_INLINE_LINES = 12
    response = client.get(reverse("exports:plan_download", args=[plan.pk, "pdf"]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not Job.objects.system("test").exists()


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_a_big_plans_file_is_built_by_a_job_whose_page_then_offers_it(
    member, plan: Plan, settings, fmt: str, magic: bytes
) -> None:
    settings.RENAKSI_JOB_INLINE_LINES = 11
    browser = member(Role.VIEWER)  # who may read the plan may download it, as for a small plan
    page = browser.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    start = reverse("exports:plan_export_start", args=[plan.pk, fmt])
    assert f'action="{start}"' in page  # a form that POSTs, not a link that downloads
    # A GET starts nothing: it shows the button.
    asked = browser.get(reverse("exports:plan_download", args=[plan.pk, fmt]))
    assert asked.status_code == 200 and f'action="{start}"' in asked.content.decode()
    assert not Job.objects.system("test").exists()

    response = browser.post(start)
    job = Job.objects.system("test").get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.status, job.user, job.agency_id) == (
        Job.Kind.PLAN_EXPORT,
        Job.Status.DONE,
        browser.user,
        plan.agency_id,
    )
    detail = browser.get(response["Location"])
    assert "Refresh" not in detail
    file_url = reverse("jobs:file", args=[job.pk])
    assert f'href="{file_url}"' in detail.content.decode()
    download = browser.get(file_url)
    assert download["Content-Disposition"] == f'attachment; filename="renaksi-kpu-prov-gorontalo-2023.{fmt}"'
    assert b"".join(download.streaming_content).startswith(magic)


def test_a_failing_export_job_is_failed_with_one_line_and_leaves_no_file(
    client: Client, plan: Plan, settings, monkeypatch
) -> None:
    settings.RENAKSI_JOB_INLINE_LINES = 1

    def half_written(plan_row: Plan, fmt: str, target: Path) -> Path:
        Path(target).parent.joinpath(f".{Path(target).name}.abcdef.part").write_bytes(b"%PDF half")
        raise OSError("No space left on device: /secret/path")

    monkeypatch.setattr(export_services, "export_plan", half_written)
    response = client.post(reverse("exports:plan_export_start", args=[plan.pk, "pdf"]))
    job = Job.objects.system("test").get()
    assert job.status == Job.Status.FAILED
    assert job.error == "kesalahan internal; lihat log server"
    assert list(jobs_dir().iterdir()) == []
    page = client.get(response["Location"]).content.decode()
    assert "Pekerjaan ini gagal" in page and "/secret/path" not in page
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_a_queued_job_page_refreshes_itself_and_says_what_it_waits_for(
    client: Client, plan: Plan, settings
) -> None:
    settings.RENAKSI_JOBS_IMMEDIATE = False
    settings.RENAKSI_JOB_INLINE_LINES = 1
    response = client.post(reverse("exports:plan_export_start", args=[plan.pk, "xlsx"]))
    page = client.get(response["Location"])
    assert page["Refresh"] == "2"
    html = page.content.decode()
    assert "menunggu" in html and "menunggu pekerja" in html
