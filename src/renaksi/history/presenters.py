"""History records as the history pages show them: local Indonesian dates, readable values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from renaksi.agencies.services import agency_zone
from renaksi.core.money import format_rupiah
from renaksi.core.schedule import MONTH_ABBR_ID
from renaksi.history.models import HistoryEvent
from renaksi.planning.models import Plan

FIELD_LABELS = {
    "status": _("Status"),
    "cost": _("Perkiraan biaya"),
    "cost_state": _("Keadaan biaya"),
    # A field of a line, not the budget-code level of the same name: its own context in English.
    "budget_code": pgettext_lazy("field of a line", "Akun"),
    "remarks": _("Keterangan"),
    "person_in_charge": _("Penanggung jawab"),
    "months": _("Rencana pelaksanaan"),
    "name": _("Nama"),
    "text": _("Teks"),
    "number": _("Nomor"),
    "indicator": _("Indikator"),
    "activity": pgettext_lazy("field of a line", "Kegiatan"),
    "program_goal": _("Sasaran program"),
    "strategic_goal": _("Sasaran strategis"),
    "target_text": _("Target"),
    "polarity": _("Polaritas"),
    "needs_review": _("Perlu ditinjau"),
    "review_note": _("Catatan tinjauan"),
    "year": _("Tahun"),
    "signing_unit": _("Unit penandatangan"),
    "title": _("Judul"),
    "agency_label": _("Nama satker"),
    "counts": _("Jumlah isi"),
    # The plan editor (renaksi.planning.structure): a place among siblings, a Kegiatan's indicators.
    "position": _("Urutan"),
    "indicators": _("Indikator"),
    # Ceilings and RPD rows (renaksi.budget).
    "code": _("Kode"),
    "description": _("Uraian"),
    "ceiling": _("Pagu"),
    "disbursement": _("RPD per bulan"),
}
STATUS_LABELS = dict(Plan.Status.choices)
COST_STATE_LABELS = {
    "amount": _("Ada biaya"),
    "none": _("Bertanda “-”"),
    "absent": _("Tanpa sel biaya"),
}
COUNT_LABELS = {
    "strategic_goals": _("sasaran strategis"),
    "program_goals": _("sasaran program"),
    "indicators": _("indikator"),
    "activities": _("kegiatan"),
    "lines": _("rencana kegiatan"),
}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    record: HistoryEvent
    when: str
    when_iso: str
    actor: str
    changes: list[FieldChange]


def format_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name in ("cost", "ceiling") and isinstance(value, int):
        return format_rupiah(value)
    if name == "disbursement" and isinstance(value, list):
        months = zip(MONTH_ABBR_ID, value, strict=False)
        return "; ".join(f"{month} {format_rupiah(amount)}" for month, amount in months if amount) or "Rp 0"
    if name == "months" and isinstance(value, list):
        return ", ".join(MONTH_ABBR_ID[m - 1] for m in value if isinstance(m, int) and 1 <= m <= 12) or "—"
    if name == "status":
        return str(STATUS_LABELS.get(value, value))
    if name == "cost_state":
        return str(COST_STATE_LABELS.get(value, value))
    if name == "indicators" and isinstance(value, list):
        return "; ".join(str(item) for item in value) or "—"
    if name == "counts" and isinstance(value, dict):
        return ", ".join(f"{count} {COUNT_LABELS.get(key, key)}" for key, count in value.items())
    if isinstance(value, bool):
        return str(_("ya") if value else _("tidak"))
    return str(value)


def history_row(record: HistoryEvent, zone_name: str) -> HistoryRow:
    moment = timezone.localtime(record.created_at, agency_zone(zone_name))
    before = record.before or {}
    after = record.after or {}
    names = list(dict.fromkeys([*before, *after]))
    changes = [
        FieldChange(
            label=str(FIELD_LABELS.get(name, name)),
            before=format_value(name, before.get(name)) if name in before else "",
            after=format_value(name, after.get(name)) if name in after else "",
        )
        for name in names
    ]
    actor = record.actor_label or (str(_("Sistem")) if record.actor_id is None else "")
    return HistoryRow(
        record=record,
        when=dateformat.format(moment, "j F Y, H:i"),
        when_iso=moment.isoformat(),
        actor=actor,
        changes=changes,
    )
