"""Hypothesis strategies for the layouts of :mod:`renaksi.imports.shapes`, and the read-back check.

:func:`shapes` draws every dimension of a :class:`Shape` independently, within what a format can
hold (shading and numbers only in a workbook, no ``✓`` in cp1252). :func:`read_back` writes a plan
in a shape and says what an import of the file got wrong, or ``None``.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Collection
from pathlib import Path

from hypothesis import strategies as st
from plan_strategies import comparable, first_difference

from renaksi.core.grid import SourceError
from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer import recognize
from renaksi.imports.readers import read_source
from renaksi.imports.shapes import LEADING_ORDERS, TAIL, UNITS, WORKBOOKS, Shape, write_shape, written_plan

ALL = None  # a dimension left free
FORMATS = ("tsv", "csv", "xlsx", "xls", "ods")
STRUCTURES = ("merged", "repeated", "mixed")
MONTHS = ("shaded", "v", "x", "\u2713", "1", "named")
AMOUNTS = ("id", "en", "seed", "number")
UNIT_CHOICES = (None, "juta", "ribu", "ribuan")
TITLES = ("lines", "one_cell", "none")


def _among(values: tuple[object, ...], allowed: Collection[object] | None) -> tuple[object, ...]:
    return tuple(value for value in values if allowed is None or value in allowed)


@st.composite
def shapes(
    draw: st.DrawFn,
    *,
    formats: Collection[str] | None = ALL,
    structures: Collection[str] | None = ALL,
    page_headers: bool | None = ALL,
    reorder: bool | None = ALL,
    header_rows: Collection[int] | None = ALL,
    months: Collection[str] | None = ALL,
    amounts: Collection[str] | None = ALL,
    units: Collection[str | None] | None = ALL,
    accounting_zero: bool | None = ALL,
    titles: Collection[str] | None = ALL,
    totals: bool | None = ALL,
) -> Shape:
    """A layout with every dimension drawn (or limited to the values given)."""
    fmt = draw(st.sampled_from(_among(FORMATS, formats)))
    xlsx, workbook = fmt == "xlsx", fmt in WORKBOOKS
    delimiter = draw(st.sampled_from((",", ";")))
    encoding = draw(st.sampled_from(("utf-8", "cp1252"))) if fmt == "csv" else "utf-8"
    month_marks = [m for m in _among(MONTHS, months) if (m != "shaded" or xlsx)]
    month_marks = [m for m in month_marks if not (m == "\u2713" and encoding == "cp1252")]
    money = [a for a in _among(AMOUNTS, amounts) if (a == "number") == workbook or a in ("seed", "id")]
    amount_style = draw(st.sampled_from(money))
    leading, tail = LEADING_ORDERS[0], TAIL
    if reorder is not False and draw(st.booleans() if reorder is None else st.just(True)):
        leading = draw(st.sampled_from(LEADING_ORDERS))
        tail = tuple(draw(st.permutations(TAIL)))
    with_pages = draw(st.booleans()) if page_headers is None else page_headers
    zero = accounting_zero is not False and amount_style == "number" and fmt != "ods"
    return Shape(
        format=fmt,  # type: ignore[arg-type]
        delimiter=delimiter,  # type: ignore[arg-type]
        encoding=encoding,  # type: ignore[arg-type]
        structure=draw(st.sampled_from(_among(STRUCTURES, structures))),  # type: ignore[arg-type]
        mixed_seed=draw(st.integers(0, 2**16)),
        page_rows=draw(st.integers(1, 12)) if with_pages else None,
        leading=leading,
        tail=tail,
        header_rows=draw(st.sampled_from(_among((2, 1), header_rows))),  # type: ignore[arg-type]
        month_labels=draw(st.sampled_from(("numbers", "names"))),
        months=draw(st.sampled_from(month_marks)),  # type: ignore[arg-type]
        amounts=amount_style,  # type: ignore[arg-type]
        unit=draw(st.sampled_from(_among(UNIT_CHOICES, units))),  # type: ignore[arg-type]
        accounting_zero=zero and draw(st.booleans() if accounting_zero is None else st.just(True)),
        title=draw(st.sampled_from(_among(TITLES, titles))),  # type: ignore[arg-type]
        totals=draw(st.booleans()) if totals is None else totals,
        labels=draw(st.sampled_from(("printed", "variants"))),
        blank_rows=draw(st.booleans()),
        page_break_text=draw(st.sampled_from(("repeated", "continued")))
        if fmt in ("tsv", "csv")
        else "repeated",
    )


def in_units(tree: PlanTree, shape: Shape) -> PlanTree:
    """The plan with every amount rounded down to a whole number of the shape's unit, so the unit
    is used (a plan with an amount the unit cannot hold is written without one)."""
    if shape.unit is None:
        return tree
    factor = UNITS[shape.unit][0]
    rounded = copy.deepcopy(tree)
    for line in rounded.lines():
        if line.cost is not None:
            line.cost -= line.cost % factor
    return rounded


def read_back(tree: PlanTree, shape: Shape) -> tuple[PlanTree | None, str | None]:
    """Write ``tree`` in ``shape``, import the file; the tree read and what went wrong, if anything:
    the first difference from :func:`written_plan`, lost cells, or the import's refusal."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"plan{shape.suffix}"
        write_shape(tree, path, shape)
        try:
            read, report = recognize(read_source(path))
        except SourceError as error:
            return None, f"SourceError: {error}"
    difference = first_difference(comparable(written_plan(tree, shape)), comparable(read))
    if difference:
        return read, f"{difference}\njudgements: {report.judgements[:5]}\nunplaced: {report.unplaced[:5]}"
    if report.lost_cells:
        return read, f"{report.lost_cells} cells lost"
    return read, None
