"""Replacing a stored plan with a new reading of it, as a diff.

What :func:`renaksi.core.plan_diff.diff_trees` matched is updated in place (same primary keys), what
is new is created, and only what went is deleted, so history (and later realization and evidence)
that hangs on a line or an indicator survives. Each change is recorded once: ``created`` and
``deleted`` with the object's values, ``changed`` with only the fields that changed, named by
names, never by ids. A replace that changes nothing writes nothing at all.

Rows are written in bulk: one query to read each level's current columns, one insert per level
and one ``executemany`` for the rows whose columns differ.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, models

from renaksi.access import Action, require
from renaksi.core.plan_diff import LevelDiff, PlanDiff, apply_diff, diff_trees
from renaksi.core.plan_tree import PlanTree
from renaksi.core.schedule import Schedule
from renaksi.history import Event, Source, build_event, save_events
from renaksi.planning import models as m
from renaksi.planning.create import INDICATOR_COLUMNS, LINE_COLUMNS
from renaksi.planning.services import _plan_summary, _target_fields, history_values
from renaksi.versioning import VERSION_FIELD

#: How a diff's field is called in history, where the model names it otherwise.
_HISTORY_NAMES = {"target": "target_text", "goal": "strategic_goal"}
_GOAL_COLUMNS = ("number", "text", "position")
_PROGRAM_GOAL_COLUMNS = ("strategic_goal_id", "text", "needs_review", "review_note", "position")
_INDICATOR_COLUMNS = tuple(column for column in INDICATOR_COLUMNS if column != "plan_id")
_LINE_COLUMNS = tuple(column for column in LINE_COLUMNS if column != "plan_id")


def replace_plan(
    plan: m.Plan, tree: PlanTree, *, actor: Any, source: Source, note: str
) -> tuple[m.Plan, PlanDiff]:
    """Make the stored ``plan`` (locked by the caller, inside its transaction) say what ``tree``
    says. Returns the plan and the diff that was saved. ``actor`` must hold :attr:`Action.EDIT` in
    the plan's agency."""
    require(actor, Action.EDIT, plan.agency_id)
    from renaksi.planning.services import load_tree
    from renaksi.planning.workflow_base import refuse_if_approved

    diff = diff_trees(load_tree(plan), tree)
    if diff.is_empty:
        return plan, diff
    refuse_if_approved(plan)  # an approved version is frozen: a change needs a revision
    history: list[Any] = []

    def record(
        event: Event, obj: models.Model, before: dict | None = None, after: dict | None = None
    ) -> None:
        history.append(
            build_event(
                event=event,
                source=source,
                agency=plan.agency_id,
                actor=actor,
                plan=plan,
                obj=obj,
                before=before,
                after=after,
                note=note,
            )
        )

    plan_before = _plan_summary(plan)
    plan.title, plan.agency_label = tree.title, tree.agency_label
    if plan.status != m.Plan.Status.DRAFT:
        # New content was never submitted: a submitted plan goes back to draft, and the history
        # says why (an approved one never gets here).
        status_before, plan.status = plan.status, m.Plan.Status.DRAFT
        record(Event.PLAN_RETURNED, plan, before={"status": status_before}, after={"status": plan.status})
    plan.version += 1  # new content: a workflow step from a page shown before it is refused
    plan.save()

    target = apply_diff(diff)
    writer = _Writer(plan, record)
    activity_ids = writer.activities(target.activities())

    goals = [(goal, position) for position, goal in enumerate(target.goals) if goal.number is not None]
    writer.level(
        m.StrategicGoal,
        _GOAL_COLUMNS,
        [(goal, {"number": goal.number, "text": goal.text, "position": p}) for goal, p in goals],
        diff.goals,
    )
    program_goals = [(pg, goal) for goal in target.goals for pg in goal.program_goals]
    writer.level(
        m.ProgramGoal,
        _PROGRAM_GOAL_COLUMNS,
        [
            (
                pg,
                {
                    "strategic_goal_id": goal.key,
                    "text": pg.text,
                    "needs_review": pg.needs_review,
                    "review_note": pg.review_note,
                    "position": position,
                },
            )
            for position, (pg, goal) in enumerate(program_goals)
        ],
        diff.program_goals,
    )
    indicators = [(ind, pg) for pg, _goal in program_goals for ind in pg.indicators]
    created_indicators = writer.level(
        m.Indicator,
        _INDICATOR_COLUMNS,
        [
            (
                ind,
                {
                    "program_goal_id": pg.key,
                    "text": ind.text,
                    "polarity": ind.polarity.value,
                    "position": position,
                    **_target_fields(ind.target),
                },
            )
            for position, (ind, pg) in enumerate(indicators)
        ],
        diff.indicators,
    )
    writer.indicator_parts(diff, [ind for ind, _pg in indicators], activity_ids, created_indicators)
    lines = [(line, ind) for ind, _pg in indicators for line in ind.lines]
    writer.level(
        m.SubActivity,
        _LINE_COLUMNS,
        [
            (
                line,
                {
                    "indicator_id": ind.key,
                    "activity_id": activity_ids.get(line.activity) if line.activity else None,
                    "name": line.name,
                    "schedule_mask": Schedule.from_months(line.months).mask,
                    "cost": line.cost,
                    "cost_state": line.cost_state.value,
                    "budget_code": line.budget_code,
                    "remarks": line.remarks,
                    "person_in_charge": line.person_in_charge,
                    "source_line": line.source_line,
                    "position": position,
                },
            )
            for position, (line, ind) in enumerate(lines)
        ],
        diff.lines,
    )
    # Children first, so nothing is removed by a cascade: what a removed parent still holds was
    # itself removed, and what moved away from it was already given its new parent above.
    for model, level in (
        (m.SubActivity, diff.lines),
        (m.Indicator, diff.indicators),
        (m.ProgramGoal, diff.program_goals),
        (m.StrategicGoal, diff.goals),
    ):
        writer.delete(model, [node.key for node in level.removed if node.key is not None])
    writer.delete_activities(set(target.activities()))

    counts = {
        "strategic_goals": len(goals),
        "program_goals": len(program_goals),
        "indicators": len(indicators),
        "activities": len(target.activities()),
        "lines": len(lines),
    }
    history.insert(
        0,
        build_event(
            event=Event.PLAN_IMPORTED,
            source=source,
            agency=plan.agency_id,
            actor=actor,
            plan=plan,
            obj=plan,
            before=plan_before,
            after=_plan_summary(plan, counts),
            note=note,
        ),
    )
    save_events(history)
    return plan, diff


