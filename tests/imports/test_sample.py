"""Generated plans are reproducible and keep the promises that make their table readable."""

from __future__ import annotations

import re
from itertools import groupby

from hypothesis import given, settings
from plan_strategies import comparable, plan_trees

from renaksi.core.budget_codes import parse_budget_code
from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.core.schedule import MARK_TRUE
from renaksi.imports.sample import random_plan

HEADER_WORDS = {
    "no",
    "sasaran strategis",
    "sasaran program",
    "indikator kinerja",
    "target",
    "kegiatan",
    "rencana kegiatan",
    "perkiraan biaya",
    "akun",
    "ket",
}


def names(tree: PlanTree) -> list[str]:
    found = [g.text for g in tree.goals if g.number is not None]
    found += [pg.text for pg in tree.program_goals()]
    found += [i.text for i in tree.indicators()]
    found += tree.activities()
    found += [line.name for line in tree.lines()]
    return found


def test_the_same_seed_gives_the_same_plan() -> None:
    assert comparable(random_plan(7, 60)) == comparable(random_plan(7, 60))
    assert comparable(random_plan(7, 60)) != comparable(random_plan(8, 60))


def test_it_makes_exactly_the_lines_asked_for() -> None:
    assert sum(1 for _ in random_plan(3, 1).lines()) == 1
    assert sum(1 for _ in random_plan(3, 500).lines()) == 500


@settings(max_examples=50, deadline=None)
@given(plan_trees(max_lines=60))
def test_generated_plans_keep_the_promises_that_give_their_table_one_reading(tree: PlanTree) -> None:
    all_names = names(tree)
    assert len(all_names) == len(set(all_names))
    for text in all_names:
        assert text and not text[0].isdigit() and text.casefold() not in HEADER_WORDS
        assert text not in MARK_TRUE and text == " ".join(text.split())
    for goal in tree.goals:
        assert goal.program_goals
        for program_goal in goal.program_goals:
            assert program_goal.needs_review == goal.is_headerless
            for indicator in program_goal.indicators:
                assert indicator.lines and indicator.target
                assert indicator.activities == list(dict.fromkeys(line.activity for line in indicator.lines))
                assert all(line.activity for line in indicator.lines)
                for line in indicator.lines:
                    assert list(line.months) == sorted(set(line.months))
                    assert (line.cost is not None) == (line.cost_state is CostState.AMOUNT)
                    assert line.cost is None or 0 <= line.cost <= 10**12
                    if line.budget_code:
                        assert parse_budget_code(line.budget_code).canonical == line.budget_code
    # Each activity is one run of consecutive lines (one merged KEGIATAN cell) inside one program goal.
    runs = [
        (id(program_goal), activity)
        for program_goal in tree.program_goals()
        for activity, _ in groupby(line.activity for i in program_goal.indicators for line in i.lines)
    ]
    assert len({activity for _, activity in runs}) == len(runs)
    numbered = [int(g.number) for g in tree.goals if g.number is not None]
    assert numbered == sorted(set(numbered))
    for position, goal in enumerate(tree.goals):
        if goal.is_headerless and position > 0:
            before, after = tree.goals[position - 1], tree.goals[position + 1]
            assert before.number is not None and after.number is not None
            assert int(after.number) > int(before.number) + 1
    if tree.title:
        assert re.fullmatch(r"RENCANA AKSI TAHUN \d{4}", tree.title) and tree.year == int(tree.title[-4:])
    assert tree.signing_unit == "" or tree.title
    assert tree.agency_label == "" or tree.signing_unit


def test_a_large_plan_has_every_kind_of_cost_code_and_target() -> None:
    tree = random_plan(2023, 2000, headerless=True, person_in_charge=True)
    states = {line.cost_state for line in tree.lines()}
    assert states == set(CostState)
    shapes = {len(line.budget_code.split(".")) for line in tree.lines() if line.budget_code}
    assert shapes == {2, 3, 4, 5, 6}
    targets = [i.target for i in tree.indicators()]
    assert any(t.endswith("%") and "," in t for t in targets)
    assert any(re.fullmatch(r"\d+ ?[-\u2013] ?\d+%", t) for t in targets)
    assert any(re.fullmatch(r"\d+ [A-Za-z/ ]+", t) for t in targets)
    assert "Provinsi dan 6 Satker Kabupaten/Kota" in targets
    assert any(line.person_in_charge for line in tree.lines())
    assert any(line.remarks for line in tree.lines())
    assert any(g.is_headerless for g in tree.goals)
