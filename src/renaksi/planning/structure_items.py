"""Editor saves of indicators, Kegiatan (activities) and lines (one call per save; see
:mod:`renaksi.planning.structure`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.plan_tree import Polarity
from renaksi.core.schedule import Schedule
from renaksi.history import Event
from renaksi.planning import models as m
from renaksi.planning.limits import LINE_TEXT_LIMITS, TextTooLong, check_line_texts, too_long_message
from renaksi.planning.services import _target_fields
from renaksi.planning.structure import (
    KIND_LABELS,
    StructureError,
    _record,
    _renumber,
    _save_changes,
    check_version,
    editing,
    fresh,
    next_position,
    required_text,
    shown_fields,
)

TARGET_COLUMNS = ("target_text", "target_kind", "target_value", "target_upper", "target_unit")


def _polarity(value: str) -> str:
    try:
        return Polarity(value).value
    except ValueError:
        raise StructureError(_("Polaritas tidak dikenal.")) from None


def add_indicator(
    program: m.ProgramGoal,
    actor: Any,
    *,
    text: str,
    target: str,
    polarity: str = Polarity.HIGHER_IS_BETTER.value,
) -> m.Indicator:
    """A new indicator, last under ``program``, its target read as the import reads one."""
    text = required_text(text, KIND_LABELS[m.Indicator])
    polarity = _polarity(polarity)
    with editing(program.plan, actor) as plan:
        parent = fresh(plan, m.ProgramGoal, program.pk)
        indicator = m.Indicator.objects.create(
            plan=plan,
            program_goal=parent,
            text=text,
            polarity=polarity,
            position=next_position(plan, m.Indicator),
            **_target_fields(target.strip()),
        )
        _renumber(plan)
        _record(plan, actor, Event.CREATED, indicator, after=shown_fields(indicator))
    return indicator


def update_indicator(
    indicator: m.Indicator,
    actor: Any,
    *,
    text: str,
    target: str,
    polarity: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """An indicator's text, target and polarity; returns what changed."""
    text = required_text(text, KIND_LABELS[m.Indicator])
    polarity = _polarity(polarity)
    with editing(indicator.plan, actor) as plan:
        current = fresh(plan, m.Indicator, indicator.pk)
        before = shown_fields(current)
        current.text, current.polarity = text, polarity
        if target.strip() != current.target_text:
            for name, value in _target_fields(target.strip()).items():
                setattr(current, name, value)
        return _save_changes(
            plan,
            actor,
            current,
            before,
            shown_fields(current),
            ("text", "polarity", *TARGET_COLUMNS),
            expected_version,
        )


def move_indicator(
    indicator: m.Indicator, actor: Any, program: m.ProgramGoal, *, expected_version: int | None = None
) -> dict[str, Any]:
    """Put an indicator (with its lines) last under another program goal."""
    with editing(indicator.plan, actor) as plan:
        current = fresh(plan, m.Indicator, indicator.pk)
        before = shown_fields(current)
        check_version(current, expected_version, before)
        parent = fresh(plan, m.ProgramGoal, program.pk)
        if current.program_goal_id == parent.pk:
            return {}
        current.program_goal, current.position = parent, next_position(plan, m.Indicator)
        changed = _save_changes(
            plan, actor, current, before, shown_fields(current), ("program_goal", "position"), current.version
        )
        _renumber(plan)
        return changed


# --- Kegiatan -----------------------------------------------------------------------------------


def _unique_activity_name(plan: m.Plan, name: str, pk: int | None = None) -> str:
    name = required_text(name, KIND_LABELS[m.Activity])
    same = m.Activity.objects.of_plan(plan).filter(name=name).exclude(pk=pk)
    if same.exists():
        raise StructureError(_("Kegiatan «%(name)s» sudah ada di rencana ini.") % {"name": name})
    return name


def _link(plan: m.Plan, activity: m.Activity, indicators: Sequence[m.Indicator]) -> None:
    """Link ``activity`` to exactly ``indicators`` (a new link goes last under its indicator)."""
    wanted = {indicator.pk for indicator in indicators}
    found = set(m.Indicator.objects.of_plan(plan).filter(pk__in=sorted(wanted)).values_list("pk", flat=True))
    if found != wanted:
        raise StructureError(_("Pilih indikator rencana ini."))
    links = m.ActivityIndicator.objects.of_plan(plan, "activity__plan").filter(activity=activity)
    have = set(links.values_list("indicator_id", flat=True))
    links.exclude(indicator_id__in=sorted(wanted)).delete()
    for indicator_id in sorted(wanted - have):
        top = (
            m.ActivityIndicator.objects.of_plan(plan, "indicator__plan")
            .filter(indicator_id=indicator_id)
            .aggregate(top=Max("position"))["top"]
        )
        m.ActivityIndicator.objects.create(
            activity=activity, indicator_id=indicator_id, position=0 if top is None else top + 1
        )


