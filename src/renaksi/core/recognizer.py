"""Cells in, plan tree and report out: reading the Rencana Aksi table the way a person does.

Real tables come from PDFs and spreadsheets whose cells drift from row to row, so columns are
found by the header and then each row is read by *content*: the target (``97,5%``, ``7 Satker``)
anchors the row; the indicator is the text just before it, the program goal and strategic goal
before that; the activity and sub-activity follow it; amounts and budget codes close the row.
An empty leading cell means "same as above" (a merged cell). Rows whose target is free text are
read by their header columns. Every non-empty cell ends up in a field or in the report as
unplaced, and every reading the layout did not make certain is recorded as a judgement.
"""

from __future__ import annotations

from renaksi.core.amount_units import (
    UnitError,
    cost_header_unit,
)
from renaksi.core.grid import NUMBER, Cell, Grid, GridRow, SourceError
from renaksi.core.import_report import ImportReport
from renaksi.core.messages import gettext_noop, msg, reason_of
from renaksi.core.plan_tree import PlanTree
from renaksi.core.recognizer_parts import (
    _MIN_HEADER_ROLES,
    COST,
    INDICATOR,
    LINE,
    SCHEDULE,
    SPILLED_INDICATOR,
    _Cell,
    _Header,
    _header_roles,
    _month_columns,
    _Row,
    is_budget_code_like,
    is_money_like,
    is_target_like,
    normalize_space,
    parse_budget_code,
    parse_rupiah,
)
from renaksi.core.recognizer_tree import _TreeBuilder
from renaksi.core.signature_block import read_signature
from renaksi.core.title_block import normalize_signing_unit, split_signing_unit, split_title


