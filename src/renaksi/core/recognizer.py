"""Cells in, plan tree and report out: reading the Rencana Aksi table the way a person does.

Real tables come from PDFs and spreadsheets whose cells drift from row to row, so columns are
found by the header and then each row is read by *content*: the target (``97,5%``, ``7 Satker``)
anchors the row; the indicator is the text just before it, the program goal and strategic goal
before that; the activity and sub-activity follow it; amounts and budget codes close the row.
An empty leading cell means "same as above" (a merged cell). Rows whose target is free text are
read by their header columns. Every non-empty cell ends up in a field or in the report as
unplaced, and every reading the layout did not make certain is recorded as a judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from renaksi.core import budget_codes, money, targets, text
from renaksi.core.amount_units import (
    UnitError,
    cost_header_unit,
    decimal_mark_of,
    is_cost_header,
    scaled_amount,
)
from renaksi.core.budget_codes import BudgetCodeError
from renaksi.core.grid import DATE, NUMBER, STRING, Cell, Grid, GridRow, SourceError
from renaksi.core.import_report import ImportReport, Judgement, Placement, Unplaced, plan_figures
from renaksi.core.messages import Message, gettext_noop, msg, reason_of
from renaksi.core.money import MoneyError, format_rupiah, unreadable_amount
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.schedule import MARK_TRUE, ScheduleError, parse_month
from renaksi.core.signature_block import is_place_and_date, read_signature
from renaksi.core.text import same_text
from renaksi.core.title_block import normalize_signing_unit, split_signing_unit, split_title

#: The judgement on a row holding two indicators (the preview offers the other reading of its lines).
SPILLED_INDICATOR = gettext_noop(
    "dua indikator dalam satu baris; yang ini berlanjut di baris {line} dengan targetnya sendiri, jadi dibaca di sana"
)

# Tables repeat the same texts (codes, targets, activity names) thousands of times, and every
# classifier below is a pure function of the text: remember their answers.
_CACHE = 1 << 16
is_money_like = lru_cache(_CACHE)(money.is_money_like)
is_budget_code_like = lru_cache(_CACHE)(budget_codes.is_budget_code_like)
_HAS_DIGIT = re.compile(r"\d")


@lru_cache(_CACHE)
def is_target_like(cell_text: str) -> bool:
    # Every typed target has a number in it; most cells are names that have none.
    return bool(_HAS_DIGIT.search(cell_text)) and targets.is_target_like(cell_text)


parse_rupiah = lru_cache(_CACHE)(money.parse_rupiah)
parse_budget_code = budget_codes.parse_budget_code  # cached where it is defined
normalize_space = lru_cache(_CACHE)(text.normalize_space)

# Roles of columns, in printed order.
NO = "no"
GOAL = "goal"
PROGRAM_GOAL = "program_goal"
INDICATOR = "indicator"
TARGET = "target"
ACTIVITY = "activity"
LINE = "line"
SCHEDULE = "schedule"
COST = "cost"
CODE = "code"
REMARKS = "remarks"
PIC = "pic"

STRUCTURE = (GOAL, PROGRAM_GOAL, INDICATOR, TARGET, ACTIVITY, LINE)

_HEADER_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (NO, re.compile(r"^(no\.?|nomor)$")),
    (GOAL, re.compile(r"^sasaran strategis$")),
    (PROGRAM_GOAL, re.compile(r"^sasaran program$")),
    (INDICATOR, re.compile(r"^indikator( kinerja)?( utama)?$")),
    (TARGET, re.compile(r"^target( kinerja)?$")),
    (ACTIVITY, re.compile(r"^kegiatan( utama)?$")),
    (LINE, re.compile(r"^(rencana|rincian|sub) kegiatan$")),
    (SCHEDULE, re.compile(r"^(rencana pelaksanaan( kegiatan)?|jadwal( pelaksanaan)?|waktu pelaksanaan)$")),
    (CODE, re.compile(r"^(akun|kode( akun| anggaran)?|mak)$")),
    (REMARKS, re.compile(r"^(ket\.?|keterangan)$")),
    (PIC, re.compile(r"^(penanggung ?jawab|pj|pic|pelaksana)$")),
]
_MONTH_WORDS = ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"]
_MONTH_ALIASES = {"agt": 8, "ags": 8, "aug": 8, "may": 5, "oct": 10, "dec": 12}
# Goal numbers as printed: 1. 2) 10 I. IV A. (1) 1.a 1.1
_GOAL_NUMBER = re.compile(r"^\(?(\d{1,4}(?:\.\d{1,2}|\.[a-z])?|[IVXLC]{1,7}|[A-Z])[.)]?$")
# A total row's label is the whole cell: "Jumlah PNS yang ..." is an indicator, not a total.
_TOTAL_ROW = re.compile(
    r"^(sub ?total|total|jumlah|grand total|jumlah total|jumlah (sasaran( strategis)?|ss) ?[\w.]*"
    r"|jumlah tanpa sasaran strategis)\s*:?$",
    re.IGNORECASE,
)
_GOAL_SUBTOTAL = re.compile(
    r"^(sub ?total|jumlah (sasaran( strategis)?|ss) ?[\w.]*|jumlah tanpa sasaran strategis)\s*:?$", re.I
)
_CURRENCY_ONLY = re.compile(r"^(rp\.?|idr)$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d[\d.,]*$")
_CURRENCY_DASH = re.compile(r"^(rp\.?|idr)\s*[-\u2013\u2014]$", re.IGNORECASE)
_AMOUNT_SHAPE = re.compile(
    r"^[-\u2212]?\s*(rp\.?|idr)?\s*[-\u2212]?\s*\d[\d.,\s]*(,-)?\s*(jt|juta|rb|ribu|m|miliar)?\.?$", re.I
)
# What a budget code typed wrong looks like: 33580.EBC, 3358 EBC 954, 3358-EBC-954, EBC.954
_LOOSE_CODE = re.compile(
    r"^(\d{3,6}([ .\-/]+[A-Za-z0-9]{1,6}){1,6}|[A-Z]{3}[ .\-]\d{3}([ .\-][A-Za-z0-9]{1,6})*)$"
)
_CODE_SHAPE = re.compile(r"^\d{4}\s*\.\s*\S+$")
_MIN_HEADER_ROLES = 4


@dataclass
class _Header:
    """Where each column is, and the figures derived from it (computed once: read on every cell)."""

    columns: dict[str, int]  # role -> column index (0-based)
    months: dict[int, int]  # column index -> month number
    unknown: dict[int, str] = field(default_factory=dict)  # labelled columns that are not plan columns
    cost_unit: int = 1  # Rupiah per unit of the cost column: 10**6 under "PERKIRAAN BIAYA (Rp juta)"
    right_edge: int = 10_000  # the last column (0-based) under a header label: text right of it has none
    structure_end: int = field(init=False)  # the last structure column (Rencana Kegiatan, normally)
    cost_column: int = field(init=False)
    tail_column: int = field(init=False)  # text at or right of it is remarks or PIC, never structure
    in_print_order: bool = field(
        init=False
    )  # structure columns in the usual order (content reading relies on it)
    first_month_column: int = field(init=False)
    last_month_column: int = field(init=False)
    _roles_by_column: dict[int, str] = field(init=False)

    def __post_init__(self) -> None:
        present = [self.columns[r] for r in STRUCTURE if r in self.columns]
        self.structure_end = max(present, default=6)
        self.in_print_order = present == sorted(present)
        self.cost_column = self.columns.get(COST, 10_000)
        tails = [self.columns[r] for r in (REMARKS, PIC) if r in self.columns]
        self.tail_column = min(tails) if tails else 10_000
        self.first_month_column = min(self.months, default=-1)
        self.last_month_column = max(self.months, default=-1)
        self._roles_by_column = {}
        for role, column in self.columns.items():
            if role != SCHEDULE:
                self._roles_by_column.setdefault(column, role)

    def role_at(self, column: int) -> str | None:
        if column in self.months:
            return SCHEDULE
        return self._roles_by_column.get(column)


@dataclass(slots=True)
class _Cell:
    column: int  # 0-based
    text: str
    shaded: bool
    kind: str = STRING  # what a workbook cell held (grid.STRING, NUMBER, DATE, BOOLEAN)
    number: str = ""  # a NUMBER's exact decimal text


@dataclass(slots=True)
class _Row:
    line: int
    cells: list[_Cell]
    after_page_break: bool = False


@dataclass(slots=True)
class _Reading:
    """The roles one data row was read into."""

    number: _Cell | None = None
    goal: _Cell | None = None
    program_goal: _Cell | None = None
    indicator: _Cell | None = None
    target: _Cell | None = None
    activity: _Cell | None = None
    line: _Cell | None = None
    months: list[tuple[_Cell, int]] = field(default_factory=list)
    cost_cells: list[_Cell] = field(default_factory=list)
    cost: int | None = None
    cost_state: CostState = CostState.ABSENT
    code: _Cell | None = None
    code_dash: _Cell | None = None
    remarks: list[_Cell] = field(default_factory=list)
    pic: list[_Cell] = field(default_factory=list)
    duplicates: list[tuple[_Cell, _Cell]] = field(default_factory=list)  # (dropped, kept)
    spilled: list[_Cell] = field(default_factory=list)  # indicator texts continued on the next row
    unplaced: list[tuple[_Cell, Message]] = field(default_factory=list)
    total_row: bool = False
    formatting: list[_Cell] = field(default_factory=list)  # filled cells without text outside the months

    def has_tail(self) -> bool:
        return bool(self.cost_cells or self.code or self.code_dash or self.remarks or self.pic)


def _norm(text: str) -> str:
    return normalize_space(text).casefold()


# First words of every header label: a cheap test before the patterns, run on every row.
_HEADER_FIRST_WORDS = frozenset(
    [
        "no",
        "no.",
        "nomor",
        "sasaran",
        "indikator",
        "target",
        "kegiatan",
        "rencana",
        "rincian",
        "sub",
        "jadwal",
        "waktu",
        "perkiraan",
        "jumlah",
        "total",
        "biaya",
        "anggaran",
        "pagu",
        "akun",
        "kode",
        "mak",
        "ket",
        "ket.",
        "keterangan",
        "penanggung",
        "penanggungjawab",
        "pj",
        "pic",
        "pelaksana",
    ]
)


def _header_roles(cells: list[_Cell]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for cell in cells:
        first_word = cell.text[:24].split(" ", 1)[0].casefold()
        if first_word not in _HEADER_FIRST_WORDS:
            continue
        label = _norm(cell.text)
        for role, pattern in _HEADER_WORDS:
            if role not in roles and pattern.match(label):
                roles[role] = cell.column
                break
        else:
            if COST not in roles and is_cost_header(label):
                roles[COST] = cell.column
    return roles


def _month_columns(cells: list[_Cell]) -> dict[int, int]:
    """Month columns named 1..12 (a sub-header row) or Jan..Des (in the header row itself)."""
    months: dict[int, int] = {}
    for cell in cells:
        label = _norm(cell.text).rstrip(".")
        month: int | None = None
        if label.isdigit() and 1 <= int(label) <= 12:
            month = int(label)
        elif label[:3] in _MONTH_WORDS:
            month = _MONTH_WORDS.index(label[:3]) + 1
        elif label[:3] in _MONTH_ALIASES:
            month = _MONTH_ALIASES[label[:3]]
        if month is not None:
            months[cell.column] = month
    if sorted(months.values()) == list(range(1, 13)) and _ascending(months):
        return months
    return {}


@lru_cache(256)
def _names_month(text: str, month: int) -> bool:
    """Whether ``text`` is the name of ``month`` (``Feb``, ``Februari``): a schedule marked by names."""
    if not text or text[0].isdigit():
        return False
    try:
        return parse_month(text) == month
    except ScheduleError:
        return False


def _ascending(months: dict[int, int]) -> bool:
    ordered = [months[c] for c in sorted(months)]
    return ordered == sorted(ordered)


class _Recognizer:
    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.report = ImportReport(
            source_format=grid.source_format, encoding=grid.encoding, notes=list(grid.notes)
        )
        self.tree = PlanTree()
        self.placements: list[tuple[_Cell, int, object, str]] = []  # cell, line, node, field
        self.header: _Header | None = None
        # state of the walk down the table
        self.goal: Goal | None = None
        self.program_goal: ProgramGoal | None = None
        self.indicator: Indicator | None = None
        self.activity: str = ""
        self.last_line: Line | None = None
        self.page_break_pending = False
        self.program_goals_since_break: list[ProgramGoal] = []
        self.goal_before_break: Goal | None = None
        self.total_rows: list[tuple[int, _Cell, int]] = []
        self.table_ended = False  # after the grand total row: what follows is not plan rows
        self.unknown_columns: dict[int, list] = {}  # column -> [label, first line, value-like cells, cells]
        self.repeating: set[str] = set()  # levels whose text the table prints again on every row
        self.goal_closed = False  # a goal's subtotal row was read: the goal above has ended
        self.decimal_mark: str | None = None
        self.data_rows: list[_Row] = []
        self.position = 0  # of the row being read in data_rows
        self.costs_are_numbers = False  # a workbook whose cost column holds numbers  # of the cost column's text amounts, when a unit scales them
        # Text sources drift by a cell or two; a sheet's cells stand under their labels.
        self.edge_slack = 2 if grid.source_format == "tsv" else 0

    # -- bookkeeping -------------------------------------------------------------------------
    def place(self, line: int, cell: _Cell, node: object, field_name: str) -> None:
        if not cell.text and not cell.shaded:
            return  # a stand-in made for a missing level, not a source cell
        self.placements.append((cell, line, node, field_name))

    def unplace(self, line: int, cell: _Cell, reason: Message) -> None:
        self.report.unplaced.append(Unplaced.of(line, cell.column + 1, cell.text, reason))

    def judge(self, line: int, cell: _Cell | None, message: Message) -> None:
        self.report.judgements.append(Judgement.of(line, None if cell is None else cell.column + 1, message))

    # -- the walk ----------------------------------------------------------------------------
    def run(self) -> tuple[PlanTree, ImportReport]:
        rows = [self._cells_of(row) for row in self.grid.rows]
        self.report.source_cells = sum(len(r.cells) for r in rows)
        header_index = self._find_header(rows)
        for row in rows[:header_index]:
            self._title_block(row)
        data_rows = self._data_rows(rows[header_index:])
        assert self.header is not None
        if self.header.cost_unit != 1:
            self.decimal_mark = self._column_decimal_mark(data_rows)
        cost_columns = range(self.header.cost_column, self.header.cost_column + 2)
        self.costs_are_numbers = any(
            c.kind == NUMBER for r in data_rows for c in r.cells if c.column in cost_columns
        )
        below: list[_Row] = []  # rows under the table: the signature block, or notes
        self.data_rows = data_rows
        for position, row in enumerate(data_rows):
            self.position = position
            if not self.table_ended and self._starts_signature(row):
                self.table_ended = True
            if self.table_ended:
                below.append(row)
                continue
            following = data_rows[position + 1] if position + 1 < len(data_rows) else None
            reading = self._read_row(row, following)
            self._apply(row, reading)
        self._below_table(below)
        self._finish()
        return self.tree, self.report

    def _plan_rows_follow(self) -> bool:
        """Whether plan rows or another total row (text before the cost column) come after the
        current row, before any signature: then a bare JUMLAH is a subtotal, not the grand total."""
        assert self.header is not None
        for row in self.data_rows[self.position + 1 :]:
            if self._starts_signature(row):
                return False
            if any(c.text and c.column < self.header.cost_column for c in row.cells):
                return True
        return False

    @staticmethod
    def _starts_signature(row: _Row) -> bool:
        """A row that holds only a place and date (``Gorontalo, 2 Januari 2023``) ends the table."""
        texts: list[str] = []
        for cell in row.cells:
            if cell.text:
                if len(texts) == 2:
                    return False  # a plan row: most rows end here
                texts.append(cell.text)
        return bool(texts) and is_place_and_date(" ".join(texts))

    def _below_table(self, rows: list[_Row]) -> None:
        """The signature block is read into the plan's signature; anything else under the table is
        kept as unplaced cells."""
        lines = [(row, [cell for cell in row.cells if cell.text]) for row in rows]
        lines = [(row, cells) for row, cells in lines if cells]
        signature = read_signature([" ".join(c.text for c in cells) for _row, cells in lines])
        fields = signature[1] if signature is not None else [""] * len(lines)
        if signature is not None:
            self.report.signature = signature[0].to_dict()
        for (row, cells), field_name in zip(lines, fields, strict=True):
            for cell in cells:
                if field_name:
                    self.place(row.line, cell, self.tree, f"signature: {field_name}")
                else:
                    self.unplace(
                        row.line,
                        cell,
                        msg(gettext_noop("di bawah tabel (blok tanda tangan atau catatan)")),
                    )
        for row in rows:
            for cell in row.cells:
                if not cell.text:
                    self.place(row.line, cell, None, "fill below the table (formatting only)")

    @staticmethod
    def _cells_of(row: GridRow) -> _Row:
        # Run once per cell of the file (most of them empty): kept to the plainest loop.
        cells: list[_Cell] = []
        append = cells.append
        for index, cell in enumerate(row.cells):
            text = cell.text
            if (text and not text.isspace()) or cell.shaded:
                append(_Cell(index, normalize_space(text), cell.shaded, cell.kind, cell.number))
        return _Row(row.line, cells)

    def _find_header(self, rows: list[_Row]) -> int:
        for index, row in enumerate(rows):
            roles = _header_roles(row.cells)
            if len(roles) >= _MIN_HEADER_ROLES and (INDICATOR in roles or LINE in roles):
                return index
        raise SourceError(
            msg(
                gettext_noop(
                    "ini bukan tabel Rencana Aksi: tidak ada baris judul dengan kolom seperti NO, SASARAN "
                    "STRATEGIS, SASARAN PROGRAM, INDIKATOR KINERJA, TARGET, KEGIATAN, Rencana Kegiatan, "
                    "PERKIRAAN BIAYA, AKUN"
                )
            )
        )

    def _title_block(self, row: _Row) -> None:
        """Title, signing unit and agency from the lines above the table, in one cell or several."""
        texts = [cell for cell in row.cells if cell.text]
        for cell in row.cells:
            if not cell.text:
                self.place(row.line, cell, None, "fill above the table (formatting only)")
        if not texts:
            return
        line = " ".join(cell.text for cell in texts)
        title = split_title(line) if not self.tree.title else None
        if title is not None:
            self.tree.title, self.tree.year, line = title
            placed = "title"
            if not line:
                self._place_all(row.line, texts, placed)
                return
        elif not self.tree.title or len(texts) > 3 or self.tree.agency_label:
            for cell in texts:
                self.unplace(row.line, cell, msg(gettext_noop("teks di atas tabel (halaman sampul)")))
            return
        else:
            placed = ""
        fields = []
        if not self.tree.signing_unit:
            unit, agency = split_signing_unit(line)
            self.tree.signing_unit = normalize_signing_unit(unit)
            fields.append("signing unit")
            if agency:
                self.tree.agency_label = agency
                fields.append("agency as printed")
        else:
            self.tree.agency_label = line
            fields.append("agency as printed")
        self._place_all(row.line, texts, " and ".join(([placed] if placed else []) + fields))

    def _place_all(self, line: int, cells: list[_Cell], field_name: str) -> None:
        for cell in cells:
            self.place(line, cell, self.tree, field_name)

    def _data_rows(self, rows: list[_Row]) -> list[_Row]:
        """Drop header rows (the first and every repeat at a page break), placing their cells."""
        data: list[_Row] = []
        break_pending = False
        index = 0
        while index < len(rows):
            row = rows[index]
            roles = _header_roles(row.cells)
            if len(roles) >= _MIN_HEADER_ROLES and (INDICATOR in roles or LINE in roles):
                first = self.header is None
                months = _month_columns(row.cells)
                sub_header = None
                if not months and index + 1 < len(rows):
                    months = _month_columns(rows[index + 1].cells)
                    if months:
                        sub_header = rows[index + 1]
                if not months and SCHEDULE in roles:
                    start = roles[SCHEDULE]
                    months = {start + m: m + 1 for m in range(12)}
                role_columns = set(roles.values()) | set(months)
                unknown = {
                    cell.column: cell.text
                    for cell in row.cells
                    if cell.text and cell.column not in role_columns
                }
                header_rows = [row] if sub_header is None else [row, sub_header]
                self.header = _Header(
                    roles,
                    months,
                    unknown,
                    cost_unit=self._cost_unit(header_rows, roles),
                    right_edge=self._right_edge(header_rows),
                )
                for cell in row.cells:
                    self.place(row.line, cell, None, "table header" if first else "table header (repeated)")
                if sub_header is not None:
                    for cell in sub_header.cells:
                        self.place(sub_header.line, cell, None, "month header")
                    index += 1
                if not first:
                    break_pending = True
                index += 1
                continue
            if row.cells:
                row.after_page_break = break_pending
                break_pending = False
                data.append(row)
            index += 1
        return data

    def _cost_unit(self, header_rows: list[_Row], roles: dict[str, int]) -> int:
        """The unit the cost header names, in its own cell or in the cell under it
        (``PERKIRAAN BIAYA`` over ``(Rp juta)``); a unit that cannot be told stops the import."""
        if COST not in roles:
            return 1
        column = roles[COST]
        labels = [(header_rows[0], c, c.text) for c in header_rows[0].cells if c.column == column]
        months = {c for row in header_rows for c in _month_columns(row.cells)}
        for row in header_rows[1:]:  # the second header row, under the cost label (two cells in the seed)
            labels += [
                (row, c, f"biaya {c.text}")
                for c in row.cells
                if c.text
                and column <= c.column <= column + 1
                and c.column not in months
                and row.cells
                and not (c.column == column + 1 and _header_roles([c]))
            ]
        units = set()
        for row, cell, label in labels:
            try:
                units.add(cost_header_unit(label))
            except UnitError as error:
                raise SourceError(reason_of(error), row.line, cell.column + 1) from None
        units.discard(1)
        if len(units) > 1:
            raise SourceError(
                msg(gettext_noop("judul kolom biaya menyebut dua satuan")), header_rows[0].line, column + 1
            )
        return units.pop() if units else 1

    def _right_edge(self, header_rows: list[_Row]) -> int:
        """The last column a header label stands over (a merged label reaches over its range)."""
        edge = max((cell.column for row in header_rows for cell in row.cells if cell.text), default=0)
        lines = {row.line for row in header_rows}
        for first_line, _first, _last_line, last_column in self.grid.merges or ():
            if first_line in lines:
                edge = max(edge, last_column - 1)
        return edge

    # -- reading one row ---------------------------------------------------------------------
    def _read_row(self, row: _Row, following: _Row | None) -> _Reading:
        assert self.header is not None
        header = self.header
        reading = _Reading()
        rest: list[_Cell] = []
        for cell in row.cells:
            is_mark = (
                cell.text in MARK_TRUE
                or (cell.shaded and not cell.text)
                or (cell.column in header.months and _names_month(cell.text, header.months[cell.column]))
            )
            if cell.column in header.unknown and cell.text:
                label = header.unknown[cell.column]
                reading.unplaced.append(
                    (cell, msg(gettext_noop("kolom {label!r} bukan kolom tabel Rencana Aksi"), label=label))
                )
                self._count_unknown(row, cell, label)
            elif cell.column in header.months and is_mark:
                reading.months.append((cell, header.months[cell.column]))
            elif cell.text:
                if cell.column in header.months:
                    self._check_month_cell(row, cell, self._shifted(row))
                rest.append(cell)
            else:
                reading.formatting.append(cell)
        if rest and _GOAL_NUMBER.match(rest[0].text) and rest[0].column < header.columns.get(PROGRAM_GOAL, 2):
            reading.number = rest.pop(0)
        # Amounts and codes close the row, right of the structure columns (cells drift by about one).
        tail_start = next(
            (
                i
                for i, c in enumerate(rest)
                if c.column > header.structure_end
                and (self._is_tail_value(c) or c.column >= min(header.cost_column, header.tail_column))
            ),
            len(rest),
        )
        left, tail = rest[:tail_start], rest[tail_start:]
        if (
            len(left) == 1
            and _TOTAL_ROW.match(left[0].text)
            and tail
            and not any(is_target_like(c.text) for c in left)
        ):
            reading.total_row = True
            self._read_tail(row, tail, reading)
            return reading
        self._read_tail(row, tail, reading)
        self._read_structure(row, left, following, reading)
        return reading

    def _shifted(self, row: _Row) -> bool:
        """Text in the first month column is a Rencana Kegiatan shifted right only when the row is
        shifted (its target stands right of TARGET) or the Rencana Kegiatan column is empty."""
        assert self.header is not None
        line_column = self.header.columns.get(LINE, self.header.structure_end)
        target_column = self.header.columns.get(TARGET, 4)
        return any(
            target_column < c.column < line_column + 1 and is_target_like(c.text) for c in row.cells
        ) or not any(c.column == line_column and c.text for c in row.cells)

    def _count_unknown(self, row: _Row, cell: _Cell, label: str) -> None:
        """Count, per column the header does not know, the cells that read as plan values."""
        value_like = (
            cell.kind == NUMBER
            or cell.text in MARK_TRUE
            or is_money_like(cell.text)
            or bool(_AMOUNT_SHAPE.match(cell.text))
            or is_budget_code_like(cell.text)
        )
        counts = self.unknown_columns.setdefault(cell.column, [label, row.line, 0, 0])
        counts[2] += value_like
        counts[3] += 1

    def _check_unknown_columns(self) -> None:
        """A column the header does not name is a plan column under a label nobody taught the
        importer, or something else beside the table: importing without it would drop a whole
        column (of figures, when its cells are amounts, codes or month marks), so the import stops
        and names it."""
        for column, (label, line, values, cells) in sorted(self.unknown_columns.items()):
            if not (values >= 2 and values * 2 >= cells):
                # Text the importer cannot place, a whole column of it: saving without it would lose
                # the column, so the import stops here too, naming it.
                raise SourceError(
                    msg(
                        gettext_noop(
                            "kolom berjudul {label!r} bukan kolom tabel Rencana Aksi, jadi {cells} selnya tidak "
                            "dapat ditempatkan; ganti judulnya (mis. KET atau PENANGGUNG JAWAB) atau hapus kolom itu"
                        ),
                        label=label,
                        cells=cells,
                    ),
                    line,
                    column + 1,
                )
            if values >= 2 and values * 2 >= cells:
                raise SourceError(
                    msg(
                        gettext_noop(
                            "kolom berjudul {label!r} berisi jumlah uang, kode akun atau tanda bulan ({values} dari "
                            "{cells} selnya), tetapi bukan kolom tabel Rencana Aksi; ganti judulnya (mis. PERKIRAAN "
                            "BIAYA, AKUN, atau nama bulan) atau hapus kolom itu"
                        ),
                        label=label,
                        values=values,
                        cells=cells,
                    ),
                    line,
                    column + 1,
                )

    def _check_month_cell(self, row: _Row, cell: _Cell, shifted: bool) -> None:
        """A month cell holds a mark or a fill. Cells drift by one column at most: text in the first
        month column is a shifted Rencana Kegiatan, an amount in the last a shifted cost; anything
        else in a month column is an error, not a guess."""
        assert self.header is not None
        header = self.header
        if cell.column == header.first_month_column and shifted and not self._is_tail_value(cell):
            self.judge(
                row.line,
                cell,
                msg(
                    gettext_noop("teks di kolom bulan pertama, dibaca sebagai bergeser dari kolom sebelumnya")
                ),
            )
            return
        if cell.column == header.last_month_column and self._is_tail_value(cell):
            return
        month = header.months[cell.column]
        accepted = " ".join(sorted(MARK_TRUE))
        raise SourceError(
            msg(
                gettext_noop(
                    "{text!r} di kolom bulan {month} bukan tanda bulan (pakai salah satu dari: {accepted}, atau "
                    "warnai selnya)"
                ),
                text=cell.text,
                month=month,
                accepted=accepted,
            ),
            row.line,
            cell.column + 1,
        )

    @staticmethod
    def _is_tail_value(cell: _Cell) -> bool:
        text = cell.text
        if not _HAS_DIGIT.search(text):  # amounts and codes have digits; only markers and dashes do not
            return bool(_CURRENCY_ONLY.match(text)) or text in {"-", "\u2013", "\u2014"}
        return (
            is_money_like(text)
            or bool(_AMOUNT_SHAPE.match(text))
            or text in {"-", "\u2013", "\u2014"}
            or is_budget_code_like(text)
        )

    def _read_tail(self, row: _Row, tail: list[_Cell], reading: _Reading) -> None:
        """PERKIRAAN BIAYA (``Rp`` and the amount in one or two cells, or ``-``), AKUN, KET."""
        assert self.header is not None
        currency: _Cell | None = None
        for cell in tail:
            text = cell.text
            if reading.cost_state is CostState.ABSENT and cell.kind == STRING:
                unreadable = unreadable_amount(text)
                if unreadable is not None:  # where the cost belongs: refused, never a remark
                    raise SourceError(reason_of(unreadable), row.line, cell.column + 1)
            if cell.kind == DATE and cell.column in (self.header.cost_column, self.header.cost_column + 1):
                raise SourceError(
                    msg(
                        gettext_noop("PERKIRAAN BIAYA berisi tanggal ({text}), bukan jumlah uang"), text=text
                    ),
                    row.line,
                    cell.column + 1,
                )
            if _CURRENCY_ONLY.match(text) and reading.cost_state is CostState.ABSENT and currency is None:
                currency = cell
                continue
            if text in {"-", "\u2013", "\u2014"}:
                code_column = self.header.columns.get(CODE)
                if cell.column == self.header.cost_column and reading.cost_state is CostState.ABSENT:
                    reading.cost_state = CostState.NONE  # under PERKIRAAN BIAYA, wherever AKUN stands
                    reading.cost_cells.append(cell)
                elif cell.column == code_column and reading.code is None and reading.code_dash is None:
                    reading.code_dash = cell
                elif reading.cost_state is CostState.ABSENT and currency is None and reading.code is None:
                    reading.cost_state = CostState.NONE
                    reading.cost_cells.append(cell)
                elif reading.code is None and reading.code_dash is None:
                    reading.code_dash = cell
                else:
                    reading.remarks.append(cell)
                continue
            if is_budget_code_like(text) and reading.code is None:
                reading.code = cell
                continue
            code_column = self.header.columns.get(CODE)
            if (
                reading.code is None
                and (cell.column == code_column or _LOOSE_CODE.match(text))
                and not (_AMOUNT_SHAPE.match(text) or is_money_like(text))
            ):
                try:
                    parse_budget_code(text)
                except BudgetCodeError as error:
                    raise SourceError(
                        msg(
                            gettext_noop("AKUN berisi {text!r}, yang bukan kode akun: {reason}"),
                            text=text,
                            reason=reason_of(error),
                        ),
                        row.line,
                        cell.column + 1,
                    ) from None
            if _CODE_SHAPE.match(text) and not _AMOUNT_SHAPE.match(text):
                try:
                    parse_budget_code(text)
                except BudgetCodeError as error:
                    raise SourceError(
                        msg(
                            gettext_noop("kode akun {text!r} salah bentuk: {reason}"),
                            text=text,
                            reason=reason_of(error),
                        ),
                        row.line,
                        cell.column + 1,
                    ) from None
            if _AMOUNT_SHAPE.match(text) or is_money_like(text) or cell.kind == NUMBER:
                if reading.cost_state is not CostState.ABSENT:
                    raise SourceError(
                        msg(
                            gettext_noop(
                                "jumlah kedua {text!r} pada satu baris; mana yang biayanya tidak jelas"
                            ),
                            text=text,
                        ),
                        row.line,
                        cell.column + 1,
                    )
                amount = self._amount(row, cell)
                if amount == 0 and cell.kind == NUMBER and self.grid.source_format == "xls":
                    self.judge(
                        row.line,
                        cell,
                        msg(
                            gettext_noop(
                                "angka 0 dibaca sebagai biaya Rp 0: format sel .xls tidak terbaca, jadi jika sel "
                                "ini tampil '-' (format akuntansi) maksudnya tanpa biaya; simpan sebagai .xlsx "
                                "atau tulis '-'"
                            )
                        ),
                    )
                if amount is not None and amount < 0:
                    raise SourceError(
                        msg(gettext_noop("biaya negatif {text!r}"), text=text), row.line, cell.column + 1
                    )
                if currency is not None:
                    reading.cost_cells.append(currency)
                    currency = None
                reading.cost_cells.append(cell)
                if amount is None:
                    reading.cost_state = CostState.NONE
                else:
                    reading.cost, reading.cost_state = amount, CostState.AMOUNT
                continue
            header = self.header
            if cell.column == header.cost_column and reading.cost_state is CostState.ABSENT:
                raise SourceError(
                    msg(gettext_noop("PERKIRAAN BIAYA berisi {text!r}, yang bukan jumlah Rupiah"), text=text),
                    row.line,
                    cell.column + 1,
                )
            if cell.column > header.right_edge + self.edge_slack:
                reading.unplaced.append(
                    (cell, msg(gettext_noop("teks di kolom tanpa judul (catatan di samping tabel?)")))
                )
                self.judge(
                    row.line,
                    cell,
                    msg(
                        gettext_noop(
                            "teks di kanan tabel, di kolom tanpa judul: disimpan sebagai sel tak ditempatkan, "
                            "tidak dibaca sebagai keterangan"
                        )
                    ),
                )
                continue
            # Free text at the end of the row: remarks, or the person in charge when there is such a column.
            if PIC in header.columns and (
                REMARKS not in header.columns
                or abs(cell.column - header.columns[PIC]) < abs(cell.column - header.columns[REMARKS])
            ):
                reading.pic.append(cell)
            else:
                reading.remarks.append(cell)
        if currency is not None:
            raise SourceError(
                msg(gettext_noop("{text!r} tanpa jumlah sesudahnya"), text=currency.text),
                row.line,
                currency.column + 1,
            )

    def _amount(self, row: _Row, cell: _Cell) -> int | None:
        """The cell's cost in Rupiah (``None`` for "no cost"), in the unit the header names."""
        assert self.header is not None
        unit = self.header.cost_unit
        if self.costs_are_numbers and cell.kind == STRING and _BARE_NUMBER.match(cell.text):
            # In a sheet whose amounts are numbers, digits typed as text were not read as a number
            # by the spreadsheet either: which amount the person meant is not certain.
            raise SourceError(
                msg(
                    gettext_noop(
                        "{text!r} adalah angka yang disimpan sebagai teks, sedangkan jumlah lain di kolom ini "
                        "berupa angka; simpan sel ini sebagai angka"
                    ),
                    text=cell.text,
                ),
                row.line,
                cell.column + 1,
            )
        try:
            if unit != 1 or cell.kind == NUMBER:
                if normalize_space(cell.text) in {"-", "\u2013", "\u2014"} or _CURRENCY_DASH.match(cell.text):
                    return None
                number = cell.number if cell.kind == NUMBER else ""
                return scaled_amount(cell.text, unit, self.decimal_mark, number=number)
            return parse_rupiah(cell.text)
        except (MoneyError, UnitError) as error:  # their message names the amount already
            raise SourceError(reason_of(error), row.line, cell.column + 1) from None

    def _column_decimal_mark(self, rows: list[_Row]) -> str | None:
        """The decimal mark the cost column's text amounts show (needed once a unit scales them)."""
        assert self.header is not None
        columns = range(self.header.cost_column, self.header.cost_column + 3)
        texts = (c.text for r in rows for c in r.cells if c.column in columns and c.kind == STRING)
        try:
            return decimal_mark_of(texts)
        except UnitError as error:
            raise SourceError(
                msg(gettext_noop("PERKIRAAN BIAYA: {reason}"), reason=reason_of(error)),
                None,
                self.header.cost_column + 1,
            ) from None

    def _read_structure(
        self, row: _Row, left: list[_Cell], following: _Row | None, reading: _Reading
    ) -> None:
        assert self.header is not None
        header = self.header
        if not header.in_print_order:
            self._read_by_header(row, left, reading)
            return
        # A target stands left of the Rencana Kegiatan column: "2 Kali Rapat" there is a name.
        line_column = header.columns.get(LINE, header.structure_end)
        anchors = [i for i, c in enumerate(left) if c.column < line_column and is_target_like(c.text)]
        if anchors:
            target_col = self.header.columns.get(TARGET, 4)
            t = min(anchors, key=lambda i: (abs(left[i].column - target_col), i))
            reading.target = left[t]
            self._read_before_target(row, left[:t], following, reading)
            after = left[t + 1 :]
            if (
                len(after) == 1
                and not (reading.has_tail() or reading.months)
                and self._under_activity(after[0])
            ):
                reading.activity = after[0]  # an indicator row with no Rencana Kegiatan of its own
            elif len(after) == 1:
                reading.line = after[0]
            elif len(after) >= 2:
                reading.activity, reading.line = after[0], after[-1]
                for cell in after[1:-1]:
                    reading.unplaced.append(
                        (cell, msg(gettext_noop("teks lebih di antara KEGIATAN dan Rencana Kegiatan")))
                    )
            return
        positional = self._positional(left)
        if positional is not None:
            for cell, role in positional:
                setattr(reading, role, cell)
            if positional and not reading.has_tail() and not reading.months and positional[-1][1] != TARGET:
                names = ", ".join(_ROLE_LABEL[role] for _cell, role in positional)
                self.judge(
                    row.line,
                    positional[0][0],
                    msg(
                        gettext_noop(
                            "hanya teks, tanpa target, jumlah atau bulan pada baris ini: dibaca menurut kolomnya "
                            "sebagai {names} (jika ini sambungan teks baris di atasnya, perbaiki di pratinjau)"
                        ),
                        names=names,
                    ),
                )
            return
        # No target and cells off their columns: fill from the right, the way rows are merged.
        roles = [GOAL, PROGRAM_GOAL, INDICATOR, ACTIVITY, LINE][-len(left) :] if left else []
        if len(left) > 5:
            for cell in left[:-5]:
                reading.unplaced.append((cell, msg(gettext_noop("sel teks lebih banyak daripada kolom"))))
            left = left[-5:]
            roles = [GOAL, PROGRAM_GOAL, INDICATOR, ACTIVITY, LINE]
        for cell, role in zip(left, roles, strict=True):
            setattr(reading, role, cell)
        if left:
            names = ", ".join(_ROLE_LABEL[r] for r in roles)
            self.judge(
                row.line,
                left[0],
                msg(
                    gettext_noop(
                        "tanpa target dan sel bergeser dari kolomnya; dibaca dari kanan sebagai {names}"
                    ),
                    names=names,
                ),
            )

    def _under_activity(self, cell: _Cell) -> bool:
        """Whether a lone cell after the target stands under KEGIATAN rather than Rencana Kegiatan."""
        assert self.header is not None
        activity, line = self.header.columns.get(ACTIVITY), self.header.columns.get(LINE)
        if activity is None or line is None or activity == line:
            return False
        return abs(cell.column - activity) < abs(cell.column - line)

    def _read_by_header(self, row: _Row, left: list[_Cell], reading: _Reading) -> None:
        """Columns in an unusual order: content cannot say which is which, so the header does."""
        assert self.header is not None
        for cell in left:
            role = self.header.role_at(cell.column)
            if role in STRUCTURE and getattr(reading, role) is None:
                setattr(reading, role, cell)
            else:
                reading.unplaced.append((cell, msg(gettext_noop("tidak di bawah kolom tabel Rencana Aksi"))))

    def _positional(self, left: list[_Cell]) -> list[tuple[_Cell, str]] | None:
        assert self.header is not None
        result: list[tuple[_Cell, str]] = []
        last = -1
        for cell in left:
            role = self.header.role_at(cell.column)
            if role not in STRUCTURE:
                return None
            order = STRUCTURE.index(role)
            if order <= last:
                return None
            last = order
            result.append((cell, role))
        if any(role == TARGET for _, role in result) and not any(role == INDICATOR for _, role in result):
            return None  # free text in the target column with no indicator beside it: not a target
        return result

    def _read_before_target(
        self, row: _Row, before: list[_Cell], following: _Row | None, reading: _Reading
    ) -> None:
        kept: list[_Cell] = []
        for cell in before:
            if kept and same_text(kept[-1].text, cell.text):
                reading.duplicates.append((cell, kept[-1]))
                self.judge(
                    row.line, cell, msg(gettext_noop("teks yang sama dua kali berdampingan; dibaca sekali"))
                )
                continue
            kept.append(cell)
        continuation = self._continuation_text(following)
        if continuation is not None and len(kept) > 1:
            for cell in kept[:-1]:
                if same_text(cell.text, continuation):
                    kept.remove(cell)
                    reading.spilled.append(cell)
                    assert following is not None
                    self.judge(
                        row.line,
                        cell,
                        msg(SPILLED_INDICATOR, line=following.line),
                    )
                    break
        roles = [GOAL, PROGRAM_GOAL, INDICATOR]
        if not kept:
            return
        by_header = [self.header.role_at(cell.column) if self.header else None for cell in kept]
        in_place = all(r in roles for r in by_header) and by_header == sorted(
            set(by_header),
            key=roles.index,  # type: ignore[arg-type]
        )
        repeats_goal = (
            len(kept) == 2
            and self.goal is not None
            and bool(self.goal.text)
            and same_text(kept[0].text, self.goal.text)
        )
        if repeats_goal:  # the goal printed again over an empty SASARAN PROGRAM cell
            by_header, in_place = [GOAL, INDICATOR], True
        if in_place and (self.edge_slack == 0 or repeats_goal):
            # Cells under their own labels, with a gap between: an empty SASARAN PROGRAM cell is
            # empty, and the goal's text beside it is no program goal.
            for cell, role in zip(kept, by_header, strict=True):
                setattr(reading, role, cell)  # type: ignore[arg-type]
            return
        if len(kept) > 3:
            for cell in kept[:-3]:
                reading.unplaced.append(
                    (
                        cell,
                        msg(
                            gettext_noop(
                                "sel teks sebelum target lebih banyak daripada sasaran, sasaran program, indikator"
                            )
                        ),
                    )
                )
            kept = kept[-3:]
        for cell, role in zip(kept, roles[-len(kept) :], strict=True):
            setattr(reading, role, cell)
            expected = self.header.role_at(cell.column) if self.header else None
            if expected in STRUCTURE and expected != role:
                self.judge(
                    row.line,
                    cell,
                    msg(
                        gettext_noop(
                            "di bawah {column} tetapi dibaca sebagai {role} (letaknya sebelum target)"
                        ),
                        column=_ROLE_LABEL[expected],
                        role=_ROLE_LABEL[role],
                    ),
                )

    def _continuation_text(self, following: _Row | None) -> str | None:
        """The first cell of the next row when that row starts at the far left with a non-number."""
        if following is None or not following.cells:
            return None
        first = following.cells[0]
        if first.column == 0 and first.text and not _GOAL_NUMBER.match(first.text):
            return first.text
        return None

    # -- building the tree -------------------------------------------------------------------
    def _apply(self, row: _Row, reading: _Reading) -> None:
        line_no = row.line
        if row.after_page_break:
            self.page_break_pending = True
            self.goal_before_break = self.goal
            self.program_goals_since_break = []
        for cell, reason in reading.unplaced:
            self.unplace(line_no, cell, reason)
        for cell in reading.formatting:
            self.place(line_no, cell, None, "fill outside the month columns (formatting only)")
        if reading.total_row:
            self._apply_total_row(row, reading)
            return
        self._break_levels(row, reading)
        new_goal = reading.number is not None or reading.goal is not None
        if new_goal and self._same_goal(line_no, reading, row.after_page_break):
            new_goal = False
        elif new_goal:
            self._new_goal(line_no, reading)
        new_program_goal = reading.program_goal is not None
        if (
            reading.program_goal is not None
            and not new_goal
            and self._repeats(
                line_no, reading.program_goal, self.program_goal, PROGRAM_GOAL, row.after_page_break
            )
        ):
            new_program_goal = False
        elif reading.program_goal is not None:
            self._new_program_goal(line_no, reading.program_goal)
        target_read = False
        if reading.indicator is not None:
            same_target = reading.target is None or (
                self.indicator is not None and same_text(reading.target.text, self.indicator.target)
            )
            if (
                not new_goal
                and not new_program_goal
                and same_target
                and self._repeats(line_no, reading.indicator, self.indicator, INDICATOR, row.after_page_break)
            ):
                if reading.target is not None:
                    self.place(line_no, reading.target, self.indicator, "target (repeated)")
                target_read = True
            else:
                self._new_indicator(line_no, reading.indicator)
            for dropped, _kept in reading.duplicates:
                self.place(line_no, dropped, self.indicator, "text (duplicate cell)")
        if reading.target is not None and not target_read:
            self._set_target(line_no, reading.target)
        for cell in reading.spilled:
            self._unplace_pending_spill()  # an earlier spill whose continuation read another indicator
            self.pending_spill = cell  # placed when the continuation row creates the indicator
            self.pending_spill_line = line_no
        if reading.activity is not None:
            self.activity = reading.activity.text
            self.place(line_no, reading.activity, ("activity", self.activity), "name")
        if (
            self.indicator is not None
            and self.activity
            and (reading.indicator is not None or reading.activity)
        ):
            self.indicator.link_activity(self.activity)
        if reading.line is not None:
            self._new_line(line_no, reading)
        elif reading.has_tail() or reading.months:
            if reading.cost_state is CostState.AMOUNT:
                cell = reading.cost_cells[-1]
                raise SourceError(
                    msg(
                        gettext_noop(
                            "jumlah {text!r} tidak punya Rencana Kegiatan di barisnya: biaya untuk baris yang mana?"
                        ),
                        text=cell.text,
                    ),
                    line_no,
                    cell.column + 1,
                )
            for cell in (
                reading.cost_cells + [c for c in (reading.code, reading.code_dash) if c] + reading.remarks
            ):
                self.unplace(
                    line_no,
                    cell,
                    msg(gettext_noop("jumlah, kode atau keterangan di baris tanpa Rencana Kegiatan")),
                )
            for cell in reading.pic:
                self.unplace(
                    line_no, cell, msg(gettext_noop("penanggung jawab di baris tanpa Rencana Kegiatan"))
                )
            for cell, _month in reading.months:
                self.unplace(line_no, cell, msg(gettext_noop("tanda bulan di baris tanpa Rencana Kegiatan")))

    pending_spill: _Cell | None = None
    pending_spill_line: int = 0

    # -- what continues from the row above ----------------------------------------------------
    def _breaks(self, row: _Row, roles: tuple[str, ...]) -> bool:
        """Whether this row's empty cell under ``roles`` continues nothing: in a sheet that merges
        that column, a cell outside every merge; in a table that repeats that column's text on
        every row, an empty cell. Elsewhere an empty cell means "same as above"."""
        assert self.header is not None
        columns = [self.header.columns[r] + 1 for r in roles if r in self.header.columns]
        merging = [c for c in columns if self.grid.merges_down(c)]
        if merging:
            return not any(self.grid.covered(row.line, c) for c in merging)
        return any(r in self.repeating for r in roles)

    def _break_levels(self, row: _Row, reading: _Reading) -> None:
        """Levels whose cells on this row are empty and continue nothing end here."""
        line_no = row.line
        below_goal = reading.program_goal or reading.indicator or reading.target or reading.line
        if (
            reading.number is None
            and reading.goal is None
            and below_goal is not None
            and self.goal is not None
            and (self.goal.number is not None or self.goal.text or self.goal_closed)
            and (self.goal_closed or self._breaks(row, (NO, GOAL)))
        ):
            self.goal_closed = False
            self.goal = Goal(number=None, text="", source_line=line_no)
            self.tree.goals.append(self.goal)
            self.program_goal, self.indicator = None, None
            self.judge(
                line_no,
                below_goal,
                msg(
                    gettext_noop(
                        "sel SASARAN STRATEGIS kosong dan tidak menyambung sasaran di atasnya (tidak digabung "
                        "dengannya, atau tabel mengulang sasaran di setiap baris): yang berikut tidak punya sasaran "
                        "strategis; ditandai untuk diperiksa"
                    )
                ),
            )
        below_program_goal = reading.indicator or reading.target or reading.line
        if (
            reading.program_goal is None
            and below_program_goal is not None
            and self.program_goal is not None
            and self.program_goal.text
            and self._breaks(row, (PROGRAM_GOAL,))
        ):
            self.program_goal, self.indicator = None, None
        if (
            reading.indicator is None
            and reading.line is not None
            and self.indicator is not None
            and self.indicator.text
            and self._breaks(row, (INDICATOR,))
        ):
            self.indicator = None
        if reading.activity is None and self._breaks(row, (ACTIVITY,)):
            self.activity = ""

    def _repeats(
        self, line_no: int, cell: _Cell, current: ProgramGoal | Indicator | None, role: str, after_break: bool
    ) -> bool:
        """Whether ``cell`` repeats the text of the object it stands under (a table that prints every
        value on every row): then it is that object, placed as a repeat, not a new one."""
        if current is None or not current.text or not same_text(cell.text, current.text):
            return False
        if not after_break:  # a page may start by printing its merged cells again; that proves nothing
            self.repeating.add(role)
        self.place(line_no, cell, current, "text (repeated)")
        return True

    def _same_goal(self, line_no: int, reading: _Reading, after_break: bool) -> bool:
        """The row repeats the goal above (its number, its text or both); a number printed again with
        another text, or going backwards, is a table that cannot be read as one plan."""
        goal = self.goal
        if goal is None:
            return False
        number = self._goal_number(reading)
        text = reading.goal.text if reading.goal is not None else None
        same_number = number == goal.number if reading.number is not None else None
        same_text_ = same_text(text, goal.text) if text is not None else None
        if same_number is False or same_text_ is False or (same_number is None and same_text_ is None):
            if same_number and text and goal.text:
                raise SourceError(
                    msg(
                        gettext_noop(
                            "nomor sasaran strategis {number} muncul lagi dengan teks lain ({text!r} di baris "
                            "{line}); satu nomor sasaran untuk satu sasaran"
                        ),
                        number=number,
                        text=goal.text,
                        line=goal.source_line,
                    ),
                    line_no,
                    reading.goal.column + 1 if reading.goal is not None else None,
                )
            return False
        if not (goal.number or goal.text):
            return False
        if not after_break:
            self.repeating.add(GOAL)
        for cell in (reading.number, reading.goal):
            if cell is not None:
                self.place(
                    line_no, cell, goal, "number (repeated)" if cell is reading.number else "text (repeated)"
                )
        return True

    @staticmethod
    def _goal_number(reading: _Reading) -> str | None:
        if reading.number is None:
            return None
        match = _GOAL_NUMBER.match(reading.number.text)
        return match.group(1) if match else reading.number.text

    def _new_goal(self, line_no: int, reading: _Reading) -> None:
        number = self._goal_number(reading)
        if number is not None and number.isdigit():
            earlier = [g for g in self.tree.goals if g.number is not None and g.number.isdigit()]
            if earlier and int(number) <= int(earlier[-1].number or 0):
                assert reading.number is not None
                raise SourceError(
                    msg(
                        gettext_noop(
                            "sasaran strategis {number} menyusul sasaran {previous} (baris {line}): nomor sasaran "
                            "berulang atau mundur, jadi baris-barisnya tidak dapat dibaca sebagai satu rencana; "
                            "urutkan tabel menurut sasaran, atau beri setiap sasaran nomornya sendiri"
                        ),
                        number=number,
                        previous=earlier[-1].number,
                        line=earlier[-1].source_line,
                    ),
                    line_no,
                    reading.number.column + 1,
                )
        text = reading.goal.text if reading.goal is not None else ""
        previous = self.goal
        goal = Goal(number=number, text=text, source_line=line_no)
        if number is None:
            self.judge(line_no, reading.goal, msg(gettext_noop("sasaran strategis tanpa nomor")))
        if reading.goal is None:
            self.judge(line_no, reading.number, msg(gettext_noop("nomor sasaran tanpa teks sasarannya")))
        self._check_goal_gap(line_no, previous, goal)
        self.tree.goals.append(goal)
        self.goal, self.program_goal, self.indicator = goal, None, None
        if reading.number is not None:
            self.place(line_no, reading.number, goal, "number")
        if reading.goal is not None:
            self.place(line_no, reading.goal, goal, "text")
        self.page_break_pending = False
        self.program_goals_since_break = []
        self.goal_closed = False

    def _check_goal_gap(self, line_no: int, previous: Goal | None, goal: Goal) -> None:
        """Goals jumping (2 → 6) after a page break mean pages are missing: the program goals printed
        since the break have no goal header of their own, so they are flagged, not given to goal 2."""
        if previous is None or previous.number is None or goal.number is None:
            return
        before = previous
        if not (previous.number.isdigit() and goal.number.isdigit()):
            return  # roman or lettered numbering: no arithmetic on it
        if int(goal.number) == int(previous.number) + 1:
            return
        under_before = {id(pg) for pg in before.program_goals}
        orphans = [pg for pg in self.program_goals_since_break if id(pg) in under_before]
        if not orphans:
            self.judge(
                line_no,
                None,
                msg(
                    gettext_noop("sasaran strategis melompat dari {previous} ke {number}"),
                    previous=before.number,
                    number=goal.number,
                ),
            )
            return
        orphan_ids = {id(pg) for pg in orphans}
        before.program_goals = [pg for pg in before.program_goals if id(pg) not in orphan_ids]
        for pg in orphans:
            pg.needs_review = True
            pg.review_note = gettext_noop(
                "dicetak setelah pergantian halaman tanpa judul sasaran strategis, dan nomor sasaran melompat "
                "(halaman hilang?), jadi tidak dimasukkan ke sasaran sebelumnya"
            )
        self.tree.goals.append(
            Goal(number=None, text="", program_goals=orphans, source_line=orphans[0].source_line)
        )
        lines = ", ".join(str(pg.source_line) for pg in orphans)
        self.judge(
            line_no,
            None,
            msg(
                gettext_noop(
                    "sasaran strategis melompat dari {previous} ke {number}: {count} sasaran program di baris "
                    "{lines} setelah pergantian halaman tidak punya judul sasaran; ditandai untuk diperiksa"
                ),
                previous=before.number,
                number=goal.number,
                count=len(orphans),
                lines=lines,
            ),
        )

    def _new_program_goal(self, line_no: int, cell: _Cell) -> None:
        if self.goal is None:
            self.goal = Goal(number=None, text="", source_line=line_no)
            self.tree.goals.append(self.goal)
            self.judge(
                line_no,
                cell,
                msg(gettext_noop("sasaran program sebelum sasaran strategis mana pun; ditandai")),
            )
            flagged = True
        else:
            flagged = self.goal.number is None  # every program goal of a headerless group is checked
        pg = ProgramGoal(text=cell.text, source_line=line_no)
        if flagged:
            pg.needs_review = True
            pg.review_note = gettext_noop("tidak ada sasaran strategis di atasnya")
        self.goal.program_goals.append(pg)
        if self.page_break_pending:
            self.program_goals_since_break.append(pg)
        self.program_goal, self.indicator = pg, None
        self.place(line_no, cell, pg, "text")

    def _new_indicator(self, line_no: int, cell: _Cell) -> None:
        if self.program_goal is None:
            self._new_program_goal(line_no, _Cell(cell.column, "", False))
            assert self.program_goal is not None
            self.program_goal.needs_review = True
            self.program_goal.review_note = gettext_noop("indikator tanpa sasaran program di atasnya")
            self.judge(
                line_no,
                cell,
                msg(
                    gettext_noop("indikator tanpa sasaran program di atasnya; dibuat sasaran program kosong")
                ),
            )
        indicator = Indicator(text=cell.text, source_line=line_no)
        self.program_goal.indicators.append(indicator)
        self.indicator = indicator
        self.place(line_no, cell, indicator, "text")
        if self.pending_spill is not None and same_text(self.pending_spill.text, cell.text):
            self.place(
                self.pending_spill_line, self.pending_spill, indicator, "text (spilled into the row above)"
            )
            self.pending_spill = None

    def _set_target(self, line_no: int, cell: _Cell) -> None:
        if self.indicator is None or self.indicator.target:
            self.unplace(line_no, cell, msg(gettext_noop("target tanpa indikatornya sendiri di baris ini")))
            return
        self.indicator.target = cell.text
        self.place(line_no, cell, self.indicator, "target")

    def _new_line(self, line_no: int, reading: _Reading) -> None:
        assert reading.line is not None
        if self.indicator is None:
            self._new_indicator(line_no, _Cell(reading.line.column, "", False))
            self.judge(
                line_no, reading.line, msg(gettext_noop("Rencana Kegiatan tanpa indikator di atasnya"))
            )
        assert self.indicator is not None
        code = ""
        if reading.code is not None:
            code = parse_budget_code(reading.code.text).canonical
        line = Line(
            name=reading.line.text,
            activity=self.activity,
            months=tuple(sorted({month for _cell, month in reading.months})),
            cost=reading.cost,
            cost_state=reading.cost_state,
            budget_code=code,
            remarks=" ".join(c.text for c in reading.remarks),
            person_in_charge=" ".join(c.text for c in reading.pic),
            source_line=line_no,
        )
        if self.activity:
            self.indicator.link_activity(self.activity)
        self.indicator.lines.append(line)
        self.last_line = line
        self.place(line_no, reading.line, line, "name")
        for cell in reading.cost_cells:
            self.place(line_no, cell, line, "cost")
        if reading.code is not None:
            self.place(line_no, reading.code, line, "budget code")
        if reading.code_dash is not None:
            self.place(line_no, reading.code_dash, line, "budget code (none)")
        for cell in reading.remarks:
            self.place(line_no, cell, line, "remarks")
        for cell in reading.pic:
            self.place(line_no, cell, line, "person in charge")
        for cell, _month in reading.months:
            self.place(line_no, cell, line, "months")

    def _apply_total_row(self, row: _Row, reading: _Reading) -> None:
        already = {id(cell) for cell in reading.formatting}  # placed as formatting
        checked = {id(cell) for cell in reading.cost_cells} | {
            id(cell) for cell in row.cells if _TOTAL_ROW.match(cell.text)
        }
        for cell in row.cells:
            if id(cell) in already:
                continue
            if id(cell) in checked or any(cell is c for c, _month in reading.months):
                self.place(row.line, cell, None, "total row (checked, not imported)")
            else:
                self.unplace(
                    row.line, cell, msg(gettext_noop("di baris jumlah, yang diperiksa tetapi tidak diimpor"))
                )
        if reading.cost is not None:
            label = next((c.text for c in row.cells if _TOTAL_ROW.match(c.text)), "")
            bare = _norm(label).rstrip(" :") == "jumlah"  # a goal's subtotal, unless nothing follows it
            if self.goal is not None and (_GOAL_SUBTOTAL.match(label) or (bare and self._plan_rows_follow())):
                computed = sum(line.cost or 0 for line in self.tree.goal_lines(self.goal))
                scope = msg(gettext_noop("sasaran ini"))
                self.goal_closed = True  # what follows without a goal header belongs to no goal above
            else:
                computed, scope = self.tree.total_cost(), msg(gettext_noop("rencana ini"))
                self.table_ended = True
            self.total_rows.append((row.line, reading.cost_cells[-1], reading.cost))
            if reading.cost != computed:
                self.judge(
                    row.line,
                    reading.cost_cells[-1],
                    msg(
                        gettext_noop(
                            "jumlah tercetak {printed} berbeda dari jumlah baris-baris {scope} ({computed})"
                        ),
                        printed=format_rupiah(reading.cost),
                        scope=scope,
                        computed=format_rupiah(computed),
                    ),
                )

    def _unplace_pending_spill(self) -> None:
        """A spilled indicator text whose continuation row never used it: kept, unplaced."""
        if self.pending_spill is not None:
            self.unplace(
                self.pending_spill_line,
                self.pending_spill,
                msg(gettext_noop("teks indikator tanpa baris lanjutan")),
            )
            self.pending_spill = None

    def _finish(self) -> None:
        self._check_unknown_columns()
        self._unplace_pending_spill()
        self.tree.goals = [g for g in self.tree.goals if g.program_goals or g.number is not None]
        if not any(True for _ in self.tree.indicators()):
            raise SourceError(
                msg(gettext_noop("tabel punya judul kolom tetapi tidak ada baris rencana di bawahnya"))
            )
        self._resolve_placements()
        self.report.figures = plan_figures(self.tree)

    def _resolve_placements(self) -> None:
        """Name the field each placed cell became, now that the tree's numbering is final. A
        node's name is made once, not once per cell (a big import places ~400,000 cells)."""
        names: dict[int, str] = {id(self.tree): "plan: "}
        unnamed = 0
        for goal in self.tree.goals:
            if goal.number is not None:
                names[id(goal)] = f"goal {goal.number}: "
            else:
                unnamed += 1
                names[id(goal)] = f"goal (no header) #{unnamed}: "
        for i, pg in enumerate(self.tree.program_goals(), 1):
            names[id(pg)] = f"program goal {i}: "
        for i, indicator in enumerate(self.tree.indicators(), 1):
            names[id(indicator)] = f"indicator {i}: "
        for i, line in enumerate(self.tree.lines(), 1):
            names[id(line)] = f"line {i}: "
        names[id(None)] = ""  # a cell that belongs to no node is named by its field alone
        activities = {name: f"activity {i}: " for i, name in enumerate(self.tree.activities(), 1)}

        def other(node: object) -> str:  # a Kegiatan, placed as ("activity", name)
            return activities.get(node[1], "activity ?: ") if isinstance(node, tuple) else "?: "

        get, new = names.get, tuple.__new__  # Placement._make without its length check
        placements = self.report.placements
        placements += [
            new(
                Placement,
                (line_no, cell.column + 1, cell.text, (other(node) if name is None else name) + field_name),
            )
            for cell, line_no, node, field_name in self.placements
            for name in (get(id(node)),)
        ]
        placements.sort(key=itemgetter(0, 1))


_ROLE_LABEL = {
    NO: "NO",
    GOAL: "SASARAN STRATEGIS",
    PROGRAM_GOAL: "SASARAN PROGRAM",
    INDICATOR: "INDIKATOR KINERJA",
    TARGET: "TARGET",
    ACTIVITY: "KEGIATAN",
    LINE: "Rencana Kegiatan",
    SCHEDULE: "RENCANA PELAKSANAAN",
    COST: "PERKIRAAN BIAYA",
    CODE: "AKUN",
    REMARKS: "KET",
    PIC: "PENANGGUNG JAWAB",
}


def clear_caches() -> None:
    """Forget remembered classifications (benchmarks measure a first import, not a repeat)."""
    for cached in (
        is_money_like,
        is_budget_code_like,
        is_target_like,
        parse_rupiah,
        parse_budget_code,
        normalize_space,
    ):
        cached.cache_clear()


def recognize(grid: Grid) -> tuple[PlanTree, ImportReport]:
    """Read a grid of cells as a Rencana Aksi. Raises :class:`SourceError` naming line and column."""
    return _Recognizer(grid).run()


__all__ = ["Cell", "Grid", "GridRow", "SourceError", "recognize"]
