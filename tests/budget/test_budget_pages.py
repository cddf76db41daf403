"""The ceiling and RPD pages through the Django test client: who may read and write, the
ceiling form with its conflict check, the file import's preview and all-or-nothing commit."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.budget import services
from renaksi.budget.models import Ceiling
from renaksi.history.models import HistoryEvent
from renaksi.planning.models import Plan

pytestmark = pytest.mark.django_db


def _ceilings(plan: Plan) -> dict[str, int]:
    return dict(Ceiling.objects.of_plan(plan).values_list("code", "amount"))


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/octet-stream")


def test_the_plan_page_links_to_the_ceilings_and_rpd(seed_plan, people) -> None:
    page = people.client("viewer").get(reverse("planning:plan_detail", args=[seed_plan.pk]))
    assert reverse("budget:ceilings", args=[seed_plan.pk]) in page.content.decode()


def test_a_viewer_reads_the_ceilings_and_rpd_but_cannot_write(seed_plan, people) -> None:
    services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=5_000_000_000)
    viewer = people.client("viewer")
    page = viewer.get(reverse("budget:ceilings", args=[seed_plan.pk]))
    assert page.status_code == 200
    assert 'data-code="6709" data-verdict="over"' in page.content.decode()
    assert "Tambah pagu" not in page.content.decode()
    assert viewer.get(reverse("budget:rpd", args=[seed_plan.pk])).status_code == 200
    before = _ceilings(seed_plan)
    answer = viewer.post(reverse("budget:ceilings", args=[seed_plan.pk]), {"code": "3358", "amount": "1.000"})
    assert answer.status_code == 403
    ceiling = Ceiling.objects.of_plan(seed_plan).get(code="6709")
    edit = viewer.post(
        reverse("budget:ceiling_edit", args=[seed_plan.pk, ceiling.pk]), {"code": "6709", "amount": "1"}
    )
    assert edit.status_code == 403
    line = seed_plan.sub_activities.order_by("position").first()
    assert (
        viewer.post(reverse("budget:rpd_line", args=[seed_plan.pk, line.pk]), {"spread": "on"}).status_code
        == 403
    )
    assert _ceilings(seed_plan) == before


def test_another_agencys_planner_gets_404_for_every_page_and_changes_nothing(seed_plan, people) -> None:
    ceiling = services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=1)
    line = seed_plan.sub_activities.order_by("position").first()
    outsider = people.client("outsider")
    for url, takes_post in (
        (reverse("budget:ceilings", args=[seed_plan.pk]), True),
        (reverse("budget:ceiling_edit", args=[seed_plan.pk, ceiling.pk]), True),
        (reverse("budget:ceiling_import", args=[seed_plan.pk]), True),
        (reverse("budget:ceiling_import_commit", args=[seed_plan.pk]), True),
        (reverse("budget:rpd", args=[seed_plan.pk]), False),
        (reverse("budget:rpd_download", args=[seed_plan.pk, "csv"]), False),
        (reverse("budget:rpd_line", args=[seed_plan.pk, line.pk]), True),
    ):
        if takes_post:
            answer = outsider.post(url, {"code": "3358", "amount": "1", "spread": "on", "token": "x"})
            assert answer.status_code == 404, url
        if "/impor/" not in url:  # the import's two steps take POST only
            assert outsider.get(url).status_code == 404, url
    assert _ceilings(seed_plan) == {"6709": 1}


def test_a_planner_enters_a_ceiling_and_sees_over_and_under_with_the_reference_name(
    seed_plan, people
) -> None:
    from renaksi.agencies.models import BudgetCodeName

    BudgetCodeName.objects.create(code="6709", level="kegiatan", name="Perencanaan Pemilu")
    BudgetCodeName.objects.create(code="QGE", level="kro", name="Layanan Perkantoran Pemilu")
    planner = people.client("planner")
    url = reverse("budget:ceilings", args=[seed_plan.pk])
    answer = planner.post(url, {"code": "6709", "description": "DIPA 2023", "amount": "Rp 6.000.000.000"})
    assert answer.status_code == 302
    html = planner.get(url).content.decode()
    assert 'data-code="6709" data-verdict="under"' in html  # the lines under 6709 cost Rp 5.374.788.000
    assert "Perencanaan Pemilu" in html and "Layanan Perkantoran Pemilu" in html
    planner.post(url, {"code": "6709.QGE", "amount": "4.000.000.000"})
    assert 'data-code="6709.QGE" data-verdict="over"' in planner.get(url).content.decode()
    record = HistoryEvent.objects.of_plan(seed_plan).filter(object_type="budget.ceiling").first()
    assert record.actor_label == "Perencana (perencana)" and "6709" in record.object_label


def test_an_ambiguous_amount_or_a_bad_code_is_refused_naming_the_field(seed_plan, people) -> None:
    planner = people.client("planner")
    url = reverse("budget:ceilings", args=[seed_plan.pk])
    answer = planner.post(url, {"code": "6709", "amount": "1.5"})
    assert answer.status_code == 400 and "Pagu (Rp)" in answer.content.decode()
    answer = planner.post(url, {"code": "67O9.QGE", "amount": "1.000"})
    assert answer.status_code == 400 and "Kode" in answer.content.decode()
    assert _ceilings(seed_plan) == {}


def test_a_stale_ceiling_save_is_refused_showing_the_others_value(seed_plan, people) -> None:
    ceiling = services.save_ceiling(seed_plan, OPERATOR, code="3358.EBC", amount=100_000_000)
    url = reverse("budget:ceiling_edit", args=[seed_plan.pk, ceiling.pk])
    first, second = people.client("planner"), people.client("planner")
    form = {"code": "3358.EBC", "description": "", "amount": "", "version": str(ceiling.version)}
    assert first.post(url, {**form, "amount": "150.000.000"}).status_code == 302
    answer = second.post(url, {**form, "amount": "120.000.000"})
    assert answer.status_code == 409
    assert "Rp 150.000.000" in answer.content.decode()
    assert _ceilings(seed_plan) == {"3358.EBC": 150_000_000}


def test_an_approved_plans_ceilings_cannot_be_changed(seed_plan, people) -> None:
    Plan.objects.system("test").filter(pk=seed_plan.pk).update(status=Plan.Status.APPROVED)
    answer = people.client("planner").post(
        reverse("budget:ceilings", args=[seed_plan.pk]), {"code": "6709", "amount": "1.000"}
    )
    assert answer.status_code == 409 and "sudah disetujui" in answer.content.decode()
    with pytest.raises(services.BudgetError, match="sudah disetujui"):
        services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=1)
    assert _ceilings(seed_plan) == {}


CSV = "kode;uraian;pagu\n6709;Perencanaan;5.000.000.000\n3358.EBC.954.A;;Rp 10.000.000\n3360.EBA.994;Layanan;3.083.386.000\n"


def test_an_import_is_previewed_first_then_committed_with_added_changed_and_removed(
    seed_plan, people
) -> None:
    services.save_ceiling(seed_plan, OPERATOR, code="6709", description="Perencanaan", amount=1)
    services.save_ceiling(seed_plan, OPERATOR, code="6871", amount=7)
    planner = people.client("planner")
    preview = planner.post(
        reverse("budget:ceiling_import", args=[seed_plan.pk]), {"file": _upload("pagu.csv", CSV.encode())}
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "2 ditambah, 1 diubah, 1 dihapus, 0 tetap" in html
    assert html.count('data-change="added"') == 2 and 'data-change="removed"' in html
    assert _ceilings(seed_plan) == {"6709": 1, "6871": 7}  # nothing written by the preview
    token = preview.context["token"]
    answer = planner.post(reverse("budget:ceiling_import_commit", args=[seed_plan.pk]), {"token": token})
    assert answer.status_code == 302
    assert _ceilings(seed_plan) == {
        "6709": 5_000_000_000,
        "3358.EBC.954.A": 10_000_000,
        "3360.EBA.994": 3_083_386_000,
    }
    records = HistoryEvent.objects.of_plan(seed_plan).filter(source="import", object_type="budget.ceiling")
    assert sorted(records.values_list("event", flat=True)) == ["changed", "created", "created", "deleted"]


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row_and_column(seed_plan, people) -> None:
    services.save_ceiling(seed_plan, OPERATOR, code="6871", amount=7)
    bad = CSV + "6710.QGE.001.C;Verifikasi;1.5\n"
    answer = people.client("planner").post(
        reverse("budget:ceiling_import", args=[seed_plan.pk]), {"file": _upload("pagu.csv", bad.encode())}
    )
    assert answer.status_code == 400
    assert "Baris 5, kolom pagu" in answer.content.decode()
    assert "token" not in answer.content.decode().split("ceiling-import-errors")[1]
    assert _ceilings(seed_plan) == {"6871": 7}


def test_a_commit_after_someone_changed_the_ceilings_is_refused(seed_plan, people) -> None:
    planner = people.client("planner")
    preview = planner.post(
        reverse("budget:ceiling_import", args=[seed_plan.pk]), {"file": _upload("pagu.csv", CSV.encode())}
    )
    services.save_ceiling(seed_plan, OPERATOR, code="6871", amount=7)
    planner.post(
        reverse("budget:ceiling_import_commit", args=[seed_plan.pk]), {"token": preview.context["token"]}
    )
    assert _ceilings(seed_plan) == {"6871": 7}


def _xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Pagu")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def test_an_xlsx_ceiling_table_imports_with_numbers_and_refuses_a_fraction(seed_plan, people) -> None:
    planner = people.client("planner")
    url = reverse("budget:ceiling_import", args=[seed_plan.pk])
    good = _xlsx(
        [["Kode", "Uraian", "Pagu"], ["6709", "Perencanaan", 5_000_000_000], ["3358.EBC", "", "Rp 2.000.000"]]
    )
    preview = planner.post(url, {"file": _upload("pagu.xlsx", good)})
    assert preview.status_code == 200
    planner.post(
        reverse("budget:ceiling_import_commit", args=[seed_plan.pk]), {"token": preview.context["token"]}
    )
    assert _ceilings(seed_plan) == {"6709": 5_000_000_000, "3358.EBC": 2_000_000}
    bad = _xlsx([["kode", "pagu"], ["6709", 1.5]])
    answer = planner.post(url, {"file": _upload("pagu.xlsx", bad)})
    assert answer.status_code == 400 and "Baris 2, kolom pagu" in answer.content.decode()
    assert _ceilings(seed_plan) == {"6709": 5_000_000_000, "3358.EBC": 2_000_000}


def test_adding_a_code_that_has_a_ceiling_already_is_refused_showing_the_stored_one(
    seed_plan, people
) -> None:
    services.save_ceiling(seed_plan, OPERATOR, code="6709", description="DIPA awal", amount=7_000_000)
    answer = people.client("planner").post(
        reverse("budget:ceilings", args=[seed_plan.pk]), {"code": "6709", "amount": "8.000.000"}
    )
    assert answer.status_code == 409
    assert "Rp 7.000.000 (DIPA awal)" in answer.content.decode()
    assert _ceilings(seed_plan) == {"6709": 7_000_000}


def test_a_ceiling_is_deleted_from_its_page_and_a_stale_delete_is_refused(seed_plan, people) -> None:
    ceiling = services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=7_000_000)
    url = reverse("budget:ceiling_edit", args=[seed_plan.pk, ceiling.pk])
    planner = people.client("planner")
    stale = {"code": "6709", "amount": "7.000.000", "version": str(ceiling.version), "delete": "1"}
    services.save_ceiling(seed_plan, OPERATOR, code="6709", amount=9_000_000, ceiling_id=ceiling.pk)
    answer = planner.post(url, stale)
    assert answer.status_code == 409 and "Rp 9.000.000" in answer.content.decode()
    assert _ceilings(seed_plan) == {"6709": 9_000_000}
    assert planner.post(url, {**stale, "version": str(ceiling.version + 1)}).status_code == 302
    assert _ceilings(seed_plan) == {}
    deleted = (
        HistoryEvent.objects.of_plan(seed_plan).filter(object_type="budget.ceiling", event="deleted").get()
    )
    assert deleted.before == {"code": "6709", "description": "", "ceiling": 9_000_000}
    assert deleted.actor_label == "Perencana (perencana)"
