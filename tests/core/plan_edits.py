"""Plans and the edits a planner makes between two files of the same plan, for the diff tests
(here and in tests/planning)."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from hypothesis import strategies as st

from renaksi.core.plan_diff import walk
from renaksi.core.plan_tree import CostState, Goal, Line, PlanTree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imports"))
from plan_strategies import plan_trees  # noqa: E402


def keyed(tree: PlanTree) -> PlanTree:
    """The tree as ``load_tree`` gives it: every stored node keyed (a headerless group has no row)."""
    tree = copy.deepcopy(tree)
    for key, node in enumerate(walk(tree), 1):
        if not (isinstance(node, Goal) and node.number is None):
            node.key = key
    tree.activity_keys = {name: 1000 + index for index, name in enumerate(tree.activities())}
    return tree


@st.composite
def edited(draw: st.DrawFn, max_lines: int = 25) -> tuple[PlanTree, PlanTree]:
    """A plan and a copy with a few edits a planner makes between two files of the same plan."""
    old = draw(plan_trees(max_lines))
    new = copy.deepcopy(old)
    for _ in range(draw(st.integers(0, 6))):
        indicators = list(new.indicators())
        lines = [(indicator, line) for indicator in indicators for line in indicator.lines]
        edit = draw(st.sampled_from(["cost", "remarks", "remove", "add", "move", "target", "goal", "swap"]))
        if edit in {"cost", "remarks", "remove", "move"} and lines:
            indicator, line = draw(st.sampled_from(lines))
            if edit == "cost":
                line.cost, line.cost_state = draw(st.integers(0, 10**9)), CostState.AMOUNT
            elif edit == "remarks":
                line.remarks = draw(st.sampled_from(["", "Revisi", "Dipindah ke TW II"]))
            elif edit == "remove":
                indicator.lines.remove(line)
            else:
                indicator.lines.remove(line)
                draw(st.sampled_from(indicators)).lines.append(line)
        elif edit == "add":
            draw(st.sampled_from(indicators)).lines.insert(0, Line(name=f"Baru {draw(st.integers(0, 3))}"))
        elif edit == "target":
            draw(st.sampled_from(indicators)).target = draw(st.sampled_from(["90%", "1 Dokumen", ""]))
        elif edit == "goal":
            goal = draw(st.sampled_from(new.goals))
            if goal.number is not None:
                goal.text = goal.text + " (revisi)" if draw(st.booleans()) else goal.text
                goal.number = draw(st.sampled_from([goal.number, "9"]))
        elif edit == "swap":
            indicator = draw(st.sampled_from(indicators))
            indicator.lines.reverse()
    return old, new
