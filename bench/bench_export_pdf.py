"""PDF export speed: Renaksi's official table against Typst typesetting a bare table of the same cells.

    python bench/bench_export_pdf.py [--lines 5000] [--repeat 3] [--seed-repeat 15] [--no-memory]

(a) the seed plan (45 lines, 47 rows): ``plan_pdf_bytes`` (target: under 0.5 s);
(b) a generated roll-up of ``--lines`` lines (``random_plan``): ``plan_pdf_bytes`` against the
    baseline (target: within 1.5x);
(c) the peak resident memory of each, in a fresh process (target for renaksi: under 1,000 MB at
    any size; ``--lines 44000`` is the issue's plan). A plan of more than ``PART_ROWS`` rows is
    typeset in parts, each by a process of its own (``renaksi.exports.pdf_parts``): renaksi's peak
    is the exporter's plus the largest part's, and stays flat while the bare table's, one Typst
    document, grows with the plan (about 250 kB a row).

The baseline is Typst itself doing the bare work: the same cell texts on the same A4 landscape
page, font and column widths, fed the same way (JSON through ``sys.inputs``), but with no merged
cells, repeated header, shading, subtotal rows, title, signature or page numbers. Both run in the
same process run, alternating, so the ratio holds on a noisy shared machine. Times are medians of
cold runs: Typst memoizes layout across compilations in a process (recompiling an unchanged plan
takes a fraction of the time), so its cache is emptied before every timed run, and the warm figure
is printed apart. Memory is the peak resident size (VmHWM) of a fresh child process that holds the
work's input and does the work once, beside what it held before (Typst allocates in Rust, which
tracemalloc does not see).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import multiprocessing
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typst

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, Line, PlanTree
from renaksi.core.recognizer import recognize
from renaksi.core.table import LEADING_COLUMNS, names_persons_in_charge, table_rows
from renaksi.exports.meta import ExportMeta, Signature
from renaksi.exports.pdf import plan_document, plan_pdf_bytes
from renaksi.exports.pdf_parts import PART_ROWS, split_document
from renaksi.imports.readers import read_source
from renaksi.imports.sample import random_plan

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
META = ExportMeta(
    "KPU Provinsi Gorontalo",
    Signature("Gorontalo", dt.date(2023, 1, 2), "Sekretaris KPU Provinsi Gorontalo", "Nama Pejabat", "1"),
)

# The same page, font and column widths as templates/plan.typ, and nothing else.
BARE_TEMPLATE = b"""
#let cells = json(bytes(sys.inputs.cells))
#set page(paper: "a4", flipped: true, margin: (left: 10mm, right: 10mm, top: 10mm, bottom: 13mm))
#set text(font: "Libertinus Serif", size: 7pt, hyphenate: false)
#let extra = int(sys.inputs.columns) - 22
#table(
  columns: (7mm, 1.1fr, 1.15fr, 1.45fr, 0.7fr, 1.05fr, 1.25fr) + (4.2mm,) * 12 + (23mm, 20mm, 0.55fr)
    + (0.95fr,) * extra,
  inset: (x: 2pt, y: 2.5pt),
  stroke: 0.4pt,
  ..cells,
)
"""


def bare_cells(tree: PlanTree) -> tuple[list[str], int]:
    """The texts of the official table, one per grid position: a merged cell's text once, blanks
    under it; the header as one plain row."""
    rows = table_rows(tree)
    show_pic = names_persons_in_charge(rows)
    columns = 22 + show_pic
    cells = list(LEADING_COLUMNS) + [str(month) for month in range(1, 13)]
    cells += ["PERKIRAAN BIAYA", "AKUN", "KET"] + (["PENANGGUNG JAWAB"] if show_pic else [])
    for row in rows:
        line = row.line
        cells += [
            (row.goal.number or "") if row.goal_span else "",
            row.goal.text if row.goal_span else "",
            row.program_goal.text if row.program_goal_span else "",
            row.indicator.text if row.indicator_span else "",
            row.indicator.target if row.indicator_span else "",
            row.activity if row.activity_span else "",
            line.name if line else "",
        ]
        cells += [""] * 12
        cells += [_cost(line), line.budget_code if line else "", line.remarks if line else ""]
        if show_pic:
            cells.append(line.person_in_charge if line else "")
    return cells, columns


def _cost(line: Line | None) -> str:
    if line is None or line.cost_state is CostState.ABSENT:
        return ""
    return "-" if line.cost is None else format_rupiah(line.cost)


def bare_pdf(cells: list[str], columns: int) -> bytes:
    return typst.compile(
        BARE_TEMPLATE,
        format="pdf",
        sys_inputs={"cells": json.dumps(cells, ensure_ascii=False), "columns": str(columns)},
        ignore_system_fonts=True,
    )


def forget_typst_cache() -> None:
    """Empty Typst's memoization cache: the typst wheel evicts entries unused for 10 compilations
    after every compilation, so 11 empty documents age everything out."""
    for _ in range(11):
        typst.compile(b"", format="pdf", ignore_system_fonts=True)


def cold_seconds(work: Callable[[], Any]) -> float:
    forget_typst_cache()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def median_cold_seconds(work: Callable[[], Any], repeat: int) -> float:
    return statistics.median(cold_seconds(work) for _ in range(repeat))


def median_pair(ours: Callable[[], Any], baseline: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Medians of cold runs of both, alternating, so a slow spell of the machine hits both."""
    pairs = [(cold_seconds(ours), cold_seconds(baseline)) for _ in range(repeat)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def _resident_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for entry in status:
            if entry.startswith(field + ":"):
                return int(entry.split()[1]) / 1024
    return float("nan")


def _child(results: Any, kind: str, payload: Any) -> None:
    before = _resident_mb("VmRSS")
    if kind == "renaksi":
        plan_pdf_bytes(payload, META)
    else:
        bare_pdf(*payload)
    # A big plan's parts are typeset by processes of their own, one at a time: the peak is the
    # exporter's own and the largest part's together (an upper bound of what is resident at once).
    parts = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results.put((before, _resident_mb("VmHWM") + parts))


def peak_mb(kind: str, payload: Any) -> tuple[float, float] | None:
    """Resident memory before one run and the peak during it, in a fresh child process (Linux
    only). Not a fork: forking a process whose Typst thread pool has run can deadlock the child."""
    if not Path("/proc/self/status").exists():
        return None
    context = multiprocessing.get_context("spawn")
    results = context.SimpleQueue()
    child = context.Process(target=_child, args=(results, kind, payload))
    child.start()
    child.join()
    return results.get() if child.exitcode == 0 and not results.empty() else None


def page_count(data: bytes) -> int:
    try:
        import pypdf
    except ImportError:
        return -1
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5_000, help="lines of the generated roll-up")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement on the roll-up")
    parser.add_argument("--seed-repeat", type=int, default=15, help="runs per measurement on the seed")
    parser.add_argument(
        "--memory", action=argparse.BooleanOptionalAction, default=True, help="measure peak memory"
    )
    args = parser.parse_args(argv)

    Memory = tuple[float, float] | None
    results: list[tuple[str, float, float, Memory, Memory, str]] = []

    def measure(work: str, tree: PlanTree, repeat: int) -> None:
        cells, columns = bare_cells(tree)
        ours = plan_pdf_bytes(tree, META)  # also warms up fonts and the template parse
        theirs = bare_pdf(cells, columns)
        renaksi_s, bare_s = median_pair(
            lambda: plan_pdf_bytes(tree, META), lambda: bare_pdf(cells, columns), repeat
        )
        ours_mb = peak_mb("renaksi", tree) if args.memory else None
        bare_mb = peak_mb("bare", (cells, columns)) if args.memory else None
        facts = (
            f"{page_count(ours)} pages, {len(ours) / 2**20:.1f} MB "
            f"(bare: {page_count(theirs)} pages, {len(theirs) / 2**20:.1f} MB)"
        )
        results.append((work, renaksi_s, bare_s, ours_mb, bare_mb, facts))
        print(f"  measured {work}", file=sys.stderr, flush=True)

    seed_tree, _report = recognize(read_source(SEED))
    measure("seed plan (45 lines)", seed_tree, args.seed_repeat)

    start = time.perf_counter()
    rollup = random_plan(2023, args.lines, person_in_charge=True, title=True)
    generated = time.perf_counter() - start
    measure(f"roll-up ({args.lines:,} lines)", rollup, args.repeat)

    # What Python adds before Typst starts, and a re-export of an unchanged plan (cache warm).
    document_s = median_cold_seconds(lambda: json.dumps(plan_document(rollup, META)), args.repeat)
    plan_pdf_bytes(seed_tree, META)
    start = time.perf_counter()
    plan_pdf_bytes(seed_tree, META)
    seed_warm = time.perf_counter() - start

    print(f"generated roll-up: {args.lines:,} lines in {generated:.2f} s")
    print()
    header = f"{'work':<26} {'renaksi s':>10} {'bare s':>9} {'ratio':>6}  output"
    print(header)
    print("-" * len(header))
    for work, ours, theirs, _ours_mb, _bare_mb, facts in results:
        print(f"{work:<26} {ours:10.3f} {theirs:9.3f} {ours / theirs:6.2f}  {facts}")
    if args.memory:
        print()
        print("memory in MB (target for renaksi: peak under 1,000 MB at any size), each in a fresh process")
        print(
            f"  {'work':<26} {'renaksi before':>15} {'renaksi peak':>13} {'bare before':>12} {'bare peak':>10}"
        )
        for work, _ours, _theirs, ours_mb, bare_mb, _facts in results:
            figures = [
                f"{value:.0f}" if value is not None else "?"
                for value in (*(ours_mb or (None, None)), *(bare_mb or (None, None)))
            ]
            print(f"  {work:<26} {figures[0]:>15} {figures[1]:>13} {figures[2]:>12} {figures[3]:>10}")
        print(
            "  before: the fresh process holding the work's input; peak: its peak resident size (VmHWM),"
            " for renaksi plus that of its largest part's process"
        )
    seed_s = results[0][1]
    ratio = results[1][1] / results[1][2]
    print()
    print(f"seed PDF: {seed_s:.3f} s (target < 0.5 s: {'met' if seed_s < 0.5 else 'MISSED'})")
    print(
        f"roll-up ratio to the bare table: {ratio:.2f}x (target <= 1.5x: {'met' if ratio <= 1.5 else 'MISSED'})"
    )
    rollup_peak = results[1][3]
    if rollup_peak is not None:
        met = "met" if rollup_peak[1] < 1_000 else "MISSED"
        print(f"roll-up peak resident memory: {rollup_peak[1]:.0f} MB (target < 1,000 MB: {met})")
    parts = len(split_document(plan_document(rollup, META)))
    print(f"roll-up typeset in {parts} part(s) of at most {PART_ROWS:,} rows")
    print(f"roll-up JSON document built in Python: {document_s:.3f} s (included above)")
    print(f"seed PDF again with Typst's cache warm: {seed_warm:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
