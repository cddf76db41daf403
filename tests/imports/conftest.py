"""Make the sibling helper modules of these tests (``plan_strategies``) importable by name."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


class _Unblocker(threading.Thread):
    """Opens a FIFO for writing now and then, so a reader stuck opening it goes on (a test of a
    FIFO that the code under test wrongly opens then fails instead of hanging)."""

    def __init__(self, fifo: Path) -> None:
        super().__init__(daemon=True)
        self.fifo, self.stop = fifo, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(1):
            with contextlib.suppress(OSError):  # no reader has it open
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))


@pytest.fixture
def make_fifo(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Makes a FIFO of the given name in the test's folder, unblocked until the test ends."""
    unblockers: list[_Unblocker] = []

    def make(name: str) -> Path:
        path = tmp_path / name
        os.mkfifo(path)
        unblockers.append(_Unblocker(path))
        unblockers[-1].start()
        return path

    yield make
    for unblocker in unblockers:
        unblocker.stop.set()
