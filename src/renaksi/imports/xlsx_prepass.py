"""The XLSX archive read once before openpyxl sees it: zip limits, every sheet's size counted
as it inflates, formulas without a saved value found, merged ranges taken out of the sheet XML,
and sheet titles mapped to their parts.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from renaksi.core.grid import SourceError
from renaksi.core.messages import gettext_noop, msg
from renaksi.imports import limits as import_limits
from renaksi.imports.reader_common import check_extent
from renaksi.imports.reader_messages import NOT_XLSX, not_readable_xlsx
from renaksi.imports.safe_zip import ZIP_DAMAGE, Inflation, check_zip_limits
from renaksi.imports.sheet_limits import SheetScan
from renaksi.imports.sheet_limits import column_number as _column_number


def open_zip(source: Path | io.BytesIO) -> zipfile.ZipFile:
    if isinstance(source, io.BytesIO):
        source.seek(0)
    try:
        return zipfile.ZipFile(source)
    except ZIP_DAMAGE as error:
        raise SourceError(not_readable_xlsx(error)) from None


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs: too many parts, too much expanded data, too high a compression ratio."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SourceError(msg(gettext_noop("bukan berkas rencana yang didukung: {kind}"), kind=NOT_XLSX))
    check_zip_limits(archive)


@dataclass
class SheetFacts:
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # min row, min col, max row, max col
    formula_without_value: str | None = None  # the reference of the first such cell


def prepare_sheets(
    archive: zipfile.ZipFile, inflation: Inflation, members: dict[str, str]
) -> tuple[dict[str, SheetFacts], io.BytesIO]:
    """Inflate every part once, within the limits: each sheet's rows, columns and cells are
    counted as it inflates (:class:`~renaksi.imports.sheet_limits.SheetScan`), formulas without
    values are found, and merged ranges are taken out.

    Returns the facts per sheet part, and the workbook as openpyxl reads it: stored, not
    deflated, so that what it expands is exactly what was counted here.
    """
    limits = import_limits.current()
    titles = {part: title for title, part in members.items()}
    facts: dict[str, SheetFacts] = {}
    cells = 0
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED, allowZip64=True) as out:
        for info in archive.infolist():
            name = info.filename
            if name in titles or (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                scan = SheetScan(titles.get(name, name), limits, cells_before=cells)
                data = inflation.read(info, scan=_first_checking_dimension(scan))
                scan.finish()
                cells = scan.cells
                data, merged = _strip_merges(data)
                facts[name] = SheetFacts(merged, _formula_without_value(data))
            else:
                data = inflation.read(info)
            out.writestr(info.filename, data)
            del data
    return facts, copy


def _first_checking_dimension(scan: SheetScan) -> Callable[[bytes], None]:
    """``scan.feed``, which first checks the size the sheet declares in its first chunk: an
    honest sheet too large is refused by what it says before any of its cells is counted."""
    first = [True]

    def feed(chunk: bytes) -> None:
        if first[0]:
            first[0] = False
            _check_dimension(chunk[:4096])
        scan.feed(chunk)

    return feed


_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)\"")


def _check_dimension(head: bytes) -> None:
    """The size a sheet declares in its first bytes, checked before the sheet is parsed."""
    match = _DIMENSION_RE.search(head)
    if match is None:
        return
    check_extent(int(match.group(2)), _column_number(match.group(1).decode()))


# Markup cannot occur inside cell text (``<`` is escaped there), so finding the element's name
# in the bytes finds the element.
_MERGE_BLOCK_RE = re.compile(rb"<(?:\w+:)?mergeCells\b[^>]*?(?:/>|>.*?</(?:\w+:)?mergeCells\s*>)", re.DOTALL)
_MERGE_REF_RE = re.compile(rb'\sref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _strip_merges(data: bytes) -> tuple[bytes, list[tuple[int, int, int, int]]]:
    found = data.find(b"mergeCells")
    if found < 0:
        return data, []
    start = data.rfind(b"<", 0, found)
    match = _MERGE_BLOCK_RE.match(data, start)
    if match is None:
        return data, []
    ranges = []
    for first_col, first_row, last_col, last_row in _MERGE_REF_RE.findall(match.group(0)):
        min_row, min_col = int(first_row), _column_number(first_col.decode())
        max_row = int(last_row) if last_row else min_row
        max_col = _column_number(last_col.decode()) if last_col else min_col
        ranges.append((min_row, min_col, max_row, max_col))
    return data[: match.start()] + data[match.end() :], ranges


_FORMULA_TAG_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _formula_without_value(data: bytes) -> str | None:
    """A formula cell whose value Excel never saved reads as empty: find it, to refuse the sheet."""
    from defusedxml.ElementTree import iterparse

    if not _FORMULA_TAG_RE.search(data):
        return None
    try:
        for _event, element in iterparse(io.BytesIO(data), events=("end",)):
            if _local(element.tag) != "c":
                continue
            children = {_local(child.tag): child for child in element}
            value = children.get("v")
            # openpyxl and some generators save ``<v/>`` for "not computed"; an empty string result
            # is an empty value of a string-typed cell.
            no_value = value is None or (not value.text and element.get("t") not in ("str", "inlineStr"))
            if "f" in children and no_value:
                return element.get("r", "?")
            element.clear()
    except Exception as error:  # defusedxml's refusals and plain XML errors alike
        raise SourceError(not_readable_xlsx(error)) from None
    return None


def sheet_members(archive: zipfile.ZipFile, inflation: Inflation) -> dict[str, str]:
    """Map sheet titles to their XML parts through workbook.xml and its relationships."""
    from defusedxml import ElementTree

    try:
        workbook = ElementTree.fromstring(inflation.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(inflation.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    except Exception as error:  # defusedxml's refusals and plain XML errors alike
        raise SourceError(not_readable_xlsx(error)) from None
    targets: dict[str, str] = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id", "")] = target
    members: dict[str, str] = {}
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            if rid in targets:
                members[element.get("name", "")] = targets[rid]
    return members


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def split_ref(ref: str) -> tuple[int | None, int | None]:
    match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
    if match is None:
        return None, None
    return int(match.group(2)), _column_number(match.group(1))
