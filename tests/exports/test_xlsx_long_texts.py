"""A text longer than an Excel cell holds (32,767 characters) is never cut silently: the cell shows
its start and says where the rest is, and the sheet "Teks panjang" holds it whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.exports.long_texts import LongText
from renaksi.exports.meta import ExportMeta
from renaksi.exports.xlsx import write_plan_xlsx, write_rollup_xlsx

LIMIT = 32_767
SHEET = "Teks panjang"


def numbered(length: int, word: str = "kata") -> str:
    """A text of exactly ``length`` characters in which every position is told apart."""
    text, n = "", 0
    while len(text) < length:
        text += f"{word}{n} "
        n += 1
    return text[:length]


def excel_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


LONG_REMARK = numbered(100_000)
LONG_GOAL = numbered(40_000, "sasaran")
EMOJI = "🗳️" * 12_000  # astral characters count twice in Excel's limit: 36,000 units
JUST_FITS = numbered(LIMIT, "pas")


def long_plan() -> PlanTree:
    lines = [
        Line("Rapat", activity="Kegiatan", cost=1_000, cost_state=CostState.AMOUNT, remarks=LONG_REMARK),
        Line("Bimtek", activity="Kegiatan", cost=2_000, cost_state=CostState.AMOUNT, remarks=EMOJI),
        Line("Sosialisasi", activity="Kegiatan", cost=3_000, cost_state=CostState.AMOUNT, remarks=JUST_FITS),
    ]
    indicator = Indicator("Indikator", "1 Dokumen", lines=lines)
    return PlanTree(year=2024, goals=[Goal("1", LONG_GOAL, [ProgramGoal("Sasaran program", [indicator])])])


def cells_holding(sheet: Any, start: str) -> list[Any]:
    return [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(start)
    ]


def whole_text(book: openpyxl.Workbook, sheet_title: str, coordinate: str) -> str:
    """The continuation rows of one cell on the long-text sheet, joined in order."""
    rows = [row for row in book[SHEET].iter_rows(values_only=True) if row[:2] == (sheet_title, coordinate)]
    assert rows, f"no continuation for {sheet_title}!{coordinate}"
    return "".join(str(row[3]) for row in rows)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[LongText]]:
    target = tmp_path_factory.mktemp("long") / "plan.xlsx"
    found = write_plan_xlsx(long_plan(), target, ExportMeta("KPU Kota Gorontalo"))
    return target, found


def test_a_remark_longer_than_a_cell_shows_its_start_and_where_the_rest_is(exported) -> None:
    target, _found = exported
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    [cell] = cells_holding(sheet, LONG_REMARK[:100])
    assert excel_length(cell.value) <= LIMIT
    assert LONG_REMARK.startswith(cell.value[: cell.value.rindex(" … [")])
    assert SHEET in cell.value[-120:]  # the visible marker at the end names the sheet
    assert cell.comment is not None and SHEET in cell.comment.text


def test_the_long_text_sheet_holds_every_long_text_whole_in_cells_excel_accepts(exported) -> None:
    target, _found = exported
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[-1] == SHEET
    sheet = book.worksheets[0]
    for start, text in ((LONG_REMARK[:100], LONG_REMARK), (LONG_GOAL[:100], LONG_GOAL), (EMOJI[:50], EMOJI)):
        [cell] = cells_holding(sheet, start)
        assert whole_text(book, sheet.title, cell.coordinate) == text
    for row in book[SHEET].iter_rows(values_only=True):
        assert all(excel_length(str(value)) <= LIMIT for value in row if value is not None)


def test_a_text_that_fits_a_cell_is_written_whole_and_alone(exported) -> None:
    target, _found = exported
    book = openpyxl.load_workbook(target)
    [cell] = cells_holding(book.worksheets[0], JUST_FITS[:100])
    assert cell.value == JUST_FITS and cell.comment is None
    assert all(row[1] != cell.coordinate for row in book[SHEET].iter_rows(values_only=True))


def test_the_export_says_which_texts_it_continued(exported) -> None:
    _target, found = exported
    assert sorted(text.length for text in found) == sorted([len(LONG_REMARK), len(LONG_GOAL), len(EMOJI)])
    assert all(text.sheet == "KPU Kota Gorontalo" and text.cell for text in found)


def test_a_plan_without_long_texts_has_no_long_text_sheet(tmp_path: Path) -> None:
    tree = long_plan()
    tree.goals[0].text = "Sasaran"
    for line in tree.lines():
        line.remarks = "pendek"
    target = tmp_path / "plan.xlsx"
    assert not write_plan_xlsx(tree, target, ExportMeta("KPU"))
    assert openpyxl.load_workbook(target, read_only=True).sheetnames == ["KPU"]


def test_the_roll_up_continues_long_texts_of_every_plan_on_one_sheet(tmp_path: Path) -> None:
    target = tmp_path / "rekap.xlsx"
    found = write_rollup_xlsx(
        [(ExportMeta("KPU Boalemo"), long_plan()), (ExportMeta("KPU Pohuwato"), long_plan())], target
    )
    assert found is not None and len(found) == 8  # 3 on each plan sheet, a goal on the summary twice
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Ringkasan", "KPU Boalemo", "KPU Pohuwato", SHEET]
    for title in ("KPU Boalemo", "KPU Pohuwato"):
        [cell] = cells_holding(book[title], LONG_REMARK[:100])
        assert whole_text(book, title, cell.coordinate) == LONG_REMARK
    summary = book["Ringkasan"]
    [goal] = cells_holding(summary, "1. " + LONG_GOAL[:50])[:1]
    assert excel_length(goal.value) <= LIMIT and SHEET in goal.value[-120:]
