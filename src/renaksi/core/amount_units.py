"""Amounts in a column whose header names a unit: ``PERKIRAAN BIAYA (Rp juta)``, ``Rp. (ribu)``.

A unit in the header scales every amount of the column, and a figure read in the wrong unit is
wrong by a factor of a thousand or a million without anything looking odd. So the unit is read
from the header or the column is refused, and a scaled amount must come out a whole number of
Rupiah. Once amounts carry a unit they can have decimals (``8,5`` juta), and ``8,378`` then
means 8378 juta in an English-locale sheet but 8,378 juta in an Indonesian one: the column's
own cells must tell which mark is the decimal one, or the column is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from renaksi.core.messages import MessageError, gettext_noop, msg
from renaksi.core.money import MAX_AMOUNT, format_number_id
from renaksi.core.text import normalize_space

__all__ = ["UnitError", "cost_header_unit", "decimal_mark_of", "is_cost_header", "scaled_amount"]

_COST_HEADER = re.compile(
    r"^(?:perkiraan|rencana|jumlah|total|rincian)?\s*(?:biaya|anggaran|pagu)\b(?P<rest>.*)$", re.I
)
_WORD = re.compile(r"[a-z]+\.?|\d+", re.I)
_UNIT_WORDS = {
    "ribu": 10**3,
    "ribuan": 10**3,
    "rb": 10**3,
    "juta": 10**6,
    "jutaan": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "miliaran": 10**9,
}
# Words that may stand beside the unit without changing it.
_NEUTRAL_WORDS = frozenset({"rp", "rp.", "idr", "rupiah", "dalam", "dlm", "satuan", "in"})
_AMOUNT = re.compile(r"^(?:rp\.?|idr)?\s*(?P<number>\d[\d.,]*)$", re.I)


class UnitError(MessageError):
    """A unit or an amount that cannot be read without guessing; the message says why."""


def is_cost_header(label: str) -> bool:
    """Whether a header cell names the cost column, whatever unit follows the name."""
    return _COST_HEADER.match(normalize_space(label)) is not None


def cost_header_unit(label: str) -> int:
    """The multiplier a cost header declares: 1 for Rupiah, 1,000 for ``(ribu)``, and so on.

    Raises :class:`UnitError` when the header says more than a unit and its words cannot be told
    apart from one (``PERKIRAAN BIAYA (USD)``): such a column is refused, never read as Rupiah.
    """
    match = _COST_HEADER.match(normalize_space(label))
    if match is None:
        raise UnitError(msg(gettext_noop("{label!r} bukan judul kolom biaya"), label=label))
    multiplier = 1
    unknown: list[str] = []
    for word in _WORD.findall(match.group("rest").casefold()):
        if word in _UNIT_WORDS:
            if multiplier != 1 and multiplier != _UNIT_WORDS[word]:
                raise UnitError(msg(gettext_noop("judul {label!r} menyebut dua satuan"), label=label))
            multiplier = _UNIT_WORDS[word]
        elif word not in _NEUTRAL_WORDS:
            unknown.append(word)
    if unknown:
        raise UnitError(
            msg(
                gettext_noop(
                    "satuan kolom berjudul {label!r} tidak dapat dipastikan ({words!r} bukan satuan Rupiah: tulis "
                    "Rp, ribu, juta atau miliar)"
                ),
                label=label,
                words=" ".join(unknown),
            )
        )
    return multiplier


def decimal_mark_of(texts: Iterable[str]) -> str | None:
    """The decimal mark (``.`` or ``,``) that a column's amount texts show, ``None`` when none
    tells. Raises :class:`UnitError` when two cells tell different marks."""
    found: dict[str, str] = {}
    for text in texts:
        match = _AMOUNT.match(normalize_space(text))
        if match is None:
            continue
        mark = _mark_shown(match.group("number"))
        if mark is not None:
            found.setdefault(mark, text)
    if len(found) > 1:
        raise UnitError(
            msg(
                gettext_noop(
                    "{dot!r} memakai '.' sebagai tanda desimal tetapi {comma!r} memakai ','; mana yang dimaksud "
                    "kolom ini tidak dapat dipastikan"
                ),
                dot=found["."],
                comma=found[","],
            )
        )
    return next(iter(found), None)


def _mark_shown(number: str) -> str | None:
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        return "." if number.rfind(".") > number.rfind(",") else ","
    if dots > 1:
        return ","  # '.' groups thousands, so ',' would be the decimal mark
    if commas > 1:
        return "."
    for mark in ".,":
        if number.count(mark) == 1 and len(number.split(mark)[1]) != 3:
            return mark  # 1, 2 or 4+ digits after a single mark: a decimal part
    return None


def scaled_amount(text: str, multiplier: int, decimal_mark: str | None, *, number: str = "") -> int:
    """Whole Rupiah for an amount written in units of ``multiplier`` Rupiah.

    ``number`` is a workbook number's exact decimal text (``8.378``): it is read as it is. A text
    amount is read with the column's ``decimal_mark``; a single mark followed by three digits
    (``8,378``) with no mark known for the column is refused as ambiguous.
    """
    if number:
        value = _decimal(number, text)
    else:
        match = _AMOUNT.match(normalize_space(text))
        if match is None:
            raise UnitError(msg(gettext_noop("{text!r} bukan jumlah uang"), text=text))
        digits = match.group("number")
        mark = decimal_mark or _mark_shown(digits)
        if mark is None and ("." in digits or "," in digits):
            whole, fraction = digits.replace(",", "").replace(".", ""), digits.replace(",", ".")
            raise UnitError(
                msg(
                    gettext_noop(
                        "jumlah {text!r} bermakna ganda di kolom bersatuan {unit} Rupiah: bisa {whole} atau "
                        "{fraction} satuan, dan tidak ada jumlah lain di kolom itu yang menunjukkan tanda desimalnya; "
                        "tulis jumlahnya dalam Rupiah penuh, atau dengan desimalnya (8,50)"
                    ),
                    text=text,
                    unit=_grouped(multiplier),
                    whole=whole,
                    fraction=fraction,
                )
            )
        group = "," if mark == "." else "."
        if mark is not None and mark in digits and group in digits.split(mark)[-1]:
            raise UnitError(
                msg(gettext_noop("{text!r} punya pemisah ribuan sesudah tanda desimalnya"), text=text)
            )
        value = _decimal(digits.replace(group, "").replace(mark or ".", "."), text)
    rupiah = value * multiplier
    if rupiah != rupiah.to_integral_value():
        raise UnitError(
            msg(
                gettext_noop("{text!r} × {unit} bukan bilangan Rupiah bulat"),
                text=text,
                unit=_grouped(multiplier),
            )
        )
    if abs(rupiah) > MAX_AMOUNT:
        raise UnitError(
            msg(gettext_noop("{text!r} × {unit} terlalu besar"), text=text, unit=_grouped(multiplier))
        )
    return int(rupiah)


def _decimal(number: str, text: str) -> Decimal:
    try:
        return Decimal(number)
    except InvalidOperation:
        raise UnitError(msg(gettext_noop("{text!r} bukan jumlah uang"), text=text)) from None


def _grouped(number: int) -> str:
    return format_number_id(number)
