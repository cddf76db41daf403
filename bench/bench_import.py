"""Import speed: what a user waits for, against the floor of the same work, in the same run.

    python bench/bench_import.py [--case seed|tsv|xlsx] [--lines 44000] [--repeat 3] [--profile]
                                 [--seed-repeat 15]

renaksi: ``preview_import`` + ``check_year`` + ``commit_import`` as ``renaksi import`` calls them
(read, recognize, save the plan with its history events and the import record) into a real SQLite
database: a fresh RENAKSI_DATA_DIR, migrated, in a fresh process, every round.

floor: the bare reader reading the same cells (csv.reader for the text files, python-calamine for
XLSX) plus raw sqlite3 ``executemany`` inserting the very rows the real run wrote (read back from
its database after the run, untimed) into a copy of the same database taken just before the real
import (same schema, indexes and constraints), in one transaction, in a fresh process.

Cases: the seed (81 lines of PDF text), and a generated plan of ``--lines`` lines (national scale
is ~44,000 a year) written as TSV and as XLSX. Times are medians of ``--repeat`` rounds; the
median of each round's own ratio (its two runs are back to back) is printed too, and the ratio of
CPU seconds, steadier when other work shares the machine (the wall time also counts the fsyncs).
``GC s`` is the part of renaksi's time spent in Python's cyclic garbage collector. Peak RSS is the
renaksi process's, Django and the migration included (its size before the import is shown).

``--profile`` instead runs the real path once on the case (default: the TSV) with a phase timer
(read, recognize, bulk_create per model, history, import record) and once under cProfile.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED_SEED = Path("/work/shared/seeds/000_73714d171d2130c8.txt")
SEED = (
    SHARED_SEED
    if SHARED_SEED.exists()
    else ROOT / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
)
AGENCY = "kpu-prov-gorontalo"
CASES = ("seed", "tsv", "xlsx")


def peak_rss_mb() -> float:
    """This process's peak resident size. Linux's ru_maxrss keeps the parent's peak across fork and
    exec (the parent holds the generated plan), so the kernel's high-water mark is read instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the two kinds of run, each in its own process ---------------------------------------------------
