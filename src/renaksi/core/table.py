"""The official Rencana Aksi table as one row iterator.

HTML, CSV, JSON, XLSX and PDF are all fed by :func:`table_rows`, and every total comes from
:func:`plan_totals`, so no two outputs can disagree on a figure. The texts the table prints
around its cells (the section and total labels, a cost cell's text, the title when the plan has
none) are here too, so no renderer words them on its own: the exports print them in Indonesian
(``str(label)``), the pages in their language (``label.render(gettext)``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from renaksi.core.budget_codes import BudgetCodeError, canonical_text, parse_budget_code
from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal

# Header labels exactly as the printed table has them.
COLUMN_NO = "NO"
COLUMN_GOAL = "SASARAN STRATEGIS"
COLUMN_PROGRAM_GOAL = "SASARAN PROGRAM"
COLUMN_INDICATOR = "INDIKATOR KINERJA"
COLUMN_TARGET = "TARGET"
COLUMN_ACTIVITY = "KEGIATAN"
COLUMN_LINE = "Rencana Kegiatan"
COLUMN_SCHEDULE = "RENCANA PELAKSANAAN KEGIATAN"
COLUMN_COST = "PERKIRAAN BIAYA"
COLUMN_CODE = "AKUN"
COLUMN_REMARKS = "KET"
COLUMN_PIC = "PENANGGUNG JAWAB"
#: The columns left of the twelve months, each spanning both header rows.
LEADING_COLUMNS = (
    COLUMN_NO,
    COLUMN_GOAL,
    COLUMN_PROGRAM_GOAL,
    COLUMN_INDICATOR,
    COLUMN_TARGET,
    COLUMN_ACTIVITY,
    COLUMN_LINE,
)


# The texts around the cells: a group printed without its goal header, the total rows.
HEADERLESS_GOAL = msg(gettext_noop("(tanpa sasaran strategis)"))
HEADERLESS_SUBTOTAL = msg(gettext_noop("Jumlah tanpa sasaran strategis"))
GRAND_TOTAL = msg(gettext_noop("JUMLAH TOTAL"))
#: What a cost cell shows for a line marked "no cost" (``-``); a line with no cost cell shows nothing.
NO_COST_TEXT = "-"


def goal_subtotal_label(goal: Goal) -> Message:
    """``Jumlah Sasaran Strategis 2``, or the label of the group printed without a goal header."""
    if goal.is_headerless:
        return HEADERLESS_SUBTOTAL
    return msg(gettext_noop("Jumlah Sasaran Strategis {number}"), number=goal.number or "")


def cost_text(line: Line | None) -> str:
    """A cost cell as text: ``Rp 8.378.000``, ``-`` for a line marked without cost, empty for a
    line without a cost cell (and for the row of an indicator without lines)."""
    if line is None or line.cost_state is CostState.ABSENT:
        return ""
    if line.cost_state is CostState.NONE or line.cost is None:
        return NO_COST_TEXT
    return format_rupiah(line.cost)


def plan_title(title: str, year: int | None) -> str:
    """The plan's title as printed: its own, else ``RENCANA AKSI TAHUN 2024``; empty for a plan
    with neither (the caller decides whether a document needs one anyway)."""
    return title or (f"RENCANA AKSI TAHUN {year}" if year else "")


def trailing_columns(*, pic: bool, remarks: bool = True) -> list[str]:
    """The columns right of the twelve months: the cost and the budget code, then the remarks
    (left out of the public page) and the person in charge (only when a line names one)."""
    return [COLUMN_COST, COLUMN_CODE] + ([COLUMN_REMARKS] if remarks else []) + ([COLUMN_PIC] if pic else [])


def names_persons_in_charge(rows: list[TableRow]) -> bool:
    """Whether any line names its person in charge, which is when the table has that column."""
    return any(row.line is not None and row.line.person_in_charge for row in rows)


@dataclass
class TableRow:
    """One printed row. A ``*_span`` of 0 means the cell is covered by a merged cell above."""

    index: int
    goal: Goal
    program_goal: ProgramGoal
    indicator: Indicator
    line: Line | None
    activity: str
    goal_span: int = 1
    program_goal_span: int = 1
    indicator_span: int = 1
    activity_span: int = 1

    @property
    def months(self) -> tuple[bool, ...]:
        scheduled = set(self.line.months) if self.line else set()
        return tuple(month in scheduled for month in range(1, 13))


def table_rows(tree: PlanTree) -> list[TableRow]:
    """Rows in printed order with the row spans of the merged cells: a goal, program goal or
    indicator spans the rows under it; a Kegiatan spans the consecutive rows that name it."""
    rows: list[TableRow] = []
    for goal in tree.goals:
        goal_first = len(rows)
        # A goal or program goal with nothing under it yet still prints as a row of its own.
        for program_goal in goal.program_goals or [ProgramGoal(text="")]:
            program_goal_first = len(rows)
            for indicator in program_goal.indicators or [Indicator(text="")]:
                indicator_first = len(rows)
                if not indicator.lines:
                    activity = indicator.activities[0] if indicator.activities else ""
                    rows.append(TableRow(len(rows), goal, program_goal, indicator, None, activity, 0, 0, 0))
                for line in indicator.lines:
                    rows.append(
                        TableRow(len(rows), goal, program_goal, indicator, line, line.activity, 0, 0, 0)
                    )
                rows[indicator_first].indicator_span = len(rows) - indicator_first
            rows[program_goal_first].program_goal_span = len(rows) - program_goal_first
        rows[goal_first].goal_span = len(rows) - goal_first
        _span_activities(rows, goal_first)
    return rows


def _span_activities(rows: list[TableRow], start: int) -> None:
    """Merge each run of rows from ``start`` on that name the same Kegiatan. A Kegiatan serving
    several indicators is one merged cell over their rows, but never across a strategic goal:
    the goal's subtotal row sits between them (so ``start`` is the goal's first row)."""
    end = len(rows)
    while start < end:
        activity = rows[start].activity
        following = start + 1
        if activity:
            while following < end and rows[following].activity == activity:
                rows[following].activity_span = 0
                following += 1
        rows[start].activity_span = following - start
        start = following


@dataclass
class PlanTotals:
    grand_total: int = 0
    by_goal: list[tuple[Goal, int]] = field(default_factory=list)
    by_code: dict[str, int] = field(default_factory=dict)  # full code -> total, in code order
    lines: int = 0
    lines_with_cost: int = 0
    lines_marked_none: int = 0
    lines_without_cost_cell: int = 0

    @property
    def by_code_level(self) -> dict[str, int]:
        """The total under every roll-up prefix of the codes (``3358``, ``3358.EBC``, ...), in
        code order: the sums of the full codes under it. Worked out when asked (the plan page
        shows it; a roll-up export of hundreds of plans does not need it)."""
        by_level: dict[str, int] = defaultdict(int)
        for code, total in self.by_code.items():
            for prefix in _rollup_keys(code):
                by_level[prefix] += total
        return dict(sorted(by_level.items()))


def plan_totals(tree: PlanTree) -> PlanTotals:
    totals = PlanTotals()
    by_written: dict[str, int] = defaultdict(int)  # budget code as written -> total
    amount, none = CostState.AMOUNT, CostState.NONE
    for goal in tree.goals:
        goal_total = 0
        for program_goal in goal.program_goals:
            for indicator in program_goal.indicators:
                for line in indicator.lines:
                    totals.lines += 1
                    if line.cost_state is amount:
                        totals.lines_with_cost += 1
                    elif line.cost_state is none:
                        totals.lines_marked_none += 1
                    cost = line.cost or 0
                    goal_total += cost
                    if line.budget_code:
                        by_written[line.budget_code] += cost
        totals.by_goal.append((goal, goal_total))
        totals.grand_total += goal_total
    totals.lines_without_cost_cell = totals.lines - totals.lines_with_cost - totals.lines_marked_none
    totals.by_code = code_totals(by_written)
    return totals


def code_totals(by_written: dict[str, int]) -> dict[str, int]:
    """Totals per budget code as written, summed per canonical code, in code order. Codes are
    read once per distinct spelling, not per line (a plan page sums them in the database)."""
    by_code: dict[str, int] = defaultdict(int)
    for written, total in by_written.items():
        by_code[_canonical(written)] += total
    return dict(sorted(by_code.items()))


def rollup_top_level(code: str) -> str:
    """The top roll-up key of a code (its Kegiatan), or the text itself when it is no code: the
    first of ``rollup_keys``, without building the others."""
    try:
        parsed = parse_budget_code(code)
    except BudgetCodeError:
        return code
    return parsed.kegiatan or parsed.rollup_keys()[0]


# A text in the AKUN column that is not a budget code is summed under itself, at one level; the
# plan's checks flag it.


def _canonical(written: str) -> str:
    try:
        return canonical_text(written)
    except BudgetCodeError:
        return written


def _rollup_keys(code: str) -> list[str]:
    try:
        return parse_budget_code(code).rollup_keys()
    except BudgetCodeError:
        return [code]


def iter_goal_rows(rows: list[TableRow], goal: Goal) -> Iterator[TableRow]:
    return (row for row in rows if row.goal is goal)


# --- one page of the table -------------------------------------------------------------------------

#: The merged cells of a row, by the ``TableRow`` span attribute that sizes them.
MERGED_CELLS = ("goal", "program_goal", "indicator", "activity")


@dataclass(frozen=True)
class PageRow:
    """A row of one page of the table. Its spans stop at the page's last row; a merged cell
    that began on an earlier page is repeated on the page's first row, and named in
    ``continued``."""

    row: TableRow
    continued: frozenset[str] = frozenset()


def page_rows(rows: list[TableRow], start: int, stop: int, offset: int = 0) -> list[PageRow]:
    """Rows ``start`` to ``stop`` (exclusive) of ``rows`` as one page: spans cut at the page's end,
    cells cut by its start repeated and marked continued, every row's ``index`` moved by
    ``offset`` (``rows`` may be a stretch of the table that starts at row ``offset``).
    ``table_rows`` itself is untouched: each page row is a copy."""
    stop = min(stop, len(rows))
    ends: dict[str, list[int]] = {}
    for kind in MERGED_CELLS:
        attr = f"{kind}_span"
        end, kind_ends = 0, []
        for position, row in enumerate(rows[:stop]):
            span = getattr(row, attr)
            if span:
                end = position + span
            kind_ends.append(end)
        ends[kind] = kind_ends
    page: list[PageRow] = []
    for position in range(max(start, 0), stop):
        row = rows[position]
        spans: dict[str, int] = {}
        continued = []
        for kind in MERGED_CELLS:
            attr = f"{kind}_span"
            if getattr(row, attr) or position == start:
                spans[attr] = min(ends[kind][position], stop) - position
                if not getattr(row, attr):
                    continued.append(kind)
        copy = replace(row, index=offset + position)
        for attr, span in spans.items():
            setattr(copy, attr, span)
        page.append(PageRow(copy, frozenset(continued)))
    return page
