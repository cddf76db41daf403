"""Corrections a person makes to an imported plan before it is saved.

The importer flags what the layout did not make certain (a program goal printed without a goal
header; an indicator whose table says nothing of its polarity). A preview lets a person settle
those, and each choice is a small :data:`Correction` naming its object by an index path into the
tree *as the importer produced it*. :func:`apply_corrections` applies them to a copy, so the same
stored corrections give the same corrected tree every time the preview is shown or committed.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, Polarity, ProgramGoal

__all__ = [
    "AttachProgramGoal",
    "JoinLineToPrevious",
    "MoveLine",
    "Correction",
    "CorrectionError",
    "CorrectionProblem",
    "NewGoalForProgramGoal",
    "SetPolarity",
    "apply_corrections",
    "correction_from_dict",
    "correction_to_dict",
    "flagged_program_goals",
    "joinable_lines",
    "spill_moves",
]


class CorrectionProblem(enum.StrEnum):
    """Why a correction cannot be applied; the pages turn each into a message in their language."""

    NO_SUCH_OBJECT = "no_such_object"
    NOT_FLAGGED = "not_flagged"
    NOT_A_GOAL = "not_a_goal"
    GOAL_NUMBER_TAKEN = "goal_number_taken"
    GOAL_NUMBER_MISSING = "goal_number_missing"
    GOAL_TEXT_MISSING = "goal_text_missing"
    NOT_A_CONTINUATION = "not_a_continuation"
    NOT_A_SPILL = "not_a_spill"
    UNKNOWN_KIND = "unknown_kind"


class CorrectionError(ValueError):
    def __init__(self, problem: CorrectionProblem, detail: str = "") -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)


@dataclass(frozen=True)
class AttachProgramGoal:
    """Put the flagged program goal at ``path`` (goal index, program goal index) under the
    existing numbered goal at index ``goal``."""

    path: tuple[int, int]
    goal: int


@dataclass(frozen=True)
class NewGoalForProgramGoal:
    """Create the strategic goal ``number``/``text`` (its pages were missing) and put the flagged
    program goal at ``path`` under it. Goals stay in number order."""

    path: tuple[int, int]
    number: str
    text: str


@dataclass(frozen=True)
class SetPolarity:
    """Say whether a higher or a lower value of the indicator at ``path`` (goal, program goal,
    indicator) is better."""

    path: tuple[int, int, int]
    polarity: Polarity


@dataclass(frozen=True)
class JoinLineToPrevious:
    """The other reading of a text-only row: the line at ``path`` (goal, program goal, indicator,
    line) is wrapped text of the line above it in the same indicator, so its name (and remarks)
    are appended to that line's and it goes. Only a line with no cost, code or month can be."""

    path: tuple[int, int, int, int]


@dataclass(frozen=True)
class MoveLine:
    """The other reading of a row holding two indicators: the line at ``path`` (goal, program goal,
    indicator, line) belongs to the other indicator of the pair, at ``to`` (goal, program goal,
    indicator); it moves there, with its Kegiatan."""

    path: tuple[int, int, int, int]
    to: tuple[int, int, int]


Correction = AttachProgramGoal | NewGoalForProgramGoal | SetPolarity | JoinLineToPrevious | MoveLine


def spill_moves(
    tree: PlanTree, first: int, second: int
) -> list[tuple[tuple[int, int, int, int], tuple[int, int, int]]]:
    """For a row holding two indicators (source line ``first``) whose second continues on source
    line ``second``: every line of either indicator, with the other indicator it may move to."""
    found: dict[int, tuple[int, int, int]] = {}
    for g, goal in enumerate(tree.goals):
        for p, program_goal in enumerate(goal.program_goals):
            for i, indicator in enumerate(program_goal.indicators):
                if indicator.source_line in (first, second):
                    found.setdefault(indicator.source_line, (g, p, i))
    if len(found) != 2:
        return []
    a, b = found[first], found[second]
    moves: list[tuple[tuple[int, int, int, int], tuple[int, int, int]]] = []
    for source, target in ((a, b), (b, a)):
        indicator = tree.goals[source[0]].program_goals[source[1]].indicators[source[2]]
        moves += [((*source, n), target) for n in range(len(indicator.lines))]
    return moves


def _joinable(line: Line) -> bool:
    return line.cost_state is CostState.ABSENT and not line.budget_code and not line.months


def joinable_lines(tree: PlanTree) -> dict[int, tuple[int, int, int, int]]:
    """The lines that may be joined to the line above them, by the source line they were read
    from (for a preview to offer the join on the judgement of that line)."""
    found: dict[int, tuple[int, int, int, int]] = {}
    for g, goal in enumerate(tree.goals):
        for p, program_goal in enumerate(goal.program_goals):
            for i, indicator in enumerate(program_goal.indicators):
                for n, line in enumerate(indicator.lines):
                    if n and line.source_line is not None and _joinable(line):
                        found.setdefault(line.source_line, (g, p, i, n))
    return found


