"""Generated plans imported through the command into the database and exported again.

The file forms people send (merged-cell XLSX with shaded months, cp1252 CSV with ';' and Rupiah
amounts, tab-separated text) must all give the generated plan back, schedule and all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from renaksi.cli import main
from renaksi.core import canonical
from renaksi.imports.sample import random_plan
from renaksi.imports.writers import write_csv, write_tsv, write_xlsx
from renaksi.planning.models import Plan

pytestmark = pytest.mark.django_db


def without_review_notes(document: dict) -> dict:
    for goal in document["goals"]:
        for pg in goal["program_goals"]:
            pg["review_note"] = ""  # the importer words its own notes
    document["agency"] = {}
    return document


@pytest.mark.parametrize("form", ["xlsx", "csv", "tsv"])
@pytest.mark.parametrize("seed", [3, 11, 29])
def test_a_generated_plan_imported_through_the_command_exports_as_itself(
    capsys, tmp_path: Path, form, seed
) -> None:
    tree = random_plan(seed, 60, title=True, person_in_charge=True)
    source = tmp_path / f"plan.{form}"
    if form == "xlsx":
        write_xlsx(tree, source)
    elif form == "csv":
        write_csv(tree, source, delimiter=";", encoding="cp1252", money_style="id")
    else:
        write_tsv(tree, source)
    year = str(tree.year)
    assert main(["import", str(source), "--agency", "KPU Kabupaten Boalemo", "--year", year]) == 0
    exported = tmp_path / "export.json"
    assert main(["export", f"kpu-kab-boalemo/{year}", "--format", "json", "-o", str(exported)]) == 0
    capsys.readouterr()
    got = without_review_notes(json.loads(exported.read_text(encoding="utf-8")))
    expected = without_review_notes(canonical.tree_to_dict(tree))
    assert got == expected
    assert any(
        line["months"]
        for g in got["goals"]
        for pg in g["program_goals"]
        for i in pg["indicators"]
        for line in i["lines"]
    )
    assert Plan.objects.system("test").get().sub_activities.count() == sum(1 for _ in tree.lines())
