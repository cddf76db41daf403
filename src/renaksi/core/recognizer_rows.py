"""Reading one data row: its structure (:mod:`renaksi.core.recognizer_structure`), its months,
and its tail (amount, budget code, remarks, person in charge), with the checks on unknown
columns and on the cost column's decimal mark.
"""

from __future__ import annotations

from renaksi.core.amount_units import (
    UnitError,
    decimal_mark_of,
    scaled_amount,
)
from renaksi.core.budget_codes import BudgetCodeError
from renaksi.core.grid import DATE, NUMBER, STRING, SourceError
from renaksi.core.messages import gettext_noop, msg, reason_of
from renaksi.core.money import MoneyError, unreadable_amount
from renaksi.core.plan_tree import CostState
from renaksi.core.recognizer_parts import (
    _AMOUNT_SHAPE,
    _BARE_NUMBER,
    _CODE_SHAPE,
    _CURRENCY_DASH,
    _CURRENCY_ONLY,
    _GOAL_NUMBER,
    _HAS_DIGIT,
    _LOOSE_CODE,
    _TOTAL_ROW,
    CODE,
    LINE,
    PIC,
    PROGRAM_GOAL,
    REMARKS,
    TARGET,
    _Cell,
    _names_month,
    _Reading,
    _Row,
    is_budget_code_like,
    is_money_like,
    is_target_like,
    normalize_space,
    parse_budget_code,
    parse_rupiah,
)
from renaksi.core.recognizer_structure import _StructureReader
from renaksi.core.schedule import MARK_TRUE


