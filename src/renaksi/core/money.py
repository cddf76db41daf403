"""Integer Rupiah: reading amounts as people and spreadsheets write them, and writing them back.

Rupiah has no minor unit in practice, so an amount is a Python ``int`` and never a float. Cells
come from Indonesian-locale sheets (``8.378.000``), English-locale sheets (``8,378,000``) and
hand typing (``Rp.100.000``, ``Rp 1.000,-``). The reader accepts all of them but refuses to guess:
when a text could mean two different amounts it raises :class:`MoneyError` saying why, so the
caller can name the cell and let a person decide.

Reading rules, in order:

* empty text and a lone dash (``-``, ``–``, ``—``) mean "no cost" and give ``None``; so does a
  currency marker followed by a dash (``Rp -``), which is how spreadsheet accounting formats show
  an empty amount;
* an optional minus, an optional currency marker (``Rp``, ``Rp.``, ``IDR``, any letter case), an
  optional minus after it, then one number, then an optional ``,-`` meaning "no cents";
* in the number, one kind of separator groups thousands: the first group has 1–3 digits and every
  later group exactly 3;
* the other separator may end the number with a decimal part of 1–2 digits, which must be zeros;
* with a single separator, 3 digits after it mean thousands (``1.500`` is 1500, since Rupiah
  amounts are never written with 3 decimals), 2 digits mean a decimal part (``500,00`` is 500;
  non-zero cents are refused), and 1 digit is ambiguous (``1.5`` could be 1,5 or a truncated
  "1.5 juta") and refused.
"""

from __future__ import annotations

import re

from renaksi.core.messages import MessageError, gettext_noop, msg
from renaksi.core.text import normalize_space

__all__ = [
    "MAX_AMOUNT",
    "MoneyError",
    "format_number_id",
    "format_rupiah",
    "is_money_like",
    "parse_rupiah",
    "unreadable_amount",
]

#: The largest magnitude accepted, Rp 1 quadrillion: far above any state budget line, and small
#: enough that a longer digit run is certainly a paste error rather than an amount.
MAX_AMOUNT = 10**15

_DASHES = frozenset({"-", "\u2013", "\u2014"})
_MINUS_SIGNS = "-\u2212"
_CURRENCY_MARKERS = frozenset({"rp", "rp.", "idr"})
_CURRENCY_RE = re.compile(r"(?:rp\.?|idr)", re.IGNORECASE)
_SECOND_MARKER_RE = re.compile(r"(?<![a-z])(?:rp|idr)(?![a-z])", re.IGNORECASE)
_NUMBER_CHARS_RE = re.compile(r"[0-9.,]+")
_ABBREVIATED_RE = re.compile(
    r"[0-9][0-9.,]*\s*(?P<unit>juta|jt|ribu|rb|miliar|milyar|triliun|trilyun|m|t|k|b|bn|mn|mio)\.?",
    re.IGNORECASE,
)


class MoneyError(MessageError):
    """A text that is not a Rupiah amount, with a message saying why it was refused."""


#: The forms nearly every cost cell takes, already normalized: an optional ``Rp``/``Rp.`` and one
#: space, then a whole number without leading zero, grouped by ``.`` or by ``,`` or not at all.
#: Every text it matches reads, by the rules above, as its digits (a single separator followed by
#: 3 digits groups thousands); :func:`parse_rupiah` reads them without the general path.
_PLAIN_AMOUNT_RE = re.compile(
    r"(?:[Rr][Pp]\.? ?)?([1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]{0,2}(?:,[0-9]{3})+|[1-9][0-9]*)"
)


def parse_rupiah(text: str) -> int | None:
    """Read an integer Rupiah amount, ``None`` for "no cost", or raise :class:`MoneyError`.

    See the module docstring for the accepted forms and why the refused ones are refused.
    """
    plain = _PLAIN_AMOUNT_RE.fullmatch(text)
    if plain is not None:
        digits = plain.group(1)
        amount = int(digits.replace(".", "").replace(",", "")) if len(digits) <= 21 else MAX_AMOUNT + 1
        if amount <= MAX_AMOUNT:
            return amount
    return _parse_rupiah(text)


