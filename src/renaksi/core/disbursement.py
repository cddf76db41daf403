"""The disbursement plan (RPD, Rencana Penarikan Dana): planned spending per month per line, and
its roll-up per budget-code level and per plan as the monthly and cumulative curve (the shape of
Halaman III DIPA: Januari..Desember, cumulative, and per quarter).

A line's months come either from a hand-entered row (twelve integer Rupiah amounts, which must
sum to the line's cost) or, by default, from spreading its cost over its scheduled months
(:func:`spread_cost`). Spreading is integer arithmetic: every scheduled month gets the cost
divided by their number, and the remainder (fewer Rupiah than months) goes one Rupiah at a time
to the earliest scheduled months, so the months sum exactly to the cost, never differ by more
than one Rupiah, and the same line always spreads the same way. A line with a cost but no
scheduled month is reported, never guessed; so is a hand-entered row that does not sum to its
line's cost (it is still what the curve shows: the person's figures, not a replacement).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.core.money import format_rupiah

__all__ = [
    "MONTHS",
    "Curve",
    "DisbursementIssue",
    "DisbursementLine",
    "LineDisbursement",
    "RpdPlan",
    "check_manual_row",
    "curve_of",
    "plan_disbursement",
    "quarter_progress",
    "spread_cost",
]

MONTHS = 12

#: How a line's months were found.
SPREAD, MANUAL, NONE = "spread", "manual", "none"
#: The kinds of issue a line can have.
NO_MONTHS, MANUAL_MISMATCH = "no_months", "manual_mismatch"


def spread_cost(cost: int, months: Iterable[int]) -> tuple[int, ...]:
    """Twelve monthly amounts (Januari first) summing exactly to ``cost`` over ``months``.

    ``months`` are month numbers 1..12 (duplicates count once). Each scheduled month gets
    ``cost // n``; the remainder goes one Rupiah each to the earliest scheduled months.
    Raises ``ValueError`` for a negative cost, a month outside 1..12, or a cost over no month.
    """
    if cost < 0:
        raise ValueError(f"a cost is never negative: {cost}")
    scheduled = sorted(set(months))
    if any(not 1 <= month <= MONTHS for month in scheduled):
        raise ValueError(f"months are 1..12: {scheduled}")
    amounts = [0] * MONTHS
    if not scheduled:
        if cost:
            raise ValueError("a cost cannot be spread over no month")
        return tuple(amounts)
    share, remainder = divmod(cost, len(scheduled))
    for position, month in enumerate(scheduled):
        amounts[month - 1] = share + (1 if position < remainder else 0)
    return tuple(amounts)


def check_manual_row(cost: int | None, amounts: Sequence[int]) -> Message | None:
    """Why a hand-entered row cannot stand for its line (``None``: it can): twelve non-negative
    integer amounts summing to the line's cost (no cost counts as 0)."""
    if len(amounts) != MONTHS:
        return msg(gettext_noop("RPD harus berisi 12 bulan, bukan {count}"), count=len(amounts))
    if any(isinstance(amount, bool) or not isinstance(amount, int) or amount < 0 for amount in amounts):
        return msg(gettext_noop("setiap bulan RPD harus berupa jumlah Rupiah bulat yang tidak negatif"))
    expected = cost or 0
    total = sum(amounts)
    if total != expected:
        return msg(
            gettext_noop("jumlah RPD per bulan {total} tidak sama dengan perkiraan biaya {cost}"),
            total=format_rupiah(total),
            cost=format_rupiah(expected),
        )
    return None


@dataclass(frozen=True)
class DisbursementLine:
    """What the RPD needs of one plan line."""

    line_id: int
    name: str
    cost: int | None
    months: tuple[int, ...]  # the scheduled months
    budget_code: str = ""
    manual: tuple[int, ...] | None = None  # a hand-entered row, when there is one


@dataclass(frozen=True)
class LineDisbursement:
    line: DisbursementLine
    amounts: tuple[int, ...]  # twelve, Januari first
    source: str  # SPREAD, MANUAL or NONE (no cost, or a cost that could not be placed)


@dataclass(frozen=True)
class DisbursementIssue:
    line: DisbursementLine
    kind: str  # NO_MONTHS or MANUAL_MISMATCH
    message: Message


@dataclass(frozen=True)
class Curve:
    """Monthly amounts and what follows from them: the cumulative curve, quarters, the total."""

    monthly: tuple[int, ...]

    @property
    def cumulative(self) -> tuple[int, ...]:
        running, result = 0, []
        for amount in self.monthly:
            running += amount
            result.append(running)
        return tuple(result)

    @property
    def quarterly(self) -> tuple[int, ...]:
        return tuple(sum(self.monthly[quarter * 3 : quarter * 3 + 3]) for quarter in range(4))

    @property
    def cumulative_quarterly(self) -> tuple[int, ...]:
        cumulative = self.cumulative
        return tuple(cumulative[quarter * 3 + 2] for quarter in range(4))

    @property
    def total(self) -> int:
        return sum(self.monthly)


