"""Plan lint: the mistakes a reviewer would circle in red before a plan is approved.

A finding's ``where`` and ``message`` are :class:`~renaksi.core.messages.Message` s: Indonesian as
``str()``, in any language with ``render(gettext)``; ``rule`` is a stable id for scripts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from renaksi.core.messages import Message, gettext_noop, msg
from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.core.targets import TargetError, TargetKind, parse_target

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    where: Message  # "indikator 12", "rencana kegiatan 7"
    message: Message
    # The node it concerns, for a link to its row: "indicator" or "line", and the node's key
    # (its database id; None for a tree not saved yet).
    subject: str = ""
    key: int | None = None


def lint(tree: PlanTree) -> list[Finding]:
    findings: list[Finding] = []
    line_no = 0
    seen: Counter[tuple[str, ...]] = Counter()
    for ind_no, indicator in enumerate(tree.indicators(), 1):
        where = msg(gettext_noop("indikator {number}"), number=ind_no)
        if not indicator.target.strip():
            findings.append(
                Finding(
                    ERROR,
                    "indicator-without-target",
                    where,
                    msg(gettext_noop("{text!r} tidak punya target"), text=indicator.text),
                    "indicator",
                    indicator.key,
                )
            )
        elif percent_over_100(indicator.target):
            findings.append(
                Finding(
                    ERROR,
                    "percent-over-100",
                    where,
                    msg(gettext_noop("target {target!r} melebihi 100%"), target=indicator.target),
                    "indicator",
                    indicator.key,
                )
            )
        if not indicator.lines:
            findings.append(
                Finding(
                    WARNING,
                    "indicator-without-lines",
                    where,
                    msg(gettext_noop("{text!r} tidak punya Rencana Kegiatan"), text=indicator.text),
                    "indicator",
                    indicator.key,
                )
            )
        for line in indicator.lines:
            line_no += 1
            lwhere = msg(gettext_noop("rencana kegiatan {number}"), number=line_no)
            if line.cost_state is CostState.AMOUNT and not line.budget_code:
                findings.append(
                    Finding(
                        ERROR,
                        "cost-without-code",
                        lwhere,
                        msg(gettext_noop("{name!r} punya biaya tetapi tidak punya AKUN"), name=line.name),
                        "line",
                        line.key,
                    )
                )
            if line.budget_code and line.cost_state is not CostState.AMOUNT:
                findings.append(
                    Finding(
                        ERROR,
                        "code-without-cost",
                        lwhere,
                        msg(
                            gettext_noop("{name!r} punya AKUN {code} tetapi tidak punya biaya"),
                            name=line.name,
                            code=line.budget_code,
                        ),
                        "line",
                        line.key,
                    )
                )
            if not line.months:
                findings.append(
                    Finding(
                        WARNING,
                        "no-month-scheduled",
                        lwhere,
                        msg(gettext_noop("{name!r} tidak dijadwalkan di bulan mana pun"), name=line.name),
                        "line",
                        line.key,
                    )
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
                        msg(
                            gettext_noop("{name!r} muncul dua kali di bawah indikator yang sama"),
                            name=line.name,
                        ),
                        "line",
                        line.key,
                    )
                )
    return findings


def percent_over_100(target_text: str) -> bool:
    """Whether a target is a percent (or a range of percents) above 100 (``120%``, ``90 - 110%``)."""
    try:
        target = parse_target(target_text)
    except TargetError:
        return False
    if target.kind not in (TargetKind.PERCENT, TargetKind.RANGE) or target.unit != "%":
        return False
    high = target.upper if target.upper is not None else target.value
    return high is not None and high > Decimal(100)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
