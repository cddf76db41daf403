"""What replacing a stored plan with a new reading of it changes, matched by meaning.

:func:`diff_trees` matches a new tree (from a file: no keys) against the stored one (from
``load_tree``: every node keyed by its database id), level by level, each level inside the pairs
matched above it and then by one plan-wide fallback:

- goals by number; the rest by text (a renumbered goal); headerless groups with each other;
- program goals by text within their matched goal, then by a text that is unique among the
  still-unmatched program goals of each plan (it moved to another goal);
- indicators by text within their matched program goal, then by a unique text (moved);
- lines by (Kegiatan, name) within their matched indicator, then by a unique name (moved to
  another indicator, or its Kegiatan changed);
- Kegiatan by name.

Several objects under one key are matched in order. What is left of the old tree is removed,
what is left of the new one is added. A matched pair lists the fields whose values differ, old
and new; a move lists its parent (``goal``, ``program_goal``, ``indicator``) by name.
:func:`apply_diff` builds the new tree from the old one's nodes (keys kept) and the changes, so
a save updates in place what was matched. Pure: no Django.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from renaksi.core.plan_tree import Goal, Indicator, Line, PlanTree, ProgramGoal

Node = TypeVar("Node", Goal, ProgramGoal, Indicator, Line)
Item = TypeVar("Item")

#: The compared fields of each level (keys, source lines and children are not content).
GOAL_FIELDS = ("number", "text")
PROGRAM_GOAL_FIELDS = ("text", "needs_review", "review_note")
INDICATOR_FIELDS = ("text", "target", "polarity", "quarter_targets", "activities")
LINE_FIELDS = (
    "name",
    "activity",
    "months",
    "cost",
    "cost_state",
    "budget_code",
    "remarks",
    "person_in_charge",
)
PLAN_FIELDS = ("title", "agency_label")
#: The name a move is listed under, per level.
PARENT_FIELD = {ProgramGoal: "goal", Indicator: "program_goal", Line: "indicator"}


@dataclass
class Match(Generic[Item]):
    old: Item
    new: Item
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def moved(self) -> bool:
        return any(name in self.changes for name in PARENT_FIELD.values())


@dataclass
class LevelDiff(Generic[Item]):
    matched: list[Match[Item]] = field(default_factory=list)
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    #: Whether matched objects keep their relative printed order.
    reordered: bool = False

    @property
    def changed(self) -> list[Match[Item]]:
        return [match for match in self.matched if match.changes]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.reordered or self.changed)

    def counts(self) -> tuple[int, int, int]:
        """(added, changed, removed)."""
        return len(self.added), len(self.changed), len(self.removed)


@dataclass
class PlanDiff:
    old: PlanTree
    new: PlanTree
    plan_changes: dict[str, tuple[Any, Any]]
    goals: LevelDiff[Goal]
    program_goals: LevelDiff[ProgramGoal]
    indicators: LevelDiff[Indicator]
    activities: LevelDiff[str]
    lines: LevelDiff[Line]
    _by_new: dict[int, Match[Any]] = field(default_factory=dict, repr=False)

    def levels(self) -> list[tuple[str, LevelDiff[Any]]]:
        """The levels in printed order, named as :data:`LEVELS` names them."""
        return [
            ("goals", self.goals),
            ("program_goals", self.program_goals),
            ("indicators", self.indicators),
            ("activities", self.activities),
            ("lines", self.lines),
        ]

    @property
    def is_empty(self) -> bool:
        return not self.plan_changes and all(level.is_empty for _name, level in self.levels())

    def match_of(self, new_node: Goal | ProgramGoal | Indicator | Line) -> Match[Any] | None:
        """The match of a node of the new tree, or None when it is added."""
        return self._by_new.get(id(new_node))


LEVELS = ("goals", "program_goals", "indicators", "activities", "lines")


def diff_trees(old: PlanTree, new: PlanTree) -> PlanDiff:
    """What turns ``old`` into ``new``; see the module's docstring for how objects are matched."""
    pairs: dict[int, Any] = {}  # id(old node) -> new node, every level

    old_goals, new_goals = list(old.goals), list(new.goals)
    goal_pairs = _pair_in_order(old_goals, new_goals, lambda g: ("number", g.number))
    goal_pairs += _pair_in_order(
        _left(old_goals, goal_pairs, 0),
        _left(new_goals, goal_pairs, 1),
        lambda g: None if g.number is None else ("text", g.text),
    )
    goals = _level(old_goals, new_goals, goal_pairs, GOAL_FIELDS, pairs, {})

    def children_pairs(
        parents: list[Match[Any]],
        children: Callable[[Any], list[Any]],
        key: Callable[[Any], Hashable],
        old_all: list[Any],
        new_all: list[Any],
        unique: Callable[[Any], Hashable],
    ) -> list[tuple[Any, Any]]:
        found: list[tuple[Any, Any]] = []
        for parent in parents:
            found += _pair_in_order(children(parent.old), children(parent.new), key)
        return found + _pair_unique(_left(old_all, found, 0), _left(new_all, found, 1), unique)

    old_pgs, old_pg_parent = _flatten(old.goals, lambda g: g.program_goals)
    new_pgs, new_pg_parent = _flatten(new.goals, lambda g: g.program_goals)
    pg_pairs = children_pairs(goals.matched, lambda g: g.program_goals, _text, old_pgs, new_pgs, _text)
    parents = _Parents(pairs, old_pg_parent, new_pg_parent, _goal_label)
    program_goals = _level(old_pgs, new_pgs, pg_pairs, PROGRAM_GOAL_FIELDS, pairs, {"goal": parents})

    old_inds, old_ind_parent = _flatten(old_pgs, lambda p: p.indicators)
    new_inds, new_ind_parent = _flatten(new_pgs, lambda p: p.indicators)
    ind_pairs = children_pairs(
        program_goals.matched, lambda p: p.indicators, _text, old_inds, new_inds, _text
    )
    parents = _Parents(pairs, old_ind_parent, new_ind_parent, _text)
    indicators = _level(old_inds, new_inds, ind_pairs, INDICATOR_FIELDS, pairs, {"program_goal": parents})

    old_lines, old_line_parent = _flatten(old_inds, lambda i: i.lines)
    new_lines, new_line_parent = _flatten(new_inds, lambda i: i.lines)
    line_pairs = children_pairs(
        indicators.matched,
        lambda i: i.lines,
        lambda line: (line.activity, line.name),
        old_lines,
        new_lines,
        lambda line: line.name,
    )
    parents = _Parents(pairs, old_line_parent, new_line_parent, _text)
    lines = _level(old_lines, new_lines, line_pairs, LINE_FIELDS, pairs, {"indicator": parents})

    old_names, new_names = old.activities(), new.activities()
    common = set(old_names) & set(new_names)
    activities: LevelDiff[str] = LevelDiff(
        matched=[Match(name, name) for name in new_names if name in common],
        added=[name for name in new_names if name not in common],
        removed=[name for name in old_names if name not in common],
        reordered=[n for n in old_names if n in common] != [n for n in new_names if n in common],
    )
    by_new = {
        id(match.new): match for level in (goals, program_goals, indicators, lines) for match in level.matched
    }
    return PlanDiff(
        old=old,
        new=new,
        plan_changes=_changes(old, new, PLAN_FIELDS),
        goals=goals,
        program_goals=program_goals,
        indicators=indicators,
        activities=activities,
        lines=lines,
        _by_new=by_new,
    )


