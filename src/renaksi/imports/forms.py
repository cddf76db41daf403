"""Forms of the import pages: the upload, and the corrections made in the preview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from renaksi.core.corrections import (
    AttachProgramGoal,
    Correction,
    CorrectionError,
    CorrectionProblem,
    JoinLineToPrevious,
    MoveLine,
    NewGoalForProgramGoal,
    SetPolarity,
    flagged_program_goals,
)
from renaksi.core.plan_tree import PlanTree, Polarity

POLARITY_CHOICES = [
    (Polarity.HIGHER_IS_BETTER.value, _("Makin tinggi makin baik")),
    (Polarity.LOWER_IS_BETTER.value, _("Makin rendah makin baik")),
]

PROBLEM_MESSAGES = {
    CorrectionProblem.NO_SUCH_OBJECT: _("Bagian rencana itu tidak ada dalam pratinjau ini."),
    CorrectionProblem.NOT_FLAGGED: _("Sasaran program itu tidak ditandai untuk ditinjau."),
    CorrectionProblem.NOT_A_GOAL: _("Pilih sasaran strategis yang bernomor."),
    CorrectionProblem.GOAL_NUMBER_TAKEN: _(
        "Sasaran strategis bernomor itu sudah ada; tempatkan sasaran program di bawahnya."
    ),
    CorrectionProblem.GOAL_NUMBER_MISSING: _("Isi nomor sasaran strategis."),
    CorrectionProblem.GOAL_TEXT_MISSING: _("Isi teks sasaran strategis."),
    CorrectionProblem.NOT_A_CONTINUATION: _(
        "Hanya baris tanpa biaya, akun dan bulan di bawah baris lain dari indikator yang sama yang dapat digabung."
    ),
    CorrectionProblem.NOT_A_SPILL: _(
        "Hanya baris dari dua indikator yang tercetak dalam satu baris tabel yang dapat dipindahkan di antara keduanya."
    ),
    CorrectionProblem.UNKNOWN_KIND: _("Koreksi ini tidak dikenal."),
}


def problem_message(error: CorrectionError) -> Any:
    return PROBLEM_MESSAGES[error.problem]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas rencana"))
    year = forms.IntegerField(label=_("Tahun rencana"), min_value=2000, max_value=2100)
    replace = forms.BooleanField(
        label=_("Ganti rencana yang sudah ada"),
        required=False,
        help_text=_(
            "Bila satker ini sudah punya rencana untuk tahun dan unit penandatangan yang sama, "
            "rencana itu diganti (hanya rencana berstatus draf). Anda masih dapat memilihnya di pratinjau."
        ),
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = dt.date.today().year
        self.fields["file"].help_text = _(
            "XLSX, XLS, ODS, CSV (dipisah , atau ;), teks/TSV hasil salinan dari PDF, atau ekspor JSON Renaksi; "
            "paling besar %(megabytes)s MB. Jenis berkas dikenali dari isinya."
        ) % {"megabytes": f"{max_bytes / 2**20:g}"}


def _path(text: str, parts: int) -> tuple[int, ...]:
    try:
        path = tuple(int(part) for part in text.split("."))
    except ValueError:
        raise forms.ValidationError(PROBLEM_MESSAGES[CorrectionProblem.NO_SUCH_OBJECT]) from None
    if len(path) != parts:
        raise forms.ValidationError(PROBLEM_MESSAGES[CorrectionProblem.NO_SUCH_OBJECT])
    return path


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def path_text(path: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in path)


class _CorrectionForm(forms.Form):
    kind = ""

    def __init__(self, tree: PlanTree, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tree = tree

    def correction(self) -> Correction:
        raise NotImplementedError


class _PlacingForm(_CorrectionForm):
    target = forms.ChoiceField(widget=forms.HiddenInput)

    def __init__(self, tree: PlanTree, *args: Any, **kwargs: Any) -> None:
        super().__init__(tree, *args, **kwargs)
        flagged = flagged_program_goals(tree)
        _set_choices(self, "target", [(path_text(path), program_goal.text) for path, program_goal in flagged])

    def target_path(self) -> tuple[int, int]:
        g, p = _path(self.cleaned_data["target"], 2)
        return g, p


class AttachForm(_PlacingForm):
    kind = "attach"
    goal = forms.TypedChoiceField(label=_("Sasaran strategis yang ada"), coerce=int)

    def __init__(self, tree: PlanTree, *args: Any, **kwargs: Any) -> None:
        super().__init__(tree, *args, **kwargs)
        goals = [(index, f"{goal.number}. {goal.text}") for index, goal in enumerate(tree.goals)]
        _set_choices(
            self, "goal", [goals[index] for index, goal in enumerate(tree.goals) if not goal.is_headerless]
        )

    def correction(self) -> Correction:
        return AttachProgramGoal(self.target_path(), self.cleaned_data["goal"])


class NewGoalForm(_PlacingForm):
    kind = "new_goal"
    number = forms.CharField(label=_("Nomor sasaran strategis baru"), max_length=16)
    text = forms.CharField(label=_("Teks sasaran strategis baru"), widget=forms.Textarea(attrs={"rows": 2}))

    def correction(self) -> Correction:
        return NewGoalForProgramGoal(
            self.target_path(), self.cleaned_data["number"], self.cleaned_data["text"]
        )


class PolarityForm(_CorrectionForm):
    kind = "polarity"
    indicator = forms.ChoiceField(label=_("Indikator kinerja"))
    polarity = forms.ChoiceField(label=_("Arah capaian"), choices=POLARITY_CHOICES, widget=forms.RadioSelect)

    def __init__(self, tree: PlanTree, *args: Any, **kwargs: Any) -> None:
        super().__init__(tree, *args, **kwargs)
        indicators = [
            (
                path_text((g, p, i)),
                f"{indicator.text} ({indicator.target})" if indicator.target else indicator.text,
            )
            for g, goal in enumerate(tree.goals)
            for p, program_goal in enumerate(goal.program_goals)
            for i, indicator in enumerate(program_goal.indicators)
        ]
        _set_choices(self, "indicator", indicators)
        self.fields["polarity"].initial = Polarity.LOWER_IS_BETTER.value

    def correction(self) -> Correction:
        g, p, i = _path(self.cleaned_data["indicator"], 3)
        return SetPolarity((g, p, i), Polarity(self.cleaned_data["polarity"]))


class JoinLineForm(_CorrectionForm):
    """The other reading of a text-only row, offered on its judgement: wrapped text of the line above."""

    kind = "join_line"
    line = forms.CharField(widget=forms.HiddenInput)

    def correction(self) -> Correction:
        g, p, i, n = _path(self.cleaned_data["line"], 4)
        return JoinLineToPrevious((g, p, i, n))


class MoveLineForm(_CorrectionForm):
    """The other reading of a row holding two indicators, offered on its judgement: a line belongs
    to the other indicator of the pair."""

    kind = "move_line"
    line = forms.CharField(widget=forms.HiddenInput)
    to = forms.CharField(widget=forms.HiddenInput)

    def correction(self) -> Correction:
        g, p, i, n = _path(self.cleaned_data["line"], 4)
        tg, tp, ti = _path(self.cleaned_data["to"], 3)
        return MoveLine((g, p, i, n), (tg, tp, ti))


# Corrections offered as a button on a judgement: no form of their own to show errors in.
BUTTON_KINDS = frozenset({JoinLineForm.kind, MoveLineForm.kind})

CORRECTION_FORMS: dict[str, type[_CorrectionForm]] = {
    form.kind: form for form in (AttachForm, NewGoalForm, PolarityForm, JoinLineForm, MoveLineForm)
}


class CommitForm(forms.Form):
    replace = forms.BooleanField(label=_("Ganti rencana yang sudah ada"), required=False)
