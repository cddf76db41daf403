"""Where an import's time goes: wall time of its phases, measured by wrapping the functions it calls.

Wrapping costs about a microsecond a call, far less than cProfile, so the phases add up to the
real run's time. A name the save path no longer has is simply not timed (it is being reworked).
"""

from __future__ import annotations

import gc
import pstats
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_TABLE = re.compile(r'(?:INSERT INTO|UPDATE|DELETE FROM|FROM)\s+"(\w+)"')


@contextmanager
def timed_phases(phases: dict[str, Any]) -> Iterator[None]:
    """Fill ``phases`` with label -> [wall seconds, CPU seconds, calls] while the block runs."""
    from django.db import connection
    from django.db.models.query import QuerySet

    from renaksi.core.import_report import ImportReport
    from renaksi.imports import services as imports
    from renaksi.planning import services as planning

    def add(label: str, start: tuple[float, float]) -> None:
        entry = phases.setdefault(label, [0.0, 0.0, 0])
        entry[0] += time.perf_counter() - start[0]
        entry[1] += time.process_time() - start[1]
        entry[2] += 1

    restore: list[tuple[Any, str, Any]] = []
    running: list[str] = []  # the phases now running, innermost last: the collector's time goes there
    collecting: list[tuple[float, float]] = []

    def on_collect(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting.append((time.perf_counter(), time.process_time()))
        elif collecting:
            add("gc: " + (running[-1] if running else ""), collecting.pop())

    def wrap(owner: Any, name: str, label: Callable[..., str]) -> None:
        original = getattr(owner, name, None)
        if original is None:
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            name = label(*args)
            running.append(name)
            start = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                running.pop()
                add(name, start)

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
        start = time.perf_counter(), time.process_time()
        try:
            return execute(query, params, many, context)
        finally:
            match = _TABLE.search(query)
            add(f"sqlite: {query.split()[0]} {match.group(1) if match else ''}", start)

    gc.callbacks.append(on_collect)
    try:
        with connection.execute_wrapper(sql):
            yield
    finally:
        gc.callbacks.remove(on_collect)
        for owner, name, original in reversed(restore):
            setattr(owner, name, original)


def _parent(label: str, labels: set[str]) -> str | None:
    """Where a phase nests: SQL inside the call that sent it, the save's parts inside save_tree."""
    tree = "save: save_tree (all of it)"
    if label.startswith("gc: "):
        return label[4:] or None
    if label.startswith("sqlite: "):
        table = label.split()[-1]
        for other in labels:
            if other.startswith(("save: bulk_create ", "save: create ")):
                model = other.split()[-1].lower()
                if table.endswith("_" + model) and not label.startswith("sqlite: SELECT"):
                    return other
        return tree
    if label == "save: bulk_create HistoryEvent" and "history: save_events" in labels:
        return "history: save_events"
    if label == "history: snapshot" and "history: history_values" in labels:
        return "history: history_values"
    if label in ("save: create ImportRecord", "save: bulk_create UnplacedCell"):
        return None
    return tree if label.startswith(("save: ", "history: ")) and label != tree else None


def print_phases(result: dict[str, Any]) -> None:
    phases: dict[str, list[float]] = result["phases"]
    labels = set(phases)
    children: dict[str | None, list[str]] = {}
    for label in labels:
        children.setdefault(_parent(label, labels), []).append(label)
    total, cpu = result["seconds"], result["cpu"]
    print(
        f"phases of the real path: {total:.2f} s wall, {cpu:.2f} s CPU in all, "
        f"{result['collector']:.2f} s of it in the cyclic garbage collector"
    )
    print(f"  {'phase':<66} {'wall s':>7} {'CPU s':>7} {'share':>6} {'calls':>8}")

    def show(label: str, wall: float, cpu_seconds: float, calls: int | str, depth: int) -> None:
        if label.startswith("gc: "):
            label = "(garbage collector)" if label[4:] else "(garbage collector, outside the phases)"
        name = "  " * depth + label
        count = f"{calls:8,}" if isinstance(calls, int) else f"{calls:>8}"
        print(f"  {name:<66} {wall:7.2f} {cpu_seconds:7.2f} {cpu_seconds / cpu:6.0%} {count}")

    def walk(parent: str | None, depth: int, wall: float, cpu_seconds: float) -> None:
        kids = sorted(children.get(parent, []), key=lambda label: -phases[label][1])
        for label in kids:
            kid_wall, kid_cpu, calls = phases[label]
            if kid_wall >= 0.005:
                show(label, kid_wall, kid_cpu, int(calls), depth)
                walk(label, depth + 1, kid_wall, kid_cpu)
        if kids:
            rest = "(the rest: hashing, check_year, commit)" if parent is None else "(own code)"
            own_wall = wall - sum(phases[k][0] for k in kids)
            own_cpu = cpu_seconds - sum(phases[k][1] for k in kids)
            if own_wall >= 0.005:
                show(rest, own_wall, own_cpu, "", depth)

    walk(None, 0, total, cpu)
    print(f"  import record report JSON: {result['report_bytes'] / 2**20:.1f} MB")


def profile(run: Callable[[Path, Path, str], dict[str, Any]], path: Path, scratch: Path, top: int) -> None:
    """The phases of one real run, then the ``top`` functions of another under cProfile."""
    print_phases(run(path, Path(tempfile.mkdtemp(dir=scratch)), "phases"))
    stats_file = scratch / "import.prof"
    seconds = run(path, Path(tempfile.mkdtemp(dir=scratch)), str(stats_file))["seconds"]
    print(f"\ncProfile of the real path ({seconds:.2f} s under the profiler), top {top}:")
    stats = pstats.Stats(str(stats_file))
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
