"""A plan tree written as an OpenDocument spreadsheet (.ods) or an Excel 97-2003 workbook (.xls).

The layout is :func:`renaksi.imports.writers.write_xlsx`'s, cell for cell and merge for merge:
the title block, the two header rows with their merged labels, one row per Rencana Kegiatan with
goals, program goals, indicators and activities as merged ranges down their rows, amounts as
numbers in a Rupiah format. Months are marked with ``month_mark`` text: .xls and .ods shading is
not read back (see :mod:`renaksi.imports.calamine_reader`), so ``shade_months`` exists to make
files that show what a reader is told when only fills mark the schedule.

These writers serve tests and benchmarks. ``write_xls`` needs the ``xlwt`` package (a development
dependency); ``write_ods`` needs nothing but the standard library.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, PlanTree
from renaksi.core.table import (
    COLUMN_SCHEDULE,
    LEADING_COLUMNS,
    TableRow,
    names_persons_in_charge,
    table_rows,
    trailing_columns,
)
from renaksi.imports.writers import (
    _COST,
    _FIRST_MONTH,
    WriterError,
    _code_cell,
    _structure_cells,
    _title_block,
)

__all__ = ["write_ods", "write_xls"]

SHEET_NAME = "Rencana Aksi"


@dataclass(frozen=True)
class _Placed:
    """One written cell (0-based row and column) and the range it heads."""

    row: int
    column: int
    value: str | int
    style: str = "text"  # "title", "header", "text", "money" or "month_on"
    rows: int = 1
    columns: int = 1


def _layout(tree: PlanTree, *, shade_months: bool, month_mark: str) -> list[_Placed]:
    rows = table_rows(tree)
    pic = names_persons_in_charge(rows)
    placed: list[_Placed] = []
    r = 0
    for text in _title_block(tree):
        placed.append(_Placed(r, 0, text, "title"))
        r += 1
    r = _header(placed, r, pic=pic)
    for row in rows:
        if row.goal_span > 0 and row.goal.number is None and row.index > 0:
            r = _header(placed, r, pic=pic)
        _plan_row(placed, r, row, pic=pic, shade_months=shade_months, month_mark=month_mark)
        r += 1
    return placed


def _header(placed: list[_Placed], r: int, *, pic: bool) -> int:
    for column, label in enumerate(LEADING_COLUMNS):
        placed.append(_Placed(r, column, label, "header", rows=2))
    placed.append(_Placed(r, _FIRST_MONTH, COLUMN_SCHEDULE, "header", columns=12))
    for month in range(1, 13):
        placed.append(_Placed(r + 1, _FIRST_MONTH + month - 1, month, "header"))
    for offset, label in enumerate(trailing_columns(pic=pic)):
        placed.append(_Placed(r, _COST + offset, label, "header", rows=2))
    return r + 2


def _plan_row(
    placed: list[_Placed], r: int, row: TableRow, *, pic: bool, shade_months: bool, month_mark: str
) -> None:
    texts = _structure_cells(row)
    spans = [row.goal_span, row.goal_span, row.program_goal_span, row.indicator_span, row.indicator_span]
    spans += [row.activity_span, 1]
    for column, (text, span) in enumerate(zip(texts, spans, strict=True)):
        if span > 1 or (span == 1 and text):
            placed.append(_Placed(r, column, text, rows=span))
    for month, scheduled in enumerate(row.months):
        if scheduled and shade_months:
            placed.append(_Placed(r, _FIRST_MONTH + month, "", "month_on"))
        elif scheduled and month_mark:
            placed.append(_Placed(r, _FIRST_MONTH + month, month_mark))
    line = row.line
    if line is None:
        return
    if line.cost_state is CostState.AMOUNT:
        assert line.cost is not None
        placed.append(_Placed(r, _COST, line.cost, "money"))
    elif line.cost_state is CostState.NONE:
        placed.append(_Placed(r, _COST, "-"))
    trailing = [_code_cell(row), line.remarks] + ([line.person_in_charge] if pic else [])
    for offset, text in enumerate(trailing, 1):
        if text:
            placed.append(_Placed(r, _COST + offset, text))


# -- XLS ----------------------------------------------------------------------------------------


def write_xls(
    tree: PlanTree, path: str | os.PathLike[str], *, shade_months: bool = False, month_mark: str = "v"
) -> None:
    """An Excel 97-2003 (BIFF8) workbook with one sheet holding the table, merges as real ranges."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet(SHEET_NAME)
    styles = {
        "title": xlwt.easyxf("font: bold on"),
        "header": xlwt.easyxf("font: bold on; align: wrap on, horiz center, vert center"),
        "text": xlwt.easyxf("align: wrap on, vert top"),
        "money": xlwt.easyxf("align: vert top", num_format_str='"Rp" #,##0'),
        "month_on": xlwt.easyxf("pattern: pattern solid, fore_colour ocean_blue"),
    }
    for cell in _layout(tree, shade_months=shade_months, month_mark=month_mark):
        style = styles[cell.style]
        if isinstance(cell.value, str) and len(cell.value) > 32767:
            raise WriterError(
                f"row {cell.row + 1}, column {cell.column + 1}: a text of {len(cell.value):,} characters; "
                ".xls cells hold at most 32,767"
            )
        value = cell.value if cell.value != "" else None
        if cell.rows > 1 or cell.columns > 1:
            sheet.write_merge(
                cell.row, cell.row + cell.rows - 1, cell.column, cell.column + cell.columns - 1, value, style
            )
        else:
            sheet.write(cell.row, cell.column, value, style)
    workbook.save(os.fspath(path))


