"""Forms of the ceiling and RPD pages: they read and check what was typed; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.budget.ceiling_import import MAX_FILE_BYTES
from renaksi.budget.models import Ceiling
from renaksi.budget.services import DESCRIPTION_MAX, BudgetError, canonical_ceiling_code
from renaksi.core.money import MoneyError, format_number_id, parse_rupiah
from renaksi.core.schedule import MONTH_NAMES_ID
from renaksi.versioning import version_form_field


def _rupiah(text: str, *, required: bool) -> int:
    """A whole, non-negative Rupiah amount, or a ValidationError saying why not."""
    try:
        amount = parse_rupiah(text)
    except MoneyError as error:
        raise forms.ValidationError(error.detail.render(gettext)) from None
    if amount is None:
        if required:
            raise forms.ValidationError(gettext("Isi jumlahnya, mis. 1.500.000 (0 bila tidak ada)."))
        return 0
    if amount < 0:
        raise forms.ValidationError(gettext("Jumlah tidak boleh negatif."))
    return amount


class CeilingForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=64,
        help_text=_("Kegiatan, KRO, RO, komponen …, mis. 3358, 3358.EBC, 3358.EBC.954, 3358.EBC.954.A"),
    )
    description = forms.CharField(label=_("Uraian"), required=False, max_length=DESCRIPTION_MAX)
    amount = forms.CharField(
        label=_("Pagu (Rp)"), max_length=40, help_text=_("Jumlah lengkap dalam Rupiah, mis. 1.500.000.000")
    )
    version = version_form_field()

    @classmethod
    def for_ceiling(cls, ceiling: Ceiling | None, data: Any = None) -> CeilingForm:
        initial = (
            {}
            if ceiling is None
            else {
                "code": ceiling.code,
                "description": ceiling.description,
                "amount": format_number_id(ceiling.amount),
                "version": ceiling.version,
            }
        )
        return cls(data, initial=initial)

    def clean_code(self) -> str:
        try:
            return canonical_ceiling_code(self.cleaned_data["code"])
        except BudgetError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_amount(self) -> int:
        return _rupiah(self.cleaned_data["amount"], required=True)


class CeilingUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas pagu (CSV atau XLSX)"),
        help_text=_("Kolom: kode, uraian (boleh kosong), pagu; baris pertama berisi judul kolom."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("Berkas terlalu besar; batasnya %(limit)s bita.") % {"limit": MAX_FILE_BYTES}
            )
        return upload


class LineDisbursementForm(forms.Form):
    """Twelve monthly amounts of one line. The page has two buttons: save these months (a
    hand-entered row), or go back to spreading the cost over the line's months (``spread``)."""

    version = version_form_field()

    def __init__(self, *args: Any, spread: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spread = spread
        for month, name in enumerate(MONTH_NAMES_ID, 1):
            self.fields[f"month_{month}"] = forms.CharField(label=name, required=False, max_length=40)

    @classmethod
    def for_line(
        cls, amounts: list[int] | tuple[int, ...], version: int | None, data: Any = None
    ) -> LineDisbursementForm:
        """The form showing ``amounts`` (the hand-entered row, or what spreading gives now);
        posted with the ``spread`` button, it asks for spreading again."""
        initial: dict[str, Any] = {"version": version}
        for month, amount in enumerate(amounts, 1):
            initial[f"month_{month}"] = format_number_id(amount)
        return cls(data, initial=initial, spread=data is not None and "spread" in data)

    def month_fields(self) -> list[forms.BoundField]:
        return [self[f"month_{month}"] for month in range(1, 13)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.spread:
            for month in range(1, 13):
                name = f"month_{month}"
                try:
                    cleaned[name] = _rupiah(cleaned.get(name) or "", required=False)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def amounts(self) -> list[int] | None:
        if self.spread:
            return None
        return [self.cleaned_data[f"month_{month}"] for month in range(1, 13)]
