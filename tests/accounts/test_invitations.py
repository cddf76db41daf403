"""Membership of an existing account in another agency is an invitation the account accepts.

An agency admin's invitation never attaches an account by itself: the invited account sees it
after logging in and accepts or declines it; a name nobody has yet becomes an account only when
the person opens the invitation link and chooses a password. The invite form answers the same
whether the name exists or not, and the account's home agency (where it first joined) keeps the
right to reset its password and deactivate it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renaksi.access import scope_for
from renaksi.accounts import management, security
from renaksi.accounts.models import MemberInvitation, Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.history.models import HistoryEvent

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "kata-sandi-uji-12345"
BOALEMO = "kpu-kab-boalemo"
POHUWATO = "kpu-kab-pohuwato"
WAITING = "diundang, menunggu"


def _member(username: str, agency_code: str, role: str) -> object:
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    Membership.objects.create(user=user, agency=find_agency(agency_code), role=role)
    return user


@pytest.fixture
def people(db) -> dict[str, object]:
    return {
        "boalemo_admin": _member("admin-boalemo", BOALEMO, Role.AGENCY_ADMIN),
        "pohuwato_admin": _member("admin-pohuwato", POHUWATO, Role.AGENCY_ADMIN),
        "budi": _member("budi", POHUWATO, Role.VIEWER),
        "siti": _member("siti", BOALEMO, Role.VIEWER),
        "site_admin": User.objects.create_superuser("situs", password=PASSWORD),
    }


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(client: Client, username: str, role: str = "planner", **extra: str):
    data = {"username": username, "full_name": "", "email": "", "role": role, **extra}
    return client.post(reverse("manage:member_invite", args=[BOALEMO]), data)


def invitation_link(response) -> str:
    found = re.search(r'class="invitation-link">([^<]+)<', response.content.decode())
    assert found, "the page shows no invitation link"
    return found.group(1)


def agencies_of(user) -> list[str]:
    return sorted(Membership.objects.filter(user=user).values_list("agency__code", flat=True))


def test_an_agency_admin_cannot_attach_another_agencys_account_without_its_consent(people):
    response = invite(browser(people["boalemo_admin"]), "budi")
    assert response.status_code == 200
    assert agencies_of(people["budi"]) == [POHUWATO]
    page = browser(people["boalemo_admin"]).get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert 'data-invitation="budi"' in page and WAITING in page
    assert 'data-member="budi"' not in page


def test_the_invite_form_answers_the_same_whether_or_not_the_name_exists(people):
    inactive = User.objects.create_user("nonaktif", password=PASSWORD, is_active=False)
    pages = {}
    for username in ("budi", "belum-ada-siapa-pun", inactive.username, "BUDI-X"):
        response = invite(browser(people["boalemo_admin"]), username)
        page = response.content.decode()
        page = page.replace(invitation_link(response), "LINK").replace(username, "NAME")
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        page = re.sub(r"Berlaku sampai [^<]+", "", page)  # the minute may turn between requests
        pages[username] = (response.status_code, page)
    assert len(set(pages.values())) == 1, "the answer tells existing names apart"
    assert not User.objects.filter(username="belum-ada-siapa-pun").exists()
    assert agencies_of(inactive) == []


def test_the_invited_account_sees_it_after_logging_in_and_accepts_it(people):
    invite(browser(people["boalemo_admin"]), "budi", role="pic")
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "budi", "password": PASSWORD}, follow=True)
    assert "undangan" in response.content.decode().casefold()
    page = client.get(reverse("accounts:invitations")).content.decode()
    assert "KPU Kabupaten Boalemo" in page
    invitation = MemberInvitation.objects.get(username="budi")
    response = client.post(reverse("accounts:invitation_accept", args=[invitation.pk]))
    assert response.status_code == 302
    assert agencies_of(people["budi"]) == [BOALEMO, POHUWATO]
    assert Membership.objects.get(user=people["budi"], agency__code=BOALEMO).role == Role.PIC
    invitation.refresh_from_db()
    assert invitation.status == MemberInvitation.Status.ACCEPTED
    added = HistoryEvent.objects.system("test").get(event="member_added")
    assert added.actor_id == people["budi"].pk and added.agency.code == BOALEMO
    page = browser(people["boalemo_admin"]).get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert 'data-member="budi"' in page and WAITING not in page


def test_declining_leaves_no_membership_and_the_admin_sees_it_declined(people):
    invite(browser(people["boalemo_admin"]), "budi")
    invitation = MemberInvitation.objects.get(username="budi")
    assert (
        browser(people["budi"]).post(reverse("accounts:invitation_decline", args=[invitation.pk])).status_code
        == 302
    )
    assert agencies_of(people["budi"]) == [POHUWATO]
    page = browser(people["boalemo_admin"]).get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert "ditolak" in page and WAITING not in page


def test_only_the_invited_account_may_accept_and_an_expired_invitation_not_at_all(people):
    invite(browser(people["boalemo_admin"]), "budi")
    invitation = MemberInvitation.objects.get(username="budi")
    assert (
        browser(people["siti"]).post(reverse("accounts:invitation_accept", args=[invitation.pk])).status_code
        == 404
    )
    MemberInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    budi = browser(people["budi"])
    assert "KPU Kabupaten Boalemo" not in budi.get(reverse("accounts:invitations")).content.decode()
    assert budi.post(reverse("accounts:invitation_accept", args=[invitation.pk])).status_code == 404
    assert agencies_of(people["budi"]) == [POHUWATO]
    page = browser(people["boalemo_admin"]).get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert "kedaluwarsa" in page


def test_a_new_person_opens_the_link_chooses_a_password_and_joins(people):
    link = invitation_link(invite(browser(people["boalemo_admin"]), "rahmat", full_name="Rahmat Hasan"))
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200 and "rahmat" in page.content.decode()
    new_password = "Kuda-Lumping-Berlari-77"
    response = visitor.post(
        link, {"full_name": "Rahmat Hasan", "new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    rahmat = User.objects.get(username="rahmat")
    assert rahmat.check_password(new_password) and rahmat.get_full_name() == "Rahmat Hasan"
    assert agencies_of(rahmat) == [BOALEMO]
    assert "_auth_user_id" in visitor.session
    # The link is used up.
    assert Client().get(link).status_code == 404
    # Boalemo is its home: its admin may reset the password.
    assert security.can_reset_password(people["boalemo_admin"], rahmat, find_agency(BOALEMO))


def test_the_link_of_a_name_taken_meanwhile_creates_no_second_account(people):
    link = invitation_link(invite(browser(people["boalemo_admin"]), "budi"))
    before = User.objects.count()
    response = Client().post(
        link, {"full_name": "X", "new_password1": "Kuda-77-abc-x", "new_password2": "Kuda-77-abc-x"}
    )
    assert response.status_code == 200
    assert User.objects.count() == before
    assert agencies_of(people["budi"]) == [POHUWATO]


def test_the_home_agency_keeps_reset_and_deactivate_rights_after_the_account_joins_another(people):
    budi = people["budi"]
    # Joined later, as an accepted invitation makes it.
    Membership.objects.create(user=budi, agency=find_agency(BOALEMO), role=Role.VIEWER)
    pohuwato_admin, boalemo_admin = people["pohuwato_admin"], people["boalemo_admin"]
    assert security.can_reset_password(pohuwato_admin, budi, find_agency(POHUWATO))
    assert management.can_deactivate(scope_for(pohuwato_admin), pohuwato_admin, budi)
    assert not security.can_reset_password(boalemo_admin, budi, find_agency(BOALEMO))
    assert not management.can_deactivate(scope_for(boalemo_admin), boalemo_admin, budi)
    membership = Membership.objects.get(user=budi, agency__code=POHUWATO)
    url = reverse("manage:member_password_reset", args=[POHUWATO, membership.pk])
    assert browser(pohuwato_admin).post(url).status_code == 200


def test_an_admin_cancels_a_waiting_invitation(people):
    invite(browser(people["boalemo_admin"]), "budi")
    invitation = MemberInvitation.objects.get(username="budi")
    url = reverse("manage:invitation_cancel", args=[BOALEMO, invitation.pk])
    assert browser(people["pohuwato_admin"]).post(url).status_code == 404
    assert browser(people["boalemo_admin"]).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == MemberInvitation.Status.CANCELLED
    assert (
        browser(people["budi"]).post(reverse("accounts:invitation_accept", args=[invitation.pk])).status_code
        == 404
    )


def test_inviting_again_replaces_the_waiting_invitation(people):
    first = invitation_link(invite(browser(people["boalemo_admin"]), "budi"))
    second = invitation_link(invite(browser(people["boalemo_admin"]), "budi", role="approver"))
    assert first != second
    assert Client().get(first).status_code == 404
    (waiting,) = MemberInvitation.objects.filter(status=MemberInvitation.Status.PENDING)
    assert waiting.role == Role.APPROVER


def test_a_site_admin_still_adds_an_existing_account_at_once(people):
    response = invite(browser(people["site_admin"]), "budi")
    assert response.status_code == 200
    assert agencies_of(people["budi"]) == [BOALEMO, POHUWATO]
