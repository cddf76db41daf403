"""XLSX export speed and memory: a national-scale roll-up against XlsxWriter writing the same cells.

    python bench/bench_export_xlsx.py [--plans 550] [--lines 80] [--repeat 3] [--no-memory]

Generates ``--plans`` plans of ``--lines`` lines (550 × 80 = 44,000 lines, about a year of every
KPU satker) and times, in the same run and interleaved so that a noisy machine hits all alike:

* renaksi: :func:`write_rollup_xlsx`, everything included (table rows, totals, layout, the
  summary sheet, the atomic write);
* bare: XlsxWriter writing the same cells into the same sheets: every value, and every scheduled
  month as a blank cell with one fill format (a scheduled month holds no value; its fill is the
  schedule); no other format, no merges, no page setup. The floor the issue's 1.3× target is
  measured against;
* values: the same without the scheduled months, the values alone, shown for reference;
* layout replay: XlsxWriter replaying the very calls the export made (formats, merges, shaded
  months, the grid's conditional format, page setup) with no Renaksi code around them: what the
  layout itself costs in XlsxWriter, so ``renaksi / replay`` is what Renaksi's own code adds.

The cells of the baselines are recorded from one untimed export beforehand, so they are exactly
the export's cells. Times are medians of ``--repeat`` runs. Memory: the Python heap peak of one
extra run under tracemalloc, and the peak resident size of a fresh process that generates the
plans and runs the work once (``--no-memory`` skips both).
"""

from __future__ import annotations

import argparse
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from renaksi.core.plan_tree import PlanTree
from renaksi.exports import xlsx
from renaksi.exports.meta import ExportMeta
from renaksi.exports.xlsx import write_rollup_xlsx
from renaksi.imports.sample import random_plan

_PLACES = ("Gorontalo", "Boalemo", "Pohuwato", "Bone Bolango", "Gorontalo Utara", "Kota Gorontalo")
_RECORDED = (
    "write_string",
    "write_number",
    "write_blank",
    "write_formula",
    "write_url",
    "merge_range",
    "conditional_format",
    "set_column",
    "set_row",
    "set_landscape",
    "set_portrait",
    "set_paper",
    "set_margins",
    "center_horizontally",
    "repeat_rows",
    "fit_to_pages",
    "print_area",
    "freeze_panes",
    "set_header",
    "set_footer",
)


def make_plans(count: int, lines: int) -> list[tuple[ExportMeta, PlanTree]]:
    plans = []
    for number in range(count):
        kind = "Provinsi" if number % 7 == 0 else "Kabupaten"
        name = f"KPU {kind} {_PLACES[number % len(_PLACES)]} {number + 1}"
        plans.append((ExportMeta(name), random_plan(number, lines)))
    return plans


# -- recording the export's calls -------------------------------------------------------------------


@dataclass
class Recording:
    formats: list[dict[str, Any]] = field(default_factory=list)
    sheets: list[tuple[str, list[tuple[str, tuple[Any, ...], dict[str, Any]]]]] = field(default_factory=list)

    def cells(self) -> tuple[int, int]:
        """(cells with a value, all cells written: the values and the shaded months; merged ranges
        are recorded without padding cells)."""
        values = writes = 0
        for _title, calls in self.sheets:
            for name, _args, _kwargs in calls:
                if name in ("write_string", "write_number", "write_formula", "write_url"):
                    values += 1
                    writes += 1
                elif name == "write_blank":
                    writes += 1
        return values, writes


@contextmanager
def recording_calls() -> Iterator[Recording]:
    """Record the formats and worksheet calls of every workbook made inside the block."""
    recording = Recording()
    format_index: dict[int, int] = {}
    originals: dict[tuple[type, str], Any] = {}

    def patch(owner: type, name: str, wrapper: Callable[..., Any]) -> None:
        originals[(owner, name)] = getattr(owner, name)
        setattr(owner, name, wrapper)

    original_add_format = Workbook.add_format
    original_add_worksheet = Workbook.add_worksheet

    def add_format(self: Workbook, properties: dict[str, Any] | None = None) -> Any:
        made = original_add_format(self, properties)
        format_index[id(made)] = len(recording.formats)
        recording.formats.append(dict(properties or {}))
        return made

    def add_worksheet(self: Workbook, name: str | None = None, worksheet_class: Any = None) -> Any:
        sheet = original_add_worksheet(self, name, worksheet_class)
        recording.sheets.append((sheet.name, []))
        sheet._bench_calls = recording.sheets[-1][1]
        return sheet

    def recorder(name: str) -> Callable[..., Any]:
        original = getattr(Worksheet, name)

        def call(self: Worksheet, *args: Any, **kwargs: Any) -> Any:
            def mark(value: Any) -> Any:
                return ("format", format_index[id(value)]) if id(value) in format_index else value

            self._bench_calls.append(
                (name, tuple(mark(a) for a in args), {k: mark(v) for k, v in kwargs.items()})
            )
            return original(self, *args, **kwargs)

        return call

    # The export's own steps that touch the worksheet without a public method: merged ranges
    # recorded for rows still to come, and the row file closed when a sheet is done.
    def merge(plan_sheet: Any, *corners: int) -> None:
        plan_sheet.sheet._bench_calls.append(("merge", corners, {}))
        original_merge(plan_sheet, *corners)

    def finish_rows(sheet: Any) -> None:
        sheet._bench_calls.append(("finish_rows", (), {}))
        original_finish_rows(sheet)

    original_merge = xlsx._PlanSheet._merge
    original_finish_rows = xlsx._finish_rows
    patch(Workbook, "add_format", add_format)
    patch(Workbook, "add_worksheet", add_worksheet)
    for name in _RECORDED:
        patch(Worksheet, name, recorder(name))
    patch(xlsx._PlanSheet, "_merge", merge)
    originals[(type(xlsx), "_finish_rows")] = original_finish_rows
    xlsx._finish_rows = finish_rows
    try:
        yield recording
    finally:
        for (owner, name), original in originals.items():
            setattr(xlsx if owner is type(xlsx) else owner, name, original)


