"""Every generated plan, written in every honest layout of the table, imports to the same plan.

A layout (:class:`renaksi.imports.shapes.Shape`) is written by ``write_shape``, read by
``read_source`` and the recognizer, and must give back the plan itself (``written_plan``: without a
title block there is no title) with no cell lost. Layouts that fail today are strict xfails whose
reason says what goes wrong, so a fix turns its own test green (and the xfail must then go).
"""

from __future__ import annotations

import copy
import dataclasses
import tempfile
from pathlib import Path

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from plan_strategies import comparable, first_difference, plan_trees
from shape_cases import CASES, KNOWN_FAILURES, KNOWN_SEED_FAILURES, case_shape
from shape_strategies import in_units, read_back, shapes

from renaksi.core.canonical import dumps
from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_source
from renaksi.imports.sample import random_plan
from renaksi.imports.shapes import Shape, unit_used, write_shape, written_plan

SEED = Path(__file__).resolve().parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
# Each test tries the same examples every run: a strict xfail must not pass by luck, nor a layout
# that fails on one plan in fifty fail one CI run in ten. Failures are not shrunk where they are
# expected (their failure is already known and described).
PASSING = settings(max_examples=20, deadline=None, derandomize=True)
FAILING = settings(max_examples=20, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate])


def assert_reads_back(tree: PlanTree, shape: Shape) -> None:
    tree = in_units(tree, shape)
    _read, problem = read_back(tree, shape)
    assert problem is None, f"{shape}\n{problem}"


def check_every_plan(
    layouts: st.SearchStrategy[Shape], *, expect_failure: bool, examples: list[tuple[PlanTree, Shape]] = ()
) -> None:
    def every_plan(tree: PlanTree, shape: Shape) -> None:
        assert_reads_back(tree, shape)

    for tree, shape in examples:
        every_plan = example(tree, shape)(every_plan)
    (FAILING if expect_failure else PASSING)(given(plan_trees(), layouts)(every_plan))()


def xfail_if_known(case: str, known: dict[str, str] = KNOWN_FAILURES) -> pytest.MarkDecorator | tuple[()]:
    reason = known.get(case)
    return pytest.mark.xfail(strict=True, reason=f"issue 9: {reason}") if reason else ()


# Every dimension drawn at once.


def test_every_generated_plan_reads_back_the_same_in_every_layout() -> None:
    # The rarest layouts among all of them (each case's own) are tried first on every run.
    known = [(random_plan(0, 3, headerless=False), case_shape(case)) for case in CASES]
    check_every_plan(shapes(), expect_failure=False, examples=known)


# One test per value of each dimension, the layout otherwise the default.


def _case_layouts(case: str) -> st.SearchStrategy[Shape]:
    """The case's layout; with page headers, the number of rows per page drawn too."""
    if "page_headers=every" in case:
        return st.integers(1, 12).map(lambda rows: case_shape(case, page_rows=rows))
    return st.just(case_shape(case))


@pytest.mark.parametrize("case", [pytest.param(case, marks=xfail_if_known(case)) for case in CASES])
def test_every_generated_plan_reads_back_the_same_in_the_layout(case: str) -> None:
    check_every_plan(_case_layouts(case), expect_failure=case in KNOWN_FAILURES)


# The seed plan, as its text import reads it, written in each layout.

# The seed's costs are not whole millions (Rp 8.378.000), so a juta column cannot hold them.
SEED_CASES = [case for case in CASES if "unit=juta" not in case]


@pytest.fixture(scope="module")
def seed_plan() -> PlanTree:
    tree, _report = recognize(read_source(SEED))
    return tree


def without_review_notes(tree: PlanTree) -> PlanTree:
    """The same tree with empty review notes: two readings may word a flag differently."""
    tree = copy.deepcopy(tree)
    for goal in tree.goals:
        goal.program_goals = [dataclasses.replace(pg, review_note="") for pg in goal.program_goals]
    return tree


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, marks=xfail_if_known(case, KNOWN_SEED_FAILURES)) for case in SEED_CASES],
)
def test_the_seed_written_in_the_layout_gives_the_canonical_json_of_its_text_import(
    seed_plan: PlanTree, case: str
) -> None:
    shape = case_shape(case)
    assert shape.unit is None or unit_used(seed_plan, shape) == shape.unit
    read, problem = read_back(seed_plan, shape)
    assert problem is None, problem
    assert read is not None
    expected = without_review_notes(written_plan(seed_plan, shape))
    assert dumps(without_review_notes(read)) == dumps(expected)
    assert first_difference(comparable(expected), comparable(read)) is None


@pytest.mark.parametrize("case", ["totals=jumlah_and_total", "totals=jumlah_and_total,tsv"])
def test_the_seeds_total_rows_are_checked_against_its_lines_without_a_false_alarm(
    seed_plan: PlanTree, case: str
) -> None:
    _tree, text_report = recognize(read_source(SEED))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{case_shape(case).suffix}"
        write_shape(seed_plan, path, case_shape(case))
        _read, report = recognize(read_source(path))
    assert report.unplaced == []
    # every JUMLAH is checked against its own goal (the goal-less group's too) and TOTAL against the
    # plan: all agree, so no total is reported as differing
    assert not [j.message for j in report.judgements if "jumlah tercetak" in j.message]
    assert text_report.figures["total_cost"] == report.figures["total_cost"] == 10_060_818_000
