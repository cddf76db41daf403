"""Who may start jobs, and who sees them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.accounts.models import Role
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.jobs.models import Job
from renaksi.planning.services import save_tree

pytestmark = pytest.mark.django_db


def _start_rollup(browser: Client, province: Agency):
    return browser.post(reverse("exports:rollup_start", args=[province.code]), {"year": "2023"})


@pytest.mark.parametrize("role", [Role.VIEWER, Role.INSPECTOR])
def test_a_read_only_role_cannot_start_a_rollup_job(member, province, role) -> None:
    save_tree(province, 2023, random_plan(1, 3), actor=OPERATOR)
    response = _start_rollup(member(role), province)
    assert response.status_code == 403
    assert not Job.objects.system("test").exists()


@pytest.mark.parametrize("role", [Role.AGENCY_ADMIN, Role.PLANNER, Role.PIC, Role.APPROVER])
def test_a_role_that_works_on_the_plans_starts_a_rollup_job(member, province, role) -> None:
    save_tree(province, 2023, random_plan(1, 3), actor=OPERATOR)
    browser = member(role)
    response = _start_rollup(browser, province)
    job = Job.objects.system("test").get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE and job.user == browser.user
    assert browser.get(reverse("jobs:file", args=[job.pk])).status_code == 200


def test_another_agencys_job_and_its_file_answer_exactly_like_missing_ones(member, province) -> None:
    save_tree(province, 2023, random_plan(1, 3), actor=OPERATOR)
    job = Job.objects.system("test").get(pk=_job_of(member(Role.PLANNER), province))
    other = Agency.objects.create(code="kpu-prov-lain", name="KPU Provinsi Lain", level=Agency.Level.PROVINCE)
    outsider = member(Role.AGENCY_ADMIN, other)
    missing = "00000000-0000-0000-0000-000000000001"
    for name in ("jobs:detail", "jobs:file"):
        theirs = outsider.get(reverse(name, args=[job.pk]))
        nothing = outsider.get(reverse(name, args=[missing]))
        assert theirs.status_code == nothing.status_code == 404
        assert theirs.content == nothing.content
    assert str(job.pk) not in outsider.get(reverse("jobs:list")).content.decode()


def _job_of(browser: Client, province: Agency) -> str:
    response = _start_rollup(browser, province)
    return response["Location"].rstrip("/").split("/")[-1]


def test_a_user_with_the_most_active_jobs_is_refused_clearly(member, province, settings) -> None:
    settings.RENAKSI_JOBS_IMMEDIATE = False  # no worker: the jobs stay queued
    settings.RENAKSI_JOBS_PER_USER = 2
    for year in (2021, 2022, 2023):
        save_tree(province, year, random_plan(year, 2), actor=OPERATOR)
    browser = member(Role.PLANNER)
    for year in ("2021", "2022"):
        assert (
            browser.post(reverse("exports:rollup_start", args=[province.code]), {"year": year}).status_code
            == 302
        )
    refused = browser.post(reverse("exports:rollup_start", args=[province.code]), {"year": "2023"})
    assert refused.status_code == 429
    assert "Anda sudah menjalankan 2 pekerjaan, batasnya 2" in refused.content.decode()
    assert Job.objects.system("test").count() == 2
    # The same work again is the job already under way, not a refusal.
    again = browser.post(reverse("exports:rollup_start", args=[province.code]), {"year": "2022"})
    assert again.status_code == 302 and Job.objects.system("test").count() == 2


def test_a_viewer_may_read_a_rollup_page_of_their_agency_but_not_an_import_job(member, province) -> None:
    save_tree(province, 2023, random_plan(1, 3), actor=OPERATOR)
    job_id = _job_of(member(Role.PLANNER), province)
    viewer = member(Role.VIEWER)
    assert viewer.get(reverse("jobs:detail", args=[job_id])).status_code == 200
    read = Job.objects.create(
        kind=Job.Kind.IMPORT_READ, agency=province, key="pending:x", status=Job.Status.DONE
    )
    assert viewer.get(reverse("jobs:detail", args=[read.pk])).status_code == 403


def test_peak_memory_is_shown_to_the_agency_admin_only(member, province) -> None:
    job = Job.objects.create(
        kind=Job.Kind.ROLLUP,
        agency=find_agency(province.code),
        key="rollup:2023",
        params={"year": 2023},
        status=Job.Status.DONE,
        peak_rss_kb=300 * 1024,
    )
    url = reverse("jobs:detail", args=[job.pk])
    assert "Memori puncak pekerja: 300 MB" in member(Role.AGENCY_ADMIN).get(url).content.decode()
    assert "Memori puncak" not in member(Role.PLANNER).get(url).content.decode()
    assert "300 MB" in member(Role.AGENCY_ADMIN).get(reverse("jobs:list")).content.decode()


def test_the_agency_list_offers_the_rollup_only_to_roles_that_may_start_it(member, province) -> None:
    save_tree(province, 2023, random_plan(1, 3), actor=OPERATOR)
    action = f'action="{reverse("exports:rollup_start", args=[province.code])}"'
    assert action in member(Role.PLANNER).get(reverse("planning:agency_list")).content.decode()
    assert action not in member(Role.VIEWER).get(reverse("planning:agency_list")).content.decode()
