"""Versions: an approved version is frozen (by page, command and import), a revision opens the
next one with its reason, and any two versions compare line by line, on screen and as XLSX."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.planning.workflow_support import HOME, People, make_people, make_plan, put_in

from renaksi.imports.models import ImportRecord, PendingImport
from renaksi.planning import models as m
from renaksi.planning import versions, workflow
from renaksi.planning.services import load_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(settings, tmp_path: Path) -> People:
    settings.DATA_DIR = tmp_path / "data"
    settings.RENAKSI_JOBS_IMMEDIATE = True
    return make_people()


def browser(people: People, role: str) -> Client:
    client = Client()
    client.force_login(people[role])
    return client


def line(plan: m.Plan, name: str) -> m.SubActivity:
    return m.SubActivity.objects.of_plan(plan).get(name=name)


def edit_form(row: m.SubActivity, cost: str) -> dict[str, str]:
    return {
        "cost": cost,
        "budget_code": row.budget_code,
        "remarks": row.remarks,
        "person_in_charge": row.person_in_charge,
        "months": [str(month) for month in range(1, 13) if row.schedule_mask & (1 << (month - 1))],
        "version": str(row.version),
    }


def approved_json(plan: m.Plan, cost: int) -> bytes:
    """The plan's canonical JSON with its first line's cost changed."""
    data = json.loads(versions.snapshot_text(plan))
    data["goals"][0]["program_goals"][0]["indicators"][0]["lines"][0]["cost"] = cost
    return json.dumps(data, ensure_ascii=False).encode()


def test_an_approved_plan_keeps_a_frozen_copy_with_who_approved_it_and_when(people: People) -> None:
    plan = put_in(make_plan(), "approved", people)
    (version,) = versions.version_rows(plan)
    assert (version.number, version.status) == (1, "approved")
    assert (version.submitted_by, version.submitted_by_name) == (people["planner"], "Planner (planner)")
    assert (version.approved_by, version.approved_by_name) == (people["approver"], "Approver (approver)")
    assert version.approved_at is not None and version.submitted_at <= version.approved_at
    assert '"cost": 5000000' in version.snapshot  # frozen when approved, not later
    tree = versions.version_tree(plan, 1)
    assert [item.cost for item in tree.lines()] == [5_000_000, 3_000_000, 2_000_000]


def test_an_approved_line_cannot_be_changed_by_the_service_or_the_page(people: People) -> None:
    plan = put_in(make_plan(), "approved", people)
    row = line(plan, "Rapat RKA")
    with pytest.raises(workflow.WorkflowError, match="sudah disetujui"):
        workflow.update_line(
            row, workflow.LineChange(9, "amount", row.budget_code, "", "", (1,)), people["planner"]
        )
    response = browser(people, "planner").post(
        reverse("planning:line_edit", args=[plan.pk, row.pk]), edit_form(row, "9.000.000")
    )
    assert response.status_code == 409
    assert line(plan, "Rapat RKA").cost == 5_000_000


def test_the_browser_import_refuses_to_replace_an_approved_plan(people: People) -> None:
    plan = put_in(make_plan(), "approved", people)
    client = browser(people, "planner")
    upload = SimpleUploadedFile("rencana.json", approved_json(plan, 7_777_000), "application/json")
    response = client.post(reverse("imports:upload", args=[HOME]), {"file": upload, "year": "2024"})
    assert response.status_code == 302, response.content[:2000]
    pending = PendingImport.objects.system("test").latest("created_at")
    records = ImportRecord.objects.system("test").count()
    refused = client.post(reverse("imports:commit", args=[pending.pk]), {"replace": "on"}, follow=True)
    assert "buka revisi sebelum menggantinya" in refused.content.decode()
    assert ImportRecord.objects.system("test").count() == records
    assert line(plan, "Rapat RKA").cost == 5_000_000
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_a_revision_needs_a_reason_and_opens_the_next_version_as_a_draft(people: People) -> None:
    plan = put_in(make_plan(), "approved", people)
    with pytest.raises(workflow.WorkflowError, match="Alasan revisi wajib diisi"):
        workflow.open_revision(plan, people["planner"], " ")
    page = browser(people, "planner").post(reverse("planning:plan_revise", args=[plan.pk]), {"reason": ""})
    assert page.status_code == 400 and "Alasan revisi wajib diisi" in page.content.decode()
    browser(people, "planner").post(
        reverse("planning:plan_revise", args=[plan.pk]), {"reason": "Revisi Anggaran"}
    )
    plan.refresh_from_db()
    assert plan.status == "draft"
    first, second = versions.version_rows(plan)
    assert (first.number, first.status, second.number, second.status) == (1, "approved", 2, "draft")
    assert (second.reason, second.opened_by_name) == ("Revisi Anggaran", "Planner (planner)")
    assert first.snapshot  # frozen
    listing = (
        browser(people, "viewer").get(reverse("planning:plan_versions", args=[plan.pk])).content.decode()
    )
    assert (
        "Revisi Anggaran" in listing and "Approver (approver)" in listing and "Planner (planner)" in listing
    )


def _revised(people: People) -> m.Plan:
    """Version 1 approved; version 2 changes one cost and one schedule, adds a line, removes one."""
    plan = put_in(make_plan(), "approved", people)
    workflow.open_revision(plan, people["planner"], "Revisi Anggaran")
    rka, renja = line(plan, "Rapat RKA"), line(plan, "Rapat Renja")
    workflow.update_line(
        rka, workflow.LineChange(6_500_000, "amount", rka.budget_code, "", "", (1, 2, 3)), people["planner"]
    )
    from renaksi.access import OPERATOR
    from renaksi.core.plan_tree import CostState, Line
    from renaksi.planning.services import save_tree

    tree = load_tree(plan)
    indicator = next(tree.indicators())
    indicator.lines = [item for item in indicator.lines if item.name != renja.name]
    indicator.lines.append(
        Line(
            name="Rapat Evaluasi",
            activity="Rapat Koordinasi",
            cost=1_250_000,
            cost_state=CostState.AMOUNT,
            budget_code="6709.QGE.001",
            months=(6,),
        )
    )
    indicator.target = "95%"
    save_tree(plan.agency, 2024, tree, actor=OPERATOR, replace=True)
    return plan


def test_two_versions_compare_line_by_line_on_screen(people: People) -> None:
    plan = _revised(people)
    page = (
        browser(people, "inspector")
        .get(reverse("planning:version_diff", args=[plan.pk]), {"dari": 1, "ke": 2})
        .content.decode()
    )
    assert "Rapat Evaluasi" in page and "Ditambah" in page
    assert "Rapat Renja" in page and "Dihapus" in page
    assert "Rp 5.000.000" in page and "Rp 6.500.000" in page and "Diubah" in page
    assert "90%" in page and "95%" in page
    missing = browser(people, "viewer").get(
        reverse("planning:version_diff", args=[plan.pk]), {"dari": 1, "ke": 7}
    )
    assert missing.status_code == 404


def test_the_difference_downloads_as_xlsx_with_old_and_new_values(people: People) -> None:
    plan = _revised(people)
    response = browser(people, "viewer").get(
        reverse("planning:version_diff_xlsx", args=[plan.pk]), {"dari": 1, "ke": 2}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    header, body = rows[0], {row[1]: row for row in rows[1:]}
    assert header[:6] == (
        "Perubahan",
        "Rencana kegiatan",
        "Kegiatan",
        "Indikator kinerja",
        "Perkiraan biaya (lama)",
        "Perkiraan biaya (baru)",
    )
    assert body["Rapat RKA"][0] == "Diubah" and body["Rapat RKA"][4:8] == (
        5_000_000,
        6_500_000,
        "Jan, Feb",
        "Jan, Feb, Mar",
    )
    assert body["Rapat RKA"][10:12] == ("90%", "95%")
    assert body["Rapat Renja"][0] == "Dihapus" and body["Rapat Renja"][4:6] == (3_000_000, None)
    assert body["Rapat Evaluasi"][0] == "Ditambah" and body["Rapat Evaluasi"][4:6] == (None, 1_250_000)
    assert "Penyusunan LKj" not in body  # unchanged lines are not listed


def test_the_line_edit_service_refuses_whoever_may_not_edit(people: People) -> None:
    from django.core.exceptions import PermissionDenied

    plan = make_plan()
    row = line(plan, "Rapat RKA")
    change = workflow.LineChange(9, "amount", row.budget_code, "", "", (1,))
    for role in ("viewer", "approver", "pic", "inspector", "other_agency", "anonymous"):
        with pytest.raises(PermissionDenied):
            workflow.update_line(row, change, people[role])
    with pytest.raises(PermissionDenied):
        workflow.update_line(row, change, None)
    assert line(plan, "Rapat RKA").cost == 5_000_000
    workflow.update_line(row, change, people["planner"])
    assert line(plan, "Rapat RKA").cost == 9
