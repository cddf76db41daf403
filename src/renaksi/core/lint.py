"""Plan lint: the mistakes a reviewer would circle in red before a plan is approved."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.core.targets import TargetError, TargetKind, parse_target

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    where: str  # "indicator 12", "line 7"
    message: str


def lint(tree: PlanTree) -> list[Finding]:
    findings: list[Finding] = []
    line_no = 0
    seen: Counter[tuple[str, ...]] = Counter()
    for ind_no, indicator in enumerate(tree.indicators(), 1):
        where = f"indicator {ind_no}"
        if not indicator.target.strip():
            findings.append(
                Finding(ERROR, "indicator-without-target", where, f"{indicator.text!r} has no target")
            )
        else:
            try:
                target = parse_target(indicator.target)
            except TargetError:
                target = None
            if (
                target is not None
                and target.kind in (TargetKind.PERCENT, TargetKind.RANGE)
                and target.unit == "%"
            ):
                high = target.upper if target.upper is not None else target.value
                if high is not None and high > Decimal(100):
                    findings.append(
                        Finding(ERROR, "percent-over-100", where, f"target {indicator.target!r} is over 100%")
                    )
        if not indicator.lines:
            findings.append(
                Finding(
                    WARNING, "indicator-without-lines", where, f"{indicator.text!r} has no Rencana Kegiatan"
                )
            )
        for line in indicator.lines:
            line_no += 1
            lwhere = f"line {line_no}"
            if line.cost_state is CostState.AMOUNT and not line.budget_code:
                findings.append(
                    Finding(ERROR, "cost-without-code", lwhere, f"{line.name!r} has a cost but no AKUN")
                )
            if line.budget_code and line.cost_state is not CostState.AMOUNT:
                findings.append(
                    Finding(
                        ERROR,
                        "code-without-cost",
                        lwhere,
                        f"{line.name!r} has AKUN {line.budget_code} but no cost",
                    )
                )
            if not line.months:
                findings.append(
                    Finding(WARNING, "no-month-scheduled", lwhere, f"{line.name!r} has no month scheduled")
                )
            key = (
                indicator.text.casefold(),
                line.activity.casefold(),
                line.name.casefold(),
                line.budget_code,
                str(line.cost),
            )
            seen[key] += 1
            if seen[key] == 2:
                findings.append(
                    Finding(
                        ERROR,
                        "duplicate-line",
                        lwhere,
                        f"{line.name!r} appears twice under the same indicator",
                    )
                )
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
