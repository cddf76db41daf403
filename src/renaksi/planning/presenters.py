"""What the planning pages show, shaped for templates that only loop.

Every figure on the plan page comes from :func:`renaksi.core.table.table_rows` and
:func:`renaksi.core.table.plan_totals`, the same row iterator and totals that feed the other
outputs, so the HTML cannot disagree with an export. This module only arranges and formats them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.agencies.services import agency_zone
from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import PlanTree
from renaksi.core.schedule import MONTH_NAMES_ID
from renaksi.core.table import (
    COLUMN_SCHEDULE,
    HEADERLESS_GOAL,
    LEADING_COLUMNS,
    PlanTotals,
    TableRow,
    cost_text,
    goal_subtotal_label,
    names_persons_in_charge,
    plan_title,
    plan_totals,
    table_rows,
    trailing_columns,
)

# The agency list (renaksi.planning.directory), by the names its callers import from here.
from renaksi.planning.directory import AgencyNode as AgencyNode
from renaksi.planning.directory import PlanSummary as PlanSummary
from renaksi.planning.directory import agency_directory as agency_directory
from renaksi.planning.directory import plan_summary as plan_summary
from renaksi.planning.directory import with_line_totals as with_line_totals
from renaksi.planning.models import Plan
from renaksi.planning.row_html import cells_html, line_cards_html

if TYPE_CHECKING:
    from renaksi.planning.checks import PlanChecks
    from renaksi.planning.paging import GoalEntry, Pager

_CODE_LEVEL_NAMES = {
    "kegiatan": "Kegiatan",
    "kro": "KRO",
    "ro": "RO",
    "komponen": "Komponen",
    "subkomponen": "Subkomponen",
    "akun": "Akun",
}

Text = str | Promise


# --- the plan page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One ``<td>``; ``column`` names it for styling and tests (``data-col``)."""

    column: str
    text: Text = ""
    rowspan: int = 1
    css: str = ""
    scheduled: bool = False
    flagged: bool = False
    review_note: str = ""
    continued: bool = False  # a merged cell repeated from the page before
    anchor: str = ""  # its id, for links to it (renaksi.planning.checks)


@dataclass(frozen=True)
class RowMark:
    """A numbered marker on a row pointing at a note listed elsewhere on the page (an import
    preview marks its judgement calls and unplaced cells on the rows they concern)."""

    anchor: str
    label: str
    kind: str
    note: str = ""  # the note's text, shown on hover


@dataclass(frozen=True)
class BodyRow:
    index: int
    has_line: bool
    cells: list[Cell]
    marks: tuple[RowMark, ...] = ()
    line_key: int | None = None  # the line's id, for links from the row to the line

    @property
    def cells_html(self) -> SafeString:
        """The row's ``<td>`` cells (:mod:`renaksi.planning.row_html`)."""
        return cells_html(self)


@dataclass(frozen=True)
class GoalSection:
    """The rows of one strategic goal (or of a headerless group) and its subtotal row."""

    anchor: str
    number: str  # "" for a headerless group
    subtotal_label: Text
    subtotal: str
    rows: list[BodyRow]
    complete: bool = True  # False when the goal goes on on the next page (no subtotal row yet)
    goal_anchor: str = ""  # its id on a page of a paged table


@dataclass(frozen=True)
class HeaderColumn:
    label: str
    month_name: str = ""


@dataclass(frozen=True)
class CodeTotal:
    code: str
    total: str
    level: int = 1  # 1 for the top of a roll-up (kegiatan)
    level_name: str = ""
    name: str = ""  # the code's name in the reference table (loaded by the site admin)


@dataclass(frozen=True)
class GoalTotal:
    """A strategic goal's total in the recap, linked to its subtotal row."""

    number: str
    text: Text
    total: str
    anchor: str


@dataclass(frozen=True)
class Figure:
    label: Text
    value: int | str


@dataclass
class PlanPage:
    plan: Plan
    title: str
    signing_unit: str
    agency_label: str
    agency_name: str
    status: str
    updated_on: str
    leading_columns: tuple[str, ...]
    schedule_label: str
    months: list[HeaderColumn]
    trailing_columns: list[str]
    sections: list[GoalSection]
    grand_total: str
    label_colspan: int
    after_cost_colspan: int
    code_totals: list[CodeTotal]
    code_levels: list[CodeTotal]
    uncoded_total: str
    figures: list[Figure]
    has_schedule: bool
    flagged_program_goals: list[tuple[str, str]] = field(default_factory=list)
    # A big plan's page (renaksi.planning.paging): one page of rows, the pager and the goal index;
    # the recaps list the largest entries and sum the rest in one row.
    pager: Pager | None = None
    goal_index: list[GoalEntry] = field(default_factory=list)
    show_grand_total: bool = True
    code_rest: CodeTotal | None = None
    level_rest: CodeTotal | None = None
    checks: PlanChecks | None = None  # the plan's checks, on the planners' page (not the portal's)
    goal_totals: list[GoalTotal] = field(default_factory=list)  # a whole plan's (a paged one has goal_index)

    @property
    def line_cards_html(self) -> SafeString:
        """The per-line view shown on a phone instead of the table (:mod:`renaksi.planning.row_html`)."""
        return line_cards_html(self.sections)


