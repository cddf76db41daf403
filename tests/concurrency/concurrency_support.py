"""Helpers of the concurrency tests: the database the workers write to, and starting them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORKER = HERE / "worker.py"
RENAKSI = Path(sys.executable).with_name("renaksi")


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql", "pgsql"))


@dataclass
class Database:
    """Where the workers write: their environment, and the seed plan's lines."""

    env: dict[str, str]
    lines: list[int]
    kind: str
    started: list[subprocess.Popen[str]] = field(default_factory=list)

    def start(self, command: str, args: dict[str, Any], **env: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, str(WORKER), command, json.dumps(args)],
            env=self.env | env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.started.append(process)
        return process

    def run(self, command: str, args: dict[str, Any], **env: str) -> dict[str, Any]:
        return outcome(self.start(command, args, **env))

    def renaksi(self, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(RENAKSI), *argv], env=self.env | env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )


def outcome(process: subprocess.Popen[str], timeout: float = 300) -> dict[str, Any]:
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"worker failed ({process.returncode}):\n{stderr[-4000:]}"
    last = stdout.strip().splitlines()[-1]
    result: dict[str, Any] = json.loads(last)
    return result
