"""Plan writes and reads. Every write to plan data goes through here, inside one transaction."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from renaksi.agencies.models import Agency
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, Polarity, ProgramGoal
from renaksi.core.schedule import Schedule
from renaksi.core.targets import TargetError, parse_target
from renaksi.history import Event, Source, build_event, save_events, snapshot
from renaksi.planning import models as m

#: The fields recorded in history for each kind of plan object (lines add ``months``).
HISTORY_FIELDS: dict[type, tuple[str, ...]] = {
    m.StrategicGoal: ("number", "text"),
    m.ProgramGoal: ("strategic_goal", "text", "needs_review", "review_note"),
    m.Indicator: ("program_goal", "text", "target_text", "polarity"),
    m.Activity: ("name",),
    m.SubActivity: (
        "indicator",
        "activity",
        "name",
        "cost",
        "cost_state",
        "budget_code",
        "remarks",
        "person_in_charge",
    ),
}
PLAN_FIELDS = ("year", "signing_unit", "title", "agency_label", "status")


def history_values(obj: object) -> dict[str, object]:
    """The values of a plan object as history records them (a line's schedule as month numbers)."""
    values = snapshot(obj, HISTORY_FIELDS[type(obj)])  # type: ignore[arg-type]
    if isinstance(obj, m.SubActivity):
        values["months"] = list(Schedule(obj.schedule_mask).months)
    return values


def _plan_summary(plan: m.Plan, counts: dict[str, int] | None = None) -> dict[str, object]:
    """The plan's fields and how many of each part it has, for its history record. ``counts``,
    when the caller has just made the parts, saves counting them again in the database."""
    summary = snapshot(plan, PLAN_FIELDS)
    summary["counts"] = counts or {
        "strategic_goals": plan.strategic_goals.count(),
        "program_goals": plan.program_goals.count(),
        "indicators": plan.indicators.count(),
        "activities": plan.activities.count(),
        "lines": plan.sub_activities.count(),
    }
    return summary


def _target_fields(text: str) -> dict[str, object]:
    if not text.strip():
        return {
            "target_text": "",
            "target_kind": "",
            "target_value": None,
            "target_upper": None,
            "target_unit": "",
        }
    try:
        target = parse_target(text)
    except TargetError:
        return {
            "target_text": text,
            "target_kind": "text",
            "target_value": None,
            "target_upper": None,
            "target_unit": "",
        }
    if not all(_fits_decimal(v) for v in (target.value, target.upper)):
        # Kept verbatim as text rather than rounded into the typed columns.
        return {
            "target_text": text,
            "target_kind": "text",
            "target_value": None,
            "target_upper": None,
            "target_unit": "",
        }
    return {
        "target_text": text,
        "target_kind": target.kind.value,
        "target_value": target.value,
        "target_upper": target.upper,
        "target_unit": target.unit,
    }


def _fits_decimal(value: Decimal | None) -> bool:
    """Whether a target number fits Indicator.target_value (20 digits, 4 of them decimals)."""
    if value is None:
        return True
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        return False
    return exponent >= -4 and len(digits) + exponent <= 16


@transaction.atomic
def save_tree(
    agency: Agency,
    year: int,
    tree: PlanTree,
    *,
    replace: bool = False,
    actor: object = None,
    source: Source = Source.IMPORT,
    note: str = "",
) -> m.Plan:
    """Create the plan of ``agency`` and ``year`` from a tree, all or nothing.

    With ``replace`` an existing plan of the same agency, year and signing unit is updated to
    say what the tree says, as a diff (:mod:`renaksi.planning.replace`: matched objects keep
    their ids, only what went is deleted, a replace that changes nothing writes nothing); without
    it, an existing plan is an error.

    History records, in the same transaction: one ``plan_imported`` event for the plan and one
    ``created`` record (with ``after``) per object made, all by ``actor`` through ``source``.
    """
    existing = (
        m.Plan.objects.system("the caller may write this agency's plans")
        .select_for_update()
        .filter(agency=agency, year=year, signing_unit=tree.signing_unit)
        .first()
    )
    if existing is not None and not replace:
        raise PlanExistsError(existing)
    if existing is not None:
        from renaksi.planning.replace import replace_plan  # it builds on this module

        return replace_plan(existing, tree, actor=actor, source=source, note=note)[0]
    history: list = []

    def record(event: Event, obj: object, before: dict | None = None, after: dict | None = None) -> None:
        history.append(
            build_event(
                event=event,
                source=source,
                agency=agency,
                actor=actor,
                plan=plan,
                obj=obj,  # type: ignore[arg-type]
                before=before,
                after=after,
                note=note,
            )
        )

    plan = m.Plan.objects.create(
        agency=agency,
        year=year,
        signing_unit=tree.signing_unit,
        title=tree.title,
        agency_label=tree.agency_label,
    )
    activities: dict[str, m.Activity] = {}
    for position, name in enumerate(tree.activities()):
        activities[name] = m.Activity(plan=plan, name=name, position=position)
    m.Activity.objects.bulk_create(activities.values())

    goals: list[m.StrategicGoal] = []
    for position, goal in enumerate(tree.goals):
        if goal.number is not None:
            goals.append(m.StrategicGoal(plan=plan, number=goal.number, text=goal.text, position=position))
    m.StrategicGoal.objects.bulk_create(goals)
    goal_rows = iter(goals)
    goal_models: dict[int, m.StrategicGoal | None] = {}
    for goal in tree.goals:
        goal_models[id(goal)] = next(goal_rows) if goal.number is not None else None

    pg_models: list[m.ProgramGoal] = []
    indicator_models: list[m.Indicator] = []
    for goal in tree.goals:
        for pg in goal.program_goals:
            pg_models.append(
                m.ProgramGoal(
                    plan=plan,
                    strategic_goal=goal_models[id(goal)],
                    text=pg.text,
                    needs_review=pg.needs_review,
                    review_note=pg.review_note,
                    position=len(pg_models),
                )
            )
    m.ProgramGoal.objects.bulk_create(pg_models)
    for pg_model, pg in zip(pg_models, tree.program_goals(), strict=True):
        for indicator in pg.indicators:
            indicator_models.append(
                m.Indicator(
                    plan=plan,
                    program_goal=pg_model,
                    text=indicator.text,
                    polarity=indicator.polarity.value,
                    position=len(indicator_models),
                    **_target_fields(indicator.target),
                )
            )
    m.Indicator.objects.bulk_create(indicator_models)

    links: list[m.ActivityIndicator] = []
    quarter_targets: list[m.QuarterTarget] = []
    lines: list[m.SubActivity] = []
    for indicator_model, indicator in zip(indicator_models, tree.indicators(), strict=True):
        for position, name in enumerate(indicator.activities):
            links.append(
                m.ActivityIndicator(activity=activities[name], indicator=indicator_model, position=position)
            )
        for quarter, text in sorted(indicator.quarter_targets.items()):
            quarter_targets.append(
                m.QuarterTarget(indicator=indicator_model, quarter=quarter, target_text=text)
            )
        for line in indicator.lines:
            lines.append(
                m.SubActivity(
                    plan=plan,
                    indicator=indicator_model,
                    activity=activities.get(line.activity),
                    name=line.name,
                    schedule_mask=Schedule.from_months(line.months).mask,
                    cost=line.cost,
                    cost_state=line.cost_state.value,
                    budget_code=line.budget_code,
                    remarks=line.remarks,
                    person_in_charge=line.person_in_charge,
                    source_line=line.source_line,
                    position=len(lines),
                )
            )
    m.ActivityIndicator.objects.bulk_create(links)
    m.QuarterTarget.objects.bulk_create(quarter_targets)
    m.SubActivity.objects.bulk_create(lines, batch_size=2000)

    for created in (*goals, *pg_models, *indicator_models, *activities.values(), *lines):
        record(Event.CREATED, created, after=history_values(created))
    history.insert(
        0,
        build_event(
            event=Event.PLAN_IMPORTED,
            source=source,
            agency=agency,
            actor=actor,
            plan=plan,
            obj=plan,
            before=None,
            after=_plan_summary(
                plan,
                {
                    "strategic_goals": len(goals),
                    "program_goals": len(pg_models),
                    "indicators": len(indicator_models),
                    "activities": len(activities),
                    "lines": len(lines),
                },
            ),
            note=note,
        ),
    )
    save_events(history)
    return plan


class PlanExistsError(Exception):
    def __init__(self, plan: m.Plan) -> None:
        self.plan = plan
        super().__init__(f"{plan} already exists (id {plan.pk}); use --replace to overwrite it")


def existing_plan(agency: Agency, year: int, signing_unit: str) -> m.Plan | None:
    """The plan ``save_tree`` finds for this agency, year and signing unit (and refuses without
    ``replace``), read without a lock: a dry run asks it so it refuses what the real save would."""
    return (
        m.Plan.objects.system("the caller may read this agency's plans")
        .filter(agency=agency, year=year, signing_unit=signing_unit)
        .first()
    )


def load_tree(plan: m.Plan) -> PlanTree:
    """The plan as a tree, in printed order, in a fixed number of queries; every node keyed by
    its row's id (``key``), every Kegiatan in ``activity_keys``."""
    tree = PlanTree(
        year=plan.year, title=plan.title, signing_unit=plan.signing_unit, agency_label=plan.agency_label
    )
    activity_names = dict(m.Activity.objects.of_plan(plan).values_list("id", "name"))
    tree.activity_keys = {name: pk for pk, name in activity_names.items()}
    goals: dict[int, Goal] = {}
    goal_positions: dict[int, int] = {}
    for sg in m.StrategicGoal.objects.of_plan(plan).order_by("position"):
        goals[sg.pk] = Goal(number=sg.number, text=sg.text, key=sg.pk)
        goal_positions[sg.pk] = sg.position
    # Numbered goals keep their printed position; a headerless group (no row of its own) goes right
    # after the numbered goal whose program goals precede it.
    placed: list[tuple[float, Goal]] = [(goal_positions[pk], goal) for pk, goal in goals.items()]
    pgs: dict[int, ProgramGoal] = {}
    previous_position = -1.0
    group: Goal | None = None
    for pg in m.ProgramGoal.objects.of_plan(plan).order_by("position"):
        if pg.strategic_goal_id is None:
            if group is None:
                group = Goal(number=None, text="")
                placed.append((previous_position + 0.5, group))
            goal = group
        else:
            goal = goals[pg.strategic_goal_id]
            previous_position = float(goal_positions[pg.strategic_goal_id])
            group = None
        node = ProgramGoal(text=pg.text, needs_review=pg.needs_review, review_note=pg.review_note, key=pg.pk)
        goal.program_goals.append(node)
        pgs[pg.pk] = node
    placed.sort(key=lambda entry: entry[0])
    tree.goals = [goal for _position, goal in placed]

    links: dict[int, list[str]] = defaultdict(list)
    for indicator_id, activity_id in (
        m.ActivityIndicator.objects.of_plan(plan, "indicator__plan")
        .order_by("indicator_id", "position")
        .values_list("indicator_id", "activity_id")
    ):
        links[indicator_id].append(activity_names[activity_id])
    quarters: dict[int, dict[int, str]] = defaultdict(dict)
    for qt in m.QuarterTarget.objects.of_plan(plan, "indicator__plan"):
        quarters[qt.indicator_id][qt.quarter] = qt.target_text
    indicators: dict[int, Indicator] = {}
    for ind in m.Indicator.objects.of_plan(plan).order_by("position"):
        indicator_node = Indicator(
            text=ind.text,
            target=ind.target_text,
            polarity=Polarity(ind.polarity),
            quarter_targets=quarters.get(ind.pk, {}),
            activities=links.get(ind.pk, []),
            key=ind.pk,
        )
        pgs[ind.program_goal_id].indicators.append(indicator_node)
        indicators[ind.pk] = indicator_node
    for sub in m.SubActivity.objects.of_plan(plan).order_by("position"):
        indicators[sub.indicator_id].lines.append(
            Line(
                name=sub.name,
                activity=activity_names.get(sub.activity_id, "") if sub.activity_id else "",
                months=Schedule(sub.schedule_mask).months,
                cost=sub.cost,
                cost_state=CostState(sub.cost_state),
                budget_code=sub.budget_code,
                remarks=sub.remarks,
                person_in_charge=sub.person_in_charge,
                source_line=sub.source_line,
                key=sub.pk,
            )
        )
    return tree
