"""Before a replace writes anything, the preview says what it will add, change and remove."""

from __future__ import annotations

from pathlib import Path

import pytest

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.history.models import HistoryEvent
from renaksi.imports.services import commit_import, preview_import, preview_replace, replace_summary
from renaksi.planning import models as m

pytestmark = pytest.mark.django_db

PROVINCE = "kpu-prov-gorontalo"
SEED = Path(renaksi.cli.SEED_FILE)
NOTHING = [
    "Sasaran strategis: akan ditambah 0, diubah 0, dihapus 0",
    "Sasaran program: akan ditambah 0, diubah 0, dihapus 0",
    "Indikator kinerja: akan ditambah 0, diubah 0, dihapus 0",
    "Kegiatan: akan ditambah 0, diubah 0, dihapus 0",
    "Rencana kegiatan: akan ditambah 0, diubah 0, dihapus 0",
]


def import_seed(*extra: str) -> int:
    return renaksi.cli.main(["import", str(SEED), "--agency", PROVINCE, "--year", "2023", *extra])


def test_there_is_nothing_to_preview_without_a_stored_plan() -> None:
    assert preview_replace(preview_import(SEED), find_agency(PROVINCE), 2023) is None


def test_the_preview_counts_what_the_new_file_adds_changes_and_removes_and_writes_nothing() -> None:
    plan, _record = commit_import(preview_import(SEED), find_agency(PROVINCE), 2023, actor=OPERATOR)
    events = HistoryEvent.objects.system("test").count()
    preview = preview_import(SEED)
    first = next(preview.tree.indicators())
    first.lines.pop(0)
    first.target = "100%"
    next(preview.tree.lines()).cost = 1  # the second line, now the first
    diff = preview_replace(preview, plan.agency, 2023)
    assert diff is not None
    assert replace_summary(diff) == [
        "Sasaran strategis: akan ditambah 0, diubah 0, dihapus 0",
        "Sasaran program: akan ditambah 0, diubah 0, dihapus 0",
        "Indikator kinerja: akan ditambah 0, diubah 1, dihapus 0",
        "Kegiatan: akan ditambah 0, diubah 0, dihapus 0",
        "Rencana kegiatan: akan ditambah 0, diubah 1, dihapus 1",
    ]
    assert HistoryEvent.objects.system("test").count() == events
    assert plan.sub_activities.count() == 45


def test_reimporting_the_same_file_says_nothing_changes_and_writes_no_history(capsys) -> None:
    assert import_seed() == 0
    plan = m.Plan.objects.system("test").get(agency=find_agency(PROVINCE), year=2023)
    events = HistoryEvent.objects.system("test").count()
    capsys.readouterr()

    assert import_seed("--replace", "--dry-run") == 0
    dry = capsys.readouterr().out
    assert import_seed("--replace") == 0
    real = capsys.readouterr().out
    for out in (dry, real):
        for line in NOTHING:
            assert line in out
        assert "Tidak ada yang berubah" in out
    assert HistoryEvent.objects.system("test").filter(plan=plan).count() == events


def test_the_command_prints_the_counts_of_a_changing_replace_before_it_saves(capsys, tmp_path) -> None:
    assert import_seed() == 0
    text = SEED.read_text(encoding="utf-8")
    assert text.count("Honor Rohaniwan") == 1
    changed = tmp_path / "revisi.txt"
    changed.write_text(text.replace("Honor Rohaniwan", "Honor Rohaniwan dan Pemuka Agama"), encoding="utf-8")
    capsys.readouterr()
    argv = ["import", str(changed), "--agency", PROVINCE, "--year", "2023", "--replace"]
    assert renaksi.cli.main([*argv, "--dry-run"]) == 0
    assert "Rencana kegiatan: akan ditambah 1, diubah 0, dihapus 1" in capsys.readouterr().out
    assert renaksi.cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "Rencana kegiatan: akan ditambah 1, diubah 0, dihapus 1" in out
    assert out.index("akan ditambah") < out.index("Tersimpan")
    assert renaksi.cli.main(argv) == 0
    assert "Rencana kegiatan: akan ditambah 0, diubah 0, dihapus 0" in capsys.readouterr().out