def flagged_program_goals(tree: PlanTree) -> list[tuple[tuple[int, int], ProgramGoal]]:
    """The program goals a person must place, with their paths: flagged for review and sitting in
    a group without a goal header."""
    return [
        ((g, p), program_goal)
        for g, goal in enumerate(tree.goals)
        if goal.is_headerless
        for p, program_goal in enumerate(goal.program_goals)
        if program_goal.needs_review
    ]


def apply_corrections(tree: PlanTree, corrections: Iterable[Correction]) -> PlanTree:
    """A corrected copy of ``tree`` (which is left as it was). Every path is read in ``tree``, so
    the order of the corrections does not change what they point at; a later correction of the
    same object wins. Raises :class:`CorrectionError` for a correction that does not fit."""
    result = copy.deepcopy(tree)
    placements: dict[int, tuple[ProgramGoal, Goal, Correction]] = {}
    polarities: dict[int, tuple[Indicator, Polarity]] = {}
    joins: dict[tuple[int, ...], tuple[Indicator, Line, Line]] = {}
    moves: dict[int, tuple[Indicator, Line, Indicator]] = {}
    for correction in corrections:
        if isinstance(correction, MoveLine):
            source = _indicator_at(result, correction.path[:3])
            line = _item(source.lines, correction.path[3], correction.path)
            target = _indicator_at(result, correction.to)
            if target is source or correction.path[:2] != correction.to[:2]:
                raise CorrectionError(CorrectionProblem.NOT_A_SPILL, _path_text(correction.path))
            moves[id(line)] = (source, line, target)
        elif isinstance(correction, JoinLineToPrevious):
            joins[correction.path] = _join_at(result, correction.path)
        elif isinstance(correction, SetPolarity):
            indicator = _indicator_at(result, correction.path)
            polarities[id(indicator)] = (indicator, correction.polarity)
        elif isinstance(correction, AttachProgramGoal | NewGoalForProgramGoal):
            program_goal, holder = _flagged_at(result, correction.path)
            placements[id(program_goal)] = (program_goal, holder, correction)
        else:
            raise CorrectionError(CorrectionProblem.UNKNOWN_KIND, type(correction).__name__)
    for indicator, polarity in polarities.values():
        indicator.polarity = polarity
    _join(joins)
    for source, line, target in moves.values():
        source.lines.remove(line)
        _insert_line_by_source_line(target.lines, line)
        target.link_activity(line.activity)
    targets = _target_goals(result, placements.values())
    for program_goal, holder, correction in placements.values():
        holder.program_goals.remove(program_goal)
        program_goal.needs_review = False
        program_goal.review_note = ""
        _insert_by_source_line(targets[id(correction)].program_goals, program_goal)
    result.goals = [goal for goal in result.goals if not (goal.is_headerless and not goal.program_goals)]
    return result


def _target_goals(
    tree: PlanTree, placements: Iterable[tuple[ProgramGoal, Goal, Correction]]
) -> dict[int, Goal]:
    """The goal each placement puts its program goal under; new goals are made (once per number)
    and inserted in number order before anything moves."""
    original = list(tree.goals)
    taken = {goal.number for goal in original if goal.number is not None}
    created: dict[str, Goal] = {}
    targets: dict[int, Goal] = {}
    for _program_goal, _holder, correction in placements:
        if isinstance(correction, AttachProgramGoal):
            if not 0 <= correction.goal < len(original) or original[correction.goal].is_headerless:
                raise CorrectionError(CorrectionProblem.NOT_A_GOAL, str(correction.goal))
            targets[id(correction)] = original[correction.goal]
            continue
        assert isinstance(correction, NewGoalForProgramGoal)
        number, text = correction.number.strip().rstrip("."), correction.text.strip()
        if not number:
            raise CorrectionError(CorrectionProblem.GOAL_NUMBER_MISSING)
        if not text:
            raise CorrectionError(CorrectionProblem.GOAL_TEXT_MISSING)
        if number in taken or (number in created and created[number].text != text):
            raise CorrectionError(CorrectionProblem.GOAL_NUMBER_TAKEN, number)
        if number not in created:
            created[number] = Goal(number=number, text=text)
            _insert_in_number_order(tree.goals, created[number])
        targets[id(correction)] = created[number]
    return targets


def _number_key(number: str | None) -> tuple[int, ...] | None:
    if number is None:
        return None
    try:
        return tuple(int(part) for part in number.split("."))
    except ValueError:
        return None


def _insert_in_number_order(goals: list[Goal], new: Goal) -> None:
    """Before the first numbered goal with a higher number; at the end when there is none (or
    when the numbers are not numbers)."""
    key = _number_key(new.number)
    if key is not None:
        for position, goal in enumerate(goals):
            other = _number_key(goal.number)
            if other is not None and other > key:
                goals.insert(position, new)
                return
    goals.append(new)


