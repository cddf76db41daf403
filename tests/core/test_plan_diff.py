"""Matching a new reading of a plan against the stored one: by meaning, stable and predictable."""

from __future__ import annotations

import copy
import dataclasses
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from renaksi.core.plan_diff import apply_diff, diff_trees, summary, walk
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imports"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_edits import edited, keyed  # noqa: E402
from plan_strategies import comparable, plan_trees  # noqa: E402


def sizes(tree: PlanTree) -> dict[str, int]:
    return {
        "goals": len(tree.goals),
        "program_goals": len(list(tree.program_goals())),
        "indicators": len(list(tree.indicators())),
        "activities": len(tree.activities()),
        "lines": len(list(tree.lines())),
    }


def assert_counts_add_up(old: PlanTree, new: PlanTree) -> None:
    diff = diff_trees(old, new)
    for name, level in diff.levels():
        assert len(level.matched) + len(level.removed) == sizes(old)[name], name
        assert len(level.matched) + len(level.added) == sizes(new)[name], name


@settings(max_examples=60, deadline=None)
@given(plan_trees())
def test_a_plan_against_itself_is_no_change(tree: PlanTree) -> None:
    diff = diff_trees(keyed(tree), copy.deepcopy(tree))
    assert diff.is_empty
    assert all(counts == (0, 0, 0) for counts in summary(diff).values())


@settings(max_examples=80, deadline=None)
@given(edited())
def test_applying_the_diff_of_an_edited_plan_gives_the_edited_plan(trees: tuple[PlanTree, PlanTree]) -> None:
    old, new = trees
    old = keyed(old)
    result = apply_diff(diff_trees(old, new))
    assert comparable(result) == comparable(new)
    assert_counts_add_up(old, new)


@settings(max_examples=40, deadline=None)
@given(plan_trees(15), plan_trees(15))
def test_applying_the_diff_of_two_unrelated_plans_gives_the_second(first: PlanTree, second: PlanTree) -> None:
    old = keyed(first)
    assert comparable(apply_diff(diff_trees(old, second))) == comparable(second)
    assert_counts_add_up(old, second)


@settings(max_examples=40, deadline=None)
@given(edited())
def test_applied_nodes_keep_the_key_of_what_they_matched_and_new_ones_have_none(
    trees: tuple[PlanTree, PlanTree],
) -> None:
    old, new = trees
    old = keyed(old)
    diff = diff_trees(old, new)
    result = apply_diff(diff)
    for new_node, built in zip(walk(new), walk(result), strict=True):
        match = diff.match_of(new_node)
        assert built.key == (match.old.key if match else None)
    assert set(result.activity_keys) <= set(result.activities())


# --- the matching rules, one by one -------------------------------------------------------------


def line(name: str, activity: str = "K", **fields: Any) -> Line:
    return Line(name=name, activity=activity, **fields)


def tree(*goals: Goal) -> PlanTree:
    return PlanTree(year=2024, goals=list(goals))


def one_goal(*indicators: Indicator, number: str = "1", text: str = "G") -> Goal:
    return Goal(number, text, [ProgramGoal("PG", list(indicators))])


def test_a_line_that_moved_to_another_indicator_is_moved_not_removed_and_added() -> None:
    old = keyed(tree(one_goal(Indicator("A", lines=[line("Rapat"), line("Sosialisasi")]), Indicator("B"))))
    new = tree(one_goal(Indicator("A", lines=[line("Sosialisasi")]), Indicator("B", lines=[line("Rapat")])))
    diff = diff_trees(old, new)
    assert summary(diff)["lines"] == (0, 1, 0)
    (moved,) = diff.lines.changed
    assert moved.moved and moved.old.key == old.goals[0].program_goals[0].indicators[0].lines[0].key
    assert moved.changes == {"indicator": ("A", "B")}


