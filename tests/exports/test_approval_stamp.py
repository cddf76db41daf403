"""The printed plan (PDF and XLSX) says its version and who approved it when, beside the
signature block."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdf
import pytest
from tests.planning.workflow_support import People, make_people, make_plan, put_in

from renaksi.exports.services import export_plan
from renaksi.planning import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(path).pages)


def test_the_approved_plans_pdf_shows_the_version_the_approver_and_the_time(
    people: People, tmp_path: Path
) -> None:
    plan = put_in(make_plan(), "approved", people)
    plan.signer_name, plan.signer_title = "Drs. Budi Santoso", "Sekretaris KPU Provinsi Gorontalo"
    plan.save()
    text = pdf_text(export_plan(plan, "pdf", tmp_path / "rencana.pdf"))
    assert "Versi 1 · Disetujui oleh Approver (approver) pada" in text
    assert "pukul" in text and "WITA" in text
    assert "Drs. Budi Santoso" in text and "Sekretaris KPU Provinsi Gorontalo" in text


def test_a_draft_revision_is_printed_as_not_approved_with_its_reason(people: People, tmp_path: Path) -> None:
    plan = put_in(make_plan(), "approved", people)
    workflow.open_revision(plan, people["planner"], "Revisi Anggaran")
    text = pdf_text(export_plan(plan, "pdf", tmp_path / "rencana.pdf"))
    assert "Versi 2 (Revisi Anggaran) · Draf, belum disetujui" in text
    assert "Disetujui oleh" not in text


def test_the_xlsx_carries_the_approval_in_its_page_footer(people: People, tmp_path: Path) -> None:
    plan = put_in(make_plan(), "approved", people)
    path = export_plan(plan, "xlsx", tmp_path / "rencana.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "&amp;LVersi 1 · Disetujui oleh Approver (approver) pada" in sheet.replace("&amp;8", "")
