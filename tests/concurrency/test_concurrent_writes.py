"""Writers at the same time: an import and line saves, two imports of the same plan, a lock that
is not released in time. Real processes on a real SQLite file (and PostgreSQL when configured)."""

from __future__ import annotations

import sqlite3
import time

from concurrency_support import Database, outcome


def _server_errors(saves: list[dict]) -> list[dict]:
    return [save for save in saves if save["status"] >= 500]


def test_line_saves_and_an_import_running_at_the_same_time_all_finish(database: Database) -> None:
    """An import (a replace, writing for a while) again and again, while six people save lines:
    every save is answered (saved or refused with a reason), never a 500, and every import ends."""
    start_at = time.time() + 3
    editors = database.start(
        "edit", {"lines": database.lines[:6], "threads": 6, "seconds": 6, "start_at": start_at}
    )
    importer = database.start(
        "import", {"agency": "kpu-prov-gorontalo", "replace": True, "seconds": 6, "start_at": start_at}
    )
    saves = outcome(editors)["saves"]
    imports = outcome(importer)["imports"]
    assert saves and imports
    assert _server_errors(saves) == [], _server_errors(saves)[0]["body"]
    crashed = [i for i in imports if i["outcome"] != "ok"]
    assert crashed == [], crashed[0].get("traceback")
    assert {save["status"] for save in saves} <= {302, 409}


def test_of_two_imports_of_the_same_new_plan_the_second_is_told_the_plan_exists(database: Database) -> None:
    start_at = time.time() + 3
    racers = [database.start("import", {"agency": "kpu-kab-boalemo", "start_at": start_at}) for _ in range(2)]
    results = sorted((outcome(racer)["imports"][0] for racer in racers), key=lambda r: r["outcome"])
    assert [r["outcome"] for r in results] == ["exists", "ok"], results
    assert "sudah ada" in results[0]["message"]


def test_a_write_that_cannot_get_the_lock_in_time_is_answered_busy_not_a_server_error(
    sqlite_file_db: Database,
) -> None:
    """Another writer keeps the database locked longer than the busy timeout: the page answers 503
    with Retry-After and says to try again; the command prints one line and exits non-zero."""
    short = {"RENAKSI_SQLITE_BUSY_TIMEOUT": "0.5"}
    start_at = time.time() + 6  # the editor has logged in by then (a write of its own)
    editor = sqlite_file_db.start(
        "edit",
        {"lines": sqlite_file_db.lines[:1], "threads": 1, "seconds": 0.1, "start_at": start_at},
        **short,
    )
    holder = sqlite3.connect(
        sqlite_file_db.env["RENAKSI_DATA_DIR"] + "/renaksi.sqlite3", isolation_level=None
    )
    time.sleep(max(0.0, start_at - 0.5 - time.time()))
    holder.execute("BEGIN IMMEDIATE")
    try:
        saves = outcome(editor)["saves"]
        command = sqlite_file_db.renaksi(
            "import",
            "src/renaksi/seeds/kpu-prov-gorontalo-2023.txt",
            "--agency",
            "kpu-kab-boalemo",
            "--year",
            "2023",
            **short,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert saves and {save["status"] for save in saves} == {503}, saves[0]
    assert saves[0]["retry_after"].isdigit()
    assert "sibuk" in saves[0]["body"] and "coba lagi" in saves[0]["body"].lower()
    assert command.returncode != 0
    last = command.stderr.strip().splitlines()[-1]
    assert "Traceback" not in command.stderr and "sibuk" in last, command.stderr


def test_the_database_runs_in_wal_mode_once_it_has_tables(sqlite_file_db: Database) -> None:
    """Set once in the file by the first connection after the tables were made (an empty file
    is never written to: a read command must leave it as it was)."""
    assert sqlite_file_db.renaksi("check", "kpu-prov-gorontalo/2023").returncode == 0
    path = sqlite_file_db.env["RENAKSI_DATA_DIR"] + "/renaksi.sqlite3"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
