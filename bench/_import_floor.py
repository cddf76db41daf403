"""The floor of an import: the bare reader reading the same cells, raw sqlite3 inserting the same rows.

The rows are the ones the real import wrote, read back from its database (untimed) and inserted
with ``executemany`` into a copy of the same database taken just before the real import: the same
schema, indexes, constraints and pre-existing rows, so the floor writes exactly what Renaksi wrote.
"""

from __future__ import annotations

import csv
import sqlite3
import time
from pathlib import Path
from typing import Any

Rows = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def read_cells(path: Path) -> int:
    """Every cell of the file through the bare reader; returns the number of rows read."""
    if path.suffix.lower() == ".xlsx":
        from python_calamine import CalamineWorkbook

        return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())
    with path.open(encoding="utf-8", newline="") as handle:
        return len(list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)))


def _tables(con: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [name for (name,) in con.execute(query)]


def written_rows(real_db: Path, before_db: Path) -> tuple[Rows, int]:
    """The rows the real import added, per table, and how many pre-existing rows it changed or removed
    (the floor inserts only: a real run that updates rows would need a floor that does too)."""
    con = sqlite3.connect(real_db)
    con.execute("ATTACH DATABASE ? AS before", (str(before_db),))
    rows: Rows = {}
    touched = 0
    for table in _tables(con):
        columns = [row[1] for row in con.execute(f'PRAGMA table_info("{table}")')]
        added = con.execute(
            f'SELECT * FROM main."{table}" WHERE rowid NOT IN (SELECT rowid FROM before."{table}") ORDER BY rowid'
        ).fetchall()
        if added:
            rows[table] = (columns, added)
        touched += con.execute(
            f'SELECT count(*) FROM (SELECT * FROM before."{table}" EXCEPT SELECT * FROM main."{table}")'
        ).fetchone()[0]
    con.close()
    return rows, touched


def insert_rows(db: Path, rows: Rows, pragmas: dict[str, str]) -> dict[str, float]:
    """One ``executemany`` per table in one transaction, on a connection set up like Django's;
    returns the seconds each table took (``COMMIT`` is the commit and its fsyncs)."""
    seconds: dict[str, float] = {}
    con = sqlite3.connect(db, isolation_level=None)
    for name, value in pragmas.items():
        con.execute(f"PRAGMA {name} = {value}")
    con.execute("BEGIN")
    for table, (columns, values) in rows.items():
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        start = time.perf_counter()
        con.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
        seconds[table] = time.perf_counter() - start
    start = time.perf_counter()
    con.execute("COMMIT")
    seconds["COMMIT"] = time.perf_counter() - start
    con.close()
    return seconds


def row_bytes(rows: Rows) -> dict[str, int]:
    """Bytes of values per table (text and blobs by length, numbers as 8), to show what is heavy."""

    def size(value: Any) -> int:
        if isinstance(value, str):
            return len(value.encode("utf-8"))
        if isinstance(value, bytes):
            return len(value)
        return 0 if value is None else 8

    return {table: sum(size(v) for row in values for v in row) for table, (_, values) in rows.items()}
