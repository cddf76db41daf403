"""Long texts in the PDF: a row taller than a page continues on the next, never runs off the page
unseen; a text too long to print is cut with a visible marker; parts are bounded by text too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.exports.meta import ExportMeta
from renaksi.exports.pdf import PDF_CELL_CHARS, plan_document, plan_pdf_bytes
from renaksi.exports.pdf_parts import split_document

META = ExportMeta("KPU Kota Gorontalo")


def words(count: int) -> str:
    return " ".join(f"kata{n}" for n in range(count))


def plan_with_remarks(*remarks: str) -> PlanTree:
    lines = [
        Line(f"Rapat {n}", activity="Kegiatan", cost=1_000, cost_state=CostState.AMOUNT, remarks=text)
        for n, text in enumerate(remarks)
    ]
    indicator = Indicator("Indikator", "1 Dokumen", lines=lines)
    return PlanTree(year=2024, goals=[Goal("1", "Sasaran", [ProgramGoal("Sasaran program", [indicator])])])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_a_remark_taller_than_a_page_continues_on_the_next_pages_instead_of_running_off_one(
    tmp_path: Path,
) -> None:
    assert 10_000 < len(words(1_500)) < PDF_CELL_CHARS  # many pages of the KET column, printed whole
    source = tmp_path / "plan.pdf"
    source.write_bytes(plan_pdf_bytes(plan_with_remarks(words(1_500), "pendek"), META))
    # pdftotext prints what is on the pages: text pushed below a page's edge is not there.
    shown = subprocess.run(["pdftotext", source, "-"], capture_output=True, text=True, check=True, timeout=60)
    printed = set(shown.stdout.split())
    assert [word for word in words(1_500).split() if word not in printed] == []
    assert "pendek" in printed


def test_a_row_with_a_long_text_may_break_across_pages_and_the_others_may_not() -> None:
    document = plan_document(plan_with_remarks(words(1_500), "pendek"), META)
    rows = document["sections"][0]["rows"]
    assert [row.get("breakable", False) for row in rows] == [True, False]


def test_a_text_too_long_to_print_is_cut_with_a_marker_saying_where_it_is_whole() -> None:
    remark = words(30_000)  # about 260,000 characters
    document = plan_document(plan_with_remarks(remark), META)
    printed = document["sections"][0]["rows"][0]["tail"][2]
    assert remark.startswith(printed[:PDF_CELL_CHARS]) and len(printed) < PDF_CELL_CHARS + 200
    assert printed.endswith("]") and f"{len(remark):,}".replace(",", ".") in printed
    assert "XLSX" in printed and "JSON" in printed


def test_parts_are_bounded_by_the_characters_they_hold_as_well_as_by_rows() -> None:
    document = plan_document(plan_with_remarks(*[words(2_000)] * 30), META)  # 30 rows of ~17,000 characters
    parts = split_document(document, max_rows=1_000, max_chars=60_000)
    assert len(parts) > 5
    for part in parts:
        rows = [row for section in part["sections"] for row in section["rows"]]
        characters = sum(len(text) for row in rows for text in row["tail"])
        assert characters <= 60_000 or len(rows) == 1
