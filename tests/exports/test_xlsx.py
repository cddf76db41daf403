"""The XLSX export read back with openpyxl: layout, figures, print setup, safety and round trips."""

from __future__ import annotations

import datetime as dt
import errno
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter.worksheet
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import column_index_from_string, get_column_letter

from renaksi.core import canonical
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.recognizer import recognize
from renaksi.core.table import plan_totals, table_rows
from renaksi.exports.meta import ExportMeta, Signature
from renaksi.exports.xlsx import sheet_title, write_plan_xlsx, write_rollup_xlsx
from renaksi.imports.readers import read_source, read_xlsx
from renaksi.imports.sample import random_plan

SEED = Path(__file__).resolve().parents[2] / "src" / "renaksi" / "seeds" / "kpu-prov-gorontalo-2023.txt"
SIGNATURE = Signature(
    place="Gorontalo",
    date=dt.date(2023, 1, 2),
    title="Sekretaris KPU Provinsi Gorontalo",
    name="Budi Santoso, S.H.",
    nip="19750101 200012 1 001",
)
META = ExportMeta("KPU Provinsi Gorontalo", SIGNATURE)
TOTAL_LABEL = re.compile(r"^(Jumlah Sasaran Strategis \S+|Jumlah tanpa sasaran strategis|JUMLAH TOTAL)$")
MONTH_COLUMNS = range(column_index_from_string("H"), column_index_from_string("S") + 1)
COST, CODE = column_index_from_string("T"), column_index_from_string("U")
SPAN_COLUMNS = {"goal_span": "AB", "program_goal_span": "C", "indicator_span": "DE", "activity_span": "F"}


# -- helpers ------------------------------------------------------------------------------------------


def seed_tree() -> PlanTree:
    tree, _report = recognize(read_source(SEED))
    return tree


def comparable(tree: PlanTree) -> str:
    """Canonical JSON with the review notes blanked: their wording says how a reader was told,
    which two readings may put differently."""
    for program_goal in tree.program_goals():
        program_goal.review_note = ""
    return canonical.dumps(tree)


def load(path: Path, *, values: bool = True) -> Any:
    return openpyxl.load_workbook(path, data_only=values)


def data_rows(sheet: Any) -> list[int]:
    """Sheet rows of the plan rows, in printed order: between the header and the grand total,
    leaving out total rows and repeated headers."""
    rows: list[int] = []
    row = int(re.sub(r"\D", "", sheet.freeze_panes))
    while sheet.cell(row, 7).value != "JUMLAH TOTAL":
        if sheet.cell(row, 1).value == "NO":
            row += 2  # a repeated header
            continue
        if not TOTAL_LABEL.match(str(sheet.cell(row, 7).value or "")):
            rows.append(row)
        row += 1
    return rows


def total_rows(sheet: Any) -> list[tuple[str, Any]]:
    return [
        (str(sheet.cell(row, 7).value), sheet.cell(row, COST).value)
        for row in range(1, sheet.max_row + 1)
        if TOTAL_LABEL.match(str(sheet.cell(row, 7).value or ""))
    ]


def shaded(cell: Any) -> bool:
    return cell.fill.fill_type == "solid"


@pytest.fixture(scope="module")
def seed_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanTree, Path]:
    tree = seed_tree()
    path = tmp_path_factory.mktemp("seed") / "seed.xlsx"
    write_plan_xlsx(tree, path, META)
    return tree, path


@pytest.fixture(scope="module")
def seed_sheet(seed_export: tuple[PlanTree, Path]) -> Any:
    return load(seed_export[1]).active


# -- the layout ---------------------------------------------------------------------------------------


def test_the_sheet_is_named_after_the_agency(seed_sheet: Any) -> None:
    assert seed_sheet.title == "KPU Provinsi Gorontalo"


