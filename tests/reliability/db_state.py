"""Print the state of the configured database as JSON: every plan (id), and the row count and a
checksum of every table. Run in a subprocess by the backup test, once per data folder."""

from __future__ import annotations

import hashlib
import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from renaksi.planning.models import Plan  # noqa: E402

tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f'SELECT * FROM "{table}"')  # names from the schema itself
        rows = sorted(repr(row) for row in cursor.fetchall())
        tables[table] = {"rows": len(rows), "sha256": hashlib.sha256("\n".join(rows).encode()).hexdigest()}
plans = sorted(Plan.objects.system("backup test: every plan").values_list("pk", flat=True))
print(json.dumps({"plans": plans, "tables": tables}))
