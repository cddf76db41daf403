"""Pausing Python's cyclic garbage collector while a big export is written.

A national roll-up makes about a million short-lived objects (XlsxWriter's cell records) and
keeps about 100,000 until the file is assembled (merged ranges, row heights, column settings).
CPython's collector runs on allocations and, each time the survivors grow by a quarter, walks
every object in the process: during a 44,000-line roll-up that was 2-3 full walks costing
0.5-0.8 s of a 5 s export, and they found nothing, since nothing the export makes while it
writes is a cycle (``bench/bench_export_xlsx.py`` prints the collector's share). Reference
counting still frees everything as usual while the collector is paused; only cycles wait.

Used as a decorator on an export function, the pause ends after the function's frame is gone,
so what the export kept is freed by reference counting first, and the collector then runs again
at its usual thresholds over what is left. The collector is process-wide, so pauses nest across
threads: it is enabled again only when every pausing block has ended, and never if it was
already off when the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (see the module's note)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
