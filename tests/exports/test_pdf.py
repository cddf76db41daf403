"""The official table as a PDF (Typst, A4 landscape), read back with pypdf and poppler."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import shutil
import struct
import subprocess
from pathlib import Path
from typing import Any

import pypdf
import pytest
import typst

import renaksi
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.recognizer import recognize
from renaksi.core.table import plan_totals, table_rows
from renaksi.exports import pdf
from renaksi.exports.meta import ExportMeta, Signature
from renaksi.exports.pdf import plan_document, plan_pdf_bytes, render_plan_pdf
from renaksi.imports.readers import read_source
from renaksi.imports.sample import random_plan

SEED = Path(renaksi.__file__).parent / "seeds" / "kpu-prov-gorontalo-2023.txt"
SEED_PAGES = 4
HEADER_LABELS = ("SASARAN STRATEGIS", "INDIKATOR KINERJA", "Rencana Kegiatan", "PERKIRAAN BIAYA")
META = ExportMeta(
    agency_name="KPU Provinsi Gorontalo",
    signature=Signature(
        place="Gorontalo",
        date=dt.date(2023, 1, 2),
        title="Sekretaris KPU Provinsi Gorontalo",
        name="Andi Pratama, S.H.",
        nip="197001012000031001",
    ),
)
HOSTILE_TEXTS = (
    '#import "x"',
    '#import "@preview/cetz:0.3.0": *',
    "$x^2$",
    "*bold* _italic_",
    "<script>alert(1)</script>",
    "]",
    "\\",
    '#set page(height: 2cm) #read("/etc/passwd")',
    "@label // not a comment",
)


def squashed(text: str) -> str:
    """Text without whitespace or hyphens, so a line broken inside a cell still matches."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def line(name: str, cost: int | None = None, months: tuple[int, ...] = ()) -> Line:
    state = CostState.AMOUNT if cost is not None else CostState.NONE
    return Line(
        name=name, activity="Kegiatan", months=months, cost=cost, cost_state=state, budget_code="3358.EBC"
    )


def one_line_plan(text: str = "Rapat", months: tuple[int, ...] = ()) -> PlanTree:
    indicator = Indicator(text, "1 Dokumen", lines=[line(text, 1_000, months)])
    return PlanTree(year=2024, goals=[Goal("1", text, [ProgramGoal(text, [indicator])])])


@pytest.fixture(scope="module")
def seed_tree() -> PlanTree:
    tree, _report = recognize(read_source(SEED))
    return tree


@pytest.fixture(scope="module")
def seed_pdf(seed_tree: PlanTree) -> bytes:
    return plan_pdf_bytes(seed_tree, META)


@pytest.fixture(scope="module")
def seed_pages(seed_pdf: bytes) -> list[str]:
    return page_texts(seed_pdf)


def test_the_seed_pdf_holds_every_rencana_kegiatan(seed_tree: PlanTree, seed_pages: list[str]) -> None:
    text = squashed("".join(seed_pages))
    names = [line.name for line in seed_tree.lines()]
    assert len(names) == 45
    assert [name for name in names if squashed(name) not in text] == []


def test_the_seed_pdf_holds_every_goal_subtotal_and_the_grand_total(seed_tree, seed_pages) -> None:
    text = " ".join(" ".join(page.split()) for page in seed_pages)
    for label in ("Jumlah Sasaran Strategis 1 Rp 108.228.000", "Jumlah Sasaran Strategis 2 Rp 3.353.681.000"):
        assert label in text
    assert "Jumlah tanpa sasaran strategis Rp 30.760.000" in text
    assert "Jumlah Sasaran Strategis 6 Rp 401.797.000" in text
    assert "Jumlah Sasaran Strategis 7 Rp 6.166.352.000" in text
    assert "JUMLAH TOTAL Rp 10.060.818.000" in text


def test_every_line_amount_of_the_seed_is_printed_the_indonesian_way(seed_tree, seed_pages) -> None:
    text = " ".join(" ".join(page.split()) for page in seed_pages)
    amounts = [line.cost for line in seed_tree.lines() if line.cost is not None]
    assert len(amounts) == 37
    assert [a for a in amounts if f"Rp {a:,}".replace(",", ".") not in text] == []
    assert "3,083,386,000" not in text


