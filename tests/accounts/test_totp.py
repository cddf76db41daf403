"""The optional second factor: setting up an authenticator app, the code step of a login, codes
good once, wrong codes counted like wrong passwords, and turning it off."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from renaksi.accounts import security
from renaksi.accounts.models import LoginFailure, Membership, Role, TotpDevice
from renaksi.agencies.services import find_agency
from renaksi.core import totp

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-rahasia-42"
LOCKED_TEXT = "Terlalu banyak percobaan masuk yang gagal"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RENAKSI_LOGIN_MAX_FAILURES = 3


@pytest.fixture
def approver(django_user_model):
    user = django_user_model.objects.create_user("penyetuju", password=PASSWORD)
    Membership.objects.create(user=user, agency=find_agency("kpu-prov-gorontalo"), role=Role.APPROVER)
    return user


@pytest.fixture
def device(approver):
    return TotpDevice.objects.create(user=approver, secret=totp.generate_secret(), confirmed=True)


def now_code(secret: str, steps: int = 0) -> str:
    return totp.code_at(secret, time.time() + steps * 30)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def password_step(client: Client, username: str = "penyetuju", next_url: str = "") -> object:
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


# --- setting up ----------------------------------------------------------------------------------


def test_an_approver_sets_up_an_authenticator_with_the_secret_shown_as_text(approver):
    client = Client()
    client.force_login(approver)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Kami sarankan mengaktifkan verifikasi dua langkah" in page
    assert client.post(reverse("accounts:totp_start")).status_code == 302

    device = TotpDevice.objects.get(user=approver)
    assert not device.confirmed and len(device.secret) == 32
    page = client.get(reverse("accounts:security")).content.decode()
    assert device.secret in page
    assert f"otpauth://totp/Renaksi%3Apenyetuju?secret={device.secret}&amp;issuer=Renaksi" in page
    assert '<label for="id_code">' in page

    response = client.post(
        reverse("accounts:totp_confirm"),
        {"code": "000000" if now_code(device.secret) != "000000" else "111111"},
    )
    assert response.status_code == 400
    assert "Kode dari aplikasi autentikator: Kode autentikator salah" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    response = client.post(reverse("accounts:totp_confirm"), {"code": now_code(device.secret)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and device.confirmed_at is not None and device.last_used_step > 0
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Aktif sejak" in page and device.secret not in page


def test_starting_twice_keeps_the_same_secret(approver):
    client = Client()
    client.force_login(approver)
    client.post(reverse("accounts:totp_start"))
    secret = TotpDevice.objects.get(user=approver).secret
    client.post(reverse("accounts:totp_start"))
    assert TotpDevice.objects.get(user=approver).secret == secret


def test_an_abandoned_setup_is_cancelled_without_a_code(approver):
    client = Client()
    client.force_login(approver)
    client.post(reverse("accounts:totp_start"))
    assert client.post(reverse("accounts:totp_disable")).status_code == 302
    assert not TotpDevice.objects.filter(user=approver).exists()


def test_anyone_may_use_the_page_but_only_approvers_admins_and_site_admins_are_urged(
    django_user_model, client
):
    planner = django_user_model.objects.create_user("perencana", password=PASSWORD)
    Membership.objects.create(user=planner, agency=find_agency("kpu-prov-gorontalo"), role=Role.PLANNER)
    browser = Client()
    browser.force_login(planner)
    page = browser.get(reverse("accounts:security")).content.decode()
    assert "Pasang aplikasi autentikator" in page and "Kami sarankan" not in page
    assert "Kami sarankan" in client.get(reverse("accounts:security")).content.decode()  # a site admin


def test_every_page_header_links_to_the_account_security_page(client):
    assert reverse("accounts:security") in client.get(reverse("planning:agency_list")).content.decode()


def test_the_setup_pages_refuse_get_on_their_unsafe_urls(client):
    for name in ("totp_start", "totp_confirm", "totp_disable"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 405


# --- logging in with a second factor -------------------------------------------------------------


def test_a_password_alone_does_not_log_in_a_user_with_an_authenticator(device):
    client = Client()
    response = password_step(client, next_url="/publik/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    assert not logged_in(client)
    assert client.get(reverse("planning:agency_list")).status_code == 302
    page = client.get(reverse("accounts:login_code"))
    assert page.status_code == 200 and '<label for="id_code">' in page.content.decode()

    response = client.post(reverse("accounts:login_code"), {"code": now_code(device.secret)})
    assert response.status_code == 302 and response["Location"] == "/publik/"
    assert logged_in(client)
    assert security.PENDING_SECOND_FACTOR not in client.session


def test_a_code_is_good_only_once(device):
    first = Client()
    password_step(first)
    code = now_code(device.secret)
    first.post(reverse("accounts:login_code"), {"code": code})
    assert logged_in(first)

    second = Client()
    password_step(second)
    response = second.post(reverse("accounts:login_code"), {"code": code})
    assert response.status_code == 200 and not logged_in(second)
    assert "sudah dipakai" in response.content.decode()
    response = second.post(reverse("accounts:login_code"), {"code": now_code(device.secret, steps=1)})
    assert logged_in(second)


def test_wrong_codes_count_as_failed_logins_and_lock_even_the_right_code(device):
    client = Client()
    password_step(client)
    right = now_code(device.secret)
    wrong = [code for code in ("111111", "222222", "333333", "444444") if code != right][:3]
    for code in wrong:
        response = client.post(reverse("accounts:login_code"), {"code": code})
    assert LOCKED_TEXT in response.content.decode()
    assert LoginFailure.objects.filter(kind=LoginFailure.Kind.ACCOUNT).count() == 3
    response = client.post(reverse("accounts:login_code"), {"code": right})
    assert LOCKED_TEXT in response.content.decode() and not logged_in(client)
    # The password page is locked too, from this address (the test client's 127.0.0.1).
    response = password_step(Client())
    assert LOCKED_TEXT in response.content.decode()


def test_the_code_step_expires_five_minutes_after_the_password(device):
    client = Client()
    password_step(client)
    session = client.session
    session[security.PENDING_SECOND_FACTOR]["at"] -= security.PENDING_SECONDS + 1
    session.save()
    response = client.post(reverse("accounts:login_code"), {"code": now_code(device.secret)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not logged_in(client)


def test_the_code_page_without_a_password_sends_to_the_login_page(anonymous_client):
    response = anonymous_client.get(reverse("accounts:login_code"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_a_user_deactivated_between_the_two_steps_is_not_logged_in(device, approver):
    client = Client()
    password_step(client)
    approver.is_active = False
    approver.save()
    client.post(reverse("accounts:login_code"), {"code": now_code(device.secret)})
    assert not logged_in(client)


def test_an_approver_without_an_authenticator_is_offered_one_at_login(approver):
    client = Client()
    password_step(client)
    assert logged_in(client)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Lindungi akun Anda dengan verifikasi dua langkah" in page


# --- turning it off ------------------------------------------------------------------------------


def test_turning_the_authenticator_off_needs_a_right_code(device, approver):
    client = Client()
    client.force_login(approver)
    wrong = "111111" if now_code(device.secret) != "111111" else "222222"
    response = client.post(reverse("accounts:totp_disable"), {"code": wrong})
    assert response.status_code == 400 and "Kode autentikator:" in response.content.decode()
    assert TotpDevice.objects.filter(pk=device.pk).exists()
    response = client.post(reverse("accounts:totp_disable"), {"code": now_code(device.secret)})
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=approver).exists()
    client.logout()
    password_step(client)
    assert logged_in(client)


def test_the_pages_that_show_the_secret_are_never_cached(approver):
    browser = Client()
    browser.force_login(approver)
    started = browser.post(reverse("accounts:totp_start"), follow=False)
    page = browser.get(reverse("accounts:security"))
    for response in (started, page):
        assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
