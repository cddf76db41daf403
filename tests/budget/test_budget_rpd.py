"""The RPD pages and files, and the permission contract of every budget write service."""

from __future__ import annotations

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from renaksi.access import OPERATOR
from renaksi.agencies.models import BudgetCodeName
from renaksi.budget import services
from renaksi.budget.ceiling_import import CeilingRow
from renaksi.budget.models import Ceiling, LineDisbursement
from renaksi.core.schedule import Schedule
from renaksi.history.models import HistoryEvent
from renaksi.planning.models import Plan, SubActivity

pytestmark = pytest.mark.django_db


def _costed_line(plan: Plan, months: tuple[int, ...] = (2, 3, 4)) -> SubActivity:
    line = SubActivity.objects.of_plan(plan).filter(cost__gt=0).order_by("position").first()
    line.schedule_mask = Schedule.from_months(months).mask
    line.save(update_fields=["schedule_mask"])
    return line


def _month_form(amounts: list[int], version: int | None = None) -> dict[str, str]:
    form = {f"month_{month}": str(amount) for month, amount in enumerate(amounts, 1)}
    if version is not None:
        form["version"] = str(version)
    return form


def test_a_hand_entered_row_that_does_not_sum_to_the_cost_is_refused_naming_the_line(
    seed_plan, people
) -> None:
    line = _costed_line(seed_plan)
    url = reverse("budget:rpd_line", args=[seed_plan.pk, line.pk])
    planner = people.client("planner")
    answer = planner.post(url, _month_form([line.cost - 1, *([0] * 11)]))
    assert answer.status_code == 400
    assert (
        line.name[:40] in answer.content.decode()
        and "tidak sama dengan perkiraan biaya" in answer.content.decode()
    )
    assert not LineDisbursement.objects.of_plan(seed_plan).exists()
    assert planner.post(url, _month_form([line.cost, *([0] * 11)])).status_code == 302
    stored = LineDisbursement.objects.of_plan(seed_plan).get(line=line)
    assert stored.amounts == [line.cost, *([0] * 11)]
    record = HistoryEvent.objects.of_plan(seed_plan).filter(object_type="budget.linedisbursement").get()
    assert record.object_label == f"RPD {line.name}"[:200] and record.after == {
        "disbursement": stored.amounts
    }


def test_a_stale_hand_entered_row_is_refused_showing_the_others_months(seed_plan, people) -> None:
    line = _costed_line(seed_plan)
    url = reverse("budget:rpd_line", args=[seed_plan.pk, line.pk])
    first, second = people.client("planner"), people.client("planner")
    assert first.post(url, _month_form([line.cost, *([0] * 11)])).status_code == 302
    answer = second.post(url, _month_form([0, line.cost, *([0] * 10)]))  # opened before the first saved
    assert answer.status_code == 409 and "diubah orang lain" in answer.content.decode()
    assert LineDisbursement.objects.of_plan(seed_plan).get(line=line).amounts[0] == line.cost
    stored = LineDisbursement.objects.of_plan(seed_plan).get(line=line)
    # Back to spread over its months, from the version just read: the row goes.
    assert second.post(url, {"spread": "on", "version": str(stored.version)}).status_code == 302
    assert not LineDisbursement.objects.of_plan(seed_plan).exists()


def test_the_rpd_page_shows_the_chart_and_the_table_with_cumulative_and_quarters(seed_plan, people) -> None:
    line = _costed_line(seed_plan, (1, 2, 3))
    html = people.client("viewer").get(reverse("budget:rpd", args=[seed_plan.pk])).content.decode()
    assert "<svg" in html and 'role="img"' in html and "<polyline" in html
    assert 'id="rpd-table"' in html and "TW I" in html and "Kumulatif" in html
    assert 'id="rpd-issues"' in html  # the other costed lines have no months
    assert "style=" not in html and "<script>" not in html  # the strict CSP
    assert line.name[:30] in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    # Coordinates with a dot whatever the language (an Indonesian page would localize 260.5 to 260,5).
    assert re.findall(r'(?:x|y|width|height|points)="[^"]*"', svg)
    assert not re.search(r'(?:x|x1|x2|y|y1|y2|width|height)="[0-9.]*,', svg)
    assert len(re.findall(r"<rect ", svg)) == 12
    assert people.client("viewer").get("/en" + reverse("budget:rpd", args=[seed_plan.pk])).status_code == 200


