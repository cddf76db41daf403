"""What the import pages show: the preview of an upload (the official table of the plan as read,
its judgement calls and unplaced cells marked on their rows) and an import's report on the plan
page. The table itself is the plan page's (:func:`renaksi.planning.presenters.plan_page`)."""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renaksi.core.corrections import (
    AttachProgramGoal,
    Correction,
    JoinLineToPrevious,
    MoveLine,
    SetPolarity,
    joinable_lines,
    spill_moves,
)
from renaksi.core.import_report import ImportReport, plan_figures
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer import SPILLED_INDICATOR
from renaksi.core.table import table_rows
from renaksi.imports.models import ImportRecord, PendingImport
from renaksi.imports.preview_store import report_from_data
from renaksi.imports.uploads import PendingPreview
from renaksi.planning.models import Plan
from renaksi.planning.paging import page_size, tree_plan_page
from renaksi.planning.presenters import Figure, PlanPage, RowMark, local_date

Text = str | Promise


@dataclass(frozen=True)
class Note:
    """A judgement call or an unplaced cell, where it came from and where it sits in the table."""

    anchor: str
    label: str
    kind: str  # "judgement" or "unplaced"
    line: int
    column: int | None
    text: str
    reason: str = ""
    row: int | None = None  # the table row it is marked on; None when above or below the table
    join_path: str = ""  # a text-only line read here that may be joined to the line above
    moves: tuple[LineMove, ...] = ()  # lines of a row's two indicators that may go to the other one
    table_page: int | None = None  # the page of a paged table its row is on


@dataclass(frozen=True)
class LineMove:
    """A button on a two-indicator row's judgement: this line belongs to the other indicator."""

    line_path: str
    to_path: str
    line: str
    indicator: str


@dataclass
class ReportView:
    figures: list[Figure]
    notes: list[str]
    judgements: list[Note]
    unplaced: list[Note]
    lost_cells: int = 0
    source_cells: int = 0
    filename: str = ""
    imported_on: str = ""
    imported_by: str = ""


@dataclass
class PreviewPage:
    pending: PendingImport
    table: PlanPage
    report: ReportView
    existing: Plan | None
    corrections: list[Text] = field(default_factory=list)


def report_figures(figures: dict[str, Any]) -> list[Figure]:
    """The figures of an import report (:func:`renaksi.core.import_report.plan_figures`)."""
    numbers = ", ".join(str(number) for number in figures.get("goal_numbers", []))
    shown = [
        Figure(_("Sasaran strategis"), f"{len(figures.get('goal_numbers', []))} ({numbers})"),
        Figure(_("Sasaran program"), figures.get("program_goals", 0)),
        Figure(_("Sasaran program perlu ditinjau"), figures.get("program_goals_flagged", 0)),
        Figure(_("Indikator kinerja"), figures.get("indicators", 0)),
        Figure(_("Rencana kegiatan"), figures.get("lines", 0)),
        Figure(_("Jumlah total"), format_rupiah(figures.get("total_cost", 0))),
    ]
    for entry in figures.get("cost_by_goal", []):
        label: Text = (
            _("Tanpa sasaran strategis")
            if entry["goal"] is None
            else _("Sasaran strategis %(number)s") % {"number": entry["goal"]}
        )
        shown.append(Figure(label, format_rupiah(entry["cost"])))
    return shown


def _row_lines(tree: PlanTree) -> tuple[list[int], list[int]]:
    """Sorted source lines of the table's rows and, for each, its row index: a row starts where
    the first object it opens (goal, program goal, indicator or line) was read."""
    found: dict[int, int] = {}
    for row in table_rows(tree):
        opened = [row.line.source_line if row.line else None]
        if row.indicator_span:
            opened.append(row.indicator.source_line)
        if row.program_goal_span:
            opened.append(row.program_goal.source_line)
        if row.goal_span:
            opened.append(row.goal.source_line)
        for line in opened:
            if line is not None:
                found.setdefault(line, row.index)
    lines = sorted(found)
    return lines, [found[line] for line in lines]


def _row_for(line: int, lines: list[int], rows: list[int]) -> int | None:
    """The row read at ``line``, or the nearest one read before it; None outside the table."""
    if not lines or line < lines[0] or line > lines[-1]:
        return None
    return rows[bisect.bisect_right(lines, line) - 1]


def report_view(report: ImportReport, tree: PlanTree | None = None) -> ReportView:
    """The report with each note numbered; with ``tree``, each note knows its table row."""
    lines, rows = _row_lines(tree) if tree is not None else ([], [])
    judgements = [
        Note(
            f"keputusan-{n}",
            str(n),
            "judgement",
            j.line,
            j.column,
            j.render(gettext),
            row=_row_for(j.line, lines, rows),
        )
        for n, j in enumerate(report.judgements, 1)
    ]
    unplaced = [
        Note(
            f"sel-{n}",
            f"S{n}",
            "unplaced",
            u.line,
            u.column,
            u.text,
            reason=u.render(gettext),
            row=_row_for(u.line, lines, rows),
        )
        for n, u in enumerate(report.unplaced, 1)
    ]
    return ReportView(
        figures=report_figures(report.figures),
        notes=[note.render(gettext) for note in report.notes],
        judgements=judgements,
        unplaced=unplaced,
        lost_cells=report.lost_cells if report.placements else 0,
        source_cells=report.source_cells,
    )


def _mark_rows(table: PlanPage, notes: list[Note]) -> None:
    by_row: dict[int, list[RowMark]] = {}
    for note in notes:
        if note.row is not None:
            by_row.setdefault(note.row, []).append(RowMark(note.anchor, note.label, note.kind, note.text))
    for section in table.sections:
        for position, row in enumerate(section.rows):
            if row.index in by_row:
                section.rows[position] = dataclasses.replace(row, marks=tuple(by_row[row.index]))