def test_the_title_block_holds_the_title_the_signing_unit_and_the_agency_across_the_table(
    seed_sheet: Any,
) -> None:
    assert [seed_sheet.cell(row, 1).value for row in (1, 2, 3)] == [
        "RENCANA AKSI TAHUN 2023",
        "SEKRETARIS",
        "KOMISI PEMILIHAN UMUM PROVINSI GORONTALO",
    ]
    merged = {str(r) for r in seed_sheet.merged_cells.ranges}
    assert {"A1:V1", "A2:V2", "A3:V3"} <= merged


def test_the_header_puts_the_twelve_months_under_rencana_pelaksanaan_kegiatan(seed_sheet: Any) -> None:
    assert [seed_sheet.cell(5, column).value for column in range(1, 9)] == [
        "NO",
        "SASARAN STRATEGIS",
        "SASARAN PROGRAM",
        "INDIKATOR KINERJA",
        "TARGET",
        "KEGIATAN",
        "Rencana Kegiatan",
        "RENCANA PELAKSANAAN KEGIATAN",
    ]
    assert [seed_sheet.cell(6, column).value for column in MONTH_COLUMNS] == list(range(1, 13))
    assert [seed_sheet.cell(5, column).value for column in (COST, CODE, CODE + 1)] == [
        "PERKIRAAN BIAYA",
        "AKUN",
        "KET",
    ]
    merged = {str(r) for r in seed_sheet.merged_cells.ranges}
    assert "H5:S5" in merged
    assert {f"{column}5:{column}6" for column in "ABCDEFGTUV"} <= merged


def test_goals_program_goals_indicators_and_activities_are_merged_over_the_rows_they_span(
    seed_export: tuple[PlanTree, Path], seed_sheet: Any
) -> None:
    tree, _path = seed_export
    rows = table_rows(tree)
    sheet_rows = data_rows(seed_sheet)
    assert len(sheet_rows) == len(rows)
    expected = set()
    for row, sheet_row in zip(rows, sheet_rows, strict=True):
        for attribute, columns in SPAN_COLUMNS.items():
            span = getattr(row, attribute)
            if span > 1:
                last = sheet_rows[row.index + span - 1]
                expected |= {f"{column}{sheet_row}:{column}{last}" for column in columns}
    first = sheet_rows[0]
    header_rows = {row for row in range(first, seed_sheet.max_row) if seed_sheet.cell(row, 1).value == "NO"}
    merged = {
        str(r)
        for r in seed_sheet.merged_cells.ranges
        if r.min_row >= first and r.max_row > r.min_row and r.min_row not in header_rows
    }
    assert merged == expected
    assert len(expected) > 40  # the seed has many: this is not a vacuous comparison


def test_merged_cells_show_their_text_once_at_the_top(
    seed_export: tuple[PlanTree, Path], seed_sheet: Any
) -> None:
    tree, _path = seed_export
    for row, sheet_row in zip(table_rows(tree), data_rows(seed_sheet), strict=True):
        goal_number = seed_sheet.cell(sheet_row, 1).value
        if row.goal_span and row.goal.number is not None:
            assert goal_number == f"{row.goal.number}."
            assert seed_sheet.cell(sheet_row, 2).value == row.goal.text
        else:
            assert goal_number is None
        expected_indicator = row.indicator.text if row.indicator_span else None
        assert seed_sheet.cell(sheet_row, 4).value == (expected_indicator or None)
        assert seed_sheet.cell(sheet_row, 7).value == (row.line.name if row.line else None)


def test_a_goal_printed_without_its_header_comes_after_a_repeated_header(seed_sheet: Any) -> None:
    labels = [label for label, _amount in total_rows(seed_sheet)]
    headerless = next(
        row for row in range(1, seed_sheet.max_row) if seed_sheet.cell(row, 7).value == labels[2]
    )
    header = [row for row in range(7, headerless) if seed_sheet.cell(row, 1).value == "NO"]
    assert header, "no repeated header before the goal without a header"
    assert seed_sheet.cell(header[-1] + 2, 1).value is None  # its rows have no goal number
    assert (
        seed_sheet.cell(header[-1] + 2, 3).value == "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum"
    )