def test_a_moved_line_whose_name_is_not_unique_among_the_unmatched_is_removed_and_added() -> None:
    old = keyed(tree(one_goal(Indicator("A", lines=[line("Rapat"), line("Rapat", "L")]), Indicator("B"))))
    new = tree(one_goal(Indicator("A"), Indicator("B", lines=[line("Rapat", "M")])))
    assert summary(diff_trees(old, new))["lines"] == (1, 0, 2)
    # Once one of the two is matched where it is, the other is the only candidate left: moved.
    new.goals[0].program_goals[0].indicators[0].lines.append(line("Rapat", "L"))
    assert summary(diff_trees(old, new))["lines"] == (0, 1, 0)


def test_duplicates_are_matched_in_order() -> None:
    paid = {"cost": 1, "cost_state": CostState.AMOUNT}
    old = keyed(tree(one_goal(Indicator("A", lines=[line("Rapat", **paid), line("Rapat")]))))
    new = tree(one_goal(Indicator("A", lines=[line("Rapat", **paid)])))
    diff = diff_trees(old, new)
    assert summary(diff)["lines"] == (0, 0, 1)
    assert diff.lines.removed == [old.goals[0].program_goals[0].indicators[0].lines[1]]


def test_a_goal_is_matched_by_number_and_a_renumbered_goal_by_its_text() -> None:
    old = keyed(tree(one_goal(number="1", text="Lama"), Goal("2", "Tetap")))
    new = tree(one_goal(number="1", text="Baru"), Goal("3", "Tetap"))
    diff = diff_trees(old, new)
    assert [m.changes for m in diff.goals.matched] == [{"text": ("Lama", "Baru")}, {"number": ("2", "3")}]


def test_a_program_goal_given_a_goal_is_moved_with_its_indicators_and_lines() -> None:
    flagged = ProgramGoal("Hukum", [Indicator("JDIH", lines=[line("Pengelolaan JDIH")])], needs_review=True)
    old = keyed(tree(one_goal(), Goal(None, "", [flagged])))
    attached = dataclasses.replace(copy.deepcopy(flagged), needs_review=False)
    new = tree(one_goal(), Goal("5", "Baru", [attached]))
    diff = diff_trees(old, new)
    assert summary(diff) == {
        "goals": (1, 0, 1),
        "program_goals": (0, 1, 0),
        "indicators": (0, 0, 0),
        "activities": (0, 0, 0),
        "lines": (0, 0, 0),
    }
    assert diff.program_goals.changed[0].changes == {
        "needs_review": (True, False),
        "goal": (None, "5. Baru"),
    }


def test_a_changed_field_is_listed_with_its_old_and_new_value_and_nothing_else() -> None:
    old = keyed(tree(one_goal(Indicator("A", "90%", lines=[line("Rapat", months=(1, 2))]))))
    new = tree(one_goal(Indicator("A", "95%", lines=[line("Rapat", months=(3,), remarks="Revisi")])))
    diff = diff_trees(old, new)
    assert diff.indicators.changed[0].changes == {"target": ("90%", "95%")}
    assert diff.lines.changed[0].changes == {"months": ((1, 2), (3,)), "remarks": ("", "Revisi")}


def test_lines_in_another_order_are_a_reorder_not_a_change() -> None:
    old = keyed(tree(one_goal(Indicator("A", lines=[line("Satu"), line("Dua")]))))
    new = tree(one_goal(Indicator("A", lines=[line("Dua"), line("Satu")])))
    diff = diff_trees(old, new)
    assert summary(diff)["lines"] == (0, 0, 0)
    assert diff.lines.reordered and not diff.is_empty


def test_a_new_title_is_a_plan_change() -> None:
    old = keyed(tree(one_goal()))
    new = dataclasses.replace(copy.deepcopy(old), title="RENCANA AKSI TAHUN 2024")
    assert diff_trees(old, new).plan_changes == {"title": ("", "RENCANA AKSI TAHUN 2024")}
