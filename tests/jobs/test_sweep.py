"""The sweep: dead jobs failed, old job files, leftover .part files and scratch folders removed."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from renaksi.cli import main
from renaksi.jobs.models import Job
from renaksi.jobs.services import jobs_dir
from renaksi.jobs.sweep import sweep

pytestmark = pytest.mark.django_db

HOURS = 3600


def _age(path: Path, seconds: float) -> Path:
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _job(province, **fields) -> Job:
    return Job.objects.create(kind=Job.Kind.ROLLUP, agency=province, key="rollup:2023", **fields)


def test_a_finished_jobs_file_older_than_the_retention_is_deleted_and_its_page_says_so(
    province, settings, client
) -> None:
    settings.RENAKSI_JOB_RETENTION_HOURS = 24
    old = _job(
        province,
        status=Job.Status.DONE,
        file_path="a-old.xlsx",
        finished_at=timezone.now() - dt.timedelta(hours=25),
    )
    new = _job(
        province,
        status=Job.Status.DONE,
        file_path="b-new.xlsx",
        finished_at=timezone.now() - dt.timedelta(hours=23),
    )
    for name in ("a-old.xlsx", "b-new.xlsx"):
        (jobs_dir() / name).write_bytes(b"PK")
    legacy = Path(settings.DATA_DIR) / "exports"  # where the roll-ups of the old export jobs stayed
    legacy.mkdir()
    forgotten = legacy / "0123-renaksi-rekap-kpu-prov-gorontalo-2023.xlsx"
    forgotten.write_bytes(b"PK")
    _age(forgotten, 25 * HOURS)
    recent = legacy / "4567-renaksi-rekap-kpu-prov-gorontalo-2024.xlsx"
    recent.write_bytes(b"PK")
    report = sweep()
    assert report.job_files == 2
    assert not forgotten.exists() and recent.exists()
    assert sorted(path.name for path in jobs_dir().iterdir()) == ["b-new.xlsx"]
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.file_removed and not new.file_removed
    assert client.get(reverse("jobs:file", args=[old.pk])).status_code == 404
    assert "sudah dihapus" in client.get(reverse("jobs:detail", args=[old.pk])).content.decode()


def test_part_files_of_jobs_no_longer_active_go_and_those_of_a_running_job_stay(province, settings) -> None:
    running = _job(province, status=Job.Status.RUNNING)
    dead = _job(province, status=Job.Status.FAILED)
    kept = jobs_dir() / f".{running.pk.hex}-renaksi.pdf.123abc.part"
    gone = jobs_dir() / f".{dead.pk.hex}-renaksi.pdf.456def.part"
    legacy = Path(settings.DATA_DIR) / "exports"
    legacy.mkdir(parents=True)
    stray = legacy / ".renaksi-rekap.xlsx.0a0b0c.part"
    for path in (kept, gone, stray):
        path.write_bytes(b"half")
    assert sweep().part_files == 2
    assert kept.exists() and not gone.exists() and not stray.exists()


def test_scratch_folders_older_than_an_hour_go_and_nothing_else_in_the_temporary_folder(settings) -> None:
    temp = Path(tempfile.gettempdir())
    old_scratch = temp / "renaksi-export-a1b2c3d4"
    new_scratch = temp / "renaksi-xlsx-zz99yy88"
    data_folder = temp / "renaksi-jobs"  # someone's data folder: not a scratch name
    lookalike = temp / "renaksi-pdf-abcdefgh"  # a scratch name holding a database: never
    for folder in (old_scratch, new_scratch, data_folder, lookalike):
        folder.mkdir()
        (folder / "x").write_text("x")
    (lookalike / "db.sqlite3").write_text("")
    for folder in (old_scratch, data_folder, lookalike):
        _age(folder, 2 * HOURS)
    assert sweep().scratch_folders == 1
    assert not old_scratch.exists()
    assert new_scratch.exists() and data_folder.exists() and lookalike.exists()


def test_a_running_job_whose_worker_is_gone_is_marked_failed(province) -> None:
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.waitpid(child, 0)  # a process id that no longer exists
    dead = _job(province, status=Job.Status.RUNNING, worker=f"{os.uname().nodename}:{child}")
    alive = _job(province, status=Job.Status.RUNNING, worker=f"{os.uname().nodename}:{os.getpid()}")
    silent = _job(province, status=Job.Status.RUNNING, worker="another-host:1")
    Job.objects.system("test").filter(pk=silent.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    assert sweep().stale_jobs == 2
    statuses = dict(Job.objects.system("test").values_list("pk", "status"))
    assert statuses == {
        dead.pk: Job.Status.FAILED,
        alive.pk: Job.Status.RUNNING,
        silent.pk: Job.Status.FAILED,
    }


def test_renaksi_sweep_removes_old_part_files_in_the_folders_it_is_given(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "ekspor"
    folder.mkdir()
    old = folder / ".rencana.pdf.aaaaaa.part"
    fresh = folder / ".rencana.xlsx.bbbbbb.part"
    for path in (old, fresh):
        path.write_bytes(b"x")
    _age(old, 2 * HOURS)
    assert main(["sweep", str(folder)]) == 0
    assert "berkas .part dihapus: 1" in capsys.readouterr().out
    assert not old.exists() and fresh.exists()
