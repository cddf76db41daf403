"""A big plan's PDF is typeset in bounded parts and joined; it shows the same table as one document."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest

from renaksi.core.table import plan_totals, table_rows
from renaksi.exports import pdf, pdf_parts
from renaksi.exports.meta import ExportMeta, Signature
from renaksi.exports.pdf import plan_document, plan_pdf_bytes
from renaksi.exports.pdf_parts import PART_ROWS, split_document
from renaksi.imports.sample import random_plan

META = ExportMeta(
    "KPU Provinsi Gorontalo",
    Signature("Gorontalo", dt.date(2023, 1, 2), "Sekretaris KPU Provinsi Gorontalo", "Andi Pratama", "1970"),
)
LEAD = 7


def body_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for section in document["sections"] for row in section["rows"]]


def grid(document: dict[str, Any]) -> list[list[str | None]]:
    """The lead columns of a document's rows as a grid: a text where a cell starts, None under it.
    A cell continued from the part before is an empty text at the top of its part."""
    rows = body_rows(document)
    cells: list[list[str | None]] = [[None] * LEAD for _ in rows]
    covered = [0] * LEAD
    for index, row in enumerate(rows):
        starting = iter(row["lead"])
        for column in range(LEAD):
            if covered[column]:
                covered[column] -= 1
                continue
            text, span = next(starting)
            assert index + span <= len(rows), "a merged cell runs past the end of its part"
            cells[index][column] = str(text)
            covered[column] = span - 1
        assert next(starting, None) is None
    return cells


@pytest.fixture(scope="module")
def big() -> Any:
    return random_plan(7, 700, person_in_charge=True, headerless=True)


def test_no_part_of_a_plan_holds_more_rows_than_the_limit(big: Any) -> None:
    document = plan_document(big, META)
    parts = split_document(document, 100)
    assert len(parts) > 5
    assert all(len(body_rows(part)) <= 100 for part in parts)
    assert sum(len(body_rows(part)) for part in parts) == len(body_rows(document)) == len(table_rows(big))
    assert PART_ROWS <= 2_000  # about 250 kB of Typst memory a row


def test_the_parts_hold_the_same_cells_merged_cells_continue_empty_into_the_next_part(big: Any) -> None:
    document = plan_document(big, META)
    whole = grid(document)
    joined = [row for part in split_document(document, 100) for row in grid(part)]
    assert len(joined) == len(whole)
    for before, after in zip(whole, joined, strict=True):
        for cell, part_cell in zip(before, after, strict=True):
            assert part_cell == cell or (cell is None and part_cell == "")  # continued: empty, on top
    rows = [row for part in split_document(document, 100) for row in body_rows(part)]
    assert [(r["months"], r["tail"]) for r in rows] == [(r["months"], r["tail"]) for r in body_rows(document)]


def test_each_subtotal_once_the_title_first_and_the_grand_total_last(big: Any) -> None:
    document = plan_document(big, META)
    parts = split_document(document, 100)
    subtotals = [
        (section["subtotal_label"], section["subtotal"])
        for part in parts
        for section in part["sections"]
        if section.get("subtotal") is not None
    ]
    assert subtotals == [(s["subtotal_label"], s["subtotal"]) for s in document["sections"]]
    assert [part["title_block"] for part in parts] == [True] + [False] * (len(parts) - 1)
    assert [part["closing"] for part in parts] == [False] * (len(parts) - 1) + [True]
    assert {part["page_footer"] for part in parts} == {"none"}


def test_parts_are_cut_between_goals_where_that_keeps_them_half_full(big: Any) -> None:
    document = plan_document(big, META)
    for part in split_document(document, 100)[:-1]:
        rows = len(body_rows(part))
        ends_a_goal = part["sections"][-1].get("subtotal") is not None
        assert rows == 100 or (ends_a_goal and rows >= 50)


def test_a_plan_within_the_limit_is_one_document_as_before(big: Any) -> None:
    document = plan_document(big, META)
    assert split_document(document, 10_000) == [document]


def test_every_typst_compilation_lays_out_at_most_the_part_rows(
    big: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    typeset_for_real = pdf_parts.typeset_apart
    laid_out: list[int] = []

    def counting(document: dict[str, Any]) -> bytes:
        laid_out.append(len(body_rows(document)))
        return typeset_for_real(document)

    monkeypatch.setattr(pdf, "typeset_apart", counting)
    monkeypatch.setattr(pdf.typst, "compile", None)  # the exporting process typesets nothing itself
    plan_pdf_bytes(big, META, part_rows=150)
    assert len(laid_out) > 4 and max(laid_out) <= 150
    assert laid_out[-1] == 0  # the footers' pages, typeset apart


def test_a_part_that_cannot_be_typeset_fails_the_export_with_typst_s_reason() -> None:
    broken = {"sections": [], "page_footer": "only", "pages": "many"}
    with pytest.raises(pdf_parts.PartFailed, match="."):
        pdf_parts.typeset_apart(broken)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def joined() -> tuple[Any, bytes]:
    tree = random_plan(11, 160, person_in_charge=True, headerless=True)
    return tree, plan_pdf_bytes(tree, META, part_rows=60)


def test_the_joined_pdf_numbers_its_pages_and_shows_the_header_on_each(joined: tuple[Any, bytes]) -> None:
    _tree, data = joined
    pages = [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        assert "INDIKATOR KINERJA" in text and "PENANGGUNG JAWAB" in text
        assert text.endswith(f"Halaman {number} dari {len(pages)}")
    assert sum(page.count("JUMLAH TOTAL") for page in pages) == 1 and "JUMLAH TOTAL" in pages[-1]
    assert "NIP. 1970" in pages[-1]


def test_the_joined_pdf_shows_every_line_and_every_total_once(joined: tuple[Any, bytes]) -> None:
    tree, data = joined
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(flat(page.extract_text()) for page in reader.pages)
    squashed = re.sub(r"[\s\-]+", "", text)
    assert [line.name for line in tree.lines() if re.sub(r"[\s\-]+", "", line.name) not in squashed] == []
    totals = plan_totals(tree)
    assert text.count(f"JUMLAH TOTAL Rp {totals.grand_total:,}".replace(",", ".")) == 1
    for goal, total in totals.by_goal:
        label = (
            "Jumlah tanpa sasaran strategis"
            if goal.is_headerless
            else f"Jumlah Sasaran Strategis {goal.number}"
        )
        assert text.count(f"{label} Rp {total:,}".replace(",", ".")) == 1
    assert reader.metadata is not None and str(reader.metadata["/CreationDate"]).startswith("D:20230102")
    assert str(reader.metadata["/Title"]).startswith("RENCANA AKSI")


def test_the_joined_pdf_is_the_same_bytes_every_time(joined: tuple[Any, bytes]) -> None:
    tree, data = joined
    assert plan_pdf_bytes(tree, META, part_rows=60) == data


def test_the_default_limit_applies_to_a_plan_of_one_row_more() -> None:
    rows = [{"lead": [["", 1]] * LEAD, "months": [False] * 12, "tail": ["", "", ""]}] * (PART_ROWS + 1)
    document = {"sections": [{"rows": rows, "subtotal_label": "Jumlah", "subtotal": "Rp 0"}]}
    assert [len(body_rows(part)) for part in split_document(document)] == [PART_ROWS, 1]


PEAK_SCRIPT = """
import resource
from renaksi.exports.meta import ExportMeta
from renaksi.exports.pdf import plan_pdf_bytes
from renaksi.imports.sample import random_plan

plan_pdf_bytes(random_plan(3, {lines}), ExportMeta("KPU"), part_rows={part_rows})
with open("/proc/self/status", encoding="ascii") as status:
    own = next(int(entry.split()[1]) for entry in status if entry.startswith("VmHWM:")) // 1024
print(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc (Linux)")
def test_the_peak_memory_of_a_pdf_does_not_grow_with_the_number_of_parts() -> None:
    """Typst keeps a part's layout in its cache for 10 more compilations: typeset in the exporting
    process (or as one document), four times the lines take more than twice the memory; each part
    in a process of its own, the exporter's peak and the largest part's stay about the same."""
    peaks = []
    for lines in (300, 1_200):
        script = PEAK_SCRIPT.format(lines=lines, part_rows=150)
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
        )
        peaks.append([int(figure) for figure in done.stdout.split()[-2:]])
    (own_small, part_small), (own_big, part_big) = peaks
    assert own_big < own_small * 1.6 and part_big < part_small * 1.6, peaks
