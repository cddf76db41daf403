"""The plan page of a big plan: one page of rows at a time, with the whole plan's summary.

A plan whose table has more rows than ``RENAKSI_PLAN_PAGE_ROWS`` (500 by default) is shown that
many rows a page (``?halaman=N``), with links to every goal's first page. A merged cell cut by a
page's start is repeated on it, marked continued; a goal's subtotal row closes the page its last
row is on; the grand total row closes the last page. The figures, the totals per goal and the
recaps are the whole plan's on every page, summed by the database (:mod:`renaksi.planning.outline`);
the recaps list their largest entries and sum the others in one row. A smaller plan is printed
whole, exactly as :func:`renaksi.planning.presenters.plan_page` prints it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import Goal, PlanTree
from renaksi.core.schedule import MONTH_NAMES_ID
from renaksi.core.table import (
    COLUMN_SCHEDULE,
    HEADERLESS_GOAL,
    LEADING_COLUMNS,
    PageRow,
    PlanTotals,
    goal_subtotal_label,
    names_persons_in_charge,
    page_rows,
    plan_title,
    plan_totals,
    rollup_top_level,
    table_rows,
    trailing_columns,
)
from renaksi.planning import presenters
from renaksi.planning.checks import database_counts, page_checks, plan_checks
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.outline import database_totals, page_tree, plan_outline
from renaksi.planning.presenters import CodeTotal, GoalSection, HeaderColumn, PlanPage, Text
from renaksi.planning.services import load_tree

#: How many entries each recap of a paged plan lists before it sums the rest in one row.
RECAP_LIMIT = 50
PAGE_PARAMETER = "halaman"


def page_size() -> int:
    return max(int(getattr(settings, "RENAKSI_PLAN_PAGE_ROWS", 500)), 1)


@dataclass(frozen=True)
class PageLink:
    number: int
    current: bool = False


@dataclass(frozen=True)
class PageLine:
    """A line of the page, for the list of lines with their edit and history links."""

    number: int  # its number among all the plan's lines
    key: int | None
    name: str
    cost: int | None


@dataclass
class Pager:
    number: int
    count: int
    first_row: int  # 1-based, as a person counts rows
    last_row: int
    rows: int
    links: list[PageLink | None]  # None: a gap in the list of page numbers
    previous: int | None = None
    next: int | None = None
    parameter: str = PAGE_PARAMETER
    lines: list[PageLine] = field(default_factory=list)


@dataclass(frozen=True)
class GoalEntry:
    """A goal in the goal index of a paged plan: its total, rows and the page it starts on."""

    position: int
    number: str
    text: Text
    rows: int
    total: str
    page: int
    anchor: str


@dataclass(frozen=True)
class _GoalSpan:
    goal: Goal
    first_row: int
    rows: int
    total: int


def plan_page_for(
    plan: Plan,
    asked: str | None,
    *,
    public: bool = False,
    small: bool | None = None,
    checks: bool | None = None,
) -> PlanPage:
    """The plan page: the whole plan when it is small, else page ``asked`` of it. A plan with more
    lines than a page is never loaded whole. ``small``, when the caller knows it
    (:func:`lines_of_small_plan`), saves counting the lines again; ``checks`` adds the plan's
    checks (:mod:`renaksi.planning.checks`) to the page: by default on the planners' page, not on
    the portal's (``public``)."""
    if checks is None:
        checks = not public
    if small is None:
        small = SubActivity.objects.of_plan(plan).count() <= page_size()
    if not small:
        return database_plan_page(plan, asked, public=public, checks=checks)
    tree = load_tree(plan)
    page = tree_plan_page(plan, tree, asked, public=public)
    if checks:
        page.checks = plan_checks(tree, page_size() if page.pager is not None else None)
    return page


def lines_of_small_plan(plan: Plan) -> list[tuple[int, str, int | None]] | None:
    """The plan's lines (id, name, cost) in printed order if it has at most a page of them, else
    None: one query that reads at most a page and one line."""
    size = page_size()
    lines = list(
        SubActivity.objects.of_plan(plan).order_by("position").values_list("pk", "name", "cost")[: size + 1]
    )
    return lines if len(lines) <= size else None


def page_number(text: str | None, count: int) -> int:
    """The page asked for: as Django's ``Paginator.get_page``, a page that is no number is the
    first, one past the end the last."""
    try:
        number = int(text or 1)
    except ValueError:
        return 1
    return min(max(number, 1), count)