class _Recognizer(_TreeBuilder):
    # -- the walk ----------------------------------------------------------------------------
    def run(self) -> tuple[PlanTree, ImportReport]:
        rows = [self._cells_of(row) for row in self.grid.rows]
        self.report.source_cells = sum(len(r.cells) for r in rows)
        header_index = self._find_header(rows)
        for row in rows[:header_index]:
            self._title_block(row)
        data_rows = self._data_rows(rows[header_index:])
        assert self.header is not None
        if self.header.cost_unit != 1:
            self.decimal_mark = self._column_decimal_mark(data_rows)
        cost_columns = range(self.header.cost_column, self.header.cost_column + 2)
        self.costs_are_numbers = any(
            c.kind == NUMBER for r in data_rows for c in r.cells if c.column in cost_columns
        )
        below: list[_Row] = []  # rows under the table: the signature block, or notes
        self.data_rows = data_rows
        for position, row in enumerate(data_rows):
            self.position = position
            if not self.table_ended and self._starts_signature(row):
                self.table_ended = True
            if self.table_ended:
                below.append(row)
                continue
            following = data_rows[position + 1] if position + 1 < len(data_rows) else None
            reading = self._read_row(row, following)
            self._apply(row, reading)
        self._below_table(below)
        self._finish()
        return self.tree, self.report

    def _below_table(self, rows: list[_Row]) -> None:
        """The signature block is read into the plan's signature; anything else under the table is
        kept as unplaced cells."""
        lines = [(row, [cell for cell in row.cells if cell.text]) for row in rows]
        lines = [(row, cells) for row, cells in lines if cells]
        signature = read_signature([" ".join(c.text for c in cells) for _row, cells in lines])
        fields = signature[1] if signature is not None else [""] * len(lines)
        if signature is not None:
            self.report.signature = signature[0].to_dict()
        for (row, cells), field_name in zip(lines, fields, strict=True):
            for cell in cells:
                if field_name:
                    self.place(row.line, cell, self.tree, f"signature: {field_name}")
                else:
                    self.unplace(
                        row.line,
                        cell,
                        msg(gettext_noop("di bawah tabel (blok tanda tangan atau catatan)")),
                    )
        for row in rows:
            for cell in row.cells:
                if not cell.text:
                    self.place(row.line, cell, None, "fill below the table (formatting only)")

    @staticmethod
    def _cells_of(row: GridRow) -> _Row:
        # Run once per cell of the file (most of them empty): kept to the plainest loop.
        cells: list[_Cell] = []
        append = cells.append
        for index, cell in enumerate(row.cells):
            text = cell.text
            if (text and not text.isspace()) or cell.shaded:
                append(_Cell(index, normalize_space(text), cell.shaded, cell.kind, cell.number))
        return _Row(row.line, cells)

    def _find_header(self, rows: list[_Row]) -> int:
        for index, row in enumerate(rows):
            roles = _header_roles(row.cells)
            if len(roles) >= _MIN_HEADER_ROLES and (INDICATOR in roles or LINE in roles):
                return index
        raise SourceError(
            msg(
                gettext_noop(
                    "ini bukan tabel Rencana Aksi: tidak ada baris judul dengan kolom seperti NO, SASARAN "
                    "STRATEGIS, SASARAN PROGRAM, INDIKATOR KINERJA, TARGET, KEGIATAN, Rencana Kegiatan, "
                    "PERKIRAAN BIAYA, AKUN"
                )
            )
        )

    def _title_block(self, row: _Row) -> None:
        """Title, signing unit and agency from the lines above the table, in one cell or several."""
        texts = [cell for cell in row.cells if cell.text]
        for cell in row.cells:
            if not cell.text:
                self.place(row.line, cell, None, "fill above the table (formatting only)")
        if not texts:
            return
        line = " ".join(cell.text for cell in texts)
        title = split_title(line) if not self.tree.title else None
        if title is not None:
            self.tree.title, self.tree.year, line = title
            placed = "title"
            if not line:
                self._place_all(row.line, texts, placed)
                return
        elif not self.tree.title or len(texts) > 3 or self.tree.agency_label:
            for cell in texts:
                self.unplace(row.line, cell, msg(gettext_noop("teks di atas tabel (halaman sampul)")))
            return
        else:
            placed = ""
        fields = []
        if not self.tree.signing_unit:
            unit, agency = split_signing_unit(line)
            self.tree.signing_unit = normalize_signing_unit(unit)
            fields.append("signing unit")
            if agency:
                self.tree.agency_label = agency
                fields.append("agency as printed")
        else:
            self.tree.agency_label = line
            fields.append("agency as printed")
        self._place_all(row.line, texts, " and ".join(([placed] if placed else []) + fields))

    def _place_all(self, line: int, cells: list[_Cell], field_name: str) -> None:
        for cell in cells:
            self.place(line, cell, self.tree, field_name)

    def _data_rows(self, rows: list[_Row]) -> list[_Row]:
        """Drop header rows (the first and every repeat at a page break), placing their cells."""
        data: list[_Row] = []
        break_pending = False
        index = 0
        while index < len(rows):
            row = rows[index]
            roles = _header_roles(row.cells)
            if len(roles) >= _MIN_HEADER_ROLES and (INDICATOR in roles or LINE in roles):
                first = self.header is None
                months = _month_columns(row.cells)
                sub_header = None
                if not months and index + 1 < len(rows):
                    months = _month_columns(rows[index + 1].cells)
                    if months:
                        sub_header = rows[index + 1]
                if not months and SCHEDULE in roles:
                    start = roles[SCHEDULE]
                    months = {start + m: m + 1 for m in range(12)}
                role_columns = set(roles.values()) | set(months)
                unknown = {
                    cell.column: cell.text
                    for cell in row.cells
                    if cell.text and cell.column not in role_columns
                }
                header_rows = [row] if sub_header is None else [row, sub_header]
                self.header = _Header(
                    roles,
                    months,
                    unknown,
                    cost_unit=self._cost_unit(header_rows, roles),
                    right_edge=self._right_edge(header_rows),
                )
                for cell in row.cells:
                    self.place(row.line, cell, None, "table header" if first else "table header (repeated)")
                if sub_header is not None:
                    for cell in sub_header.cells:
                        self.place(sub_header.line, cell, None, "month header")
                    index += 1
                if not first:
                    break_pending = True
                index += 1
                continue
            if row.cells:
                row.after_page_break = break_pending
                break_pending = False
                data.append(row)
            index += 1
        return data

    def _cost_unit(self, header_rows: list[_Row], roles: dict[str, int]) -> int:
        """The unit the cost header names, in its own cell or in the cell under it
        (``PERKIRAAN BIAYA`` over ``(Rp juta)``); a unit that cannot be told stops the import."""
        if COST not in roles:
            return 1
        column = roles[COST]
        labels = [(header_rows[0], c, c.text) for c in header_rows[0].cells if c.column == column]
        months = {c for row in header_rows for c in _month_columns(row.cells)}
        for row in header_rows[1:]:  # the second header row, under the cost label (two cells in the seed)
            labels += [
                (row, c, f"biaya {c.text}")
                for c in row.cells
                if c.text
                and column <= c.column <= column + 1
                and c.column not in months
                and row.cells
                and not (c.column == column + 1 and _header_roles([c]))
            ]
        units = set()
        for row, cell, label in labels:
            try:
                units.add(cost_header_unit(label))
            except UnitError as error:
                raise SourceError(reason_of(error), row.line, cell.column + 1) from None
        units.discard(1)
        if len(units) > 1:
            raise SourceError(
                msg(gettext_noop("judul kolom biaya menyebut dua satuan")), header_rows[0].line, column + 1
            )
        return units.pop() if units else 1

    def _right_edge(self, header_rows: list[_Row]) -> int:
        """The last column a header label stands over (a merged label reaches over its range)."""
        edge = max((cell.column for row in header_rows for cell in row.cells if cell.text), default=0)
        lines = {row.line for row in header_rows}
        for first_line, _first, _last_line, last_column in self.grid.merges or ():
            if first_line in lines:
                edge = max(edge, last_column - 1)
        return edge


def clear_caches() -> None:
    """Forget remembered classifications (benchmarks measure a first import, not a repeat)."""
    for cached in (
        is_money_like,
        is_budget_code_like,
        is_target_like,
        parse_rupiah,
        parse_budget_code,
        normalize_space,
    ):
        cached.cache_clear()


def recognize(grid: Grid) -> tuple[PlanTree, ImportReport]:
    """Read a grid of cells as a Rencana Aksi. Raises :class:`SourceError` naming line and column."""
    return _Recognizer(grid).run()


__all__ = ["SPILLED_INDICATOR", "Cell", "Grid", "GridRow", "SourceError", "recognize"]
