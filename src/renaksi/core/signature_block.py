"""The signature block under the table: place and date, the signer's title, name and NIP.

Printed plans end with ``Gorontalo, 2 Januari 2023`` / ``SEKRETARIS,`` / (room to sign) /
``Nama Lengkap`` / ``NIP. 19700101 199003 1 001``. The lines are told apart by what they are: the
place and date by the Indonesian date at the end, the NIP by its 18 digits, the name as the line
above the NIP (or the last line), the title as the lines between. A block that says none of this
is no signature; its lines stay unplaced cells.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass

from renaksi.core.schedule import MONTH_NAMES_ID
from renaksi.core.text import normalize_space

__all__ = ["SignatureBlock", "is_place_and_date", "read_signature"]

_MONTHS = {name.casefold(): number for number, name in enumerate(MONTH_NAMES_ID, 1)}
_PLACE_AND_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,60}?)\s*,\s*(?P<day>\d{1,2})\s+(?P<month>[a-z]+)\s+(?P<year>\d{4})\.?$", re.I
)
_NIP_WORD = re.compile(r"^nip\b", re.I)
_NIP = re.compile(r"^nip\.?\s*[:.]?\s*(?P<nip>\d[\d ]{16,24}\d)$", re.I)


@dataclass(frozen=True)
class SignatureBlock:
    place: str = ""
    date: str = ""  # ISO date, "" when not printed
    title: str = ""
    name: str = ""
    nip: str = ""  # digits only

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def is_place_and_date(text: str) -> bool:
    """Whether a line is a signature's place and date (``Gorontalo, 2 Januari 2023``)."""
    return _place_and_date(text) is not None


def _place_and_date(text: str) -> tuple[str, dt.date] | None:
    match = _PLACE_AND_DATE.match(normalize_space(text))
    if match is None or match.group("month").casefold() not in _MONTHS:
        return None
    try:
        day = dt.date(
            int(match.group("year")), _MONTHS[match.group("month").casefold()], int(match.group("day"))
        )
    except ValueError:
        return None
    return match.group("place").strip(), day


def read_signature(lines: list[str]) -> tuple[SignatureBlock, list[str]] | None:
    """Read the lines of a block under the table, in order; ``None`` when they are no signature.

    Returns the signature and, for each line, the field it went to (``place and date``,
    ``title``, ``name``, ``NIP``).
    """
    texts = [normalize_space(line) for line in lines]
    if not texts:
        return None
    place, date, start = "", "", 0
    found = _place_and_date(texts[0])
    fields = [""] * len(texts)
    if found is not None:
        place, date, start = found[0], found[1].isoformat(), 1
        fields[0] = "place and date"
    nip_at = next((i for i in range(start, len(texts)) if _NIP.match(texts[i])), None)
    # A line that starts like a NIP but is none (too few digits) is neither name nor title.
    broken = next((i for i in range(start, len(texts)) if _NIP_WORD.match(texts[i]) and i != nip_at), None)
    if broken is not None and (nip_at is None or broken < nip_at):
        texts, nip_at = texts[:broken], None
    nip = ""
    if nip_at is not None:
        match = _NIP.match(texts[nip_at])
        assert match is not None
        nip = match.group("nip").replace(" ", "")
        fields[nip_at] = "NIP"
        body = texts[start:nip_at]
    else:
        body = texts[start:]
    if not body or (found is None and nip_at is None):
        return None  # neither a date nor a NIP: notes, not a signature
    fields += [""] * (len(lines) - len(fields))
    name = body[-1] if (nip_at is not None or len(body) > 1) else ""
    titles = body[:-1] if name else body
    end = start + len(body)
    for i in range(start, end):
        fields[i] = "name" if name and i == end - 1 else "title"
    title = " ".join(titles).strip(" ,")
    return SignatureBlock(place, date, title, name, nip), fields
