"""What every ``renaksi`` subcommand shares: who runs it, Django set up, the database ready."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from renaksi import data_location

SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "kpu-prov-gorontalo-2023.txt"
SEED_AGENCY = "kpu-prov-gorontalo"
SEED_YEAR = 2023
# Whoever runs the command on the server is the operator, who may read every agency's data.
_OPERATOR = "command line: the operator of the server"
# Commands that only read: they never create a database (a missing one is an error naming it).
READ_COMMANDS = frozenset({"check", "export", "export-rollup", "backup"})
# The database stayed locked by another writer: nothing was written, the same command later works
# (EX_TEMPFAIL of sysexits.h, which scripts may retry on).
BUSY_EXIT_STATUS = 75


def _operator() -> str:
    """Who runs this command, for the history: the system user and the machine."""
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = f"uid {os.getuid()}"
    return f"{user}@{socket.gethostname()}"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _prepare_database(command: str) -> bool:
    """Migrate the database (a data folder from an older version is upgraded); a read command
    refuses a database without Renaksi's tables instead. A new database is named."""
    present, label = data_location.has_schema(), data_location.database_label()
    if command in READ_COMMANDS and not present:
        print(
            f"renaksi {command}: basis data {label} kosong (belum berisi tabel Renaksi); "
            "tidak ada yang dibaca.",
            file=sys.stderr,
        )
        return False
    _migrate()
    if not present:
        print(f"Basis data baru dibuat: {label}", file=sys.stderr)
    return True
