"""What every part of the recognizer shares: the column roles and header words, the cached cell
classifiers, the cells, rows and readings it passes around, and the state of the walk down the
table with its bookkeeping (:class:`_State`), on which the readers of
:mod:`renaksi.core.recognizer` are built one on another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from renaksi.core import budget_codes, money, targets, text
from renaksi.core.amount_units import (
    is_cost_header,
)
from renaksi.core.grid import STRING, Grid
from renaksi.core.import_report import ImportReport, Judgement, Unplaced
from renaksi.core.messages import Message, gettext_noop
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.schedule import ScheduleError, parse_month

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


class _State:
    """The recognizer's state, and where each cell went (placed, unplaced, or judged)."""

    pending_spill: _Cell | None = None

    pending_spill_line: int = 0

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
