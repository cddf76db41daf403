"""Concurrent writers on real databases: a SQLite file (never ``:memory:``, whose shared cache
locks differently) made by ``renaksi demo`` in a folder of the test's own, and, when
``DATABASE_URL`` points to PostgreSQL, a database of the test's own on that server, made the
same way. Neither is pytest-django's test database: these tests never touch it.

The work runs in :mod:`worker` processes, started several at once; each prints its outcome as JSON.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
def postgresql_db(tmp_path: Path) -> Iterator[Database]:
    """A database of its own on the PostgreSQL server of ``DATABASE_URL``, made by ``renaksi
    demo`` as the SQLite file is, and dropped after the test. (Not the pytest-django test
    database: the workers need what they write committed, and a transactional test's flush would
    take the migrated agencies and content types from the tests after it.)"""
    if not on_postgresql():
        pytest.skip("DATABASE_URL does not point to PostgreSQL")
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"renaksi_concurrency_{uuid.uuid4().hex[:12]}"
    server = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = _base_env(tmp_path) | {"DATABASE_URL": _url(config, name)}
        result = subprocess.run(
            [str(RENAKSI), "demo", "--quiet"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        with psycopg.connect(dbname=name, **server) as db:
            rows = db.execute("SELECT id FROM planning_subactivity ORDER BY position").fetchall()
        database = Database(env=env, lines=[row[0] for row in rows], kind="postgresql")
        yield database
        _stop(database)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(config: Any, name: str) -> str:
    user = quote(str(config.get("USER") or ""), safe="")
    password = quote(str(config.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(str(config.get("HOST") or ""), safe="")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Database:
    """Each database CI runs the suite on: the SQLite file always, PostgreSQL when configured."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_file_db")
    return request.getfixturevalue("postgresql_db")


def _stop(database: Database) -> None:
    for process in database.started:
        if process.poll() is None:
            process.kill()
            process.wait()
