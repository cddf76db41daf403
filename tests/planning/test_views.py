"""The read-only planning pages, through the test client: agency list and the plan table.

Figures are read from the row that should hold them (parsed HTML), never from "the text appears
somewhere on the page".
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from html_tree import Element, parse
from renaksi.access import OPERATOR
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.core.table import table_rows
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree, save_tree


def plan_url(plan: Plan, prefix: str = "") -> str:
    return prefix + reverse("planning:plan_detail", args=[plan.pk])


def cells_by_column(row: Element) -> dict[str, Element]:
    return {cell.attrs["data-col"]: cell for cell in row.iter("td") if "data-col" in cell.attrs}


# --- the plan page: totals -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_plan_page_shows_the_grand_total_in_the_grand_total_row(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))

    row = page.find("tr", id="jumlah-total")

    assert row.find("th").text == "JUMLAH TOTAL"
    assert row.find("td", data_col="cost").text == "Rp 10.060.818.000"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "label", "total"),
    [
        ("1", "Jumlah Sasaran Strategis 1", "Rp 108.228.000"),
        ("2", "Jumlah Sasaran Strategis 2", "Rp 3.353.681.000"),
        ("", "Jumlah tanpa sasaran strategis", "Rp 30.760.000"),
        ("6", "Jumlah Sasaran Strategis 6", "Rp 401.797.000"),
        ("7", "Jumlah Sasaran Strategis 7", "Rp 6.166.352.000"),
    ],
)
def test_each_goal_ends_with_a_subtotal_row_holding_its_total(client, seed_plan, number, label, total):
    page = parse(client.get(plan_url(seed_plan)))

    section = page.find("tbody", data_goal_number=number)
    rows = [child for child in section.children if isinstance(child, Element) and child.tag == "tr"]
    subtotal = rows[-1]

    assert subtotal.attrs["data-subtotal"] == number
    assert subtotal.find("th").text == label
    assert subtotal.find("td", data_col="cost").text == total


@pytest.mark.django_db
def test_the_goal_sections_come_in_printed_order(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))

    table = page.find("table", id="renaksi-table")

    numbers = [section.attrs["data-goal-number"] for section in table.iter("tbody")]

    assert numbers == ["1", "2", "", "6", "7"]


@pytest.mark.django_db
def test_the_goal_number_is_printed_in_the_no_column(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))

    numbers = [cell.text for cell in page.iter("td", data_col="no")]

    assert numbers == ["1", "2", "", "6", "7"]


# --- the plan page: the table --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_table_header_is_the_official_one(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    head = page.find("table", id="renaksi-table").find("thead")
    first, second = list(head.iter("tr"))

    assert [th.text for th in first.iter("th")] == [
        "NO",
        "SASARAN STRATEGIS",
        "SASARAN PROGRAM",
        "INDIKATOR KINERJA",
        "TARGET",
        "KEGIATAN",
        "Rencana Kegiatan",
        "RENCANA PELAKSANAAN KEGIATAN",
        "PERKIRAAN BIAYA",
        "AKUN",
        "KET",
    ]
    assert first.find("th", colspan="12").text == "RENCANA PELAKSANAAN KEGIATAN"
    assert [th.text for th in second.iter("th")] == [str(m) for m in range(1, 13)]


@pytest.mark.django_db
def test_the_person_in_charge_column_appears_only_when_a_line_has_one(client, seed_plan):
    without = parse(client.get(plan_url(seed_plan)))
    seed_plan.sub_activities.filter(position=0).update(person_in_charge="Kasubbag SDM")
    with_pic = parse(client.get(plan_url(seed_plan)))

    assert "PENANGGUNG JAWAB" not in without.find("table", id="renaksi-table").find("thead").text
    assert [th.text for th in with_pic.find("table", id="renaksi-table").find("thead").iter("th")][
        11
    ] == "PENANGGUNG JAWAB"
    assert with_pic.find("tr", data_row="0").find("td", data_col="pic").text == "Kasubbag SDM"


@pytest.mark.django_db
def test_the_table_has_one_row_per_line_45_in_all(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    rows = [row for row in page.iter("tr") if row.has_class("plan-row")]

    # 45 Rencana Kegiatan, plus two indicators printed without a line of their own.
    assert sum(1 for row in rows if row.has_class("has-line")) == 45
    assert len(rows) == 47


@pytest.mark.django_db
def test_each_line_row_carries_the_lasting_id_of_its_line(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    rows = [row for row in page.iter("tr") if row.has_class("has-line")]
    ids = [int(row.attrs["data-line-id"]) for row in rows]
    stored = [line.key for line in load_tree(seed_plan).lines()]
    assert ids == stored and len(set(ids)) == 45


@pytest.mark.django_db
def test_merged_cells_have_the_rowspans_of_table_rows(client, seed_plan):
    expected = table_rows(load_tree(seed_plan))
    page = parse(client.get(plan_url(seed_plan)))

    for row in expected:
        cells = cells_by_column(page.find("tr", data_row=str(row.index)))
        for columns, span in [
            (("no", "goal"), row.goal_span),
            (("program_goal",), row.program_goal_span),
            (("indicator", "target"), row.indicator_span),
            (("activity",), row.activity_span),
        ]:
            for column in columns:
                if span == 0:
                    assert column not in cells, (row.index, column)
                else:
                    assert cells[column].attrs["rowspan"] == str(span), (row.index, column)


def _check_grid(table: Element, width: int) -> None:
    """Every body row, with the cells merged into it from above, fills exactly ``width`` columns."""
    for section in table.iter("tbody"):
        covered: dict[int, int] = {}  # row offset -> columns covered from rows above
        for offset, tr in enumerate(section.iter("tr")):
            columns = covered.pop(offset, 0)
            for cell in tr.children:
                if not isinstance(cell, Element) or cell.tag not in ("td", "th"):
                    continue
                colspan = int(cell.attrs.get("colspan", "1"))
                rowspan = int(cell.attrs.get("rowspan", "1"))
                columns += colspan
                for below in range(offset + 1, offset + rowspan):
                    covered[below] = covered.get(below, 0) + colspan
            assert columns == width, (section.attrs, offset, columns)
        assert not covered, f"a merged cell runs past the end of {section.attrs}"


@pytest.mark.django_db
def test_every_row_of_the_table_fills_all_22_columns(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))

    _check_grid(page.find("table", id="renaksi-table"), 22)


@pytest.mark.django_db
def test_costs_show_rupiah_a_dash_for_no_cost_and_nothing_when_the_cell_was_absent(client, seed_plan):
    tree = load_tree(seed_plan)
    page = parse(client.get(plan_url(seed_plan)))
    for row in table_rows(tree):
        cost = cells_by_column(page.find("tr", data_row=str(row.index)))["cost"]
        assert cost.has_class("num")
        if row.line is None or row.line.cost_state is CostState.ABSENT:
            assert cost.text == ""
        elif row.line.cost_state is CostState.NONE:
            assert cost.text == "-"
        else:
            assert cost.text == format_rupiah(row.line.cost)
            assert re.fullmatch(r"Rp \d{1,3}(\.\d{3})*", cost.text)
    texts = [c.text for c in page.iter("td", data_col="cost")]
    assert "Rp 3.083.386.000" in texts


@pytest.mark.django_db
def test_the_flagged_program_goal_is_marked_with_its_review_note(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    cells = [c for c in page.iter("td", data_col="program_goal") if c.has_class("needs-review")]

    assert len(cells) == 1
    cell = cells[0]
    assert cell.own_text() == "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum"
    flag = next(cell.iter("span"))
    assert flag.has_class("review-flag")
    assert flag.text.startswith("Perlu ditinjau:")
    assert "tanpa judul sasaran strategis" in flag.text
    assert cell.is_inside(page.find("tbody", data_goal_number=""))


@pytest.mark.django_db
def test_scheduled_months_are_shaded_and_named_for_screen_readers(client, seed_plan):
    first = seed_plan.sub_activities.get(position=0)
    first.schedule_mask = 0b110  # Februari and Maret
    first.save()
    page = parse(client.get(plan_url(seed_plan)))
    cells = cells_by_column(page.find("tr", data_row="0"))

    assert [cells[f"month-{m}"].has_class("is-scheduled") for m in range(1, 5)] == [False, True, True, False]
    assert cells["month-2"].text == "dijadwalkan"
    assert cells["month-1"].text == ""
    assert page.find("div", **{"class": "schedule-legend"}).find("span", **{"class": "legend-swatch"})


# --- the plan page: recap, figures, title --------------------------------------------------------


@pytest.mark.django_db
def test_the_recap_lists_26_budget_codes_with_their_totals(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    rows = list(page.find("table", id="recap-codes").find("tbody").iter("tr"))

    assert len(rows) == 26
    by_code = {row.attrs["data-code"]: row.find("td").text for row in rows}
    assert by_code["3360.EBA.994"] == "Rp 3.353.681.000"
    assert by_code["3358.EBC.954.A"] == "Rp 24.778.000"


@pytest.mark.django_db
def test_the_recap_rolls_costs_up_at_every_level_of_the_code(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    levels = page.find("table", id="recap-levels")

    def total(prefix: str) -> str:
        return levels.find("tr", data_prefix=prefix).find("td", **{"class": "num"}).text

    assert total("3358") == "Rp 43.228.000"
    assert total("3358.EBC") == "Rp 43.228.000"
    assert total("3358.EBC.954") == "Rp 43.228.000"
    assert total("3358.EBC.954.A") == "Rp 24.778.000"
    assert levels.find("tr", data_prefix="3358.EBC.954.A").has_class("code-level--4")


@pytest.mark.django_db
def test_the_page_shows_the_plan_figures(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    figures = {
        div.find("dt").text: div.find("dd").text
        for div in page.find("dl", **{"class": "figure-list"}).iter("div")
    }

    assert figures["Sasaran strategis"] == "4"
    assert figures["Sasaran program"] == "25"
    assert figures["Indikator kinerja"] == "44"
    assert figures["Rencana kegiatan"] == "45"
    assert figures["Rencana kegiatan dengan biaya"] == "37"
    assert figures["Kode akun"] == "26"


@pytest.mark.django_db
def test_the_title_block_is_as_printed(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    title = page.find("header", **{"class": "plan-title"})

    assert title.find("h1").text == "RENCANA AKSI TAHUN 2023"
    assert title.find("p", **{"class": "plan-title__unit"}).text == "SEKRETARIS"
    assert "PROVINSI GORONTALO" in title.find("p", **{"class": "plan-title__agency"}).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "moment", "shown"),
    [
        ("Asia/Makassar", datetime(2026, 11, 28, 20, 0, tzinfo=UTC), "29 November 2026"),
        ("Asia/Jakarta", datetime(2026, 11, 28, 16, 30, tzinfo=UTC), "28 November 2026"),
        ("Asia/Jayapura", datetime(2026, 4, 30, 15, 30, tzinfo=UTC), "1 Mei 2026"),
        ("Not/AZone", datetime(2026, 11, 28, 20, 0, tzinfo=UTC), "29 November 2026"),
    ],
)
def test_the_last_update_is_the_date_in_the_agencys_time_zone(client, seed_plan, zone, moment, shown):
    Agency.objects.filter(pk=seed_plan.agency_id).update(time_zone=zone)
    Plan.objects.system("test").filter(pk=seed_plan.pk).update(updated_at=moment)

    page = parse(client.get(plan_url(seed_plan)))

    assert page.find("dd", data_updated="").text == shown


@pytest.mark.django_db
def test_a_missing_plan_gives_404(client):
    assert client.get("/rencana/987654/").status_code == 404


@pytest.mark.django_db
def test_the_plan_page_needs_a_fixed_number_of_queries(client, seed_plan, django_assert_max_num_queries):
    # 13: the list of lines with their edit and history links is one query of its own, the
    # report of the plan's last import another, the reference names of the recaps' codes a third.
    with django_assert_max_num_queries(13):
        client.get(plan_url(seed_plan))


# --- the agency list -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_agency_list_shows_the_province_first_and_its_six_regencies_under_it(client, seed_plan):
    page = parse(client.get(reverse("planning:agency_list")))
    agencies = [li for li in page.iter("li") if "data-agency" in li.attrs]

    assert len(agencies) == 7
    province, regencies = agencies[0], agencies[1:]
    assert province.attrs["data-agency"] == "kpu-prov-gorontalo"
    assert "KPU Provinsi Gorontalo" in province.find("h2").text
    for regency in regencies:
        assert regency.attrs["data-parent"] == "kpu-prov-gorontalo"
        assert regency.is_inside(province)
    assert sorted(r.find("h3").own_text() for r in regencies) == [
        "KPU Kabupaten Boalemo",
        "KPU Kabupaten Bone Bolango",
        "KPU Kabupaten Gorontalo",
        "KPU Kabupaten Gorontalo Utara",
        "KPU Kabupaten Pohuwato",
        "KPU Kota Gorontalo",
    ]


@pytest.mark.django_db
def test_the_agency_list_shows_each_plan_with_its_figures_and_a_link(client, seed_plan):
    page = parse(client.get(reverse("planning:agency_list")))
    row = page.find("tr", data_plan=str(seed_plan.pk))
    cells = [td.text for td in row.iter("td")]

    assert cells[:5] == ["2023", "SEKRETARIS", "Draf", "45", "Rp 10.060.818.000"]
    assert row.find("a").attrs["href"] == f"/rencana/{seed_plan.pk}/"
    assert row.is_inside(page.find("li", data_agency="kpu-prov-gorontalo"))


def _small_tree(title: str, year: int = 2024, **texts: str) -> PlanTree:
    line = Line(
        name=texts.get("line", "Rapat koordinasi"),
        activity=texts.get("activity", "Koordinasi"),
        cost=texts.get("cost", 1_500_000),
        cost_state=CostState.AMOUNT,
        budget_code=texts.get("code", "3358.EBC.954.A"),
        remarks=texts.get("remarks", ""),
        person_in_charge=texts.get("pic", ""),
    )
    indicator = Indicator(
        text=texts.get("indicator", "Persentase laporan"),
        target=texts.get("target", "100%"),
        activities=[line.activity],
        lines=[line],
    )
    program_goal = ProgramGoal(
        text=texts.get("program_goal", "Terlaksananya koordinasi"),
        indicators=[indicator],
        needs_review=bool(texts.get("review_note")),
        review_note=texts.get("review_note", ""),
    )
    goal = Goal(number="1", text=texts.get("goal", "Meningkatnya kualitas"), program_goals=[program_goal])
    return PlanTree(
        year=year,
        title=title,
        signing_unit=texts.get("unit", "SEKRETARIS"),
        agency_label=texts.get("agency_label", ""),
        goals=[goal],
    )


@pytest.mark.django_db
def test_the_agency_list_needs_four_queries_however_many_plans(client, django_assert_num_queries):
    for code in ("kpu-kota-gorontalo", "kpu-kab-boalemo", "kpu-kab-pohuwato"):
        for year in (2024, 2025):
            save_tree(
                find_agency(code), year, _small_tree(f"RENCANA AKSI TAHUN {year}", year), actor=OPERATOR
            )

    # The session and its user, then the agencies and the plans with their sums.
    with django_assert_num_queries(4):
        response = client.get(reverse("planning:agency_list"))

    assert sum(1 for tr in parse(response).iter("tr") if "data-plan" in tr.attrs) == 6


# --- escaping ------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


@pytest.mark.django_db
def test_plan_text_with_a_script_tag_is_shown_escaped(client):
    tree = _small_tree(
        SCRIPT,
        indicator=SCRIPT,
        goal=SCRIPT,
        program_goal=SCRIPT,
        review_note=SCRIPT,
        target=SCRIPT,
        activity=SCRIPT,
        line=SCRIPT,
        code=SCRIPT,
        remarks=SCRIPT,
        pic=SCRIPT,
        unit=SCRIPT,
        agency_label=SCRIPT,
    )
    plan = save_tree(find_agency("kpu-kota-gorontalo"), 2024, tree, actor=OPERATOR)

    detail = client.get(plan_url(plan)).content.decode()
    listing = client.get(reverse("planning:agency_list")).content.decode()

    for html in (detail, listing):
        assert "<script" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = parse(client.get(plan_url(plan)))
    assert page.find("td", data_col="indicator").text == SCRIPT


# --- merged Kegiatan across goals ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_kegiatan_shared_across_two_goals_is_split_at_the_subtotal_row(client):
    tree = _small_tree("RENCANA AKSI TAHUN 2024", activity="Rapat Bersama")
    second = _small_tree("x", activity="Rapat Bersama", goal="Sasaran kedua").goals[0]
    second.number = "2"
    tree.goals.append(second)
    rows = table_rows(tree)
    assert [row.activity_span for row in rows] == [1, 1]  # never merged across the goal border

    plan = save_tree(find_agency("kpu-kab-boalemo"), 2024, tree, actor=OPERATOR)
    page = parse(client.get(plan_url(plan)))

    _check_grid(page.find("table", id="renaksi-table"), 22)
    assert [c.attrs["rowspan"] for c in page.iter("td", data_col="activity")] == ["1", "1"]


# --- languages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_are_in_indonesian_by_default(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))

    assert page.find("html").attrs["lang"] == "id"
    assert page.find("h2", id="recap-heading").text == "Rekapitulasi per kode akun"
    assert page.find("a", **{"class": "skip-link"}).text == "Langsung ke isi utama"


@pytest.mark.django_db
def test_the_en_prefix_shows_english_chrome_but_keeps_the_official_column_labels(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan, "/en")))

    assert page.find("html").attrs["lang"] == "en"
    assert page.find("h2", id="recap-heading").text == "Summary by budget code"
    assert page.find("a", **{"class": "skip-link"}).text == "Skip to main content"
    assert page.find("tr", id="jumlah-total").find("td", data_col="cost").text == "Rp 10.060.818.000"
    head = [th.text for th in page.find("table", id="renaksi-table").find("thead").iter("th")]
    assert head[:3] == ["NO", "SASARAN STRATEGIS", "SASARAN PROGRAM"]


@pytest.mark.django_db
def test_the_agency_list_is_available_in_english(client, seed_plan):
    page = parse(client.get("/en/"))

    assert page.find("h1").text == "Agencies and action plans"
    assert (
        page.find("tr", data_plan=str(seed_plan.pk)).find("a").attrs["href"] == f"/en/rencana/{seed_plan.pk}/"
    )


@pytest.mark.django_db
def test_the_language_switch_posts_to_set_language_and_returns_to_the_same_page(client, seed_plan):
    page = parse(client.get(plan_url(seed_plan)))
    form = page.find("form", **{"class": "lang-switch"})
    assert form.attrs["action"] == reverse("set_language")
    assert form.find("input", name="next").attrs["value"] == plan_url(seed_plan)

    response = client.post(reverse("set_language"), {"language": "en", "next": plan_url(seed_plan)})

    assert response.status_code == 302
    assert response["Location"] == plan_url(seed_plan, "/en")


def test_the_line_list_prints_rupiah_the_indonesian_way_in_either_language(client, seed_plan):
    for prefix in ("", "/en"):
        page = parse(client.get(plan_url(seed_plan, prefix)))
        lines = next(element for element in page.iter("details") if element.has_class("plan-lines"))
        costs = [cell.text for cell in lines.iter("td") if cell.has_class("num")]
        assert "Rp 8.378.000" in costs, prefix
        assert not any("," in cost for cost in costs), prefix
