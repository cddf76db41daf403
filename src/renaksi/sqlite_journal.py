"""SQLite in WAL mode, set once per database file.

WAL lets readers go on while one writer writes (settings.py says why Renaksi needs it). The
journal mode is kept in the database file, so it is set once, by the first connection that finds
the file in another mode (or by ``migrate`` once it made the tables), never on an empty file: a
read command must leave an empty or missing database exactly as it found it (``renaksi check``
refuses one without writing a byte), and ``journal_mode=WAL`` would write the file's header.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.db import OperationalError, connections


def use_wal(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: switch a non-empty SQLite file database to WAL."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
        if str(mode).lower() == "wal":
            return
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        if not pages:
            return
        # Another connection may hold the file now: then the next connection switches it.
        with suppress(OperationalError):
            cursor.execute("PRAGMA journal_mode=WAL")


def use_wal_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate`` receiver: a database ``migrate`` has just made goes to WAL at once, so
    that the next command finds it as it will stay."""
    use_wal(sender, connections[using])