def add_activity(plan: m.Plan, actor: Any, *, name: str, indicators: Sequence[m.Indicator]) -> m.Activity:
    """A new Kegiatan serving one or more indicators."""
    if not indicators:
        raise StructureError(_("Pilih paling sedikit satu indikator untuk kegiatan ini."))
    with editing(plan, actor) as locked:
        activity = m.Activity.objects.create(
            plan=locked, name=_unique_activity_name(locked, name), position=next_position(locked, m.Activity)
        )
        _link(locked, activity, indicators)
        _record(locked, actor, Event.CREATED, activity, after=shown_fields(activity))
    return activity


def update_activity(
    activity: m.Activity,
    actor: Any,
    *,
    name: str,
    indicators: Sequence[m.Indicator],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """A Kegiatan's name and the indicators it serves; returns what changed."""
    if not indicators:
        raise StructureError(_("Pilih paling sedikit satu indikator untuk kegiatan ini."))
    with editing(activity.plan, actor) as plan:
        current = fresh(plan, m.Activity, activity.pk)
        before = shown_fields(current)
        check_version(current, expected_version, before)
        current.name = _unique_activity_name(plan, name, current.pk)
        _link(plan, current, indicators)
        return _save_changes(plan, actor, current, before, shown_fields(current), ("name",), current.version)


# --- lines (Rencana Kegiatan) ---------------------------------------------------------------------


@dataclass(frozen=True)
class LineFields:
    """What the line form holds (cost already read as integer Rupiah, months as numbers)."""

    name: str
    activity_id: int | None
    cost: int | None
    cost_state: str
    budget_code: str
    remarks: str
    person_in_charge: str
    months: tuple[int, ...]


LINE_COLUMNS = (
    "name",
    "activity",
    "cost",
    "cost_state",
    "budget_code",
    "remarks",
    "person_in_charge",
    "schedule_mask",
)


def _apply(plan: m.Plan, line: m.SubActivity, fields: LineFields) -> None:
    name = required_text(fields.name, KIND_LABELS[m.SubActivity])
    if len(name) > LINE_TEXT_LIMITS["name"] and name != line.name:
        raise StructureError(too_long_message("name", len(name)))
    try:
        check_line_texts(fields, stored=line if line.pk else None)
    except TextTooLong as error:
        raise StructureError(str(error)) from None
    if fields.cost is not None and fields.cost < 0:
        raise StructureError(_("Perkiraan biaya tidak boleh negatif."))
    code = fields.budget_code.strip()
    if code:
        try:
            code = parse_budget_code(code).canonical
        except BudgetCodeError as error:
            raise StructureError(
                _("Akun (kode anggaran) tidak sah (%(detail)s).") % {"detail": error.detail.render(_)}
            ) from None
    activity = None
    if fields.activity_id is not None:
        activity = m.Activity.objects.of_plan(plan).filter(pk=fields.activity_id).first()
        if activity is None:
            raise StructureError(_("Pilih kegiatan rencana ini."))
    line.name, line.activity = name, activity
    line.cost, line.cost_state, line.budget_code = fields.cost, fields.cost_state, code
    line.remarks, line.person_in_charge = fields.remarks.strip(), fields.person_in_charge.strip()
    line.schedule_mask = Schedule.from_months(fields.months).mask


def add_line(indicator: m.Indicator, actor: Any, fields: LineFields) -> m.SubActivity:
    """A new line, last under ``indicator``."""
    with editing(indicator.plan, actor) as plan:
        parent = fresh(plan, m.Indicator, indicator.pk)
        line = m.SubActivity(plan=plan, indicator=parent, position=next_position(plan, m.SubActivity))
        _apply(plan, line, fields)
        line.save(force_insert=True)
        _renumber(plan)
        _record(plan, actor, Event.CREATED, line, after=shown_fields(line))
    return line


def update_line(
    line: m.SubActivity, actor: Any, fields: LineFields, *, expected_version: int | None = None
) -> dict[str, Any]:
    """Every field of a line in one save; returns what changed (empty for a no-op)."""
    with editing(line.plan, actor) as plan:
        current = fresh(plan, m.SubActivity, line.pk)
        before = shown_fields(current)
        _apply(plan, current, fields)
        return _save_changes(
            plan, actor, current, before, shown_fields(current), LINE_COLUMNS, expected_version
        )


def move_line(
    line: m.SubActivity, actor: Any, indicator: m.Indicator, *, expected_version: int | None = None
) -> dict[str, Any]:
    """Put a line last under another indicator."""
    with editing(line.plan, actor) as plan:
        current = fresh(plan, m.SubActivity, line.pk)
        before = shown_fields(current)
        check_version(current, expected_version, before)
        parent = fresh(plan, m.Indicator, indicator.pk)
        if current.indicator_id == parent.pk:
            return {}
        current.indicator, current.position = parent, next_position(plan, m.SubActivity)
        changed = _save_changes(
            plan, actor, current, before, shown_fields(current), ("indicator", "position"), current.version
        )
        _renumber(plan)
        return changed
