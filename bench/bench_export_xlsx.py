"""XLSX export speed and memory: a national-scale roll-up against XlsxWriter writing the same cells.

    python bench/bench_export_xlsx.py [--plans 550] [--lines 80] [--repeat 5]

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
  months, the grid's conditional format, page setup) with no Renaksi code around them, and the
  garbage collector paused as the export pauses it: what the layout itself costs in XlsxWriter,
  so ``renaksi / replay`` is what Renaksi's own code adds.

The cells and calls of the baselines are recorded from one untimed export beforehand, so they are
exactly the export's. Each run is a fresh process that holds only the input of its work (the
plans; the cells; the calls) so that no run pays for another's objects: Python's cyclic garbage
collector walks every live object, and a process that also held the recording (millions of
tuples) made the export look 0.5 s slower than it is. Times and memory are medians of
``--repeat`` runs; the collector's time during each run is printed beside it. On a machine whose
speed drifts from minute to minute, the median of each round's own ratio (its runs are back to
back) is printed too.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from renaksi.core.plan_tree import PlanTree
from renaksi.exports import xlsx, xlsx_sheet, xlsx_summary
from renaksi.exports.collector import collector_paused
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
    originals: dict[tuple[Any, str], Any] = {}  # (class or module, name)

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
    for module in (xlsx_sheet, xlsx_summary):  # where the sheet writers look it up
        originals[(module, "_finish_rows")] = original_finish_rows
        module._finish_rows = finish_rows
    try:
        yield recording
    finally:
        for (owner, name), original in originals.items():
            setattr(owner, name, original)


def prepare_replay(recording: Recording, path: Path) -> Callable[[], None]:
    """The export's calls, formats and all, with no Renaksi code around them.

    The formats are made and the calls' arguments resolved before the returned function runs;
    it adds the sheets (as the export and the bare baseline do: 551 sheets take about 0.5 s) and
    makes the calls, so what it times is XlsxWriter storing the same cells and writing the same file.
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

    plan = [
        (
            title,
            [
                (name, tuple(unmark(a) for a in args), {k: unmark(v) for k, v in kwargs.items()})
                for name, args, kwargs in calls
            ],
        )
        for title, calls in recording.sheets
    ]
    used = {name for _title, calls in plan for name, _args, _kwargs in calls}

    def replay() -> None:
        with collector_paused():  # as the export runs
            for title, calls in plan:
                sheet = workbook.add_worksheet(title)
                methods: dict[str, Callable[..., Any]] = {
                    name: getattr(sheet, name) for name in used if hasattr(sheet, name)
                }
                methods["merge"] = lambda *corners, merged=sheet.merge: merged.append(list(corners))
                methods["finish_rows"] = lambda sheet=sheet: xlsx._finish_rows(sheet)
                for name, args, kwargs in calls:
                    methods[name](*args, **kwargs)
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

_KINDS = ("renaksi", "bare", "values", "replay")


def same_worksheets(first: Path, second: Path) -> bool:
    with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as other:
        names = [name for name in one.namelist() if name.startswith("xl/worksheets/")]
        return names == [n for n in other.namelist() if n.startswith("xl/worksheets/")] and all(
            one.read(name) == other.read(name) for name in names
        )


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


@dataclass
class Run:
    seconds: float
    collector_seconds: float  # time the cyclic garbage collector took during the work
    collections: int
    resident_mb: float  # resident size holding the input, before the work
    peak_mb: float  # peak resident size of the process


