"""Hypothesis strategies for whole plans, and the comparison the round-trip tests use.

Plans come from :func:`renaksi.imports.sample.random_plan`, so what a test generates is also what
the benchmark and the demo build: readable plans whose printed table has one reading.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import strategies as st

from renaksi.core.plan_tree import PlanTree
from renaksi.imports.sample import random_plan

# Fields that say where a node was read from, or how a reviewer was told about it: they are not
# part of the plan, so two readings of the same plan may differ in them. Keys are the database ids
# a loaded tree carries (identities, not content).
_NOT_COMPARED = frozenset({"source_line", "review_note", "key", "activity_keys"})


def plan_trees(max_lines: int = 40) -> st.SearchStrategy[PlanTree]:
    """Plans of 1 to ``max_lines`` lines; title block, headerless goal and PIC column vary."""
    maybe = st.none() | st.booleans()
    return st.builds(
        random_plan,
        st.integers(0, 2**32 - 1),
        st.integers(1, max_lines),
        headerless=maybe,
        person_in_charge=maybe,
        title=maybe,
    )


def comparable(tree: PlanTree) -> dict[str, Any]:
    """The tree as nested dicts without the fields in ``_NOT_COMPARED``."""
    return _strip(dataclasses.asdict(tree))


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items() if key not in _NOT_COMPARED}
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value


def first_difference(expected: Any, actual: Any, path: str = "tree") -> str | None:
    """Where two comparable trees first differ, for an assertion message a person can act on."""
    if type(expected) is not type(actual):
        return f"{path}: {expected!r} != {actual!r}"
    if isinstance(expected, dict):
        for key in expected:
            found = first_difference(expected[key], actual.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        for index, (left, right) in enumerate(zip(expected, actual, strict=False)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items expected, {len(actual)} read"
        return None
    return None if expected == actual else f"{path}: {expected!r} != {actual!r}"