def _parse_rupiah(text: str) -> int | None:
    """:func:`parse_rupiah` for every form: the rules of the module docstring, one by one."""
    s = normalize_space(text)
    if s == "" or s in _DASHES:
        return None

    negative = False
    rest = s
    if rest[0] in _MINUS_SIGNS:
        negative = True
        rest = rest[1:].lstrip()

    marker = _CURRENCY_RE.match(rest)
    if marker is not None:
        rest = rest[marker.end() :].lstrip()
        if not rest:
            raise MoneyError(
                msg(gettext_noop("tidak ada jumlah di {text!r}: tanda mata uang tanpa angka"), text=text)
            )
        if rest in _DASHES and not negative:
            return None
        if rest[0] in _MINUS_SIGNS:
            if negative:
                raise MoneyError(msg(gettext_noop("dua tanda minus di {text!r}"), text=text))
            negative = True
            rest = rest[1:].lstrip()

    if not rest:
        raise MoneyError(
            msg(gettext_noop("tidak ada jumlah di {text!r}: tanda minus tanpa angka"), text=text)
        )

    if rest.endswith((",-", ".-")):
        rest = rest[:-2].rstrip()

    digits = _digits_of(rest, text)
    if len(digits) > len(str(MAX_AMOUNT)) or int(digits) > MAX_AMOUNT:
        raise MoneyError(
            msg(
                gettext_noop("jumlah {text!r} terlalu besar: batasnya {limit}"),
                text=text,
                limit=format_rupiah(MAX_AMOUNT),
            )
        )
    amount = int(digits)
    return -amount if negative else amount


def _digits_of(number: str, text: str) -> str:
    """Check the number part of a cell and return its integer digits, leading zeros stripped."""
    if not _NUMBER_CHARS_RE.fullmatch(number):
        _explain_not_a_number(number, text)
    if number[0] not in "0123456789" or number[-1] not in "0123456789":
        raise MoneyError(msg(gettext_noop("jumlah {text!r} diawali atau diakhiri tanda pemisah"), text=text))

    separators = {c for c in number if c in ".,"}
    if not separators:
        integer = number
    elif len(separators) == 2:
        integer = _split_decimal_part(number, text)
    else:
        integer = _single_separator(number, separators.pop(), text)
    return integer.lstrip("0") or "0"


def _explain_not_a_number(number: str, text: str) -> None:
    """Raise the most helpful :class:`MoneyError` for a number part holding foreign characters."""
    abbreviated = _ABBREVIATED_RE.fullmatch(number)
    if abbreviated is not None:
        raise MoneyError(
            msg(
                gettext_noop(
                    "jumlah yang disingkat {text!r} ditolak: '{unit}' berarti pengali (ribu, juta, miliar...); "
                    "tulis jumlah lengkapnya, mis. 'Rp 1.500.000'"
                ),
                text=text,
                unit=abbreviated.group("unit"),
            )
        )
    tokens = number.split(" ")
    if len(tokens) > 1 and all(_NUMBER_CHARS_RE.fullmatch(t) for t in tokens):
        raise MoneyError(
            msg(
                gettext_noop(
                    "{text!r} berisi {count} bilangan yang dipisah spasi; satu sel hanya boleh berisi satu jumlah "
                    "(spasi tidak diterima sebagai pemisah ribuan)"
                ),
                text=text,
                count=len(tokens),
            )
        )
    if _SECOND_MARKER_RE.search(number):
        raise MoneyError(
            msg(
                gettext_noop(
                    "{text!r} berisi lebih dari satu jumlah; satu sel hanya boleh berisi satu jumlah"
                ),
                text=text,
            )
        )
    if any(c.isalpha() for c in number):
        raise MoneyError(msg(gettext_noop("{text!r} bukan jumlah uang: berisi huruf"), text=text))
    raise MoneyError(
        msg(
            gettext_noop("{text!r} bukan jumlah uang: sesudah 'Rp' hanya boleh angka, '.' dan ','"), text=text
        )
    )


