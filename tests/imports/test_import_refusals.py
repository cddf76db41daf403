"""Files that are no plan, refused in one line by the import services and by ``renaksi import``.

The browser import and the command both read through ``preview_import``: a folder, a device, a
FIFO, JSON too deep to parse or holding a NUL is a :class:`SourceError` there, which the command
prints as one line (exit 2) and the upload page shows as the refusal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from renaksi.cli import main
from renaksi.core import canonical
from renaksi.core.grid import SourceError
from renaksi.core.plan_tree import PlanTree
from renaksi.imports.services import preview_import

AGENCY = "KPU Kabupaten Boalemo"


@pytest.fixture
def fifo(make_fifo) -> Path:
    return make_fifo("plan.json")


def deep_json(path: Path) -> Path:
    head = json.dumps(canonical.tree_to_dict(PlanTree(year=2023)))[:-1]
    path.write_text(head + ', "x": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    return path


def nul_json(path: Path) -> Path:
    text = canonical.dumps(PlanTree(year=2023, title="Rencana"))
    path.write_text(text.replace('"Rencana"', '"Renc\\u0000ana"'), encoding="utf-8")
    return path


def test_the_service_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="bukan berkas biasa"):
        preview_import(tmp_path)


def test_the_service_refuses_a_fifo_without_hanging(fifo: Path) -> None:
    with pytest.raises(SourceError, match="bukan berkas biasa"):
        preview_import(fifo)


def test_the_service_refuses_json_200000_deep(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="terlalu dalam"):
        preview_import(deep_json(tmp_path / "deep.json"))


def test_the_service_refuses_json_holding_a_nul(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="NUL"):
        preview_import(nul_json(tmp_path / "nul.json"))


_PROBE = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "renaksi.settings"
django.setup()
from pathlib import Path
from renaksi.core.grid import SourceError
from renaksi.imports.services import preview_import
try:
    preview_import(Path("/dev/zero"))
except SourceError as error:
    print("refused:", error)
"""


def test_the_service_refuses_dev_zero_without_reading_it(tmp_path: Path) -> None:
    environment = dict(os.environ, RENAKSI_DATA_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environment,
    )
    assert done.returncode == 0, done.stderr[-2_000:]
    assert "refused:" in done.stdout and "bukan berkas biasa" in done.stdout


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["folder", "fifo", "dev-zero", "deep-json", "nul-json"])
def test_renaksi_import_refuses_in_one_line(capsys, tmp_path: Path, kind: str, request) -> None:
    if kind == "folder":
        path = tmp_path
    elif kind == "fifo":
        path = request.getfixturevalue("fifo")
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "deep-json":
        path = deep_json(tmp_path / "deep.json")
    else:
        path = nul_json(tmp_path / "nul.json")
    assert main(["import", str(path), "--agency", AGENCY, "--year", "2023", "--dry-run"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("renaksi import:")]
    assert len(errors) == 1
    assert "Traceback" not in errors[0]


def test_a_remark_longer_than_a_person_may_save_is_refused_naming_its_cell(tmp_path: Path) -> None:
    from renaksi.imports.sample import random_plan
    from renaksi.imports.writers import write_tsv

    tree = random_plan(3, 5)
    line = next(tree.lines())
    line.remarks = "catatan " * 600  # 4,800 characters: over the 4,000 a remark may hold
    path = tmp_path / "plan.txt"
    write_tsv(tree, path)
    with pytest.raises(SourceError, match="KET berisi 4.799 karakter, melebihi batas 4.000") as caught:
        preview_import(path)
    assert caught.value.line is not None and caught.value.column is not None


# -- what the reliability battery found: damaged or odd files that gave tracebacks --------------------


def _zip_without(data: bytes, leave_out: str) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            if leave_out not in info.filename:
                copy.writestr(info.filename, source.read(info))
    return out.getvalue()


def _written(tmp_path: Path, suffix: str) -> bytes:
    from renaksi.imports.sample import random_plan
    from renaksi.imports.writers import write_xlsx
    from renaksi.imports.writers_ods_xls import write_ods

    path = tmp_path / f"plan.{suffix}"
    (write_xlsx if suffix == "xlsx" else write_ods)(random_plan(3, 6), path)
    return path.read_bytes()


def _refused(path: Path) -> SourceError:
    with pytest.raises(SourceError) as refusal:
        preview_import(path)
    return refusal.value


def test_a_text_file_with_one_field_longer_than_the_csv_modules_limit_is_refused_naming_its_cell(
    tmp_path,
) -> None:
    path = tmp_path / "panjang.csv"
    path.write_text("NO;SASARAN;INDIKATOR;" + "x" * 200_000 + "\n", encoding="utf-8")
    error = _refused(path)
    assert "200.000 karakter" in str(error) and error.line == 1 and error.column == 4


def test_a_workbook_without_a_worksheet_is_refused_in_one_line(tmp_path) -> None:
    path = tmp_path / "tanpa-lembar.xlsx"
    path.write_bytes(_zip_without(_written(tmp_path, "xlsx"), "worksheets/sheet"))
    assert "tidak berisi lembar kerja" in str(_refused(path))


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_an_archive_asking_for_a_zip_version_nobody_reads_is_refused_as_damaged(tmp_path, suffix) -> None:
    data = bytearray(_written(tmp_path, suffix))
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # every central directory entry
        data[at + 6] = 64  # "version needed to extract": 6.4
        at += 4
    path = tmp_path / f"versi.{suffix}"
    path.write_bytes(bytes(data))
    assert "zip file version 6.4" in str(_refused(path))
