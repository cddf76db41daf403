"""Forms of the plan pages: the line edit, the return-to-draft reason, the history filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.money import MoneyError, format_number_id, parse_rupiah
from renaksi.core.schedule import MONTH_NAMES_ID, Schedule
from renaksi.history.events import EVENT_LABELS, SOURCE_LABELS
from renaksi.planning import models as m
from renaksi.planning.workflow import LineChange, cost_state_for, months_of


class LineEditForm(forms.Form):
    cost = forms.CharField(
        label=_("Perkiraan biaya (Rp)"),
        required=False,
        max_length=40,
        help_text=_("Jumlah lengkap dalam Rupiah, mis. 1.500.000; kosongkan atau tulis - bila tanpa biaya."),
    )
    budget_code = forms.CharField(
        label=_("Akun (kode anggaran)"),
        required=False,
        max_length=64,
        help_text=_("Mis. 3358.EBC.954.A"),
    )
    remarks = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    person_in_charge = forms.CharField(label=_("Penanggung jawab"), required=False, max_length=500)
    months = forms.TypedMultipleChoiceField(
        label=_("Rencana pelaksanaan (bulan)"),
        required=False,
        coerce=int,
        choices=[(number, name) for number, name in enumerate(MONTH_NAMES_ID, 1)],
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def for_line(cls, line: m.SubActivity, data: Any = None) -> LineEditForm:
        initial = {
            "cost": format_number_id(line.cost)
            if line.cost is not None
            else ("-" if line.cost_state == "none" else ""),
            "budget_code": line.budget_code,
            "remarks": line.remarks,
            "person_in_charge": line.person_in_charge,
            "months": list(Schedule(line.schedule_mask).months),
        }
        return cls(data=data, initial=initial)

    def clean_cost(self) -> int | None:
        text = self.cleaned_data.get("cost", "")
        try:
            amount = parse_rupiah(text)
        except MoneyError as error:
            raise forms.ValidationError(
                _("Perkiraan biaya tidak dapat dibaca sebagai jumlah Rupiah yang pasti (%(detail)s)."),
                params={"detail": error.detail.render(gettext)},
                code="money",
            ) from None
        if amount is not None and amount < 0:
            raise forms.ValidationError(_("Perkiraan biaya tidak boleh negatif."), code="negative")
        return amount

    def clean_budget_code(self) -> str:
        text = self.cleaned_data.get("budget_code", "").strip()
        if not text:
            return ""
        try:
            return parse_budget_code(text).canonical
        except BudgetCodeError as error:
            raise forms.ValidationError(
                _("Akun (kode anggaran) tidak sah (%(detail)s)."),
                params={"detail": error.detail.render(gettext)},
                code="budget_code",
            ) from None

    def change(self) -> LineChange:
        data = self.cleaned_data
        return LineChange(
            cost=data["cost"],
            cost_state=cost_state_for(data["cost"], self.data.get("cost", "")),
            budget_code=data["budget_code"],
            remarks=data["remarks"].strip(),
            person_in_charge=data["person_in_charge"].strip(),
            months=months_of(data["months"]),
        )


class ReturnForm(forms.Form):
    # CharField strips the text and refuses it empty (or blank) on its own.
    reason = forms.CharField(
        label=_("Alasan pengembalian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan pengembalian wajib diisi.")},
    )


class HistoryFilterForm(forms.Form):
    event = forms.ChoiceField(
        label=_("Peristiwa"),
        required=False,
        choices=[("", _("Semua"))] + [(event.value, label) for event, label in EVENT_LABELS.items()],
    )
    source = forms.ChoiceField(
        label=_("Sumber"),
        required=False,
        choices=[("", _("Semua"))] + [(source.value, label) for source, label in SOURCE_LABELS.items()],
    )
    actor = forms.CharField(
        label=_("Pelaku"), required=False, max_length=150, help_text=_("Nama atau nama pengguna")
    )
    date_from = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Sampai tanggal tidak boleh sebelum Dari tanggal."))
        return data