def apply_diff(diff: PlanDiff) -> PlanTree:
    """The new tree, made of the old tree's nodes (their keys kept) with each match's changes
    applied, and the added nodes (no keys). A source line is the new reading's where it has one."""

    def build(node: Any, children: dict[str, list[Any]]) -> Any:
        # A shallow copy by its __dict__ (dataclasses.replace runs __init__: slow for 44,000 lines).
        match = diff.match_of(node)
        built = object.__new__(type(node))
        if match is None:
            built.__dict__.update(node.__dict__, key=None, **children)
            return built
        built.__dict__.update(match.old.__dict__, **children)
        for name, (_old, new) in match.changes.items():
            if name not in _PARENTS:
                setattr(built, name, new)
        if node.source_line is not None:
            built.source_line = node.source_line
        return built

    def indicator(node: Indicator) -> Indicator:
        lines = [build(line, {}) for line in node.lines]
        built: Indicator = build(node, {"lines": lines})
        built.quarter_targets = dict(built.quarter_targets)
        built.activities = list(built.activities)
        return built

    def program_goal(node: ProgramGoal) -> ProgramGoal:
        built: ProgramGoal = build(node, {"indicators": [indicator(i) for i in node.indicators]})
        return built

    goals = [
        build(goal, {"program_goals": [program_goal(p) for p in goal.program_goals]})
        for goal in diff.new.goals
    ]
    values = {name: new for name, (_old, new) in diff.plan_changes.items()}
    tree = dataclasses.replace(diff.old, goals=goals, **values)
    kept = {match.new for match in diff.activities.matched}
    tree.activity_keys = {name: key for name, key in diff.old.activity_keys.items() if name in kept}
    tree.year, tree.signing_unit = diff.new.year, diff.new.signing_unit
    return tree


