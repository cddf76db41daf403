"""Who may open each management page and send each form, through the test client.

Every management URL has rows here (a new one without rows fails
``test_every_management_url_is_in_the_matrix``). For each, the agency admin of the agency, an
agency admin of another agency (404, as if it did not exist), a planner of the agency (403), the
province's admin (sees Boalemo, does not manage it: 403) and a site admin; every refused request
leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from manage_support import People, everything

from renaksi.accounts.management_urls import urlpatterns

BOALEMO = "kpu-kab-boalemo"
CSV_FILE = "kode;nama\n3358;Dukungan Manajemen\n"


@dataclass(frozen=True)
class Request:
    name: str
    method: str
    kwargs: Callable[[People], dict[str, Any]] = lambda people: {}
    data: Callable[[People], dict[str, Any]] = lambda people: {}
    writes: bool = False


def _siti(people: People) -> dict[str, Any]:
    return {"agency_code": BOALEMO, "membership_id": people.membership(people.siti).pk}


def _boalemo(people: People) -> dict[str, Any]:
    return {"agency_code": BOALEMO}


def _boalemo_invitation(people: People) -> dict[str, Any]:
    """A waiting invitation of Boalemo, made for each request (a cancel uses it up)."""
    from datetime import timedelta
    from uuid import uuid4

    from django.utils import timezone

    from renaksi.accounts.models import MemberInvitation
    from renaksi.agencies.models import Agency

    invitation = MemberInvitation.objects.create(
        agency=Agency.objects.get(code=BOALEMO),
        username=f"diundang-{uuid4().hex[:8]}",
        role="viewer",
        token_hash=uuid4().hex,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {"agency_code": BOALEMO, "invitation_id": invitation.pk}


def _upload(people: People) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("nama.csv", CSV_FILE.encode())}


AGENCY_PAGES = [
    Request("members", "get", _boalemo),
    Request("agency_settings", "get", _boalemo),
    Request(
        "agency_settings",
        "post",
        _boalemo,
        lambda people: {
            "name": "KPU Kabupaten Boalemo",
            "time_zone": "Asia/Makassar",
            "publishes_plans": "on",
        },
        writes=True,
    ),
    Request(
        "member_invite",
        "post",
        _boalemo,
        lambda people: {"username": "baru", "full_name": "Orang Baru", "email": "", "role": "viewer"},
        writes=True,
    ),
    Request("member_role", "post", _siti, lambda people: {"role": "planner"}, writes=True),
    Request("member_remove", "post", _siti, writes=True),
    Request("user_deactivate", "post", _siti, writes=True),
    Request("member_password_reset", "post", _siti, writes=True),
    Request("invitation_cancel", "post", _boalemo_invitation, writes=True),
]
SITE_ADMIN_PAGES = [
    Request("agency_create", "get"),
    Request(
        "agency_create",
        "post",
        data=lambda people: {
            "code": "kpu-kab-baru",
            "name": "KPU Kabupaten Baru",
            "level": "regency",
            "parent": people.province_admin.memberships.get().agency_id,
            "time_zone": "Asia/Makassar",
        },
        writes=True,
    ),
    Request("reference", "get"),
    Request("reference_preview", "post", data=_upload),
    Request("reference_commit", "post", data=lambda people: {"token": "x"}),
    Request("login_locks", "get"),
    Request("login_unlock", "post", data=lambda people: {"address": "192.0.2.1"}),
]
ALL = [*AGENCY_PAGES, *SITE_ADMIN_PAGES, Request("agency_list", "get")]


def _send(browser: Client, request: Request, people: People) -> Any:
    url = reverse(f"manage:{request.name}", kwargs=request.kwargs(people))
    return getattr(browser, request.method)(url, request.data(people))


def _id(request: Request) -> str:
    return f"{request.method}-{request.name}"


def test_every_management_url_is_in_the_matrix():
    names = {pattern.name for pattern in urlpatterns}
    assert names == {request.name for request in ALL}
    assert "manage" in get_resolver().namespace_dict


@pytest.mark.parametrize("request_", ALL, ids=_id)
def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(people, request_):
    before = everything()
    response = _send(Client(), request_, people)
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]
    assert everything() == before


@pytest.mark.parametrize("request_", AGENCY_PAGES, ids=_id)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("pohuwato_admin", 404), ("boalemo_planner", 403), ("province_admin", 403)],
)
def test_a_user_who_does_not_manage_the_agency_is_refused_and_nothing_changes(
    people, request_, persona, status
):
    before = everything()
    response = _send(people.browser(persona), request_, people)
    assert response.status_code == status
    assert everything() == before


@pytest.mark.parametrize("request_", AGENCY_PAGES, ids=_id)
@pytest.mark.parametrize("persona", ["boalemo_admin", "site_admin"])
def test_the_agency_admin_and_a_site_admin_may_use_every_agency_page(people, request_, persona):
    before = everything()
    response = _send(people.browser(persona), request_, people)
    assert response.status_code in {200, 302}
    if request_.writes:
        assert everything() != before
    else:
        assert response.status_code == 200
        assert everything() == before


@pytest.mark.parametrize("request_", [r for r in AGENCY_PAGES if r.writes], ids=_id)
def test_another_agencys_admin_gets_404_like_a_missing_agency(people, request_):
    browser = people.browser("pohuwato_admin")
    other = _send(browser, request_, people)
    missing_url = reverse(
        f"manage:{request_.name}", kwargs={**request_.kwargs(people), "agency_code": "tidak-ada"}
    )
    missing = getattr(browser, request_.method)(missing_url, request_.data(people))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content


@pytest.mark.parametrize("name", ["member_role", "member_remove", "user_deactivate", "member_password_reset"])
def test_a_membership_of_another_agency_under_ones_own_agency_answers_404(people, name):
    before = everything()
    url = reverse(
        f"manage:{name}",
        kwargs={"agency_code": "kpu-kab-pohuwato", "membership_id": people.membership(people.siti).pk},
    )
    response = people.browser("pohuwato_admin").post(url, {"role": "planner"})
    assert response.status_code == 404
    assert everything() == before


@pytest.mark.parametrize("persona", ["boalemo_admin", "site_admin"])
def test_a_missing_membership_answers_404(people, persona):
    url = reverse("manage:member_remove", kwargs={"agency_code": BOALEMO, "membership_id": 999999})
    assert people.browser(persona).post(url).status_code == 404


@pytest.mark.parametrize("request_", SITE_ADMIN_PAGES, ids=_id)
@pytest.mark.parametrize("persona", ["boalemo_admin", "pohuwato_admin", "boalemo_planner", "province_admin"])
def test_site_admin_pages_refuse_everyone_else_and_nothing_changes(people, request_, persona):
    before = everything()
    response = _send(people.browser(persona), request_, people)
    assert response.status_code == 403
    assert everything() == before


@pytest.mark.parametrize("request_", SITE_ADMIN_PAGES, ids=_id)
def test_a_site_admin_may_use_the_site_admin_pages(people, request_):
    response = _send(people.browser("site_admin"), request_, people)
    assert response.status_code in {200, 302}


@pytest.mark.parametrize(
    ("persona", "status"), [("boalemo_admin", 200), ("site_admin", 200), ("boalemo_planner", 403)]
)
def test_the_agency_list_is_for_those_who_manage_something(people, persona, status):
    assert people.browser(persona).get(reverse("manage:agency_list")).status_code == status


def test_the_agency_list_shows_an_agency_admin_only_their_own_agencies(people):
    page = people.browser("boalemo_admin").get(reverse("manage:agency_list")).content.decode()
    assert reverse("manage:members", args=[BOALEMO]) in page
    assert "kpu-kab-pohuwato" not in page
    site_page = people.browser("site_admin").get(reverse("manage:agency_list")).content.decode()
    assert reverse("manage:members", args=["kpu-kab-pohuwato"]) in site_page


@pytest.mark.parametrize(
    "name", ["member_invite", "member_role", "member_remove", "user_deactivate", "member_password_reset"]
)
def test_writes_refuse_get(people, name):
    kwargs = _siti(people) if name != "member_invite" else _boalemo(people)
    before = everything()
    response = people.browser("boalemo_admin").get(reverse(f"manage:{name}", kwargs=kwargs))
    assert response.status_code == 405
    assert everything() == before


def test_writes_need_a_csrf_token(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.boalemo_admin)
    before = everything()
    response = browser.post(reverse("manage:member_remove", kwargs=_siti(people)))
    assert response.status_code == 403
    assert everything() == before


@pytest.mark.parametrize(
    ("persona", "shown"), [("site_admin", True), ("boalemo_admin", True), ("boalemo_planner", False)]
)
def test_the_kelola_link_is_shown_to_those_who_manage_something(people, persona, shown):
    page = people.browser(persona).get(reverse("planning:agency_list")).content.decode()
    assert (f'href="{reverse("manage:agency_list")}"' in page) is shown
