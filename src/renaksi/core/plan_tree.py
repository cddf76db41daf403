"""The plan as a tree of plain dataclasses: what the importer produces, what the exporters consume.

The database is loaded into this shape and saved from it, so every output (HTML, CSV, JSON, and
later XLSX and PDF) is fed by one structure and their totals cannot disagree.

Every node has an optional ``key``: the database id of the object it was loaded from, so a save
can update in place what it matched (see :mod:`renaksi.core.plan_diff`). Keys are identities, not
content: the canonical JSON leaves them out, and a tree read from a file has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum


class CostState(str, Enum):
    """How the PERKIRAAN BIAYA cell of a line was filled."""

    AMOUNT = "amount"  # an amount in Rupiah
    NONE = "none"  # marked "-": explicitly no cost
    ABSENT = "absent"  # no cost cell at all


class Polarity(str, Enum):
    HIGHER_IS_BETTER = "higher"
    LOWER_IS_BETTER = "lower"


@dataclass
class Line:
    """One Rencana Kegiatan: the costed, scheduled line of the table."""

    name: str
    activity: str = ""
    months: tuple[int, ...] = ()
    cost: int | None = None
    cost_state: CostState = CostState.ABSENT
    budget_code: str = ""
    remarks: str = ""
    person_in_charge: str = ""
    source_line: int | None = None
    key: int | None = None  # the lasting identity (database id) of a stored line; None when new

    def __post_init__(self) -> None:
        if self.cost is not None and self.cost_state is not CostState.AMOUNT:
            raise ValueError("a line with an amount must have cost_state AMOUNT")
        if self.cost is None and self.cost_state is CostState.AMOUNT:
            raise ValueError("cost_state AMOUNT needs an amount")


@dataclass
class Indicator:
    text: str
    target: str = ""
    polarity: Polarity = Polarity.HIGHER_IS_BETTER
    quarter_targets: dict[int, str] = field(default_factory=dict)
    activities: list[str] = field(default_factory=list)  # Kegiatan served, in printed order
    lines: list[Line] = field(default_factory=list)
    source_line: int | None = None
    key: int | None = None

    def link_activity(self, name: str) -> None:
        if name and name not in self.activities:
            self.activities.append(name)


@dataclass
class ProgramGoal:
    text: str
    indicators: list[Indicator] = field(default_factory=list)
    needs_review: bool = False
    review_note: str = ""
    source_line: int | None = None
    key: int | None = None


@dataclass
class Goal:
    """A Sasaran Strategis. ``number is None`` groups program goals found without a goal header."""

    number: str | None
    text: str
    program_goals: list[ProgramGoal] = field(default_factory=list)
    source_line: int | None = None
    key: int | None = None  # always None for a headerless group: it has no row of its own

    @property
    def is_headerless(self) -> bool:
        return self.number is None


@dataclass
class PlanTree:
    year: int | None = None
    title: str = ""
    signing_unit: str = ""
    agency_label: str = ""
    goals: list[Goal] = field(default_factory=list)
    # The lasting identity of each stored Kegiatan, by name (activities are named, not nested).
    activity_keys: dict[str, int] = field(default_factory=dict)

    def program_goals(self) -> Iterator[ProgramGoal]:
        for goal in self.goals:
            yield from goal.program_goals

    def indicators(self) -> Iterator[Indicator]:
        for program_goal in self.program_goals():
            yield from program_goal.indicators

    def lines(self) -> Iterator[Line]:
        for indicator in self.indicators():
            yield from indicator.lines

    def goal_lines(self, goal: Goal) -> Iterator[Line]:
        for program_goal in goal.program_goals:
            for indicator in program_goal.indicators:
                yield from indicator.lines

    def activities(self) -> list[str]:
        """Distinct Kegiatan names in first-printed order."""
        seen: dict[str, None] = {}
        for indicator in self.indicators():
            for name in indicator.activities:
                seen.setdefault(name, None)
            for line in indicator.lines:
                if line.activity:
                    seen.setdefault(line.activity, None)
        return list(seen)

    def total_cost(self) -> int:
        return sum(line.cost or 0 for line in self.lines())
