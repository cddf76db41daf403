"""Corrections of an imported tree: placing a flagged program goal, setting a polarity."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.core import canonical
from renaksi.core.corrections import (
    AttachProgramGoal,
    CorrectionError,
    CorrectionProblem,
    JoinLineToPrevious,
    MoveLine,
    NewGoalForProgramGoal,
    SetPolarity,
    apply_corrections,
    correction_from_dict,
    correction_to_dict,
    flagged_program_goals,
    joinable_lines,
    spill_moves,
)
from renaksi.core.import_report import plan_figures
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, Polarity, ProgramGoal
from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_source
from renaksi.imports.sample import random_plan

SEED = Path(__file__).parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"


def small_tree() -> PlanTree:
    def pg(text: str, line: int, *, flagged: bool = False) -> ProgramGoal:
        indicator = Indicator(f"ind {text}", "1 Dokumen", lines=[Line(name=f"line {text}", source_line=line)])
        return ProgramGoal(text, [indicator], needs_review=flagged, review_note="no header", source_line=line)

    return PlanTree(
        year=2023,
        goals=[
            Goal("1", "G1", [pg("a", 10)], source_line=9),
            Goal("2", "G2", [pg("b", 20), pg("c", 30)], source_line=19),
            Goal(None, "", [pg("orphan", 25, flagged=True)]),
            Goal("6", "G6", [pg("d", 40)], source_line=39),
        ],
    )


@pytest.fixture(scope="module")
def seed_tree() -> PlanTree:
    return recognize(read_source(SEED))[0]


def test_it_finds_the_seeds_one_flagged_program_goal(seed_tree: PlanTree) -> None:
    flagged = flagged_program_goals(seed_tree)
    assert [(path, pg.text) for path, pg in flagged] == [
        ((2, 0), "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum")
    ]


def test_a_new_goal_5_takes_the_seeds_flagged_program_goal_between_goals_2_and_6(seed_tree: PlanTree) -> None:
    fixed = apply_corrections(seed_tree, [NewGoalForProgramGoal((2, 0), "5", "Meningkatnya layanan hukum")])
    assert [goal.number for goal in fixed.goals] == ["1", "2", "5", "6", "7"]
    goal_5 = fixed.goals[2]
    assert goal_5.text == "Meningkatnya layanan hukum"
    assert [pg.text for pg in goal_5.program_goals] == [
        "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum"
    ]
    assert not goal_5.program_goals[0].needs_review and goal_5.program_goals[0].review_note == ""
    figures = plan_figures(fixed)
    assert figures["total_cost"] == 10_060_818_000
    assert figures["program_goals"] == 25 and figures["program_goals_flagged"] == 0
    assert figures["headerless_goal_groups"] == 0
    assert {entry["goal"]: entry["cost"] for entry in figures["cost_by_goal"]}["5"] == 30_760_000


def test_it_leaves_the_tree_it_was_given_unchanged(seed_tree: PlanTree) -> None:
    before = copy.deepcopy(seed_tree)
    apply_corrections(
        seed_tree,
        [NewGoalForProgramGoal((2, 0), "5", "Baru"), SetPolarity((0, 0, 0), Polarity.LOWER_IS_BETTER)],
    )
    assert seed_tree == before


def test_attaching_puts_the_program_goal_where_the_source_printed_it() -> None:
    fixed = apply_corrections(small_tree(), [AttachProgramGoal((2, 0), goal=1)])
    assert [goal.number for goal in fixed.goals] == ["1", "2", "6"]
    assert [pg.text for pg in fixed.goals[1].program_goals] == ["b", "orphan", "c"]


def test_a_later_correction_of_the_same_program_goal_wins() -> None:
    fixed = apply_corrections(
        small_tree(), [NewGoalForProgramGoal((2, 0), "5", "Baru"), AttachProgramGoal((2, 0), goal=0)]
    )
    assert [goal.number for goal in fixed.goals] == ["1", "2", "6"]
    assert [pg.text for pg in fixed.goals[0].program_goals] == ["a", "orphan"]


def test_setting_a_polarity_changes_that_indicator_only() -> None:
    fixed = apply_corrections(small_tree(), [SetPolarity((1, 1, 0), Polarity.LOWER_IS_BETTER)])
    polarities = [indicator.polarity for indicator in fixed.indicators()]
    assert polarities.count(Polarity.LOWER_IS_BETTER) == 1
    assert fixed.goals[1].program_goals[1].indicators[0].polarity is Polarity.LOWER_IS_BETTER


@pytest.mark.parametrize(
    ("correction", "problem"),
    [
        (AttachProgramGoal((1, 0), goal=0), CorrectionProblem.NOT_FLAGGED),
        (AttachProgramGoal((2, 0), goal=2), CorrectionProblem.NOT_A_GOAL),
        (AttachProgramGoal((2, 0), goal=9), CorrectionProblem.NOT_A_GOAL),
        (AttachProgramGoal((7, 0), goal=0), CorrectionProblem.NO_SUCH_OBJECT),
        (NewGoalForProgramGoal((2, 0), "6", "Lagi"), CorrectionProblem.GOAL_NUMBER_TAKEN),
        (NewGoalForProgramGoal((2, 0), "6.", "Lagi"), CorrectionProblem.GOAL_NUMBER_TAKEN),
        (NewGoalForProgramGoal((2, 0), " ", "Lagi"), CorrectionProblem.GOAL_NUMBER_MISSING),
        (NewGoalForProgramGoal((2, 0), "5", ""), CorrectionProblem.GOAL_TEXT_MISSING),
        (SetPolarity((0, 0, 3), Polarity.LOWER_IS_BETTER), CorrectionProblem.NO_SUCH_OBJECT),
        (SetPolarity((0, -1, 0), Polarity.LOWER_IS_BETTER), CorrectionProblem.NO_SUCH_OBJECT),
    ],
)
def test_it_refuses_a_correction_that_does_not_fit(correction, problem) -> None:
    with pytest.raises(CorrectionError) as caught:
        apply_corrections(small_tree(), [correction])
    assert caught.value.problem is problem


def test_every_correction_survives_its_stored_form() -> None:
    for correction in (
        AttachProgramGoal((2, 0), 1),
        NewGoalForProgramGoal((2, 0), "5", "Baru"),
        SetPolarity((1, 1, 0), Polarity.LOWER_IS_BETTER),
        JoinLineToPrevious((0, 0, 0, 1)),
    ):
        assert correction_from_dict(correction_to_dict(correction)) == correction


@pytest.mark.parametrize(
    "data", [{}, {"kind": "attach", "path": [1]}, {"kind": "polarity", "path": [0, 0, 0], "polarity": "x"}]
)
def test_a_damaged_stored_correction_is_refused(data) -> None:
    with pytest.raises(CorrectionError):
        correction_from_dict(data)


@given(seed=st.integers(0, 10_000), number=st.integers(1, 99))
def test_placing_every_flagged_program_goal_keeps_every_line_and_rupiah(seed: int, number: int) -> None:
    tree = random_plan(seed, 12, headerless=True)
    flagged = flagged_program_goals(tree)
    taken = {goal.number for goal in tree.goals}
    corrections = [
        NewGoalForProgramGoal(path, str(number), "Sasaran baru")
        if str(number) not in taken
        else AttachProgramGoal(path, next(i for i, goal in enumerate(tree.goals) if not goal.is_headerless))
        for path, _pg in flagged
    ]
    fixed = apply_corrections(tree, corrections)
    assert sorted(line.name for line in fixed.lines()) == sorted(line.name for line in tree.lines())
    assert fixed.total_cost() == tree.total_cost()
    assert flagged_program_goals(fixed) == []
    assert len(list(fixed.program_goals())) == len(list(tree.program_goals()))

    def numbers(plan: PlanTree) -> list[int]:
        return [int(goal.number) for goal in plan.goals if goal.number is not None]

    if numbers(tree) == sorted(numbers(tree)):
        assert numbers(fixed) == sorted(numbers(fixed))


def test_no_corrections_give_the_same_plan(seed_tree: PlanTree) -> None:
    assert canonical.dumps(apply_corrections(seed_tree, [])) == canonical.dumps(seed_tree)


def wrapped_tree() -> PlanTree:
    lines = [
        Line(name="Rapat koordinasi", cost=1_000, cost_state=CostState.AMOUNT, source_line=10),
        Line(name="tahapan pemilu", source_line=11),
        Line(name="tahun 2024", remarks="lanjutan", source_line=12),
        Line(name="Bimtek", cost=2_000, cost_state=CostState.AMOUNT, source_line=13),
    ]
    return PlanTree(goals=[Goal("1", "G", [ProgramGoal("P", [Indicator("I", "1 Dokumen", lines=lines)])])])


def test_joining_a_run_of_wrapped_lines_gives_one_line_in_printed_order() -> None:
    tree = wrapped_tree()
    assert joinable_lines(tree) == {11: (0, 0, 0, 1), 12: (0, 0, 0, 2)}
    for order in ([(0, 0, 0, 1), (0, 0, 0, 2)], [(0, 0, 0, 2), (0, 0, 0, 1)]):
        fixed = apply_corrections(tree, [JoinLineToPrevious(path) for path in order])
        lines = list(fixed.lines())
        assert [line.name for line in lines] == ["Rapat koordinasi tahapan pemilu tahun 2024", "Bimtek"]
        assert lines[0].remarks == "lanjutan" and lines[0].cost == 1_000
        assert fixed.total_cost() == tree.total_cost()


@pytest.mark.parametrize("path", [(0, 0, 0, 0), (0, 0, 0, 3), (0, 0, 0, 4)])
def test_only_a_bare_line_below_another_can_be_joined(path) -> None:
    with pytest.raises(CorrectionError):
        apply_corrections(wrapped_tree(), [JoinLineToPrevious(path)])


def test_the_seeds_text_only_line_can_be_joined_to_the_line_above(seed_tree: PlanTree) -> None:
    joinable = joinable_lines(seed_tree)
    names = {
        seed_tree.goals[g].program_goals[p].indicators[i].lines[n].name for g, p, i, n in joinable.values()
    }
    assert "Pengelolaan JDIH" in names


def test_a_line_moves_to_the_other_indicator_of_a_two_indicator_row_with_its_kegiatan() -> None:
    b = Indicator(
        "B", "100%", activities=["Keg"], lines=[Line("Line B", "Keg", source_line=31)], source_line=31
    )
    a = Indicator(
        "A", "1 Orang", activities=["Keg 2"], lines=[Line("Line A", "Keg 2", source_line=32)], source_line=32
    )
    tree = PlanTree(goals=[Goal("1", "Goal", [ProgramGoal("PG", [b, a])])])
    moves = spill_moves(tree, 31, 32)
    assert moves == [((0, 0, 0, 0), (0, 0, 1)), ((0, 0, 1, 0), (0, 0, 0))]
    fixed = apply_corrections(tree, [MoveLine(*moves[0])])
    moved_from, moved_to = fixed.goals[0].program_goals[0].indicators
    assert [line.name for line in moved_to.lines] == ["Line B", "Line A"]  # in printed order
    assert moved_from.lines == [] and "Keg" in moved_to.activities
    assert [line.name for line in tree.goals[0].program_goals[0].indicators[0].lines] == [
        "Line B"
    ]  # untouched
    assert correction_from_dict(correction_to_dict(MoveLine(*moves[0]))) == MoveLine(*moves[0])
    with pytest.raises(CorrectionError):
        apply_corrections(tree, [MoveLine((0, 0, 0, 0), (0, 0, 0))])