def test_scheduled_months_and_only_those_are_shaded(tmp_path: Path) -> None:
    tree = random_plan(11, 60, title=True)
    assert any(line.months for line in tree.lines()) and any(not line.months for line in tree.lines())
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(tree, path, ExportMeta("KPU Kabupaten Boalemo"))
    sheet = load(path).active
    rows = table_rows(tree)
    for row, sheet_row in zip(rows, data_rows(sheet), strict=True):
        assert row.line is not None
        fills = {
            column - MONTH_COLUMNS[0] + 1 for column in MONTH_COLUMNS if shaded(sheet.cell(sheet_row, column))
        }
        assert fills == set(row.line.months), f"row {sheet_row}"
        assert all(sheet.cell(sheet_row, column).value is None for column in MONTH_COLUMNS)


def test_the_table_has_a_grid_from_the_header_to_the_grand_total(seed_sheet: Any) -> None:
    ranges = [(str(block.sqref), rule) for block in seed_sheet.conditional_formatting for rule in block.rules]
    assert len(ranges) == 1
    cells, rule = ranges[0]
    header_row = int(re.sub(r"\D", "", seed_sheet.freeze_panes)) - 2
    grand_total_row = next(
        row for row in range(1, seed_sheet.max_row + 1) if seed_sheet.cell(row, 7).value == "JUMLAH TOTAL"
    )
    assert cells == f"A{header_row}:{get_column_letter(CODE + 1)}{grand_total_row}"  # NO to KET
    assert rule.type == "expression" and rule.formula == ["TRUE"]
    border = rule.dxf.border
    assert {side.style for side in (border.left, border.right, border.top, border.bottom)} == {"thin"}


def test_rows_are_tall_enough_for_their_wrapped_text(
    seed_export: tuple[PlanTree, Path], seed_sheet: Any
) -> None:
    tree, _path = seed_export
    rows = table_rows(tree)
    sheet_rows = data_rows(seed_sheet)
    heights = [seed_sheet.row_dimensions[row].height or 15.0 for row in sheet_rows]
    by_row = dict(zip((row.index for row in rows), heights, strict=True))
    # A one-line row keeps the default height; the longest indicator (five lines of a 28-wide
    # column) gets room for five lines.
    assert min(heights) == 15.0
    longest = max(rows, key=lambda row: len(row.indicator.text) if row.indicator_span == 1 else 0)
    assert len(longest.indicator.text) > 4 * 32
    assert by_row[longest.index] >= 5 * 11.5


