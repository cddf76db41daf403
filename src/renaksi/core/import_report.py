"""What an import did with every source cell, and the figures a person checks before committing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, NamedTuple

from renaksi.core.messages import Message, render_text
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import plan_totals


class Placement(NamedTuple):
    """A source cell and the field it became (``"indicator 12: target"``).

    A tuple, not a dataclass: an import of a national plan places ~400,000 cells, and the report
    is built, stored and read back whole (its stored form is ``[line, column, text, field]``)."""

    line: int
    column: int
    text: str
    field: str


@dataclass(frozen=True)
class Unplaced:
    """A non-empty cell that became no field. It is kept with the plan, never dropped.

    ``reason`` is Indonesian; ``template`` and ``params`` say it again in any language
    (:class:`~renaksi.core.messages.Message`)."""

    line: int
    column: int
    text: str
    reason: str
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, line: int, column: int, text: str, reason: Message) -> Unplaced:
        return cls(line, column, text, str(reason), reason.template, dict(reason.params))

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        return render_text(self.template, self.params, translate) if self.template else self.reason


@dataclass(frozen=True)
class Judgement:
    """A reading the layout did not make certain: recorded so a person can confirm or correct it.

    ``message`` is Indonesian; ``template`` and ``params`` say it again in any language."""

    line: int
    column: int | None
    message: str
    template: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, line: int, column: int | None, message: Message) -> Judgement:
        return cls(line, column, str(message), message.template, dict(message.params))

    def render(self, translate: Callable[[str], str] | None = None) -> str:
        return render_text(self.template, self.params, translate) if self.template else self.message


@dataclass
class ImportReport:
    source_format: str = ""
    encoding: str | None = None
    notes: list[Message] = field(default_factory=list)  # the reader's, then the corrections made
    source_cells: int = 0
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    #: The signature block read under the table (place, date, title, name, nip), if any.
    signature: dict[str, str] = field(default_factory=dict)

    @property
    def lost_cells(self) -> int:
        """Cells neither placed nor listed as unplaced: must always be 0."""
        accounted = {(p.line, p.column) for p in self.placements} | {
            (u.line, u.column) for u in self.unplaced
        }
        return self.source_cells - len(accounted)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON values; each placement, a tuple, is written as ``[line, column,
        text, field]`` (asdict copied the ~400,000 placements of a big import field by field;
        JSON takes the immutable tuples as they are)."""
        data = asdict(replace(self, placements=[]))
        data["placements"] = list(map(tuple, self.placements))  # plain arrays for any JSON encoder
        data["lost_cells"] = self.lost_cells
        return data


def plan_figures(tree: PlanTree) -> dict[str, Any]:
    """The figures DESIGN.md §3 lists, computed from a plan tree (never from the source text)."""
    totals = plan_totals(tree)
    program_goals = list(tree.program_goals())
    largest = max(tree.lines(), key=lambda line: line.cost or 0, default=None)
    return {
        "goal_numbers": [g.number for g in tree.goals if g.number is not None],
        "headerless_goal_groups": sum(1 for g in tree.goals if g.number is None),
        "program_goals": len(program_goals),
        "program_goals_flagged": sum(1 for pg in program_goals if pg.needs_review),
        "indicators": sum(1 for _ in tree.indicators()),
        "activities": len(tree.activities()),
        "lines": totals.lines,
        "lines_with_cost": totals.lines_with_cost,
        "lines_marked_none": totals.lines_marked_none,
        "lines_without_cost_cell": totals.lines_without_cost_cell,
        "lines_scheduled": sum(1 for line in tree.lines() if line.months),
        "total_cost": totals.grand_total,
        "cost_by_goal": [
            {"goal": goal.number, "text": goal.text, "cost": amount} for goal, amount in totals.by_goal
        ],
        "distinct_budget_codes": len(totals.by_code),
        "largest_line": None
        if largest is None or largest.cost is None
        else {"name": largest.name, "cost": largest.cost, "budget_code": largest.budget_code},
    }


def format_report(report: ImportReport, *, verbose: bool = False) -> str:
    """The report as a person reads it in a terminal (Indonesian labels, Rupiah formatted)."""
    f = report.figures
    out: list[str] = []
    out.append(
        f"Format: {report.source_format}" + (f", encoding {report.encoding}" if report.encoding else "")
    )
    # What the reader decided or could not read (the sheet, the delimiter, shading in .xls/.ods).
    out.extend(f"  catatan: {note}" for note in report.notes)
    numbers = ", ".join(str(n) for n in f.get("goal_numbers", []))
    out.append(f"Sasaran strategis bernomor : {len(f.get('goal_numbers', []))} ({numbers})")
    if f.get("headerless_goal_groups"):
        out.append(f"Kelompok tanpa sasaran strategis (ditandai) : {f['headerless_goal_groups']}")
    out.append(
        f"Sasaran program           : {f.get('program_goals', 0)}"
        f" ({f.get('program_goals_flagged', 0)} ditandai untuk diperiksa)"
    )
    out.append(f"Indikator kinerja         : {f.get('indicators', 0)}")
    out.append(f"Kegiatan                  : {f.get('activities', 0)}")
    out.append(
        f"Rencana kegiatan          : {f.get('lines', 0)}"
        f" ({f.get('lines_with_cost', 0)} berbiaya, {f.get('lines_marked_none', 0)} bertanda '-',"
        f" {f.get('lines_without_cost_cell', 0)} tanpa sel biaya; {f.get('lines_scheduled', 0)} berjadwal)"
    )
    out.append(f"Total perkiraan biaya     : {format_rupiah(f.get('total_cost', 0))}")
    for entry in f.get("cost_by_goal", []):
        label = f"sasaran {entry['goal']}" if entry["goal"] is not None else "tanpa sasaran strategis"
        out.append(f"  {label:<28}: {format_rupiah(entry['cost'])}")
    out.append(f"Kode akun berbeda         : {f.get('distinct_budget_codes', 0)}")
    largest = f.get("largest_line")
    if largest:
        out.append(
            f"Baris terbesar            : {format_rupiah(largest['cost'])} {largest['budget_code']} {largest['name']}"
        )
    out.append(
        f"Sel sumber                : {report.source_cells} (ditempatkan {len(report.placements)},"
        f" tidak ditempatkan {len(report.unplaced)}, hilang {report.lost_cells})"
    )
    if report.judgements:
        out.append(f"Keputusan pembacaan ({len(report.judgements)}):")
        for j in report.judgements:
            where = f"baris {j.line}" + (f" kolom {j.column}" if j.column is not None else "")
            out.append(f"  - {where}: {j.message}")
    if report.unplaced:
        out.append(f"Sel tidak ditempatkan ({len(report.unplaced)}), disimpan bersama rencana:")
        for u in report.unplaced:
            out.append(f"  - baris {u.line} kolom {u.column}: {u.text!r} ({u.reason})")
    if verbose:
        out.append("Penempatan sel:")
        for p in report.placements:
            out.append(f"  - baris {p.line} kolom {p.column} -> {p.field}: {p.text[:60]!r}")
    return "\n".join(out)
