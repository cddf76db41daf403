"""How long each text of a plan line may be when a person saves it (docs/limits.md).

A Rencana Aksi cell is a sentence or two: the longest remark in the seed is under 100
characters. Without a limit a planner could save a 15 MB remark, which every page, PDF and
export of the plan then carries. The line edit form refuses a longer text (and tells the browser
the limit), and :func:`check_line_texts` refuses it again in the update service, naming the field,
whoever calls it. A text that is already stored (from an import, which has its own per-cell limit)
and is saved unchanged is not refused: the limit is on what a person writes.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

#: Characters per field of a line.
LINE_TEXT_LIMITS: dict[str, int] = {
    "name": 2_000,
    "remarks": 4_000,
    "person_in_charge": 200,
    "budget_code": 64,
}

#: The names the refusal gives each field.
LINE_TEXT_LABELS: dict[str, Any] = {
    "name": _("Rencana kegiatan"),
    "remarks": _("Keterangan"),
    "person_in_charge": _("Penanggung jawab"),
    "budget_code": _("Akun (kode anggaran)"),
}


class TextTooLong(ValueError):
    """A text over its field's limit (the message names the field and the limit)."""

    def __init__(self, field: str, length: int) -> None:
        self.field, self.length, self.limit = field, length, LINE_TEXT_LIMITS[field]
        super().__init__(too_long_message(field, length))


def too_long_message(field: str, length: int) -> str:
    return str(
        _("%(field)s terlalu panjang: %(length)s karakter, paling banyak %(limit)s.")
        % {
            "field": LINE_TEXT_LABELS[field],
            "length": f"{length:,}".replace(",", "."),
            "limit": f"{LINE_TEXT_LIMITS[field]:,}".replace(",", "."),
        }
    )


class _LineTexts(Protocol):
    @property
    def remarks(self) -> str: ...
    @property
    def person_in_charge(self) -> str: ...
    @property
    def budget_code(self) -> str: ...


def check_line_texts(change: _LineTexts, stored: _LineTexts | None = None) -> None:
    """Refuse (TextTooLong) a text of ``change`` over its limit, unless it is the text ``stored``
    holds already."""
    for field in ("remarks", "person_in_charge", "budget_code"):
        text = getattr(change, field)
        if len(text) > LINE_TEXT_LIMITS[field] and (stored is None or getattr(stored, field) != text):
            raise TextTooLong(field, len(text))