def history_changes(changes: dict[str, tuple[Any, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A match's changes as the before and after of its ``changed`` record."""
    before = {_HISTORY_NAMES.get(name, name): old for name, (old, _new) in changes.items()}
    after = {_HISTORY_NAMES.get(name, name): new for name, (_old, new) in changes.items()}
    return before, after


class _Writer:
    def __init__(self, plan: m.Plan, record: Any) -> None:
        self.plan = plan
        self.record = record

    def level(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: list[tuple[Any, dict[str, Any]]],
        diff: LevelDiff[Any],
    ) -> set[int]:
        """Create the rows of nodes without a key (and key them), update the keyed ones whose
        columns differ, and record the diff's changes of this level. Returns the new rows' ids."""
        current = {
            row["id"]: row
            for row in model.objects.of_plan(self.plan).values("id", *columns)  # type: ignore[attr-defined]
        }
        created: list[tuple[Any, models.Model]] = []
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for node, values in rows:
            if node.key is None:
                created.append((node, model(plan=self.plan, **values)))
            else:
                row = current[node.key]
                changed = tuple(column for column in columns if row[column] != values[column])
                if changed:  # most often only the position: a line removed above shifts the rest
                    updates[changed].append({"id": node.key, **values})
        model.objects.bulk_create([obj for _node, obj in created], batch_size=2000)  # type: ignore[attr-defined]
        for node, obj in created:
            node.key = obj.pk
            self.record(Event.CREATED, obj, after=history_values(obj))
        for changed, group in updates.items():
            _update_rows(model, changed, group)
        by_key = {node.key: values for node, values in rows}
        for match in diff.changed:
            before, after = history_changes(match.changes)
            obj = model(pk=match.old.key, plan=self.plan, **by_key[match.old.key])
            self.record(Event.CHANGED, obj, before=before, after=after)
        return {obj.pk for _node, obj in created}

    def activities(self, names: list[str]) -> dict[str, int]:
        current = {
            row["name"]: row for row in m.Activity.objects.of_plan(self.plan).values("id", "name", "position")
        }
        created = [
            m.Activity(plan=self.plan, name=name, position=p)
            for p, name in enumerate(names)
            if name not in current
        ]
        m.Activity.objects.bulk_create(created)
        for activity in created:
            self.record(Event.CREATED, activity, after=history_values(activity))
        moved = [
            {"id": current[name]["id"], "position": p}
            for p, name in enumerate(names)
            if name in current and current[name]["position"] != p
        ]
        _update_rows(m.Activity, ("position",), moved)
        ids = {name: row["id"] for name, row in current.items()}
        return ids | {activity.name: activity.pk for activity in created}

    def indicator_parts(
        self, diff: PlanDiff, indicators: list[Any], activity_ids: dict[str, int], created: set[int]
    ) -> None:
        """Quarter targets and Kegiatan links, rewritten for the indicators where they changed
        (nothing hangs on them)."""
        stale: set[int] = {
            match.old.key
            for match in diff.indicators.matched
            if match.old.key is not None and {"quarter_targets", "activities"} & match.changes.keys()
        }
        for part in (m.QuarterTarget, m.ActivityIndicator):
            for chunk in _chunks(sorted(stale)):
                part.objects.of_plan(self.plan, "indicator__plan").filter(indicator_id__in=chunk).delete()
        fresh = [ind for ind in indicators if ind.key in stale or ind.key in created]
        m.QuarterTarget.objects.bulk_create(
            m.QuarterTarget(indicator_id=ind.key, quarter=quarter, target_text=text)
            for ind in fresh
            for quarter, text in sorted(ind.quarter_targets.items())
        )
        m.ActivityIndicator.objects.bulk_create(
            m.ActivityIndicator(activity_id=activity_ids[name], indicator_id=ind.key, position=position)
            for ind in fresh
            for position, name in enumerate(ind.activities)
        )

    def delete(self, model: type[models.Model], keys: list[int]) -> None:
        if not keys:
            return
        for chunk in _chunks(keys):
            gone = model.objects.of_plan(self.plan).filter(pk__in=chunk)  # type: ignore[attr-defined]
            for obj in gone:
                self.record(Event.DELETED, obj, before=history_values(obj))
            gone.delete()

    def delete_activities(self, kept: set[str]) -> None:
        gone = [a for a in m.Activity.objects.of_plan(self.plan) if a.name not in kept]
        self.delete(m.Activity, [activity.pk for activity in gone])


def _chunks(keys: list[int], size: int = 5000) -> Iterator[list[int]]:
    """Keys a few thousand at a time: a query has a limit on its parameters (PostgreSQL 65,535)."""
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def _update_rows(model: type[models.Model], columns: Iterable[str], rows: list[dict[str, Any]]) -> None:
    """``UPDATE ... WHERE id = ?`` for every row at once (Django's bulk_update builds one CASE
    per column and row, far slower for thousands of rows)."""
    if not rows:
        return
    columns = list(columns)
    meta = model._meta
    quote = connection.ops.quote_name
    fields: list[models.Field[Any, Any]] = []
    for column in columns:
        found = meta.get_field(column.removesuffix("_id"))
        assert isinstance(found, models.Field)
        fields.append(found)
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    if set(columns) - {"position"} and any(field.name == VERSION_FIELD for field in meta.concrete_fields):
        # New content: an edit form opened before this replace must not put the old one back
        # (renaksi.versioning). A row only moved keeps its version.
        assignments += f", {quote(VERSION_FIELD)} = {quote(VERSION_FIELD)} + 1"
    # Table and column names come from the model, quoted; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # nosec B608
    # Only a decimal needs the field's conversion (quantizing); the other values are ints, texts,
    # booleans and None, which the driver takes as they are (the field's method is the slow part).
    prepare = [
        (lambda value, field=field: field.get_db_prep_save(value, connection))
        if isinstance(field, models.DecimalField)
        else None
        for field in fields
    ]
    params = [
        [
            convert(row[column]) if convert else row[column]
            for convert, column in zip(prepare, columns, strict=True)
        ]
        + [row["id"]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
