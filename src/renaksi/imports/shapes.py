"""A plan tree written in every honest layout people keep the Rencana Aksi table in.

:mod:`renaksi.imports.writers` writes the printed form; this module writes the same plan the other
ways real files hold it (DESIGN.md §6): values merged, repeated on every row (database exports) or
a mix of the two; page headers repeated every few rows (text taken from a PDF); columns in another
order; a one- or two-row header, in the printed words or others; months shaded, marked or named;
amounts as text, as numbers, in units of a thousand or a million; a title in one cell or several;
total rows; blank rows. Each dimension of a :class:`Shape` is independent of the others, so a
failing import names the layout that broke it.

Every layout is fed by :func:`renaksi.core.table.table_rows`. A file holds only what its layout
can say: :func:`written_plan` is the plan a faithful import of it gives back. Amounts as text in
a unit carry two decimals (``1,490.00`` juta): without them ``1,490`` could be 1490 or 1.49 units,
and an importer rightly refuses a column it cannot tell.
"""

from __future__ import annotations

import dataclasses
import os
import random
from dataclasses import dataclass
from typing import Literal

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.core.schedule import MONTH_ABBR_ID
from renaksi.core.table import (
    COLUMN_ACTIVITY,
    COLUMN_CODE,
    COLUMN_COST,
    COLUMN_GOAL,
    COLUMN_INDICATOR,
    COLUMN_LINE,
    COLUMN_NO,
    COLUMN_PIC,
    COLUMN_PROGRAM_GOAL,
    COLUMN_REMARKS,
    COLUMN_SCHEDULE,
    COLUMN_TARGET,
    TableRow,
    names_persons_in_charge,
    table_rows,
)
from renaksi.imports.shapes_emit import _Out, _Sheet

__all__ = [
    "LEADING_ORDERS",
    "LEVELS",
    "TAIL",
    "UNITS",
    "WORKBOOKS",
    "Shape",
    "unit_used",
    "write_shape",
    "written_plan",
]

Structure = Literal["merged", "repeated", "mixed"]
MonthMark = Literal["shaded", "v", "x", "\u2713", "1", "named"]
Amounts = Literal["id", "en", "seed", "number"]
Title = Literal["lines", "one_cell", "none"]
Unit = Literal["juta", "ribu", "ribuan"]

#: The levels whose text spans rows: merged or repeated, each on its own in a mixed layout.
LEVELS = ("goal", "program_goal", "indicator", "activity")
#: Honest orders of the columns left of the months: the printed one, and TARGET after KEGIATAN.
LEADING_ORDERS: tuple[tuple[str, ...], ...] = (
    ("no", "goal", "program_goal", "indicator", "target", "activity", "line"),
    ("no", "goal", "program_goal", "indicator", "activity", "target", "line"),
)
#: The columns right of Rencana Kegiatan in printed order; a shape may put them in any order.
TAIL = ("months", "cost", "code", "remarks", "pic")
#: An amount unit: its factor and what the cost column's label says of it.
UNITS: dict[str, tuple[int, str]] = {
    "juta": (1_000_000, "(Rp juta)"),
    "ribu": (1000, "(ribu)"),
    "ribuan": (1000, "(dalam ribuan rupiah)"),
}
_LABELS = {
    "no": COLUMN_NO,
    "goal": COLUMN_GOAL,
    "program_goal": COLUMN_PROGRAM_GOAL,
    "indicator": COLUMN_INDICATOR,
    "target": COLUMN_TARGET,
    "activity": COLUMN_ACTIVITY,
    "line": COLUMN_LINE,
    "months": COLUMN_SCHEDULE,
    "cost": COLUMN_COST,
    "code": COLUMN_CODE,
    "remarks": COLUMN_REMARKS,
    "pic": COLUMN_PIC,
}
# Other labels real tables print for the same columns, in the cases people type them.
_VARIANT_LABELS = _LABELS | {
    "no": "No.",
    "goal": "Sasaran Strategis",
    "indicator": "INDIKATOR KINERJA UTAMA",
    "target": "Target Kinerja",
    "line": "RINCIAN KEGIATAN",
    "months": "JADWAL PELAKSANAAN",
    "cost": "ANGGARAN",
    "code": "KODE AKUN",
    "remarks": "KETERANGAN",
    "pic": "Penanggung Jawab",
}
_LEVEL_OF = {"no": "goal", "goal": "goal", "program_goal": "program_goal", "indicator": "indicator"}
_LEVEL_OF |= {"target": "indicator", "activity": "activity"}
RUPIAH_FORMAT = '"Rp" #,##0'
ACCOUNTING_FORMAT = '_("Rp"* #,##0_);_("Rp"* (#,##0);_("Rp"* "-"_);_(@_)'
_PLAIN_FORMAT = "#,##0"
#: The formats that are workbooks: merged ranges, typed numbers.
WORKBOOKS = ("xlsx", "xls", "ods")


