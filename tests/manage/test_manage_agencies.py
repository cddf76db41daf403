"""Creating agencies and changing their settings."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from manage_support import People, everything, history

from renaksi.agencies import services as agency_services
from renaksi.agencies.models import Agency

CREATE_URL = reverse("manage:agency_create")


def _agency_data(**fields: object) -> dict[str, object]:
    province = Agency.objects.get(code="kpu-prov-gorontalo")
    data: dict[str, object] = {
        "code": "kpu-kab-contoh",
        "name": "KPU Kabupaten Contoh",
        "level": "regency",
        "parent": province.pk,
        "time_zone": "Asia/Makassar",
    }
    data.update(fields)
    return data


def test_a_site_admin_creates_a_regency_under_a_province_and_it_is_recorded(people: People):
    response = people.browser("site_admin").post(CREATE_URL, _agency_data(publishes_plans="on"))
    assert response.status_code == 302
    agency = Agency.objects.get(code="kpu-kab-contoh")
    assert (agency.parent.code, agency.level, agency.publishes_plans) == (
        "kpu-prov-gorontalo",
        "regency",
        True,
    )
    assert response["Location"] == reverse("manage:members", args=["kpu-kab-contoh"])
    (event,) = history("agency_created")
    assert event.agency == agency and event.actor == people.site_admin
    assert event.after["name"] == "KPU Kabupaten Contoh" and event.after["parent"] == agency.parent_id


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"parent": ""}, "Induk"),
        ({"parent": "regency"}, "Induk"),
        ({"level": "national"}, "Induk"),
        ({"time_zone": "Asia/Gorontalo"}, "Zona waktu"),
        ({"time_zone": "WITA"}, "Zona waktu"),
        ({"code": "kpu-kab-boalemo"}, "Kode"),
        ({"code": "baru"}, "Kode"),
        ({"code": "Bukan Slug!"}, "Kode"),
        ({"name": "kpu kabupaten boalemo"}, "Nama"),
        ({"level": "desa"}, "Tingkat"),
    ],
)
def test_a_refused_agency_names_the_field_and_nothing_is_created(people: People, fields, label):
    if fields.get("parent") == "regency":
        fields = {"parent": Agency.objects.get(code="kpu-kab-boalemo").pk}
    before = everything()
    response = people.browser("site_admin").post(CREATE_URL, _agency_data(**fields))
    assert response.status_code == 200
    assert f">{label}</a>:" in response.content.decode()
    assert everything() == before


def test_a_site_admin_changes_name_and_time_zone_with_before_and_after_recorded(people: People):
    url = reverse("manage:agency_settings", args=["kpu-kab-boalemo"])
    response = people.browser("site_admin").post(
        url, {"name": "KPU Kab. Boalemo", "time_zone": "Asia/Jakarta", "publishes_plans": ""}
    )
    assert response.status_code == 302
    agency = Agency.objects.get(code="kpu-kab-boalemo")
    assert (agency.name, agency.time_zone) == ("KPU Kab. Boalemo", "Asia/Jakarta")
    (event,) = history("agency_changed")
    assert event.before == {"name": "KPU Kabupaten Boalemo", "time_zone": "Asia/Makassar"}
    assert event.after == {"name": "KPU Kab. Boalemo", "time_zone": "Asia/Jakarta"}


def test_an_unknown_time_zone_is_refused_on_edit(people: People):
    before = everything()
    url = reverse("manage:agency_settings", args=["kpu-kab-boalemo"])
    response = people.browser("site_admin").post(
        url, {"name": "KPU Kabupaten Boalemo", "time_zone": "Mars/Olympus"}
    )
    assert ">Zona waktu</a>:" in response.content.decode()
    assert everything() == before


def test_an_agency_admin_changes_publishing_only(people: People):
    url = reverse("manage:agency_settings", args=["kpu-kab-boalemo"])
    browser = people.browser("boalemo_admin")
    page = browser.get(url).content.decode()
    assert 'name="publishes_plans"' in page and 'name="time_zone"' not in page
    browser.post(url, {"publishes_plans": "on", "name": "Nama Lain", "time_zone": "Asia/Jakarta"})
    agency = Agency.objects.get(code="kpu-kab-boalemo")
    assert (
        agency.publishes_plans
        and agency.name == "KPU Kabupaten Boalemo"
        and agency.time_zone == "Asia/Makassar"
    )
    (event,) = history("agency_changed")
    assert event.before == {"publishes_plans": False} and event.after == {"publishes_plans": True}
    assert event.actor == people.boalemo_admin


def test_the_service_refuses_an_agency_admin_renaming_their_agency(people: People):
    agency = Agency.objects.get(code="kpu-kab-boalemo")
    with pytest.raises(PermissionDenied):
        agency_services.update_agency(actor=people.boalemo_admin, agency=agency, name="Lain")
    with pytest.raises(PermissionDenied):
        agency_services.create_agency(
            actor=people.boalemo_admin,
            code="x",
            name="X",
            level="regency",
            parent=agency.parent,
            time_zone="Asia/Makassar",
        )


def test_saving_unchanged_settings_records_nothing(people: People):
    url = reverse("manage:agency_settings", args=["kpu-kab-boalemo"])
    # The form as shown, sent back as it is (publishing stays off: an unchecked box sends nothing).
    response = people.browser("boalemo_admin").post(
        url, {"name": "KPU Kabupaten Boalemo", "time_zone": "Asia/Makassar"}
    )
    assert response.status_code == 302  # saved, not refused: an unchanged save records nothing
    assert history("agency_changed") == []
