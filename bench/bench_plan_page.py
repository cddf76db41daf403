"""Plan page speed: GET of a big plan's page against the floor of the same work, in the same run.

    python bench/bench_plan_page.py [--lines 44000] [--repeat 5] [--page-rows 500]

Builds ``renaksi.imports.sample.random_plan(2023, --lines)`` with ``save_tree`` in a fresh SQLite
data folder (migrated), then times GET of its plan page through Django's test client, as a site
admin, for three pages: the first, the page where the middle strategic goal starts, and the last.
For each it prints the server time (the median of ``--repeat`` requests), the HTML size and the
number of queries (``CaptureQueriesContext``), beside two floors measured in the same run:

* sql: a raw ``sqlite3`` fetch of the page's rows (every line with its indicator, program goal,
  goal and Kegiatan, ``LIMIT``/``OFFSET`` in printed order), the physical floor of reading them;
* print: those rows printed as the table's ``<tr>``/``<td>`` markup (22 cells a row, every text
  escaped) by plain Python string formatting, the floor of writing them out.

``renaksi / (sql + print)`` is what Renaksi's own code adds (Django's request handling, the
summary's aggregate queries, the presenters, the template around the rows).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from html import escape
from pathlib import Path
from typing import Any

AGENCY = "kpu-prov-gorontalo"

_PAGE_SQL = """
SELECT s.id, s.name, s.schedule_mask, s.cost, s.cost_state, s.budget_code, s.remarks,
       s.person_in_charge, i.text, i.target_text, p.text, g.number, g.text, a.name
FROM planning_subactivity s
JOIN planning_indicator i ON i.id = s.indicator_id
JOIN planning_programgoal p ON p.id = i.program_goal_id
LEFT JOIN planning_strategicgoal g ON g.id = p.strategic_goal_id
LEFT JOIN planning_activity a ON a.id = s.activity_id
WHERE s.plan_id = ? ORDER BY s.position LIMIT ? OFFSET ?
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=44_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--page-rows", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="renaksi-bench-page-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "renaksi.settings"
    os.environ["RENAKSI_DATA_DIR"] = str(folder)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from renaksi.agencies.services import find_agency
    from renaksi.imports.sample import random_plan
    from renaksi.planning import paging
    from renaksi.planning.services import save_tree

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.RENAKSI_PLAN_PAGE_ROWS = args.page_rows
    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    from renaksi.access import OPERATOR  # after django.setup()

    plan = save_tree(find_agency(AGENCY), 2023, random_plan(2023, args.lines), actor=OPERATOR)
    print(f"plan of {args.lines:,} lines saved in {time.perf_counter() - started:.1f} s ({folder})")
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("bench", "bench@example.invalid", "kata-sandi-bench-1")
    client = Client()
    client.force_login(admin)
    url = reverse("planning:plan_detail", args=[plan.pk])
    first = paging.database_plan_page(plan, "1")
    pager = first.pager
    assert pager is not None, "the plan is not paged: raise --lines or lower --page-rows"
    middle_goal = first.goal_index[len(first.goal_index) // 2]
    pages = [("first", 1), (f"goal {middle_goal.number}", middle_goal.page), ("last", pager.count)]
    database = Path(connection.settings_dict["NAME"])
    raw = sqlite3.connect(database)
    print(
        f"{pager.rows:,} rows in {pager.count} pages of {args.page_rows}; "
        f"median of {args.repeat} requests each (server time: the test client, no network)\n"
    )
    header = f"{'page':<12} {'renaksi s':>10} {'HTML KB':>9} {'queries':>8} {'sql s':>8} {'print s':>8} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for label, number in pages:
        times, size, queries = [], 0, 0
        for _round in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, {"halaman": number})
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
            size, queries = len(response.content), len(captured)
        sql_times = []
        for _round in range(args.repeat):
            start = time.perf_counter()
            raw.execute(_PAGE_SQL, (plan.pk, args.page_rows, (number - 1) * args.page_rows)).fetchall()
            sql_times.append(time.perf_counter() - start)
        fetched = raw.execute(_PAGE_SQL, (plan.pk, args.page_rows, (number - 1) * args.page_rows)).fetchall()
        print_times = []
        for _round in range(args.repeat):
            start = time.perf_counter()
            _print_rows(fetched)
            print_times.append(time.perf_counter() - start)
        seconds, sql, template = (statistics.median(t) for t in (times, sql_times, print_times))
        print(
            f"{label:<12} {seconds:>10.3f} {size / 1024:>9.0f} {queries:>8} {sql:>8.3f} {template:>8.3f} "
            f"{seconds / (sql + template):>6.1f}x"
        )
    raw.close()


def _print_rows(rows: list[tuple[Any, ...]]) -> str:
    """The rows as table markup, by plain string formatting: no spans, no template."""
    out = []
    for (
        pk,
        name,
        mask,
        cost,
        _state,
        code,
        remarks,
        _pic,
        indicator,
        target,
        pg,
        number,
        goal,
        activity,
    ) in rows:
        cells = [number or "", goal or "", pg, indicator, target, activity or "", name]
        months = "".join(
            '<td data-col="month" class="month is-scheduled"></td>'
            if mask >> m & 1
            else '<td class="month"></td>'
            for m in range(12)
        )
        texts = "".join(f'<td rowspan="1">{escape(str(text))}</td>' for text in cells)
        tail = "".join(
            f"<td>{escape(str(text))}</td>" for text in (cost if cost is not None else "-", code, remarks)
        )
        out.append(f'<tr class="plan-row" data-line-id="{pk}">{texts}{months}{tail}</tr>')
    return "".join(out)


if __name__ == "__main__":
    main()
