"""The editor's pages through the Django test client: the outline, the saves as plain POST +
redirect, the readings as you type, a refused save shown in place, another agency's plan 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.history.models import HistoryEvent
from renaksi.planning import models as m


@pytest.fixture
def planner(seed_plan, django_user_model, client):
    user = django_user_model.objects.create_user("perencana", password="kata-sandi-uji-123")
    Membership.objects.create(user=user, agency=seed_plan.agency, role=Role.PLANNER)
    client.force_login(user)
    return client


def editor_url(plan):
    return reverse("editor:editor", args=[plan.pk])


def test_the_editor_shows_the_outline_and_each_object_its_own_page(seed_plan, planner):
    page = planner.get(editor_url(seed_plan)).content.decode()
    assert "(tanpa sasaran strategis)" in page
    assert "Terlaksananya Pengelolaan dan Pelayanan Informasi Hukum" in page
    assert "97,5 persen" in page  # a stored target's reading
    assert "style=" not in page and "<script>" not in page
    line = m.SubActivity.objects.of_plan(seed_plan).exclude(budget_code="").order_by("position").first()
    page = planner.get(reverse("editor:change", args=[seed_plan.pk, "baris", line.pk])).content.decode()
    assert "data-months-grid" in page and "editor.js" in page and line.budget_code in page
    indicator = line.indicator
    page = planner.get(
        reverse("editor:add", args=[seed_plan.pk, "baris"]), {"induk": indicator.pk}
    ).content.decode()
    assert f"Indikator \u00ab{indicator.text}\u00bb" in page and "data-months-grid" in page


def test_the_readings_as_you_type(seed_plan, planner):
    url = reverse("editor:check", args=[seed_plan.pk])
    assert planner.get(url, {"jenis": "target", "nilai": "80 - 90%"}).json() == {
        "ok": True,
        "text": "rentang 80 sampai 90 persen",
    }
    assert planner.get(url, {"jenis": "target", "nilai": "97,5%"}).json()["text"] == "97,5 persen"
    assert planner.get(url, {"jenis": "biaya", "nilai": "8.378.000"}).json()["text"] == "Rp 8.378.000"
    ambiguous = planner.get(url, {"jenis": "biaya", "nilai": "1.5"}).json()
    assert not ambiguous["ok"] and "Perkiraan biaya" in ambiguous["text"]
    bad_code = planner.get(url, {"jenis": "akun", "nilai": "3358.EB"}).json()
    assert not bad_code["ok"] and "Akun" in bad_code["text"]
    assert planner.get(url, {"jenis": "lain"}).status_code == 404


def test_a_goal_added_by_a_plain_post_redirects_to_it_with_one_record(seed_plan, planner):
    before = HistoryEvent.objects.of_plan(seed_plan).count()
    response = planner.post(
        reverse("editor:add", args=[seed_plan.pk, "sasaran"]),
        {"sasaran-baru-number": "8", "sasaran-baru-text": "Terwujudnya Tata Kelola Hukum"},
    )
    goal = m.StrategicGoal.objects.of_plan(seed_plan).get(number="8")
    assert response.status_code == 302 and response["Location"].endswith(f"#sasaran-{goal.pk}")
    assert HistoryEvent.objects.of_plan(seed_plan).count() == before + 1


def test_an_ambiguous_cost_is_refused_naming_the_field_and_the_input_kept(seed_plan, planner):
    line = m.SubActivity.objects.of_plan(seed_plan).order_by("position").first()
    prefix = f"baris-{line.pk}"
    response = planner.post(
        reverse("editor:change", args=[seed_plan.pk, "baris", line.pk]),
        {
            f"{prefix}-name": line.name,
            f"{prefix}-cost": "8.37.800",
            f"{prefix}-version": line.version,
            "tindakan": "simpan",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Perkiraan biaya" in page and 'value="8.37.800"' in page
    assert m.SubActivity.objects.of_plan(seed_plan).get(pk=line.pk).cost == line.cost


def test_a_stale_save_is_a_conflict_showing_the_stored_value(seed_plan, planner):
    indicator = m.Indicator.objects.of_plan(seed_plan).order_by("position").first()
    url = reverse("editor:change", args=[seed_plan.pk, "indikator", indicator.pk])
    prefix = f"indikator-{indicator.pk}"

    def save(target):
        return planner.post(
            url,
            {
                f"{prefix}-text": indicator.text,
                f"{prefix}-target": target,
                f"{prefix}-polarity": indicator.polarity,
                f"{prefix}-version": indicator.version,
                "tindakan": "simpan",
            },
        )

    assert save("99%").status_code == 302
    refused = save("98%")
    assert refused.status_code == 409 and "\u201c99%\u201d" in refused.content.decode()
    assert m.Indicator.objects.of_plan(seed_plan).get(pk=indicator.pk).target_text == "99%"


def test_the_flagged_program_goal_is_moved_under_a_goal(seed_plan, planner):
    program = m.ProgramGoal.objects.of_plan(seed_plan).get(strategic_goal__isnull=True)
    goal = m.StrategicGoal.objects.of_plan(seed_plan).get(number="2")
    prefix = f"program-{program.pk}-pindah"
    response = planner.post(
        reverse("editor:change", args=[seed_plan.pk, "program", program.pk]),
        {f"{prefix}-parent": goal.pk, f"{prefix}-version": program.version, "tindakan": "pindah"},
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.strategic_goal_id == goal.pk and not program.needs_review
    assert "(tanpa sasaran strategis)" not in planner.get(editor_url(seed_plan)).content.decode()


def test_a_new_plan_as_a_copy_of_last_year(seed_plan, planner):
    url = reverse("editor:new_plan", args=[seed_plan.agency.code])
    assert planner.get(url).status_code == 200
    response = planner.post(url, {"how": "salin", "source": seed_plan.pk, "year": 2024})
    copy = m.Plan.objects.system("test").get(year=2024)
    assert response.status_code == 302 and response["Location"] == editor_url(copy)
    assert m.SubActivity.objects.of_plan(copy).count() == 45
    assert planner.post(url, {"how": "salin", "source": seed_plan.pk, "year": 2024}).status_code == 400


def test_another_agencys_planner_gets_404_on_every_editor_page(seed_plan, django_user_model, client):
    other = Agency.objects.create(name="KPU Provinsi Lain", code="kpu-prov-lain")
    outsider = django_user_model.objects.create_user("luar", password="kata-sandi-uji-123")
    Membership.objects.create(user=outsider, agency=other, role=Role.PLANNER)
    client.force_login(outsider)
    goal = m.StrategicGoal.objects.of_plan(seed_plan).first()
    before = HistoryEvent.objects.of_plan(seed_plan).count()
    assert client.get(editor_url(seed_plan)).status_code == 404
    assert client.get(reverse("editor:check", args=[seed_plan.pk]), {"jenis": "target"}).status_code == 404
    assert client.post(reverse("editor:add", args=[seed_plan.pk, "sasaran"]), {}).status_code == 404
    change = reverse("editor:change", args=[seed_plan.pk, "sasaran", goal.pk])
    assert client.post(change, {"tindakan": "hapus"}).status_code == 404
    assert client.get(reverse("editor:new_plan", args=[seed_plan.agency.code])).status_code == 404
    assert HistoryEvent.objects.of_plan(seed_plan).count() == before


def test_a_viewer_is_refused_the_editor(seed_plan, django_user_model, client):
    viewer = django_user_model.objects.create_user("pembaca", password="kata-sandi-uji-123")
    Membership.objects.create(user=viewer, agency=seed_plan.agency, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(editor_url(seed_plan)).status_code == 403


def test_two_sessions_saving_the_same_line_the_second_sees_the_first_value(
    seed_plan, planner, django_user_model
):
    from django.test import Client

    other = django_user_model.objects.create_user("perencana2", password="kata-sandi-uji-123")
    Membership.objects.create(user=other, agency=seed_plan.agency, role=Role.PLANNER)
    second = Client()
    second.force_login(other)
    line = m.SubActivity.objects.of_plan(seed_plan).order_by("position").first()
    url = reverse("editor:change", args=[seed_plan.pk, "baris", line.pk])
    prefix = f"baris-{line.pk}"

    def save(client, cost):
        return client.post(
            url,
            {
                f"{prefix}-name": line.name,
                f"{prefix}-activity": line.activity_id or "",
                f"{prefix}-cost": cost,
                f"{prefix}-budget_code": line.budget_code,
                f"{prefix}-version": line.version,  # both opened the line at this version
                "tindakan": "simpan",
            },
        )

    assert save(planner, "1.500.000").status_code == 302
    refused = save(second, "2.000.000")
    assert refused.status_code == 409 and "Rp 1.500.000" in refused.content.decode()
    assert m.SubActivity.objects.of_plan(seed_plan).get(pk=line.pk).cost == 1_500_000


def test_every_kind_has_its_page_and_its_add_page(seed_plan, planner):
    objects = {
        "sasaran": m.StrategicGoal,
        "program": m.ProgramGoal,
        "indikator": m.Indicator,
        "kegiatan": m.Activity,
        "baris": m.SubActivity,
    }
    parents = {"program": "sasaran", "indikator": "program", "baris": "indikator", "kegiatan": "indikator"}
    first = {
        kind: model.objects.of_plan(seed_plan).order_by("position").first() for kind, model in objects.items()
    }
    for kind, obj in first.items():
        page = planner.get(reverse("editor:change", args=[seed_plan.pk, kind, obj.pk]))
        assert page.status_code == 200 and "Simpan" in page.content.decode(), kind
        query = {"induk": first[parents[kind]].pk} if kind in parents else {}
        added = planner.get(reverse("editor:add", args=[seed_plan.pk, kind]), query)
        assert added.status_code == 200 and "Tambah" in added.content.decode(), kind
    assert (
        planner.get(reverse("editor:add", args=[seed_plan.pk, "baris"]), {"induk": 999_999}).status_code
        == 404
    )
