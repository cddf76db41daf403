"""Indicator targets (the TARGET column): a percentage, a range, a quantity with a unit, or text.

A target is read so that achievement can later be compared with it, but the source text is always
kept: a target that does not fit a known shape becomes :attr:`TargetKind.TEXT` and is stored
verbatim, never forced into a number.

Numbers follow the Indonesian convention (``,`` decimal mark, ``.`` thousands) but English-locale
exports are common, so both marks are read. The ambiguity choices:

* a single ``,`` or ``.`` followed by 1–2 digits is a decimal mark (``97,5``, ``97.5``, ``4,92``):
  no thousands grouping has fewer than 3 digits, so there is only one reading;
* in a quantity, ``,`` or ``.`` followed by groups of exactly 3 digits groups thousands
  (``1.000 Orang``, ``1,000 Orang`` are 1000): a count of people or documents is not written
  with 3 decimals;
* in a percentage or a range, a mark followed by 3 digits (``1.000%``, ``0,125%``) could be
  either, so the target is kept as TEXT rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from renaksi.core.messages import MessageError, gettext_noop, msg
from renaksi.core.text import normalize_space

__all__ = ["Target", "TargetError", "TargetKind", "format_target", "is_target_like", "parse_target"]


class TargetError(MessageError):
    """A target that cannot exist: an empty cell, or a :class:`Target` with inconsistent fields.

    Only the empty cell is a person's mistake (its message is in the catalog); the others are a
    caller's and stay in English, like any programming error."""


class TargetKind(str, Enum):  # noqa: UP042 -- the agreed API; str() must stay the Enum form
    """The shape of a target, which decides how achievement is measured against it."""

    PERCENT = "percent"
    RANGE = "range"
    QUANTITY = "quantity"
    TEXT = "text"


@dataclass(frozen=True)
class Target:
    """A parsed target, holding both the reading and the source text.

    ``value`` is the number (the lower bound for a RANGE), ``upper`` the upper bound of a RANGE.
    ``unit`` is ``"%"`` for percentages and percentage ranges, the unit words of a quantity
    (``"Rancangan"``), and ``""`` for a unitless range or text. ``text`` is the source, stripped.
    """

    kind: TargetKind
    value: Decimal | None
    upper: Decimal | None
    unit: str
    text: str

    def __post_init__(self) -> None:
        """Refuse field combinations that no reading of a target produces."""
        if self.kind is TargetKind.TEXT:
            if self.value is not None or self.upper is not None:
                raise TargetError("a TEXT target has no value and no upper bound")
            return
        if self.value is None:
            raise TargetError(f"a {self.kind.value} target needs a value")
        if not self.value.is_finite() or (self.upper is not None and not self.upper.is_finite()):
            raise TargetError("a target value must be a finite number")
        if self.kind is TargetKind.RANGE:
            if self.upper is None or self.value > self.upper:
                raise TargetError("a range target needs a lower value not above its upper value")
        elif self.upper is not None:
            raise TargetError(f"only a range target has an upper bound, not a {self.kind.value} target")
        if self.kind is TargetKind.PERCENT and self.unit != "%":
            raise TargetError("a percent target has the unit '%'")
        if self.kind is TargetKind.QUANTITY and not self.unit:
            raise TargetError("a quantity target needs a unit")


# A number in a percentage or a range: digits, optionally a decimal mark and 1-2 digits.
_PLAIN = r"[0-9]+(?:[.,][0-9]{1,2})?"
# A number in a quantity: plain, or thousands grouped by one kind of mark with an optional decimal
# part using the other mark.
_GROUPED = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]{1,2})?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?"
_PERCENT_SIGN = r"(?:%|persen\b)"
_RANGE_SEPARATOR = r"(?:-|\u2013|\u2014|s\.\s?d\.?|s/d|sd|sampai(?:\s+dengan)?|hingga)"
_UNIT_WORD = r"[^\W\d_](?:[^\W\d_]|[/.\-])*|[/.\-]+[^\W\d_](?:[^\W\d_]|[/.\-])*"