def _split_decimal_part(number: str, text: str) -> str:
    """Handle a number using both separators: the last one must open an all-zero decimal part."""
    cut = max(number.rfind("."), number.rfind(","))
    mark = number[cut]
    integer, fraction = number[:cut], number[cut + 1 :]
    group = "," if mark == "." else "."
    if mark in integer or len(fraction) == 3:
        raise MoneyError(
            msg(
                gettext_noop(
                    "jumlah {text!r} mencampur '.' dan ',' sebagai pemisah ribuan; pakai satu jenis pemisah saja"
                ),
                text=text,
            )
        )
    _check_decimal_part(fraction, mark, text)
    _check_groups(integer, group, text)
    return integer.replace(group, "")


def _single_separator(number: str, sep: str, text: str) -> str:
    """Handle a number using one kind of separator: thousands groups, or a lone decimal part."""
    parts = number.split(sep)
    if len(parts) == 2 and len(parts[1]) < 3:
        if len(parts[1]) == 1:
            raise MoneyError(
                msg(
                    gettext_noop(
                        "jumlah {text!r} bermakna ganda: satu '{mark}' yang diikuti 1 angka bisa berarti tanda "
                        "desimal atau pemisah ribuan; tulis jumlah lengkapnya"
                    ),
                    text=text,
                    mark=sep,
                )
            )
        _check_decimal_part(parts[1], sep, text)
        return parts[0]
    _check_groups(number, sep, text)
    return number.replace(sep, "")


def _check_decimal_part(fraction: str, mark: str, text: str) -> None:
    """Refuse decimal parts that are not 1–2 zeros: Rupiah amounts are whole."""
    if not 1 <= len(fraction) <= 2:
        raise MoneyError(
            msg(
                gettext_noop(
                    "jumlah {text!r} punya {count} angka sesudah tanda desimal '{mark}'; seharusnya 1 atau 2"
                ),
                text=text,
                count=len(fraction),
                mark=mark,
            )
        )
    if fraction.strip("0"):
        raise MoneyError(
            msg(
                gettext_noop(
                    "jumlah {text!r} punya sen yang bukan nol '{cents}': jumlah Rupiah selalu bulat"
                ),
                text=text,
                cents=f"{mark}{fraction}",
            )
        )


def _check_groups(number: str, sep: str, text: str) -> None:
    """Check thousands grouping: a first group of 1–3 digits, then groups of exactly 3."""
    first, *rest = number.split(sep)
    if rest and first.strip("0") == "":
        raise MoneyError(
            msg(
                gettext_noop(
                    "jumlah {text!r}: jumlah dengan pemisah ribuan tidak dapat diawali '{start}'; apakah ini pecahan?"
                ),
                text=text,
                start=f"{first}{sep}",
            )
        )
    if not 1 <= len(first) <= 3:
        raise MoneyError(
            msg(
                gettext_noop(
                    "jumlah {text!r}: kelompok pertama '{first}' sebelum '{sep}' punya {count} angka; seharusnya "
                    "1 sampai 3"
                ),
                text=text,
                first=first,
                sep=sep,
                count=len(first),
            )
        )
    for group in rest:
        if len(group) != 3:
            raise MoneyError(
                msg(
                    gettext_noop(
                        "jumlah {text!r}: kelompok '{group}' sesudah '{sep}' punya {count} angka; kelompok ribuan "
                        "harus tepat 3 angka"
                    ),
                    text=text,
                    group=group,
                    sep=sep,
                    count=len(group),
                )
            )


