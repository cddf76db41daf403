"""Editor saves of strategic goals and program goals (one call per save; see
:mod:`renaksi.planning.structure`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from renaksi.history import Event
from renaksi.planning import models as m
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


def add_goal(plan: m.Plan, actor: Any, *, number: str, text: str) -> m.StrategicGoal:
    """A new strategic goal, last of the plan's goals."""
    text = required_text(text, KIND_LABELS[m.StrategicGoal])
    number = number.strip().rstrip(".")
    with editing(plan, actor) as locked:
        goal = m.StrategicGoal.objects.create(
            plan=locked, number=number, text=text, position=next_position(locked, m.StrategicGoal)
        )
        _renumber(locked)
        _record(locked, actor, Event.CREATED, goal, after=shown_fields(goal))
    return goal


def update_goal(
    goal: m.StrategicGoal, actor: Any, *, number: str, text: str, expected_version: int | None = None
) -> dict[str, Any]:
    """A goal's number and text; returns what changed (empty for a no-op)."""
    text = required_text(text, KIND_LABELS[m.StrategicGoal])
    with editing(goal.plan, actor) as plan:
        current = fresh(plan, m.StrategicGoal, goal.pk)
        before = shown_fields(current)
        current.number, current.text = number.strip().rstrip("."), text
        return _save_changes(
            plan, actor, current, before, shown_fields(current), ("number", "text"), expected_version
        )


def suggested_goal_number(plan: m.Plan) -> str:
    """One more than the highest numbered goal (the seed's goals are 1, 2, 6, 7: next is 8)."""
    numbers = m.StrategicGoal.objects.of_plan(plan).values_list("number", flat=True)
    highest = max((int(number) for number in numbers if number.isdigit()), default=0)
    return str(highest + 1)


def add_program_goal(plan: m.Plan, actor: Any, *, goal: m.StrategicGoal, text: str) -> m.ProgramGoal:
    """A new program goal, last under ``goal``."""
    text = required_text(text, KIND_LABELS[m.ProgramGoal])
    with editing(plan, actor) as locked:
        parent = fresh(locked, m.StrategicGoal, goal.pk)
        program = m.ProgramGoal.objects.create(
            plan=locked, strategic_goal=parent, text=text, position=next_position(locked, m.ProgramGoal)
        )
        _renumber(locked)
        _record(locked, actor, Event.CREATED, program, after=shown_fields(program))
    return program


def update_program_goal(
    program: m.ProgramGoal,
    actor: Any,
    *,
    text: str,
    needs_review: bool,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """A program goal's text, and whether it still needs review (clearing the flag clears its
    note too); returns what changed."""
    text = required_text(text, KIND_LABELS[m.ProgramGoal])
    with editing(program.plan, actor) as plan:
        current = fresh(plan, m.ProgramGoal, program.pk)
        before = shown_fields(current)
        current.text = text
        if not needs_review:
            current.needs_review, current.review_note = False, ""
        elif not current.needs_review:
            current.needs_review = True
        return _save_changes(
            plan,
            actor,
            current,
            before,
            shown_fields(current),
            ("text", "needs_review", "review_note"),
            expected_version,
        )


def move_program_goal(
    program: m.ProgramGoal, actor: Any, goal: m.StrategicGoal, *, expected_version: int | None = None
) -> dict[str, Any]:
    """Put a program goal last under another goal. A flagged program goal without a goal (the
    import could not tell where it belongs) is resolved by this: its review flag is cleared."""
    with editing(program.plan, actor) as plan:
        current = fresh(plan, m.ProgramGoal, program.pk)
        before = shown_fields(current)
        check_version(current, expected_version, before)
        parent = fresh(plan, m.StrategicGoal, goal.pk)
        if current.strategic_goal_id == parent.pk:
            return {}
        was_headerless = current.strategic_goal_id is None
        current.strategic_goal = parent
        if was_headerless and current.needs_review:
            current.needs_review, current.review_note = False, ""
        current.position = next_position(plan, m.ProgramGoal)
        changed = _save_changes(
            plan,
            actor,
            current,
            before,
            shown_fields(current),
            ("strategic_goal", "needs_review", "review_note", "position"),
            current.version,
        )
        _renumber(plan)
        return changed


def goal_of(plan: m.Plan, goal_id: int | None) -> m.StrategicGoal:
    """A goal of the plan picked in a form, else StructureError."""
    goal = m.StrategicGoal.objects.of_plan(plan).filter(pk=goal_id).first() if goal_id else None
    if goal is None:
        raise StructureError(_("Pilih sasaran strategis rencana ini."))
    return goal