def prepare_replay(recording: Recording, path: Path) -> Callable[[], None]:
    """The export's calls, formats and all, with no Renaksi code around them.

    Formats are made and the calls resolved before the returned function runs, so what it times
    is XlsxWriter storing the same cells and writing the same file.
    """
    workbook = xlsxwriter.Workbook(str(path), {**xlsx._WORKBOOK_OPTIONS, "constant_memory": True})
    # The workbook makes its own default and hyperlink formats, recorded too: not made twice.
    formats = [
        None if "xf_index" in properties or "hyperlink" in properties else workbook.add_format(properties)
        for properties in recording.formats
    ]

    def unmark(value: Any) -> Any:
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "format":
            return formats[value[1]]
        return value

    plan: list[list[tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]]] = []
    for title, calls in recording.sheets:
        sheet = workbook.add_worksheet(title)
        steps: dict[str, Callable[..., Any]] = {
            "merge": lambda *corners, sheet=sheet: sheet.merge.append(list(corners)),
            "finish_rows": lambda sheet=sheet: xlsx._finish_rows(sheet),
        }
        plan.append(
            [
                (
                    steps.get(name) or getattr(sheet, name),
                    tuple(unmark(a) for a in args),
                    {k: unmark(v) for k, v in kwargs.items()},
                )
                for name, args, kwargs in calls
            ]
        )

    def replay() -> None:
        for calls in plan:
            for method, args, kwargs in calls:
                method(*args, **kwargs)
        workbook.close()

    return replay


def bare_cells(recording: Recording) -> list[tuple[str, list[tuple[int, int, Any]]]]:
    """The export's cells per sheet: texts, amounts, each formula's saved result, and ``None`` for
    a cell that holds no value but a fill (a scheduled month)."""
    sheets = []
    for title, calls in recording.sheets:
        cells: list[tuple[int, int, Any]] = []
        for name, args, _kwargs in calls:
            if name == "write_blank":
                cells.append((args[0], args[1], None))
            elif name in ("write_string", "write_number"):
                cells.append((args[0], args[1], args[2]))
            elif name == "write_formula":
                cells.append((args[0], args[1], args[4] if len(args) > 4 else 0))
            elif name == "write_url":
                cells.append((args[0], args[1], args[4] if len(args) > 4 else args[2]))
        sheets.append((title, cells))
    return sheets


def write_bare(sheets: list[tuple[str, list[tuple[int, int, Any]]]], path: Path, fills: bool) -> None:
    """XlsxWriter writing the same values into the same sheets, nothing else; with ``fills`` also
    the cells that hold only a fill (scheduled months), with one fill format: XlsxWriter writes
    no cell at all for a blank without a format, and a scheduled month is the schedule itself."""
    # The same mode as the export (constant_memory), so the two differ only in what they write.
    workbook = xlsxwriter.Workbook(str(path), {**xlsx._WORKBOOK_OPTIONS, "constant_memory": True})
    fill = workbook.add_format({"pattern": 1, "bg_color": xlsx._MONTH_FILL})
    for title, cells in sheets:
        sheet = workbook.add_worksheet(title)
        write_string, write_number, write_blank = sheet.write_string, sheet.write_number, sheet.write_blank
        for row, column, value in cells:
            if isinstance(value, str):
                write_string(row, column, value)
            elif value is None:
                if fills:
                    write_blank(row, column, None, fill)
            else:
                write_number(row, column, value)
    workbook.close()


# -- measuring --------------------------------------------------------------------------------------