def run_real(path: Path, folder: Path, profile: str | None) -> dict[str, Any]:
    """Migrate a fresh data folder, keep a copy of it for the floor, then time the real import."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "renaksi.settings"
    os.environ["RENAKSI_DATA_DIR"] = str(folder)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from renaksi.agencies.services import find_agency
    from renaksi.exports.collector import collector_paused
    from renaksi.history import Source
    from renaksi.imports.services import check_year, commit_import, preview_import

    call_command("migrate", interactive=False, verbosity=0)
    agency = find_agency(AGENCY)
    database = Path(connection.settings_dict["NAME"])
    connection.close()
    with sqlite3.connect(database) as source, sqlite3.connect(folder / "before.sqlite3") as copy:
        source.backup(copy)
    gc.collect()
    rss_before = peak_rss_mb()

    def import_file() -> None:
        preview = preview_import(path)
        year = preview.tree.year or 2023
        check_year(preview, year)
        from renaksi.access import OPERATOR  # after django.setup()

        commit_import(
            preview, agency, year, source=Source.COMMAND, operator="bench@localhost", actor=OPERATOR
        )

    def work() -> None:
        # As renaksi import holds the pause, from reading to the commit, and lets it go once the
        # import's objects are freed.
        with collector_paused():
            import_file()

    phases: dict[str, float] = {}
    collector = [0.0, 0.0]  # seconds in the cyclic garbage collector; when the running pass began

    def on_collect(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collector[1] = time.perf_counter()
        else:
            collector[0] += time.perf_counter() - collector[1]

    gc.callbacks.append(on_collect)
    start, cpu = time.perf_counter(), time.process_time()
    if profile == "phases":
        from _import_profile import timed_phases

        with timed_phases(phases):
            work()
    elif profile:
        import cProfile

        cProfile.runctx("work()", globals(), {"work": work}, filename=profile)
    else:
        work()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    gc.callbacks.remove(on_collect)
    rss = peak_rss_mb()
    with connection.cursor() as cursor:
        pragmas = {}
        for name in ("foreign_keys", "journal_mode", "synchronous"):
            cursor.execute(f"PRAGMA {name}")
            pragmas[name] = str(cursor.fetchone()[0])
        cursor.execute("SELECT length(CAST(report AS BLOB)) FROM imports_importrecord")
        report_bytes = cursor.fetchone()[0]
    connection.close()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "collector": collector[0],
        "rss_mb": rss,
        "rss_before_mb": rss_before,
        "pragmas": pragmas,
        "report_bytes": report_bytes,
        "database_bytes": database.stat().st_size,
        "phases": phases,
    }


def run_floor(path: Path, folder: Path, pragmas: dict[str, str]) -> dict[str, Any]:
    from _import_floor import insert_rows, read_cells, row_bytes, written_rows

    rows, touched = written_rows(folder / "renaksi.sqlite3", folder / "before.sqlite3")
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    read_cells(path)
    read = time.perf_counter() - start
    tables = insert_rows(folder / "before.sqlite3", rows, pragmas)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "read": read,
        "tables": tables,
        "rows": {table: len(values) for table, (_, values) in rows.items()},
        "bytes": row_bytes(rows),
        "touched": touched,
    }


def child(kind: str, path: Path, folder: Path, extra: str = "") -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--file", str(path), "--dir", str(folder)]
    done = subprocess.run([*command, "--extra", extra], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the {kind} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the parent: inputs, rounds, the table ---------------------------------------------------------
def make_inputs(cases: list[str], lines: int, folder: Path) -> dict[str, Path]:
    inputs = {"seed": SEED}
    if "tsv" in cases or "xlsx" in cases:
        from renaksi.imports.sample import random_plan
        from renaksi.imports.writers import write_tsv, write_xlsx

        tree = random_plan(2023, lines)
        inputs["tsv"], inputs["xlsx"] = folder / "plan.txt", folder / "plan.xlsx"
        if "tsv" in cases:
            write_tsv(tree, inputs["tsv"])
        if "xlsx" in cases:
            write_xlsx(tree, inputs["xlsx"])
    return {case: inputs[case] for case in cases}


def bench_case(path: Path, repeat: int, scratch: Path) -> dict[str, Any]:
    reals, floors = [], []
    for round_number in range(repeat):
        folder = Path(tempfile.mkdtemp(prefix=f"round{round_number}-", dir=scratch))
        real = child("real", path, folder)
        floors.append(child("floor", path, folder, json.dumps(real["pragmas"])))
        reals.append(real)
        shutil.rmtree(folder)
        print(f"  {path.name} round {round_number + 1}: {real['seconds']:.2f} s", file=sys.stderr)
    if any(floor["rows"] != floors[0]["rows"] for floor in floors):
        sys.exit("the rounds wrote different rows")
    return {"real": reals, "floor": floors}


def print_results(results: dict[str, dict[str, Any]], inputs: dict[str, Path], lines: int) -> None:
    header = (
        f"{'case':<28} {'renaksi s':>10} {'floor s':>9} {'ratio':>6} {'ratio/round':>12} "
        f"{'CPU ratio':>10} {'GC s':>6}  {'peak RSS MB':<12}"
    )
    print(header)
    print("-" * len(header))
    for case, result in results.items():
        ours = statistics.median(r["seconds"] for r in result["real"])
        floor = statistics.median(f["seconds"] for f in result["floor"])
        paired = statistics.median(
            r["seconds"] / f["seconds"] for r, f in zip(result["real"], result["floor"], strict=True)
        )
        cpu = statistics.median(r["cpu"] for r in result["real"])
        cpu /= statistics.median(f["cpu"] for f in result["floor"])
        collector = statistics.median(r["collector"] for r in result["real"])
        rss = statistics.median(r["rss_mb"] for r in result["real"])
        rss_before = statistics.median(r["rss_before_mb"] for r in result["real"])
        label = "seed (81 lines)" if case == "seed" else f"{case.upper()} {lines:,} lines"
        label = f"{label}, {size_text(inputs[case].stat().st_size)}"
        print(
            f"{label:<28} {ours:10.3f} {floor:9.3f} {ours / floor:6.1f} {paired:12.1f} "
            f"{cpu:10.1f} {collector:6.2f}  {rss:.0f} ({rss_before:.0f} before)"
        )
    print("\nrows written per table, their bytes, and the floor's seconds for them (median):")
    tables = sorted({t for result in results.values() for t in result["floor"][0]["rows"]})
    print(f"  {'table':<30}" + "".join(f"{case:>27}" for case in results))
    for table in ["(read the cells)", *tables, "COMMIT"]:
        cells = []
        for result in results.values():
            floor = result["floor"]
            rows = floor[0]["rows"].get(table, 0)
            key = "read" if table == "(read the cells)" else None
            times = [f[key] if key else f["tables"].get(table, 0.0) for f in floor]
            size = f"{rows:>9,} {size_text(floor[0]['bytes'].get(table, 0)):>8}" if rows else ""
            cells.append(f"{size:>18} {statistics.median(times):7.3f}s")
        print(f"  {table:<30}" + "".join(cells))
    for case, result in results.items():
        real = result["real"][0]
        touched = result["floor"][0]["touched"]
        note = f"; {touched} pre-existing rows changed (the floor does not)" if touched else ""
        print(
            f"  {case}: import record report JSON {size_text(real['report_bytes'])}, "
            f"database {size_text(real['database_bytes'])}, pragmas {real['pragmas']}{note}"
        )


def size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 2**10:.0f} KB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=CASES, action="append", help="run only this case (repeatable)")
    parser.add_argument("--lines", type=int, default=44_000, help="lines of the generated plan")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per case, each a fresh database")
    parser.add_argument("--seed-repeat", type=int, default=15, help="rounds for the seed (a run is ~25 ms)")
    parser.add_argument("--profile", action="store_true", help="profile the real path instead")
    parser.add_argument("--top", type=int, default=40, help="functions shown by --profile")
    parser.add_argument("--child", choices=("real", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--extra", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "real":
        print(json.dumps(run_real(args.file, args.dir, args.extra or None)))
        return 0
    if args.child == "floor":
        print(json.dumps(run_floor(args.file, args.dir, json.loads(args.extra))))
        return 0

    cases = args.case or (["tsv"] if args.profile else list(CASES))
    with tempfile.TemporaryDirectory(prefix="renaksi-bench-import-") as scratch:
        start = time.perf_counter()
        inputs = make_inputs(cases, args.lines, Path(scratch))
        print(f"inputs written in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        if args.profile:
            from _import_profile import profile

            for case in cases:
                profile(lambda *a: child("real", *a), inputs[case], Path(scratch), args.top)
            return 0
        rounds = {case: args.seed_repeat if case == "seed" else args.repeat for case in cases}
        results = {case: bench_case(inputs[case], rounds[case], Path(scratch)) for case in cases}
        print(
            f"import benchmark: medians of {args.repeat} rounds ({args.seed_repeat} for the seed), "
            "each a fresh migrated database in a fresh process\n"
        )
        print_results(results, inputs, args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