# -- ODS ----------------------------------------------------------------------------------------

_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="shade" style:family="table-cell">'
    '<style:table-cell-properties fo:background-color="#4f81bd"/></style:style>'
    "</office:automatic-styles>"
)
# Characters XML 1.0 cannot hold at all; tab and line breaks are written as ODF elements.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile("  +")


def write_ods(
    tree: PlanTree, path: str | os.PathLike[str], *, shade_months: bool = False, month_mark: str = "v"
) -> None:
    """An OpenDocument spreadsheet with one sheet holding the table, merges as spanned cells.

    The file is what LibreOffice writes in substance: a ``mimetype`` stored first, a manifest,
    and ``content.xml`` where a merged range is a cell with ``number-rows-spanned`` /
    ``number-columns-spanned`` and the cells it covers are ``covered-table-cell``. Amounts are
    ``float`` cells whose shown text is the Rupiah figure.
    """
    write_ods_cells(_layout(tree, shade_months=shade_months, month_mark=month_mark), path)


def write_ods_cells(placed: list[_Placed], path: str | os.PathLike[str]) -> None:
    by_position = {(cell.row, cell.column): cell for cell in placed}
    covered = {
        (r, c)
        for cell in placed
        for r in range(cell.row, cell.row + cell.rows)
        for c in range(cell.column, cell.column + cell.columns)
        if (r, c) != (cell.row, cell.column)
    }
    width: dict[int, int] = {}
    for r, c in by_position.keys() | covered:
        width[r] = max(width.get(r, 0), c + 1)
    last_row = max(width, default=-1)
    out = [
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NAMESPACES} office:version="1.2">',
        _STYLES,
        f"<office:body><office:spreadsheet><table:table table:name={quoteattr(SHEET_NAME)}>",
    ]
    for r in range(last_row + 1):
        out.append("<table:table-row>")
        empty = 0  # a run of empty cells is one repeated cell, as LibreOffice writes it
        for c in range(max(width.get(r, 0), 1)):  # a row holds at least one cell
            cell = by_position.get((r, c))
            if cell is None and (r, c) not in covered:
                empty += 1
                continue
            if empty:
                out.append(_empty_cells(empty))
                empty = 0
            out.append(_ods_cell(cell) if cell is not None else "<table:covered-table-cell/>")
        if empty:
            out.append(_empty_cells(empty))
        out.append("</table:table-row>")
    out.append("</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", "".join(out))


def _empty_cells(count: int) -> str:
    return (
        f'<table:table-cell table:number-columns-repeated="{count}"/>' if count > 1 else "<table:table-cell/>"
    )


def _ods_cell(cell: _Placed) -> str:
    attributes = []
    if cell.rows > 1:
        attributes.append(f'table:number-rows-spanned="{cell.rows}"')
    if cell.columns > 1:
        attributes.append(f'table:number-columns-spanned="{cell.columns}"')
    if cell.style == "month_on":
        attributes.append('table:style-name="shade"')
    if isinstance(cell.value, int):
        shown = format_rupiah(cell.value) if cell.style == "money" else str(cell.value)
        attributes.insert(0, f'office:value-type="float" office:value="{cell.value}"')
        return f"<table:table-cell {' '.join(attributes)}><text:p>{escape(shown)}</text:p></table:table-cell>"
    if not cell.value:
        return f"<table:table-cell {' '.join(attributes)}/>" if attributes else "<table:table-cell/>"
    bad = _NOT_XML.search(cell.value)
    if bad:
        raise WriterError(
            f"row {cell.row + 1}, column {cell.column + 1}: U+{ord(bad.group()):04X} in {cell.value!r} cannot be "
            "written in an OpenDocument file"
        )
    attributes.insert(0, 'office:value-type="string"')
    paragraphs = "".join(f"<text:p>{_odf_text(line)}</text:p>" for line in cell.value.split("\n"))
    return f"<table:table-cell {' '.join(attributes)}>{paragraphs}</table:table-cell>"


def _odf_text(line: str) -> str:
    """One paragraph's text: a run of spaces, a leading space and a tab are elements in ODF."""
    parts = []
    for index, chunk in enumerate(line.split("\t")):
        if index:
            parts.append("<text:tab/>")
        text = escape(chunk)
        text = _SPACES.sub(lambda m: f' <text:s text:c="{len(m.group()) - 1}"/>', text)
        if text.startswith(" "):
            text = '<text:s text:c="1"/>' + text[1:]
        parts.append(text)
    return "".join(parts)
