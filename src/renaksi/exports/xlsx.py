"""The official Rencana Aksi table as a printable XLSX workbook, and a roll-up of many plans.

The sheet is the seed's layout: a title block, the two header rows (``RENCANA PELAKSANAAN
KEGIATAN`` over the months 1..12), one row per Rencana Kegiatan with real merged cells for goals,
program goals, indicators and activities, a subtotal row after each strategic goal, the grand
total, and the signature block. Every cell comes from :func:`~renaksi.core.table.table_rows` and
every total from :func:`~renaksi.core.table.plan_totals`, so the workbook agrees with the page,
the PDF and the open data on every figure. The file reads back through the importer as the same
plan: the layout keeps to what the recognizer reads (labels of total rows, the repeated header
before a goal printed without its header, nothing but notes below the grand total).

Safety: plan text is only ever written with ``write_string``, so ``=cmd|...`` stays text; amounts
are only written with ``write_number``. A text longer than a cell holds (32,767 characters) is
never cut silently: its cell shows the start and says where the rest is, and the sheet ``Teks
panjang`` holds it whole (:mod:`renaksi.exports.long_texts`); the writers return those texts. The file appears at its path only when it is complete
(:func:`~renaksi.exports.files.atomic_path`), and XlsxWriter's scratch files live in a private
folder removed whatever happens.

Memory: the workbook is written in XlsxWriter's ``constant_memory`` mode, which streams each row
to disk as soon as a later one starts, so a 44,000-line national roll-up peaks at about 115 MB
instead of about 235 MB (``bench/bench_export_xlsx.py``). That mode cannot pad a merged range
over rows not written yet (``merge_range`` would flush the current row half-written; XlsxWriter's
author declines to support it), so rows are written whole and in order and each merged range is
recorded where ``merge_range`` records it (:meth:`_PlanSheet._merge`). Only cells with something
in them are written; the table's grid is one conditional format (:meth:`_PlanSheet._grid`).

The parts: :mod:`~renaksi.exports.xlsx_layout` (columns, labels, formats, sheet names, row
heights), :mod:`~renaksi.exports.xlsx_sheet` (a plan's sheet), :mod:`~renaksi.exports.xlsx_summary`
(the roll-up's first sheet); this module writes the workbook.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlsxwriter

from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import plan_totals
from renaksi.exports.collector import collector_paused
from renaksi.exports.files import atomic_path
from renaksi.exports.long_texts import LONG_TEXT_SHEET, LongText, LongTexts
from renaksi.exports.meta import ExportMeta
from renaksi.exports.xlsx_layout import (  # noqa: F401  (the names others import from here)
    _MONTH_FILL,
    _WORKBOOK_OPTIONS,
    GRAND_TOTAL_LABEL,
    HEADERLESS_GOAL,
    HEADERLESS_SUBTOTAL_LABEL,
    RUPIAH_FORMAT,
    SUMMARY_SHEET,
    _finish_rows,
    _SheetNames,
    _Styles,
    goal_subtotal_label,
    row_heights,
    sheet_title,
)
from renaksi.exports.xlsx_sheet import _PlanSheet
from renaksi.exports.xlsx_summary import _write_summary

__all__ = [
    "GRAND_TOTAL_LABEL",
    "RUPIAH_FORMAT",
    "SUMMARY_SHEET",
    "goal_subtotal_label",
    "row_heights",
    "sheet_title",
    "write_plan_xlsx",
    "write_rollup_xlsx",
]

# -- the public entry points ------------------------------------------------------------------------


@collector_paused()
def write_plan_xlsx(
    tree: PlanTree, target: Path, meta: ExportMeta, *, formulas: bool = True
) -> list[LongText]:
    """Write one plan as the official table on a sheet named after the agency.

    Subtotals and the grand total are values from :func:`plan_totals`; with ``formulas`` they are
    also ``SUM`` formulas whose saved result is that same value, so a spreadsheet that recalculates
    shows the same figure. ``target`` appears only once the workbook is complete. Returns the
    texts too long for a cell, continued on the sheet ``Teks panjang`` (none, usually).
    """
    long_texts = LongTexts()
    with _workbook(target) as workbook:
        styles = _Styles(workbook)
        names = _SheetNames(reserved=[LONG_TEXT_SHEET])
        _PlanSheet(
            workbook, styles, names.take(meta.agency_name), tree, meta, formulas, long_texts=long_texts
        ).write()
        long_texts.write(workbook, styles.header, styles.plain)
    return long_texts.found


@collector_paused()
def write_rollup_xlsx(
    plans: Sequence[tuple[ExportMeta, PlanTree]], target: Path, *, formulas: bool = True
) -> list[LongText]:
    """Write the plans of several agencies (a province and its Kab/Kota) into one workbook.

    The first sheet, ``Ringkasan``, sums costs per agency, per agency and strategic goal, and per
    agency and full budget code, with a grand total; then each plan follows on a sheet of its own
    in the layout of :func:`write_plan_xlsx`. Sheet names are unique and fit Excel's 31 characters.
    Returns the texts too long for a cell, continued on the last sheet, ``Teks panjang``.
    """
    long_texts = LongTexts()
    with _workbook(target) as workbook:
        totals = [plan_totals(tree) for _meta, tree in plans]
        styles = _Styles(workbook)
        names = _SheetNames(reserved=[SUMMARY_SHEET, LONG_TEXT_SHEET])
        summary = workbook.add_worksheet(SUMMARY_SHEET)
        titles = [names.take(meta.agency_name) for meta, _tree in plans]
        _write_summary(summary, styles, plans, totals, titles, long_texts)
        for (meta, tree), plan_total, title in zip(plans, totals, titles, strict=True):
            _PlanSheet(workbook, styles, title, tree, meta, formulas, plan_total, long_texts).write()
        long_texts.write(workbook, styles.header, styles.plain)
    return long_texts.found


@contextmanager
def _workbook(target: Path) -> Iterator[Any]:
    """An XlsxWriter workbook written through :func:`atomic_path`, with its own scratch folder.

    XlsxWriter assembles the parts of the file as temporary files before zipping them, and leaves
    them behind if it fails half-way (a full disk): a private folder removed on exit makes sure
    nothing is left anywhere. On an error the workbook is not closed, so nothing is written, and
    ``atomic_path`` removes its placeholder.
    """
    with atomic_path(target) as temporary, tempfile.TemporaryDirectory(prefix="renaksi-xlsx-") as scratch:
        workbook = xlsxwriter.Workbook(
            str(temporary), {**_WORKBOOK_OPTIONS, "tmpdir": scratch, "constant_memory": True}
        )
        yield workbook
        workbook.close()
        # Each worksheet refers back to its workbook, a cycle that only the cyclic garbage
        # collector frees, and with it every row setting and merged range of every sheet (176,000
        # objects in a 44,000-line roll-up, 0.2 s to walk). Let go of the sheets (the workbook
        # lists them and maps their names to them), and reference counting frees them at once.
        workbook.worksheets().clear()
        workbook.sheetnames.clear()
