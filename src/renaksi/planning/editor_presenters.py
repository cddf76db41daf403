"""What the editor page shows: the plan as an outline with a form at every object, and the
readings of a typed target, cost or budget code (also answered as you type)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from renaksi.budget.presenters import code_names
from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.money import MoneyError, format_rupiah, parse_rupiah
from renaksi.core.targets import TargetKind, format_target, parse_target
from renaksi.planning import models as m
from renaksi.planning.editor_forms import (
    ActivityForm,
    GoalForm,
    IndicatorForm,
    LineForm,
    MoveForm,
    ProgramForm,
)
from renaksi.planning.structure import name_of
from renaksi.planning.structure_goals import suggested_goal_number

#: The URL word of each kind, and its model.
KINDS: dict[str, type[Any]] = {
    "sasaran": m.StrategicGoal,
    "program": m.ProgramGoal,
    "indikator": m.Indicator,
    "kegiatan": m.Activity,
    "baris": m.SubActivity,
}


@dataclass(frozen=True)
class Reading:
    ok: bool
    text: str


def _decimal(value: Decimal | None) -> str:
    plain = format(value.normalize(), "f") if value is not None else ""
    return plain.replace(".", ",")


def target_reading(text: str) -> Reading:
    """How a typed target is read: ``97,5%`` -> ``97,5 persen``, ``80 - 90%`` a range."""
    if not text.strip():
        return Reading(True, _("Tanpa target."))
    target = parse_target(text)
    if target.kind is TargetKind.PERCENT:
        return Reading(True, _("%(value)s persen") % {"value": _decimal(target.value)})
    if target.kind is TargetKind.RANGE:
        unit = " " + _("persen") if target.unit == "%" else ""
        return Reading(
            True,
            _("rentang %(lower)s sampai %(upper)s%(unit)s")
            % {"lower": _decimal(target.value), "upper": _decimal(target.upper), "unit": unit},
        )
    if target.kind is TargetKind.QUANTITY:
        return Reading(True, _("jumlah: %(target)s") % {"target": format_target(target)})
    return Reading(True, _("teks bebas, disimpan apa adanya"))


def cost_reading(text: str) -> Reading:
    try:
        amount = parse_rupiah(text)
    except MoneyError as error:
        return Reading(
            False,
            _("Perkiraan biaya tidak dapat dibaca sebagai jumlah Rupiah yang pasti (%(detail)s).")
            % {"detail": error.detail.render(_)},
        )
    if amount is None:
        return Reading(True, _("tanpa biaya"))
    if amount < 0:
        return Reading(False, _("Perkiraan biaya tidak boleh negatif."))
    return Reading(True, format_rupiah(amount))


def code_reading(text: str) -> Reading:
    """A typed budget code, checked, with the names the reference table has for its levels."""
    if not text.strip():
        return Reading(True, _("tanpa akun"))
    try:
        code = parse_budget_code(text.strip())
    except BudgetCodeError as error:
        return Reading(
            False, _("Akun (kode anggaran) tidak sah (%(detail)s).") % {"detail": error.detail.render(_)}
        )
    keys = code.rollup_keys()
    names = code_names(keys)
    if not names:
        return Reading(True, _("%(code)s (belum ada namanya di tabel referensi)") % {"code": code.canonical})
    return Reading(True, " › ".join(f"{key.rsplit('.', 1)[-1]} {names[key]}" for key in keys if key in names))


READINGS = {"target": target_reading, "biaya": cost_reading, "akun": code_reading}


# --- the outline and the forms of one object --------------------------------------------------


@dataclass
class Node:
    kind: str
    obj: Any
    children: list[Node] = field(default_factory=list)
    move: MoveForm | None = None
    add_form: forms.Form | None = None
    reading: Reading | None = None

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.obj.pk}"


def parent_choices(plan: m.Plan, kind: str) -> list[tuple[int, str]]:
    """Where an object of ``kind`` may be moved: the plan's goals, program goals or indicators."""
    parent = {"program": m.StrategicGoal, "indikator": m.ProgramGoal, "baris": m.Indicator}[kind]
    return [(obj.pk, name_of(obj) or "") for obj in parent.objects.of_plan(plan).order_by("position")]  # type: ignore[attr-defined]


def move_form(plan: m.Plan, kind: str, obj: Any, data: Any = None) -> MoveForm | None:
    field_name = {
        "program": "strategic_goal_id",
        "indikator": "program_goal_id",
        "baris": "indicator_id",
    }.get(kind)
    if field_name is None:
        return None
    return MoveForm(
        data,
        prefix=f"{kind}-{obj.pk}-pindah",
        initial={"parent": getattr(obj, field_name), "version": obj.version},
        choices=parent_choices(plan, kind),
    )


