"""The stored form of a read upload: its plan tree and import report as JSON.

The canonical JSON leaves out where each object came from (source lines), which the preview
needs to mark judgements on their rows; so the tree is kept field for field. Unknown keys are
ignored and missing ones take the dataclass defaults, so a preview stored before a field was
added still loads.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from renaksi.core.import_report import ImportReport, Judgement, Placement, Unplaced
from renaksi.core.messages import message_from_data, revive_params
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, Polarity, ProgramGoal


def _jsonable(value: Any) -> Any:
    if isinstance(value, Polarity | CostState):
        return value.value
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def tree_to_data(tree: PlanTree) -> dict[str, Any]:
    data: dict[str, Any] = _jsonable(tree)
    return data


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return {key: value for key, value in data.items() if key in fields}


def _line(data: dict[str, Any]) -> Line:
    values = _known(Line, data)
    values["months"] = tuple(values.get("months", ()))
    values["cost_state"] = CostState(values.get("cost_state", CostState.ABSENT.value))
    return Line(**values)


def _indicator(data: dict[str, Any]) -> Indicator:
    values = _known(Indicator, data)
    values["polarity"] = Polarity(values.get("polarity", Polarity.HIGHER_IS_BETTER.value))
    values["quarter_targets"] = {int(key): text for key, text in values.get("quarter_targets", {}).items()}
    values["lines"] = [_line(item) for item in values.get("lines", [])]
    return Indicator(**values)


def _program_goal(data: dict[str, Any]) -> ProgramGoal:
    values = _known(ProgramGoal, data)
    values["indicators"] = [_indicator(item) for item in values.get("indicators", [])]
    return ProgramGoal(**values)


def tree_from_data(data: dict[str, Any]) -> PlanTree:
    values = _known(PlanTree, data)
    goals = []
    for item in values.get("goals", []):
        goal = _known(Goal, item)
        goal["program_goals"] = [_program_goal(pg) for pg in goal.get("program_goals", [])]
        goals.append(Goal(**goal))
    values["goals"] = goals
    return PlanTree(**values)


def report_to_data(report: ImportReport) -> dict[str, Any]:
    """The report as JSON values, each placement written as ``[line, column, text, field]``."""
    data: dict[str, Any] = _jsonable(dataclasses.replace(report, placements=[]))
    data["placements"] = list(report.placements)  # tuples: JSON writes each as a list
    return data


def _placement(item: list[Any] | dict[str, Any]) -> Placement:
    """A stored placement: ``[line, column, text, field]``, or a mapping of them as stored before."""
    if isinstance(item, dict):
        return Placement(item["line"], item["column"], item["text"], item["field"])
    return Placement._make(item)


def report_from_data(data: dict[str, Any]) -> ImportReport:
    values = _known(ImportReport, data)
    values["placements"] = [_placement(item) for item in values.get("placements", [])]
    values["unplaced"] = [Unplaced(**_revived(_known(Unplaced, item))) for item in values.get("unplaced", [])]
    values["judgements"] = [
        Judgement(**_revived(_known(Judgement, item))) for item in values.get("judgements", [])
    ]
    # Notes were texts before they were messages: a stored text reads as a message of its own.
    values["notes"] = [message_from_data(note) for note in values.get("notes", [])]
    return ImportReport(**values)


def _revived(values: dict[str, Any]) -> dict[str, Any]:
    """A judgement's or an unplaced cell's values, with the messages nested in its params (a
    refusal's reason) made messages again, so they render in the page's language."""
    if "params" in values:
        values["params"] = revive_params(values["params"])
    return values
