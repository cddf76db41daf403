"""The history page's filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renaksi.history.events import EVENT_LABELS, SOURCE_LABELS


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