def format_number_id(amount: int) -> str:
    """Write an integer the Indonesian way, with '.' between thousands: ``8.378.000``."""
    grouped = f"{abs(amount):,}".replace(",", ".")
    return f"-{grouped}" if amount < 0 else grouped


def format_rupiah(amount: int) -> str:
    """Write an amount for people (UI, PDF): ``Rp 8.378.000``, ``Rp 0``, ``-Rp 5.000``."""
    text = f"Rp {format_number_id(abs(amount))}"
    return f"-{text}" if amount < 0 else text


def is_money_like(text: str) -> bool:
    """Tell whether a cell holds an amount or a bare currency marker; never raises.

    Importers use this to recognise the cost column by content: in exports the ``Rp`` and the
    digits are often in two neighbouring cells, so a cell holding only ``Rp`` also counts.
    """
    if normalize_space(text).casefold() in _CURRENCY_MARKERS:
        return True
    try:
        return parse_rupiah(text) is not None
    except MoneyError:
        return False


# Amount forms no rule above reads, which a spreadsheet or another system still writes where a
# cost belongs: an accounting negative, scientific notation, digits of another script.
_ACCOUNTING_NEGATIVE_RE = re.compile(r"\(\s*((?:rp\.?|idr)?\s*[0-9][0-9.,]*(?:,-)?)\s*\)", re.IGNORECASE)
_ACCOUNTING_OUTSIDE_RE = re.compile(r"(?:rp\.?|idr)\s*\(\s*([0-9][0-9.,]*)\s*\)", re.IGNORECASE)
_SCIENTIFIC_RE = re.compile(r"(?:(?:rp\.?|idr)\s*)?[+-]?[0-9]+(?:[.,][0-9]+)?e[+-]?[0-9]+", re.IGNORECASE)
_ANY_DIGITS_RE = re.compile(r"(?:(?:rp\.?|idr)\s*)?[-\u2212]?\d[\d.,\s]*(?:,-)?", re.IGNORECASE)


def unreadable_amount(text: str) -> MessageError | None:
    """Why ``text``, shaped like an amount, is not read as one (``None``: it is no such form).

    ``(5.000.000)`` is an accounting negative, and a plan line's cost is never negative;
    ``1e20`` is scientific notation, which no one types for Rupiah; ``٥٠٠٠`` and ``５０００`` are
    digits of other scripts, whose separators cannot be told apart from a paste error. Each is
    refused rather than read, and rather than left for the caller to take as text. Never raises.
    """
    if text.isascii() and "(" not in text and "e" not in text and "E" not in text:
        return None  # the common case, and no form below
    s = normalize_space(text)
    negative = _ACCOUNTING_NEGATIVE_RE.fullmatch(s) or _ACCOUNTING_OUTSIDE_RE.fullmatch(s)
    if negative is not None:
        digits = sum(c.isdigit() for c in negative.group(1))
        try:
            amount = parse_rupiah(negative.group(1))
        except MoneyError:
            amount = None
        if amount is not None and digits >= 4:
            return MoneyError(
                msg(
                    gettext_noop(
                        "biaya negatif {text!r} (tanda kurung berarti negatif dalam format akuntansi): biaya "
                        "rencana kegiatan tidak boleh negatif"
                    ),
                    text=text,
                )
            )
        return None
    if _SCIENTIFIC_RE.fullmatch(s):
        return MoneyError(
            msg(
                gettext_noop(
                    "{text!r} ditulis dalam notasi ilmiah; tulis jumlah Rupiah lengkapnya, mis. 'Rp 1.500.000'"
                ),
                text=text,
            )
        )
    if not s.isascii() and _ANY_DIGITS_RE.fullmatch(s) and any(c.isdigit() and not c.isascii() for c in s):
        return MoneyError(
            msg(
                gettext_noop(
                    "{text!r} memakai angka selain 0-9; tulis jumlahnya dengan angka 0-9, mis. 'Rp 1.500.000'"
                ),
                text=text,
            )
        )
    return None
