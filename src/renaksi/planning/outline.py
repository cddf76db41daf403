"""A big plan's table read one page at a time, and its totals summed by the database.

:func:`plan_outline` learns where every goal and program goal starts in the printed table from
three grouped queries (a row count and a cost per program goal: a few integers each, never the
lines themselves), placing goals exactly as :func:`renaksi.planning.services.load_tree` does.
:func:`page_tree` then loads only the program goals a page of rows touches, as a part of the plan
tree that :func:`renaksi.core.table.table_rows` prints as it prints the whole, and
:func:`database_totals` gives the :class:`~renaksi.core.table.PlanTotals` of the whole plan from
aggregate queries. The plan page uses them when a plan is too big to print at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.schedule import Schedule
from renaksi.core.table import PlanTotals, code_totals
from renaksi.planning import models as m


@dataclass
class GoalRun:
    """A strategic goal (or a group of program goals without one) and its rows in the table."""

    goal: Goal  # its node, without program goals
    first_row: int = 0
    rows: int = 0
    total: int = 0
    program_goals: list[int] = field(default_factory=list)  # ids, in printed order
    first_line: int = 0  # how many of the plan's lines are printed above it


@dataclass
class PlanOutline:
    goals: list[GoalRun]
    rows: int
    first_row: dict[int, int]  # program goal id -> its first row
    pg_rows: dict[int, int]  # program goal id -> its number of rows
    first_line: dict[int, int] = field(default_factory=dict)  # program goal id -> lines above it
    first_indicator: dict[int, int] = field(default_factory=dict)  # program goal id -> indicators above
    ordinal: dict[int, int] = field(default_factory=dict)  # program goal id -> program goals above
    lineless_indicators: int = 0  # indicators without a line (each prints a row of its own)

    def lines_above(self, tree: PlanTree) -> int:
        """How many of the plan's lines are printed above the part ``tree`` of it (page_tree's)."""
        if not tree.goals:
            return 0
        first = tree.goals[0]
        if first.program_goals:
            return self.first_line[first.program_goals[0].key or 0]
        return next((run.first_line for run in self.goals if run.goal is first), 0)

    def above(self, tree: PlanTree) -> tuple[int, int]:
        """How many indicators and program goals are printed above the part ``tree`` of the plan."""
        first = next((goal.program_goals[0] for goal in tree.goals if goal.program_goals), None)
        if first is None or first.key is None:
            return 0, 0
        return self.first_indicator.get(first.key, 0), self.ordinal.get(first.key, 0)


def plan_outline(plan: m.Plan) -> PlanOutline:
    lines: dict[int, tuple[int, int]] = {
        pg: (count, cost or 0)
        for pg, count, cost in m.SubActivity.objects.of_plan(plan)
        .order_by()
        .values("indicator__program_goal_id")
        .annotate(count=Count("id"), cost=Sum("cost"))
        .values_list("indicator__program_goal_id", "count", "cost")
    }
    # An indicator without a line prints a row of its own.
    lineless = dict(
        m.Indicator.objects.of_plan(plan)
        .filter(sub_activities__isnull=True)
        .order_by()
        .values("program_goal_id")
        .annotate(count=Count("id"))
        .values_list("program_goal_id", "count")
    )
    indicators = dict(
        m.Indicator.objects.of_plan(plan)
        .order_by()
        .values("program_goal_id")
        .annotate(count=Count("id"))
        .values_list("program_goal_id", "count")
    )
    runs: dict[int, GoalRun] = {}
    positions: dict[int, int] = {}
    placed: list[tuple[float, GoalRun]] = []
    for pk, number, text, position in (
        m.StrategicGoal.objects.of_plan(plan)
        .order_by("position")
        .values_list("id", "number", "text", "position")
    ):
        runs[pk] = GoalRun(Goal(number=number, text=text, key=pk))
        positions[pk] = position
        placed.append((position, runs[pk]))
    previous, group = -1.0, None
    for pg, goal_id in (
        m.ProgramGoal.objects.of_plan(plan).order_by("position").values_list("id", "strategic_goal_id")
    ):
        if goal_id is None:  # a headerless group goes after the goal before it, as load_tree places it
            if group is None:
                group = GoalRun(Goal(number=None, text=""))
                placed.append((previous + 0.5, group))
            run = group
        else:
            run, previous, group = runs[goal_id], float(positions[goal_id]), None
        run.program_goals.append(pg)
    placed.sort(key=lambda entry: entry[0])
    outline = PlanOutline(goals=[run for _position, run in placed], rows=0, first_row={}, pg_rows={})
    outline.lineless_indicators = sum(lineless.values())
    line_count = indicator_count = 0
    for run in outline.goals:
        run.first_row, run.first_line = outline.rows, line_count
        for pg in run.program_goals:
            count, cost = lines.get(pg, (0, 0))
            outline.first_line[pg] = line_count
            outline.first_indicator[pg], outline.ordinal[pg] = indicator_count, len(outline.ordinal)
            indicator_count += indicators.get(pg, 0)
            line_count += count
            rows = max(count + lineless.get(pg, 0), 1)
            outline.first_row[pg], outline.pg_rows[pg] = outline.rows, rows
            outline.rows += rows
            run.total += cost
        if not run.program_goals:  # a goal with nothing under it prints one row
            outline.rows += 1
        run.rows = outline.rows - run.first_row
    return outline


def page_tree(plan: m.Plan, outline: PlanOutline, start: int, stop: int) -> tuple[PlanTree, int]:
    """The part of the plan that rows ``start`` to ``stop`` print, and the row it starts at: the
    program goals they touch, whole, and the one before the first if the page starts on its
    border (so that a Kegiatan continuing from it is known as continued)."""
    wanted: list[tuple[GoalRun, list[int]]] = []
    for run in outline.goals:
        if run.first_row >= stop or run.first_row + run.rows <= start:
            continue
        pgs = [
            pg
            for pg in run.program_goals
            if outline.first_row[pg] < stop and outline.first_row[pg] + outline.pg_rows[pg] > start
        ]
        if pgs and outline.first_row[pgs[0]] == start and pgs[0] != run.program_goals[0]:
            pgs.insert(0, run.program_goals[run.program_goals.index(pgs[0]) - 1])
        wanted.append((run, pgs))
    offset = next((outline.first_row[pgs[0]] if pgs else run.first_row for run, pgs in wanted), start)
    ids = [pg for _run, pgs in wanted for pg in pgs]
    nodes = program_goal_nodes(plan, ids)
    tree = PlanTree(
        year=plan.year, title=plan.title, signing_unit=plan.signing_unit, agency_label=plan.agency_label
    )
    for run, pgs in wanted:
        run.goal.program_goals = [nodes[pg] for pg in pgs]  # the same node the totals name
        tree.goals.append(run.goal)
    return tree, offset


def program_goal_nodes(plan: m.Plan, ids: list[int] | None) -> dict[int, ProgramGoal]:
    """The program goals ``ids`` (None: all the plan's) with their indicators and lines, as
    load_tree reads them."""

    def only(query: QuerySet[Any], lookup: str, keys: list[int]) -> QuerySet[Any]:
        return query if ids is None else query.filter(**{lookup: keys})

    nodes = {
        pk: ProgramGoal(text=text, needs_review=review, review_note=note, key=pk)
        for pk, text, review, note in only(
            m.ProgramGoal.objects.of_plan(plan), "pk__in", ids or []
        ).values_list("id", "text", "needs_review", "review_note")
    }
    indicators: dict[int, Indicator] = {}
    for pk, pg, text, target in (
        only(m.Indicator.objects.of_plan(plan), "program_goal_id__in", ids or [])
        .order_by("position")
        .values_list("id", "program_goal_id", "text", "target_text")
    ):
        indicators[pk] = Indicator(text=text, target=target, key=pk)
        nodes[pg].indicators.append(indicators[pk])
    # The Kegiatan of an indicator without lines is the first one linked to it.
    for indicator_id, name in (
        only(
            m.ActivityIndicator.objects.of_plan(plan, "indicator__plan"), "indicator_id__in", list(indicators)
        )
        .order_by("indicator_id", "position")
        .values_list("indicator_id", "activity__name")
    ):
        indicators[indicator_id].activities.append(name)
    for values in (
        only(m.SubActivity.objects.of_plan(plan), "indicator_id__in", list(indicators))
        .order_by("position")
        .values_list(
            "id",
            "indicator_id",
            "name",
            "activity__name",
            "schedule_mask",
            "cost",
            "cost_state",
            "budget_code",
            "remarks",
            "person_in_charge",
            "source_line",
        )
    ):
        pk, indicator_id, name, activity, mask, cost, state, code, remarks, pic, source = values
        indicators[indicator_id].lines.append(
            Line(
                name=name,
                activity=activity or "",
                months=Schedule(mask).months,
                cost=cost,
                cost_state=CostState(state),
                budget_code=code,
                remarks=remarks,
                person_in_charge=pic,
                source_line=source,
                key=pk,
            )
        )
    return nodes


@dataclass
class PlanCounts:
    """What the plan page counts of a whole plan, besides its totals."""

    program_goals: int = 0
    program_goals_flagged: int = 0
    indicators: int = 0
    names_persons_in_charge: bool = False
    has_schedule: bool = False
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (text, review note)
    # For the plan's checks (renaksi.planning.checks): lines by what they lack.
    unscheduled: int = 0
    cost_without_code: int = 0
    code_without_cost: int = 0


def database_totals(plan: m.Plan, outline: PlanOutline) -> tuple[PlanTotals, PlanCounts]:
    """The whole plan's totals and counts, summed by the database (what plan_totals would give)."""
    lines = m.SubActivity.objects.of_plan(plan)
    sums = lines.order_by().aggregate(
        lines=Count("id"),
        with_cost=Count("id", filter=Q(cost_state=CostState.AMOUNT.value)),
        marked_none=Count("id", filter=Q(cost_state=CostState.NONE.value)),
        with_pic=Count("id", filter=~Q(person_in_charge="")),
        scheduled=Count("id", filter=Q(schedule_mask__gt=0)),
        cost_without_code=Count("id", filter=Q(cost_state=CostState.AMOUNT.value, budget_code="")),
        code_without_cost=Count("id", filter=~Q(budget_code="") & ~Q(cost_state=CostState.AMOUNT.value)),
    )
    by_written: dict[str, int] = defaultdict(int)
    for code, total in (
        lines.exclude(budget_code="")
        .order_by()
        .values("budget_code")
        .annotate(total=Sum("cost"))
        .values_list("budget_code", "total")
    ):
        by_written[code] += total or 0
    totals = PlanTotals(
        grand_total=sum(run.total for run in outline.goals),
        by_goal=[(run.goal, run.total) for run in outline.goals],
        by_code=code_totals(by_written),
        lines=sums["lines"],
        lines_with_cost=sums["with_cost"],
        lines_marked_none=sums["marked_none"],
    )
    totals.lines_without_cost_cell = totals.lines - totals.lines_with_cost - totals.lines_marked_none
    program_goals = m.ProgramGoal.objects.of_plan(plan)
    counted = program_goals.order_by().aggregate(
        all=Count("id"), flagged=Count("id", filter=Q(needs_review=True))
    )
    counts = PlanCounts(
        program_goals=counted["all"],
        program_goals_flagged=counted["flagged"],
        indicators=m.Indicator.objects.of_plan(plan).count(),
        names_persons_in_charge=sums["with_pic"] > 0,
        has_schedule=sums["scheduled"] > 0,
        unscheduled=sums["lines"] - sums["scheduled"],
        cost_without_code=sums["cost_without_code"],
        code_without_cost=sums["code_without_cost"],
        flagged=list(
            program_goals.filter(needs_review=True).order_by("position").values_list("text", "review_note")
        )
        if counted["flagged"]
        else [],
    )
    return totals, counts
