"""The plan's checks beside its table: the lint findings (:func:`renaksi.core.lint.lint`) and the
program goals an import flagged for review, each linked to the row of the table it concerns.

Rows carry stable anchors (``baris-<line id>`` on a line's row, ``indikator-<id>`` and
``sasaran-program-<id>`` on the first cell of an indicator and a program goal). On a paged plan
(:mod:`renaksi.planning.paging`) a link names the page the row is on: ``?halaman=N#baris-<id>``.

A small plan is checked whole, on its :func:`~renaksi.planning.services.load_tree` (the tree its
page prints). A big one is never loaded whole (linting 44,000 lines took seconds and found
thousands of things no panel can list): the panel counts each rule over the whole plan with
aggregate queries (:func:`database_counts`) and lists the findings on the rows of the page shown,
from the part of the tree that page loaded, numbered as in the whole plan ("rencana kegiatan 7"
as ``renaksi check`` prints it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Count, Q
from django.db.models.functions import Trim
from django.utils.translation import gettext, gettext_lazy

from renaksi.core.lint import ERROR, WARNING, Finding, lint, percent_over_100
from renaksi.core.messages import Message
from renaksi.core.plan_tree import PlanTree
from renaksi.planning.models import Indicator, Plan, SubActivity
from renaksi.planning.outline import PlanCounts, PlanOutline

REVIEW = "review"


def line_anchor(key: int) -> str:
    return f"baris-{key}"


def indicator_anchor(key: int) -> str:
    return f"indikator-{key}"


def program_goal_anchor(key: int) -> str:
    return f"sasaran-program-{key}"


@dataclass(frozen=True)
class CheckItem:
    severity: str  # ERROR, WARNING or REVIEW
    rule: str
    where: str
    message: str
    anchor: str  # the id of the row (or first cell) it concerns; "" when it has none
    page: int | None = None  # the page of a paged plan the row is on

    @property
    def href(self) -> str:
        if not self.anchor:
            return ""
        return f"?halaman={self.page}#{self.anchor}" if self.page is not None else f"#{self.anchor}"


RULE_LABELS = {
    "indicator-without-target": gettext_lazy("Indikator tanpa target"),
    "percent-over-100": gettext_lazy("Target persen di atas 100%"),
    "cost-without-code": gettext_lazy("Biaya tanpa AKUN"),
    "code-without-cost": gettext_lazy("AKUN tanpa biaya"),
    "duplicate-line": gettext_lazy("Rencana kegiatan ganda"),
    "needs-review": gettext_lazy("Ditandai impor untuk ditinjau"),
    "indicator-without-lines": gettext_lazy("Indikator tanpa rencana kegiatan"),
    "no-month-scheduled": gettext_lazy("Rencana kegiatan belum dijadwalkan"),
}
RULE_SEVERITY = {
    "indicator-without-target": ERROR,
    "percent-over-100": ERROR,
    "cost-without-code": ERROR,
    "code-without-cost": ERROR,
    "duplicate-line": ERROR,
    "needs-review": REVIEW,
    "indicator-without-lines": WARNING,
    "no-month-scheduled": WARNING,
}


@dataclass(frozen=True)
class RuleCount:
    rule: str
    severity: str
    label: str
    count: int


@dataclass
class PlanChecks:
    """The findings listed (a whole plan's, or on a paged plan the current page's) and the count
    of each rule over the whole plan."""

    items: list[CheckItem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # rule -> findings in the whole plan
    paged: bool = False  # items are the current page's only

    def total(self, severity: str) -> int:
        return sum(count for rule, count in self.counts.items() if RULE_SEVERITY.get(rule) == severity)

    @property
    def errors(self) -> int:
        return self.total(ERROR)

    @property
    def warnings(self) -> int:
        return self.total(WARNING)

    @property
    def reviews(self) -> int:
        return self.total(REVIEW)

    @property
    def rules(self) -> list[RuleCount]:
        return [
            RuleCount(rule, RULE_SEVERITY[rule], str(label), self.counts[rule])
            for rule, label in RULE_LABELS.items()
            if self.counts.get(rule)
        ]


def plan_checks(tree: PlanTree, page_rows: int | None = None) -> PlanChecks:
    """The checks of a whole plan's tree (its :func:`~renaksi.planning.services.load_tree`);
    ``page_rows``: the page size when its table is shown in pages (each link then names its page)."""
    rows = _first_rows(tree)
    items = _items(tree, rows)
    if page_rows is not None:
        items = [
            replace(item, page=rows[item.anchor] // page_rows + 1) if item.anchor in rows else item
            for item in items
        ]
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.rule] += 1
    return PlanChecks(items, dict(counts))


def page_checks(
    tree: PlanTree,
    *,
    offset: int,
    start: int,
    stop: int,
    number: int,
    lines_above: int,
    indicators_above: int,
    program_goals_above: int,
    counts: dict[str, int],
) -> PlanChecks:
    """The checks of one page of a paged plan: the findings on rows ``start`` to ``stop`` of the
    part ``tree`` of the plan that starts at row ``offset`` (:func:`renaksi.planning.outline.page_tree`),
    numbered as in the whole plan (``*_above``: how many of each are printed above ``tree``), and
    the whole plan's ``counts`` per rule (summed by the database)."""
    rows = {anchor: offset + row for anchor, row in _first_rows(tree).items()}
    items = [
        replace(item, page=number)
        for item in _items(
            tree,
            rows,
            lines_above=lines_above,
            indicators_above=indicators_above,
            pgs_above=program_goals_above,
        )
        if start <= rows.get(item.anchor, -1) < stop
    ]
    return PlanChecks(items, counts, paged=True)