class _RowReader(_StructureReader):
    # -- reading one row ---------------------------------------------------------------------
    def _read_row(self, row: _Row, following: _Row | None) -> _Reading:
        assert self.header is not None
        header = self.header
        reading = _Reading()
        rest: list[_Cell] = []
        for cell in row.cells:
            is_mark = (
                cell.text in MARK_TRUE
                or (cell.shaded and not cell.text)
                or (cell.column in header.months and _names_month(cell.text, header.months[cell.column]))
            )
            if cell.column in header.unknown and cell.text:
                label = header.unknown[cell.column]
                reading.unplaced.append(
                    (cell, msg(gettext_noop("kolom {label!r} bukan kolom tabel Rencana Aksi"), label=label))
                )
                self._count_unknown(row, cell, label)
            elif cell.column in header.months and is_mark:
                reading.months.append((cell, header.months[cell.column]))
            elif cell.text:
                if cell.column in header.months:
                    self._check_month_cell(row, cell, self._shifted(row))
                rest.append(cell)
            else:
                reading.formatting.append(cell)
        if rest and _GOAL_NUMBER.match(rest[0].text) and rest[0].column < header.columns.get(PROGRAM_GOAL, 2):
            reading.number = rest.pop(0)
        # Amounts and codes close the row, right of the structure columns (cells drift by about one).
        tail_start = next(
            (
                i
                for i, c in enumerate(rest)
                if c.column > header.structure_end
                and (self._is_tail_value(c) or c.column >= min(header.cost_column, header.tail_column))
            ),
            len(rest),
        )
        left, tail = rest[:tail_start], rest[tail_start:]
        if (
            len(left) == 1
            and _TOTAL_ROW.match(left[0].text)
            and tail
            and not any(is_target_like(c.text) for c in left)
        ):
            reading.total_row = True
            self._read_tail(row, tail, reading)
            return reading
        self._read_tail(row, tail, reading)
        self._read_structure(row, left, following, reading)
        return reading

    def _shifted(self, row: _Row) -> bool:
        """Text in the first month column is a Rencana Kegiatan shifted right only when the row is
        shifted (its target stands right of TARGET) or the Rencana Kegiatan column is empty."""
        assert self.header is not None
        line_column = self.header.columns.get(LINE, self.header.structure_end)
        target_column = self.header.columns.get(TARGET, 4)
        return any(
            target_column < c.column < line_column + 1 and is_target_like(c.text) for c in row.cells
        ) or not any(c.column == line_column and c.text for c in row.cells)

    def _count_unknown(self, row: _Row, cell: _Cell, label: str) -> None:
        """Count, per column the header does not know, the cells that read as plan values."""
        value_like = (
            cell.kind == NUMBER
            or cell.text in MARK_TRUE
            or is_money_like(cell.text)
            or bool(_AMOUNT_SHAPE.match(cell.text))
            or is_budget_code_like(cell.text)
        )
        counts = self.unknown_columns.setdefault(cell.column, [label, row.line, 0, 0])
        counts[2] += value_like
        counts[3] += 1

    def _check_unknown_columns(self) -> None:
        """A column the header does not name is a plan column under a label nobody taught the
        importer, or something else beside the table: importing without it would drop a whole
        column (of figures, when its cells are amounts, codes or month marks), so the import stops
        and names it."""
        for column, (label, line, values, cells) in sorted(self.unknown_columns.items()):
            if not (values >= 2 and values * 2 >= cells):
                # Text the importer cannot place, a whole column of it: saving without it would lose
                # the column, so the import stops here too, naming it.
                raise SourceError(
                    msg(
                        gettext_noop(
                            "kolom berjudul {label!r} bukan kolom tabel Rencana Aksi, jadi {cells} selnya tidak "
                            "dapat ditempatkan; ganti judulnya (mis. KET atau PENANGGUNG JAWAB) atau hapus kolom itu"
                        ),
                        label=label,
                        cells=cells,
                    ),
                    line,
                    column + 1,
                )
            if values >= 2 and values * 2 >= cells:
                raise SourceError(
                    msg(
                        gettext_noop(
                            "kolom berjudul {label!r} berisi jumlah uang, kode akun atau tanda bulan ({values} dari "
                            "{cells} selnya), tetapi bukan kolom tabel Rencana Aksi; ganti judulnya (mis. PERKIRAAN "
                            "BIAYA, AKUN, atau nama bulan) atau hapus kolom itu"
                        ),
                        label=label,
                        values=values,
                        cells=cells,
                    ),
                    line,
                    column + 1,
                )

    def _check_month_cell(self, row: _Row, cell: _Cell, shifted: bool) -> None:
        """A month cell holds a mark or a fill. Cells drift by one column at most: text in the first
        month column is a shifted Rencana Kegiatan, an amount in the last a shifted cost; anything
        else in a month column is an error, not a guess."""
        assert self.header is not None
        header = self.header
        if cell.column == header.first_month_column and shifted and not self._is_tail_value(cell):
            self.judge(
                row.line,
                cell,
                msg(
                    gettext_noop("teks di kolom bulan pertama, dibaca sebagai bergeser dari kolom sebelumnya")
                ),
            )
            return
        if cell.column == header.last_month_column and self._is_tail_value(cell):
            return
        month = header.months[cell.column]
        accepted = " ".join(sorted(MARK_TRUE))
        raise SourceError(
            msg(
                gettext_noop(
                    "{text!r} di kolom bulan {month} bukan tanda bulan (pakai salah satu dari: {accepted}, atau "
                    "warnai selnya)"
                ),
                text=cell.text,
                month=month,
                accepted=accepted,
            ),
            row.line,
            cell.column + 1,
        )

    @staticmethod
    def _is_tail_value(cell: _Cell) -> bool:
        text = cell.text
        if not _HAS_DIGIT.search(text):  # amounts and codes have digits; only markers and dashes do not
            return bool(_CURRENCY_ONLY.match(text)) or text in {"-", "\u2013", "\u2014"}
        return (
            is_money_like(text)
            or bool(_AMOUNT_SHAPE.match(text))
            or text in {"-", "\u2013", "\u2014"}
            or is_budget_code_like(text)
        )

    def _read_tail(self, row: _Row, tail: list[_Cell], reading: _Reading) -> None:
        """PERKIRAAN BIAYA (``Rp`` and the amount in one or two cells, or ``-``), AKUN, KET."""
        assert self.header is not None
        currency: _Cell | None = None
        for cell in tail:
            text = cell.text
            if reading.cost_state is CostState.ABSENT and cell.kind == STRING:
                unreadable = unreadable_amount(text)
                if unreadable is not None:  # where the cost belongs: refused, never a remark
                    raise SourceError(reason_of(unreadable), row.line, cell.column + 1)
            if cell.kind == DATE and cell.column in (self.header.cost_column, self.header.cost_column + 1):
                raise SourceError(
                    msg(
                        gettext_noop("PERKIRAAN BIAYA berisi tanggal ({text}), bukan jumlah uang"), text=text
                    ),
                    row.line,
                    cell.column + 1,
                )
            if _CURRENCY_ONLY.match(text) and reading.cost_state is CostState.ABSENT and currency is None:
                currency = cell
                continue
            if text in {"-", "\u2013", "\u2014"}:
                code_column = self.header.columns.get(CODE)
                if cell.column == self.header.cost_column and reading.cost_state is CostState.ABSENT:
                    reading.cost_state = CostState.NONE  # under PERKIRAAN BIAYA, wherever AKUN stands
                    reading.cost_cells.append(cell)
                elif cell.column == code_column and reading.code is None and reading.code_dash is None:
                    reading.code_dash = cell
                elif reading.cost_state is CostState.ABSENT and currency is None and reading.code is None:
                    reading.cost_state = CostState.NONE
                    reading.cost_cells.append(cell)
                elif reading.code is None and reading.code_dash is None:
                    reading.code_dash = cell
                else:
                    reading.remarks.append(cell)
                continue
            if is_budget_code_like(text) and reading.code is None:
                reading.code = cell
                continue
            code_column = self.header.columns.get(CODE)
            if (
                reading.code is None
                and (cell.column == code_column or _LOOSE_CODE.match(text))
                and not (_AMOUNT_SHAPE.match(text) or is_money_like(text))
            ):
                try:
                    parse_budget_code(text)
                except BudgetCodeError as error:
                    raise SourceError(
                        msg(
                            gettext_noop("AKUN berisi {text!r}, yang bukan kode akun: {reason}"),
                            text=text,
                            reason=reason_of(error),
                        ),
                        row.line,
                        cell.column + 1,
                    ) from None
            if _CODE_SHAPE.match(text) and not _AMOUNT_SHAPE.match(text):
                try:
                    parse_budget_code(text)
                except BudgetCodeError as error:
                    raise SourceError(
                        msg(
                            gettext_noop("kode akun {text!r} salah bentuk: {reason}"),
                            text=text,
                            reason=reason_of(error),
                        ),
                        row.line,
                        cell.column + 1,
                    ) from None
            if _AMOUNT_SHAPE.match(text) or is_money_like(text) or cell.kind == NUMBER:
                if reading.cost_state is not CostState.ABSENT:
                    raise SourceError(
                        msg(
                            gettext_noop(
                                "jumlah kedua {text!r} pada satu baris; mana yang biayanya tidak jelas"
                            ),
                            text=text,
                        ),
                        row.line,
                        cell.column + 1,
                    )
                amount = self._amount(row, cell)
                if amount == 0 and cell.kind == NUMBER and self.grid.source_format == "xls":
                    self.judge(
                        row.line,
                        cell,
                        msg(
                            gettext_noop(
                                "angka 0 dibaca sebagai biaya Rp 0: format sel .xls tidak terbaca, jadi jika sel "
                                "ini tampil '-' (format akuntansi) maksudnya tanpa biaya; simpan sebagai .xlsx "
                                "atau tulis '-'"
                            )
                        ),
                    )
                if amount is not None and amount < 0:
                    raise SourceError(
                        msg(gettext_noop("biaya negatif {text!r}"), text=text), row.line, cell.column + 1
                    )
                if currency is not None:
                    reading.cost_cells.append(currency)
                    currency = None
                reading.cost_cells.append(cell)
                if amount is None:
                    reading.cost_state = CostState.NONE
                else:
                    reading.cost, reading.cost_state = amount, CostState.AMOUNT
                continue
            header = self.header
            if cell.column == header.cost_column and reading.cost_state is CostState.ABSENT:
                raise SourceError(
                    msg(gettext_noop("PERKIRAAN BIAYA berisi {text!r}, yang bukan jumlah Rupiah"), text=text),
                    row.line,
                    cell.column + 1,
                )
            if cell.column > header.right_edge + self.edge_slack:
                reading.unplaced.append(
                    (cell, msg(gettext_noop("teks di kolom tanpa judul (catatan di samping tabel?)")))
                )
                self.judge(
                    row.line,
                    cell,
                    msg(
                        gettext_noop(
                            "teks di kanan tabel, di kolom tanpa judul: disimpan sebagai sel tak ditempatkan, "
                            "tidak dibaca sebagai keterangan"
                        )
                    ),
                )
                continue
            # Free text at the end of the row: remarks, or the person in charge when there is such a column.
            if PIC in header.columns and (
                REMARKS not in header.columns
                or abs(cell.column - header.columns[PIC]) < abs(cell.column - header.columns[REMARKS])
            ):
                reading.pic.append(cell)
            else:
                reading.remarks.append(cell)
        if currency is not None:
            raise SourceError(
                msg(gettext_noop("{text!r} tanpa jumlah sesudahnya"), text=currency.text),
                row.line,
                currency.column + 1,
            )

    def _amount(self, row: _Row, cell: _Cell) -> int | None:
        """The cell's cost in Rupiah (``None`` for "no cost"), in the unit the header names."""
        assert self.header is not None
        unit = self.header.cost_unit
        if self.costs_are_numbers and cell.kind == STRING and _BARE_NUMBER.match(cell.text):
            # In a sheet whose amounts are numbers, digits typed as text were not read as a number
            # by the spreadsheet either: which amount the person meant is not certain.
            raise SourceError(
                msg(
                    gettext_noop(
                        "{text!r} adalah angka yang disimpan sebagai teks, sedangkan jumlah lain di kolom ini "
                        "berupa angka; simpan sel ini sebagai angka"
                    ),
                    text=cell.text,
                ),
                row.line,
                cell.column + 1,
            )
        try:
            if unit != 1 or cell.kind == NUMBER:
                if normalize_space(cell.text) in {"-", "\u2013", "\u2014"} or _CURRENCY_DASH.match(cell.text):
                    return None
                number = cell.number if cell.kind == NUMBER else ""
                return scaled_amount(cell.text, unit, self.decimal_mark, number=number)
            return parse_rupiah(cell.text)
        except (MoneyError, UnitError) as error:  # their message names the amount already
            raise SourceError(reason_of(error), row.line, cell.column + 1) from None

    def _column_decimal_mark(self, rows: list[_Row]) -> str | None:
        """The decimal mark the cost column's text amounts show (needed once a unit scales them)."""
        assert self.header is not None
        columns = range(self.header.cost_column, self.header.cost_column + 3)
        texts = (c.text for r in rows for c in r.cells if c.column in columns and c.kind == STRING)
        try:
            return decimal_mark_of(texts)
        except UnitError as error:
            raise SourceError(
                msg(gettext_noop("PERKIRAAN BIAYA: {reason}"), reason=reason_of(error)),
                None,
                self.header.cost_column + 1,
            ) from None