def test_the_seed_pdf_has_four_pages_each_with_the_header_and_its_page_number(seed_pages) -> None:
    assert len(seed_pages) == SEED_PAGES
    for number, text in enumerate(seed_pages, 1):
        flat = " ".join(text.split())
        for label in HEADER_LABELS:
            assert label in flat, f"page {number} lacks the header label {label!r}"
        assert "RENCANA PELAKSANAAN KEGIATAN" in flat
        assert re.search(r"KET\s*1 2 3 4 5 6 7 8 9 10 11 12", flat), f"page {number} lacks the month numbers"
        assert flat.endswith(f"Halaman {number} dari {SEED_PAGES}")


def test_every_page_is_a4_landscape(seed_pdf: bytes) -> None:
    for page in pypdf.PdfReader(io.BytesIO(seed_pdf)).pages:
        assert float(page.mediabox.width) == pytest.approx(842, abs=1)
        assert float(page.mediabox.height) == pytest.approx(595, abs=1)
        assert page.rotation == 0


def test_page_one_opens_with_the_title_block(seed_pages) -> None:
    lines = seed_pages[0].splitlines()
    assert lines[:3] == ["RENCANA AKSI TAHUN 2023", "SEKRETARIS", "KOMISI PEMILIHAN UMUM PROVINSI GORONTALO"]
    assert "RENCANA AKSI TAHUN 2023" not in seed_pages[1].splitlines()[:3]


def test_the_signature_block_closes_the_last_page_with_an_indonesian_date(seed_pages) -> None:
    last = " ".join(seed_pages[-1].split())
    block = "Gorontalo, 2 Januari 2023 Sekretaris KPU Provinsi Gorontalo Andi Pratama, S.H. NIP. 197001012000031001"
    assert block in last
    assert last.index("JUMLAH TOTAL") < last.index(block)
    assert "Januari" not in " ".join(seed_pages[:-1])


def test_a_plan_without_signer_prints_no_signature_block() -> None:
    text = " ".join(page_texts(plan_pdf_bytes(one_line_plan(), ExportMeta("KPU Kota Gorontalo"))))
    assert "NIP" not in text
    assert "JUMLAH TOTAL" in text


def test_merged_cells_cover_exactly_the_rows_table_rows_spans(seed_tree: PlanTree) -> None:
    document = plan_document(seed_tree, META)
    rows = [row for section in document["sections"] for row in section["rows"]]
    expected = table_rows(seed_tree)
    assert len(rows) == len(expected) == 47
    for section in document["sections"]:
        # NO, SASARAN STRATEGIS, SASARAN PROGRAM, INDIKATOR, TARGET, KEGIATAN, Rencana Kegiatan
        covered = sum(span for row in section["rows"] for _text, span in row["lead"])
        assert covered == 7 * len(section["rows"])
    first = rows[0]["lead"]
    assert first[:2] == [["1", 8], [expected[0].goal.text, 8]]
    assert [span for _text, span in first] == [8, 8, 2, 1, 1, 2, 1]
    assert [row["months"] for row in rows] == [list(row.months) for row in expected]


def test_plan_text_with_markup_or_script_prints_literally() -> None:
    indicators = [Indicator(text, text, lines=[line(text, 5_000)]) for text in HOSTILE_TEXTS]
    tree = PlanTree(
        year=2024,
        title=HOSTILE_TEXTS[0],
        signing_unit="<b>KETUA</b>",
        goals=[Goal("1", HOSTILE_TEXTS[4], [ProgramGoal(HOSTILE_TEXTS[2], indicators)])],
    )
    meta = ExportMeta("<i>KPU</i>", Signature(title="$Ketua$", name="*Nama*", nip="#1"))
    pages = page_texts(plan_pdf_bytes(tree, meta))
    text = " ".join(" ".join(page.split()) for page in pages)
    for hostile in (*HOSTILE_TEXTS, "<b>KETUA</b>", "$Ketua$", "*Nama*", "NIP. #1"):
        assert hostile in text
    assert all(page.startswith(HOSTILE_TEXTS[0]) is (number == 0) for number, page in enumerate(pages))
    assert len(pages) == 1  # "#set page(height: 2cm)" did not apply


def test_the_template_uses_only_bundled_assets() -> None:
    template = pdf.TEMPLATE.read_text(encoding="utf-8")
    for reach_out in ("#import", "#include", "read(", "image(", "plugin(", "@preview", "http"):
        assert reach_out not in template
    data, warnings = typst.compile_with_warnings(
        pdf.TEMPLATE,
        root=pdf.TEMPLATE.parent,
        format="pdf",
        sys_inputs={"plan": json.dumps(plan_document(one_line_plan(), META))},
        ignore_system_fonts=True,
    )
    assert warnings == []  # a missing font would warn and fall back to whatever the machine has
    fonts = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("LibertinusSerif") for name in fonts), fonts


