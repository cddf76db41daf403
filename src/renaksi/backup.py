"""``renaksi backup`` and ``renaksi restore``: the whole installation in one file.

A backup is an uncompressed tar archive holding

* ``manifest.json``: the format, the database vendor, when, and the migrations applied;
* ``database.sqlite3`` (a consistent copy made with SQLite's online backup API, safe while the
  server runs) or ``database.dump`` (``pg_dump --format=custom`` of the PostgreSQL database);
* ``files/``: everything stored in the data folder but the database itself and the collected
  static files (uploads, job files, the secret key and the authenticator key file, without which
  the restored authenticator secrets cannot be read).

``restore`` puts all of it back into an empty database (one without plans or accounts; it
refuses anything else, so a restore never mixes two installations) and the data folder of the
running configuration, then migrates, so a backup of an older version is upgraded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, run with an argument list and no shell: nosec B404
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _

from renaksi import data_location
from renaksi.exports.files import atomic_path

FORMAT_NAME = "renaksi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
FILES = "files"
# Not stored: the database (copied through its own API), its journal, and what can be made again.
_SKIPPED_TOP = frozenset({"static"})
_DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message (Indonesian) says why."""


# -- backup -----------------------------------------------------------------------------------------


def backup(target: Path) -> dict[str, Any]:
    """Write the backup of the current database and data folder to ``target``; its manifest."""
    target = Path(target).resolve()
    data_dir = Path(settings.DATA_DIR).resolve()
    files: list[str] = []
    manifest: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "vendor": connection.vendor,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "migrations": _applied_migrations(),
        "files": files,
    }
    with tempfile.TemporaryDirectory(prefix="renaksi-backup-") as scratch:
        dump = Path(scratch) / "database"
        member = _dump_database(dump)
        with atomic_path(target) as temporary, tarfile.open(temporary, "w") as archive:
            archive.add(dump, member)
            for path in _stored_files(data_dir, skip={target}):
                relative = path.relative_to(data_dir).as_posix()
                archive.add(path, f"{FILES}/{relative}", recursive=False)
                files.append(relative)
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return manifest


def _applied_migrations() -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _dump_database(dump: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(dump)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return SQLITE_MEMBER
    if connection.vendor == "postgresql":
        _postgres_tool("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}")
        return POSTGRES_MEMBER
    raise BackupError(
        _("basis data %(vendor)s tidak didukung untuk cadangan") % {"vendor": connection.vendor}
    )


def _stored_files(data_dir: Path, skip: set[Path]) -> list[Path]:
    database = data_location.database_file()
    excluded = {Path(f"{database.resolve()}{suffix}") for suffix in _DATABASE_SUFFIXES} if database else set()
    found = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if relative.parts[0] in _SKIPPED_TOP or path.resolve() in excluded | skip or path.is_symlink():
            continue
        if path.name.startswith(".") and path.name.endswith(".part"):  # an unfinished file
            continue
        if path.is_file() or path.is_dir():
            found.append(path)
    return found


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


# -- restore ----------------------------------------------------------------------------------------


def restore(source: Path) -> dict[str, Any]:
    """Restore the backup ``source`` into the current (empty) database and data folder; its manifest."""
    source = Path(source)
    try:
        archive = tarfile.open(source, "r")  # noqa: SIM115 -- closed by the with block below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(path)s bukan cadangan Renaksi: %(reason)s") % {"path": source, "reason": error}
        ) from None
    with archive, tempfile.TemporaryDirectory(prefix="renaksi-restore-") as scratch:
        manifest = _manifest(archive, source)
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                _("cadangan ini dari basis data %(found)s, bukan %(here)s")
                % {"found": manifest["vendor"], "here": connection.vendor}
            )
        _refuse_unless_empty()
        try:
            archive.extractall(scratch, filter="data")
        except (OSError, tarfile.TarError) as error:
            raise BackupError(
                _("cadangan %(path)s rusak: %(reason)s") % {"path": source, "reason": error}
            ) from None
        folder = Path(scratch)
        _load_database(folder)
        files = folder / FILES
        if files.is_dir():
            shutil.copytree(files, Path(settings.DATA_DIR), dirs_exist_ok=True)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def _manifest(archive: tarfile.TarFile, source: Path) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member is not None else None
    except (KeyError, ValueError, tarfile.TarError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BackupError(_("%(path)s bukan cadangan Renaksi (tidak ada manifest.json)") % {"path": source})
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("cadangan versi %(version)s tidak dikenal versi Renaksi ini")
            % {"version": manifest.get("version")}
        )
    return manifest


