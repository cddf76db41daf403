"""Building the tree from the rows read: each reading applied to the goal, program goal,
indicator and line it belongs to, the total rows checked against the lines above them, and the
cells placed at the end.
"""

from __future__ import annotations

from operator import itemgetter

from renaksi.core.grid import SourceError
from renaksi.core.import_report import Placement, plan_figures
from renaksi.core.messages import gettext_noop, msg
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, ProgramGoal
from renaksi.core.recognizer_levels import _LevelReader
from renaksi.core.recognizer_parts import (
    _GOAL_SUBTOTAL,
    _TOTAL_ROW,
    INDICATOR,
    PROGRAM_GOAL,
    _Cell,
    _norm,
    _Reading,
    _Row,
    parse_budget_code,
)
from renaksi.core.signature_block import is_place_and_date
from renaksi.core.text import same_text


class _TreeBuilder(_LevelReader):
    # -- building the tree -------------------------------------------------------------------
    def _apply(self, row: _Row, reading: _Reading) -> None:
        line_no = row.line
        if row.after_page_break:
            self.page_break_pending = True
            self.goal_before_break = self.goal
            self.program_goals_since_break = []
        for cell, reason in reading.unplaced:
            self.unplace(line_no, cell, reason)
        for cell in reading.formatting:
            self.place(line_no, cell, None, "fill outside the month columns (formatting only)")
        if reading.total_row:
            self._apply_total_row(row, reading)
            return
        self._break_levels(row, reading)
        new_goal = reading.number is not None or reading.goal is not None
        if new_goal and self._same_goal(line_no, reading, row.after_page_break):
            new_goal = False
        elif new_goal:
            self._new_goal(line_no, reading)
        new_program_goal = reading.program_goal is not None
        if (
            reading.program_goal is not None
            and not new_goal
            and self._repeats(
                line_no, reading.program_goal, self.program_goal, PROGRAM_GOAL, row.after_page_break
            )
        ):
            new_program_goal = False
        elif reading.program_goal is not None:
            self._new_program_goal(line_no, reading.program_goal)
        target_read = False
        if reading.indicator is not None:
            same_target = reading.target is None or (
                self.indicator is not None and same_text(reading.target.text, self.indicator.target)
            )
            if (
                not new_goal
                and not new_program_goal
                and same_target
                and self._repeats(line_no, reading.indicator, self.indicator, INDICATOR, row.after_page_break)
            ):
                if reading.target is not None:
                    self.place(line_no, reading.target, self.indicator, "target (repeated)")
                target_read = True
            else:
                self._new_indicator(line_no, reading.indicator)
            for dropped, _kept in reading.duplicates:
                self.place(line_no, dropped, self.indicator, "text (duplicate cell)")
        if reading.target is not None and not target_read:
            self._set_target(line_no, reading.target)
        for cell in reading.spilled:
            self._unplace_pending_spill()  # an earlier spill whose continuation read another indicator
            self.pending_spill = cell  # placed when the continuation row creates the indicator
            self.pending_spill_line = line_no
        if reading.activity is not None:
            self.activity = reading.activity.text
            self.place(line_no, reading.activity, ("activity", self.activity), "name")
        if (
            self.indicator is not None
            and self.activity
            and (reading.indicator is not None or reading.activity)
        ):
            self.indicator.link_activity(self.activity)
        if reading.line is not None:
            self._new_line(line_no, reading)
        elif reading.has_tail() or reading.months:
            if reading.cost_state is CostState.AMOUNT:
                cell = reading.cost_cells[-1]
                raise SourceError(
                    msg(
                        gettext_noop(
                            "jumlah {text!r} tidak punya Rencana Kegiatan di barisnya: biaya untuk baris yang mana?"
                        ),
                        text=cell.text,
                    ),
                    line_no,
                    cell.column + 1,
                )
            for cell in (
                reading.cost_cells + [c for c in (reading.code, reading.code_dash) if c] + reading.remarks
            ):
                self.unplace(
                    line_no,
                    cell,
                    msg(gettext_noop("jumlah, kode atau keterangan di baris tanpa Rencana Kegiatan")),
                )
            for cell in reading.pic:
                self.unplace(
                    line_no, cell, msg(gettext_noop("penanggung jawab di baris tanpa Rencana Kegiatan"))
                )
            for cell, _month in reading.months:
                self.unplace(line_no, cell, msg(gettext_noop("tanda bulan di baris tanpa Rencana Kegiatan")))

    def _plan_rows_follow(self) -> bool:
        """Whether plan rows or another total row (text before the cost column) come after the
        current row, before any signature: then a bare JUMLAH is a subtotal, not the grand total."""
        assert self.header is not None
        for row in self.data_rows[self.position + 1 :]:
            if self._starts_signature(row):
                return False
            if any(c.text and c.column < self.header.cost_column for c in row.cells):
                return True
        return False

    @staticmethod
    def _starts_signature(row: _Row) -> bool:
        """A row that holds only a place and date (``Gorontalo, 2 Januari 2023``) ends the table."""
        texts: list[str] = []
        for cell in row.cells:
            if cell.text:
                if len(texts) == 2:
                    return False  # a plan row: most rows end here
                texts.append(cell.text)
        return bool(texts) and is_place_and_date(" ".join(texts))

    def _new_program_goal(self, line_no: int, cell: _Cell) -> None:
        if self.goal is None:
            self.goal = Goal(number=None, text="", source_line=line_no)
            self.tree.goals.append(self.goal)
            self.judge(
                line_no,
                cell,
                msg(gettext_noop("sasaran program sebelum sasaran strategis mana pun; ditandai")),
            )
            flagged = True
        else:
            flagged = self.goal.number is None  # every program goal of a headerless group is checked
        pg = ProgramGoal(text=cell.text, source_line=line_no)
        if flagged:
            pg.needs_review = True
            pg.review_note = gettext_noop("tidak ada sasaran strategis di atasnya")
        self.goal.program_goals.append(pg)
        if self.page_break_pending:
            self.program_goals_since_break.append(pg)
        self.program_goal, self.indicator = pg, None
        self.place(line_no, cell, pg, "text")

    def _new_indicator(self, line_no: int, cell: _Cell) -> None:
        if self.program_goal is None:
            self._new_program_goal(line_no, _Cell(cell.column, "", False))
            assert self.program_goal is not None
            self.program_goal.needs_review = True
            self.program_goal.review_note = gettext_noop("indikator tanpa sasaran program di atasnya")
            self.judge(
                line_no,
                cell,
                msg(
                    gettext_noop("indikator tanpa sasaran program di atasnya; dibuat sasaran program kosong")
                ),
            )
        indicator = Indicator(text=cell.text, source_line=line_no)
        self.program_goal.indicators.append(indicator)
        self.indicator = indicator
        self.place(line_no, cell, indicator, "text")
        if self.pending_spill is not None and same_text(self.pending_spill.text, cell.text):
            self.place(
                self.pending_spill_line, self.pending_spill, indicator, "text (spilled into the row above)"
            )
            self.pending_spill = None

    def _set_target(self, line_no: int, cell: _Cell) -> None:
        if self.indicator is None or self.indicator.target:
            self.unplace(line_no, cell, msg(gettext_noop("target tanpa indikatornya sendiri di baris ini")))
            return
        self.indicator.target = cell.text
        self.place(line_no, cell, self.indicator, "target")

    def _new_line(self, line_no: int, reading: _Reading) -> None:
        assert reading.line is not None
        if self.indicator is None:
            self._new_indicator(line_no, _Cell(reading.line.column, "", False))
            self.judge(
                line_no, reading.line, msg(gettext_noop("Rencana Kegiatan tanpa indikator di atasnya"))
            )
        assert self.indicator is not None
        code = ""
        if reading.code is not None:
            code = parse_budget_code(reading.code.text).canonical
        line = Line(
            name=reading.line.text,
            activity=self.activity,
            months=tuple(sorted({month for _cell, month in reading.months})),
            cost=reading.cost,
            cost_state=reading.cost_state,
            budget_code=code,
            remarks=" ".join(c.text for c in reading.remarks),
            person_in_charge=" ".join(c.text for c in reading.pic),
            source_line=line_no,
        )
        if self.activity:
            self.indicator.link_activity(self.activity)
        self.indicator.lines.append(line)
        self.last_line = line
        self.place(line_no, reading.line, line, "name")
        for cell in reading.cost_cells:
            self.place(line_no, cell, line, "cost")
        if reading.code is not None:
            self.place(line_no, reading.code, line, "budget code")
        if reading.code_dash is not None:
            self.place(line_no, reading.code_dash, line, "budget code (none)")
        for cell in reading.remarks:
            self.place(line_no, cell, line, "remarks")
        for cell in reading.pic:
            self.place(line_no, cell, line, "person in charge")
        for cell, _month in reading.months:
            self.place(line_no, cell, line, "months")

    def _apply_total_row(self, row: _Row, reading: _Reading) -> None:
        already = {id(cell) for cell in reading.formatting}  # placed as formatting
        checked = {id(cell) for cell in reading.cost_cells} | {
            id(cell) for cell in row.cells if _TOTAL_ROW.match(cell.text)
        }
        for cell in row.cells:
            if id(cell) in already:
                continue
            if id(cell) in checked or any(cell is c for c, _month in reading.months):
                self.place(row.line, cell, None, "total row (checked, not imported)")
            else:
                self.unplace(
                    row.line, cell, msg(gettext_noop("di baris jumlah, yang diperiksa tetapi tidak diimpor"))
                )
        if reading.cost is not None:
            label = next((c.text for c in row.cells if _TOTAL_ROW.match(c.text)), "")
            bare = _norm(label).rstrip(" :") == "jumlah"  # a goal's subtotal, unless nothing follows it
            if self.goal is not None and (_GOAL_SUBTOTAL.match(label) or (bare and self._plan_rows_follow())):
                computed = sum(line.cost or 0 for line in self.tree.goal_lines(self.goal))
                scope = msg(gettext_noop("sasaran ini"))
                self.goal_closed = True  # what follows without a goal header belongs to no goal above
            else:
                computed, scope = self.tree.total_cost(), msg(gettext_noop("rencana ini"))
                self.table_ended = True
            self.total_rows.append((row.line, reading.cost_cells[-1], reading.cost))
            if reading.cost != computed:
                self.judge(
                    row.line,
                    reading.cost_cells[-1],
                    msg(
                        gettext_noop(
                            "jumlah tercetak {printed} berbeda dari jumlah baris-baris {scope} ({computed})"
                        ),
                        printed=format_rupiah(reading.cost),
                        scope=scope,
                        computed=format_rupiah(computed),
                    ),
                )

    def _unplace_pending_spill(self) -> None:
        """A spilled indicator text whose continuation row never used it: kept, unplaced."""
        if self.pending_spill is not None:
            self.unplace(
                self.pending_spill_line,
                self.pending_spill,
                msg(gettext_noop("teks indikator tanpa baris lanjutan")),
            )
            self.pending_spill = None

    def _finish(self) -> None:
        self._check_unknown_columns()
        self._unplace_pending_spill()
        self.tree.goals = [g for g in self.tree.goals if g.program_goals or g.number is not None]
        if not any(True for _ in self.tree.indicators()):
            raise SourceError(
                msg(gettext_noop("tabel punya judul kolom tetapi tidak ada baris rencana di bawahnya"))
            )
        self._resolve_placements()
        self.report.figures = plan_figures(self.tree)

    def _resolve_placements(self) -> None:
        """Name the field each placed cell became, now that the tree's numbering is final. A
        node's name is made once, not once per cell (a big import places ~400,000 cells)."""
        names: dict[int, str] = {id(self.tree): "plan: "}
        unnamed = 0
        for goal in self.tree.goals:
            if goal.number is not None:
                names[id(goal)] = f"goal {goal.number}: "
            else:
                unnamed += 1
                names[id(goal)] = f"goal (no header) #{unnamed}: "
        for i, pg in enumerate(self.tree.program_goals(), 1):
            names[id(pg)] = f"program goal {i}: "
        for i, indicator in enumerate(self.tree.indicators(), 1):
            names[id(indicator)] = f"indicator {i}: "
        for i, line in enumerate(self.tree.lines(), 1):
            names[id(line)] = f"line {i}: "
        names[id(None)] = ""  # a cell that belongs to no node is named by its field alone
        activities = {name: f"activity {i}: " for i, name in enumerate(self.tree.activities(), 1)}

        def other(node: object) -> str:  # a Kegiatan, placed as ("activity", name)
            return activities.get(node[1], "activity ?: ") if isinstance(node, tuple) else "?: "

        get, new = names.get, tuple.__new__  # Placement._make without its length check
        placements = self.report.placements
        placements += [
            new(
                Placement,
                (line_no, cell.column + 1, cell.text, (other(node) if name is None else name) + field_name),
            )
            for cell, line_no, node, field_name in self.placements
            for name in (get(id(node)),)
        ]
        placements.sort(key=itemgetter(0, 1))
