"""The hostile import corpus (``corpus.py``) through preview and commit, in subprocesses.

Bars: 0 crashes (any exception but ``SourceError``), 0 partial writes (a refused import changes
no table), 0 wrong verdicts (a refused valid plan, an accepted ambiguous amount), every refusal
of a problem that sits in a cell names its row or column (and the right line where the case
knows it), 0 files whose text comes from an external XML entity, peak memory per file < 512 MB,
time per file < 30 s. The quick subset (about 30 small files, one process) runs in every CI run;
the whole corpus (a fresh process per file, killed at 60 s or 3 GB) with ``make reliability``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from corpus import Case, build
from figures import Figure, missed, record

WORKER = Path(__file__).resolve().parent / "import_worker.py"
ROOT = Path(__file__).resolve().parents[2]
KILL_SECONDS = 60
KILL_MB = 3072
QUICK_TIMEOUT = 300


def worker_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["RENAKSI_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(WORKER.parent), os.environ.get("PYTHONPATH")]))
    return env


def _status_mb(pid: int, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_one(path: Path, data_dir: Path) -> dict[str, Any]:
    """Import ``path`` in a fresh process, watching its memory; kill it at the limits."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(path)],
        env=worker_env(data_dir),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak, killed = 0.0, ""
    while process.poll() is None:
        peak = max(peak, _status_mb(process.pid, "VmHWM"))
        if time.monotonic() - started > KILL_SECONDS:
            killed = f"killed after {KILL_SECONDS} s"
        elif _status_mb(process.pid, "VmRSS") > KILL_MB:
            killed = f"killed at {KILL_MB} MB"
        if killed:
            process.kill()
            break
        time.sleep(0.05)
    stdout, stderr = process.communicate()
    elapsed = time.monotonic() - started
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if killed or not lines:
        result: dict[str, Any] = {
            "file": path.name,
            "outcome": "killed" if killed else "crash",
            "message": killed or stderr[-1500:],
        }
    else:
        result = json.loads(lines[-1])
    result["peak_mb"] = round(peak, 1)
    result["process_seconds"] = round(elapsed, 2)
    return result


def run_together(paths: list[Path], data_dir: Path) -> list[dict[str, Any]]:
    """Import every file in one process (the quick subset: no per-file memory figure)."""
    run = subprocess.run(
        [sys.executable, str(WORKER), *map(str, paths)],
        env=worker_env(data_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=QUICK_TIMEOUT,
        check=False,
    )
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(paths), f"the worker stopped after {len(results)} files:\n{run.stderr[-3000:]}"
    return results


def problems(case: Case, result: dict[str, Any]) -> list[str]:
    """What is wrong with one file's result, by bar name."""
    found = []
    outcome = result["outcome"]
    if outcome in ("crash", "killed"):
        found.append("crash" if outcome == "crash" else "killed")
    if result.get("changed_tables"):
        found.append("partial write")
    if result.get("leak"):
        found.append("entity leak")
    decided = outcome in ("accepted", "refused") and case.expect != "any"
    if decided and (case.expect == "accept") != (outcome == "accepted"):
        found.append("wrong verdict")
    if case.locate and case.expect == "refuse" and outcome != "refused":
        found.append("not located")
    wrong_line = case.line is not None and result.get("line") != case.line
    if case.locate and outcome == "refused" and (not result.get("located") or wrong_line):
        found.append("not located")
    return found


def _describe(case: Case, result: dict[str, Any]) -> str:
    return f"{case.name}: {result['outcome']} {result.get('message', '')!s}"[:300]


def figures_of(pairs: list[tuple[Case, dict[str, Any]]], *, memory: bool) -> list[Figure]:
    by_bar: dict[str, list[str]] = {}
    for case, result in pairs:
        for problem in problems(case, result):
            by_bar.setdefault(problem, []).append(_describe(case, result))
    located_cases = [
        (c, r) for c, r in pairs if c.locate and (r["outcome"] == "refused" or c.expect == "refuse")
    ]
    not_located = len(by_bar.get("not located", []))

    def count(bar: str, label: str) -> Figure:
        items = by_bar.get(bar, [])
        return Figure(label, len(items), "== 0", "\n".join(items[:40]))

    figures = [
        Figure("files in the corpus", len(pairs), ">= 200" if memory else ">= 25"),
        count("crash", "crashes (exception other than SourceError)"),
        count("killed", "killed at the time or memory limit"),
        count("partial write", "partial writes (tables changed by a refused import)"),
        count("wrong verdict", "wrong verdicts (valid refused, ambiguous accepted)"),
        count("entity leak", "files whose text came from an external entity"),
        Figure(
            "refusals naming their row or column (%)",
            round(100 * (len(located_cases) - not_located) / max(1, len(located_cases)), 1),
            "== 100",
            "\n".join(by_bar.get("not located", [])[:40]),
        ),
    ]
    if memory:
        worst_mb = sorted(pairs, key=lambda p: -p[1]["peak_mb"])[:5]
        worst_s = sorted(pairs, key=lambda p: -p[1].get("seconds", p[1]["process_seconds"]))[:5]
        figures += [
            Figure(
                "peak memory per file, worst (MB)",
                max(r["peak_mb"] for _c, r in pairs),
                "< 512",
                "\n".join(f"{c.name}: {r['peak_mb']} MB ({r['outcome']})" for c, r in worst_mb),
            ),
            Figure(
                "time per file, worst (s)",
                max(r.get("seconds", r["process_seconds"]) for _c, r in pairs),
                "< 30",
                "\n".join(
                    f"{c.name}: {r.get('seconds', r['process_seconds'])} s ({r['outcome']})"
                    for c, r in worst_s
                ),
            ),
        ]
    return figures


def test_the_quick_hostile_corpus_imports_without_crash_partial_write_or_guess(tmp_path: Path) -> None:
    made = build(tmp_path / "corpus", quick=True)
    results = run_together([path for _case, path in made], tmp_path / "data")
    figures = figures_of(
        [(case, result) for (case, _path), result in zip(made, results, strict=True)], memory=False
    )
    record("hostile imports (quick subset)", figures)
    assert not missed(figures), "\n".join(missed(figures))


@pytest.mark.reliability
def test_the_whole_hostile_corpus_meets_every_bar(tmp_path: Path) -> None:
    made = build(tmp_path / "corpus")
    data_dir = tmp_path / "data"
    subprocess.run(
        [sys.executable, str(WORKER)], env=worker_env(data_dir), cwd=ROOT, check=True
    )  # migrate once
    pairs = [(case, run_one(path, data_dir)) for case, path in made]
    (tmp_path / "results.json").write_text(json.dumps([r for _c, r in pairs], indent=1), encoding="utf-8")
    figures = figures_of(pairs, memory=True)
    record("hostile imports (whole corpus)", figures)
    assert not missed(figures), "\n".join(missed(figures))
