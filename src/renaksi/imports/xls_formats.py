"""Which zeros of an .xls workbook are shown as a dash (accounting formats): "no amount".

python-calamine gives an .xls cell's value but not its number format, and a 0 in an accounting
format (shown ``Rp -``) means "no cost", not a cost of Rp 0. The BIFF8 records say it: FORMAT
records hold the format strings, XF records point at them, and every NUMBER, RK and MULRK cell
names its XF. :class:`ZeroDashes` is fed those records by the one pass the .xls reader makes over
the workbook stream (``calamine_reader._biff_extents``); only zero cells are kept.
"""

from __future__ import annotations

import struct

from renaksi.imports.reader_common import zero_shows_dash

__all__ = ["FORMAT", "NUMBER_RECORDS", "XF", "ZeroDashes"]

FORMAT, XF = 0x041E, 0x00E0
_NUMBER, _RK, _MULRK = 0x0203, 0x027E, 0x00BD
NUMBER_RECORDS = frozenset({_NUMBER, _RK, _MULRK})
# Excel's built-in accounting formats (ids 41-44) show zero as a dash.
_BUILT_IN_DASH = frozenset({41, 42, 43, 44})
_HH, _H, _HI, _D = struct.Struct("<HH"), struct.Struct("<H"), struct.Struct("<HI"), struct.Struct("<d")


class ZeroDashes:
    """The 0-based (row, column) of each sheet's numeric zeros that its format shows as a dash."""

    def __init__(self) -> None:
        self.cells: dict[str, set[tuple[int, int]]] = {}
        self._formats: dict[int, str] = {}
        self._xf_formats: list[int] = []
        self._dash_xf: set[int] | None = None

    def format_record(self, stream: bytes, body: int, end: int) -> None:
        if end - body >= 5:
            self._formats[_H.unpack_from(stream, body)[0]] = _unicode_string(stream[body + 2 : end])

    def xf_record(self, stream: bytes, body: int, end: int) -> None:
        if end - body >= 4:
            self._xf_formats.append(_H.unpack_from(stream, body + 2)[0])

    def sheet(self, name: str) -> set[tuple[int, int]]:
        """The set a sheet's cells go into; the globals (formats and XFs) are complete by then."""
        if self._dash_xf is None:
            self._dash_xf = {
                index
                for index, ifmt in enumerate(self._xf_formats)
                if ifmt in _BUILT_IN_DASH or zero_shows_dash(self._formats.get(ifmt, ""))
            }
        return self.cells.setdefault(name, set())

    def cell(self, cells: set[tuple[int, int]], record: int, stream: bytes, body: int, end: int) -> None:
        """A NUMBER, RK or MULRK record of the sheet whose set is ``cells``."""
        dash_xf = self._dash_xf
        if not dash_xf or end - body < 10:
            return
        row, column = _HH.unpack_from(stream, body)
        if record == _NUMBER:
            if _H.unpack_from(stream, body + 4)[0] in dash_xf and _D.unpack_from(stream, body + 6)[0] == 0:
                cells.add((row, column))
        elif record == _RK:
            xf, rk = _HI.unpack_from(stream, body + 4)
            if xf in dash_xf and rk & ~3 == 0:  # an RK value is 0 whatever its two flag bits
                cells.add((row, column))
        else:
            for index in range((end - body - 6) // 6):
                xf, rk = _HI.unpack_from(stream, body + 4 + 6 * index)
                if xf in dash_xf and rk & ~3 == 0:
                    cells.add((row, column + index))


def _unicode_string(raw: bytes) -> str:
    """A BIFF8 XLUnicodeString: a 16-bit length, a flags byte, then the characters."""
    if len(raw) < 3:
        return ""
    count, flags = struct.unpack_from("<HB", raw)
    if flags & 1:
        return raw[3 : 3 + 2 * count].decode("utf-16-le", "replace")
    return raw[3 : 3 + count].decode("latin-1")
