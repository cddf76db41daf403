"""Creating a plan from a tree: every row and its ``created`` history record, in bulk.

An import of a national plan makes ~100,000 rows and as many history records. They are written as
rows of plain values (:func:`renaksi.bulk.insert_rows`, :class:`renaksi.history.EventRows`)
instead of a model instance each: the instances and Django's preparation of each of their values
were most of the import's save. The records say exactly what :func:`build_event` with
:func:`~renaksi.planning.services.history_values` says of each object (the same fields, the same
values, the label ``str()`` gives); ``tests/history`` and ``tests/planning`` read them back.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from renaksi.access import Action, require
from renaksi.agencies.models import Agency
from renaksi.bulk import insert_rows
from renaksi.core.plan_tree import PlanTree
from renaksi.core.schedule import Schedule
from renaksi.history import Event, EventRows, Source
from renaksi.planning import models as m

#: The columns a new plan's rows are written with; a replace updates the same ones (but the plan).
INDICATOR_COLUMNS = (
    "plan_id",
    "program_goal_id",
    "text",
    "polarity",
    "position",
    "target_text",
    "target_kind",
    "target_value",
    "target_upper",
    "target_unit",
)
LINE_COLUMNS = (
    "plan_id",
    "indicator_id",
    "activity_id",
    "name",
    "schedule_mask",
    "cost",
    "cost_state",
    "budget_code",
    "remarks",
    "person_in_charge",
    "source_line",
    "position",
)


def create_plan(
    agency: Agency, year: int, tree: PlanTree, *, actor: Any, source: Source, note: str
) -> m.Plan:
    """Write ``tree`` as a new plan of ``agency`` and ``year`` (inside the caller's transaction):
    one ``plan_imported`` record, then one ``created`` record per goal, program goal, indicator,
    Kegiatan and line, in that order. ``actor`` must hold :attr:`Action.EDIT` in ``agency``."""
    require(actor, Action.EDIT, agency.pk)
    from renaksi.planning.services import _plan_summary, _target_fields

    plan = m.Plan.objects.create(
        agency=agency,
        year=year,
        signing_unit=tree.signing_unit,
        title=tree.title,
        agency_label=tree.agency_label,
    )
    history = EventRows(source=source, agency=agency, actor=actor, plan=plan, note=note)
    created = Event.CREATED
    pk = plan.pk

    names = tree.activities()
    activity_rows = [(pk, name, position) for position, name in enumerate(names)]
    activity_ids = dict(
        zip(
            names,
            insert_rows(m.Activity, ("plan_id", "name", "position"), activity_rows, return_ids=True),
            strict=True,
        )
    )

    numbered = [(position, goal) for position, goal in enumerate(tree.goals) if goal.number is not None]
    goal_ids = insert_rows(
        m.StrategicGoal,
        ("plan_id", "number", "text", "position"),
        [(pk, goal.number, goal.text, position) for position, goal in numbered],
        return_ids=True,
    )
    goal_label = m.StrategicGoal._meta.label_lower
    goal_of: dict[int, int | None] = {}
    for (_position, goal), goal_id in zip(numbered, goal_ids, strict=True):
        goal_of[id(goal)] = goal_id
        history.add(
            created,
            goal_label,
            goal_id,
            f"{goal.number}. {goal.text}",
            after={"number": goal.number, "text": goal.text},
        )

    program_goals = [(pg, goal_of.get(id(goal))) for goal in tree.goals for pg in goal.program_goals]
    pg_ids = insert_rows(
        m.ProgramGoal,
        ("plan_id", "strategic_goal_id", "text", "needs_review", "review_note", "position"),
        [
            (pk, goal_id, pg.text, pg.needs_review, pg.review_note, position)
            for position, (pg, goal_id) in enumerate(program_goals)
        ],
        return_ids=True,
    )
    pg_label = m.ProgramGoal._meta.label_lower
    for (pg, parent_id), pg_id in zip(program_goals, pg_ids, strict=True):
        history.add(
            created,
            pg_label,
            pg_id,
            pg.text,
            after={
                "strategic_goal": parent_id,
                "text": pg.text,
                "needs_review": pg.needs_review,
                "review_note": pg.review_note,
            },
        )

    indicators = [
        (indicator, pg_id)
        for (pg, _g), pg_id in zip(program_goals, pg_ids, strict=True)
        for indicator in pg.indicators
    ]
    indicator_rows = []
    targets: dict[str, dict[str, Any]] = {}  # a target text read once (many indicators share one)
    for position, (indicator, pg_id) in enumerate(indicators):
        target = targets.get(indicator.target)
        if target is None:
            target = targets[indicator.target] = _target_fields(indicator.target)
        indicator_rows.append(
            (
                pk,
                pg_id,
                indicator.text,
                indicator.polarity.value,
                position,
                target["target_text"],
                target["target_kind"],
                target["target_value"],
                target["target_upper"],
                target["target_unit"],
            )
        )
    indicator_ids = insert_rows(m.Indicator, INDICATOR_COLUMNS, indicator_rows, return_ids=True)
    indicator_label = m.Indicator._meta.label_lower
    for row, indicator_id in zip(indicator_rows, indicator_ids, strict=True):
        history.add(
            created,
            indicator_label,
            indicator_id,
            row[2],
            after={"program_goal": row[1], "text": row[2], "target_text": row[5], "polarity": row[3]},
        )

    activity_label = m.Activity._meta.label_lower
    for name, activity_id in activity_ids.items():
        history.add(created, activity_label, activity_id, name, after={"name": name})

    links: list[tuple[int, int, int]] = []
    quarter_targets: list[tuple[int, int, str]] = []
    line_rows: list[tuple[Any, ...]] = []
    for (indicator, _pg_id), indicator_id in zip(indicators, indicator_ids, strict=True):
        for position, name in enumerate(indicator.activities):
            links.append((activity_ids[name], indicator_id, position))
        for quarter, text in sorted(indicator.quarter_targets.items()):
            quarter_targets.append((indicator_id, quarter, text))
        for line in indicator.lines:
            line_rows.append(
                (
                    pk,
                    indicator_id,
                    activity_ids.get(line.activity),
                    line.name,
                    Schedule.from_months(line.months).mask,
                    line.cost,
                    line.cost_state.value,
                    line.budget_code,
                    line.remarks,
                    line.person_in_charge,
                    line.source_line,
                    len(line_rows),
                )
            )
    insert_rows(m.ActivityIndicator, ("activity_id", "indicator_id", "position"), links)
    insert_rows(m.QuarterTarget, ("indicator_id", "quarter", "target_text"), quarter_targets)
    line_ids = insert_rows(m.SubActivity, LINE_COLUMNS, line_rows, return_ids=True)
    line_label = m.SubActivity._meta.label_lower
    months_of = lru_cache(maxsize=None)(lambda mask: Schedule(mask).months)
    for row, line_id in zip(line_rows, line_ids, strict=True):
        history.add(
            created,
            line_label,
            line_id,
            row[3],
            after={
                "indicator": row[1],
                "activity": row[2],
                "name": row[3],
                "cost": row[5],
                "cost_state": row[6],
                "budget_code": row[7],
                "remarks": row[8],
                "person_in_charge": row[9],
                "months": list(months_of(row[4])),
            },
        )

    summary = _plan_summary(
        plan,
        {
            "strategic_goals": len(goal_ids),
            "program_goals": len(pg_ids),
            "indicators": len(indicator_ids),
            "activities": len(activity_ids),
            "lines": len(line_ids),
        },
    )
    plan_record = EventRows(source=source, agency=agency, actor=actor, plan=plan, note=note)
    plan_record.add_object(Event.PLAN_IMPORTED, plan, after=summary)
    history.rows[:0] = plan_record.rows
    history.save()
    return plan
