"""Import files of the hostile corpus, each through ``preview_import`` and ``commit_import``, and
print one JSON line per file: what happened, where a refusal points, and whether a refused import
changed any table (a checksum of every table before and after).

    RENAKSI_DATA_DIR=FOLDER python tests/reliability/import_worker.py FILE...

Each file is imported into an agency of its own (so accepted files never collide). Run by
``test_hostile_imports.py`` in a fresh process per file (the long battery: peak memory and a
kill at the time limit) or once for the whole quick subset.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

from renaksi.access import OPERATOR  # noqa: E402
from renaksi.agencies.models import Agency  # noqa: E402
from renaksi.core import canonical  # noqa: E402
from renaksi.core.grid import SourceError  # noqa: E402
from renaksi.imports.services import commit_import, preview_import  # noqa: E402

XXE_CANARY = "RENAKSI-XXE-CANARY"
_WHERE_RE = re.compile(r"\b(?:baris|kolom) (\d+)")


def table_checksums() -> dict[str, str]:
    sums = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # names from the schema itself
            rows = sorted(repr(row) for row in cursor.fetchall())
            sums[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return sums


def import_one(path: Path, index: int) -> dict[str, object]:
    agency = Agency.objects.create(
        code=f"corpus-{os.getpid()}-{index}", name=f"Korpus {os.getpid()} {index}", level="province"
    )
    before = table_checksums()
    started = time.monotonic()
    result: dict[str, object] = {"file": path.name}
    try:
        preview = preview_import(path)
        year = preview.tree.year or 2024
        commit_import(preview, agency, year, actor=OPERATOR)
    except SourceError as error:
        text = str(error)
        lines = [int(n) for n in _WHERE_RE.findall(text)]
        result |= {
            "outcome": "refused",
            "message": text[:500],
            "line": error.line if error.line is not None else (lines[0] if lines else None),
            "located": error.line is not None or error.column is not None or bool(lines),
        }
    except BaseException as error:  # a crash: anything but the documented refusal
        result |= {"outcome": "crash", "message": f"{type(error).__name__}: {error}"[:500]}
        result["traceback"] = traceback.format_exc()[-3000:]
    else:
        result["outcome"] = "accepted"
        result["leak"] = XXE_CANARY in canonical.dumps(preview.tree)
    result["seconds"] = round(time.monotonic() - started, 3)
    if result["outcome"] != "accepted":
        after = table_checksums()
        result["changed_tables"] = sorted(t for t in before if after.get(t) != before[t])
    return result


def main(files: list[str]) -> int:
    # Migrated here, not once for the run: the schema may have changed since the last file.
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)
    for index, name in enumerate(files):
        print(json.dumps(import_one(Path(name), index)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
