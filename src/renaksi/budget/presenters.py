"""What the ceiling and RPD pages show: planned cost against ceiling at every code level with the
codes' reference names, the plan's RPD and its curves, and the chart's geometry (server-drawn SVG)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _

from renaksi.agencies.models import BudgetCodeName
from renaksi.budget.models import Ceiling, LineDisbursement
from renaksi.core.ceilings import CeilingCheck, compare_ceilings, count_verdicts
from renaksi.core.disbursement import (
    Curve,
    DisbursementLine,
    QuarterProgress,
    RpdPlan,
    plan_disbursement,
    quarter_progress,
)
from renaksi.core.money import format_rupiah
from renaksi.core.schedule import MONTH_ABBR_ID, Schedule
from renaksi.planning.models import Plan, SubActivity

LEVEL_LABELS = dict(BudgetCodeName.Level.choices)

#: How deep the per-code tables go (``?tingkat=``): the number of dots in the deepest key shown.
DEPTHS: dict[str, int | None] = {"kegiatan": 0, "kro": 1, "ro": 2, "semua": None}
#: Above this many codes a table starts at Kegiatan and KRO only (a person asks for more): a plan
#: whose lines carry thousands of distinct full codes would otherwise be a page of megabytes.
ROWS_SHOWN_IN_FULL = 300
LINES_PER_PAGE = 100
#: A page's per-code table never holds more rows than this (the files hold every code).
MAX_TABLE_ROWS = 500


def rows_at(depth: str, keys: Iterable[str]) -> int:
    """How many of ``keys`` a table of ``depth`` holds (before :data:`MAX_TABLE_ROWS`)."""
    return sum(1 for key in keys if within(depth, key))


def chosen_depth(requested: str | None, keys: Iterable[str]) -> str:
    """The depth asked for, else every level when the codes are few, else down to the KRO."""
    if requested in DEPTHS:
        return requested
    return "semua" if sum(1 for _key in keys) <= ROWS_SHOWN_IN_FULL else "kro"


def within(depth: str, key: str) -> bool:
    limit = DEPTHS[depth]
    return limit is None or key.count(".") <= limit


def code_names(keys: Iterable[str]) -> dict[str, str]:
    """The reference name of each roll-up key: its own row (``3358``, ``3358.EBC.954``), else, for a
    KRO or an akun, which name the same thing wherever they appear, the row of its last segment."""
    keys = list(keys)
    wanted = set(keys) | {key.rsplit(".", 1)[-1] for key in keys}
    stored = dict(BudgetCodeName.objects.filter(code__in=sorted(wanted)).values_list("code", "name"))
    names = {}
    for key in keys:
        last = key.rsplit(".", 1)[-1]
        single = last if "." in key and (last.isalpha() and len(last) == 3 or len(last) == 6) else None
        name = stored.get(key) or (stored.get(single) if single else None)
        if name:
            names[key] = name
    return names


def costs_by_code(plan: Plan) -> dict[str, int]:
    """The plan's line costs summed per budget code as written (the database sums them)."""
    rows = (
        SubActivity.objects.of_plan(plan)
        .exclude(budget_code="")
        .values("budget_code")
        .annotate(total=Sum("cost"))
        .values_list("budget_code", "total")
    )
    totals: dict[str, int] = defaultdict(int)
    for code, total in rows:
        totals[code] += total or 0
    return dict(totals)


@dataclass(frozen=True)
class CeilingRowView:
    check: CeilingCheck
    name: str
    description: str
    level_label: str
    ceiling: Ceiling | None

    @property
    def planned_text(self) -> str:
        return format_rupiah(self.check.planned)

    @property
    def ceiling_text(self) -> str:
        return "—" if self.check.ceiling is None else format_rupiah(self.check.ceiling)

    @property
    def difference_text(self) -> str:
        difference = self.check.difference
        return "—" if difference is None else format_rupiah(difference)


def verdict_label(verdict: str) -> str:
    labels = {
        "over": _("Melebihi pagu"),
        "under": _("Di bawah pagu"),
        "equal": _("Sama dengan pagu"),
        "no_ceiling": _("Tanpa pagu"),
    }
    return labels[verdict]


def ceiling_table(
    plan: Plan, depth: str | None = "semua"
) -> tuple[list[CeilingRowView], dict[str, int], str, int]:
    """One row per code with a ceiling or planned cost, parents first, down to ``depth`` (chosen
    by :func:`chosen_depth` when ``None``) and at most :data:`MAX_TABLE_ROWS`, the verdict counts
    of every code, the depth, and how many rows of that depth were left out."""
    stored = {ceiling.code: ceiling for ceiling in Ceiling.objects.of_plan(plan)}
    every = compare_ceilings(costs_by_code(plan), {code: c.amount for code, c in stored.items()})
    depth = chosen_depth(depth, (check.code for check in every))
    deep_enough = [check for check in every if within(depth, check.code)]
    checks = deep_enough[:MAX_TABLE_ROWS]
    names = code_names(check.code for check in checks)
    rows = [
        CeilingRowView(
            check=check,
            name=names.get(check.code, ""),
            description=stored[check.code].description if check.code in stored else "",
            level_label=str(LEVEL_LABELS.get(check.level, check.level)),
            ceiling=stored.get(check.code),
        )
        for check in checks
    ]
    return rows, count_verdicts(every), depth, len(deep_enough) - len(checks)


