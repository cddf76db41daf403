"""Reading the members of a zip workbook (XLSX, ODS) within the import limits.

The sizes a zip declares are checked first (:func:`check_zip_limits`: a quick refusal of an honest
bomb), but they are never trusted: every member is read in small chunks through
:class:`Inflation`, which counts the bytes actually inflated and stops at the per-member and total
limits (:mod:`renaksi.imports.limits`). ``ZipFile.read`` is never called on a member: it inflates
up to 2 GiB in one call whatever the header says, before it notices the lie by a CRC mismatch.
A damaged deflate stream, a bad CRC or a truncated member is a :class:`SourceError` naming it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator

from renaksi.core.grid import SourceError
from renaksi.imports import limits as import_limits
from renaksi.imports.reader_messages import (
    damaged_member,
    member_too_large,
    zip_inflated_too_much,
    zip_too_compressed,
    zip_too_large,
    zip_too_many_parts,
)

__all__ = ["CHUNK_BYTES", "Inflation", "check_zip_limits"]

CHUNK_BYTES = 2**16
# Members smaller than this cannot hurt however well they compress (and tiny XML parts such as
# an empty sharedStrings.xml legitimately compress far beyond any ratio).
_RATIO_FLOOR_BYTES = 2**20
# What zipfile and zlib raise on a damaged member: bad CRC (BadZipFile), damaged deflate data
# (zlib.error), a truncated member (EOFError), an encrypted member (RuntimeError), an unknown
# compression method or zip version (NotImplementedError); a damaged directory (ValueError).
ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)
_DAMAGE = ZIP_DAMAGE


def check_zip_limits(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs by what they declare, before any part is expanded: too many parts, too
    much expanded data, too high a compression ratio (every workbook reader's first check)."""
    limits = import_limits.current()
    infos = archive.infolist()
    if len(infos) > limits.zip_members:
        raise SourceError(zip_too_many_parts(len(infos)))
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > limits.inflated_bytes:
        raise SourceError(zip_too_large(total, limits.inflated_bytes))
    ratio_limit = limits.compression_ratio
    for info in infos:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR_BYTES and ratio > ratio_limit:
            raise SourceError(zip_too_compressed(ratio, ratio_limit, info.filename))
        if info.file_size > limits.member_bytes:
            raise SourceError(member_too_large(info.filename, limits.member_bytes))
    if total > _RATIO_FLOOR_BYTES and total // max(packed, 1) > ratio_limit:
        raise SourceError(zip_too_compressed(total // max(packed, 1), ratio_limit))


class Inflation:
    """The bytes inflated so far from one archive, counted as they come out of zlib."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.limits = import_limits.current()
        self.total = 0

    def chunks(self, member: str | zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's inflated bytes, chunk by chunk; refuses it once a limit is crossed."""
        name = member.filename if isinstance(member, zipfile.ZipInfo) else member
        inflated = 0
        try:
            handle = self.archive.open(member)
        except KeyError:
            raise
        except _DAMAGE as error:
            raise SourceError(damaged_member(name, error)) from None
        with handle:
            while True:
                try:
                    chunk = handle.read(CHUNK_BYTES)
                except _DAMAGE as error:
                    raise SourceError(damaged_member(name, error)) from None
                if not chunk:
                    return
                inflated += len(chunk)
                self.total += len(chunk)
                if inflated > self.limits.member_bytes:
                    raise SourceError(member_too_large(name, self.limits.member_bytes))
                if self.total > self.limits.inflated_bytes:
                    raise SourceError(zip_inflated_too_much(self.limits.inflated_bytes))
                yield chunk

    def read(self, member: str | zipfile.ZipInfo, *, scan: Callable[[bytes], None] | None = None) -> bytes:
        """The whole member (``scan`` sees each chunk first and may refuse it)."""
        parts = []
        for chunk in self.chunks(member):
            if scan is not None:
                scan(chunk)
            parts.append(chunk)
        return b"".join(parts)

    def head(self, member: str, size: int) -> bytes:
        """The member's first ``size`` bytes (at least one chunk is inflated, never the whole)."""
        for chunk in self.chunks(member):
            return chunk[:size]
        return b""

    def open(self, member: str | zipfile.ZipInfo) -> io.RawIOBase:
        """The member as a file to parse from (``read(n)``), counted as it is read."""
        return _ChunkStream(self.chunks(member))


class _ChunkStream(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._pending:
            self._pending = next(self._chunks, b"")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
