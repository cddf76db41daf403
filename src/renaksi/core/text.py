"""Whitespace and comparison helpers for text copied out of spreadsheets and PDFs.

Exported cells carry no-break spaces, thin spaces, tabs and line breaks that look like ordinary
spaces on screen. Every parser in ``renaksi.core`` first runs its input through
:func:`normalize_space` so that such invisible differences never decide how a cell is read.
"""

from __future__ import annotations

# Characters that are not whitespace to Python but appear in pasted text as invisible glue:
# zero-width space, zero-width non-joiner/joiner, word joiner and the byte-order mark. They
# carry no meaning in a plan, so they are dropped rather than turned into spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalize_space(s: str) -> str:
    """Collapse every run of whitespace (including NBSP and thin spaces) to one space and strip.

    ``str.split()`` without arguments splits on every Unicode whitespace character, which covers
    U+00A0 (no-break space), U+2009 (thin space) and U+202F (narrow no-break space) as used by
    Indonesian-locale number formats.
    """
    if s.isascii():  # the invisible characters are all outside ASCII: nothing to drop
        return " ".join(s.split())
    return " ".join(s.translate(_INVISIBLE).split())


def same_text(a: str, b: str) -> bool:
    """Tell whether two labels are the same for a person: equal up to spacing and letter case.

    Used to match a cell against a known name (a goal, a unit of measure) typed by different
    people; ``casefold`` rather than ``lower`` so that comparisons also hold outside ASCII.
    """
    return normalize_space(a).casefold() == normalize_space(b).casefold()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """A cell that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+cmd``, ``@SUM``)
    gets a leading apostrophe, the spreadsheet convention for "this is text". A lone ``-`` (no cost)
    and plain numbers such as ``-5`` stay as they are."""
    if len(text) > 1 and text.startswith(_FORMULA_STARTS) and not _is_plain_number(text):
        return "'" + text
    return text


def csv_unsafe(text: str) -> str:
    """Undo :func:`csv_safe` when reading a CSV back."""
    if len(text) > 2 and text[0] == "'" and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _is_plain_number(text: str) -> bool:
    body = text[1:] if text[0] in "+-" else text
    return bool(body) and all(ch.isdigit() or ch in ".," for ch in body)
