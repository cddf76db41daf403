"""Print the figures the reliability battery wrote, as one table; exit 1 when a bar is missed
(or when there is nothing to report, which means the battery did not run).

Usage: ``python tests/reliability/report.py RESULTS_FOLDER``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path("bench/out/reliability")
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"reliability: no figures in {folder}", file=sys.stderr)
        return 1
    rows: list[tuple[str, str, str, str, str]] = []
    missed = 0
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        for f in data["figures"]:
            value = f["value"]
            shown = f"{value:.1f}" if isinstance(value, float) else str(value)
            rows.append((data["area"], f["figure"], shown, f["bar"], "ok" if f["ok"] else "MISSED"))
            missed += not f["ok"]
    widths = [max(len(r[i]) for r in [*rows, ("area", "figure", "value", "bar", "")]) for i in range(5)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print("\n== reliability figures")
    print(line.format("area", "figure", "value", "bar", ""))
    for row in rows:
        print(line.format(*row))
    details = [
        (data["area"], f["figure"], f["detail"])
        for file in files
        for data in [json.loads(file.read_text(encoding="utf-8"))]
        for f in data["figures"]
        if not f["ok"] and f["detail"]
    ]
    for area, figure, detail in details:
        print(f"\n-- {area}: {figure}\n{detail}")
    print(f"\n{len(rows) - missed} of {len(rows)} bars met" + (f"; {missed} MISSED" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
