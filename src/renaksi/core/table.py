"""The official Rencana Aksi table as one row iterator.

HTML, CSV, JSON, XLSX and PDF are all fed by :func:`table_rows`, and every total comes from
:func:`plan_totals`, so no two outputs can disagree on a figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from renaksi.core.plan_tree import Goal, Indicator, Line, PlanTree, ProgramGoal

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
    """Rows in printed order with the row spans of the merged cells."""
    rows: list[TableRow] = []
    for goal in tree.goals:
        # A goal or program goal with nothing under it yet still prints as a row of its own.
        program_goals = goal.program_goals or [ProgramGoal(text="")]
        for program_goal in program_goals:
            indicators = program_goal.indicators or [Indicator(text="")]
            for indicator in indicators:
                if not indicator.lines:
                    activity = indicator.activities[0] if indicator.activities else ""
                    rows.append(TableRow(len(rows), goal, program_goal, indicator, None, activity))
                for line in indicator.lines:
                    rows.append(TableRow(len(rows), goal, program_goal, indicator, line, line.activity))
    _set_spans(rows, "goal_span", lambda r: id(r.goal))
    _set_spans(rows, "program_goal_span", lambda r: id(r.program_goal))
    _set_spans(rows, "indicator_span", lambda r: id(r.indicator))
    # A Kegiatan serving several indicators is one merged cell over their rows, but never across a
    # strategic goal: the goal's subtotal row sits between them.
    _set_spans(rows, "activity_span", lambda r: (id(r.goal), r.activity) if r.activity else object())
    return rows


def _set_spans(rows: list[TableRow], attribute: str, key: object) -> None:
    assert callable(key)
    start = 0
    while start < len(rows):
        end = start + 1
        first_key = key(rows[start])
        while end < len(rows) and key(rows[end]) == first_key:
            setattr(rows[end], attribute, 0)
            end += 1
        setattr(rows[start], attribute, end - start)
        start = end


@dataclass
class PlanTotals:
    grand_total: int = 0
    by_goal: list[tuple[Goal, int]] = field(default_factory=list)
    by_code: dict[str, int] = field(default_factory=dict)  # full code -> total, in code order
    by_code_level: dict[str, int] = field(default_factory=dict)  # every roll-up prefix -> total
    lines: int = 0
    lines_with_cost: int = 0
    lines_marked_none: int = 0
    lines_without_cost_cell: int = 0


def plan_totals(tree: PlanTree) -> PlanTotals:
    from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
    from renaksi.core.plan_tree import CostState

    totals = PlanTotals()
    by_code: dict[str, int] = defaultdict(int)
    by_level: dict[str, int] = defaultdict(int)
    canonical_of: dict[str, str] = {}
    keys_of: dict[str, list[str]] = {}
    for goal in tree.goals:
        goal_total = 0
        for line in tree.goal_lines(goal):
            totals.lines += 1
            if line.cost_state is CostState.AMOUNT:
                totals.lines_with_cost += 1
            elif line.cost_state is CostState.NONE:
                totals.lines_marked_none += 1
            else:
                totals.lines_without_cost_cell += 1
            cost = line.cost or 0
            goal_total += cost
            if line.budget_code:
                canonical = canonical_of.get(line.budget_code)
                if canonical is None:
                    try:
                        code = parse_budget_code(line.budget_code)
                        canonical, keys = code.canonical, code.rollup_keys()
                    except BudgetCodeError:
                        canonical, keys = line.budget_code, [line.budget_code]
                    canonical_of[line.budget_code] = canonical
                    keys_of[canonical] = keys
                by_code[canonical] += cost
        totals.by_goal.append((goal, goal_total))
        totals.grand_total += goal_total
    # Each level's sum from the sums of the full codes: once per distinct code, not per line.
    for canonical, total in by_code.items():
        for prefix in keys_of[canonical]:
            by_level[prefix] += total
    totals.by_code = dict(sorted(by_code.items()))
    totals.by_code_level = dict(sorted(by_level.items()))
    return totals


def iter_goal_rows(rows: list[TableRow], goal: Goal) -> Iterator[TableRow]:
    return (row for row in rows if row.goal is goal)
