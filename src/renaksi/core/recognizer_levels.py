"""What continues from the row above: where a goal, program goal or indicator ends, whether a
level repeats on every row, and the goals' numbering.
"""

from __future__ import annotations

from renaksi.core.grid import SourceError
from renaksi.core.messages import gettext_noop, msg
from renaksi.core.plan_tree import Goal, Indicator, ProgramGoal
from renaksi.core.recognizer_parts import (
    _GOAL_NUMBER,
    ACTIVITY,
    GOAL,
    INDICATOR,
    NO,
    PROGRAM_GOAL,
    _Cell,
    _Reading,
    _Row,
)
from renaksi.core.recognizer_rows import _RowReader
from renaksi.core.text import same_text


class _LevelReader(_RowReader):
    # -- what continues from the row above ----------------------------------------------------
    def _breaks(self, row: _Row, roles: tuple[str, ...]) -> bool:
        """Whether this row's empty cell under ``roles`` continues nothing: in a sheet that merges
        that column, a cell outside every merge; in a table that repeats that column's text on
        every row, an empty cell. Elsewhere an empty cell means "same as above"."""
        assert self.header is not None
        columns = [self.header.columns[r] + 1 for r in roles if r in self.header.columns]
        merging = [c for c in columns if self.grid.merges_down(c)]
        if merging:
            return not any(self.grid.covered(row.line, c) for c in merging)
        return any(r in self.repeating for r in roles)

    def _break_levels(self, row: _Row, reading: _Reading) -> None:
        """Levels whose cells on this row are empty and continue nothing end here."""
        line_no = row.line
        below_goal = reading.program_goal or reading.indicator or reading.target or reading.line
        if (
            reading.number is None
            and reading.goal is None
            and below_goal is not None
            and self.goal is not None
            and (self.goal.number is not None or self.goal.text or self.goal_closed)
            and (self.goal_closed or self._breaks(row, (NO, GOAL)))
        ):
            self.goal_closed = False
            self.goal = Goal(number=None, text="", source_line=line_no)
            self.tree.goals.append(self.goal)
            self.program_goal, self.indicator = None, None
            self.judge(
                line_no,
                below_goal,
                msg(
                    gettext_noop(
                        "sel SASARAN STRATEGIS kosong dan tidak menyambung sasaran di atasnya (tidak digabung "
                        "dengannya, atau tabel mengulang sasaran di setiap baris): yang berikut tidak punya sasaran "
                        "strategis; ditandai untuk diperiksa"
                    )
                ),
            )
        below_program_goal = reading.indicator or reading.target or reading.line
        if (
            reading.program_goal is None
            and below_program_goal is not None
            and self.program_goal is not None
            and self.program_goal.text
            and self._breaks(row, (PROGRAM_GOAL,))
        ):
            self.program_goal, self.indicator = None, None
        if (
            reading.indicator is None
            and reading.line is not None
            and self.indicator is not None
            and self.indicator.text
            and self._breaks(row, (INDICATOR,))
        ):
            self.indicator = None
        if reading.activity is None and self._breaks(row, (ACTIVITY,)):
            self.activity = ""

    def _repeats(
        self, line_no: int, cell: _Cell, current: ProgramGoal | Indicator | None, role: str, after_break: bool
    ) -> bool:
        """Whether ``cell`` repeats the text of the object it stands under (a table that prints every
        value on every row): then it is that object, placed as a repeat, not a new one."""
        if current is None or not current.text or not same_text(cell.text, current.text):
            return False
        if not after_break:  # a page may start by printing its merged cells again; that proves nothing
            self.repeating.add(role)
        self.place(line_no, cell, current, "text (repeated)")
        return True

    def _same_goal(self, line_no: int, reading: _Reading, after_break: bool) -> bool:
        """The row repeats the goal above (its number, its text or both); a number printed again with
        another text, or going backwards, is a table that cannot be read as one plan."""
        goal = self.goal
        if goal is None:
            return False
        number = self._goal_number(reading)
        text = reading.goal.text if reading.goal is not None else None
        same_number = number == goal.number if reading.number is not None else None
        same_text_ = same_text(text, goal.text) if text is not None else None
        if same_number is False or same_text_ is False or (same_number is None and same_text_ is None):
            if same_number and text and goal.text:
                raise SourceError(
                    msg(
                        gettext_noop(
                            "nomor sasaran strategis {number} muncul lagi dengan teks lain ({text!r} di baris "
                            "{line}); satu nomor sasaran untuk satu sasaran"
                        ),
                        number=number,
                        text=goal.text,
                        line=goal.source_line,
                    ),
                    line_no,
                    reading.goal.column + 1 if reading.goal is not None else None,
                )
            return False
        if not (goal.number or goal.text):
            return False
        if not after_break:
            self.repeating.add(GOAL)
        for cell in (reading.number, reading.goal):
            if cell is not None:
                self.place(
                    line_no, cell, goal, "number (repeated)" if cell is reading.number else "text (repeated)"
                )
        return True

    @staticmethod
    def _goal_number(reading: _Reading) -> str | None:
        if reading.number is None:
            return None
        match = _GOAL_NUMBER.match(reading.number.text)
        return match.group(1) if match else reading.number.text

    def _new_goal(self, line_no: int, reading: _Reading) -> None:
        number = self._goal_number(reading)
        if number is not None and number.isdigit():
            earlier = [g for g in self.tree.goals if g.number is not None and g.number.isdigit()]
            if earlier and int(number) <= int(earlier[-1].number or 0):
                assert reading.number is not None
                raise SourceError(
                    msg(
                        gettext_noop(
                            "sasaran strategis {number} menyusul sasaran {previous} (baris {line}): nomor sasaran "
                            "berulang atau mundur, jadi baris-barisnya tidak dapat dibaca sebagai satu rencana; "
                            "urutkan tabel menurut sasaran, atau beri setiap sasaran nomornya sendiri"
                        ),
                        number=number,
                        previous=earlier[-1].number,
                        line=earlier[-1].source_line,
                    ),
                    line_no,
                    reading.number.column + 1,
                )
        text = reading.goal.text if reading.goal is not None else ""
        previous = self.goal
        goal = Goal(number=number, text=text, source_line=line_no)
        if number is None:
            self.judge(line_no, reading.goal, msg(gettext_noop("sasaran strategis tanpa nomor")))
        if reading.goal is None:
            self.judge(line_no, reading.number, msg(gettext_noop("nomor sasaran tanpa teks sasarannya")))
        self._check_goal_gap(line_no, previous, goal)
        self.tree.goals.append(goal)
        self.goal, self.program_goal, self.indicator = goal, None, None
        if reading.number is not None:
            self.place(line_no, reading.number, goal, "number")
        if reading.goal is not None:
            self.place(line_no, reading.goal, goal, "text")
        self.page_break_pending = False
        self.program_goals_since_break = []
        self.goal_closed = False

    def _check_goal_gap(self, line_no: int, previous: Goal | None, goal: Goal) -> None:
        """Goals jumping (2 → 6) after a page break mean pages are missing: the program goals printed
        since the break have no goal header of their own, so they are flagged, not given to goal 2."""
        if previous is None or previous.number is None or goal.number is None:
            return
        before = previous
        if not (previous.number.isdigit() and goal.number.isdigit()):
            return  # roman or lettered numbering: no arithmetic on it
        if int(goal.number) == int(previous.number) + 1:
            return
        under_before = {id(pg) for pg in before.program_goals}
        orphans = [pg for pg in self.program_goals_since_break if id(pg) in under_before]
        if not orphans:
            self.judge(
                line_no,
                None,
                msg(
                    gettext_noop("sasaran strategis melompat dari {previous} ke {number}"),
                    previous=before.number,
                    number=goal.number,
                ),
            )
            return
        orphan_ids = {id(pg) for pg in orphans}
        before.program_goals = [pg for pg in before.program_goals if id(pg) not in orphan_ids]
        for pg in orphans:
            pg.needs_review = True
            pg.review_note = gettext_noop(
                "dicetak setelah pergantian halaman tanpa judul sasaran strategis, dan nomor sasaran melompat "
                "(halaman hilang?), jadi tidak dimasukkan ke sasaran sebelumnya"
            )
        self.tree.goals.append(
            Goal(number=None, text="", program_goals=orphans, source_line=orphans[0].source_line)
        )
        lines = ", ".join(str(pg.source_line) for pg in orphans)
        self.judge(
            line_no,
            None,
            msg(
                gettext_noop(
                    "sasaran strategis melompat dari {previous} ke {number}: {count} sasaran program di baris "
                    "{lines} setelah pergantian halaman tidak punya judul sasaran; ditandai untuk diperiksa"
                ),
                previous=before.number,
                number=goal.number,
                count=len(orphans),
                lines=lines,
            ),
        )
