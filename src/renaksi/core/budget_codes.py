"""Budget codes of the central-government work plan (RKA-K/L), as found in the AKUN column.

A full code reads ``Kegiatan.KRO.RO.Komponen.Subkomponen.Akun``, e.g.
``3358.EBC.954.051.A.521211``. Plans shorten it to an output path of 2 to 4 segments
(``6871.QGE``, ``3360.EBA.994``, ``6709.QGE.001``, ``3358.EBC.954.A``), often leaving the
komponen out. The segments after the RO are told apart by their shape alone (komponen: 3 digits,
subkomponen: 1 letter, akun: 6 digits), so every shortening reads unambiguously as long as the
levels keep their order.

Costs are rolled up at every level (all of 3358, then 3358.EBC, then 3358.EBC.954, ...): the
:meth:`BudgetCode.rollup_keys` are those level prefixes. Names of codes live in an editable
reference table, not here.

Choice: lowercase letters in the KRO and subkomponen are accepted and upper-cased, because letter
case carries no meaning in these codes and typed plans do contain ``3358.ebc.954``; whitespace
around the dots is dropped for the same reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "LEVELS",
    "BudgetCode",
    "BudgetCodeError",
    "canonical_text",
    "is_budget_code_like",
    "parse_budget_code",
]

#: Level names in order, as used in :meth:`BudgetCode.levels`.
LEVELS: tuple[str, ...] = ("kegiatan", "kro", "ro", "komponen", "subkomponen", "akun")

_SHAPES: dict[str, tuple[re.Pattern[str], str]] = {
    "kegiatan": (re.compile(r"[0-9]{4}"), "a kegiatan: 4 digits"),
    "kro": (re.compile(r"[A-Z]{3}"), "a KRO: 3 capital letters"),
    "ro": (re.compile(r"[0-9]{3}"), "an RO: 3 digits"),
    "komponen": (re.compile(r"[0-9]{3}"), "a komponen: 3 digits"),
    "subkomponen": (re.compile(r"[A-Z]"), "a subkomponen: 1 capital letter"),
    "akun": (re.compile(r"[0-9]{6}"), "an akun: 6 digits"),
}
# Levels that may follow the RO, each optional, in this order.
_TAIL = ("komponen", "subkomponen", "akun")
# A code already written canonically (upper case, no spaces), read in one match: the common case,
# and a roll-up reads tens of thousands of distinct codes. Anything else takes the segment-by-
# segment path, which also says what is wrong.
_CANONICAL = re.compile(
    r"([0-9]{4})\.([A-Z]{3})(?:\.([0-9]{3})(?:\.([0-9]{3}))?(?:\.([A-Z]))?(?:\.([0-9]{6}))?)?"
)


class BudgetCodeError(ValueError):
    """A text that is not a budget code, naming the offending segment and what was expected."""


@dataclass(frozen=True)
class BudgetCode:
    """A budget code split into its levels; absent levels are ``None``.

    Invariants (checked on construction): every present level has its shape, and a level after
    the RO is only present when the RO is, which is present only when the KRO is. ``parse``
    requires at least ``kegiatan.kro``; the dataclass also allows a lone kegiatan so that the
    top of a roll-up can be represented.
    """

    kegiatan: str
    kro: str | None = None
    ro: str | None = None
    komponen: str | None = None
    subkomponen: str | None = None
    akun: str | None = None

    def __post_init__(self) -> None:
        """Refuse codes that the budget structure cannot hold."""
        for name, value in self._all_levels():
            pattern, expected = _SHAPES[name]
            if value is not None and not pattern.fullmatch(value):
                raise BudgetCodeError(f"{name} {value!r} should be {expected}")
        if self.kro is None and self.ro is not None:
            raise BudgetCodeError("an RO needs a KRO above it")
        if self.ro is None and any(v is not None for v in (self.komponen, self.subkomponen, self.akun)):
            raise BudgetCodeError("a komponen, subkomponen or akun needs an RO above it")

    def _all_levels(self) -> list[tuple[str, str | None]]:
        return [(name, getattr(self, name)) for name in LEVELS]

    def levels(self) -> list[tuple[str, str]]:
        """The ``(level_name, value)`` pairs that are present, top level first."""
        return [(name, value) for name, value in self._all_levels() if value is not None]

    @property
    def canonical(self) -> str:
        """The dotted text of the code, e.g. ``3358.EBC.954.A``."""
        return ".".join(self._present())

    def __str__(self) -> str:
        return self.canonical

    def rollup_keys(self) -> list[str]:
        """The canonical text of each level prefix, shortest first, ending with the code itself.

        Costs are summed under each key, so a line coded ``3358.EBC.954.A`` counts towards
        ``3358``, ``3358.EBC``, ``3358.EBC.954`` and ``3358.EBC.954.A``.
        """
        keys: list[str] = []
        for value in self._present():
            keys.append(f"{keys[-1]}.{value}" if keys else value)
        return keys

    def _present(self) -> list[str]:
        """The values of the present levels, top level first."""
        values = (self.kegiatan, self.kro, self.ro, self.komponen, self.subkomponen, self.akun)
        return [value for value in values if value is not None]


@lru_cache(maxsize=1 << 16)  # pure; a plan repeats a few dozen codes over thousands of lines
def parse_budget_code(text: str) -> BudgetCode:
    """Read a dotted budget code of 2 to 6 segments, or raise :class:`BudgetCodeError`."""
    if match := _CANONICAL.fullmatch(text):
        return BudgetCode(*match.groups())
    return _read_segments(text)


def canonical_text(text: str) -> str:
    """The canonical text of a code as written (``3358.ebc.954`` -> ``3358.EBC.954``); raises
    :class:`BudgetCodeError` as :func:`parse_budget_code` does. A code already written canonically,
    as nearly all are, is its own canonical text."""
    return text if _CANONICAL.fullmatch(text) else parse_budget_code(text).canonical


def _read_segments(text: str) -> BudgetCode:
    """Read a budget code segment by segment, naming the first segment that is wrong."""
    stripped = text.strip()
    if not stripped:
        raise BudgetCodeError("empty budget code")
    if stripped.endswith("."):
        raise BudgetCodeError(f"budget code {stripped!r} ends with a dot")
    segments = [segment.strip() for segment in stripped.split(".")]
    if len(segments) == 1:
        raise BudgetCodeError(
            f"budget code {stripped!r} has a single segment; expected at least kegiatan.KRO, e.g. 6871.QGE"
        )
    if len(segments) > len(LEVELS):
        raise BudgetCodeError(
            f"budget code {stripped!r} has {len(segments)} segments; at most {len(LEVELS)} "
            "(kegiatan.KRO.RO.komponen.subkomponen.akun)"
        )
    for position, segment in enumerate(segments, start=1):
        if not segment:
            raise BudgetCodeError(f"segment {position} of {stripped!r} is empty (two dots in a row?)")

    found: dict[str, str] = {}
    for position, (name, segment) in enumerate(zip(("kegiatan", "kro", "ro"), segments, strict=False), 1):
        found[name] = _expect(name, segment, position)
    _read_tail(segments[3:], found)
    return BudgetCode(**found)


def _expect(name: str, segment: str, position: int) -> str:
    """Check one positional segment, upper-casing letters, and return its canonical value."""
    pattern, expected = _SHAPES[name]
    value = segment.upper() if segment.isascii() else segment
    if not pattern.fullmatch(value):
        raise BudgetCodeError(f"segment {position} {segment!r} should be {expected}")
    return value


def _read_tail(segments: list[str], found: dict[str, str]) -> None:
    """Assign the segments after the RO to komponen, subkomponen and akun by shape, in order."""
    next_allowed = 0
    for position, segment in enumerate(segments, start=4):
        if next_allowed == len(_TAIL):
            raise BudgetCodeError(f"segment {position} {segment!r} follows the akun, which is the last level")
        value = segment.upper() if segment.isascii() else segment
        level = next((i for i, n in enumerate(_TAIL) if _SHAPES[n][0].fullmatch(value)), None)
        if level is None:
            labels = [_SHAPES[n][1].replace(": ", " (") + ")" for n in _TAIL[next_allowed:]]
            options = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
            raise BudgetCodeError(f"segment {position} {segment!r} should be {options}")
        if level < next_allowed:
            previous = _TAIL[next_allowed - 1]
            raise BudgetCodeError(
                f"segment {position} {segment!r} looks like the {_TAIL[level]} but comes after the "
                f"{previous}; the order is komponen, subkomponen, akun"
            )
        found[_TAIL[level]] = value
        next_allowed = level + 1


def is_budget_code_like(text: str) -> bool:
    """Tell whether a cell holds a valid budget code; never raises.

    Importers use it to recognise the AKUN column by content.
    """
    try:
        parse_budget_code(text)
    except BudgetCodeError:
        return False
    return True