_PERCENT_RE = re.compile(rf"(?P<n>{_PLAIN})\s?{_PERCENT_SIGN}", re.IGNORECASE)
_RANGE_RE = re.compile(
    rf"(?P<lo>{_PLAIN})\s?(?P<p1>{_PERCENT_SIGN})?\s?{_RANGE_SEPARATOR}\s?"
    rf"(?P<hi>{_PLAIN})\s?(?P<p2>{_PERCENT_SIGN})?",
    re.IGNORECASE,
)
_QUANTITY_RE = re.compile(
    rf"(?P<n>{_GROUPED}|{_PLAIN}) (?P<unit>(?:{_UNIT_WORD})(?: (?:{_UNIT_WORD})){{0,2}})"
)
_MAX_UNIT_LENGTH = 40


def parse_target(text: str) -> Target:
    """Read a target cell; unknown shapes become TEXT. Raises :class:`TargetError` only if empty."""
    source = text.strip()
    s = normalize_space(text)
    if not s:
        raise TargetError(msg(gettext_noop("target kosong: sel TARGET tidak berisi teks")))

    match = _PERCENT_RE.fullmatch(s)
    if match is not None:
        return Target(TargetKind.PERCENT, _decimal(match["n"]), None, "%", source)

    match = _RANGE_RE.fullmatch(s)
    if match is not None:
        lower, upper = _decimal(match["lo"]), _decimal(match["hi"])
        if lower <= upper:
            unit = "%" if match["p1"] or match["p2"] else ""
            return Target(TargetKind.RANGE, lower, upper, unit, source)

    match = _QUANTITY_RE.fullmatch(s)
    if match is not None and len(match["unit"]) <= _MAX_UNIT_LENGTH:
        return Target(TargetKind.QUANTITY, _decimal(match["n"]), None, match["unit"], source)

    return Target(TargetKind.TEXT, None, None, "", source)


def _decimal(number: str) -> Decimal:
    """Turn a number matched by the patterns above into a Decimal.

    The patterns guarantee that a mark followed by exactly 3 digits groups thousands and any other
    mark is the decimal mark, so the last mark decides when it is followed by 1–2 digits.
    """
    cut = max(number.rfind("."), number.rfind(","))
    if cut >= 0 and len(number) - cut - 1 < 3:
        integer, fraction = number[:cut], number[cut + 1 :]
    else:
        integer, fraction = number, ""
    integer = integer.replace(".", "").replace(",", "")
    return Decimal(f"{integer}.{fraction}" if fraction else integer)


def is_target_like(text: str) -> bool:
    """Tell whether a cell reads as a measurable target (not free text); never raises.

    Importers use it to recognise the TARGET column by content.
    """
    try:
        return parse_target(text).kind is not TargetKind.TEXT
    except TargetError:
        return False


def format_target(t: Target) -> str:
    """Write a target in canonical Indonesian form: ``97,5%``, ``80–90%``, ``1.000 Orang``.

    TEXT targets are written verbatim. Reading the result back gives the same kind, value, upper
    bound and unit for every target that :func:`parse_target` can produce.
    """
    if t.kind is TargetKind.TEXT or t.value is None:
        return t.text
    if t.kind is TargetKind.PERCENT:
        return f"{_format_decimal(t.value, grouped=False)}%"
    if t.kind is TargetKind.RANGE and t.upper is not None:
        lower = _format_decimal(t.value, grouped=False)
        upper = _format_decimal(t.upper, grouped=False)
        return f"{lower}\u2013{upper}{t.unit}"
    return f"{_format_decimal(t.value, grouped=True)} {t.unit}"


def _format_decimal(value: Decimal, *, grouped: bool) -> str:
    """Write a Decimal with a decimal comma, without trailing zeros, dots between thousands if asked.

    Grouping is done on the digit string (not through ``int``) so that any size is accepted.
    """
    plain = format(value.normalize(), "f")
    sign = "-" if plain.startswith("-") else ""
    integer, _, fraction = plain.lstrip("-").partition(".")
    if grouped:
        head = len(integer) % 3 or 3
        integer = ".".join([integer[:head]] + [integer[i : i + 3] for i in range(head, len(integer), 3)])
    return f"{sign}{integer},{fraction}" if fraction else f"{sign}{integer}"