def test_a_long_text_merged_over_rows_gets_room_in_the_rows_it_covers(tmp_path: Path) -> None:
    tree = random_plan(5, 6)
    goal = tree.goals[0]
    goal.text = "Meningkatnya kualitas tata kelola dan pelayanan publik " * 5  # 275 characters
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(tree, path, META)
    sheet = load(path).active
    rows = table_rows(tree)
    first = rows[0]
    assert first.goal is goal and first.goal_span > 1
    sheet_rows = data_rows(sheet)[: first.goal_span]
    covered = sum(sheet.row_dimensions[row].height or 15.0 for row in sheet_rows)
    # 275 characters in a 22-wide column: about 11 lines of 11.5 points.
    assert covered >= (len(goal.text) // 25) * 11.5


def test_every_amount_of_the_seed_is_a_number_in_rupiah_format_equal_to_the_line_cost(
    seed_export: tuple[PlanTree, Path], seed_sheet: Any
) -> None:
    tree, _path = seed_export
    kinds = {state: 0 for state in CostState}
    for row, sheet_row in zip(table_rows(tree), data_rows(seed_sheet), strict=True):
        cost, code = seed_sheet.cell(sheet_row, COST), seed_sheet.cell(sheet_row, CODE)
        line = row.line
        if line is None:
            assert cost.value is None and code.value is None
            continue
        kinds[line.cost_state] += 1
        if line.cost_state is CostState.AMOUNT:
            assert cost.value == line.cost and isinstance(cost.value, int)
            assert cost.data_type == "n" and "Rp" in cost.number_format
        elif line.cost_state is CostState.NONE:
            assert cost.value == "-"
        else:
            assert cost.value is None
        assert code.value == (line.budget_code or ("-" if line.cost_state is CostState.NONE else None))
    assert kinds == {CostState.AMOUNT: 37, CostState.NONE: 7, CostState.ABSENT: 1}


def test_the_seed_subtotals_per_goal_and_the_grand_total_are_the_golden_figures(seed_sheet: Any) -> None:
    assert total_rows(seed_sheet) == [
        ("Jumlah Sasaran Strategis 1", 108_228_000),
        ("Jumlah Sasaran Strategis 2", 3_353_681_000),
        ("Jumlah tanpa sasaran strategis", 30_760_000),
        ("Jumlah Sasaran Strategis 6", 401_797_000),
        ("Jumlah Sasaran Strategis 7", 6_166_352_000),
        ("JUMLAH TOTAL", 10_060_818_000),
    ]
    for _label, amount in total_rows(seed_sheet):
        assert isinstance(amount, int)


def test_the_total_formulas_add_up_to_the_values_saved_with_them(seed_export: tuple[PlanTree, Path]) -> None:
    path = seed_export[1]
    formulas, values = load(path, values=False).active, load(path).active
    checked = 0
    for row in range(1, formulas.max_row + 1):
        cell = formulas.cell(row, COST)
        if cell.data_type != "f":
            continue
        match = re.fullmatch(r"=SUM\((.+)\)", cell.value)
        assert match, cell.value
        total = 0
        for part in match.group(1).split(","):
            for line in values[part] if ":" in part else ((values[part],),):
                total += sum(c.value for c in line if isinstance(c.value, int))
        assert total == values.cell(row, COST).value
        checked += 1
    assert checked == 6


def test_without_formulas_the_totals_are_plain_numbers(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(seed_tree(), path, META, formulas=False)
    sheet = load(path, values=False).active
    totals = total_rows(sheet)
    assert totals[-1] == ("JUMLAH TOTAL", 10_060_818_000)
    assert all(isinstance(amount, int) for _label, amount in totals)


def test_the_page_is_a4_landscape_one_page_wide_with_the_header_repeated_and_frozen(seed_sheet: Any) -> None:
    setup = seed_sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9
    assert seed_sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth in (None, 1)  # 1 is the default and may be left out
    assert int(setup.fitToHeight) == 0
    assert seed_sheet.print_title_rows == "$5:$6"
    assert seed_sheet.freeze_panes == "A7"
    assert "&P" in seed_sheet.oddFooter.center.text and "&N" in seed_sheet.oddFooter.center.text


def test_the_signature_block_gives_place_and_indonesian_date_title_name_and_nip(seed_sheet: Any) -> None:
    grand_total = next(
        row for row in range(1, seed_sheet.max_row + 1) if seed_sheet.cell(row, 7).value == "JUMLAH TOTAL"
    )
    below = [
        (row, cell.column, cell.value)
        for row in range(grand_total + 1, seed_sheet.max_row + 1)
        for cell in seed_sheet[row]
        if cell.value is not None
    ]
    assert [text for _row, _column, text in below] == [
        "Gorontalo, 2 Januari 2023",
        "Sekretaris KPU Provinsi Gorontalo",
        "Budi Santoso, S.H.",
        "NIP. 19750101 200012 1 001",
    ]
    assert all(column > MONTH_COLUMNS[0] for _row, column, _text in below)  # the right part of the page
    title_row, name_row = below[1][0], below[2][0]
    assert name_row - title_row >= 3  # room to sign


def test_the_signature_date_names_the_month_in_indonesian(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    meta = ExportMeta("KPU Kabupaten Pohuwato", Signature(place="Marisa", date=dt.date(2024, 8, 17)))
    write_plan_xlsx(random_plan(3, 5), path, meta)
    sheet = load(path).active
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "Marisa, 17 Agustus 2024" in texts


def test_a_person_in_charge_column_appears_when_a_line_has_one(tmp_path: Path) -> None:
    tree = random_plan(5, 20, person_in_charge=True)
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(tree, path, META)
    sheet = load(path).active
    header = next(row for row in range(1, 10) if sheet.cell(row, 1).value == "NO")
    assert sheet.cell(header, CODE + 2).value == "PENANGGUNG JAWAB"
    people = [sheet.cell(row, CODE + 2).value for row in data_rows(sheet)]
    assert people == [(row.line.person_in_charge or None) if row.line else None for row in table_rows(tree)]


# -- safety -----------------------------------------------------------------------------------------

HOSTILE = ["=1+1", "+62", "-x", "@A1", "\tTab", '=HYPERLINK("http://example.com","klik")', "-5", "+1"]


def hostile_plan() -> PlanTree:
    lines = [
        Line(
            name=text,
            activity="@SUM(A1)",
            cost=1000,
            cost_state=CostState.AMOUNT,
            remarks=text,
            person_in_charge=text,
        )
        for text in HOSTILE
    ]
    lines.append(Line(name="\rCarriage", activity="@SUM(A1)", cost=None, cost_state=CostState.NONE))
    indicator = Indicator("=2*3", "-10%", activities=["@SUM(A1)"], lines=lines)
    return PlanTree(
        year=2023,
        title="RENCANA AKSI TAHUN 2023",
        signing_unit="=cmd|' /C calc'!A0",
        goals=[Goal("1", "+Goal", [ProgramGoal("-Program", [indicator])])],
    )


def test_text_that_looks_like_a_formula_is_written_as_text_and_numbers_stay_numbers(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(
        hostile_plan(), path, ExportMeta("=cmd|' /C calc'!A0", Signature(name="=Nama", nip="+62"))
    )
    sheet = load(path, values=False).active
    texts: dict[str, str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                # the only formulas are the totals' SUMs, under PERKIRAAN BIAYA on a total row
                assert cell.column == COST and cell.value.startswith("=SUM(")
                assert TOTAL_LABEL.match(sheet.cell(cell.row, 7).value)
            elif isinstance(cell.value, str):
                assert cell.data_type == "s"
                texts[cell.value] = cell.coordinate
            elif cell.value is not None:
                assert cell.data_type == "n"
    for text in [
        *HOSTILE,
        "=2*3",
        "-10%",
        "@SUM(A1)",
        "+Goal",
        "-Program",
        "=cmd|' /C calc'!A0",
        "=Nama",
        "NIP. +62",
    ]:
        assert text in texts, text
    assert "\nCarriage" in texts  # a carriage return is kept as a line break, in a text cell
    amounts = [sheet.cell(row, COST).value for row in data_rows(sheet)]
    assert amounts[: len(HOSTILE)] == [1000] * len(HOSTILE)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r"<f>(.*?)</f>", xml) and all(
        f.startswith("SUM(") for f in re.findall(r"<f>(.*?)</f>", xml)
    )


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where temporary files go during the test, to check that none is left."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder: Path, scratch: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p != scratch) + sorted(
        p.name for p in scratch.iterdir()
    )


def test_an_export_that_fails_while_writing_rows_leaves_no_file_behind(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = xlsxwriter.worksheet.Worksheet.write_number
    calls = iter(range(10**6))

    def failing(self: Any, *args: Any, **kwargs: Any) -> Any:
        if next(calls) == 30:
            raise RuntimeError("the process died half-way")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_number", failing)
    target = tmp_path / "plan.xlsx"
    with pytest.raises(RuntimeError):
        write_plan_xlsx(seed_tree(), target, META)
    assert not target.exists()
    assert leftovers(tmp_path, scratch) == []


def test_a_disk_that_fills_up_while_the_file_is_zipped_leaves_no_file_behind(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = zipfile.ZipFile.write
    calls = iter(range(10**6))

    def disk_full(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
        if next(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "write", disk_full)
    target = tmp_path / "rollup.xlsx"
    with pytest.raises(Exception, match="No space left"):
        write_rollup_xlsx(
            [(META, seed_tree()), (ExportMeta("KPU Kota Gorontalo"), random_plan(1, 30))], target
        )
    assert not target.exists()
    assert leftovers(tmp_path, scratch) == []


def test_a_failed_export_keeps_the_previous_file(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.xlsx"
    write_plan_xlsx(random_plan(2, 10), target, META)
    before = target.read_bytes()

    def failing(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_string", failing)
    with pytest.raises(OSError):
        write_plan_xlsx(seed_tree(), target, META)
    assert target.read_bytes() == before
    assert leftovers(tmp_path, scratch) == ["plan.xlsx"]


# -- round trips ------------------------------------------------------------------------------------


def read_back(path: Path, sheet: str | None = None) -> tuple[PlanTree, Any]:
    grid = read_source(path) if sheet is None else read_xlsx(path, sheet=sheet)
    return recognize(grid)


def test_the_seed_exported_and_imported_again_is_the_same_plan(seed_export: tuple[PlanTree, Path]) -> None:
    _tree, path = seed_export
    imported, report = read_back(path)
    assert comparable(imported) == comparable(seed_tree())
    assert report.lost_cells == 0
    # what lies below the grand total is the signature block: read into the signature, not plan rows
    assert report.unplaced == []
    assert report.signature == {
        "place": "Gorontalo",
        "date": "2023-01-02",
        "title": "Sekretaris KPU Provinsi Gorontalo",
        "name": "Budi Santoso, S.H.",
        "nip": "197501012000121001",
    }


def plans() -> st.SearchStrategy[PlanTree]:
    maybe = st.none() | st.booleans()
    return st.builds(
        random_plan,
        st.integers(0, 2**32 - 1),
        st.integers(1, 40),
        headerless=maybe,
        person_in_charge=maybe,
        title=maybe,
    )


@settings(max_examples=30, deadline=None)
@given(plans(), st.booleans())
def test_a_generated_plan_exported_and_imported_again_is_the_same_plan(
    tree: PlanTree, formulas: bool
) -> None:
    expected = comparable(tree)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        write_plan_xlsx(tree, path, META, formulas=formulas)
        imported, report = read_back(path)
    assert comparable(imported) == expected, f"judgements: {report.judgements}"
    assert report.lost_cells == 0


# -- the roll-up ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rollup(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[ExportMeta, PlanTree]], Path]:
    plans = [
        (META, seed_tree()),
        (ExportMeta("KOMISI PEMILIHAN UMUM KABUPATEN GORONTALO UTARA"), random_plan(21, 30, headerless=True)),
        (ExportMeta("KOMISI PEMILIHAN UMUM KABUPATEN GORONTALO UTARA"), random_plan(22, 12)),
        (ExportMeta("KPU Kab. Boalemo [lama]: arsip?"), random_plan(23, 8, person_in_charge=True)),
    ]
    path = tmp_path_factory.mktemp("rollup") / "rollup.xlsx"
    write_rollup_xlsx(plans, path)
    return plans, path


def summary_sections(sheet: Any) -> Iterator[tuple[str, list[tuple[Any, Any, Any]]]]:
    """(heading, rows up to and including the JUMLAH TOTAL row) for each section of Ringkasan."""
    row = 1
    while row <= sheet.max_row:
        heading = sheet.cell(row, 1).value
        if isinstance(heading, str) and re.match(r"^[ABC]\. ", heading):
            rows = []
            row += 2  # the heading, then the column header
            while True:
                values = tuple(sheet.cell(row, column).value for column in (1, 2, 3))
                rows.append(values)
                row += 1
                if values[0] == "JUMLAH TOTAL":
                    break
            yield heading, rows
        else:
            row += 1


def test_the_rollup_has_the_summary_first_then_one_sheet_per_plan_with_unique_short_names(
    rollup: tuple[list[tuple[ExportMeta, PlanTree]], Path],
) -> None:
    plans, path = rollup
    names = load(path).sheetnames
    assert names[0] == "Ringkasan"
    assert names[1:] == [
        "KPU Provinsi Gorontalo",
        "KPU KABUPATEN GORONTALO UTARA",
        "KPU KABUPATEN GORONTALO UTA (2)",
        "KPU Kab. Boalemo lama arsip",
    ]
    assert len(names) == len(plans) + 1
    assert len({name.casefold() for name in names}) == len(names)
    assert all(len(name) <= 31 for name in names)


def test_each_agency_sheet_of_the_rollup_totals_its_plan_and_imports_as_that_plan(
    rollup: tuple[list[tuple[ExportMeta, PlanTree]], Path],
) -> None:
    plans, path = rollup
    workbook = load(path)
    for name, (_meta, tree) in zip(workbook.sheetnames[1:], plans, strict=True):
        assert total_rows(workbook[name])[-1] == ("JUMLAH TOTAL", plan_totals(tree).grand_total)
        imported, report = read_back(path, sheet=name)
        assert comparable(imported) == comparable(tree)
        assert report.lost_cells == 0


def test_importing_the_rollup_reads_the_first_agency_not_the_summary(
    rollup: tuple[list[tuple[ExportMeta, PlanTree]], Path],
) -> None:
    plans, path = rollup
    imported, _report = read_back(path)
    assert comparable(imported) == comparable(plans[0][1])


def test_the_rollup_summary_sums_by_agency_by_goal_and_by_budget_code(
    rollup: tuple[list[tuple[ExportMeta, PlanTree]], Path],
) -> None:
    plans, path = rollup
    sections = dict(summary_sections(load(path)["Ringkasan"]))
    assert len(sections) == 3
    totals = [plan_totals(tree) for _meta, tree in plans]
    grand_total = sum(total.grand_total for total in totals)
    by_agency, by_goal, by_code = (sections[key] for key in sorted(sections))

    assert by_agency == [
        *[
            (meta.agency_name, total.lines, total.grand_total)
            for (meta, _tree), total in zip(plans, totals, strict=True)
        ],
        ("JUMLAH TOTAL", sum(total.lines for total in totals), grand_total),
    ]
    expected_goals = []
    for (meta, _tree), total in zip(plans, totals, strict=True):
        for goal, amount in total.by_goal:
            label = "(tanpa sasaran strategis)" if goal.number is None else f"{goal.number}. {goal.text}"
            expected_goals.append((meta.agency_name, label, amount))
    assert by_goal == [*expected_goals, ("JUMLAH TOTAL", None, grand_total)]
    expected_codes = []
    for (meta, _tree), total in zip(plans, totals, strict=True):
        expected_codes += [(meta.agency_name, code, amount) for code, amount in total.by_code.items()]
        uncoded = total.grand_total - sum(total.by_code.values())
        if uncoded:
            expected_codes.append((meta.agency_name, "(tanpa akun)", uncoded))
    assert by_code == [*expected_codes, ("JUMLAH TOTAL", None, grand_total)]
    assert sum(amount for _agency, _code, amount in by_code[:-1]) == grand_total
    assert by_agency[0][2] == 10_060_818_000  # the seed


# -- sheet names ------------------------------------------------------------------------------------


def test_a_sheet_name_drops_the_characters_excel_forbids() -> None:
    assert sheet_title("KPU Kab. Boalemo [lama]: arsip?") == "KPU Kab. Boalemo lama arsip"
    assert sheet_title("'Satker / Unit\\*'") == "Satker Unit"
    assert sheet_title("   ") == "Rencana Aksi"


def test_a_long_agency_name_is_abbreviated_before_it_is_cut_to_31_characters() -> None:
    assert sheet_title("KOMISI PEMILIHAN UMUM KABUPATEN GORONTALO UTARA") == "KPU KABUPATEN GORONTALO UTARA"
    name = sheet_title("Komisi Pemilihan Umum Kabupaten Kepulauan Siau Tagulandang Biaro")
    assert name.startswith("KPU Kab. Kepulauan Siau") and len(name) <= 31