@dataclass(frozen=True)
class Shape:
    """One layout of the table. The default is the printed form as a merged-cell workbook."""

    format: Literal["tsv", "csv", "xlsx", "xls", "ods"] = "xlsx"
    delimiter: Literal[",", ";"] = ";"  # csv only
    encoding: Literal["utf-8", "cp1252"] = "utf-8"  # csv only; tsv is UTF-8
    structure: Structure = "merged"
    mixed_seed: int = 0  # which levels a mixed layout repeats
    page_rows: int | None = None  # the header again every so many plan rows
    leading: tuple[str, ...] = LEADING_ORDERS[0]
    tail: tuple[str, ...] = TAIL
    header_rows: Literal[1, 2] = 2
    month_labels: Literal["numbers", "names"] = "numbers"
    months: MonthMark = "shaded"
    amounts: Amounts = "number"
    unit: Unit | None = None
    accounting_zero: bool = False  # xlsx, xls: "-" (no cost) as a 0 in an accounting format
    title: Title = "lines"
    totals: bool = False  # a JUMLAH row after each goal and a TOTAL row at the end
    labels: Literal["printed", "variants"] = "printed"  # the header's words
    blank_rows: bool = False  # an empty row after each goal, as people space a long table
    # Below a page header a span goes on with its text again, or (text from a PDF) with empty cells.
    page_break_text: Literal["repeated", "continued"] = "repeated"

    def __post_init__(self) -> None:
        xlsx, workbook = self.format == "xlsx", self.format in WORKBOOKS
        problems = [
            (self.months == "shaded" and not xlsx, "shading is read only in xlsx"),
            (self.amounts == "number" and not workbook, "amounts are numbers only in a workbook"),
            (
                self.amounts == "en" and workbook,
                "an English-locale amount as text in a workbook is a number as text",
            ),
            (self.accounting_zero and self.amounts != "number", "accounting_zero needs amounts as numbers"),
            (self.accounting_zero and self.format == "ods", "the ODS writer writes no number formats"),
            (self.encoding == "cp1252" and self.months == "\u2713", "cp1252 cannot hold the \u2713 mark"),
            (self.leading not in LEADING_ORDERS, f"leading must be one of {LEADING_ORDERS}"),
            (sorted(self.tail) != sorted(TAIL), f"tail must be an order of {TAIL}"),
            (self.page_rows is not None and self.page_rows < 1, "page_rows must be at least 1"),
            (
                self.page_break_text == "continued" and workbook,
                "in a workbook a merge says what a cell continues",
            ),
        ]
        for failed, message in problems:
            if failed:
                raise ValueError(f"{message}: {self}")

    @property
    def repeated_levels(self) -> frozenset[str]:
        """The levels written on every row; the others are merged (text on a span's first row)."""
        if self.structure == "merged":
            return frozenset()
        if self.structure == "repeated":
            return frozenset(LEVELS)
        # Some levels of each kind: one of the 14 patterns that are neither all merged nor all repeated.
        pattern = random.Random(self.mixed_seed).randrange(1, 2 ** len(LEVELS) - 1)
        return frozenset(level for bit, level in enumerate(LEVELS) if pattern >> bit & 1)

    @property
    def suffix(self) -> str:
        return {"tsv": ".txt", "csv": ".csv"}.get(self.format, f".{self.format}")


def written_plan(tree: PlanTree, shape: Shape) -> PlanTree:
    """The plan as the file holds it: without a title block there is no title, unit or year."""
    if shape.title != "none":
        return tree
    return dataclasses.replace(tree, year=None, title="", signing_unit="", agency_label="")


def unit_used(tree: PlanTree, shape: Shape) -> str | None:
    """The shape's unit where every amount of the plan is a whole number of it, else none."""
    if shape.unit is None:
        return None
    factor = UNITS[shape.unit][0]
    exact = all(line.cost % factor == 0 for line in tree.lines() if line.cost is not None)
    return shape.unit if exact else None


# -- the layout as a grid of output cells ----------------------------------------------------------


