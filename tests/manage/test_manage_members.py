"""Members of an agency: inviting, changing roles, removing, deactivating, and their history."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from manage_support import PASSWORD, People, everything, history

from renaksi.accounts.models import Membership, Role
from renaksi.accounts.security_models import PasswordChangeRequired

User = get_user_model()
BOALEMO = "kpu-kab-boalemo"
INVITE_URL = reverse("manage:member_invite", kwargs={"agency_code": BOALEMO})


def _url(name: str, membership: Membership) -> str:
    return reverse(
        f"manage:{name}", kwargs={"agency_code": membership.agency.code, "membership_id": membership.pk}
    )


def _invite(browser: Client, **fields: str):
    data = {"username": "", "full_name": "", "email": "", "role": "planner", **fields}
    return browser.post(INVITE_URL, data)


def _temporary_password(response) -> str:
    found = re.search(r'class="temporary-password">([^<]+)<', response.content.decode())
    assert found, "the page shows no temporary password"
    return found.group(1)


def test_the_members_page_lists_each_member_with_their_role(people: People):
    page = people.browser("boalemo_admin").get(reverse("manage:members", args=[BOALEMO])).content.decode()
    for username in ("admin-boalemo", "perencana-boalemo", "siti"):
        assert f'data-member="{username}"' in page
    assert 'data-member="budi"' not in page  # a member of Pohuwato
    assert '<option value="viewer" selected>' in page


# An agency admin's invitation waits for the person (tests/accounts/test_invitations.py); a site
# admin adds at once, with a temporary password for a new user.
@pytest.mark.parametrize("persona", ["site_admin"])
def test_a_site_admins_new_user_can_log_in_with_the_temporary_password_shown_once(people: People, persona):
    response = _invite(
        people.browser(persona), username="rahmat", full_name="Rahmat Hasan", email="r@example.invalid"
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = _temporary_password(response)
    user = User.objects.get(username="rahmat")
    assert user.get_full_name() == "Rahmat Hasan" and user.email == "r@example.invalid"
    assert not user.is_superuser and not user.is_staff
    assert Membership.objects.get(user=user).role == Role.PLANNER
    assert password not in user.password
    assert Client().login(username="rahmat", password=password)
    # Shown once: the members page does not show it again.
    again = people.browser(persona).get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert password not in again


def test_a_site_admins_new_user_must_choose_a_new_password_after_logging_in(people: People):
    password = _temporary_password(
        _invite(people.browser("site_admin"), username="rahmat", full_name="Rahmat")
    )
    browser = Client()
    response = browser.post(reverse("accounts:login"), {"username": "rahmat", "password": password})
    assert response.status_code == 302
    assert PasswordChangeRequired.objects.filter(user__username="rahmat").exists()
    page = browser.get(reverse("planning:agency_list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:password_change"))


def test_adding_a_new_user_records_who_created_them_and_the_membership(people: People):
    _invite(people.browser("site_admin"), username="rahmat", full_name="Rahmat Hasan", role="pic")
    (created,) = history("user_created")
    (added,) = history("member_added")
    for event in (created, added):
        assert event.actor == people.site_admin
        assert event.agency.code == BOALEMO
        assert event.source == "form"
    assert created.after["username"] == "rahmat"
    assert added.after == {
        "user": User.objects.get(username="rahmat").pk,
        "agency": added.agency_id,
        "role": "pic",
        "username": "rahmat",
    }


def test_a_site_admin_adds_an_existing_user_as_they_are_without_a_new_password(people: People):
    old_password = people.pohuwato_viewer.password
    response = _invite(
        people.browser("site_admin"), username="BUDI", full_name="Nama Lain", email="lain@example.invalid"
    )
    assert response.status_code == 200
    assert "temporary-password" not in response.content.decode()
    budi = User.objects.get(pk=people.pohuwato_viewer.pk)
    assert (budi.password, budi.email, budi.first_name) == (old_password, "budi@example.invalid", "Budi")
    assert sorted(budi.memberships.values_list("agency__code", flat=True)) == [BOALEMO, "kpu-kab-pohuwato"]
    assert history("user_created") == []
    assert len(history("member_added")) == 1


def test_a_full_width_username_finds_the_existing_account_instead_of_failing(people: People):
    response = _invite(people.browser("site_admin"), username="\uff42\uff55\uff44\uff49", full_name="X")
    assert response.status_code == 200
    budi = User.objects.get(pk=people.pohuwato_viewer.pk)
    assert sorted(budi.memberships.values_list("agency__code", flat=True)) == [BOALEMO, "kpu-kab-pohuwato"]
    assert not User.objects.filter(username="\uff42\uff55\uff44\uff49").exists()


@pytest.mark.parametrize(
    ("fields", "label", "message"),
    [
        ({"username": "siti"}, "Nama pengguna", "sudah menjadi anggota"),
        ({"username": "orang-baru"}, "Nama lengkap", "Wajib"),
        ({"username": "orang baru!", "full_name": "X"}, "Nama pengguna", ""),
        ({"username": "x", "full_name": "X", "role": "superuser"}, "Peran", ""),
        ({"username": "x", "full_name": "X", "email": "bukan-surel"}, "Surel", ""),
    ],
)
def test_a_refused_invitation_names_the_field_and_changes_nothing(people: People, fields, label, message):
    before = everything()
    response = _invite(people.browser("site_admin"), **fields)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and f">{label}</a>:" in page
    assert message.casefold() in page.casefold()
    assert 'aria-invalid="true"' in page
    assert everything() == before


def test_nobody_is_made_a_site_admin_through_the_invite_form(people: People):
    for persona in ("boalemo_admin", "site_admin"):
        _invite(people.browser(persona), username="naik", full_name="Naik", is_superuser="on", is_staff="on")
    user = User.objects.get(username="naik")
    assert not user.is_superuser and not user.is_staff


def test_an_inactive_account_invited_by_an_agency_admin_is_answered_like_any_name(people: People):
    people.pohuwato_viewer.is_active = False
    people.pohuwato_viewer.save()
    before = everything()["memberships"]
    response = _invite(people.browser("boalemo_admin"), username="budi")
    assert response.status_code == 200 and "nonaktif" not in response.content.decode()
    assert everything()["memberships"] == before
    # A site admin, who adds at once, is told.
    before = everything()
    response = _invite(people.browser("site_admin"), username="budi")
    assert "nonaktif" in response.content.decode()
    assert everything() == before


def test_changing_a_role_records_before_and_after(people: People):
    membership = people.membership(people.siti)
    response = people.browser("boalemo_admin").post(_url("member_role", membership), {"role": "approver"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.APPROVER
    (event,) = history("member_role_changed")
    assert (event.before["role"], event.after["role"]) == ("viewer", "approver")
    assert event.actor == people.boalemo_admin and event.agency_id == membership.agency_id


def test_an_unknown_role_is_refused_and_changes_nothing(people: People):
    before = everything()
    membership = people.membership(people.siti)
    response = people.browser("boalemo_admin").post(
        _url("member_role", membership), {"role": "site_admin"}, follow=True
    )
    assert "Peran tidak dikenal" in response.content.decode()
    assert everything() == before


def test_an_agency_admin_cannot_remove_or_demote_themselves_but_a_site_admin_can(people: People):
    own = people.membership(people.boalemo_admin)
    browser = people.browser("boalemo_admin")
    before = everything()
    browser.post(_url("member_role", own), {"role": "viewer"})
    browser.post(_url("member_remove", own))
    assert everything() == before
    people.browser("site_admin").post(_url("member_role", own), {"role": "viewer"})
    own.refresh_from_db()
    assert own.role == Role.VIEWER


def test_removing_a_member_keeps_the_account_and_records_the_membership(people: People):
    membership = people.membership(people.siti)
    response = people.browser("boalemo_admin").post(_url("member_remove", membership))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.get(username="siti").is_active
    (event,) = history("member_removed")
    assert event.before["username"] == "siti" and event.before["role"] == "viewer"
    assert event.after is None and event.actor == people.boalemo_admin


def test_a_deactivated_user_can_no_longer_log_in_and_it_is_recorded(people: People):
    assert Client().login(username="siti", password=PASSWORD)
    siti_browser = people.browser("siti")
    membership = people.membership(people.siti)
    response = people.browser("boalemo_admin").post(_url("user_deactivate", membership))
    assert response.status_code == 302
    assert not User.objects.get(username="siti").is_active
    assert not Client().login(username="siti", password=PASSWORD)
    # A session opened before ends at its next request.
    assert siti_browser.get(reverse("planning:agency_list")).status_code == 302
    (event,) = history("user_deactivated")
    assert (event.before["is_active"], event.after["is_active"]) == (True, False)
    assert event.agency.code == BOALEMO and event.actor == people.boalemo_admin


def test_an_agency_admin_cannot_deactivate_a_user_who_also_belongs_elsewhere(people: People):
    _invite(people.browser("site_admin"), username="budi", role="viewer")
    membership = people.membership(people.pohuwato_viewer, BOALEMO)
    before = everything()
    page = people.browser("boalemo_admin").get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert _url("user_deactivate", membership) not in page
    assert people.browser("boalemo_admin").post(_url("user_deactivate", membership)).status_code == 403
    assert everything() == before
    assert people.browser("site_admin").post(_url("user_deactivate", membership)).status_code == 302
    assert not User.objects.get(username="budi").is_active
    assert sorted(e.agency.code for e in history("user_deactivated")) == [BOALEMO, "kpu-kab-pohuwato"]


def test_an_agency_admin_cannot_deactivate_a_site_admin_nor_themselves(people: People):
    _invite(people.browser("site_admin"), username="situs", role="viewer")
    browser = people.browser("boalemo_admin")
    before = everything()
    assert browser.post(_url("user_deactivate", people.membership(people.site_admin))).status_code == 403
    browser.post(_url("user_deactivate", people.membership(people.boalemo_admin)))
    assert everything() == before


def test_an_admin_resets_a_members_password_shown_once_and_the_member_must_change_it(people: People):
    siti_browser = people.browser("siti")
    membership = people.membership(people.siti)
    page = people.browser("boalemo_admin").get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert _url("member_password_reset", membership) in page

    response = people.browser("boalemo_admin").post(_url("member_password_reset", membership))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    temporary = _temporary_password(response)
    assert not Client().login(username="siti", password=PASSWORD)  # the old password is gone
    # Her open session ended with the old password.
    assert siti_browser.get(reverse("planning:agency_list")).status_code == 302

    browser = Client()
    assert (
        browser.post(reverse("accounts:login"), {"username": "siti", "password": temporary}).status_code
        == 302
    )
    forced = browser.get(reverse("planning:agency_list"))
    assert forced.status_code == 302 and reverse("accounts:password_change") in forced["Location"]
    (event,) = history("user_password_reset")
    assert (event.agency.code, event.actor) == (BOALEMO, people.boalemo_admin)
    assert temporary not in repr((event.before, event.after, event.note))


def test_an_agency_admin_cannot_reset_the_password_of_someone_who_also_belongs_elsewhere(people: People):
    _invite(people.browser("site_admin"), username="budi", role="viewer")
    membership = people.membership(people.pohuwato_viewer, BOALEMO)
    before = everything()
    page = people.browser("boalemo_admin").get(reverse("manage:members", args=[BOALEMO])).content.decode()
    assert _url("member_password_reset", membership) not in page
    assert people.browser("boalemo_admin").post(_url("member_password_reset", membership)).status_code == 403
    assert everything() == before
    assert Client().login(username="budi", password=PASSWORD)
