"""The approve-versus-return races of :mod:`race_worker`, run on a database made by ``renaksi demo``
(a SQLite file or a PostgreSQL database: ``env`` says which), and their figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from figures import Figure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def race_figures(env: dict[str, str], rounds: int) -> list[Figure]:
    run = subprocess.run(
        [sys.executable, str(HERE / "race_worker.py"), str(rounds)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60 + rounds,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.splitlines()[-1])
    pairs = list(zip(result["approve"], result["return"], result["events"], strict=True))
    winners = [sum(o == "won" for o in (a, r)) for a, r, _e in pairs]
    crashes = [o for a, r, _e in pairs for o in (a, r) if o.startswith("crash")]
    return [
        Figure("rounds", len(pairs), f">= {rounds}"),
        Figure("rounds without exactly one winner", sum(w != 1 for w in winners), "== 0"),
        Figure("rounds without exactly one history event", sum(e != 1 for _a, _r, e in pairs), "== 0"),
        Figure("losers not told with the documented error", len(crashes), "== 0", "\n".join(crashes[:5])),
    ]