def test_the_rpd_downloads_agree_and_no_text_becomes_a_formula(seed_plan, people) -> None:
    BudgetCodeName.objects.create(code="6709", level="kegiatan", name='=HYPERLINK("http://x")')
    for line in SubActivity.objects.of_plan(seed_plan):
        line.schedule_mask = Schedule.from_months([3, 6, 9, 12]).mask
        line.save(update_fields=["schedule_mask"])
    viewer = people.client("viewer")
    csv_text = viewer.get(reverse("budget:rpd_download", args=[seed_plan.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    lines = csv_text.splitlines()
    assert lines[0].startswith("Kode;Nama;Baris;Januari")  # ';' as the plan's CSV, for Excel in Indonesian
    total = lines[1].split(";")
    assert total[2] == "Rencana penarikan" and total[-1] == "10060818000"
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text
    answer = viewer.get(reverse("budget:rpd_download", args=[seed_plan.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0][2] == "Rencana penarikan" and rows[0][-1] == 10_060_818_000
    assert rows[1][2] == "Kumulatif" and rows[1][3 + 11] == 10_060_818_000
    assert sum(rows[0][3:15]) == 10_060_818_000
    assert len(rows) == len(lines) - 1
    assert any(row[1] == '=HYPERLINK("http://x")' for row in rows)  # a text cell, not a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("who", ["nobody", "viewer", "outsider"])
def test_every_budget_write_service_refuses_an_actor_without_edit_rights(seed_plan, people, who) -> None:
    actor = None if who == "nobody" else getattr(people, who)
    ceiling = services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=1)
    line = _costed_line(seed_plan)
    writes = [
        lambda: services.save_ceiling(seed_plan, actor, code="6871", amount=1),
        lambda: services.save_ceiling(seed_plan, actor, code="6709", amount=2, ceiling_id=ceiling.pk),
        lambda: services.delete_ceiling(seed_plan, actor, ceiling.pk),
        lambda: services.commit_ceiling_import(
            seed_plan, actor, [CeilingRow(2, "6871", "", 5)], services.ceiling_fingerprint(seed_plan)
        ),
        lambda: services.save_line_disbursement(seed_plan, actor, line.pk, [line.cost, *([0] * 11)]),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert dict(Ceiling.objects.of_plan(seed_plan).values_list("code", "amount")) == {"6709": 1}
    assert not LineDisbursement.objects.of_plan(seed_plan).exists()


def test_a_save_that_changes_nothing_records_no_history(seed_plan, people) -> None:
    ceiling = services.save_ceiling(seed_plan, people.planner, code="6709", description="DIPA", amount=1)
    records = HistoryEvent.objects.of_plan(seed_plan).filter(object_type="budget.ceiling")
    assert records.count() == 1
    assert (
        services.save_ceiling(
            seed_plan, people.planner, code="6709", description="DIPA", amount=1, ceiling_id=ceiling.pk
        )
        is None
    )
    assert records.count() == 1
    services.save_ceiling(
        seed_plan, people.planner, code="6709", description="DIPA", amount=9, ceiling_id=ceiling.pk
    )
    changed = records.filter(event="changed").get()
    assert (changed.before, changed.after) == ({"ceiling": 1}, {"ceiling": 9})
    assert changed.object_label == "Pagu 6709 DIPA"


def test_the_charts_scale_is_round_and_holds_the_years_total() -> None:
    from renaksi.budget.presenters import rpd_chart
    from renaksi.core.disbursement import Curve

    chart = rpd_chart(Curve((0, 0, 0, 3_000, 3_000, 4_060, 0, 0, 0, 0, 0, 0)))
    labels = [label for _y, label in chart.ticks]
    assert labels == ["Rp 0", "Rp 2.500", "Rp 5.000", "Rp 7.500", "Rp 10.000", "Rp 12.500"]
    last_y = float(chart.line_points.split()[-1].split(",")[1])
    top_y, zero_y = float(chart.ticks[-1][0]), float(chart.ticks[0][0])
    assert last_y == pytest.approx(zero_y - (zero_y - top_y) * 10_060 / 12_500, abs=0.01)
    assert [float(bar.height) > 0 for bar in chart.bars] == [False] * 3 + [True] * 3 + [False] * 6


def test_the_plans_history_shows_ceiling_and_rpd_saves_with_names_and_rupiah(seed_plan, people) -> None:
    services.save_ceiling(seed_plan, people.planner, code="6709", description="DIPA awal", amount=5_000_000)
    line = _costed_line(seed_plan)
    services.save_line_disbursement(seed_plan, people.planner, line.pk, [0] * 5 + [line.cost] + [0] * 6)
    # The history page (its URL name is moving from planning: to history:, its path stays).
    html = people.client("viewer").get(f"/rencana/{seed_plan.pk}/riwayat/").content.decode()
    assert "Pagu 6709 DIPA awal" in html and "Rp 5.000.000" in html
    assert f"Jun Rp {line.cost:,}".replace(",", ".") in html
    assert "RPD per bulan" in html and "Perencana (perencana)" in html


def test_an_approved_plans_rpd_cannot_be_changed(seed_plan, people) -> None:
    line = _costed_line(seed_plan)
    Plan.objects.system("test").filter(pk=seed_plan.pk).update(status=Plan.Status.APPROVED)
    with pytest.raises(services.BudgetError, match="sudah disetujui"):
        services.save_line_disbursement(seed_plan, people.planner, line.pk, [line.cost, *([0] * 11)])
    answer = people.client("planner").post(
        reverse("budget:rpd_line", args=[seed_plan.pk, line.pk]), _month_form([line.cost, *([0] * 11)])
    )
    assert answer.status_code == 400 and "sudah disetujui" in answer.content.decode()
    assert not LineDisbursement.objects.of_plan(seed_plan).exists()


def test_a_plan_with_many_codes_starts_at_kegiatan_and_kro_and_pages_its_lines(people) -> None:
    from renaksi.agencies.services import find_agency
    from renaksi.imports.sample import random_plan
    from renaksi.planning.services import save_tree

    plan = save_tree(find_agency("kpu-prov-gorontalo"), 2031, random_plan(5, 250), actor=OPERATOR)
    viewer = people.client("viewer")
    for name in ("budget:ceilings", "budget:rpd"):
        html = viewer.get(reverse(name, args=[plan.pk])).content.decode()
        codes = re.findall(r'<tr data-code="([^"]+)"', html)
        assert codes and all(code.count(".") <= 1 for code in codes), name
        deeper = viewer.get(reverse(name, args=[plan.pk]) + "?tingkat=semua").content.decode()
        assert any(code.count(".") >= 2 for code in re.findall(r'<tr data-code="([^"]+)"', deeper)), name
    first = viewer.get(reverse("budget:rpd", args=[plan.pk])).content.decode()
    third = viewer.get(reverse("budget:rpd", args=[plan.pk]) + "?halaman=3").content.decode()
    assert (
        len(re.findall(r"<tr data-line=", first)) == 100 and len(re.findall(r"<tr data-line=", third)) == 50
    )
    assert "Halaman 3 dari 3" in third and set(re.findall(r'data-line="(\d+)"', first)).isdisjoint(
        re.findall(r'data-line="(\d+)"', third)
    )


def test_a_per_code_table_never_holds_more_than_its_limit_and_says_how_many_more(people, monkeypatch) -> None:
    from renaksi.agencies.services import find_agency
    from renaksi.budget import presenters
    from renaksi.imports.sample import random_plan
    from renaksi.planning.services import save_tree

    monkeypatch.setattr(presenters, "MAX_TABLE_ROWS", 20)
    plan = save_tree(find_agency("kpu-prov-gorontalo"), 2032, random_plan(6, 30), actor=OPERATOR)
    viewer = people.client("viewer")
    for name in ("budget:ceilings", "budget:rpd"):
        html = viewer.get(reverse(name, args=[plan.pk]) + "?tingkat=semua").content.decode()
        shown = len(set(re.findall(r'<tr data-code="([^"]+)"', html)))
        assert shown == 20 + (name == "budget:rpd"), name  # the RPD's whole-plan row besides
        assert 'id="hidden-rows"' in html and "kode lagi" in html


def test_the_rpd_page_compares_each_quarters_cumulative_with_the_absorption_targets(
    seed_plan, people
) -> None:
    for line in SubActivity.objects.of_plan(seed_plan):
        line.schedule_mask = Schedule.from_months([12]).mask  # everything in Desember
        line.save(update_fields=["schedule_mask"])
    viewer = people.client("viewer")
    html = viewer.get(reverse("budget:rpd", args=[seed_plan.pk])).content.decode()
    table = html[
        html.index('id="rpd-absorption"') : html.index("</table>", html.index('id="rpd-absorption"'))
    ]
    assert table.count('data-below="1"') == 3 and table.count('data-below="0"') == 1
    assert "persen perkiraan biaya (Rp 10.060.818.000" in table and "100,0%" in table
    services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=20_121_636_000)  # twice the plan
    html = viewer.get(reverse("budget:rpd", args=[seed_plan.pk])).content.decode()
    table = html[
        html.index('id="rpd-absorption"') : html.index("</table>", html.index('id="rpd-absorption"'))
    ]
    assert "persen pagu (Rp 20.121.636.000)" in table and "50,0%" in table
    assert table.count('data-below="1"') == 4
