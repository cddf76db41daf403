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

from renaksi.core.messages import Message, MessageError, gettext_noop, msg

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

_SHAPES: dict[str, tuple[re.Pattern[str], Message]] = {
    "kegiatan": (re.compile(r"[0-9]{4}"), msg(gettext_noop("kegiatan: 4 angka"))),
    "kro": (re.compile(r"[A-Z]{3}"), msg(gettext_noop("KRO: 3 huruf kapital"))),
    "ro": (re.compile(r"[0-9]{3}"), msg(gettext_noop("RO: 3 angka"))),
    "komponen": (re.compile(r"[0-9]{3}"), msg(gettext_noop("komponen: 3 angka"))),
    "subkomponen": (re.compile(r"[A-Z]"), msg(gettext_noop("subkomponen: 1 huruf kapital"))),
    "akun": (re.compile(r"[0-9]{6}"), msg(gettext_noop("akun: 6 angka"))),
}
# Levels that may follow the RO, each optional, in this order, and how a message lists them.
_TAIL = ("komponen", "subkomponen", "akun")
_TAIL_LABELS = {
    "komponen": msg(gettext_noop("komponen (3 angka)")),
    "subkomponen": msg(gettext_noop("subkomponen (1 huruf kapital)")),
    "akun": msg(gettext_noop("akun (6 angka)")),
}
# A code already written canonically (upper case, no spaces), read in one match: the common case,
# and a roll-up reads tens of thousands of distinct codes. Anything else takes the segment-by-
# segment path, which also says what is wrong.
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CODE_START = re.compile(r"\s*[0-9]{4}\s*\.")  # as _read_segments strips the kegiatan
_CANONICAL = re.compile(
    r"([0-9]{4})\.([A-Z]{3})(?:\.([0-9]{3})(?:\.([0-9]{3}))?(?:\.([A-Z]))?(?:\.([0-9]{6}))?)?"
)


class BudgetCodeError(MessageError):
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
                raise BudgetCodeError(
                    msg(
                        gettext_noop("{level} {value!r} seharusnya {expected}"),
                        level=name,
                        value=value,
                        expected=expected,
                    )
                )
        if self.kro is None and self.ro is not None:
            raise BudgetCodeError(msg(gettext_noop("RO memerlukan KRO di atasnya")))
        if self.ro is None and any(v is not None for v in (self.komponen, self.subkomponen, self.akun)):
            raise BudgetCodeError(
                msg(gettext_noop("komponen, subkomponen atau akun memerlukan RO di atasnya"))
            )

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
        raise BudgetCodeError(msg(gettext_noop("kode akun kosong")))
    if stripped.endswith("."):
        raise BudgetCodeError(msg(gettext_noop("kode akun {code!r} diakhiri titik"), code=stripped))
    segments = [segment.strip() for segment in stripped.split(".")]
    if len(segments) == 1:
        raise BudgetCodeError(
            msg(
                gettext_noop(
                    "kode akun {code!r} hanya punya satu bagian; seharusnya paling sedikit kegiatan.KRO, "
                    "mis. 6871.QGE"
                ),
                code=stripped,
            )
        )
    if len(segments) > len(LEVELS):
        raise BudgetCodeError(
            msg(
                gettext_noop(
                    "kode akun {code!r} punya {count} bagian; paling banyak {limit} "
                    "(kegiatan.KRO.RO.komponen.subkomponen.akun)"
                ),
                code=stripped,
                count=len(segments),
                limit=len(LEVELS),
            )
        )
    for position, segment in enumerate(segments, start=1):
        if not segment:
            raise BudgetCodeError(
                msg(
                    gettext_noop("bagian {position} dari {code!r} kosong (dua titik berturut-turut?)"),
                    position=position,
                    code=stripped,
                )
            )

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
        raise BudgetCodeError(_should_be(position, segment, expected))
    return value


def _should_be(position: int, segment: str, expected: Message) -> Message:
    return msg(
        gettext_noop("bagian {position} {segment!r} seharusnya {expected}"),
        position=position,
        segment=segment,
        expected=expected,
    )


def _one_of(options: list[Message]) -> Message:
    """``a``, ``a atau b``, ``a, b atau c``: the tail levels a segment could have been."""
    if len(options) == 1:
        return options[0]
    if len(options) == 2:
        return msg(gettext_noop("{first} atau {second}"), first=options[0], second=options[1])
    return msg(
        gettext_noop("{first}, {second} atau {third}"), first=options[0], second=options[1], third=options[2]
    )


def _read_tail(segments: list[str], found: dict[str, str]) -> None:
    """Assign the segments after the RO to komponen, subkomponen and akun by shape, in order."""
    next_allowed = 0
    for position, segment in enumerate(segments, start=4):
        if next_allowed == len(_TAIL):
            raise BudgetCodeError(
                msg(
                    gettext_noop(
                        "bagian {position} {segment!r} ada sesudah akun, padahal akun tingkat terakhir"
                    ),
                    position=position,
                    segment=segment,
                )
            )
        value = segment.upper() if segment.isascii() else segment
        level = next((i for i, n in enumerate(_TAIL) if _SHAPES[n][0].fullmatch(value)), None)
        if level is None:
            options = _one_of([_TAIL_LABELS[n] for n in _TAIL[next_allowed:]])
            raise BudgetCodeError(_should_be(position, segment, options))
        if level < next_allowed:
            previous = _TAIL[next_allowed - 1]
            raise BudgetCodeError(
                msg(
                    gettext_noop(
                        "bagian {position} {segment!r} tampak seperti {level} tetapi ada sesudah {previous}; "
                        "urutannya komponen, subkomponen, akun"
                    ),
                    position=position,
                    segment=segment,
                    level=_TAIL[level],
                    previous=previous,
                )
            )
        found[_TAIL[level]] = value
        next_allowed = level + 1


def is_budget_code_like(text: str) -> bool:
    """Tell whether a cell holds a valid budget code; never raises.

    Importers use it to recognise the AKUN column by content. A code starts with the kegiatan's
    four digits and a dot, and has a KRO of three letters: a text that does not start so or has no
    Latin letter (an amount, a date, a name) is answered without reading it segment by segment.
    """
    if _CANONICAL.fullmatch(text):
        return True  # every level in its shape, each below the one it needs
    if _CODE_START.match(text) is None or _LATIN_LETTER.search(text) is None:
        return False
    try:
        parse_budget_code(text)
    except BudgetCodeError:
        return False
    return True