def same_worksheets(first: Path, second: Path) -> bool:
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as other:
        names = [name for name in one.namelist() if name.startswith("xl/worksheets/")]
        return names == [n for n in other.namelist() if n.startswith("xl/worksheets/")] and all(
            one.read(name) == other.read(name) for name in names
        )


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def heap_peak_mb(work: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def memory_mb(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of this process, from /proc. Linux's
    ``ru_maxrss`` is no use here: it keeps the parent's peak across ``exec``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: argparse.Namespace) -> int:
    """One fresh process: load the input of one kind of work, run it once, print the resident size
    before and the peak. The input of the export is the plans; that of the bare baseline its cells."""
    if args.child == "renaksi":
        plans = make_plans(args.plans, args.lines)
    else:
        sheets = pickle.loads(Path(args.cells).read_bytes())
    before = memory_mb("VmRSS")
    with tempfile.TemporaryDirectory(prefix="renaksi-bench-") as folder:
        path = Path(folder) / "out.xlsx"
        if args.child == "renaksi":
            write_rollup_xlsx(plans, path)
        else:
            write_bare(sheets, path, fills=True)
    print(f"{before:.1f} {memory_mb('VmHWM'):.1f}")
    return 0


def fresh_process_memory(kind: str, args: argparse.Namespace, cells: Path) -> tuple[float, float]:
    command = [sys.executable, __file__, "--plans", str(args.plans), "--lines", str(args.lines)]
    command += ["--child", kind, "--cells", str(cells)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    before, peak = (float(value) for value in output.split())
    return before, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=550, help="plans (agencies) in the roll-up")
    parser.add_argument("--lines", type=int, default=80, help="lines per plan")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (medians)")
    parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--child", choices=("renaksi", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--cells", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    start = time.perf_counter()
    plans = make_plans(args.plans, args.lines)
    generated = time.perf_counter() - start
    total_lines = sum(sum(1 for _ in tree.lines()) for _meta, tree in plans)

    with tempfile.TemporaryDirectory(prefix="renaksi-bench-") as folder:
        out = Path(folder)
        with recording_calls() as recording:
            write_rollup_xlsx(plans, out / "recorded.xlsx")
        sheets = bare_cells(recording)
        values, writes = recording.cells()

        runs: dict[str, list[float]] = {"renaksi": [], "bare": [], "values": [], "replay": []}
        work: dict[str, Callable[[], Any]] = {
            "renaksi": lambda: write_rollup_xlsx(plans, out / "renaksi.xlsx"),
            "bare": lambda: write_bare(sheets, out / "bare.xlsx", fills=True),
            "values": lambda: write_bare(sheets, out / "values.xlsx", fills=False),
        }
        for _ in range(args.repeat):
            for name, job in work.items():
                runs[name].append(timed(job))
                print(f"  {name}: {runs[name][-1]:.2f} s", file=sys.stderr, flush=True)
            replay = prepare_replay(recording, out / "replay.xlsx")
            runs["replay"].append(timed(replay))
            del replay
            print(f"  replay: {runs['replay'][-1]:.2f} s", file=sys.stderr, flush=True)
        sizes = {name: (out / f"{name}.xlsx").stat().st_size / 2**20 for name in runs}
        same = same_worksheets(out / "renaksi.xlsx", out / "replay.xlsx")
        memory: dict[str, tuple[float, float, float]] = {}
        if args.memory:
            cells = out / "cells.pickle"
            cells.write_bytes(pickle.dumps(sheets))
            for name in ("renaksi", "bare"):
                memory[name] = (heap_peak_mb(work[name]), *fresh_process_memory(name, args, cells))

    seconds = {name: statistics.median(times) for name, times in runs.items()}
    print(
        f"roll-up: {len(plans)} plans, {total_lines:,} lines, {len(sheets)} sheets; "
        f"{values:,} cells with a value, {writes:,} cells written in all (with the shaded months)"
    )
    print(f"generated in {generated:.1f} s (not timed below); medians of {args.repeat} runs\n")
    header = f"{'work':<58} {'seconds':>8} {'ratio':>7} {'file MB':>8}"
    print(header)
    print("-" * len(header))
    print(f"{'renaksi: write_rollup_xlsx':<58} {seconds['renaksi']:8.2f} {'':>7} {sizes['renaksi']:8.1f}")
    for name, label in (
        ("bare", "bare: XlsxWriter, same cells, one fill, no merges/layout"),
        ("values", "values: XlsxWriter, the values only (no shaded months)"),
    ):
        print(
            f"{label:<58} {seconds[name]:8.2f} {seconds['renaksi'] / seconds[name]:6.2f}x {sizes[name]:8.1f}"
        )
    print(
        f"{'replay: XlsxWriter, same calls (formats, merges, blanks)':<58} {seconds['replay']:8.2f} "
        f"{seconds['renaksi'] / seconds['replay']:6.2f}x {sizes['replay']:8.1f}"
    )
    print("\nratio = renaksi seconds / baseline seconds (target against bare: within 1.3x)")
    print(f"replay's worksheets byte-identical to the export's: {'yes' if same else 'NO'}")
    if memory:
        print("\nmemory (target: under 300 MB)")
        print(f"  {'':<8} {'heap peak':>10} {'resident':>9} {'peak':>6}   (MB)")
        for name, (heap, before, peak) in memory.items():
            print(f"  {name:<8} {heap:10.1f} {before:9.0f} {peak:6.0f}")
        print(
            "  heap peak: Python allocations during the work alone (tracemalloc); resident: a fresh process\n"
            "  holding the work's input (the plans; for bare, its cells); peak: that process's peak resident size"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
