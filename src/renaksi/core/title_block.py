"""The lines above the table: title, signing unit and agency, however the file splits them.

The printed form has three one-cell lines (``RENCANA AKSI TAHUN 2023`` / ``SEKRETARIS`` /
``KOMISI PEMILIHAN UMUM PROVINSI GORONTALO``), but files join them (``SEKRETARIS KOMISI
PEMILIHAN UMUM PROVINSI GORONTALO`` in one cell, or the whole title in one line) or spread one
line over several cells. The signing unit is part of a plan's identity (one plan per agency,
year and unit), so it is read the same way from every form: the position alone, in capitals.
"""

from __future__ import annotations

import re

from renaksi.core.text import normalize_space

__all__ = ["TITLE", "normalize_signing_unit", "split_signing_unit", "split_title"]

TITLE = re.compile(r"^(?P<title>rencana aksi\b.*?\btahun\s+(?P<year>\d{4}))\b\s*(?P<rest>.*)$", re.I)

# Positions that sign a plan, and the words an agency's name starts with. A unit is a position
# (possibly with its bureau: KEPALA BAGIAN UMUM); the agency starts at the first institution word.
_POSITION = re.compile(
    r"^(sekretaris|sekjen|kepala|ketua|direktur|inspektur|kabag|kasubbag|kasubag|camat|lurah|bupati|"
    r"wali ?kota|walikota|gubernur|deputi|asisten|plt\.?|plh\.?)\b",
    re.I,
)
_INSTITUTION = re.compile(
    r"\b(komisi|kpu|badan|dinas|kantor|kementerian|sekretariat|pemerintah|inspektorat|lembaga|"
    r"direktorat|pengadilan|kejaksaan|kepolisian|universitas|balai|dewan|mahkamah|bawaslu)\b",
    re.I,
)


def normalize_signing_unit(text: str) -> str:
    """``Sekretaris,`` and ``SEKRETARIS`` are one unit: capitals, single spaces, no closing mark."""
    return normalize_space(text).strip(" ,.:;").upper()


def split_signing_unit(text: str) -> tuple[str, str]:
    """``SEKRETARIS KOMISI PEMILIHAN UMUM ...`` -> (``SEKRETARIS``, ``KOMISI PEMILIHAN UMUM ...``).

    A text that does not start with a position, or names no institution after it, is all unit.
    """
    text = normalize_space(text)
    if _POSITION.match(text) is None:
        return text, ""
    institution = _INSTITUTION.search(text, 1)
    if institution is None or not text[: institution.start()].strip():
        return text, ""
    return text[: institution.start()].strip(" ,"), text[institution.start() :].strip()


def split_title(text: str) -> tuple[str, int, str] | None:
    """A title line (``RENCANA AKSI TAHUN 2023``, maybe followed by the unit and agency): the title,
    the year and what follows it; ``None`` for any other line."""
    match = TITLE.match(normalize_space(text))
    if match is None:
        return None
    return match.group("title"), int(match.group("year")), match.group("rest").strip()
