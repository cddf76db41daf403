"""The ``renaksi`` command: serve, worker, sweep, import, export, check, demo.

Thin: each subcommand parses its arguments and calls a service. The subcommands live in
:mod:`renaksi.cli.plans`, :mod:`renaksi.cli.accounts` and :mod:`renaksi.cli.server`, their
arguments in :mod:`renaksi.cli.parser`; :func:`main` runs one of them.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence

from renaksi import data_location
from renaksi.cli.accounts import cmd_create_admin, cmd_rotate_totp_key, cmd_unlock_login
from renaksi.cli.common import (
    BUSY_EXIT_STATUS,
    READ_COMMANDS,
    SEED_AGENCY,
    SEED_FILE,
    SEED_YEAR,
    _prepare_database,
    _setup_django,
)
from renaksi.cli.parser import build_parser
from renaksi.cli.plans import cmd_check, cmd_demo, cmd_export, cmd_export_rollup, cmd_import
from renaksi.cli.server import cmd_serve, cmd_sweep, cmd_worker

__all__ = [
    "BUSY_EXIT_STATUS",
    "READ_COMMANDS",
    "SEED_AGENCY",
    "SEED_FILE",
    "SEED_YEAR",
    "build_parser",
    "cmd_check",
    "cmd_create_admin",
    "cmd_demo",
    "cmd_export",
    "cmd_export_rollup",
    "cmd_import",
    "cmd_rotate_totp_key",
    "cmd_serve",
    "cmd_sweep",
    "cmd_unlock_login",
    "cmd_worker",
    "main",
]

#: Errors of a write that cannot go on: no space left, a file-size limit, a quota.
_WRITE_FAILURES = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)


def _is_disk_error(error: Exception) -> bool:
    """SQLite could not write its files (a full disk, a file-size limit): its transaction is gone."""
    from django.db import OperationalError

    text = str(error)
    return isinstance(error, OperationalError) and ("disk I/O error" in text or "disk is full" in text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    missing = data_location.database_file()
    if args.command in READ_COMMANDS and missing is not None and not missing.exists():
        print(
            f"renaksi {args.command}: basis data tidak ditemukan: {missing}\n"
            "Buat dengan `renaksi demo` atau `renaksi import`, atau atur RENAKSI_DATA_DIR ke folder "
            "data yang benar.",
            file=sys.stderr,
        )
        return 2
    _setup_django()
    from renaksi.agencies.services import AgencyNotFound
    from renaksi.core.canonical import CanonicalFormatError
    from renaksi.core.grid import SourceError

    try:
        # backup copies the database as it is; restore migrates after it has put the backup back.
        if args.command not in ("backup", "restore") and not _prepare_database(args.command):
            return 2
        return int(args.func(args))
    except (SourceError, AgencyNotFound, LookupError, CanonicalFormatError) as error:
        where = f" (basis data: {data_location.database_label()})" if isinstance(error, LookupError) else ""
        print(f"renaksi {args.command}: {error}{where}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `renaksi export ... | head`: the reader left, which is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        if error.errno not in _WRITE_FAILURES:
            raise
        # A full disk or a file-size limit while writing: what was half written is gone (files are
        # written under a temporary name and renamed; the database writes in one transaction).
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"renaksi {args.command}: penulisan gagal{where}: {error.strerror}; tidak ada berkas yang "
            "ditinggalkan setengah jadi",
            file=sys.stderr,
        )
        return 1
    except Exception as error:
        from renaksi.busy import busy_command_message, is_busy_error

        if _is_disk_error(error):
            print(
                f"renaksi {args.command}: basis data tidak dapat ditulis ({error}); periksa ruang disk "
                f"di {data_location.database_label()}; tidak ada yang disimpan",
                file=sys.stderr,
            )
            return 1
        if not is_busy_error(error):
            raise
        # Another writer held the database longer than the busy timeout; nothing was written.
        print(f"renaksi {args.command}: {busy_command_message()}", file=sys.stderr)
        return BUSY_EXIT_STATUS