def _note(review_note: str) -> str:
    """A review note in the page's language (an empty one stays empty: gettext("") is the header)."""
    return gettext(review_note) if review_note else ""


def plan_page(plan: Plan, tree: PlanTree, *, public: bool = False) -> PlanPage:
    """The plan page; ``public`` is the portal's version: without the internal remarks (KET),
    the persons in charge and the importer's review notes."""
    rows = table_rows(tree)
    totals = plan_totals(tree)
    show_pic = not public and names_persons_in_charge(rows)
    trailing = trailing_columns(pic=show_pic, remarks=not public)
    program_goals = list(tree.program_goals())
    # A review note is a whole msgid of the catalog (the recognizer's, or a person's own text).
    flagged = [] if public else [(pg.text, _note(pg.review_note)) for pg in program_goals if pg.needs_review]
    sections = _goal_sections(rows, totals, show_pic, public)
    page = PlanPage(
        plan=plan,
        title=plan_title(plan.title, plan.year),
        signing_unit=plan.signing_unit,
        agency_label=plan.agency_label,
        agency_name=plan.agency.name,
        status=plan.get_status_display(),
        updated_on=local_date(plan.updated_at, plan.agency.time_zone),
        leading_columns=LEADING_COLUMNS,
        schedule_label=COLUMN_SCHEDULE,
        months=[HeaderColumn(str(number), name) for number, name in enumerate(MONTH_NAMES_ID, 1)],
        trailing_columns=trailing,
        sections=sections,
        grand_total=format_rupiah(totals.grand_total),
        label_colspan=len(LEADING_COLUMNS) + 12,
        after_cost_colspan=len(trailing) - 1,
        code_totals=[CodeTotal(code, format_rupiah(total)) for code, total in totals.by_code.items()],
        code_levels=[_code_level(prefix, total) for prefix, total in totals.by_code_level.items()],
        uncoded_total=format_rupiah(totals.grand_total - sum(totals.by_code.values())),
        figures=_figures(tree, totals, public),
        has_schedule=any(line.months for line in tree.lines()),
        flagged_program_goals=flagged,
        goal_totals=[
            GoalTotal(
                section.number,
                goal.text if section.number else HEADERLESS_GOAL.render(gettext),
                section.subtotal,
                section.anchor,
            )
            for section, (goal, _total) in zip(sections, totals.by_goal, strict=True)
        ],
    )
    return name_codes(page)


def name_codes(page: PlanPage) -> PlanPage:
    """The page with each code of its recaps named from the reference table (one query)."""
    from renaksi.budget.presenters import code_names  # the reference names, as the pagu page reads them

    names = code_names([item.code for item in (*page.code_totals, *page.code_levels)])
    if names:
        page.code_totals = [replace(item, name=names.get(item.code, "")) for item in page.code_totals]
        page.code_levels = [replace(item, name=names.get(item.code, "")) for item in page.code_levels]
    return page


def _goal_sections(
    rows: list[TableRow], totals: PlanTotals, show_pic: bool, public: bool = False
) -> list[GoalSection]:
    by_goal: dict[int, list[TableRow]] = defaultdict(list)
    for row in rows:
        by_goal[id(row.goal)].append(row)
    sections = []
    for position, (goal, total) in enumerate(totals.by_goal, 1):
        goal_rows = by_goal.get(id(goal), [])
        label = goal_subtotal_label(goal).render(gettext)
        anchor = f"jumlah-tanpa-sasaran-{position}" if goal.is_headerless else f"jumlah-sasaran-{position}"
        sections.append(
            GoalSection(
                anchor=anchor,
                number=goal.number or "",
                subtotal_label=label,
                subtotal=format_rupiah(total),
                rows=[_body_row(row, show_pic, public) for row in goal_rows],
            )
        )
    return sections


