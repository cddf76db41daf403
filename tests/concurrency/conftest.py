"""Concurrent writers on real databases: a SQLite file (never ``:memory:``, whose shared cache
locks differently) made by ``renaksi demo`` in a folder of the test's own, and, when
``DATABASE_URL`` points to PostgreSQL, the test database itself (committed, so that other
processes see it).

The work runs in :mod:`worker` processes, started several at once; each prints its outcome as JSON.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from concurrency_support import RENAKSI, ROOT, Database, on_postgresql  # noqa: E402


def _base_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_ADDOPTS"}}
    env["RENAKSI_DATA_DIR"] = str(tmp_path / "data")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


@pytest.fixture
def sqlite_file_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh SQLite file with the seed plan in it, made by ``renaksi demo`` with the settings a
    laptop install runs with."""
    env = _base_env(tmp_path)
    result = subprocess.run(
        [str(RENAKSI), "demo", "--quiet"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "data" / "renaksi.sqlite3") as db:
        lines = [row[0] for row in db.execute("SELECT id FROM planning_subactivity ORDER BY position")]
    database = Database(env=env, lines=lines, kind="sqlite")
    yield database
    _stop(database)


@pytest.fixture
def postgresql_db(
    tmp_path: Path, transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[Database]:
    """The PostgreSQL test database with the seed plan committed in it (transactional_db: the
    workers, other processes, see only what is committed)."""
    if not on_postgresql():
        pytest.skip("DATABASE_URL does not point to PostgreSQL")
    from django.db import connection

    from renaksi.agencies.services import find_agency
    from renaksi.cli import SEED_FILE
    from renaksi.imports.services import commit_import, preview_import

    plan, _record = commit_import(preview_import(Path(SEED_FILE)), find_agency("kpu-prov-gorontalo"), 2023)
    lines = list(plan.sub_activities.order_by("position").values_list("pk", flat=True))
    settings = connection.settings_dict
    url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{key: settings.get(key) or "" for key in ("USER", "PASSWORD", "HOST", "PORT")},
        NAME=settings["NAME"],
    )
    if not settings.get("PORT"):
        url = url.replace(":/", "/", 1) if settings.get("HOST") else url
    env = _base_env(tmp_path) | {"DATABASE_URL": url}
    database = Database(env=env, lines=lines, kind="postgresql")
    yield database
    _stop(database)
    connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, transactional_db: None, django_db_serialized_rollback: None
) -> Database:
    """Each database CI runs the suite on: the SQLite file always, PostgreSQL when configured.
    (The test database is asked for here, not only by ``postgresql_db``: asked only through
    getfixturevalue, pytest-django left the connection on the development database. Serialized
    rollback puts back the agencies a migration made, which the flush after the test removes.)"""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_file_db")
    return request.getfixturevalue("postgresql_db")


def _stop(database: Database) -> None:
    for process in database.started:
        if process.poll() is None:
            process.kill()
            process.wait()