def database_plan_page(
    plan: Plan, asked: str | None, *, public: bool = False, checks: bool = False
) -> PlanPage:
    """A paged plan's page ``asked`` (any text; see :func:`page_number`), read from the database;
    with ``checks``, the whole plan's counts per rule and the findings on the page's rows."""
    outline = plan_outline(plan)
    size = page_size()
    count = max(-(-outline.rows // size), 1)
    number = page_number(asked, count)
    start, stop = (number - 1) * size, min(number * size, outline.rows)
    tree, offset = page_tree(plan, outline, start, stop)
    local = table_rows(tree)
    rows = page_rows(local, start - offset, stop - offset, offset)
    totals, counts = database_totals(plan, outline)
    spans = [_GoalSpan(run.goal, run.first_row, run.rows, run.total) for run in outline.goals]
    lines_before = outline.lines_above(tree) + sum(
        1 for row in local[: start - offset] if row.line is not None
    )
    page = _paged_page(
        plan,
        rows,
        spans,
        totals,
        pager=_pager(number, count, start, stop, outline.rows, rows, lines_before),
        show_pic=not public and counts.names_persons_in_charge,
        public=public,
        figures=presenters.counted_figures(
            totals,
            program_goals=counts.program_goals,
            flagged=None if public else counts.program_goals_flagged,
            indicators=counts.indicators,
        ),
        has_schedule=counts.has_schedule,
        flagged=[] if public else [(text, presenters._note(note)) for text, note in counts.flagged],
    )
    if checks:
        indicators_above, program_goals_above = outline.above(tree)
        page.checks = page_checks(
            tree,
            offset=offset,
            start=start,
            stop=stop,
            number=number,
            lines_above=outline.lines_above(tree),
            indicators_above=indicators_above,
            program_goals_above=program_goals_above,
            counts=database_counts(plan, outline, counts),
        )
    return page


def tree_plan_page(plan: Plan, tree: PlanTree, asked: str | None, *, public: bool = False) -> PlanPage:
    """The plan page of a tree in hand (an import's preview): whole when it is small, else paged."""
    all_rows = table_rows(tree)
    size = page_size()
    if len(all_rows) <= size:
        return presenters.plan_page(plan, tree, public=public)
    totals = plan_totals(tree)
    count = -(-len(all_rows) // size)
    number = page_number(asked, count)
    start, stop = (number - 1) * size, min(number * size, len(all_rows))
    starts = [row for row in all_rows if row.goal_span]
    spans = [
        _GoalSpan(goal, row.index, row.goal_span, total)
        for (goal, total), row in zip(totals.by_goal, starts, strict=True)
    ]
    program_goals = list(tree.program_goals())
    rows = page_rows(all_rows, start, stop)
    lines_before = sum(1 for row in all_rows[:start] if row.line is not None)
    return _paged_page(
        plan,
        rows,
        spans,
        totals,
        pager=_pager(number, count, start, stop, len(all_rows), rows, lines_before),
        show_pic=not public and names_persons_in_charge(all_rows),
        public=public,
        figures=presenters.counted_figures(
            totals,
            program_goals=len(program_goals),
            flagged=None if public else sum(1 for pg in program_goals if pg.needs_review),
            indicators=sum(1 for _indicator in tree.indicators()),
        ),
        has_schedule=any(line.months for line in tree.lines()),
        flagged=[]
        if public
        else [(pg.text, presenters._note(pg.review_note)) for pg in program_goals if pg.needs_review],
    )


def _pager(
    number: int, count: int, start: int, stop: int, total_rows: int, rows: list[PageRow], lines_before: int
) -> Pager:
    shown = sorted({1, count, *range(max(number - 2, 1), min(number + 2, count) + 1)})
    links: list[PageLink | None] = []
    for page in shown:
        if links and links[-1] is not None and page > links[-1].number + 1:
            links.append(None)
        links.append(PageLink(page, page == number))
    lines = []
    for row in rows:
        if row.row.line is not None:
            lines_before += 1
            line = row.row.line
            lines.append(PageLine(lines_before, line.key, line.name, line.cost))
    return Pager(
        number=number,
        count=count,
        first_row=start + 1,
        last_row=stop,
        rows=total_rows,
        links=links,
        previous=number - 1 if number > 1 else None,
        next=number + 1 if number < count else None,
        lines=lines,
    )


def _paged_page(
    plan: Plan,
    rows: list[PageRow],
    spans: list[_GoalSpan],
    totals: PlanTotals,
    *,
    pager: Pager,
    show_pic: bool,
    public: bool,
    figures: list[presenters.Figure],
    has_schedule: bool,
    flagged: list[tuple[str, str]],
) -> PlanPage:
    trailing = trailing_columns(pic=show_pic, remarks=not public)
    size = page_size()
    by_goal: dict[int, list[PageRow]] = defaultdict(list)
    for row in rows:
        by_goal[id(row.row.goal)].append(row)
    sections, index = [], []
    for position, span in enumerate(spans, 1):
        headerless = span.goal.is_headerless
        anchor = f"jumlah-tanpa-sasaran-{position}" if headerless else f"jumlah-sasaran-{position}"
        index.append(
            GoalEntry(
                position=position,
                number=span.goal.number or "",
                text=HEADERLESS_GOAL.render(gettext) if headerless else span.goal.text,
                rows=span.rows,
                total=format_rupiah(span.total),
                page=span.first_row // size + 1,
                anchor=f"sasaran-{position}",
            )
        )
        goal_rows = by_goal.get(id(span.goal))
        if not goal_rows:
            continue
        label = goal_subtotal_label(span.goal).render(gettext)
        sections.append(
            GoalSection(
                anchor=anchor,
                number=span.goal.number or "",
                subtotal_label=label,
                subtotal=format_rupiah(span.total),
                rows=[presenters._body_row(row.row, show_pic, public, row.continued) for row in goal_rows],
                complete=span.first_row + span.rows <= pager.last_row,
                goal_anchor=f"sasaran-{position}",
            )
        )
    code_totals, code_rest = _largest(totals.by_code, _("%(count)s kode akun lainnya"))
    top_levels: dict[str, int] = defaultdict(int)
    for code, total in totals.by_code.items():
        top_levels[rollup_top_level(code)] += total
    levels, level_rest = _largest(dict(sorted(top_levels.items())), _("%(count)s kode kegiatan lainnya"))
    page = PlanPage(
        plan=plan,
        title=plan_title(plan.title, plan.year),
        signing_unit=plan.signing_unit,
        agency_label=plan.agency_label,
        agency_name=plan.agency.name,
        status=plan.get_status_display(),
        updated_on=presenters.local_date(plan.updated_at, plan.agency.time_zone),
        leading_columns=LEADING_COLUMNS,
        schedule_label=COLUMN_SCHEDULE,
        months=[HeaderColumn(str(number), name) for number, name in enumerate(MONTH_NAMES_ID, 1)],
        trailing_columns=trailing,
        sections=sections,
        grand_total=format_rupiah(totals.grand_total),
        label_colspan=len(LEADING_COLUMNS) + 12,
        after_cost_colspan=len(trailing) - 1,
        code_totals=code_totals,
        code_levels=[
            CodeTotal(item.code, item.total, level=1, level_name=presenters._CODE_LEVEL_NAMES["kegiatan"])
            for item in levels
        ],
        uncoded_total=format_rupiah(totals.grand_total - sum(totals.by_code.values())),
        figures=figures,
        has_schedule=has_schedule,
        flagged_program_goals=flagged,
        pager=pager,
        goal_index=index,
        show_grand_total=pager.next is None,
        code_rest=code_rest,
        level_rest=level_rest,
    )
    return presenters.name_codes(page)


def _largest(totals: dict[str, int], rest_label: Text) -> tuple[list[CodeTotal], CodeTotal | None]:
    """The ``RECAP_LIMIT`` largest entries, in code order, and the others summed in one entry."""
    if len(totals) <= RECAP_LIMIT:
        return [CodeTotal(code, format_rupiah(total)) for code, total in totals.items()], None
    largest = heapq.nsmallest(RECAP_LIMIT, totals.items(), key=lambda item: (-item[1], item[0]))
    kept = {code for code, _total in largest}
    rest = sum(total for code, total in totals.items() if code not in kept)
    shown = [CodeTotal(code, format_rupiah(total)) for code, total in sorted(largest)]
    return shown, CodeTotal(str(rest_label % {"count": len(totals) - RECAP_LIMIT}), format_rupiah(rest))