def _items(
    tree: PlanTree,
    rows: dict[str, int],
    *,
    lines_above: int = 0,
    indicators_above: int = 0,
    pgs_above: int = 0,
) -> list[CheckItem]:
    items = []
    for finding in lint(tree):
        anchor = _anchor(finding)
        above = lines_above if finding.subject == "line" else indicators_above
        where = finding.where
        if above and "number" in where.params:
            where = Message(where.template, {**where.params, "number": where.params["number"] + above})
        items.append(
            CheckItem(
                severity=finding.severity,
                rule=finding.rule,
                where=where.render(gettext),
                message=finding.message.render(gettext),
                anchor=anchor,
            )
        )
    number = pgs_above
    for goal in tree.goals:
        for program_goal in goal.program_goals:
            number += 1
            if not program_goal.needs_review:
                continue
            note = program_goal.review_note
            items.append(
                CheckItem(
                    severity=REVIEW,
                    rule="needs-review",
                    where=gettext("sasaran program %(number)s") % {"number": number},
                    message=f"{program_goal.text}: {gettext(note)}" if note else program_goal.text,
                    anchor=program_goal_anchor(program_goal.key) if program_goal.key is not None else "",
                )
            )
    order = {ERROR: 0, REVIEW: 1, WARNING: 2}
    items.sort(key=lambda item: order.get(item.severity, 3))  # stable: printed order within each
    return items


def _anchor(finding: Finding) -> str:
    if finding.key is None:
        return ""
    if finding.subject == "line":
        return line_anchor(finding.key)
    if finding.subject == "indicator":
        return indicator_anchor(finding.key)
    return ""


def _first_rows(tree: PlanTree) -> dict[str, int]:
    """The printed row (0-based) each anchor is on, counted as :func:`renaksi.core.table.table_rows`
    lays the table out (a node with nothing under it prints one row), without building the rows."""
    rows: dict[str, int] = {}
    row = 0
    for goal in tree.goals:
        if not goal.program_goals:
            row += 1
        for program_goal in goal.program_goals:
            if program_goal.key is not None:
                rows[program_goal_anchor(program_goal.key)] = row
            if not program_goal.indicators:
                row += 1
            for indicator in program_goal.indicators:
                if indicator.key is not None:
                    rows[indicator_anchor(indicator.key)] = row
                if not indicator.lines:
                    row += 1
                for line in indicator.lines:
                    if line.key is not None:
                        rows[line_anchor(line.key)] = row
                    row += 1
    return rows


def database_counts(plan: Plan, outline: PlanOutline, counts: PlanCounts) -> dict[str, int]:
    """The whole plan's count of each rule, from aggregate queries: what counting the findings of
    :func:`plan_checks` on its whole tree gives, but for two readings made cheaper on purpose: a
    duplicate is the same line (name, Kegiatan, code, cost, exact case) under the same indicator
    row, and a blank target is blank once SQL ``TRIM`` took its spaces."""
    # Blank targets and percent targets in one query; the percent texts are few, each read once.
    targets = list(
        Indicator.objects.of_plan(plan)
        .annotate(trimmed=Trim("target_text"))
        .filter(Q(trimmed="") | Q(target_text__contains="%"))
        .values_list("target_text", flat=True)
    )
    over = {text for text in set(targets) if "%" in text and _may_exceed_100(text) and percent_over_100(text)}
    without_target = sum(1 for text in targets if not text.strip())
    # Lines repeated under one indicator, grouped by the columns themselves (no join).
    duplicates = (
        SubActivity.objects.of_plan(plan)
        .order_by()
        .values("indicator_id", "activity_id", "name", "budget_code", "cost")
        .annotate(copies=Count("id"))
        .filter(copies__gte=2)
        .count()
    )
    flagged = counts.program_goals_flagged
    return {
        "indicator-without-target": without_target,
        "percent-over-100": sum(1 for text in targets if text in over),
        "cost-without-code": counts.cost_without_code,
        "code-without-cost": counts.code_without_cost,
        "duplicate-line": duplicates,
        "needs-review": flagged,
        "indicator-without-lines": outline.lineless_indicators,
        "no-month-scheduled": counts.unscheduled,
    }


_NUMBER = re.compile(r"\d[\d.,]*")


def _may_exceed_100(text: str) -> bool:
    """Whether a number in ``text`` could be 100 or more, however it is written (``1.000``,
    ``100,5``, ``97.5``): a cheap test before the target parser, which says for sure. Its whole
    part is what stands before the last comma, with the dots dropped; a false alarm costs a parse."""
    for number in _NUMBER.findall(text):
        whole = number.rsplit(",", 1)[0] if "," in number else number
        digits = whole.replace(".", "").replace(",", "")
        if digits and int(digits) >= 100:
            return True
    return False
