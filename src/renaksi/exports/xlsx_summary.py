"""The first sheet of an XLSX roll-up, ``Ringkasan``: costs per agency, per agency and strategic
goal, and per agency and budget code. Part of :mod:`renaksi.exports.xlsx`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import PlanTotals
from renaksi.exports.long_texts import LongTexts
from renaksi.exports.meta import ExportMeta
from renaksi.exports.xlsx_layout import (
    _NOTE,
    GRAND_TOTAL_LABEL,
    HEADERLESS_GOAL,
    _finish_rows,
    _one_kind_of_line_break,
    _Styles,
)


def _write_summary(
    sheet: Any,
    styles: _Styles,
    plans: Sequence[tuple[ExportMeta, PlanTree]],
    totals: list[PlanTotals],
    titles: list[str],
    long_texts: LongTexts,
) -> None:
    """Costs per agency, per agency × strategic goal and per agency × budget code, with totals.

    Its header rows hold fewer than three words of the plan header, so an importer looking for
    "the first sheet with the plan header" passes over it to the first agency's sheet.
    """
    write_number = sheet.write_number

    def write_string(row: int, column: int, value: str, style: Any) -> None:
        shown, note = long_texts.fit(sheet.name, row, column, _one_kind_of_line_break(value))
        sheet.write_string(row, column, shown, style)
        if note is not None:
            sheet.write_comment(row, column, note, _NOTE)

    grand_total = sum(total.grand_total for total in totals)
    years = {tree.year for _meta, tree in plans if tree.year}
    heading = "RINGKASAN RENCANA AKSI" + (f" TAHUN {years.pop()}" if len(years) == 1 else "")
    write_string(0, 0, heading, styles.title)
    write_string(
        1, 0, f"{len(plans)} satker, {sum(t.lines for t in totals):,} rencana kegiatan", styles.plain
    )
    r = 3

    def header(row: int, labels: Sequence[str]) -> int:
        for column, label in enumerate(labels):
            write_string(row, column, label, styles.header)
        return row + 1

    def total_row(row: int, label: str, amount: int, count: int | None = None) -> int:
        write_string(row, 0, label, styles.total_label)
        if count is None:
            sheet.write_blank(row, 1, None, styles.total_blank)
        else:
            write_number(row, 1, count, styles.total_count)
        write_number(row, 2, amount, styles.total_money)
        return row + 1

    write_string(r, 0, "A. Perkiraan biaya per satker", styles.section)
    r = header(r + 1, ("Satker", "Jumlah Rencana Kegiatan", "Perkiraan Biaya"))
    names = [meta.agency_name or title for (meta, _tree), title in zip(plans, titles, strict=True)]
    for name, total, title in zip(names, totals, titles, strict=True):
        quoted = title.replace("'", "''")
        sheet.write_url(r, 0, f"internal:'{quoted}'!A1", styles.text, _one_kind_of_line_break(name))
        write_number(r, 1, total.lines, styles.count)
        write_number(r, 2, total.grand_total, styles.money)
        r += 1
    r = total_row(r, GRAND_TOTAL_LABEL, grand_total, sum(t.lines for t in totals)) + 1

    write_string(r, 0, "B. Perkiraan biaya per satker dan sasaran strategis", styles.section)
    r = header(r + 1, ("Satker", "Sasaran Strategis", "Perkiraan Biaya"))
    for name, total in zip(names, totals, strict=True):
        for goal, amount in total.by_goal:
            write_string(r, 0, name, styles.text)
            if goal.is_headerless:
                write_string(r, 1, HEADERLESS_GOAL, styles.text)
            else:
                write_string(r, 1, f"{goal.number}. {goal.text}".rstrip(), styles.text)
            write_number(r, 2, amount, styles.money)
            r += 1
    r = total_row(r, GRAND_TOTAL_LABEL, grand_total) + 1

    write_string(r, 0, "C. Perkiraan biaya per satker dan akun", styles.section)
    r = header(r + 1, ("Satker", "Akun", "Perkiraan Biaya"))
    for name, total in zip(names, totals, strict=True):
        for code, amount in total.by_code.items():
            write_string(r, 0, name, styles.text)
            write_string(r, 1, code, styles.text)
            write_number(r, 2, amount, styles.money)
            r += 1
        uncoded = total.grand_total - sum(total.by_code.values())
        if uncoded:
            write_string(r, 0, name, styles.text)
            write_string(r, 1, "(tanpa akun)", styles.text)
            write_number(r, 2, uncoded, styles.money)
            r += 1
    r = total_row(r, GRAND_TOTAL_LABEL, grand_total)

    sheet.set_column(0, 0, 36)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 2, 22)
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C&8Halaman &P dari &N")
    _finish_rows(sheet)
