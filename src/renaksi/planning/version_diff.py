"""The difference between two versions of a plan, line by line: what the screen and the XLSX
download show (added, removed and changed lines, with the old and new cost, schedule, code and
their indicator's target). Built on :func:`renaksi.core.plan_diff.diff_trees`, so it matches lines
the way a re-import does."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from renaksi.core.money import format_rupiah
from renaksi.core.plan_diff import PlanDiff
from renaksi.core.plan_tree import CostState, Indicator, Line, PlanTree
from renaksi.core.schedule import MONTH_NAMES_ID

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

#: The kinds as the XLSX (the official Indonesian document) names them.
KIND_LABELS_ID = {ADDED: "Ditambah", REMOVED: "Dihapus", CHANGED: "Diubah"}

#: The compared columns: (key, Indonesian heading).
COLUMNS = (
    ("cost", "Perkiraan biaya"),
    ("months", "Rencana pelaksanaan"),
    ("budget_code", "Akun"),
    ("target", "Target"),
)


@dataclass(frozen=True)
class Side:
    cost: int | None
    cost_state: str
    months: tuple[int, ...]
    budget_code: str
    target: str

    def text(self, key: str) -> str:
        if key == "cost":
            if self.cost is not None:
                return format_rupiah(self.cost)
            return "-" if self.cost_state == CostState.NONE.value else ""
        if key == "months":
            return ", ".join(MONTH_NAMES_ID[month - 1][:3] for month in self.months)
        return str(getattr(self, key))


@dataclass(frozen=True)
class DiffRow:
    kind: str
    name: str
    activity: str
    indicator: str
    old: Side | None
    new: Side | None
    changed: frozenset[str]  # the COLUMNS keys that differ (every one for added or removed)

    @property
    def cells(self) -> list[tuple[str, str, str, bool]]:
        """(key, old text, new text, differs) per compared column."""
        return [
            (
                key,
                self.old.text(key) if self.old else "",
                self.new.text(key) if self.new else "",
                key in self.changed,
            )
            for key, _heading in COLUMNS
        ]


def _indicators_of_lines(tree: PlanTree) -> dict[int, Indicator]:
    return {id(line): indicator for indicator in tree.indicators() for line in indicator.lines}


def _side(line: Line, indicator: Indicator | None) -> Side:
    return Side(
        cost=line.cost,
        cost_state=line.cost_state.value,
        months=tuple(line.months),
        budget_code=line.budget_code,
        target=indicator.target if indicator is not None else "",
    )


def diff_rows(diff: PlanDiff) -> list[DiffRow]:
    """Removed lines (in the old version's order), then added and changed ones (in the new
    version's order). A line is changed when its cost, schedule, code, name, Kegiatan or its
    indicator's target differ."""
    old_parent, new_parent = _indicators_of_lines(diff.old), _indicators_of_lines(diff.new)
    every = frozenset(key for key, _heading in COLUMNS)
    rows: list[DiffRow] = []
    for line in diff.lines.removed:
        indicator = old_parent.get(id(line))
        rows.append(
            DiffRow(
                REMOVED,
                line.name,
                line.activity,
                indicator.text if indicator else "",
                _side(line, indicator),
                None,
                every,
            )
        )
    matches = {id(match.new): match for match in diff.lines.matched}
    for line in diff.new.lines():
        new_indicator = new_parent.get(id(line))
        new_side = _side(line, new_indicator)
        match = matches.get(id(line))
        indicator_text = new_indicator.text if new_indicator else ""
        if match is None:
            rows.append(DiffRow(ADDED, line.name, line.activity, indicator_text, None, new_side, every))
            continue
        old_side = _side(match.old, old_parent.get(id(match.old)))
        changed = frozenset(key for key in every if old_side.text(key) != new_side.text(key))
        if changed or match.changes:
            rows.append(
                DiffRow(CHANGED, line.name, line.activity, indicator_text, old_side, new_side, changed)
            )
    return rows


def write_diff_xlsx(rows: list[DiffRow], target: Path, *, title: str) -> Path:
    """The rows as one sheet: kind, line, Kegiatan, indicator, then old and new of each compared
    column (amounts as numbers in a Rupiah format). Text is only ever written as text."""
    workbook = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        sheet = workbook.add_worksheet("Perbedaan versi")
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
        money = workbook.add_format({"num_format": '"Rp" #,##0', "valign": "top", "border": 1})
        sheet.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 12}))
        headings = ["Perubahan", "Rencana kegiatan", "Kegiatan", "Indikator kinerja"]
        for _key, heading in COLUMNS:
            headings += [f"{heading} (lama)", f"{heading} (baru)"]
        for column, heading in enumerate(headings):
            sheet.write_string(2, column, heading, bold)
        for r, row in enumerate(rows, start=3):
            for column, text in enumerate((KIND_LABELS_ID[row.kind], row.name, row.activity, row.indicator)):
                sheet.write_string(r, column, text, wrap)
            column = 4
            for key, _heading in COLUMNS:
                for side in (row.old, row.new):
                    if key == "cost" and side is not None and side.cost is not None:
                        sheet.write_number(r, column, side.cost, money)
                    elif side is not None and side.text(key):
                        sheet.write_string(r, column, side.text(key), wrap)
                    else:
                        sheet.write_blank(r, column, None, wrap)
                    column += 1
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 3, 36)
        sheet.set_column(4, 3 + 2 * len(COLUMNS), 18)
        sheet.freeze_panes(3, 2)
    finally:
        workbook.close()
    return target
