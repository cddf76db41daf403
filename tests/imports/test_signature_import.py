"""An exported plan imported again brings its signature block with it, recorded in the history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.exports.services import export_plan
from renaksi.history.models import HistoryEvent
from renaksi.imports.services import commit_import, preview_import

pytestmark = pytest.mark.django_db


def test_the_official_xlsx_export_imported_elsewhere_carries_its_signature(tmp_path: Path, settings) -> None:
    settings.DATA_DIR = tmp_path / "data"
    plan, _record = commit_import(
        preview_import(Path(renaksi.cli.SEED_FILE)), find_agency("kpu-prov-gorontalo"), 2023, actor=OPERATOR
    )
    plan.sign_place, plan.sign_date = "Gorontalo", dt.date(2023, 1, 2)
    plan.signer_title, plan.signer_name, plan.signer_nip = (
        "Sekretaris",
        "Nama Sekretaris",
        "197001012000031001",
    )
    plan.save()
    exported = export_plan(plan, "xlsx", tmp_path / "plan.xlsx")

    preview = preview_import(exported)
    assert preview.report.signature == {
        "place": "Gorontalo",
        "date": "2023-01-02",
        "title": "Sekretaris",
        "name": "Nama Sekretaris",
        "nip": "197001012000031001",
    }
    copy, _record = commit_import(preview, find_agency("kpu-kab-boalemo"), 2023, actor=OPERATOR)
    copy.refresh_from_db()
    assert (copy.sign_place, copy.sign_date, copy.signer_title, copy.signer_name, copy.signer_nip) == (
        "Gorontalo",
        dt.date(2023, 1, 2),
        "Sekretaris",
        "Nama Sekretaris",
        "197001012000031001",
    )
    changed = HistoryEvent.objects.system("test").filter(plan=copy, after__signer_name="Nama Sekretaris")
    assert changed.count() == 1
