"""``renaksi import --dry-run`` refuses whatever the real import refuses, with the same message and
exit status, and writes nothing either way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from renaksi.cli import SEED_FILE, main
from renaksi.history.models import HistoryEvent
from renaksi.imports.models import ImportRecord
from renaksi.planning.models import Plan

pytestmark = pytest.mark.django_db

PROVINCE = "KPU Provinsi Gorontalo"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def written() -> tuple[int, int, int]:
    return (
        Plan.objects.system("test").count(),
        HistoryEvent.objects.system("test").count(),
        ImportRecord.objects.system("test").count(),
    )


def _existing_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[str]:
    assert run(capsys, "import", str(SEED_FILE), "--agency", PROVINCE, "--year", "2023")[0] == 0
    return ["import", str(SEED_FILE), "--agency", PROVINCE, "--year", "2023"]


def _other_year(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[str]:
    return ["import", str(SEED_FILE), "--agency", PROVINCE, "--year", "2024"]


def _unknown_agency(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[str]:
    return ["import", str(SEED_FILE), "--agency", "KPU Planet Mars", "--year", "2023"]


def _malformed_amount(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[str]:
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED_FILE.read_text(encoding="utf-8").replace("8,378,000", "8.37.800"), encoding="utf-8")
    return ["import", str(bad), "--agency", PROVINCE, "--year", "2023"]


def _not_a_plan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[str]:
    other = tmp_path / "notes.txt"
    other.write_text("Daftar belanja\nkertas\t10\n", encoding="utf-8")
    return ["import", str(other), "--agency", PROVINCE, "--year", "2023"]


REFUSALS: dict[str, tuple[Callable[[pytest.CaptureFixture[str], Path], list[str]], int, str]] = {
    "existing plan without --replace": (_existing_plan, 1, "pakai --replace"),
    "year not the file's": (_other_year, 2, "berikan --year yang sesuai"),
    "unknown agency": (_unknown_agency, 2, "KPU Planet Mars"),
    "malformed amount": (_malformed_amount, 2, "8.37.800"),
    "not a plan": (_not_a_plan, 2, "bukan tabel Rencana Aksi"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_a_dry_run_refuses_what_the_real_run_refuses_with_the_same_message_and_status(
    capsys, tmp_path: Path, case: str
) -> None:
    arrange, status, words = REFUSALS[case]
    argv = arrange(capsys, tmp_path)
    before = written()

    dry = run(capsys, *argv, "--dry-run")
    real = run(capsys, *argv)

    assert (dry[0], dry[2]) == (real[0], real[2])  # exit status and standard error, to the byte
    assert dry[0] == status and words in dry[2]
    assert "tidak ada yang disimpan" not in dry[1]  # the dry run does not claim all is well
    assert written() == before


def test_a_dry_run_with_replace_says_which_plan_would_be_replaced_and_keeps_it(capsys) -> None:
    argv = ["import", str(SEED_FILE), "--agency", PROVINCE, "--year", "2023"]
    assert run(capsys, *argv)[0] == 0
    plan = Plan.objects.system("test").get()
    before = written()

    code, out, _ = run(capsys, *argv, "--replace", "--dry-run")

    assert code == 0
    assert f"Rencana {plan} (id {plan.pk}) akan diganti." in out
    assert written() == before
    assert run(capsys, *argv, "--replace")[0] == 0  # and the real run does as the dry run said


def test_a_dry_run_of_a_new_plan_passes_and_the_real_run_then_saves_it(capsys) -> None:
    argv = ["import", str(SEED_FILE), "--agency", PROVINCE, "--year", "2023"]
    code, out, _ = run(capsys, *argv, "--dry-run")
    assert code == 0 and "Pratinjau (--dry-run): tidak ada yang disimpan." in out
    assert "akan diganti" not in out
    assert written() == (0, 0, 0)
    assert run(capsys, *argv)[0] == 0
    assert written()[0] == 1