@contextmanager
def collector_clock() -> Iterator[list[float]]:
    """Sum the time the cyclic garbage collector runs inside the block: ``[seconds, count]``."""
    spent = [0.0, 0]
    started = [0.0]

    def callback(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            spent[1] += 1

    gc.callbacks.append(callback)
    try:
        yield spent
    finally:
        gc.callbacks.remove(callback)


def child(args: argparse.Namespace) -> int:
    """One run in a fresh process holding only the input of its kind of work: the plans for the
    export, the recorded cells for the bare baselines, the recorded calls (made into formats and
    bound methods beforehand) for the replay. Prints one :class:`Run` as JSON."""
    output = Path(args.out)
    work: Callable[[], Any]
    if args.child == "renaksi":
        plans = make_plans(args.plans, args.lines)
        work = lambda: write_rollup_xlsx(plans, output)  # noqa: E731
    elif args.child == "replay":
        formats, sheets = pickle.loads(Path(args.input).read_bytes())
        work = prepare_replay(Recording(formats, sheets), output)
    else:
        cells = pickle.loads(Path(args.input).read_bytes())
        work = lambda: write_bare(cells, output, fills=args.child == "bare")  # noqa: E731
    before = memory_mb("VmRSS")
    with collector_clock() as collector:
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
    run = Run(seconds, collector[0], int(collector[1]), before, memory_mb("VmHWM"))
    print(json.dumps(asdict(run)))
    return 0


def run_child(kind: str, args: argparse.Namespace, folder: Path) -> Run:
    command = [sys.executable, __file__, "--plans", str(args.plans), "--lines", str(args.lines)]
    given = folder / ("recording.pickle" if kind == "replay" else "cells.pickle")
    command += ["--child", kind, "--input", str(given), "--out", str(folder / f"{kind}.xlsx")]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return Run(**json.loads(output.splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=550, help="plans (agencies) in the roll-up")
    parser.add_argument("--lines", type=int, default=80, help="lines per plan")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each kind of work (medians)")
    parser.add_argument("--child", choices=_KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    plans = make_plans(args.plans, args.lines)
    total_lines = sum(sum(1 for _ in tree.lines()) for _meta, tree in plans)
    with tempfile.TemporaryDirectory(prefix="renaksi-bench-") as name:
        folder = Path(name)
        with recording_calls() as recording:
            write_rollup_xlsx(plans, folder / "recorded.xlsx")
        del plans
        sheets = bare_cells(recording)
        values, writes = recording.cells()
        sheet_count = len(sheets)
        (folder / "cells.pickle").write_bytes(pickle.dumps(sheets))
        (folder / "recording.pickle").write_bytes(pickle.dumps((recording.formats, recording.sheets)))
        del recording, sheets

        runs: dict[str, list[Run]] = {kind: [] for kind in _KINDS}
        for _ in range(args.repeat):
            for kind in _KINDS:
                runs[kind].append(run_child(kind, args, folder))
                print(f"  {kind}: {runs[kind][-1].seconds:.2f} s", file=sys.stderr, flush=True)
        sizes = {kind: (folder / f"{kind}.xlsx").stat().st_size / 2**20 for kind in _KINDS}
        same = same_worksheets(folder / "renaksi.xlsx", folder / "replay.xlsx")

    def median(kind: str, field: str) -> float:
        return statistics.median(getattr(run, field) for run in runs[kind])

    seconds = {kind: median(kind, "seconds") for kind in _KINDS}
    print(
        f"roll-up: {args.plans} plans, {total_lines:,} lines, {sheet_count} sheets; "
        f"{values:,} cells with a value, {writes:,} cells written in all (with the shaded months)"
    )
    print(f"each run in a fresh process holding only its input; medians of {args.repeat} runs\n")
    labels = {
        "renaksi": "renaksi: write_rollup_xlsx",
        "bare": "bare: XlsxWriter, same cells, one fill, no merges/layout",
        "values": "values: XlsxWriter, the values only (no shaded months)",
        "replay": "replay: XlsxWriter, same calls (formats, merges, blanks)",
    }
    header = f"{'work':<58} {'seconds':>8} {'ratio':>7} {'paired':>7} {'gc s':>6} {'file MB':>8}"
    print(header)
    print("-" * len(header))
    for kind in _KINDS:
        ratio = paired = ""
        if kind != "renaksi":
            ratio = f"{seconds['renaksi'] / seconds[kind]:6.2f}x"
            rounds = zip(runs["renaksi"], runs[kind], strict=True)
            paired = f"{statistics.median(ours.seconds / theirs.seconds for ours, theirs in rounds):6.2f}x"
        print(
            f"{labels[kind]:<58} {seconds[kind]:8.2f} {ratio:>7} {paired:>7} "
            f"{median(kind, 'collector_seconds'):6.2f} {sizes[kind]:8.1f}"
        )
    print("\nratio = renaksi seconds / baseline seconds, medians (target against bare: within 1.3x)")
    print("paired = the median of each round's ratio (the two runs of a round are back to back)")
    print("gc s = time Python's cyclic garbage collector took during the work (median)")
    print(f"replay's worksheets byte-identical to the export's: {'yes' if same else 'NO'}")
    print("\nmemory (target: under 300 MB), medians in MB")
    print(f"  {'':<8} {'resident before':>16} {'peak resident':>14}")
    for kind in _KINDS:
        print(f"  {kind:<8} {median(kind, 'resident_mb'):16.0f} {median(kind, 'peak_mb'):14.0f}")
    print("  resident before: the fresh process holding the work's input; peak: its peak resident size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
