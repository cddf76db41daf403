"""What an export prints around the table: title block and signature block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from renaksi.core.schedule import MONTH_NAMES_ID


@dataclass(frozen=True)
class Signature:
    place: str = ""  # "Gorontalo"
    date: dt.date | None = None
    title: str = ""  # "Sekretaris KPU Provinsi Gorontalo"
    name: str = ""
    nip: str = ""  # Nomor Induk Pegawai

    @property
    def place_and_date(self) -> str:
        """``Gorontalo, 2 Januari 2023`` (Indonesian date), or what of it is known."""
        parts = [self.place] if self.place else []
        if self.date is not None:
            parts.append(indonesian_date(self.date))
        return ", ".join(parts)


@dataclass(frozen=True)
class ExportMeta:
    agency_name: str
    signature: Signature = Signature()
    #: The version and its approval: "Versi 2 · Disetujui oleh ... pada ...", printed beside the
    #: signature block (PDF) and in the page footer (XLSX).
    approval: str = ""


def indonesian_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES_ID[day.month - 1]} {day.year}"