def preview_page(
    pending: PendingImport, preview: PendingPreview, existing: Plan | None, page_number: str | None = None
) -> PreviewPage:
    """The preview; a big plan's table is shown a page at a time, as the plan page shows it
    (``page_number``: the ``?halaman=`` asked for), each note linking to its row's page."""
    tree = preview.corrected
    unsaved = Plan(
        agency=pending.agency,
        year=pending.year,
        title=tree.title,
        signing_unit=tree.signing_unit,
        agency_label=tree.agency_label,
        updated_at=timezone.now(),
    )
    table = tree_plan_page(unsaved, tree, page_number)
    report = dataclasses.replace(preview.report, figures=plan_figures(tree))
    view = report_view(report, tree)
    if table.pager is not None:
        size = page_size()
        for notes in (view.judgements, view.unplaced):
            notes[:] = [
                dataclasses.replace(note, table_page=note.row // size + 1) if note.row is not None else note
                for note in notes
            ]
    joined = {c.path for c in preview.corrections if isinstance(c, JoinLineToPrevious)}
    joinable = {line: path for line, path in joinable_lines(preview.tree).items() if path not in joined}
    for position, note in enumerate(view.judgements):  # offered once, on the line's first judgement
        if note.line in joinable:
            path = joinable.pop(note.line)
            view.judgements[position] = dataclasses.replace(note, join_path=".".join(map(str, path)))
    _offer_moves(view, preview, tree)
    _mark_rows(table, view.judgements + view.unplaced)
    return PreviewPage(pending=pending, table=table, report=view, existing=existing)


def _offer_moves(view: ReportView, preview: PendingPreview, tree: PlanTree) -> None:
    """On each judgement of a row holding two indicators, the lines of both, each with the other
    indicator it may belong to (read in the tree as imported: corrections name paths in it)."""
    moved = {c.path for c in preview.corrections if isinstance(c, MoveLine)}
    for position, note in enumerate(view.judgements):
        judgement = preview.report.judgements[position]
        if judgement.template != SPILLED_INDICATOR or "line" not in judgement.params:
            continue
        moves = []
        for line_path, to in spill_moves(preview.tree, judgement.line, int(judgement.params["line"])):
            if line_path in moved:
                continue
            g, p, i, n = line_path
            target = preview.tree.goals[to[0]].program_goals[to[1]].indicators[to[2]]
            line = preview.tree.goals[g].program_goals[p].indicators[i].lines[n]
            moves.append(
                LineMove(".".join(map(str, line_path)), ".".join(map(str, to)), line.name, target.text)
            )
        view.judgements[position] = dataclasses.replace(note, moves=tuple(moves))


def latest_import_report(plan: Plan) -> ReportView | None:
    """The report of the plan's last import, for the plan page (None when it was never imported)."""
    # The report without its placements (one per source cell: ~400,000 for a 44,000-line plan),
    # which the page does not show: read key by key by the database.
    keys = [name for name in _REPORT_KEYS if name != "placements"]
    record: ImportRecord | None = (
        plan.imports.select_related("imported_by")
        .defer("report")
        .annotate(**{f"report_{key}": F(f"report__{key}") for key in keys})
        .first()
    )
    if record is None:
        return None
    found = {key: getattr(record, f"report_{key}") for key in keys}
    data = {key: value for key, value in found.items() if value is not None}
    lost_cells = int(data.pop("lost_cells", 0))
    view = report_view(report_from_data(data))
    view.lost_cells = lost_cells
    view.filename = record.filename
    view.imported_on = local_date(record.created_at, plan.agency.time_zone)
    user = record.imported_by
    view.imported_by = (user.get_full_name() or user.get_username()) if user is not None else ""
    return view


_REPORT_KEYS = [field.name for field in dataclasses.fields(ImportReport)] + ["lost_cells"]


def correction_label(tree: PlanTree, correction: Correction) -> Text:
    """A kept correction as the preview lists it."""
    if isinstance(correction, SetPolarity):
        g, p, i = correction.path
        indicator = tree.goals[g].program_goals[p].indicators[i]
        label = (
            _("makin rendah makin baik")
            if correction.polarity.value == "lower"
            else _("makin tinggi makin baik")
        )
        return _("Indikator “%(indicator)s”: %(polarity)s") % {"indicator": indicator.text, "polarity": label}
    if isinstance(correction, MoveLine):
        g, p, i, n = correction.path
        line = tree.goals[g].program_goals[p].indicators[i].lines[n]
        target = tree.goals[correction.to[0]].program_goals[correction.to[1]].indicators[correction.to[2]]
        return _("“%(line)s” dipindahkan ke indikator “%(indicator)s”") % {
            "line": line.name,
            "indicator": target.text,
        }
    if isinstance(correction, JoinLineToPrevious):
        g, p, i, n = correction.path
        lines = tree.goals[g].program_goals[p].indicators[i].lines
        return _("“%(line)s” digabung ke baris di atasnya, “%(previous)s”") % {
            "line": lines[n].name,
            "previous": lines[n - 1].name,
        }
    program_goal = tree.goals[correction.path[0]].program_goals[correction.path[1]]
    if isinstance(correction, AttachProgramGoal):
        goal = tree.goals[correction.goal]
        return _("“%(program_goal)s” ditempatkan di bawah sasaran strategis %(number)s") % {
            "program_goal": program_goal.text,
            "number": goal.number,
        }
    return _("“%(program_goal)s” ditempatkan di bawah sasaran strategis baru %(number)s. %(text)s") % {
        "program_goal": program_goal.text,
        "number": correction.number,
        "text": correction.text,
    }
