"""The RPD as a file (XLSX and CSV from one row iterator, so the two cannot disagree): for the plan
and every budget-code level, a row of planned spending per month and a row of the cumulative
curve, each with its four quarters (the cumulative row: cumulative at each quarter's end) and the
year's total, in the shape of Halaman III DIPA."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from renaksi.budget.presenters import code_names
from renaksi.core.disbursement import Curve, RpdPlan
from renaksi.core.schedule import MONTH_NAMES_ID, quarter_label
from renaksi.core.text import csv_line, csv_safe
from renaksi.exports.csv_table import BOM, DELIMITER
from renaksi.planning.models import Plan

RUPIAH_FORMAT = '_("Rp"* #,##0_)'
_WORKBOOK_OPTIONS: dict[str, Any] = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
TEXT_COLUMNS = 3  # code, name, row kind


def header() -> list[str]:
    return [
        _("Kode"),
        _("Nama"),
        _("Baris"),
        *MONTH_NAMES_ID,
        *(quarter_label(quarter) for quarter in range(1, 5)),
        _("Jumlah"),
    ]


def _curve_rows(code: str, name: str, curve: Curve) -> Iterator[list[str | int]]:
    yield [code, name, _("Rencana penarikan"), *curve.monthly, *curve.quarterly, curve.total]
    yield [code, name, _("Kumulatif"), *curve.cumulative, *curve.cumulative_quarterly, curve.total]


def rpd_rows(rpd: RpdPlan) -> Iterator[list[str | int]]:
    """The plan's rows first, then every roll-up key in code order."""
    yield from _curve_rows(_("Seluruh rencana"), "", rpd.total)
    names = code_names(rpd.by_code)
    for key, curve in rpd.by_code.items():
        yield from _curve_rows(key, names.get(key, ""), curve)


def rpd_csv(rpd: RpdPlan) -> bytes:
    """As the plan's CSV download is written, for a spreadsheet set to Indonesian: ``;``-separated
    UTF-8 with a byte-order mark, amounts as plain integers, every text cell protected against
    being run as a formula."""
    out = io.StringIO()
    out.write(csv_line([csv_safe(cell) for cell in header()], DELIMITER))
    for row in rpd_rows(rpd):
        out.write(csv_line([csv_safe(cell) if isinstance(cell, str) else cell for cell in row], DELIMITER))
    return (BOM + out.getvalue()).encode("utf-8")


def rpd_xlsx(plan: Plan, rpd: RpdPlan) -> bytes:
    """One sheet: a title, the header, then the rows; amounts as numbers in a Rupiah format."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, _WORKBOOK_OPTIONS)
    sheet = workbook.add_worksheet(_("RPD"))
    bold = workbook.add_format({"bold": True})
    head = workbook.add_format({"bold": True, "border": 1, "bg_color": "#D9D9D9", "text_wrap": True})
    money = workbook.add_format({"num_format": RUPIAH_FORMAT, "border": 1})
    text = workbook.add_format({"border": 1})
    title = _("Rencana Penarikan Dana (RPD) %(year)s · %(agency)s") % {
        "year": plan.year,
        "agency": plan.agency.name,
    }
    sheet.write_string(0, 0, title, bold)
    if plan.title:
        sheet.write_string(1, 0, plan.title)
    for column, label in enumerate(header()):
        sheet.write_string(3, column, label, head)
    for offset, row in enumerate(rpd_rows(rpd)):
        for column, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(4 + offset, column, value, text)
            else:
                sheet.write_number(4 + offset, column, value, money)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, 2, 18)
    sheet.set_column(TEXT_COLUMNS, len(header()) - 1, 16)
    sheet.freeze_panes(4, TEXT_COLUMNS)
    workbook.close()
    return buffer.getvalue()