def summary(diff: PlanDiff) -> dict[str, tuple[int, int, int]]:
    """(added, changed, removed) per level, in :data:`LEVELS` order."""
    return {name: level.counts() for name, level in diff.levels()}


# --- matching ------------------------------------------------------------------------------------

_PARENTS = frozenset(PARENT_FIELD.values())


def _text(node: ProgramGoal | Indicator) -> str:
    return node.text


def _goal_label(goal: Goal) -> str | None:
    """A goal as a person names it; None for the group printed without a goal header."""
    return None if goal.number is None else f"{goal.number}. {goal.text}"


def _pair_in_order(
    old: Iterable[Item], new: Iterable[Item], key: Callable[[Item], Hashable]
) -> list[tuple[Item, Item]]:
    """Pairs of equal keys, the n-th old with the n-th new of each key; a key of None never pairs."""
    waiting: dict[Hashable, deque[Item]] = defaultdict(deque)
    for node in old:
        found = key(node)
        if found is not None:
            waiting[found].append(node)
    pairs = []
    for node in new:
        found = key(node)
        if found is not None and waiting.get(found):
            pairs.append((waiting[found].popleft(), node))
    return pairs


def _pair_unique(
    old: list[Item], new: list[Item], key: Callable[[Item], Hashable]
) -> list[tuple[Item, Item]]:
    """Pairs whose key occurs exactly once on each side."""
    old_counts, new_counts = Counter(map(key, old)), Counter(map(key, new))
    unique_old = {key(node): node for node in old if old_counts[key(node)] == 1}
    return [
        (unique_old[key(node)], node)
        for node in new
        if new_counts[key(node)] == 1 and key(node) in unique_old
    ]


def _left(nodes: list[Item], pairs: list[tuple[Item, Item]], side: int) -> list[Item]:
    taken = {id(pair[side]) for pair in pairs}
    return [node for node in nodes if id(node) not in taken]


def _flatten(
    parents: Iterable[Any], children: Callable[[Any], list[Any]]
) -> tuple[list[Any], dict[int, Any]]:
    """Every child in printed order, and each child's parent (by the child's id)."""
    flat, parent_of = [], {}
    for parent in parents:
        for child in children(parent):
            flat.append(child)
            parent_of[id(child)] = parent
    return flat, parent_of


@dataclass
class _Parents:
    """Whether a pair's parents are themselves a pair, and how to name a parent."""

    pairs: dict[int, Any]
    old_parent: dict[int, Any]
    new_parent: dict[int, Any]
    label: Callable[[Any], Any]

    def move(self, old: Any, new: Any) -> tuple[Any, Any] | None:
        old_parent, new_parent = self.old_parent[id(old)], self.new_parent[id(new)]
        if self.pairs.get(id(old_parent)) is new_parent:
            return None
        return self.label(old_parent), self.label(new_parent)


def _changes(old: Any, new: Any, fields: tuple[str, ...]) -> dict[str, tuple[Any, Any]]:
    changes = {}
    for name in fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes[name] = (before, after)
    return changes


def _level(
    old: list[Node],
    new: list[Node],
    pairs: list[tuple[Node, Node]],
    fields: tuple[str, ...],
    all_pairs: dict[int, Any],
    parents: dict[str, _Parents],
) -> LevelDiff[Node]:
    by_new = {id(new_node): old_node for old_node, new_node in pairs}
    old_index = {id(node): index for index, node in enumerate(old)}
    level: LevelDiff[Node] = LevelDiff()
    previous = -1
    for new_node in new:
        old_node = by_new.get(id(new_node))
        if old_node is None:
            level.added.append(new_node)
            continue
        all_pairs[id(old_node)] = new_node
        changes = _changes(old_node, new_node, fields)
        for name, parent in parents.items():
            moved = parent.move(old_node, new_node)
            if moved is not None:
                changes[name] = moved
        level.matched.append(Match(old_node, new_node, changes))
        index = old_index[id(old_node)]
        level.reordered = level.reordered or index < previous
        previous = index
    level.removed = [node for node in old if id(node) not in all_pairs]
    return level


def walk(tree: PlanTree) -> Iterator[Goal | ProgramGoal | Indicator | Line]:
    """Every node of a tree, parents before children, in printed order."""
    for goal in tree.goals:
        yield goal
        for program_goal in goal.program_goals:
            yield program_goal
            for indicator in program_goal.indicators:
                yield indicator
                yield from indicator.lines