def curve_of(rows: Iterable[Sequence[int]]) -> Curve:
    """The month-by-month sum of twelve-month rows."""
    monthly = [0] * MONTHS
    for row in rows:
        for index, amount in enumerate(row):
            monthly[index] += amount
    return Curve(tuple(monthly))


@dataclass(frozen=True)
class RpdPlan:
    """The RPD of a plan: each line's months, what could not be placed, and the roll-ups."""

    lines: tuple[LineDisbursement, ...]
    issues: tuple[DisbursementIssue, ...]
    total: Curve
    by_code: Mapping[str, Curve]  # every roll-up key (3358, 3358.EBC, ...), in code order
    planned_cost: int  # the sum of the lines' costs, which ``total`` equals when nothing is reported

    @property
    def balanced(self) -> bool:
        """Whether the curve's total is the plan's cost (nothing left out, no row off)."""
        return self.total.total == self.planned_cost


def _line_rows(line: DisbursementLine) -> tuple[LineDisbursement, DisbursementIssue | None]:
    cost = line.cost or 0
    if line.manual is not None:
        problem = check_manual_row(line.cost, line.manual)
        if problem is None:
            return LineDisbursement(line, tuple(line.manual), MANUAL), None
        amounts = tuple(line.manual) if len(line.manual) == MONTHS else (0,) * MONTHS
        return LineDisbursement(line, amounts, MANUAL), DisbursementIssue(line, MANUAL_MISMATCH, problem)
    if cost and not line.months:
        issue = DisbursementIssue(
            line,
            NO_MONTHS,
            msg(
                gettext_noop("baris berbiaya {cost} tanpa bulan pelaksanaan: RPD-nya tidak dapat dibagi"),
                cost=format_rupiah(cost),
            ),
        )
        return LineDisbursement(line, (0,) * MONTHS, NONE), issue
    if not cost:
        return LineDisbursement(line, (0,) * MONTHS, NONE), None
    return LineDisbursement(line, spread_cost(cost, line.months), SPREAD), None


def _rollup_keys(code: str) -> list[str]:
    if not code:
        return []
    try:
        return parse_budget_code(code).rollup_keys()
    except BudgetCodeError:
        return []  # not a code (the plan's checks flag it): in the plan's total only


def plan_disbursement(lines: Iterable[DisbursementLine]) -> RpdPlan:
    """Each line's months, the issues, and the curves per roll-up key and for the whole plan."""
    placed: list[LineDisbursement] = []
    issues: list[DisbursementIssue] = []
    by_code: dict[str, list[int]] = defaultdict(lambda: [0] * MONTHS)
    planned = 0
    for line in lines:
        row, issue = _line_rows(line)
        placed.append(row)
        planned += line.cost or 0
        if issue is not None:
            issues.append(issue)
        for key in _rollup_keys(line.budget_code):
            sums = by_code[key]
            for index, amount in enumerate(row.amounts):
                sums[index] += amount
    return RpdPlan(
        lines=tuple(placed),
        issues=tuple(issues),
        total=curve_of(row.amounts for row in placed),
        by_code={key: Curve(tuple(by_code[key])) for key in sorted(by_code)},
        planned_cost=planned,
    )


#: The cumulative absorption the Ministry of Finance scores a satker by at the end of TW I-IV
#: (percent of the year's budget): a disbursement plan below them plans to miss them.
ABSORPTION_TARGETS: tuple[int, ...] = (15, 40, 60, 90)


@dataclass(frozen=True)
class QuarterProgress:
    quarter: int
    cumulative: int
    percent: Decimal | None  # of the base, one decimal; None when the base is 0
    target: int

    @property
    def below_target(self) -> bool:
        return self.percent is not None and self.percent < self.target


def quarter_progress(
    curve: Curve, base: int, targets: Sequence[int] = ABSORPTION_TARGETS
) -> list[QuarterProgress]:
    """The curve's cumulative sum at each quarter's end as a percent of ``base`` (the year's
    budget), beside the absorption target of that quarter. Exact decimal arithmetic, rounded half
    up to one decimal."""
    result = []
    for quarter, (cumulative, target) in enumerate(zip(curve.cumulative_quarterly, targets, strict=True), 1):
        percent = (
            (Decimal(cumulative) * 100 / Decimal(base)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if base
            else None
        )
        result.append(QuarterProgress(quarter, cumulative, percent, target))
    return result
