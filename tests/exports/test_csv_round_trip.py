"""The CSV download opens in a spreadsheet set to Indonesian (``;``, a UTF-8 BOM, amounts as
plain integers) and Renaksi's importer reads it back as the same plan: the plan imported again
from its own CSV has the very canonical export (JSON) it had."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import renaksi.cli
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.core import canonical
from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import plan_totals
from renaksi.exports.services import export_plan, plan_text
from renaksi.imports.sample import random_plan
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree, save_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(django_user_model) -> object:
    """Who imports: a site admin, who may edit every agency."""
    return django_user_model.objects.create_superuser(
        "admin", "admin@example.invalid", "kata-sandi-admin-123"
    )


def seed_plan(actor: object) -> Plan:
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, find_agency("kpu-prov-gorontalo"), 2023, actor=actor)
    return plan


def generated_plan(actor: object, seed: int, lines: int, **options: bool | None) -> Plan:
    agency = Agency.objects.create(code=f"csv-{seed}", name=f"Satker Uji CSV {seed}", level="regency")
    tree = random_plan(seed, lines, **options)
    return save_tree(agency, tree.year or 2024, tree, actor=actor)


def without_review_notes(tree: PlanTree) -> str:
    """Canonical JSON with the review notes blanked. A generated plan's note on a group without
    its goal header is the generator's wording; any import words it its own way (as the XLSX
    round trip, tests/exports/test_xlsx.py, also allows). Whether the group is flagged is kept."""
    for program_goal in tree.program_goals():
        program_goal.review_note = ""
    return canonical.dumps(tree)


def reimported(plan: Plan, folder: Path, actor: object) -> tuple[Plan, str]:
    """Export the plan's CSV, import it again over the same plan, and the canonical JSON before."""
    before = plan_text(plan, "json")
    path = export_plan(plan, "csv", folder / "rencana.csv")
    preview = preview_import(path)
    assert preview.report.source_format == "csv"
    assert preview.report.lost_cells == 0 and preview.report.unplaced == []
    again, _record = commit_import(preview, plan.agency, plan.year, actor=actor, replace=True)
    assert again.pk == plan.pk
    return again, before


def test_the_csv_is_semicolon_separated_utf8_with_a_bom_and_amounts_as_plain_integers(
    tmp_path: Path, actor: object
) -> None:
    plan = seed_plan(actor)
    data = export_plan(plan, "csv", tmp_path / "rencana.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[:3] == [
        ["RENCANA AKSI TAHUN 2023"],
        ["SEKRETARIS"],
        ["KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"],
    ]
    assert rows[3][:3] == ["NO", "SASARAN STRATEGIS", "SASARAN PROGRAM"]
    assert rows[4][7:19] == [str(month) for month in range(1, 13)]
    cost = rows[3].index("PERKIRAAN BIAYA")
    lines = [row for row in rows[5:] if row[:1] != ["NO"] and row[7:19] != rows[4][7:19]]  # no header
    amounts = [row[cost] for row in lines if row[cost] not in ("", "-")]
    assert amounts and all(amount.isdigit() for amount in amounts)  # no "Rp", no grouping dots
    assert sum(map(int, amounts)) == plan_totals(load_tree(plan)).grand_total == 10_060_818_000
    assert {row[month] for row in lines for month in range(7, 19)} <= {"", "x"}


def test_the_seed_plan_imported_again_from_its_csv_has_the_same_canonical_export(
    tmp_path: Path, actor: object
) -> None:
    plan, before = reimported(seed_plan(actor), tmp_path, actor)
    assert plan_text(plan, "json") == before


@pytest.mark.parametrize(
    ("seed", "lines", "options"),
    [
        (3, 30, {}),
        (8, 12, {"person_in_charge": True, "title": False}),
        (14, 40, {"headerless": False, "person_in_charge": True}),
    ],
)
def test_a_generated_plan_imported_again_from_its_csv_has_the_same_canonical_export(
    tmp_path: Path, actor: object, seed: int, lines: int, options: dict[str, bool]
) -> None:
    plan, before = reimported(generated_plan(actor, seed, lines, **options), tmp_path, actor)
    assert plan_text(plan, "json") == before


@pytest.mark.parametrize("seed", [5, 31])
def test_a_generated_plan_with_a_group_without_goal_header_comes_back_flagged_as_it_was(
    tmp_path: Path, actor: object, seed: int
) -> None:
    original = generated_plan(actor, seed, 30, headerless=True)
    expected = without_review_notes(load_tree(original))
    assert any(goal.is_headerless for goal in load_tree(original).goals)
    plan, _before = reimported(original, tmp_path, actor)
    assert without_review_notes(load_tree(plan)) == expected