def _insert_by_source_line(program_goals: list[ProgramGoal], moved: ProgramGoal) -> None:
    """Where the source printed it among the goal's program goals (at the end when unknown)."""
    if moved.source_line is not None:
        for position, program_goal in enumerate(program_goals):
            if program_goal.source_line is not None and program_goal.source_line > moved.source_line:
                program_goals.insert(position, moved)
                return
    program_goals.append(moved)


def _insert_line_by_source_line(lines: list[Line], moved: Line) -> None:
    if moved.source_line is not None:
        for position, line in enumerate(lines):
            if line.source_line is not None and line.source_line > moved.source_line:
                lines.insert(position, moved)
                return
    lines.append(moved)


def _flagged_at(tree: PlanTree, path: tuple[int, int]) -> tuple[ProgramGoal, Goal]:
    goal_index, program_goal_index = path
    goal = _item(tree.goals, goal_index, path)
    program_goal = _item(goal.program_goals, program_goal_index, path)
    if not (goal.is_headerless and program_goal.needs_review):
        raise CorrectionError(CorrectionProblem.NOT_FLAGGED, _path_text(path))
    return program_goal, goal


def _join(joins: dict[tuple[int, ...], tuple[Indicator, Line, Line]]) -> None:
    """Join in printed order, so a run of wrapped lines ends in the first line of the run, in order."""
    into: dict[int, Line] = {}
    for _path, (indicator, line, previous) in sorted(joins.items()):
        while id(previous) in into:
            previous = into[id(previous)]
        previous.name = f"{previous.name} {line.name}".strip()
        if line.remarks:
            previous.remarks = f"{previous.remarks} {line.remarks}".strip()
        indicator.lines.remove(line)
        into[id(line)] = previous


def _join_at(tree: PlanTree, path: tuple[int, int, int, int]) -> tuple[Indicator, Line, Line]:
    indicator = _indicator_at(tree, (path[0], path[1], path[2]))
    line = _item(indicator.lines, path[3], path)
    if path[3] == 0 or not _joinable(line):
        raise CorrectionError(CorrectionProblem.NOT_A_CONTINUATION, _path_text(path))
    return indicator, line, indicator.lines[path[3] - 1]


def _indicator_at(tree: PlanTree, path: tuple[int, int, int]) -> Indicator:
    goal_index, program_goal_index, indicator_index = path
    goal = _item(tree.goals, goal_index, path)
    program_goal = _item(goal.program_goals, program_goal_index, path)
    return _item(program_goal.indicators, indicator_index, path)


def _item(items: list[Any], index: int, path: tuple[int, ...]) -> Any:
    if not isinstance(index, int) or not 0 <= index < len(items):
        raise CorrectionError(CorrectionProblem.NO_SUCH_OBJECT, _path_text(path))
    return items[index]


def _path_text(path: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in path)


# --- stored form --------------------------------------------------------------------------------


def correction_to_dict(correction: Correction) -> dict[str, Any]:
    """A correction as plain JSON data (how a pending import keeps it)."""
    if isinstance(correction, AttachProgramGoal):
        return {"kind": "attach", "path": list(correction.path), "goal": correction.goal}
    if isinstance(correction, NewGoalForProgramGoal):
        return {
            "kind": "new_goal",
            "path": list(correction.path),
            "number": correction.number,
            "text": correction.text,
        }
    if isinstance(correction, JoinLineToPrevious):
        return {"kind": "join_line", "path": list(correction.path)}
    if isinstance(correction, MoveLine):
        return {"kind": "move_line", "path": list(correction.path), "to": list(correction.to)}
    return {"kind": "polarity", "path": list(correction.path), "polarity": correction.polarity.value}


def correction_from_dict(data: dict[str, Any]) -> Correction:
    try:
        kind = data["kind"]
        path = tuple(int(part) for part in data["path"])
        if kind == "attach" and len(path) == 2:
            return AttachProgramGoal((path[0], path[1]), int(data["goal"]))
        if kind == "new_goal" and len(path) == 2:
            return NewGoalForProgramGoal((path[0], path[1]), str(data["number"]), str(data["text"]))
        if kind == "join_line" and len(path) == 4:
            return JoinLineToPrevious((path[0], path[1], path[2], path[3]))
        if kind == "move_line" and len(path) == 4:
            to = tuple(int(part) for part in data["to"])
            if len(to) == 3:
                return MoveLine((path[0], path[1], path[2], path[3]), (to[0], to[1], to[2]))
        if kind == "polarity" and len(path) == 3:
            return SetPolarity((path[0], path[1], path[2]), Polarity(data["polarity"]))
    except (KeyError, TypeError, ValueError):
        pass
    raise CorrectionError(CorrectionProblem.UNKNOWN_KIND, repr(data)[:200])