def edit_form(plan: m.Plan, kind: str, obj: Any, data: Any = None) -> forms.Form:
    """The edit form of one object, filled with what is stored (or bound to ``data``)."""
    prefix = f"{kind}-{obj.pk}"
    if isinstance(obj, m.StrategicGoal):
        return GoalForm(
            data, prefix=prefix, initial={"number": obj.number, "text": obj.text, "version": obj.version}
        )
    if isinstance(obj, m.ProgramGoal):
        initial = {"text": obj.text, "needs_review": obj.needs_review, "version": obj.version}
        return ProgramForm(data, prefix=prefix, initial=initial)
    if isinstance(obj, m.Indicator):
        initial = {
            "text": obj.text,
            "target": obj.target_text,
            "polarity": obj.polarity,
            "version": obj.version,
        }
        return IndicatorForm(data, prefix=prefix, initial=initial)
    if isinstance(obj, m.Activity):
        linked = list(obj.indicator_links.values_list("indicator_id", flat=True))
        initial = {"name": obj.name, "indicators": linked, "version": obj.version}
        return ActivityForm(data, prefix=prefix, initial=initial, plan=plan)
    return LineForm(data, prefix=prefix, initial=LineForm.initial_of(obj), plan=plan)


def add_form(plan: m.Plan, kind: str, parent: Any, data: Any = None) -> forms.Form:
    """The form adding an object of ``kind`` under ``parent`` (None for goals and Kegiatan)."""
    prefix = f"{kind}-baru" + (f"-{parent.pk}" if parent is not None else "")
    if kind == "sasaran":
        return GoalForm(data, prefix=prefix, initial={"number": suggested_goal_number(plan)})
    if kind == "program":
        return ProgramForm(data, prefix=prefix)
    if kind == "indikator":
        return IndicatorForm(data, prefix=prefix)
    if kind == "kegiatan":
        initial = {"indicators": [parent.pk]} if isinstance(parent, m.Indicator) else {}
        return ActivityForm(data, prefix="kegiatan-baru", initial=initial, plan=plan)
    return LineForm(data, prefix=prefix, plan=plan)


def outline(plan: m.Plan) -> dict[str, Any]:
    """Every object of the plan in printed order, with the few forms the outline itself holds
    (a new goal, a new program goal under each goal, where a goal-less program goal goes); every other
    form is on the object's own page, so a plan of thousands of lines stays a light page."""
    goals = list(m.StrategicGoal.objects.of_plan(plan).order_by("position"))
    programs = list(m.ProgramGoal.objects.of_plan(plan).order_by("position"))
    indicators = list(m.Indicator.objects.of_plan(plan).order_by("position"))
    lines = list(m.SubActivity.objects.of_plan(plan).order_by("position"))
    goal_choices = [(goal.pk, name_of(goal) or "") for goal in goals]
    line_nodes: dict[int, list[Node]] = {}
    for line in lines:
        line_nodes.setdefault(line.indicator_id, []).append(Node("baris", line))
    indicator_nodes: dict[int, list[Node]] = {}
    for indicator in indicators:
        node = Node(
            "indikator",
            indicator,
            children=line_nodes.get(indicator.pk, []),
            reading=target_reading(indicator.target_text) if indicator.target_text else None,
        )
        indicator_nodes.setdefault(indicator.program_goal_id, []).append(node)
    program_nodes: dict[int | None, list[Node]] = {}
    for program in programs:
        # Moved right where it shows when the import could not place it (no goal); any other
        # program goal moves on its own page (a select per program goal is heavy on a big plan).
        move = (
            MoveForm(
                prefix=f"program-{program.pk}-pindah",
                initial={"parent": None, "version": program.version},
                choices=[("", _("(pilih sasaran strategis)")), *goal_choices],
            )
            if program.strategic_goal_id is None
            else None
        )
        node = Node("program", program, children=indicator_nodes.get(program.pk, []), move=move)
        program_nodes.setdefault(program.strategic_goal_id, []).append(node)
    goal_nodes = [
        Node(
            "sasaran",
            goal,
            children=program_nodes.get(goal.pk, []),
            add_form=ProgramForm(prefix=f"program-baru-{goal.pk}"),
        )
        for goal in goals
    ]
    activities = [
        Node("kegiatan", activity) for activity in m.Activity.objects.of_plan(plan).order_by("position")
    ]
    return {
        "goals": goal_nodes,
        "headerless": program_nodes.get(None, []),
        "add_goal": add_form(plan, "sasaran", None),
        "activities": activities,
        "counts": {
            "goals": len(goals),
            "programs": len(programs),
            "indicators": len(indicators),
            "lines": len(lines),
        },
    }
