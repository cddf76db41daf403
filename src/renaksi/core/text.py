"""Whitespace and comparison helpers for text copied out of spreadsheets and PDFs.

Exported cells carry no-break spaces, thin spaces, tabs and line breaks that look like ordinary
spaces on screen. Every parser in ``renaksi.core`` first runs its input through
:func:`normalize_space` so that such invisible differences never decide how a cell is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def csv_safe(text: str) -> str:
    """A cell that a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``+cmd``, ``@SUM``,
    also after spaces or a tab) gets a leading apostrophe, the spreadsheet convention for "this is
    text"; so does every line inside the cell, after any line break (``catatan\\r=cmd``), for the
    readers that split rows there, and a cell that starts with a tab or a line break. A lone ``-``
    (no cost) and plain numbers such as ``-5`` stay as they are. An apostrophe already there is
    doubled, so :func:`csv_unsafe` gives back exactly the text."""
    if not _MAY_NEED_MARK.search(text):
        return text
    parts = _LINE_BREAK.split(text)  # texts and the breaks between them: [text, break, text, ...]
    broken = len(parts) > 1
    for index in range(0, len(parts), 2):
        if _runs(parts[index], first=index == 0, broken=broken):
            parts[index] = "'" + parts[index]
    return "".join(parts)


def csv_unsafe(text: str) -> str:
    """Undo :func:`csv_safe` when reading a CSV back."""
    if "'" not in text:
        return text
    parts = _LINE_BREAK.split(text)
    broken = len(parts) > 1
    for index in range(0, len(parts), 2):
        part = parts[index]
        if part.startswith("'") and _runs(part, first=index == 0, broken=broken):
            parts[index] = part[1:]
    return "".join(parts)


def _runs(part: str, *, first: bool, broken: bool) -> bool:
    """Whether a line of a cell, less any apostrophes it starts with, would be run as a formula
    (or, for the first line, starts the cell with a tab or a line break). Deciding on the text
    without its apostrophes is what makes adding one undoable."""
    body = part.lstrip("'")
    if not body:
        return first and broken  # the cell starts with a line break
    if first and body[0] == "\t":
        return True  # a cell that starts with a tab
    body = body.lstrip()
    return bool(body) and body[0] in "=+-@" and body != "-" and not _is_plain_number(body)


def _is_plain_number(text: str) -> bool:
    body = text[1:] if text[0] in "+-" else text
    return bool(body) and all(ch.isdigit() or ch in ".," for ch in body)


# Every line break str.splitlines() knows. The csv module quotes a cell holding "\n" (its line
# terminator) but not a bare "\r", "\u2028" or the others, at which other readers start a new row.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_NEEDS_QUOTES = {delimiter: re.compile(f'[{delimiter}"{_LINE_BREAKS}]') for delimiter in ",;"}
_LINE_BREAK = re.compile(f"(\r\n|[{_LINE_BREAKS}])")
# What csv_safe may have to mark: a formula character, whitespace, an apostrophe or a line break.
_MAY_NEED_MARK = re.compile(f"^[\\s'=+\\-@]|[{_LINE_BREAKS}]")


def csv_line(cells: Sequence[object], delimiter: str = ",") -> str:
    """One CSV record, ``\\n``-terminated, as ``csv.writer`` writes it (minimal quoting), except
    that a cell holding any line break is quoted, so no reader splits it into two rows.
    ``delimiter`` is ``,`` or ``;``."""
    needs_quotes = _NEEDS_QUOTES[delimiter]
    fields = []
    for cell in cells:
        text = "" if cell is None else str(cell)
        if needs_quotes.search(text):
            text = '"' + text.replace('"', '""') + '"'
        fields.append(text)
    if fields == [""]:
        return '""\n'
    return delimiter.join(fields) + "\n"
