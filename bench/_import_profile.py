"""Where an import's time goes: wall time of its phases, measured by wrapping the functions it calls.

Wrapping costs about a microsecond a call, far less than cProfile, so the phases add up to the
real run's time. A name the save path no longer has is simply not timed (it is being reworked).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_TABLE = re.compile(r'(?:INSERT INTO|UPDATE|DELETE FROM|FROM)\s+"(\w+)"')


@contextmanager
def timed_phases(phases: dict[str, Any]) -> Iterator[None]:
    """Fill ``phases`` with label -> [seconds, calls] while the block runs."""
    from django.db import connection
    from django.db.models.query import QuerySet

    from renaksi.core.import_report import ImportReport
    from renaksi.imports import services as imports
    from renaksi.planning import services as planning

    def add(label: str, seconds: float) -> None:
        entry = phases.setdefault(label, [0.0, 0])
        entry[0] += seconds
        entry[1] += 1

    restore: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, label: Callable[..., str]) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                add(label(*args), time.perf_counter() - start)

        restore.append((owner, name, original))
        setattr(owner, name, timed)

    wrap(imports, "read_source", lambda *a: "read: read_source")
    wrap(imports, "recognize", lambda *a: "recognize")
    wrap(imports, "save_tree", lambda *a: "save: save_tree (all of it)")
    wrap(QuerySet, "bulk_create", lambda qs, *a: f"save: bulk_create {qs.model.__name__}")
    wrap(QuerySet, "create", lambda qs, *a: f"save: create {qs.model.__name__}")
    for name in ("history_values", "build_event", "save_events", "snapshot"):
        wrap(planning, name, lambda *a, name=name: f"history: {name}")
    wrap(
        ImportReport,
        "to_dict",
        lambda report: f"record: report.to_dict ({len(report.placements):,} placements)",
    )

    def sql(execute: Callable[..., Any], query: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            match = _TABLE.search(query)
            add(f"sqlite: {query.split()[0]} {match.group(1) if match else ''}", time.perf_counter() - start)

    try:
        with connection.execute_wrapper(sql):
            yield
    finally:
        for owner, name, original in reversed(restore):
            setattr(owner, name, original)


def print_phases(result: dict[str, Any]) -> None:
    total = result["seconds"]
    print(
        f"phases of the real path ({total:.2f} s in all, wall time; nested phases are inside their parent):"
    )
    print(f"  {'phase':<62} {'seconds':>8} {'share':>6} {'calls':>8}")
    for label, (seconds, calls) in sorted(result["phases"].items(), key=lambda item: -item[1][0]):
        if seconds >= 0.005:
            print(f"  {label:<62} {seconds:8.2f} {seconds / total:6.0%} {calls:8,}")
    print(f"  import record report JSON: {result['report_bytes'] / 2**20:.1f} MB")