class _Layout:
    def __init__(self, tree: PlanTree, shape: Shape) -> None:
        self.tree, self.shape = tree, shape
        self.rows = table_rows(tree)
        pic = names_persons_in_charge(self.rows)
        self.keys = [*shape.leading, *(key for key in shape.tail if key != "pic" or pic)]
        widths = {"months": 12, "cost": 2 if shape.amounts == "seed" else 1}
        self.column: dict[str, int] = {}
        width = 0
        for key in self.keys:
            self.column[key] = width
            width += widths.get(key, 1)
        self.width = width
        unit = unit_used(tree, shape)
        self.labels = _VARIANT_LABELS if shape.labels == "variants" else _LABELS
        self.factor, unit_label = UNITS[unit] if unit else (1, "")
        self.cost_label = f"{self.labels['cost']} {unit_label}".strip()
        self.repeated = shape.repeated_levels
        self.sheet = _Sheet()
        self.runs: dict[str, tuple[int, int, int]] = {}  # merged level -> (key, first row, last row)

    def build(self) -> _Sheet:
        for text in self.title_lines():
            self.sheet.rows.append([_Out(text, "title")])
        self.header()
        since_header = 0
        activity_run = 0
        goal_last_rows = {row.index - 1 for row in self.rows if row.goal_span > 0} | {len(self.rows) - 1}
        quiet = self.unbroken_goals()
        for row in self.rows:
            headerless_break = row.goal_span > 0 and row.goal.number is None and row.index > 0
            page_break = self.shape.page_rows is not None and since_header >= self.shape.page_rows
            if headerless_break or page_break and (row.goal_span > 0 or id(row.goal) not in quiet):
                if headerless_break or self.shape.page_break_text == "repeated":
                    self.close_runs()  # the spans start again below the header, with their text
                self.header()
                since_header = 0
            activity_run += row.activity_span > 0
            keys = {"goal": id(row.goal), "program_goal": id(row.program_goal)}
            keys |= {"indicator": id(row.indicator), "activity": activity_run}
            self.sheet.rows.append(self.data_cells(row, keys))
            since_header += 1
            if row.index in goal_last_rows and (self.shape.totals or self.shape.blank_rows):
                self.close_runs()
                if self.shape.totals:
                    self.total_row("JUMLAH", sum(line.cost or 0 for line in self.tree.goal_lines(row.goal)))
                if self.shape.blank_rows:
                    self.sheet.rows.append([_Out() for _ in range(self.width)])
        self.close_runs()
        if self.shape.totals:
            self.total_row("TOTAL", self.tree.total_cost())
        return self.sheet

    def unbroken_goals(self) -> set[int]:
        """Goals no page break may split: where one would, the file has two readings. An empty goal
        cell below a page header is a goal without a header (the seed's sign of missing pages)
        or, where spans continue without their text, the goal above going on."""
        goals = self.tree.goals
        quiet = {id(goal) for goal in goals if goal.number is None}
        if self.shape.page_break_text == "continued":
            quiet |= {id(goal) for goal, after in zip(goals, goals[1:], strict=False) if after.number is None}
        return quiet

    def close_runs(self) -> None:
        """Merge the columns of every open span over its rows (a span of one row needs no merge)."""
        for level, (_key, first, last) in self.runs.items():
            self.merge(level, first, last)
        self.runs = {}

    def merge(self, level: str, first: int, last: int) -> None:
        if last > first:
            for key, of in _LEVEL_OF.items():
                if of == level:
                    self.sheet.merges.append((first, self.column[key], last, self.column[key]))

    def title_lines(self) -> list[str]:
        tree, title = self.tree, self.shape.title
        heading = tree.title or (f"RENCANA AKSI TAHUN {tree.year}" if tree.year else "")
        if title == "none":
            return []
        if title == "lines":
            return [text for text in (heading, tree.signing_unit, tree.agency_label) if text]
        unit = " ".join(text for text in (tree.signing_unit, tree.agency_label) if text)
        return [text for text in (heading, unit) if text]

    def header(self) -> None:
        shape, sheet = self.shape, self.sheet
        two = shape.header_rows == 2
        top = len(sheet.rows)
        first = [_Out("", "header") for _ in range(self.width)]
        second = [_Out("", "header") for _ in range(self.width)]
        for key in self.keys:
            column = self.column[key]
            label = self.cost_label if key == "cost" else self.labels[key]
            last = column + (1 if key == "cost" and shape.amounts == "seed" else 0)
            if key == "months":
                names = MONTH_ABBR_ID if shape.month_labels == "names" else range(1, 13)
                labels: list[str | int] = list(names)
                if two:
                    first[column].value = label
                    sheet.merges.append((top, column, top, column + 11))
                for month, text in enumerate(labels):
                    (second if two else first)[column + month].value = text
                continue
            first[column].value = label
            if two or last > column:
                sheet.merges.append((top, column, top + int(two), last))
        sheet.rows.append(first)
        if two:
            sheet.rows.append(second)

    def data_cells(self, row: TableRow, keys: dict[str, int]) -> list[_Out]:
        cells = [_Out() for _ in range(self.width)]
        here = len(self.sheet.rows)
        starts = set(self.repeated)  # the levels whose text this row shows
        for level in LEVELS:
            run = self.runs.get(level)
            if level in self.repeated:
                continue
            if run is not None and run[0] == keys[level]:
                self.runs[level] = (run[0], run[1], here)
                continue
            if run is not None:
                self.merge(level, run[1], run[2])
            self.runs[level] = (keys[level], here, here)
            starts.add(level)
        goal, indicator, line = row.goal, row.indicator, row.line
        texts = {
            "no": f"{goal.number}." if goal.number is not None else "",
            "goal": goal.text,
            "program_goal": row.program_goal.text,
            "indicator": indicator.text,
            "target": indicator.target,
            "activity": row.activity,
        }
        for key, text in texts.items():
            if _LEVEL_OF[key] in starts:
                cells[self.column[key]].value = text
        if line is None:
            return cells
        cells[self.column["line"]].value = line.name
        for month in line.months:
            cells[self.column["months"] + month - 1] = self.month_cell(month)
        for offset, cell in enumerate(self.cost_cells(line.cost_state, line.cost)):
            cells[self.column["cost"] + offset] = cell
        code = line.budget_code or ("-" if line.cost_state is CostState.NONE else "")
        cells[self.column["code"]].value = code
        cells[self.column["remarks"]].value = line.remarks
        if "pic" in self.column:
            cells[self.column["pic"]].value = line.person_in_charge
        return cells

    def month_cell(self, month: int) -> _Out:
        mark = self.shape.months
        if mark == "shaded":
            return _Out("", shaded=True)
        return _Out(MONTH_ABBR_ID[month - 1] if mark == "named" else mark)

    def cost_cells(self, state: CostState, cost: int | None) -> list[_Out]:
        shape = self.shape
        seed = shape.amounts == "seed"
        if state is CostState.ABSENT:
            return []
        if state is CostState.NONE:
            if shape.accounting_zero:
                return [_Out(0, "none", num_format=ACCOUNTING_FORMAT)]
            return [_Out("-")]
        assert cost is not None
        amount = cost // self.factor
        if shape.amounts == "number" or seed and shape.format in WORKBOOKS:
            number_format = RUPIAH_FORMAT if self.factor == 1 and not seed else _PLAIN_FORMAT
            if shape.accounting_zero and amount != 0:  # a 0 in it would show "-": no cost
                number_format = ACCOUNTING_FORMAT
            money = _Out(amount, "money", num_format=number_format)
            return [_Out("Rp"), money] if seed else [money]
        if shape.amounts == "id":
            return [_Out(format_rupiah(amount) + (",00" if self.factor > 1 else ""))]
        # In a unit, "1,490" could be 1490 units or 1.49: the decimals say which mark is which.
        text = f"{amount:,}" + (".00" if self.factor > 1 else "")
        return [_Out("Rp"), _Out(text)] if seed else [_Out(text)]

    def total_row(self, label: str, total: int) -> None:
        cells = [_Out() for _ in range(self.width)]
        cells[0].value = label
        for offset, cell in enumerate(self.cost_cells(CostState.AMOUNT, total)):
            cells[self.column["cost"] + offset] = cell
        self.sheet.rows.append(cells)


def write_shape(tree: PlanTree, path: str | os.PathLike[str], shape: Shape) -> None:
    """Write ``tree`` to ``path`` in ``shape``. Raises ``WriterError`` where the encoding cannot
    hold a text (see :func:`renaksi.imports.writers.write_csv`)."""
    from renaksi.imports import shapes_emit

    sheet = _Layout(tree, shape).build()
    if shape.format in WORKBOOKS:
        emit = {"xlsx": shapes_emit.emit_xlsx, "xls": shapes_emit.emit_xls, "ods": shapes_emit.emit_ods}
        emit[shape.format](sheet, path)
    else:
        shapes_emit.emit_text(sheet, path, shape)
