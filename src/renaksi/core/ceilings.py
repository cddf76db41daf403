"""Ceilings (pagu, from the DIPA or POK) against the planned cost, at every budget-code level.

A ceiling is an integer Rupiah amount for one code at any level: a Kegiatan (``3358``), a KRO
(``3358.EBC``), an RO (``3358.EBC.954``), a komponen, subkomponen or akun under them. The planned
cost under a code is the sum of the costs of the plan's lines coded with it or with any code
below it (:meth:`~renaksi.core.budget_codes.BudgetCode.rollup_keys`). Planned over the ceiling is
an error (the plan spends money the DIPA does not hold); under it a warning (money left unused);
equal is fine. A code the plan spends under without a ceiling is shown too, without a verdict of
its own: a ceiling above it still holds it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from renaksi.core.budget_codes import BudgetCode, BudgetCodeError, parse_budget_code
from renaksi.core.messages import gettext_noop, msg

__all__ = [
    "EQUAL",
    "NO_CEILING",
    "OVER",
    "UNDER",
    "CeilingCheck",
    "compare_ceilings",
    "level_of",
    "parse_ceiling_code",
    "planned_by_key",
]

OVER, UNDER, EQUAL, NO_CEILING = "over", "under", "equal", "no_ceiling"
#: How much each verdict matters: over is an error, under a warning.
SEVERITY = {OVER: "error", UNDER: "warning", EQUAL: "ok", NO_CEILING: "info"}

_KEGIATAN = re.compile(r"\s*([0-9]{4})\s*")


def parse_ceiling_code(text: str) -> BudgetCode:
    """A ceiling's code: any budget code, or a Kegiatan alone (``3358``), which a plan line's code
    never is but a DIPA ceiling often is. Raises :class:`BudgetCodeError` as the parser does."""
    if match := _KEGIATAN.fullmatch(text):
        return BudgetCode(match.group(1))
    if "." not in text.strip() and text.strip():
        raise BudgetCodeError(
            msg(
                gettext_noop("kode {code!r} seharusnya kegiatan (4 angka) atau kode bertitik, mis. 3358.EBC"),
                code=text.strip(),
            )
        )
    return parse_budget_code(text)


def level_of(key: str) -> str:
    """The level of a canonical roll-up key (``3358`` -> ``kegiatan``, ``3358.EBC`` -> ``kro``)."""
    return parse_ceiling_code(key).levels()[-1][0]


def planned_by_key(costs_by_code: Mapping[str, int]) -> dict[str, int]:
    """The planned cost under every roll-up key of the given line codes (canonical or as written;
    a text that is no code is left out: the plan's checks flag it)."""
    planned: dict[str, int] = defaultdict(int)
    for code, cost in costs_by_code.items():
        try:
            keys = parse_budget_code(code).rollup_keys()
        except BudgetCodeError:
            continue
        for key in keys:
            planned[key] += cost
    return dict(planned)


@dataclass(frozen=True)
class CeilingCheck:
    code: str  # canonical roll-up key
    level: str  # kegiatan, kro, ro, komponen, subkomponen, akun
    planned: int
    ceiling: int | None

    @property
    def verdict(self) -> str:
        if self.ceiling is None:
            return NO_CEILING
        if self.planned > self.ceiling:
            return OVER
        if self.planned < self.ceiling:
            return UNDER
        return EQUAL

    @property
    def severity(self) -> str:
        return SEVERITY[self.verdict]

    @property
    def difference(self) -> int | None:
        """Ceiling minus planned: negative over the ceiling, the money left under it."""
        return None if self.ceiling is None else self.ceiling - self.planned

    @property
    def depth(self) -> int:
        return self.code.count(".")


def _sort_key(code: str) -> tuple[str, ...]:
    return tuple(code.split("."))


def compare_ceilings(costs_by_code: Mapping[str, int], ceilings: Mapping[str, int]) -> list[CeilingCheck]:
    """One check for every code that has a ceiling or planned cost, parents before children.

    ``costs_by_code``: the plan's line costs summed per line code; ``ceilings``: canonical code ->
    integer Rupiah (codes as :func:`parse_ceiling_code` writes them).
    """
    planned = planned_by_key(costs_by_code)
    codes: Iterable[str] = set(planned) | set(ceilings)
    return [
        CeilingCheck(
            code=code, level=level_of(code), planned=planned.get(code, 0), ceiling=ceilings.get(code)
        )
        for code in sorted(codes, key=_sort_key)
    ]


def count_verdicts(checks: Iterable[CeilingCheck]) -> dict[str, int]:
    """How many checks have each verdict."""
    counts = dict.fromkeys((OVER, UNDER, EQUAL, NO_CEILING), 0)
    for check in checks:
        counts[check.verdict] += 1
    return counts
