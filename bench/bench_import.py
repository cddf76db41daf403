"""Import speed: Renaksi's read + recognize against the bare reading of the same cells.

    python bench/bench_import.py [--lines 44000] [--repeat 3] [--seed-repeat 30]

(a) the seed (81 lines of PDF text), read_source + recognize, against ``line.split("\\t")``;
(b) a generated plan of ``--lines`` lines (national scale is ~44,000 a year), written as TSV and
    XLSX, read back and recognized, against csv.reader (TSV) and python-calamine (XLSX).

Every baseline runs in the same process run, so the ratio holds on a noisy shared machine.
Times are medians. Memory is the Python heap peak of one extra run under tracemalloc (which does
not see calamine's Rust heap), plus the process's peak resident size at the end.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from renaksi.core.recognizer import clear_caches, recognize
from renaksi.imports.readers import read_source
from renaksi.imports.sample import random_plan
from renaksi.imports.writers import write_tsv, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"


def median_seconds(work: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heap_peak_mb(work: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def import_file(path: Path) -> Any:
    clear_caches()  # every run is a first import: no classification remembered from the last one
    return recognize(read_source(path, max_bytes=2**31))


def split_tabs(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")]


def csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def calamine_cells(path: Path) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=44_000, help="lines of the generated plan")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement on the generated plan")
    parser.add_argument("--seed-repeat", type=int, default=30, help="runs per measurement on the seed")
    parser.add_argument(
        "--memory", action=argparse.BooleanOptionalAction, default=True, help="measure heap peaks"
    )
    args = parser.parse_args(argv)

    results: list[tuple[str, float, float | None, str, float | None]] = []

    def measure(
        work: str,
        renaksi: Callable[[], Any],
        baseline: Callable[[], Any] | None,
        name: str,
        repeat: int,
        memory: bool = True,
    ) -> None:
        ours = median_seconds(renaksi, repeat)
        theirs = median_seconds(baseline, repeat) if baseline is not None else None
        # tracemalloc slows the work several times over: one extra run, and only where it says most
        peak = heap_peak_mb(renaksi) if args.memory and memory else None
        results.append((work, ours, theirs, name, peak))
        print(f"  measured {work}", file=sys.stderr, flush=True)

    seed = SEED if SEED.exists() else ROOT.parent / "shared" / "seeds" / "000_73714d171d2130c8.txt"
    measure(
        "seed: read + recognize",
        lambda: import_file(seed),
        lambda: split_tabs(seed),
        "split on tabs",
        args.seed_repeat,
    )

    start = time.perf_counter()
    tree = random_plan(2023, args.lines)
    generated = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="renaksi-bench-") as folder:
        tsv, xlsx = Path(folder) / "plan.txt", Path(folder) / "plan.xlsx"
        start = time.perf_counter()
        write_tsv(tree, tsv)
        wrote_tsv = time.perf_counter() - start
        start = time.perf_counter()
        write_xlsx(tree, xlsx)
        wrote_xlsx = time.perf_counter() - start
        tsv_grid = read_source(tsv, max_bytes=2**31)
        rows = len(tsv_grid.rows)
        label = f"{args.lines:,} lines"
        measure(
            f"TSV {label}: read + recognize",
            lambda: import_file(tsv),
            lambda: csv_cells(tsv),
            "csv.reader",
            args.repeat,
        )
        measure(
            f"TSV {label}: read only",
            lambda: read_source(tsv, max_bytes=2**31),
            lambda: csv_cells(tsv),
            "csv.reader",
            args.repeat,
        )
        measure(
            f"TSV {label}: recognize only",
            lambda: (clear_caches(), recognize(tsv_grid)),
            None,
            "",
            args.repeat,
            memory=False,
        )
        measure(
            f"XLSX {label}: read + recognize",
            lambda: import_file(xlsx),
            lambda: calamine_cells(xlsx),
            "calamine",
            args.repeat,
        )
        xlsx_grid = read_source(xlsx, max_bytes=2**31)
        measure(
            f"XLSX {label}: read only",
            lambda: read_source(xlsx, max_bytes=2**31),
            lambda: calamine_cells(xlsx),
            "calamine",
            args.repeat,
        )
        measure(
            f"XLSX {label}: recognize only",
            lambda: (clear_caches(), recognize(xlsx_grid)),
            None,
            "",
            args.repeat,
            memory=False,
        )
        sizes = f"TSV {tsv.stat().st_size / 2**20:.1f} MB, XLSX {xlsx.stat().st_size / 2**20:.1f} MB"

    print(f"generated plan: {args.lines:,} lines, {rows:,} TSV rows ({sizes})")
    print(
        f"generate {generated:.2f} s, write TSV {wrote_tsv:.2f} s, write XLSX {wrote_xlsx:.2f} s (single runs)"
    )
    print()
    header = f"{'work':<44} {'renaksi s':>10} {'baseline s':>11} {'ratio':>7}  {'baseline':<14} {'heap peak MB':>12}"
    print(header)
    print("-" * len(header))
    for work, ours, theirs, name, peak in results:
        baseline = f"{theirs:11.4f}" if theirs is not None else f"{'':>11}"
        ratio = f"{ours / theirs:7.1f}" if theirs else f"{'':>7}"
        heap = f"{peak:12.1f}" if peak is not None else f"{'':>12}"
        print(f"{work:<44} {ours:10.4f} {baseline} {ratio}  {name:<14} {heap}")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak resident memory: {peak_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
