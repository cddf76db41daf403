"""Writing an export so that a crash or a full disk leaves no partial file behind."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only if the block succeeds."""
    target = Path(target)
    temporary = _new_placeholder(target)
    try:
        yield temporary
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def _new_placeholder(target: Path) -> Path:
    """An empty file under a random name beside ``target``, created with the mode an ordinary
    new file gets (0666 less the umask, applied by the system: no reading or changing the
    process-wide umask, which export threads share)."""
    for _attempt in range(100):
        path = target.parent / f".{target.name}.{secrets.token_hex(6)}.part"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free temporary name beside {target}")
