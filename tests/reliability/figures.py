"""Figures of the reliability battery: each test writes what it measured, with its bar, as JSON
into the results folder (``RENAKSI_RELIABILITY_OUT``, set by ``make reliability``); the report
script prints them as one table and fails when a bar is missed.

Outside ``make reliability`` (no folder set) nothing is written: a test still fails on its bar.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

OUT_ENV = "RENAKSI_RELIABILITY_OUT"


@dataclass
class Figure:
    figure: str  # what was measured: "crashes", "peak memory per file (MB)"
    value: float | int
    bar: str  # "== 0", "< 512", ">= 20" ...
    detail: str = ""  # the worst cases, or what was counted

    @property
    def ok(self) -> bool:
        return meets(self.value, self.bar)


_BAR_RE = re.compile(r"\s*(==|<=|>=|<|>)\s*(-?[0-9.]+)\s*")


def meets(value: float, bar: str) -> bool:
    match = _BAR_RE.fullmatch(bar)
    if match is None:
        raise ValueError(f"a bar is an operator and a number, not {bar!r}")
    op, limit = match.group(1), float(match.group(2))
    return {
        "==": value == limit,
        "<=": value <= limit,
        ">=": value >= limit,
        "<": value < limit,
        ">": value > limit,
    }[op]


def out_dir() -> Path | None:
    folder = os.environ.get(OUT_ENV)
    return Path(folder) if folder else None


def record(area: str, figures: list[Figure]) -> None:
    """Write ``figures`` of ``area`` ("hostile imports (long)") where the report reads them."""
    folder = out_dir()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-")
    data = {"area": area, "figures": [asdict(f) | {"ok": f.ok} for f in figures]}
    (folder / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")


def missed(figures: list[Figure]) -> list[str]:
    """The figures that miss their bar, as lines an assertion message shows."""
    return [f"{f.figure}: {f.value} (bar {f.bar}) {f.detail}".rstrip() for f in figures if not f.ok]
