"""The JSON encoder of the JSON columns that hold the most (history values, import reports).

Django's ``JSONField`` writes a value with ``json.dumps(value, cls=field.encoder)``. The standard
encoder takes about 4.5 µs for one history record's values and half a second for the 21 MB report
of a 44,000-line import; orjson writes the same JSON about ten times faster. orjson is asked to
leave to the standard encoder what that one writes differently or refuses (subclasses of str,
int, dict and list, dates, dataclasses; a named tuple, such as an import report's placement, is
written as the array the standard encoder makes of it), and whatever orjson still refuses (an
integer beyond 64 bits, a lone surrogate) falls back to the standard encoder too. The stored text
differs only in form: UTF-8 where the standard encoder escapes to ASCII, no spaces after
separators; it reads back to the same values. (orjson does write a UUID or a plain Enum, which
the standard encoder refuses, and a NaN or infinity as null, where the standard encoder writes
``NaN``, which is not JSON; no column stores any of them.)
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_LEAVE_TO_STANDARD = (
    orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _plain(value: Any) -> Any:
    """What orjson hands back: a named tuple becomes an array; anything else is left to the
    standard encoder."""
    if type(value) is not tuple and isinstance(value, tuple):
        return tuple(value)
    raise TypeError


class FastJSONEncoder(json.JSONEncoder):
    def encode(self, o: Any) -> str:
        # Only as json.dumps(value, cls=FastJSONEncoder) calls it; other settings, the standard way.
        if self.indent is None and not self.sort_keys and "default" not in vars(self):
            try:
                return orjson.dumps(o, default=_plain, option=_LEAVE_TO_STANDARD).decode()
            except TypeError:  # orjson.JSONEncodeError is a TypeError
                pass
        return super().encode(o)
