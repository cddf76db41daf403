"""New plans from the editor: an empty one, or a copy of last year's with its targets and schedule.

A copy is the way most planners start a year: the same goals, indicators and Kegiatan, the lines
with their cost, code, months, remarks and person in charge, to be revised from there. It is a
new draft of ``year``; its history is one record summarising what was copied (the copied rows are
the old plan's, whose own history says where each came from).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renaksi.access import Action, require
from renaksi.agencies.models import Agency
from renaksi.bulk import insert_rows
from renaksi.history import Event, Source, record_event
from renaksi.planning import models as m
from renaksi.planning.create import INDICATOR_COLUMNS, LINE_COLUMNS
from renaksi.planning.services import _plan_summary, existing_plan
from renaksi.planning.structure import StructureError

YEARS = range(2000, 2101)
PLAN_COPIED_FIELDS = (
    "signing_unit",
    "agency_label",
    "sign_place",
    "signer_title",
    "signer_name",
    "signer_nip",
)


def _free(agency: Agency, year: int, signing_unit: str) -> None:
    if year not in YEARS:
        raise StructureError(
            _("Tahun harus antara %(first)s dan %(last)s.") % {"first": YEARS[0], "last": YEARS[-1]}
        )
    found = existing_plan(agency, year, signing_unit)
    if found is not None:
        raise StructureError(_("%(plan)s sudah ada.") % {"plan": found})


def create_empty_plan(
    agency: Agency, actor: Any, *, year: int, signing_unit: str = "", title: str = ""
) -> m.Plan:
    """A new, empty draft plan of ``agency`` and ``year``: one ``created`` record."""
    require(actor, Action.EDIT, agency.pk)
    signing_unit, title = signing_unit.strip(), " ".join(title.split())
    try:
        with transaction.atomic():
            _free(agency, year, signing_unit)
            plan = m.Plan.objects.create(agency=agency, year=year, signing_unit=signing_unit, title=title)
            _record(plan, actor, "")
    except IntegrityError:  # the same plan made at the same moment by someone else
        _free(agency, year, signing_unit)
        raise
    return plan


def copy_plan(source: m.Plan, actor: Any, *, year: int) -> m.Plan:
    """``source`` copied to a new draft of ``year`` (same agency and signing unit): every goal,
    program goal, indicator with its target and quarterly targets, Kegiatan and their links, and
    line with its cost, code, months, remarks and person in charge, in the same order. One
    ``created`` record with the counts."""
    require(actor, Action.EDIT, source.agency_id)
    agency = source.agency
    try:
        with transaction.atomic():
            _free(agency, year, source.signing_unit)
            plan = m.Plan.objects.create(
                agency=agency,
                year=year,
                title=re.sub(rf"\b{source.year}\b", str(year), source.title),
                **{name: getattr(source, name) for name in PLAN_COPIED_FIELDS},
            )
            counts = _copy_rows(source, plan)
            _record(
                plan,
                actor,
                _("Disalin dari %(plan)s (target dan jadwal ikut disalin).") % {"plan": source},
                counts,
            )
    except IntegrityError:
        _free(agency, year, source.signing_unit)
        raise
    return plan


def _record(plan: m.Plan, actor: Any, note: str, counts: dict[str, int] | None = None) -> None:
    empty = {"strategic_goals": 0, "program_goals": 0, "indicators": 0, "activities": 0, "lines": 0}
    record_event(
        event=Event.CREATED,
        source=Source.FORM,
        agency=plan.agency,
        actor=actor,
        plan=plan,
        obj=plan,
        after=_plan_summary(plan, counts or empty),
        note=note,
    )


def _copy(model: Any, source: m.Plan, columns: tuple[str, ...], path: str = "plan") -> list[tuple[Any, ...]]:
    return list(model.objects.of_plan(source, path).order_by("pk").values_list("pk", *columns))


def _copy_rows(source: m.Plan, plan: m.Plan) -> dict[str, int]:
    """Insert copies of ``source``'s rows into ``plan``, parents first, ids mapped as they go."""
    pk = plan.pk
    goals = _copy(m.StrategicGoal, source, ("number", "text", "position"))
    goal_ids = dict(
        zip(
            [row[0] for row in goals],
            insert_rows(
                m.StrategicGoal,
                ("plan_id", "number", "text", "position"),
                [(pk, *row[1:]) for row in goals],
                return_ids=True,
            ),
            strict=True,
        )
    )
    program_columns = ("strategic_goal_id", "text", "needs_review", "review_note", "position")
    programs = _copy(m.ProgramGoal, source, program_columns)
    program_ids = dict(
        zip(
            [row[0] for row in programs],
            insert_rows(
                m.ProgramGoal,
                ("plan_id", *program_columns),
                [(pk, goal_ids.get(row[1]), *row[2:]) for row in programs],
                return_ids=True,
            ),
            strict=True,
        )
    )
    indicator_columns = INDICATOR_COLUMNS[1:] + ("aggregation",)  # without plan_id
    indicators = _copy(m.Indicator, source, indicator_columns)
    indicator_ids = dict(
        zip(
            [row[0] for row in indicators],
            insert_rows(
                m.Indicator,
                ("plan_id", *indicator_columns),
                [(pk, program_ids[row[1]], *row[2:]) for row in indicators],
                return_ids=True,
            ),
            strict=True,
        )
    )
    activities = _copy(m.Activity, source, ("name", "position"))
    activity_ids = dict(
        zip(
            [row[0] for row in activities],
            insert_rows(
                m.Activity,
                ("plan_id", "name", "position"),
                [(pk, *row[1:]) for row in activities],
                return_ids=True,
            ),
            strict=True,
        )
    )
    links = _copy(m.ActivityIndicator, source, ("activity_id", "indicator_id", "position"), "indicator__plan")
    insert_rows(
        m.ActivityIndicator,
        ("activity_id", "indicator_id", "position"),
        [(activity_ids[a], indicator_ids[i], position) for _pk, a, i, position in links],
    )
    quarters = _copy(m.QuarterTarget, source, ("indicator_id", "quarter", "target_text"), "indicator__plan")
    insert_rows(
        m.QuarterTarget,
        ("indicator_id", "quarter", "target_text"),
        [(indicator_ids[i], quarter, text) for _pk, i, quarter, text in quarters],
    )
    line_columns = LINE_COLUMNS[1:]  # without plan_id
    lines = _copy(m.SubActivity, source, line_columns)
    insert_rows(
        m.SubActivity,
        ("plan_id", *line_columns),
        [(pk, indicator_ids[row[1]], activity_ids.get(row[2]), *row[3:10], None, row[11]) for row in lines],
    )
    return {
        "strategic_goals": len(goals),
        "program_goals": len(programs),
        "indicators": len(indicators),
        "activities": len(activities),
        "lines": len(lines),
    }
