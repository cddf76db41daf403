"""Where Renaksi keeps its data, found the same way from whatever folder a command runs in.

The rule (settings.py and the command line both ask it):

1. ``RENAKSI_DATA_DIR`` when it is set (a relative path is taken from the current folder);
2. else the installation's own ``data/`` folder: Renaksi imported from a project checkout
   (``<checkout>/src/renaksi``, as ``make venv`` installs it, editable) keeps its data in
   ``<checkout>/data``, so ``make run`` and every command started from any folder use the same one;
3. else (an installed package) the user's data folder: ``$XDG_DATA_HOME/renaksi``, by default
   ``~/.local/share/renaksi``.

The database is ``DATABASE_URL`` when set, else ``renaksi.sqlite3`` in the data folder.

Nothing here starts Django: the command line asks before Django starts, because starting Django
makes the data folder, and a read command must be able to refuse a missing database without making
one. (The last three functions read Django's connection when Django is running already.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATABASE_FILE = "renaksi.sqlite3"


def checkout_root(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The project checkout the package is imported from, or None for an installed package."""
    if package_dir.parent.name != "src":
        return None
    root = package_dir.parent.parent
    project = root / "pyproject.toml"
    try:
        text = project.read_text(encoding="utf-8")
    except OSError:
        return None
    return root if 'name = "renaksi"' in text else None


def data_dir(environ: Mapping[str, str] = os.environ, package_dir: Path = PACKAGE_DIR) -> Path:
    """The data folder (absolute) by the rule above."""
    if environ.get("RENAKSI_DATA_DIR"):
        return Path(environ["RENAKSI_DATA_DIR"]).expanduser().resolve()
    root = checkout_root(package_dir)
    if root is not None:
        return root / "data"
    base = environ.get("XDG_DATA_HOME") or str(Path(environ.get("HOME") or Path.home()) / ".local" / "share")
    return (Path(base).expanduser() / "renaksi").resolve()


def database_url(environ: Mapping[str, str] = os.environ, folder: Path | None = None) -> str:
    """``DATABASE_URL``, else the SQLite file in the data folder."""
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    return f"sqlite:///{(folder or data_dir(environ)) / DATABASE_FILE}"


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL opens; None for another database or an in-memory one."""
    config = dj_database_url.parse(url)
    return sqlite_name_file(str(config.get("ENGINE", "")), str(config.get("NAME") or ""))


def sqlite_name_file(engine: str, name: str) -> Path | None:
    """The file of a Django database setting (ENGINE, NAME); None unless it is a SQLite file."""
    if not engine.endswith("sqlite3") or not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


def database_file() -> Path | None:
    """The SQLite file the running process opens (None for another database or an in-memory one):
    Django's connection when Django is set up (a test database, say), else the rule above."""
    from django.conf import settings

    if settings.configured:
        from django.db import connection

        config = connection.settings_dict
        return sqlite_name_file(str(config["ENGINE"]), str(config["NAME"]))
    return sqlite_file(database_url())


def database_label() -> str:
    """The database as a person finds it again: the SQLite file, or its name and server (never the
    password). Needs Django set up."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return str(database_file() or "SQLite (memori)")
    config = connection.settings_dict
    server = f"{config.get('HOST') or 'localhost'}:{config.get('PORT') or '-'}"
    return f"{config['NAME']} ({connection.vendor} di {server})"


def has_schema() -> bool:
    """Whether the database holds Django's tables (it was migrated once). Needs Django set up."""
    from django.db import connection

    return "django_migrations" in connection.introspection.table_names()
