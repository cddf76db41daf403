"""Plan writes and reads. Every write to plan data goes through here, inside one transaction."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renaksi.access import Action, require
from renaksi.agencies.models import Agency
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, Polarity, ProgramGoal
from renaksi.core.schedule import Schedule
from renaksi.core.targets import TargetError, parse_target
from renaksi.history import Source, snapshot
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


def save_tree(
    agency: Agency,
    year: int,
    tree: PlanTree,
    *,
    actor: object,
    replace: bool = False,
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

    Two saves of the same new plan at once: the one that comes second is told the plan exists
    (PlanExistsError), as if it had come later. On SQLite it waits for the first (immediate
    transactions) and then finds its plan; on PostgreSQL both find none, and the second's insert
    breaks the one-plan-per-agency-year-unit constraint once the first commits. With ``replace``
    the second then replaces the plan the first made.

    ``actor`` (a user, or :data:`renaksi.access.OPERATOR` for the command line) must hold
    :attr:`Action.EDIT` in ``agency``; it is checked first, before anything is read or written.
    """
    require(actor, Action.EDIT, agency.pk)
    try:
        with transaction.atomic():
            return _save_tree(agency, year, tree, replace, actor, source, note)
    except IntegrityError:
        existing = existing_plan(agency, year, tree.signing_unit)
        if existing is None:
            raise  # another constraint: a real error
    if not replace:
        raise PlanExistsError(existing)
    with transaction.atomic():
        return _save_tree(agency, year, tree, replace, actor, source, note)


def _save_tree(
    agency: Agency,
    year: int,
    tree: PlanTree,
    replace: bool,
    actor: object,
    source: Source,
    note: str,
) -> m.Plan:
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
    from renaksi.planning.create import create_plan  # it builds on this module

    return create_plan(agency, year, tree, actor=actor, source=source, note=note)


class PlanExistsError(Exception):
    def __init__(self, plan: m.Plan) -> None:
        self.plan = plan
        super().__init__(
            _("%(plan)s sudah ada (id %(id)s); pakai --replace untuk menggantinya")
            % {"plan": plan, "id": plan.pk}
        )


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
