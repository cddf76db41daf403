"""Exports wired to the web: plan downloads, the province roll-up job and its page.

Everything runs the real writers (canonical JSON/CSV, XlsxWriter, Typst) through the test client.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import renaksi.cli
from renaksi.access import OPERATOR, Scope
from renaksi.agencies.services import find_agency
from renaksi.cli import main
from renaksi.exports import services as export_services
from renaksi.exports.meta import Signature
from renaksi.exports.services import (
    RollupError,
    export_meta,
    export_rollup,
    plan_text,
    rollup_plans,
    rollup_years,
)
from renaksi.imports.sample import random_plan
from renaksi.imports.services import commit_import, preview_import
from renaksi.jobs import services as job_services
from renaksi.jobs.models import Job
from renaksi.planning.models import Plan
from renaksi.planning.presenters import agency_directory
from renaksi.planning.services import save_tree

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROVINCE = "kpu-prov-gorontalo"
REGENCIES = ["kpu-kab-pohuwato", "kpu-kota-gorontalo", "kpu-kab-boalemo"]


@pytest.fixture(autouse=True)
def _isolated_exports(settings, tmp_path: Path) -> Iterator[None]:
    settings.DATA_DIR = tmp_path / "data"
    settings.RENAKSI_JOBS_IMMEDIATE = True
    # A request to /en/ leaves English active in this thread, and reverse() would follow it.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def seed_plan() -> Plan:
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, find_agency(PROVINCE), 2023, actor=OPERATOR)
    plan.sign_place, plan.sign_date = "Gorontalo", dt.date(2023, 1, 2)
    plan.signer_title, plan.signer_name, plan.signer_nip = (
        "Sekretaris",
        "Nama Sekretaris",
        "197001012000031001",
    )
    plan.save()
    return plan


@pytest.fixture
def province_plans(seed_plan: Plan) -> list[Plan]:
    """The seed plan of the province and small plans of three of its Kab/Kota, all of 2023."""
    plans = [seed_plan]
    for seed, code in enumerate(REGENCIES):
        plans.append(save_tree(find_agency(code), 2023, random_plan(seed, 6), actor=OPERATOR))
    save_tree(
        find_agency("kpu-kab-gorontalo"), 2022, random_plan(9, 3), actor=OPERATOR
    )  # another year: left out
    return plans


def download(client: Client, plan_id: int, fmt: str):
    return client.get(reverse("exports:plan_download", args=[plan_id, fmt]))


# --- the plan downloads --------------------------------------------------------------------------


def test_export_meta_carries_the_agency_name_and_the_signature_block(seed_plan: Plan) -> None:
    meta = export_meta(seed_plan)
    assert meta.agency_name == "KPU Provinsi Gorontalo"
    assert meta.signature == Signature(
        place="Gorontalo",
        date=dt.date(2023, 1, 2),
        title="Sekretaris",
        name="Nama Sekretaris",
        nip="197001012000031001",
    )
    assert meta.signature.place_and_date == "Gorontalo, 2 Januari 2023"


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"),
    [
        ("xlsx", XLSX, b"PK\x03\x04"),
        ("pdf", "application/pdf", b"%PDF"),
        ("csv", "text/csv; charset=utf-8", b"\xef\xbb\xbfRENCANA AKSI TAHUN 2023\n"),
        ("json", "application/json; charset=utf-8", b"{\n"),
    ],
)
def test_each_download_is_an_attachment_of_its_type(
    client: Client, seed_plan: Plan, fmt: str, content_type: str, magic: bytes
) -> None:
    response = download(client, seed_plan.pk, fmt)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="renaksi-kpu-prov-gorontalo-2023.{fmt}"'
    body = b"".join(response.streaming_content)
    assert body.startswith(magic)
    assert len(body) > 1000


def test_the_xlsx_download_opens_and_holds_the_plan(client: Client, seed_plan: Plan) -> None:
    body = b"".join(download(client, seed_plan.pk, "xlsx").streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    texts = {str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value}
    assert "ATK Administrasi Kepegawaian" in texts


def test_the_json_download_has_the_bytes_of_the_cli_export(
    client: Client, seed_plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "kpu-prov-gorontalo/2023", "--format", "json"]) == 0
    cli_json = capsys.readouterr().out
    body = b"".join(download(client, seed_plan.pk, "json").streaming_content)
    assert body == cli_json.encode("utf-8")
    assert json.loads(body)["agency"] == {"code": "kpu-prov-gorontalo", "name": "KPU Provinsi Gorontalo"}


def test_the_csv_download_has_the_bytes_of_the_cli_export(
    client: Client, seed_plan: Plan, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(seed_plan.pk), "--format", "csv"]) == 0
    body = b"".join(download(client, seed_plan.pk, "csv").streaming_content)
    assert body == capsys.readouterr().out.encode("utf-8")
    # the title block, the two header rows, the 47 table rows and the header repeated before the
    # group printed without its goal header
    assert body.count(b"\n") == 3 + 2 + 47 + 2


def test_a_download_leaves_no_file_behind(
    client: Client, seed_plan: Plan, tmp_path: Path, monkeypatch
) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for fmt in ("json", "xlsx"):
        response = download(client, seed_plan.pk, fmt)
        # The test client closes the response (and its file) once its content has been read; a
        # second close would send request_finished, which closes the database connection.
        b"".join(response.streaming_content)
    assert [p for p in tmp_path.iterdir() if p.name != "data"] == []


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv", "json"])
def test_a_missing_plan_is_404_in_every_format(client: Client, fmt: str) -> None:
    assert download(client, 999_999, fmt).status_code == 404


def test_an_unknown_format_is_404(client: Client, seed_plan: Plan) -> None:
    assert download(client, seed_plan.pk, "docx").status_code == 404
    assert client.post(reverse("exports:plan_download", args=[seed_plan.pk, "json"])).status_code == 405


def test_two_plans_of_one_agency_and_year_download_under_different_names(
    client: Client, seed_plan: Plan
) -> None:
    tree = random_plan(3, 2)
    tree.signing_unit = "Ketua"
    other = save_tree(seed_plan.agency, 2023, tree, actor=OPERATOR)
    names = {download(client, plan.pk, "csv")["Content-Disposition"] for plan in (seed_plan, other)}
    assert names == {
        'attachment; filename="renaksi-kpu-prov-gorontalo-2023-sekretaris.csv"',
        'attachment; filename="renaksi-kpu-prov-gorontalo-2023-ketua.csv"',
    }


def test_the_plan_page_links_the_four_downloads(client: Client, seed_plan: Plan) -> None:
    html = client.get(reverse("planning:plan_detail", args=[seed_plan.pk])).content.decode()
    for fmt in ("xlsx", "pdf", "csv", "json"):
        url = reverse("exports:plan_download", args=[seed_plan.pk, fmt])
        assert re.search(rf'<a href="{re.escape(url)}" data-format="{fmt}" download>{fmt.upper()}<', html)


# --- the province roll-up ------------------------------------------------------------------------


def test_a_rollup_lists_the_province_first_then_its_kab_kota_by_name(province_plans: list[Plan]) -> None:
    names = [meta.agency_name for meta, _tree in rollup_plans(find_agency(PROVINCE), 2023)]
    assert names == [
        "KPU Provinsi Gorontalo",
        "KPU Kabupaten Boalemo",
        "KPU Kabupaten Pohuwato",
        "KPU Kota Gorontalo",
    ]


def test_a_rollup_reports_one_step_per_plan_and_one_for_the_workbook(
    province_plans: list[Plan], tmp_path: Path
) -> None:
    steps: list[tuple[int, int]] = []
    target = export_rollup(
        find_agency(PROVINCE), 2023, tmp_path / "rekap.xlsx", lambda d, t: steps.append((d, t))
    )
    assert steps == [(done, 5) for done in range(6)]
    assert len(openpyxl.load_workbook(target).sheetnames) >= 4


def test_a_rollup_is_refused_for_a_regency_or_a_year_without_plans(province_plans: list[Plan]) -> None:
    with pytest.raises(RollupError, match="not a province"):
        rollup_plans(find_agency("kpu-kab-boalemo"), 2023)
    with pytest.raises(RollupError, match="no plan for 2019"):
        rollup_plans(find_agency(PROVINCE), 2019)


def test_rollup_years_name_each_province_with_plans_in_it_or_under_it(province_plans: list[Plan]) -> None:
    everything = Scope(user_id=1, site_admin=True)
    assert rollup_years(agency_directory(everything)) == {PROVINCE: [2023, 2022]}
    with translation.override("en"):  # the level is compared in the active language
        assert rollup_years(agency_directory(everything)) == {PROVINCE: [2023, 2022]}


def test_the_agency_list_offers_the_rollup_next_to_the_province_only(
    client: Client, province_plans: list[Plan]
) -> None:
    html = client.get(reverse("planning:agency_list")).content.decode()
    action = reverse("exports:rollup_start", args=[PROVINCE])
    assert html.count(f'action="{action}"') == 2  # 2023 and 2022
    assert html.count('class="rollup-form"') == 2
    assert "Unduh rekap provinsi (XLSX) 2023" in html
    english = client.get("/en/").content.decode()
    assert "Download province roll-up (XLSX) 2023" in english


def test_the_rollup_job_runs_to_done_and_its_file_opens(client: Client, province_plans: list[Plan]) -> None:
    response = client.post(reverse("exports:rollup_start", args=[PROVINCE]), {"year": "2023"})
    assert response.status_code == 302
    job = Job.objects.system("test").get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.DONE
    assert job.progress_done == job.progress_total == 5
    assert job.error == ""

    page = client.get(response["Location"])
    assert "Refresh" not in page
    file_url = reverse("jobs:file", args=[job.pk])
    assert f'href="{file_url}"' in page.content.decode()

    download = client.get(file_url)
    assert download["Content-Type"] == XLSX
    assert (
        download["Content-Disposition"] == 'attachment; filename="renaksi-rekap-kpu-prov-gorontalo-2023.xlsx"'
    )
    body = b"".join(download.streaming_content)
    assert body.startswith(b"PK")
    assert len(openpyxl.load_workbook(io.BytesIO(body)).sheetnames) >= 4


def test_a_rollup_post_without_a_csrf_token_is_refused(
    province_plans: list[Plan], csrf_client: Client
) -> None:
    client = csrf_client
    response = client.post(reverse("exports:rollup_start", args=[PROVINCE]), {"year": "2023"})
    assert response.status_code == 403
    assert Job.objects.system("test").count() == 0


def test_the_rollup_form_of_the_agency_list_carries_a_working_csrf_token(
    province_plans: list[Plan], csrf_client: Client
) -> None:
    client = csrf_client
    html = client.get(reverse("planning:agency_list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    response = client.post(
        reverse("exports:rollup_start", args=[PROVINCE]),
        {"year": "2023", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302
    assert Job.objects.system("test").get().status == Job.Status.DONE


def test_a_rollup_cannot_be_started_with_get(client: Client, province_plans: list[Plan]) -> None:
    assert client.get(reverse("exports:rollup_start", args=[PROVINCE])).status_code == 405
    assert Job.objects.system("test").count() == 0


@pytest.mark.parametrize(
    ("agency", "year", "status"),
    [
        ("kpu-kab-boalemo", "2023", 404),  # a regency has no roll-up
        ("kpu-prov-mars", "2023", 404),
        (PROVINCE, "2019", 404),  # no plan that year
        (PROVINCE, "dua ribu", 400),
        (PROVINCE, "", 400),
    ],
)
def test_a_rollup_that_cannot_be_made_creates_no_job(
    client: Client, province_plans: list[Plan], agency: str, year: str, status: int
) -> None:
    response = client.post(reverse("exports:rollup_start", args=[agency]), {"year": year})
    assert response.status_code == status
    assert Job.objects.system("test").count() == 0


def test_a_failing_rollup_is_recorded_as_failed_without_internals(
    client: Client, province_plans: list[Plan], monkeypatch
) -> None:
    def explode(*args, **kwargs):
        raise OSError("disk full at /secret/path")

    monkeypatch.setattr(export_services, "export_rollup", explode)
    response = client.post(reverse("exports:rollup_start", args=[PROVINCE]), {"year": "2023"})
    job = Job.objects.system("test").get()
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Pekerjaan ini gagal" in page
    assert "/secret/path" not in page
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def _running_rollup() -> Job:
    return Job.objects.create(
        kind=Job.Kind.ROLLUP,
        agency=find_agency(PROVINCE),
        key="rollup:2023",
        params={"year": 2023},
        status=Job.Status.RUNNING,
    )


def test_a_running_job_page_refreshes_itself_and_shows_progress(
    client: Client, province_plans: list[Plan]
) -> None:
    job = Job.objects.create(
        kind=Job.Kind.ROLLUP,
        agency=find_agency(PROVINCE),
        key="rollup:2023",
        params={"year": 2023},
        status=Job.Status.RUNNING,
        progress_done=2,
        progress_total=5,
    )
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response["Refresh"] == "2"
    html = response.content.decode()
    assert '<progress value="2" max="5">40%</progress>' in html
    assert "2 dari 5 langkah" in html
    assert reverse("jobs:file", args=[job.pk]) not in html
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_a_job_that_stopped_moving_stops_refreshing(client: Client, province_plans: list[Plan]) -> None:
    job = _running_rollup()
    Job.objects.system("test").filter(pk=job.pk).update(
        updated_at=timezone.now() - job_services.stale_after() * 2
    )
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert "Refresh" not in response
    assert "terhenti" in response.content.decode()
    assert Job.objects.system("test").get(pk=job.pk).status == Job.Status.FAILED
    # ... and a new request starts a new job instead of pointing at the dead one
    client.post(reverse("exports:rollup_start", args=[PROVINCE]), {"year": "2023"})
    assert Job.objects.system("test").filter(status=Job.Status.DONE).count() == 1


def test_a_live_job_is_reused_rather_than_started_twice(client: Client, province_plans: list[Plan]) -> None:
    job = _running_rollup()
    response = client.post(reverse("exports:rollup_start", args=[PROVINCE]), {"year": "2023"})
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert Job.objects.system("test").count() == 1


def test_an_unknown_job_is_404(client: Client) -> None:
    assert client.get(reverse("jobs:detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("jobs:file", args=[uuid.uuid4()])).status_code == 404


def test_a_job_file_outside_the_exports_folder_is_never_served(
    client: Client, province_plans: list[Plan], settings
) -> None:
    secret = Path(settings.DATA_DIR) / "secret_key_copy"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("do not serve")
    job = Job.objects.create(
        kind=Job.Kind.ROLLUP,
        agency=find_agency(PROVINCE),
        key="rollup:2023",
        status=Job.Status.DONE,
        file_path="../secret_key_copy",
    )
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_plan_text_refuses_a_binary_format(seed_plan: Plan) -> None:
    with pytest.raises(ValueError, match="not a text format"):
        plan_text(seed_plan, "xlsx")
