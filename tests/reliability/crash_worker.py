"""Run a ``renaksi`` command with a failure injected at one row of what it writes.

    RENAKSI_CRASH_IN=import|xlsx|pdf RENAKSI_CRASH_ROW=N python tests/reliability/crash_worker.py ARGS...

``import``: the insert of the plan's lines writes its first N rows, then fails. ``xlsx`` and
``pdf``: the N-th table row fails while the workbook or the document is being made. The command
then dies of that exception, as it would of a bug or a full disk at that row.
"""

from __future__ import annotations

import os
import sys
from typing import Any


class InjectedFailure(RuntimeError):
    pass


def inject() -> None:
    where, at = os.environ["RENAKSI_CRASH_IN"], int(os.environ["RENAKSI_CRASH_ROW"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renaksi.settings")
    import django

    django.setup()
    if where == "import":
        from renaksi.planning import create
        from renaksi.planning.models import SubActivity

        original = create.insert_rows

        def insert_rows(model: Any, columns: Any, rows: Any, **options: Any) -> Any:
            if model is SubActivity:
                original(model, columns, rows[:at], **options)
                raise InjectedFailure(f"injected after line row {at} of {len(rows)}")
            return original(model, columns, rows, **options)

        create.insert_rows = insert_rows  # type: ignore[assignment]
        return
    counted = {"rows": 0}

    def fail_at_row() -> None:
        counted["rows"] += 1
        if counted["rows"] == at:
            raise InjectedFailure(f"injected at table row {at}")

    if where == "xlsx":
        from renaksi.exports import xlsx

        row = xlsx._PlanSheet._row

        def _row(self: Any, r: int, table_row: Any) -> None:
            fail_at_row()
            row(self, r, table_row)

        xlsx._PlanSheet._row = _row  # type: ignore[method-assign]
    elif where == "pdf":
        from renaksi.exports import pdf

        body_row = pdf._body_row

        def _body_row(table_row: Any, show_pic: bool) -> Any:
            fail_at_row()
            return body_row(table_row, show_pic)

        pdf._body_row = _body_row
    else:
        raise SystemExit(f"unknown RENAKSI_CRASH_IN {where!r}")


if __name__ == "__main__":
    inject()
    from renaksi.cli import main

    sys.exit(main(sys.argv[1:]))
