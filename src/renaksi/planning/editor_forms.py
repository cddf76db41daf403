"""Forms of the plan editor: one per kind of object, each posted on its own (plain POST + redirect,
with or without JavaScript), carrying the version the person opened (renaksi.versioning)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renaksi.core.plan_tree import Polarity
from renaksi.core.schedule import Schedule
from renaksi.planning import models as m
from renaksi.planning.forms import LineEditForm
from renaksi.planning.structure_items import LineFields
from renaksi.planning.structure_plans import YEARS
from renaksi.planning.workflow import cost_state_for, months_of
from renaksi.versioning import version_form_field

POLARITY_CHOICES = [
    (Polarity.HIGHER_IS_BETTER.value, _("Makin tinggi makin baik")),
    (Polarity.LOWER_IS_BETTER.value, _("Makin rendah makin baik")),
]


def _text(label: Any, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=2000, widget=forms.Textarea(attrs={"rows": rows, "maxlength": "2000"})
    )


class GoalForm(forms.Form):
    number = forms.CharField(label=_("Nomor"), max_length=16, required=False)
    text = _text(_("Sasaran strategis"))
    version = version_form_field()


class ProgramForm(forms.Form):
    text = _text(_("Sasaran program"))
    needs_review = forms.BooleanField(label=_("Masih perlu ditinjau"), required=False)
    version = version_form_field()


class IndicatorForm(forms.Form):
    text = _text(_("Indikator kinerja"))
    target = forms.CharField(
        label=_("Target"),
        max_length=200,
        required=False,
        help_text=_("Mis. 97,5%, 80 - 90%, 7 Satker; teks lain disimpan apa adanya."),
        widget=forms.TextInput(attrs={"data-check": "target", "autocomplete": "off"}),
    )
    polarity = forms.ChoiceField(label=_("Polaritas"), choices=POLARITY_CHOICES)
    version = version_form_field()


class ActivityForm(forms.Form):
    name = _text(_("Kegiatan"), rows=1)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indikator yang dilayani"),
        queryset=m.Indicator.objects.system("a placeholder: __init__ sets the plan's own").none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih paling sedikit satu indikator untuk kegiatan ini.")},
    )
    version = version_form_field()

    def __init__(self, *args: Any, plan: m.Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicators"]
        field.queryset = m.Indicator.objects.of_plan(plan).order_by("position")  # type: ignore[attr-defined]
        field.label_from_instance = lambda indicator: indicator.text  # type: ignore[attr-defined]


class LineForm(LineEditForm):
    """The whole line: the line edit's cost, code, months, remarks and person in charge, with
    their checks, plus its name and Kegiatan."""

    name = _text(_("Rencana kegiatan"))
    activity = forms.TypedChoiceField(label=_("Kegiatan"), required=False, coerce=int, empty_value=None)

    field_order = ["name", "activity", "months", "cost", "budget_code", "remarks", "person_in_charge"]

    def __init__(self, *args: Any, plan: m.Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activities = m.Activity.objects.of_plan(plan).order_by("position").values_list("pk", "name")
        self.fields["activity"].choices = [("", _("(tanpa kegiatan)")), *activities]  # type: ignore[attr-defined]
        self.fields["cost"].widget.attrs.update({"data-check": "biaya", "autocomplete": "off"})
        self.fields["budget_code"].widget.attrs.update({"data-check": "akun", "autocomplete": "off"})

    @classmethod
    def initial_of(cls, line: m.SubActivity) -> dict[str, Any]:
        initial = LineEditForm.for_line(line).initial
        return {**initial, "name": line.name, "activity": line.activity_id}

    def fields_value(self) -> LineFields:
        data = self.cleaned_data
        return LineFields(
            name=data["name"],
            activity_id=data["activity"],
            cost=data["cost"],
            cost_state=cost_state_for(data["cost"], self.data.get(self.add_prefix("cost"), "")),
            budget_code=data["budget_code"],
            remarks=data["remarks"],
            person_in_charge=data["person_in_charge"],
            months=months_of(data["months"]),
        )


def months_initial(mask: int) -> list[int]:
    return list(Schedule(mask).months)


class MoveForm(forms.Form):
    """Where to move an object: one of the plan's parents of the right kind."""

    parent = forms.TypedChoiceField(label=_("Pindahkan ke"), coerce=int)
    version = version_form_field()

    def __init__(self, *args: Any, choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]


class NewPlanForm(forms.Form):
    EMPTY, COPY = "kosong", "salin"
    how = forms.ChoiceField(
        label=_("Mulai dari"),
        choices=[
            (COPY, _("Salinan rencana yang ada (target dan jadwal ikut)")),
            (EMPTY, _("Rencana kosong")),
        ],
        widget=forms.RadioSelect,
        initial=COPY,
    )
    source = forms.TypedChoiceField(
        label=_("Rencana yang disalin"), coerce=int, required=False, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=[(year, str(year)) for year in YEARS])
    signing_unit = forms.CharField(
        label=_("Unit penandatangan"),
        max_length=200,
        required=False,
        help_text=_("Untuk rencana kosong, mis. Sekretaris."),
    )
    title = forms.CharField(label=_("Judul"), max_length=500, required=False)

    def __init__(self, *args: Any, plans: list[m.Plan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(plan.pk, str(plan)) for plan in plans]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("how") == self.COPY and not data.get("source"):
            self.add_error("source", _("Pilih rencana yang disalin."))
        return data
