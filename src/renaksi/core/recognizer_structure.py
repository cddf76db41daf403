"""The structure of one row: which cells are the number, goal, program goal, indicator, target,
activity and line, read by content around the target or, failing that, by header column.
"""

from __future__ import annotations

from renaksi.core.messages import gettext_noop, msg
from renaksi.core.recognizer_parts import (
    _GOAL_NUMBER,
    _ROLE_LABEL,
    ACTIVITY,
    GOAL,
    INDICATOR,
    LINE,
    PROGRAM_GOAL,
    SPILLED_INDICATOR,
    STRUCTURE,
    TARGET,
    _Cell,
    _Reading,
    _Row,
    _State,
    is_target_like,
)
from renaksi.core.text import same_text


class _StructureReader(_State):
    def _read_structure(
        self, row: _Row, left: list[_Cell], following: _Row | None, reading: _Reading
    ) -> None:
        assert self.header is not None
        header = self.header
        if not header.in_print_order:
            self._read_by_header(row, left, reading)
            return
        # A target stands left of the Rencana Kegiatan column: "2 Kali Rapat" there is a name.
        line_column = header.columns.get(LINE, header.structure_end)
        anchors = [i for i, c in enumerate(left) if c.column < line_column and is_target_like(c.text)]
        if anchors:
            target_col = self.header.columns.get(TARGET, 4)
            t = min(anchors, key=lambda i: (abs(left[i].column - target_col), i))
            reading.target = left[t]
            self._read_before_target(row, left[:t], following, reading)
            after = left[t + 1 :]
            if (
                len(after) == 1
                and not (reading.has_tail() or reading.months)
                and self._under_activity(after[0])
            ):
                reading.activity = after[0]  # an indicator row with no Rencana Kegiatan of its own
            elif len(after) == 1:
                reading.line = after[0]
            elif len(after) >= 2:
                reading.activity, reading.line = after[0], after[-1]
                for cell in after[1:-1]:
                    reading.unplaced.append(
                        (cell, msg(gettext_noop("teks lebih di antara KEGIATAN dan Rencana Kegiatan")))
                    )
            return
        positional = self._positional(left)
        if positional is not None:
            for cell, role in positional:
                setattr(reading, role, cell)
            if positional and not reading.has_tail() and not reading.months and positional[-1][1] != TARGET:
                names = ", ".join(_ROLE_LABEL[role] for _cell, role in positional)
                self.judge(
                    row.line,
                    positional[0][0],
                    msg(
                        gettext_noop(
                            "hanya teks, tanpa target, jumlah atau bulan pada baris ini: dibaca menurut kolomnya "
                            "sebagai {names} (jika ini sambungan teks baris di atasnya, perbaiki di pratinjau)"
                        ),
                        names=names,
                    ),
                )
            return
        # No target and cells off their columns: fill from the right, the way rows are merged.
        roles = [GOAL, PROGRAM_GOAL, INDICATOR, ACTIVITY, LINE][-len(left) :] if left else []
        if len(left) > 5:
            for cell in left[:-5]:
                reading.unplaced.append((cell, msg(gettext_noop("sel teks lebih banyak daripada kolom"))))
            left = left[-5:]
            roles = [GOAL, PROGRAM_GOAL, INDICATOR, ACTIVITY, LINE]
        for cell, role in zip(left, roles, strict=True):
            setattr(reading, role, cell)
        if left:
            names = ", ".join(_ROLE_LABEL[r] for r in roles)
            self.judge(
                row.line,
                left[0],
                msg(
                    gettext_noop(
                        "tanpa target dan sel bergeser dari kolomnya; dibaca dari kanan sebagai {names}"
                    ),
                    names=names,
                ),
            )

    def _under_activity(self, cell: _Cell) -> bool:
        """Whether a lone cell after the target stands under KEGIATAN rather than Rencana Kegiatan."""
        assert self.header is not None
        activity, line = self.header.columns.get(ACTIVITY), self.header.columns.get(LINE)
        if activity is None or line is None or activity == line:
            return False
        return abs(cell.column - activity) < abs(cell.column - line)

    def _read_by_header(self, row: _Row, left: list[_Cell], reading: _Reading) -> None:
        """Columns in an unusual order: content cannot say which is which, so the header does."""
        assert self.header is not None
        for cell in left:
            role = self.header.role_at(cell.column)
            if role in STRUCTURE and getattr(reading, role) is None:
                setattr(reading, role, cell)
            else:
                reading.unplaced.append((cell, msg(gettext_noop("tidak di bawah kolom tabel Rencana Aksi"))))

    def _positional(self, left: list[_Cell]) -> list[tuple[_Cell, str]] | None:
        assert self.header is not None
        result: list[tuple[_Cell, str]] = []
        last = -1
        for cell in left:
            role = self.header.role_at(cell.column)
            if role not in STRUCTURE:
                return None
            order = STRUCTURE.index(role)
            if order <= last:
                return None
            last = order
            result.append((cell, role))
        if any(role == TARGET for _, role in result) and not any(role == INDICATOR for _, role in result):
            return None  # free text in the target column with no indicator beside it: not a target
        return result

    def _read_before_target(
        self, row: _Row, before: list[_Cell], following: _Row | None, reading: _Reading
    ) -> None:
        kept: list[_Cell] = []
        for cell in before:
            if kept and same_text(kept[-1].text, cell.text):
                reading.duplicates.append((cell, kept[-1]))
                self.judge(
                    row.line, cell, msg(gettext_noop("teks yang sama dua kali berdampingan; dibaca sekali"))
                )
                continue
            kept.append(cell)
        continuation = self._continuation_text(following)
        if continuation is not None and len(kept) > 1:
            for cell in kept[:-1]:
                if same_text(cell.text, continuation):
                    kept.remove(cell)
                    reading.spilled.append(cell)
                    assert following is not None
                    self.judge(
                        row.line,
                        cell,
                        msg(SPILLED_INDICATOR, line=following.line),
                    )
                    break
        roles = [GOAL, PROGRAM_GOAL, INDICATOR]
        if not kept:
            return
        by_header = [self.header.role_at(cell.column) if self.header else None for cell in kept]
        in_place = all(r in roles for r in by_header) and by_header == sorted(
            set(by_header),
            key=roles.index,  # type: ignore[arg-type]
        )
        repeats_goal = (
            len(kept) == 2
            and self.goal is not None
            and bool(self.goal.text)
            and same_text(kept[0].text, self.goal.text)
        )
        if repeats_goal:  # the goal printed again over an empty SASARAN PROGRAM cell
            by_header, in_place = [GOAL, INDICATOR], True
        if in_place and (self.edge_slack == 0 or repeats_goal):
            # Cells under their own labels, with a gap between: an empty SASARAN PROGRAM cell is
            # empty, and the goal's text beside it is no program goal.
            for cell, role in zip(kept, by_header, strict=True):
                setattr(reading, role, cell)  # type: ignore[arg-type]
            return
        if len(kept) > 3:
            for cell in kept[:-3]:
                reading.unplaced.append(
                    (
                        cell,
                        msg(
                            gettext_noop(
                                "sel teks sebelum target lebih banyak daripada sasaran, sasaran program, indikator"
                            )
                        ),
                    )
                )
            kept = kept[-3:]
        for cell, role in zip(kept, roles[-len(kept) :], strict=True):
            setattr(reading, role, cell)
            expected = self.header.role_at(cell.column) if self.header else None
            if expected in STRUCTURE and expected != role:
                self.judge(
                    row.line,
                    cell,
                    msg(
                        gettext_noop(
                            "di bawah {column} tetapi dibaca sebagai {role} (letaknya sebelum target)"
                        ),
                        column=_ROLE_LABEL[expected],
                        role=_ROLE_LABEL[role],
                    ),
                )

    def _continuation_text(self, following: _Row | None) -> str | None:
        """The first cell of the next row when that row starts at the far left with a non-number."""
        if following is None or not following.cells:
            return None
        first = following.cells[0]
        if first.column == 0 and first.text and not _GOAL_NUMBER.match(first.text):
            return first.text
        return None