def _body_row(
    row: TableRow, show_pic: bool, public: bool = False, continued: frozenset[str] = frozenset()
) -> BodyRow:
    """One row's cells; ``continued`` names the merged cells repeated from the page before."""
    goal, program_goal, indicator, line = row.goal, row.program_goal, row.indicator, row.line
    cells: list[Cell] = []
    flagged = program_goal.needs_review and not public
    if row.goal_span:
        more = " is-continued" if "goal" in continued else ""
        on = "goal" in continued
        if goal.is_headerless:
            cells.append(Cell("no", "", row.goal_span, "no" + more, continued=on))
            cells.append(
                Cell(
                    "goal", HEADERLESS_GOAL.render(gettext), row.goal_span, "goal muted" + more, continued=on
                )
            )
        else:
            cells.append(Cell("no", goal.number or "", row.goal_span, "no" + more, continued=on))
            cells.append(Cell("goal", goal.text, row.goal_span, "goal" + more, continued=on))
    if row.program_goal_span:
        on = "program_goal" in continued
        cells.append(
            Cell(
                "program_goal",
                program_goal.text,
                row.program_goal_span,
                ("program-goal needs-review" if flagged else "program-goal")
                + (" is-continued" if on else ""),
                flagged=flagged,
                review_note=_note(program_goal.review_note) if flagged else "",
                continued=on,
                anchor=f"sasaran-program-{program_goal.key}"
                if program_goal.key is not None and not on
                else "",
            )
        )
    if row.indicator_span:
        on = "indicator" in continued
        more = " is-continued" if on else ""
        anchor = f"indikator-{indicator.key}" if indicator.key is not None and not on else ""
        cells.append(
            Cell(
                "indicator",
                indicator.text,
                row.indicator_span,
                "indicator" + more,
                continued=on,
                anchor=anchor,
            )
        )
        cells.append(Cell("target", indicator.target, row.indicator_span, "target" + more, continued=on))
    if row.activity_span:
        on = "activity" in continued
        css = "activity is-continued" if on else "activity"
        cells.append(Cell("activity", row.activity, row.activity_span, css, continued=on))
    cells.append(Cell("line", line.name if line else "", 1, "line"))
    for month, scheduled in enumerate(row.months, 1):
        css = "month is-scheduled" if scheduled else "month"
        cells.append(Cell(f"month-{month}", "", 1, css, scheduled=scheduled))
    cells.append(Cell("cost", cost_text(line), 1, "num cost"))
    cells.append(Cell("code", line.budget_code if line else "", 1, "code"))
    if not public:
        cells.append(Cell("remarks", line.remarks if line else "", 1, "remarks"))
    if show_pic:
        cells.append(Cell("pic", line.person_in_charge if line else "", 1, "pic"))
    return BodyRow(
        index=row.index, has_line=line is not None, cells=cells, line_key=line.key if line else None
    )


def _code_level(prefix: str, total: int) -> CodeTotal:
    depth = prefix.count(".") + 1
    if depth == 1:
        level_name = _CODE_LEVEL_NAMES["kegiatan"]
    else:
        try:
            level_name = _CODE_LEVEL_NAMES[parse_budget_code(prefix).levels()[-1][0]]
        except BudgetCodeError:
            level_name = ""
    return CodeTotal(prefix, format_rupiah(total), level=min(depth, 6), level_name=level_name)


def _figures(tree: PlanTree, totals: PlanTotals, public: bool = False) -> list[Figure]:
    program_goals = list(tree.program_goals())
    return counted_figures(
        totals,
        program_goals=len(program_goals),
        flagged=None if public else sum(1 for pg in program_goals if pg.needs_review),
        indicators=sum(1 for _ind in tree.indicators()),
    )


def counted_figures(
    totals: PlanTotals, *, program_goals: int, flagged: int | None, indicators: int
) -> list[Figure]:
    """The plan's figures; ``flagged`` is None on the public page (the review flags are internal)."""
    review = [] if flagged is None else [Figure(_("Sasaran program perlu ditinjau"), flagged)]
    return [
        Figure(_("Sasaran strategis"), sum(1 for goal, _total in totals.by_goal if not goal.is_headerless)),
        Figure(_("Sasaran program"), program_goals),
        *review,
        Figure(_("Indikator kinerja"), indicators),
        Figure(_("Rencana kegiatan"), totals.lines),
        Figure(_("Rencana kegiatan dengan biaya"), totals.lines_with_cost),
        Figure(_("Rencana kegiatan bertanda “-”"), totals.lines_marked_none),
        Figure(_("Rencana kegiatan tanpa sel biaya"), totals.lines_without_cost_cell),
        Figure(_("Kode akun"), len(totals.by_code)),
        Figure(_("Jumlah total"), format_rupiah(totals.grand_total)),
    ]


def local_date(moment: datetime, zone_name: str) -> str:
    """``29 November 2026``: the day in the agency's zone, month named in the active language."""
    return dateformat.format(timezone.localtime(moment, agency_zone(zone_name)), "j F Y")
