"""The forms of the workflow steps that ask something: a revision's reason, the warnings' tick,
and the two versions a comparison shows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmitForm(forms.Form):
    acknowledge_warnings = forms.BooleanField(
        label=_("Saya sudah membaca peringatan pemeriksaan rencana"), required=False
    )


class RevisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan revisi"),
        help_text=_("Misalnya: Revisi Anggaran."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Alasan revisi wajib diisi.")},
    )


class CompareForm(forms.Form):
    """Two version numbers of one plan (``dari`` and ``ke``: from and to)."""

    def __init__(self, numbers: list[int], data: object = None) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        choices = [(str(number), str(number)) for number in numbers]
        self.fields["dari"] = forms.TypedChoiceField(label=_("Dari versi"), choices=choices, coerce=int)
        self.fields["ke"] = forms.TypedChoiceField(label=_("Ke versi"), choices=choices, coerce=int)