def test_rendering_twice_gives_the_same_bytes(seed_tree: PlanTree, seed_pdf: bytes) -> None:
    assert plan_pdf_bytes(seed_tree, META) == seed_pdf
    undated = ExportMeta("KPU Provinsi Gorontalo")
    assert plan_pdf_bytes(seed_tree, undated) == plan_pdf_bytes(seed_tree, undated)


def test_the_document_date_is_the_signing_date_not_the_clock(seed_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(seed_pdf))
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]).startswith("D:20230102")
    undated = pypdf.PdfReader(io.BytesIO(plan_pdf_bytes(one_line_plan(), ExportMeta("KPU"))))
    assert "/CreationDate" not in (undated.metadata or {})


def test_render_writes_the_pdf_to_the_target(tmp_path: Path, seed_tree: PlanTree, seed_pdf: bytes) -> None:
    target = tmp_path / "renaksi.pdf"
    render_plan_pdf(seed_tree, target, META)
    assert target.read_bytes() == seed_pdf
    assert [p.name for p in tmp_path.iterdir()] == ["renaksi.pdf"]


def test_a_crash_mid_render_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf.typst, "compile", crash)
    with pytest.raises(KeyboardInterrupt):
        render_plan_pdf(one_line_plan(), tmp_path / "renaksi.pdf", META)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_no_partial_file_and_keeps_the_previous_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "renaksi.pdf"
    target.write_bytes(b"the previous export")

    def disk_full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        render_plan_pdf(one_line_plan(), target, META)
    assert [p.name for p in tmp_path.iterdir()] == ["renaksi.pdf"]
    assert target.read_bytes() == b"the previous export"


def test_a_generated_plan_prints_its_totals_and_the_person_in_charge_column() -> None:
    tree = random_plan(11, 60, person_in_charge=True, headerless=True)
    totals = plan_totals(tree)
    pages = page_texts(plan_pdf_bytes(tree, META))
    text = " ".join(" ".join(page.split()) for page in pages)
    assert all("PENANGGUNG JAWAB" in " ".join(page.split()) for page in pages)
    assert f"JUMLAH TOTAL Rp {totals.grand_total:,}".replace(",", ".") in text
    for goal, total in totals.by_goal:
        label = (
            "Jumlah tanpa sasaran strategis"
            if goal.is_headerless
            else f"Jumlah Sasaran Strategis {goal.number}"
        )
        assert f"{label} Rp {total:,}".replace(",", ".") in text
    assert len(pages) > 1
    assert all(
        " ".join(page.split()).endswith(f"Halaman {n} dari {len(pages)}") for n, page in enumerate(pages, 1)
    )


def test_an_empty_plan_still_prints_the_header_and_a_zero_total() -> None:
    text = " ".join(page_texts(plan_pdf_bytes(PlanTree(), ExportMeta("KPU Provinsi Gorontalo"))))
    assert "INDIKATOR KINERJA" in text
    assert "JUMLAH TOTAL Rp 0" in " ".join(text.split())


pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed"
)


@pdftoppm
def test_page_one_of_the_seed_renders_to_a_landscape_png(tmp_path: Path, seed_pdf: bytes) -> None:
    source = tmp_path / "seed.pdf"
    source.write_bytes(seed_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", source, tmp_path / "page"],
        check=True,
        timeout=60,
    )
    png = (tmp_path / "page.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width > height
    assert (width, height) == (pytest.approx(585, abs=1), pytest.approx(413, abs=1))  # 297 × 210 mm at 50 dpi


def grey_pixels(tmp_path: Path, data: bytes) -> int:
    """Pixels of page 1 in the shade of a scheduled month (rendered in greyscale)."""
    source = tmp_path / "plan.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", "-singlefile", source, tmp_path / "page"],
        check=True,
        timeout=60,
    )
    image = (tmp_path / "page.pgm").read_bytes()
    magic, width, height, depth, pixels = image.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    return sum(1 for value in pixels[: int(width) * int(height)] if 110 <= value <= 150)


@pdftoppm
def test_scheduled_months_are_shaded(tmp_path: Path) -> None:
    unscheduled = grey_pixels(tmp_path, plan_pdf_bytes(one_line_plan(), META))
    three_months = grey_pixels(tmp_path, plan_pdf_bytes(one_line_plan(months=(1, 2, 3)), META))
    all_year = grey_pixels(tmp_path, plan_pdf_bytes(one_line_plan(months=tuple(range(1, 13))), META))
    assert unscheduled < three_months < all_year
    assert all_year - unscheduled == pytest.approx(4 * (three_months - unscheduled), rel=0.2)
