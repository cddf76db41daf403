"""``renaksi backup`` then ``renaksi restore`` into a fresh data folder: every plan's canonical
export is byte-identical, every table (history included) has the same rows, and the stored files
come back. A restore over a database that holds plans is refused and changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from corpus import tsv
from figures import Figure, record

from renaksi.imports.sample import random_plan
from renaksi.imports.writers import table_cells

ROOT = Path(__file__).resolve().parents[2]
STATE = Path(__file__).resolve().parent / "db_state.py"


def env_for(data_dir: Path, database: str | None = None) -> dict[str, str]:
    """The environment of a command on ``data_dir``: its SQLite file, or the ``database`` URL."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"RENAKSI_DATA_DIR": str(data_dir)}
    return env | ({"DATABASE_URL": database} if database else {})


def renaksi(
    data_dir: Path, *args: str, check: bool = True, database: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = env_for(data_dir, database)
    run = subprocess.run(
        [sys.executable, "-m", "renaksi.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check:
        assert run.returncode == 0, f"renaksi {' '.join(args)}: {run.stdout}{run.stderr}"
    return run


def state(data_dir: Path, database: str | None = None) -> dict[str, Any]:
    env = env_for(data_dir, database)
    run = subprocess.run(
        [sys.executable, str(STATE)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def exports(data_dir: Path, plans: list[int], database: str | None = None) -> dict[int, str]:
    return {
        plan: renaksi(data_dir, "export", str(plan), "--format", "json", database=database).stdout
        for plan in plans
    }


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the seed plan, a generated plan, an upload folder file and history."""
    data_dir = tmp_path_factory.mktemp("original")
    renaksi(data_dir, "demo", "-q")
    source = data_dir.parent / "generated.tsv"
    source.write_bytes(tsv([list(c) for c in table_cells(random_plan(3, 30, title=False))]))
    renaksi(data_dir, "import", str(source), "--agency", "kpu-kab-boalemo", "--year", "2024")
    (data_dir / "uploads").mkdir(exist_ok=True)
    (data_dir / "uploads" / "stored.bin").write_bytes(b"\x00stored file\xff")
    return data_dir


def test_a_restore_into_a_fresh_folder_gives_every_plan_and_table_back(
    installation: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar"
    renaksi(installation, "backup", str(archive))
    fresh = tmp_path / "restored"
    renaksi(fresh, "restore", str(archive))

    before, after = state(installation), state(fresh)
    assert len(before["plans"]) == 2 and after["plans"] == before["plans"]
    identical = exports(installation, before["plans"]) == exports(fresh, after["plans"])
    different_tables = [t for t in before["tables"] if before["tables"][t] != after["tables"].get(t)]
    history = (
        before["tables"]["history_historyevent"]["rows"],
        after["tables"]["history_historyevent"]["rows"],
    )
    assert (fresh / "uploads" / "stored.bin").read_bytes() == b"\x00stored file\xff"
    assert (fresh / "secret_key").read_bytes() == (installation / "secret_key").read_bytes()
    record(
        "backup and restore (SQLite)",
        [
            Figure("plans whose canonical export differs after restore", 0 if identical else 1, "== 0"),
            Figure(
                "tables that differ after restore", len(different_tables), "== 0", ", ".join(different_tables)
            ),
            Figure(
                "history events lost",
                history[0] - history[1],
                "== 0",
                f"{history[0]} before, {history[1]} after",
            ),
        ],
    )
    assert identical
    assert not different_tables
    assert history[0] > 0 and history[0] == history[1]


def test_a_restore_over_a_database_with_plans_is_refused_and_changes_nothing(
    installation: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar"
    renaksi(installation, "backup", str(archive))
    before = state(installation)
    run = renaksi(installation, "restore", str(archive), check=False)
    assert run.returncode == 2 and "sudah berisi rencana atau akun" in run.stderr
    assert state(installation) == before


def test_an_archive_that_escapes_the_data_folder_is_refused(installation: Path, tmp_path: Path) -> None:
    archive = tmp_path / "hostile.tar"
    renaksi(installation, "backup", str(archive))
    outside = tmp_path / "escaped.txt"
    with tarfile.open(archive, "a") as tar:
        (tmp_path / "payload").write_text("x")
        tar.add(tmp_path / "payload", "files/../../escaped.txt")
    fresh = tmp_path / "restored"
    run = renaksi(fresh, "restore", str(archive), check=False)
    assert run.returncode == 2 and "rusak" in run.stderr
    assert not outside.exists()
    assert not (fresh / "uploads").exists()  # nothing of the archive was put back


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.tar").write_bytes(b"not a tar")
    run = renaksi(tmp_path / "data", "restore", str(tmp_path / "plan.tar"), check=False)
    assert run.returncode == 2 and "bukan cadangan Renaksi" in run.stderr


def _on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture
def two_postgres_databases() -> Any:
    """Two new, empty databases on the server of ``DATABASE_URL`` (its role may create them)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, _slash, _name = url.rpartition("/")
    names = [f"renaksi_backup_{os.getpid()}_{side}" for side in ("original", "restored")]
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(not _on_postgresql(), reason="DATABASE_URL is not PostgreSQL")
def test_a_postgresql_restore_into_a_new_database_gives_every_plan_and_table_back(
    two_postgres_databases: list[str], tmp_path: Path
) -> None:
    original, restored = two_postgres_databases
    renaksi(tmp_path / "a", "demo", "-q", database=original)
    renaksi(tmp_path / "a", "backup", str(tmp_path / "backup.tar"), database=original)
    renaksi(tmp_path / "b", "restore", str(tmp_path / "backup.tar"), database=restored)
    before, after = state(tmp_path / "a", original), state(tmp_path / "b", restored)
    assert before["plans"] and after["plans"] == before["plans"]
    assert exports(tmp_path / "a", before["plans"], original) == exports(
        tmp_path / "b", after["plans"], restored
    )
    assert [t for t in before["tables"] if before["tables"][t] != after["tables"].get(t)] == []