def _refuse_unless_empty() -> None:
    if not data_location.has_schema():
        return
    from django.contrib.auth import get_user_model

    from renaksi.planning.models import Plan

    if Plan.objects.system("restore: is the database empty").exists() or get_user_model().objects.exists():
        raise BackupError(
            _(
                "basis data %(database)s sudah berisi rencana atau akun; pulihkan ke basis data kosong "
                "(folder data baru, atau basis data PostgreSQL baru)"
            )
            % {"database": data_location.database_label()}
        )


def _load_database(folder: Path) -> None:
    if connection.vendor == "sqlite":
        dump = folder / SQLITE_MEMBER
        if not dump.is_file():
            raise BackupError(_("cadangan ini tidak berisi basis data SQLite"))
        connection.ensure_connection()
        copy = sqlite3.connect(dump)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
        connections.close_all()
        return
    dump = folder / POSTGRES_MEMBER
    if not dump.is_file():
        raise BackupError(_("cadangan ini tidak berisi basis data PostgreSQL"))
    connections.close_all()
    _postgres_tool(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        str(dump),
    )


def _postgres_tool(tool: str, *arguments: str) -> None:
    """Run ``pg_dump`` or ``pg_restore`` on the configured database (the password through the
    environment, never on the command line)."""
    config = connection.settings_dict
    env = os.environ.copy()
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    target = [f"--dbname={config['NAME']}", f"--username={config.get('USER') or ''}"]
    if config.get("HOST"):
        target.append(f"--host={config['HOST']}")
    if config.get("PORT"):
        target.append(f"--port={config['PORT']}")
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(_("%(tool)s tidak ditemukan; pasang postgresql-client") % {"tool": tool})
    run = subprocess.run(
        [executable, *target, *arguments], env=env, capture_output=True, text=True, check=False
    )  # our own argument list, no shell: nosec B603
    if run.returncode != 0:
        raise BackupError(
            _("%(tool)s gagal: %(reason)s") % {"tool": tool, "reason": run.stderr.strip()[-500:]}
        )


# -- the command line -----------------------------------------------------------------------------

#: Subcommands that must not migrate the database before they run (see cli.main).
COMMANDS = frozenset({"backup", "restore"})


def add_subcommands(sub: Any) -> None:
    p = sub.add_parser("backup", help="write the database and the data folder's files to one archive")
    p.add_argument("output", help="the archive to write, e.g. renaksi-2026-01-31.tar")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", help="restore an archive made by `renaksi backup` into an empty database and data folder"
    )
    p.add_argument("archive")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    if not data_location.has_schema():
        print(
            _("renaksi backup: basis data %(database)s kosong")
            % {"database": data_location.database_label()},
            file=sys.stderr,
        )
        return 2
    try:
        manifest = backup(Path(args.output))
    except BackupError as error:
        print(f"renaksi backup: {error}", file=sys.stderr)
        return 2
    print(
        _("Cadangan tersimpan: %(path)s (basis data %(vendor)s dan %(files)d berkas)")
        % {"path": args.output, "vendor": manifest["vendor"], "files": len(manifest["files"])}
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        manifest = restore(Path(args.archive))
    except BackupError as error:
        print(f"renaksi restore: {error}", file=sys.stderr)
        return 2
    print(
        _("Dipulihkan dari %(path)s (dibuat %(created)s) ke %(database)s")
        % {"path": args.archive, "created": manifest["created"], "database": data_location.database_label()}
    )
    return 0
