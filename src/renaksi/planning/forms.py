"""Forms of the plan pages: the line edit, the return-to-draft reason, the history filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.money import MoneyError, format_number_id, parse_rupiah
from renaksi.core.schedule import MONTH_NAMES_ID, Schedule
from renaksi.planning import models as m
from renaksi.planning.limits import LINE_TEXT_LIMITS, too_long_message
from renaksi.planning.workflow import LineChange, cost_state_for, months_of
from renaksi.versioning import version_form_field


class _CarriesVersion(forms.TextInput):
    """The cost input followed by the form's hidden version: the line edit page lays its fields
    out one by one, and the version must be posted back with them (renaksi.versioning)."""

    def __init__(self, form: forms.Form) -> None:
        super().__init__()
        self.form = form

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        html = super().render(name, value, attrs, renderer)
        return format_html("{}{}", html, self.form["version"].as_widget())


def _limited(field: str) -> dict[str, Any]:
    """The browser is told the limit too (it then stops the typing there)."""
    return {"maxlength": str(LINE_TEXT_LIMITS[field])}


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
        max_length=LINE_TEXT_LIMITS["budget_code"],
        help_text=_("Mis. 3358.EBC.954.A"),
    )
    # The text limits are checked in clean_* (a stored longer text saved unchanged passes).
    remarks = forms.CharField(
        label=_("Keterangan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **_limited("remarks")}),
    )
    person_in_charge = forms.CharField(
        label=_("Penanggung jawab"),
        required=False,
        widget=forms.TextInput(attrs=_limited("person_in_charge")),
    )
    #: The version of the line the form was opened at (posted back hidden, with the cost).
    version = version_form_field()
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
            "version": line.version,
        }
        return cls(data=data, initial=initial)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        carrier = _CarriesVersion(self)
        carrier.attrs.update(self.fields["cost"].widget.attrs)  # maxlength, from the field
        self.fields["cost"].widget = carrier

    def _text_within_limit(self, field: str) -> str:
        text: str = self.cleaned_data.get(field, "")
        if len(text) > LINE_TEXT_LIMITS[field] and text != (self.initial.get(field) or "").strip():
            raise forms.ValidationError(too_long_message(field, len(text)), code="max_length")
        return text

    def clean_remarks(self) -> str:
        return self._text_within_limit("remarks")

    def clean_person_in_charge(self) -> str:
        return self._text_within_limit("person_in_charge")

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
            base_version=data.get("version"),
        )


class ReturnForm(forms.Form):
    # CharField strips the text and refuses it empty (or blank) on its own.
    reason = forms.CharField(
        label=_("Alasan pengembalian"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan pengembalian wajib diisi.")},
    )
