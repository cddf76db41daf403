"""Which zeros of an .xls workbook are shown as a dash (accounting formats): "no amount".

python-calamine gives an .xls cell's value but not its number format, and a 0 in an accounting
format (shown ``Rp -``) means "no cost", not a cost of Rp 0. The BIFF8 records say it: FORMAT
records hold the format strings, XF records point at them, and every NUMBER, RK and MULRK cell
names its XF. Only zero cells are looked at, in one pass over the records.
"""

from __future__ import annotations

import struct

from renaksi.imports.readers import _zero_shows_dash

__all__ = ["zero_dash_cells"]

_BOF, _EOF, _BOUNDSHEET, _FORMAT, _XF = 0x0809, 0x000A, 0x0085, 0x041E, 0x00E0
_NUMBER, _RK, _MULRK = 0x0203, 0x027E, 0x00BD
# Excel's built-in accounting formats (ids 41-44) show zero as a dash.
_BUILT_IN_DASH = frozenset({41, 42, 43, 44})


def zero_dash_cells(stream: bytes) -> dict[str, set[tuple[int, int]]]:
    """For each sheet, by name, the 0-based (row, column) of the numeric zeros its format shows as
    a dash."""
    from renaksi.imports.calamine_reader import _sheet_name

    names: dict[int, str] = {}
    biff8 = True
    two, one = struct.Struct("<HH").unpack_from, struct.Struct("<H").unpack_from
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    found: dict[str, set[tuple[int, int]]] = {}
    dash_xf: set[int] | None = None
    sheet: set[tuple[int, int]] | None = None
    position, end = 0, len(stream)
    while position + 4 <= end:
        record, length = two(stream, position)
        body = position + 4
        position = body + length
        if position > end:
            break
        if sheet is not None and record in (_NUMBER, _RK, _MULRK) and length >= 10:
            assert dash_xf is not None
            row, column = two(stream, body)
            if record == _NUMBER:
                if one(stream, body + 4)[0] in dash_xf and struct.unpack_from("<d", stream, body + 6)[0] == 0:
                    sheet.add((row, column))
            elif record == _RK:
                xf, rk = struct.unpack_from("<HI", stream, body + 4)
                if xf in dash_xf and rk & ~3 == 0:
                    sheet.add((row, column))
            else:
                for index in range((length - 6) // 6):
                    xf, rk = struct.unpack_from("<HI", stream, body + 4 + 6 * index)
                    if xf in dash_xf and rk & ~3 == 0:
                        sheet.add((row, column + index))
        elif record == _FORMAT and length >= 5:
            formats[one(stream, body)[0]] = _unicode_string(stream[body + 2 : position])
        elif record == _XF and length >= 4:
            xf_formats.append(one(stream, body + 2)[0])
        elif record == _BOUNDSHEET and length >= 8:
            names[struct.unpack_from("<I", stream, body)[0]] = _sheet_name(stream[body + 6 : position], biff8)
        elif record == _BOF and body == 4:
            biff8 = length >= 2 and one(stream, body)[0] == 0x0600
        elif record == _BOF:
            if dash_xf is None:
                dash_xf = {
                    index
                    for index, ifmt in enumerate(xf_formats)
                    if ifmt in _BUILT_IN_DASH or _zero_shows_dash(formats.get(ifmt, ""))
                }
            sheet = found.setdefault(names.get(body - 4, ""), set())
        elif record == _EOF and sheet is not None:
            sheet = None
    return found


def _unicode_string(raw: bytes) -> str:
    """A BIFF8 XLUnicodeString: a 16-bit length, a flags byte, then the characters."""
    if len(raw) < 3:
        return ""
    count, flags = struct.unpack_from("<HB", raw)
    if flags & 1:
        return raw[3 : 3 + 2 * count].decode("utf-16-le", "replace")
    return raw[3 : 3 + count].decode("latin-1")