def plan_rpd(plan: Plan) -> RpdPlan:
    """The plan's RPD: hand-entered rows where there are, else each line spread over its months."""
    manual = {
        line_id: tuple(amounts)
        for line_id, amounts in LineDisbursement.objects.of_plan(plan).values_list("line_id", "amounts")
    }
    lines = SubActivity.objects.of_plan(plan).order_by("position")
    return plan_disbursement(
        DisbursementLine(
            line_id=line_id,
            name=name,
            cost=cost,
            months=Schedule(mask).months,
            budget_code=code,
            manual=manual.get(line_id),
        )
        for line_id, name, cost, mask, code in lines.values_list(
            "pk", "name", "cost", "schedule_mask", "budget_code"
        )
    )


def absorption_progress(plan: Plan, rpd: RpdPlan) -> tuple[list[QuarterProgress], int, bool]:
    """The RPD's cumulative sum per quarter against the absorption targets, as a percent of the
    plan's ceiling (the sum of its Kegiatan-level ceilings) when it has one, else of its cost;
    also the base and whether it is the ceiling."""
    ceiling = (
        Ceiling.objects.of_plan(plan).exclude(code__contains=".").aggregate(total=Sum("amount"))["total"] or 0
    )
    base = ceiling or rpd.planned_cost
    return quarter_progress(rpd.total, base), base, bool(ceiling)


@dataclass(frozen=True)
class CurveRow:
    """One roll-up's months as the page's table shows them."""

    key: str
    name: str
    curve: Curve

    @property
    def monthly_text(self) -> list[str]:
        return [format_rupiah(amount) for amount in self.curve.monthly]

    @property
    def cumulative_text(self) -> list[str]:
        return [format_rupiah(amount) for amount in self.curve.cumulative]

    @property
    def quarterly_text(self) -> list[str]:
        return [format_rupiah(amount) for amount in self.curve.quarterly]

    @property
    def cumulative_quarterly_text(self) -> list[str]:
        return [format_rupiah(amount) for amount in self.curve.cumulative_quarterly]

    @property
    def total_text(self) -> str:
        return format_rupiah(self.curve.total)


def curve_rows(rpd: RpdPlan, depth: str = "semua") -> list[CurveRow]:
    keys = [key for key in rpd.by_code if within(depth, key)][:MAX_TABLE_ROWS]
    shown = {key: rpd.by_code[key] for key in keys}
    names = code_names(shown)
    return [CurveRow(key, names.get(key, ""), curve) for key, curve in shown.items()]


# --- the chart -------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 760, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 124, 16, 16, 40


def _n(value: float) -> str:
    """A coordinate as SVG reads it: a dot for the decimals whatever the page's language (a
    localized template would write 260,0)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    label: str  # the bar's title, for a pointer and a screen reader


@dataclass(frozen=True)
class Chart:
    width: str
    height: str
    bars: list[Bar]
    line_points: str  # the cumulative curve as an SVG polyline
    ticks: list[tuple[str, str]]  # (y, label) of the vertical axis
    labels: list[tuple[str, str]]  # (x, month) under the bars
    left: str
    right: str
    tick_x: str
    label_y: str


def _tick_step(top: int) -> int:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) reaching ``top`` in at most
    5 gridlines above zero."""
    magnitude = 10 ** (len(str(max(top // 5, 1))) - 1)
    return next(step for f in (1, 2, 2.5, 5, 10, 20) if -(-top // (step := int(f * magnitude))) <= 5)


def rpd_chart(curve: Curve) -> Chart:
    """Monthly bars and the cumulative line on one scale (up to the year's total)."""
    top = max(curve.total, 1)
    step = _tick_step(top)
    scale_top = -(-top // step) * step
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    slot = plot_width / 12
    baseline = _TOP + plot_height

    def y_of(amount: int) -> float:
        return baseline - amount / scale_top * plot_height

    bars, points, labels = [], [], []
    for index, (amount, cumulative) in enumerate(zip(curve.monthly, curve.cumulative, strict=True)):
        x = _LEFT + index * slot
        bars.append(
            Bar(
                x=_n(x + slot * 0.2),
                y=_n(y_of(amount)),
                width=_n(slot * 0.6),
                height=_n(baseline - y_of(amount)),
                label=f"{MONTH_ABBR_ID[index]}: {format_rupiah(amount)}",
            )
        )
        points.append(f"{_n(x + slot / 2)},{_n(y_of(cumulative))}")
        labels.append((_n(x + slot / 2), MONTH_ABBR_ID[index]))
    ticks = [(_n(y_of(value)), format_rupiah(value)) for value in range(0, scale_top + 1, step)]
    return Chart(
        width=_n(CHART_WIDTH),
        height=_n(CHART_HEIGHT),
        bars=bars,
        line_points=" ".join(points),
        ticks=ticks,
        labels=labels,
        left=_n(_LEFT),
        right=_n(CHART_WIDTH - _RIGHT),
        tick_x=_n(_LEFT - 6),
        label_y=_n(baseline + 16),
    )
