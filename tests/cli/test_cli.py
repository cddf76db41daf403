"""The ``renaksi`` command, run in-process against the test database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.cli import SEED_FILE, main
from renaksi.imports.models import ImportRecord, UnplacedCell
from renaksi.planning.models import Plan, SubActivity

pytestmark = pytest.mark.django_db


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_dry_run_prints_the_golden_figures_and_writes_nothing(capsys) -> None:
    code, out, _ = run(
        capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2023", "--dry-run"
    )
    assert code == 0
    assert "Sasaran strategis bernomor : 4 (1, 2, 6, 7)" in out
    assert "Sasaran program           : 25 (1 ditandai untuk diperiksa)" in out
    assert "Indikator kinerja         : 44" in out
    assert "Rencana kegiatan          : 45 (37 berbiaya, 7 bertanda '-', 1 tanpa sel biaya" in out
    assert "Total perkiraan biaya     : Rp 10.060.818.000" in out
    assert "tanpa sasaran strategis     : Rp 30.760.000" in out
    assert "Kode akun berbeda         : 26" in out
    assert "hilang 0)" in out
    assert Plan.objects.system("test").count() == 0
    assert ImportRecord.objects.system("test").count() == 0


def test_import_commits_the_plan_with_its_report_and_unplaced_cells(capsys) -> None:
    code, out, _ = run(capsys, "import", str(SEED_FILE), "--agency", "kpu-prov-gorontalo", "--year", "2023")
    assert code == 0, out
    plan = Plan.objects.system("test").get()
    assert plan.agency.code == "kpu-prov-gorontalo"
    assert SubActivity.objects.system("test").filter(plan=plan).count() == 45
    assert sum(s.cost or 0 for s in SubActivity.objects.system("test").filter(plan=plan)) == 10_060_818_000
    record = ImportRecord.objects.system("test").get(plan=plan)
    assert record.report["lost_cells"] == 0
    assert UnplacedCell.objects.system("test").filter(import_record=record).count() == 7


def test_a_second_import_of_the_same_plan_is_refused_without_replace(capsys) -> None:
    assert (
        run(capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")[0] == 0
    )
    code, _, err = run(
        capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2023"
    )
    assert code == 1
    assert "--replace" in err
    assert Plan.objects.system("test").count() == 1


def test_the_year_in_the_file_must_match_the_year_asked_for(capsys) -> None:
    code, _, err = run(
        capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2024"
    )
    assert code == 2
    assert "2023" in err and "2024" in err
    assert Plan.objects.system("test").count() == 0


def test_an_unknown_agency_is_named_in_the_error(capsys) -> None:
    code, _, err = run(capsys, "import", str(SEED_FILE), "--agency", "KPU Planet Mars", "--year", "2023")
    assert code == 2
    assert "KPU Planet Mars" in err and "KPU Kabupaten Boalemo" in err


def test_a_malformed_amount_names_line_and_column_and_writes_nothing(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED_FILE.read_text(encoding="utf-8").replace("8,378,000", "8.37.800"), encoding="utf-8")
    code, _, err = run(capsys, "import", str(bad), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")
    assert code == 2
    assert "baris 25" in err and "kolom 21" in err and "8.37.800" in err
    assert Plan.objects.system("test").count() == 0


def test_a_file_that_is_not_a_plan_is_refused(capsys, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("Daftar belanja\nkertas\t10\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(other), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")
    assert code == 2
    assert "bukan tabel Rencana Aksi" in err


def test_the_json_export_imported_again_gives_an_identical_export(capsys, tmp_path: Path) -> None:
    assert (
        run(capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")[0] == 0
    )
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert run(capsys, "export", "kpu-prov-gorontalo/2023", "--format", "json", "-o", str(first))[0] == 0
    assert (
        run(
            capsys, "import", str(first), "--agency", "KPU Provinsi Gorontalo", "--year", "2023", "--replace"
        )[0]
        == 0
    )
    assert run(capsys, "export", "kpu-prov-gorontalo/2023", "--format", "json", "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert b"10060818000" not in first.read_bytes()  # amounts are per line, no stored totals
    assert Plan.objects.system("test").count() == 1


def test_the_same_plan_exports_the_same_bytes(capsys) -> None:
    run(capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")
    outputs = []
    for fmt in ("json", "json", "csv", "csv"):
        code, out, _ = run(capsys, "export", "kpu-prov-gorontalo/2023", "--format", fmt)
        assert code == 0
        outputs.append(out)
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3]
    # the title block, the two header rows, the 45 lines and the 2 indicators printed without a line
    # of their own (47 rows as in the seed), and the header repeated before the group without a goal
    assert outputs[2].count("\n") == 3 + 2 + 47 + 2


def test_check_passes_the_seed_with_warnings_only(capsys) -> None:
    run(capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")
    code, out, _ = run(capsys, "check", "kpu-prov-gorontalo/2023")
    assert code == 0
    assert "0 galat" in out
    assert "no-month-scheduled" in out


def test_check_fails_on_a_percent_target_over_100_and_a_cost_without_code(capsys, tmp_path: Path) -> None:
    text = SEED_FILE.read_text(encoding="utf-8")
    text = text.replace("\t97,5%\t", "\t197,5%\t").replace("Rp\t16,400,000\t3358.EBC.954.A", "Rp\t16,400,000")
    broken = tmp_path / "broken.txt"
    broken.write_text(text, encoding="utf-8")
    assert run(capsys, "import", str(broken), "--agency", "KPU Provinsi Gorontalo", "--year", "2023")[0] == 0
    code, out, _ = run(capsys, "check", "kpu-prov-gorontalo/2023")
    assert code == 1
    assert "percent-over-100" in out
    assert "cost-without-code" in out
    assert "2 galat" in out


def test_demo_loads_the_seed_plan_and_can_run_twice(capsys) -> None:
    assert run(capsys, "demo", "--quiet")[0] == 0
    assert run(capsys, "demo", "--quiet")[0] == 0
    plan = Plan.objects.system("test").get()
    assert plan.year == 2023 and plan.agency.name == "KPU Provinsi Gorontalo"
    assert plan.sub_activities.count() == 45


def test_a_dry_run_for_the_wrong_year_fails_as_the_real_import_would(capsys) -> None:
    code, _, err = run(
        capsys, "import", str(SEED_FILE), "--agency", "KPU Provinsi Gorontalo", "--year", "2024", "--dry-run"
    )
    assert code == 2
    assert "2023" in err and "2024" in err


# --- exports: the official table (XLSX, PDF) and the province roll-up ----------------------------


def _import_seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "import", str(SEED_FILE), "--agency", "kpu-prov-gorontalo", "--year", "2023")[0] == 0


def test_export_xlsx_writes_a_workbook_to_the_given_file(capsys, tmp_path: Path) -> None:
    import openpyxl

    _import_seed(capsys)
    target = tmp_path / "rencana.xlsx"
    code, out, err = run(capsys, "export", "kpu-prov-gorontalo/2023", "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    assert out == ""
    assert f"Ditulis: {target}" in err
    assert target.read_bytes().startswith(b"PK\x03\x04")
    openpyxl.load_workbook(target)
    assert [p.name for p in tmp_path.iterdir()] == ["rencana.xlsx"]  # no temporary file left behind


def test_export_pdf_without_output_writes_a_file_named_after_agency_and_year(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _import_seed(capsys)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", "kpu-prov-gorontalo/2023", "--format", "pdf")
    assert code == 0, err
    assert out == ""
    assert (tmp_path / "renaksi-kpu-prov-gorontalo-2023.pdf").read_bytes().startswith(b"%PDF")


def test_a_binary_export_is_never_written_to_a_terminal(capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    _import_seed(capsys)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsys, "export", "kpu-prov-gorontalo/2023", "--format", "xlsx", "-o", "-")
    assert code == 2
    assert out == ""
    assert "-o FILE" in err


def test_a_binary_export_goes_to_a_pipe_when_asked_with_dash(capsysbinary) -> None:
    assert main(["import", str(SEED_FILE), "--agency", "kpu-prov-gorontalo", "--year", "2023"]) == 0
    capsysbinary.readouterr()
    assert main(["export", "kpu-prov-gorontalo/2023", "--format", "pdf", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


def test_a_json_export_to_a_file_has_the_bytes_of_standard_output(capsys, tmp_path: Path) -> None:
    _import_seed(capsys)
    target = tmp_path / "plan.json"
    assert run(capsys, "export", "kpu-prov-gorontalo/2023", "-o", str(target))[0] == 0
    _, out, _ = run(capsys, "export", "kpu-prov-gorontalo/2023")
    assert target.read_bytes() == out.encode("utf-8")


def test_export_rollup_prints_progress_and_writes_one_workbook(capsys, tmp_path: Path) -> None:
    import openpyxl

    from renaksi.agencies.services import find_agency
    from renaksi.imports.sample import random_plan
    from renaksi.planning.services import save_tree

    _import_seed(capsys)
    save_tree(find_agency("kpu-kab-boalemo"), 2023, random_plan(1, 4), actor=OPERATOR)
    target = tmp_path / "rekap.xlsx"
    code, out, err = run(
        capsys, "export-rollup", "KPU Provinsi Gorontalo", "--year", "2023", "-o", str(target)
    )
    assert code == 0, err
    assert out == ""
    progress = [line for line in err.splitlines() if line.startswith("Rekap ")]
    assert progress == [f"Rekap KPU Provinsi Gorontalo 2023: {done}/3" for done in range(4)]
    assert len(openpyxl.load_workbook(target).sheetnames) >= 2


def test_export_rollup_of_a_regency_or_an_empty_year_is_refused(capsys, tmp_path: Path) -> None:
    _import_seed(capsys)
    target = tmp_path / "rekap.xlsx"
    code, _, err = run(capsys, "export-rollup", "kpu-kab-boalemo", "--year", "2023", "-o", str(target))
    assert code == 2 and "not a province" in err
    code, _, err = run(capsys, "export-rollup", "kpu-prov-gorontalo", "--year", "2019", "-o", str(target))
    assert code == 2 and "no plan for 2019" in err
    assert not target.exists()


def test_demo_sets_up_an_account_that_can_log_in_with_a_private_password(capsys, settings, tmp_path) -> None:
    from django.test import Client

    from renaksi.accounts.models import Membership
    from renaksi.history.models import HistoryEvent

    settings.DATA_DIR = tmp_path
    code, out, _ = run(capsys, "demo", "--quiet")
    password_file = tmp_path / "demo-password"
    password = password_file.read_text().strip()
    assert code == 0 and len(password) >= 16 and repr(password) in out
    assert password_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert run(capsys, "demo", "--quiet")[0] == 0
    assert password_file.read_text().strip() == password  # the same password every run

    membership = Membership.objects.get(user__username="demo")
    assert (membership.agency.code, membership.role) == ("kpu-prov-gorontalo", "agency_admin")
    added = HistoryEvent.objects.system("test").filter(event="member_added", object_id=str(membership.pk))
    assert added.count() == 1 and added.get().source == "command"

    browser = Client()
    response = browser.post(reverse("accounts:login"), {"username": "demo", "password": password})
    assert response.status_code == 302
    plan = Plan.objects.system("test").get()
    assert "JUMLAH" in browser.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()


def test_demo_never_undoes_what_an_admin_did_to_the_demo_account(capsys, settings, tmp_path) -> None:
    from django.contrib.auth import get_user_model

    settings.DATA_DIR = tmp_path
    assert run(capsys, "demo", "--quiet")[0] == 0
    user = get_user_model().objects.get(username="demo")
    user.set_password("kata-sandi-baru-yang-panjang")
    user.save()
    code, out, _ = run(capsys, "demo", "--quiet")
    assert code == 0 and "sudah diganti" in out
    user.refresh_from_db()
    assert user.check_password("kata-sandi-baru-yang-panjang")

    user.is_active = False
    user.save()
    code, out, _ = run(capsys, "demo", "--quiet")
    assert code == 0 and "dinonaktifkan" in out
    user.refresh_from_db()
    assert not user.is_active


def test_create_admin_makes_a_site_admin_who_must_change_the_printed_password(capsys) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    code, out, _ = run(capsys, "create-admin", "kepala.it")
    password = out.strip().splitlines()[-1]
    user = get_user_model().objects.get(username="kepala.it")
    assert code == 0 and user.is_superuser and user.check_password(password) and len(password) >= 12

    browser = Client()
    assert (
        browser.post(reverse("accounts:login"), {"username": "kepala.it", "password": password}).status_code
        == 302
    )
    forced = browser.get(reverse("planning:agency_list"))
    assert forced.status_code == 302 and reverse("accounts:password_change") in forced["Location"]

    code, _, err = run(capsys, "create-admin", "Kepala.IT")
    assert code == 2 and "exists already" in err
    user.refresh_from_db()
    assert user.check_password(password)  # the existing account is untouched
