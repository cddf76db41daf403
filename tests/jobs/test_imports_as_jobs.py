"""The browser import of a big file: read by a job, saved by a job, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

import renaksi.cli
from renaksi.accounts.models import Role
from renaksi.imports import upload_jobs, uploads
from renaksi.imports.models import PendingImport
from renaksi.jobs import runner
from renaksi.jobs.models import Job
from renaksi.planning.models import Plan

pytestmark = pytest.mark.django_db

PLAN_TABLES = (
    "planning_plan",
    "planning_strategicgoal",
    "planning_programgoal",
    "planning_indicator",
    "planning_activity",
    "planning_subactivity",
    "imports_importrecord",
    "history_historyevent",
)


def _upload(browser: Client, province) -> str:
    seed = Path(renaksi.cli.SEED_FILE).read_bytes()
    response = browser.post(
        reverse("imports:upload", args=[province.code]),
        {"file": SimpleUploadedFile("rencana.txt", seed, "text/plain"), "year": "2023"},
    )
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in PLAN_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
            found[table] = cursor.fetchone()[0]
    return found


@pytest.fixture
def big(settings) -> None:
    settings.RENAKSI_IMPORT_INLINE_BYTES = 10  # the seed (15 KB) is read by a job
    settings.RENAKSI_JOB_INLINE_LINES = 10  # and its 45 lines saved by one


def test_a_big_import_is_read_and_saved_by_jobs_and_ends_on_the_plan(member, province, big) -> None:
    planner = member(Role.PLANNER)
    preview = planner.get(_upload(planner, province))
    assert "Simpan rencana" in preview.content.decode()
    pending = PendingImport.objects.system("test").get()
    response = planner.post(reverse("imports:commit", args=[pending.pk]))
    plan = Plan.objects.system("test").get()
    # The job ran at once here, so the commit goes straight to the plan.
    assert response["Location"] == reverse("planning:plan_detail", args=[plan.pk])
    kinds = dict(Job.objects.system("test").values_list("kind", "status"))
    assert kinds == {Job.Kind.IMPORT_READ: Job.Status.DONE, Job.Kind.IMPORT_COMMIT: Job.Status.DONE}
    commit = Job.objects.system("test").get(kind=Job.Kind.IMPORT_COMMIT)
    assert commit.result_plan_id == plan.pk and commit.user == planner.user
    assert plan.sub_activities.count() == 45
    page = planner.get(reverse("jobs:detail", args=[commit.pk])).content.decode()
    assert reverse("planning:plan_detail", args=[plan.pk]) in page


def test_while_the_commit_job_waits_the_preview_sends_to_its_page(member, province, big, settings) -> None:
    planner = member(Role.PLANNER)
    url = _upload(planner, province)
    settings.RENAKSI_JOBS_IMMEDIATE = False
    pending = PendingImport.objects.system("test").get()
    response = planner.post(reverse("imports:commit", args=[pending.pk]))
    job = Job.objects.system("test").get(kind=Job.Kind.IMPORT_COMMIT)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert planner.get(url)["Location"] == reverse("jobs:detail", args=[job.pk])
    # a second press is the same job
    planner.post(reverse("imports:commit", args=[pending.pk]))
    assert Job.objects.system("test").filter(kind=Job.Kind.IMPORT_COMMIT).count() == 1
    assert not Plan.objects.system("test").exists()


def test_a_commit_job_that_fails_at_the_last_step_writes_nothing(member, province, big, monkeypatch) -> None:
    planner = member(Role.PLANNER)
    _upload(planner, province)
    pending = PendingImport.objects.system("test").get()
    before = _counts()
    real_commit = uploads.commit_import

    def commit_then_fail(*args, **kwargs):
        real_commit(*args, **kwargs)  # every row written in the transaction ...
        raise OSError("disk I/O error")  # ... then the last step fails

    monkeypatch.setattr(uploads, "commit_import", commit_then_fail)
    response = planner.post(reverse("imports:commit", args=[pending.pk]))
    job = Job.objects.system("test").get(kind=Job.Kind.IMPORT_COMMIT)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.FAILED and job.error == "kesalahan internal; lihat log server"
    assert _counts() == before
    assert PendingImport.objects.system("test").filter(pk=pending.pk).exists()  # the preview is still there
    page = planner.get(response["Location"]).content.decode()
    assert reverse("imports:pending", args=[pending.pk]) in page


def test_a_read_job_that_died_leaves_its_upload_refused_with_a_reason(
    member, province, big, settings
) -> None:
    settings.RENAKSI_JOBS_IMMEDIATE = False
    planner = member(Role.PLANNER)
    url = _upload(planner, province)
    pending = PendingImport.objects.system("test").get()
    job = upload_jobs.latest_job(pending, Job.Kind.IMPORT_READ)
    assert job is not None and planner.get(url)["Refresh"] == "2"
    runner.claim(job.pk, worker="elsewhere:1")
    runner.fail(job.pk, "proses pekerjaan dihentikan (sinyal 9)", only_if_running=True)
    pending.refresh_from_db()
    assert pending.status == PendingImport.Status.FAILED
    page = planner.get(url)
    assert "Refresh" not in page
    assert "pembacaan berkas terhenti sebelum selesai" in page.content.decode()


def test_an_import_job_is_refused_when_the_user_has_too_many(member, province, big, settings) -> None:
    settings.RENAKSI_JOBS_IMMEDIATE = False
    settings.RENAKSI_JOBS_PER_USER = 1
    planner = member(Role.PLANNER)
    _upload(planner, province)
    seed = Path(renaksi.cli.SEED_FILE).read_bytes()
    refused = planner.post(
        reverse("imports:upload", args=[province.code]),
        {"file": SimpleUploadedFile("lagi.txt", seed, "text/plain"), "year": "2023"},
    )
    assert refused.status_code == 429
    assert "batasnya 1" in refused.content.decode()
    assert PendingImport.objects.system("test").count() == 1  # the refused upload is not kept
