"""Many people saving the same few lines at once: no update lost, every refusal told, no 5xx.

Editors (threads of a worker process, each its own connection) open a line's edit form and save
a remark of their own, again and again, through the pages or through the update service. After
them, for every line:

- the accepted saves are a chain: each started from a different version (two accepted saves from
  the same version means one overwrote the other unseen), and there are as many as the version
  moved on and as history recorded;
- what the line holds is what the accepted save of the highest version wrote;
- every refused save was told so (409, "sudah diubah"), and no answer was a 5xx.

The quick case runs in every suite; the long one (``-m reliability``, ``make reliability``) runs
``RENAKSI_EDITORS_SECONDS`` (60) with ``RENAKSI_EDITORS`` (20) editors and writes its figures.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from concurrency_support import Database

RELIABILITY = Path(__file__).resolve().parents[1] / "reliability"


@dataclass
class Tally:
    saves: int = 0
    accepted: int = 0
    refused_told: int = 0
    refused_untold: int = 0
    server_errors: int = 0
    other: Counter[int] = field(default_factory=Counter)
    lost_updates: int = 0
    problems: list[str] = field(default_factory=list)


def tally(result: dict[str, Any]) -> Tally:
    counts = Tally()
    accepted: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for save in result["saves"]:
        counts.saves += 1
        status = save["status"]
        if status == 302:
            counts.accepted += 1
            accepted[str(save["line"])].append(save)
        elif status == 409:
            if "sudah diubah" in save.get("body", ""):
                counts.refused_told += 1
            else:
                counts.refused_untold += 1
        elif status >= 500:
            counts.server_errors += 1
            waited = f" after {save['seconds']} s" if "seconds" in save else ""
            counts.problems.append(f"{status}{waited}: {save.get('body', '')[-300:]}")
        else:
            counts.other[status] += 1
    for line, final in result["final"].items():
        saves = accepted[line]
        start = result["initial"][line]["version"]
        bases = Counter(int(save["base"]) for save in saves)
        overwritten = sum(n - 1 for n in bases.values() if n > 1)
        unaccounted = abs(len(saves) - (final["version"] - start)) + abs(len(saves) - final["changes"])
        last = max(saves, key=lambda save: int(save["base"]))["value"] if saves else None
        wrong_final = int(last is not None and final["remarks"] != last)
        counts.lost_updates += overwritten + unaccounted + wrong_final
        if overwritten or unaccounted or wrong_final:
            counts.problems.append(
                f"line {line}: {len(saves)} accepted, version {start} -> {final['version']}, "
                f"{final['changes']} in history, holds {final['remarks']!r}, last accepted {last!r}"
            )
    return counts


def run_editors(database: Database, *, editors: int, seconds: float, lines: int, via: str) -> Tally:
    result = database.run(
        "edit", {"lines": database.lines[:lines], "threads": editors, "seconds": seconds, "via": via}
    )
    return tally(result)


def _check(counts: Tally) -> None:
    assert counts.saves > 0
    assert counts.server_errors == 0, counts.problems[:3]
    assert counts.lost_updates == 0, counts.problems[:3]
    assert counts.refused_untold == 0 and not counts.other, (counts.refused_untold, counts.other)
    assert counts.accepted + counts.refused_told == counts.saves


@pytest.mark.parametrize("via", ["client", "service"])
def test_twenty_editors_saving_three_lines_lose_no_update(database: Database, via: str) -> None:
    counts = run_editors(database, editors=20, seconds=3, lines=3, via=via)
    _check(counts)
    assert counts.refused_told > 0, "the editors never met: the test proved nothing"


@pytest.mark.reliability
@pytest.mark.parametrize("via", ["client", "service"])
def test_many_editors_for_a_minute_lose_no_update(database: Database, via: str) -> None:
    editors = int(os.environ.get("RENAKSI_EDITORS", "20"))
    seconds = float(os.environ.get("RENAKSI_EDITORS_SECONDS", "60"))
    counts = run_editors(database, editors=editors, seconds=seconds, lines=5, via=via)
    _record(f"concurrent editors ({database.kind}, {via})", counts, editors, seconds)
    _check(counts)


def _record(area: str, counts: Tally, editors: int, seconds: float) -> None:
    if str(RELIABILITY) not in sys.path:
        sys.path.insert(0, str(RELIABILITY))
    from figures import Figure, record  # tests/reliability/figures.py

    detail = f"{editors} editors, {seconds:g} s, {counts.saves} saves, {counts.accepted} accepted"
    record(
        area,
        [
            Figure("lost updates", counts.lost_updates, "== 0", detail),
            Figure("responses 5xx", counts.server_errors, "== 0"),
            Figure("refusals not told", counts.refused_untold + sum(counts.other.values()), "== 0"),
            Figure("saves", counts.saves, "> 0"),
        ],
    )
