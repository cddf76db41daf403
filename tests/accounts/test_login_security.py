"""Login security: failed logins lock an account from one address and an address (the rules
themselves: test_login_throttling), sessions time out, a deactivated
user is out, and an admin's password reset forces a new password before anything else."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.test import Client
from django.urls import reverse

from renaksi.accounts import security
from renaksi.accounts.models import LoginFailure, Membership, PasswordChangeRequired, Role
from renaksi.agencies.services import find_agency
from renaksi.history import Event
from renaksi.history.models import HistoryEvent

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-rahasia-42"
LOGIN = "/akun/masuk/"
LOCKED_TEXT = "Terlalu banyak percobaan masuk yang gagal"
INVALID_TEXT = "Nama pengguna atau kata sandi salah"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def budi(django_user_model):
    return django_user_model.objects.create_user("budi", password=PASSWORD)


@pytest.fixture
def limits(settings):
    settings.RENAKSI_LOGIN_MAX_FAILURES = 3
    settings.RENAKSI_LOGIN_WINDOW_SECONDS = 900
    settings.RENAKSI_TRUSTED_PROXIES = []
    return settings


def post_login(client: Client, username: str, password: str, address: str = "10.0.0.1", **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- failed logins -------------------------------------------------------------------------------


def test_a_right_password_logs_in_and_goes_to_the_agency_list(budi, limits):
    client = Client()
    response = post_login(client, "budi", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("planning:agency_list")
    assert logged_in(client)


def test_a_wrong_password_is_counted_for_the_username_and_the_address(budi, limits):
    response = post_login(Client(), "budi", "salah")
    assert response.status_code == 200 and INVALID_TEXT in response.content.decode()
    kinds = sorted(LoginFailure.objects.values_list("kind", flat=True))
    assert kinds == ["account", "ip"]
    assert set(LoginFailure.objects.values_list("key", flat=True)) == {"10.0.0.1"}
    # The username is kept only as a keyed hash, never as typed.
    account = LoginFailure.objects.get(kind="account").account
    assert len(account) == 40 and "budi" not in account


def test_after_the_maximum_failures_even_the_right_password_is_refused_from_that_address(budi, limits):
    client = Client()
    for attempt in range(3):
        response = post_login(client, "budi", f"salah-{attempt}", address="10.0.0.1")
    assert LOCKED_TEXT in response.content.decode()
    response = post_login(client, "budi", PASSWORD, address="10.0.0.1")
    assert response.status_code == 200
    assert LOCKED_TEXT in response.content.decode() and "menit" in response.content.decode()
    assert not logged_in(client)


def test_refused_attempts_while_locked_are_not_counted_so_the_lock_ends_with_the_window(budi, limits):
    for attempt in range(3):
        post_login(Client(), "budi", f"salah-{attempt}", address="10.0.1.1")
    for _ in range(5):
        post_login(Client(), "budi", "salah-lagi", address="10.0.1.1")
    assert LoginFailure.objects.filter(kind="account").count() == 3
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=901))
    client = Client()
    post_login(client, "budi", PASSWORD, address="10.0.1.1")
    assert logged_in(client)


def test_the_lock_lasts_its_delay_after_the_last_failure(budi, limits):
    for attempt in range(3):
        post_login(Client(), "budi", f"salah-{attempt}", address="10.0.1.1")
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=58))
    assert security.seconds_locked("budi", "10.0.1.1") in (1, 2)
    client = Client()
    assert LOCKED_TEXT in post_login(client, "budi", PASSWORD, address="10.0.1.1").content.decode()
    assert not logged_in(client)


def test_one_address_guessing_many_usernames_is_locked_out(budi, limits):
    limits.RENAKSI_LOGIN_ADDRESS_MAX_FAILURES = 3
    for name in ("ani", "citra", "dedi"):
        post_login(Client(), name, "salah", address="203.0.113.7")
    client = Client()
    assert LOCKED_TEXT in post_login(client, "budi", PASSWORD, address="203.0.113.7").content.decode()
    other = Client()
    post_login(other, "budi", PASSWORD, address="203.0.113.8")
    assert logged_in(other)


def test_the_username_is_counted_whatever_its_case_or_spaces(budi, limits):
    for variant in ("budi", "BUDI", " Budi "):
        post_login(Client(), variant, "salah", address="10.2.0.1")
    assert security.seconds_locked("budi", "10.2.0.1") > 0


def test_a_success_clears_the_usernames_failures_but_not_the_addresss(budi, limits):
    post_login(Client(), "budi", "salah", address="10.0.0.5")
    post_login(Client(), "budi", "salah", address="10.0.0.5")
    client = Client()
    post_login(client, "budi", PASSWORD, address="10.0.0.5")
    assert logged_in(client)
    assert not LoginFailure.objects.filter(kind="account").exists()
    assert LoginFailure.objects.filter(kind="ip", key="10.0.0.5").count() == 2


def test_failures_older_than_the_window_are_deleted_when_a_new_one_comes(budi, limits):
    post_login(Client(), "budi", "salah")
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=1000))
    post_login(Client(), "budi", "salah")
    assert LoginFailure.objects.count() == 2


def test_x_forwarded_for_is_ignored_unless_the_request_comes_from_a_trusted_proxy(budi, limits):
    for _ in range(3):
        post_login(Client(), "tidak-ada", "salah", address="10.5.5.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert set(LoginFailure.objects.filter(kind="ip").values_list("key", flat=True)) == {"10.5.5.5"}

    limits.RENAKSI_TRUSTED_PROXIES = ["10.5.5.5"]
    post_login(
        Client(), "tidak-ada-2", "salah", address="10.5.5.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.2"
    )
    assert LoginFailure.objects.filter(kind="ip", key="198.51.100.2").count() == 1


def test_a_forged_left_part_of_x_forwarded_for_does_not_choose_the_address(rf, limits):
    limits.RENAKSI_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.2")
    assert security.client_address(request) == "198.51.100.9"
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="bukan-alamat")
    assert security.client_address(request) == "10.0.0.1"


def test_an_inactive_users_right_password_is_refused_like_a_wrong_one(budi, limits):
    budi.is_active = False
    budi.save()
    client = Client()
    response = post_login(client, "budi", PASSWORD)
    assert INVALID_TEXT in response.content.decode() and not logged_in(client)


def test_the_login_page_keeps_next_and_goes_there_after_login(budi, limits):
    client = Client()
    page = client.get(reverse("accounts:login") + "?next=/publik/")
    assert 'name="next" value="/publik/"' in page.content.decode()
    response = client.post(
        reverse("accounts:login"), {"username": "budi", "password": PASSWORD, "next": "/publik/"}
    )
    assert response["Location"] == "/publik/"


# --- sessions ------------------------------------------------------------------------------------


def move_session(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = float(session[key]) - seconds
    session.save()


def test_a_login_stamps_the_session_with_its_time(budi, limits):
    client = Client()
    post_login(client, "budi", PASSWORD)
    assert client.session[security.AUTH_AT] == client.session[security.SEEN_AT]


def test_an_idle_session_is_flushed_and_the_user_sent_to_login_with_next(client, settings):
    settings.RENAKSI_SESSION_IDLE_SECONDS = 1800
    assert client.get(reverse("planning:agency_list")).status_code == 200
    move_session(client, security.SEEN_AT, 1801)
    old_key = client.session.session_key
    response = client.get(reverse("planning:agency_list"))
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={reverse('planning:agency_list')}"
    assert not logged_in(client) and client.session.session_key != old_key
    page = client.get(response["Location"])
    assert "Sesi Anda berakhir" in page.content.decode()


def test_a_session_in_use_still_ends_at_the_absolute_timeout(client, settings):
    settings.RENAKSI_SESSION_ABSOLUTE_SECONDS = 43200
    move_session(client, security.AUTH_AT, 43201)
    # Used a minute ago: never idle, but too old.
    assert client.get(reverse("planning:agency_list")).status_code == 302
    assert not logged_in(client)


def test_a_session_inside_both_timeouts_goes_on_and_its_idle_clock_is_reset(client, settings):
    move_session(client, security.SEEN_AT, 1700)
    move_session(client, security.AUTH_AT, 40000)
    before = client.session[security.SEEN_AT]
    assert client.get(reverse("planning:agency_list")).status_code == 200
    assert client.session[security.SEEN_AT] > before + 1000


def test_an_expired_session_on_a_public_page_shows_the_page_anonymously(client):
    move_session(client, security.SEEN_AT, 7200)
    response = client.get(reverse("portal:index"))
    assert response.status_code == 200 and not logged_in(client)


def test_the_session_cookie_lives_as_long_as_the_absolute_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == settings.RENAKSI_SESSION_ABSOLUTE_SECONDS == 43200
    assert settings.RENAKSI_SESSION_IDLE_SECONDS == 1800


def test_a_deactivated_user_is_out_at_the_next_request(budi):
    client = Client()
    client.force_login(budi)
    Membership.objects.create(user=budi, agency=find_agency("kpu-prov-gorontalo"), role=Role.VIEWER)
    assert client.get(reverse("planning:agency_list")).status_code == 200
    budi.is_active = False
    budi.save()
    response = client.get(reverse("planning:agency_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# --- an admin's password reset -------------------------------------------------------------------


@pytest.fixture
def people(django_user_model):
    home = find_agency("kpu-prov-gorontalo")
    regency = find_agency("kpu-kota-gorontalo")
    admin = django_user_model.objects.create_user("admin-prov", password=PASSWORD)
    Membership.objects.create(user=admin, agency=home, role=Role.AGENCY_ADMIN)
    member = django_user_model.objects.create_user("anggota", password=PASSWORD)
    Membership.objects.create(user=member, agency=home, role=Role.PLANNER)
    both = django_user_model.objects.create_user("dua-satker", password=PASSWORD)
    Membership.objects.create(user=both, agency=home, role=Role.PLANNER)
    Membership.objects.create(user=both, agency=regency, role=Role.VIEWER)
    site_admin = django_user_model.objects.create_superuser("situs", password=PASSWORD)
    planner = django_user_model.objects.get(username="anggota")
    return {
        "home": home,
        "regency": regency,
        "admin": admin,
        "member": member,
        "both": both,
        "site_admin": site_admin,
        "planner": planner,
    }


def test_an_agency_admin_resets_a_members_password_and_history_records_it(people):
    admin, member, home = people["admin"], people["member"], people["home"]
    password = security.reset_password(admin, member, home)
    member.refresh_from_db()
    assert len(password) == 16 and member.check_password(password) and not member.check_password(PASSWORD)
    assert PasswordChangeRequired.objects.get(user=member).set_by == admin
    event = HistoryEvent.objects.system("test").get(event=Event.USER_PASSWORD_RESET)
    assert event.agency_id == home.pk and event.actor_id == admin.pk
    assert event.object_id == str(member.pk)
    assert password not in repr(event.before) + repr(event.after) + event.note


def test_two_resets_give_two_different_passwords(people):
    first = security.reset_password(people["admin"], people["member"], people["home"])
    second = security.reset_password(people["admin"], people["member"], people["home"])
    assert first != second
    assert PasswordChangeRequired.objects.filter(user=people["member"]).count() == 1


def test_only_the_admin_of_the_users_home_agency_may_reset_a_user_who_belongs_to_two(people):
    # dua-satker joined the province first (home) and the regency later.
    regency_admin = get_user_model().objects.create_user("admin-kota", password=PASSWORD)
    Membership.objects.create(user=regency_admin, agency=people["regency"], role=Role.AGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        security.reset_password(regency_admin, people["both"], people["regency"])
    assert people["both"].check_password(PASSWORD)
    assert not HistoryEvent.objects.system("test").exists()
    password = security.reset_password(people["admin"], people["both"], people["home"])
    people["both"].refresh_from_db()
    assert people["both"].check_password(password)


def test_an_agency_admin_may_not_reset_someone_outside_the_agency_or_a_site_admin(people, django_user_model):
    stranger = django_user_model.objects.create_user("orang-lain", password=PASSWORD)
    Membership.objects.create(user=stranger, agency=people["regency"], role=Role.PLANNER)
    Membership.objects.create(user=people["site_admin"], agency=people["home"], role=Role.PLANNER)
    for target, agency in (
        (stranger, people["home"]),
        (stranger, people["regency"]),
        (people["site_admin"], people["home"]),
    ):
        with pytest.raises(PermissionDenied):
            security.reset_password(people["admin"], target, agency)


def test_a_planner_may_not_reset_anyones_password(people, django_user_model):
    other = django_user_model.objects.create_user("lain", password=PASSWORD)
    Membership.objects.create(user=other, agency=people["home"], role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        security.reset_password(people["planner"], other, people["home"])


def test_a_site_admin_may_reset_anyone(people):
    password = security.reset_password(people["site_admin"], people["both"], people["regency"])
    people["both"].refresh_from_db()
    assert people["both"].check_password(password)


def test_a_reset_ends_the_users_open_sessions_and_clears_their_failed_logins(people, limits):
    member = people["member"]
    browser = Client()
    browser.force_login(member)
    post_login(Client(), "anggota", "salah")
    security.reset_password(people["admin"], member, people["home"])
    assert not LoginFailure.objects.filter(kind="account").exists()
    response = browser.get(reverse("planning:agency_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_after_a_reset_the_user_must_choose_a_new_password_before_anything_else(people, limits):
    member = people["member"]
    password = security.reset_password(people["admin"], member, people["home"])
    client = Client()
    response = post_login(client, "anggota", password)
    assert logged_in(client)
    response = client.get(response["Location"])
    change = reverse("accounts:password_change")
    assert response.status_code == 302 and response["Location"].startswith(change)
    for url in (reverse("planning:agency_list"), reverse("accounts:security"), reverse("portal:index")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == f"{change}?next={url}", url
    page = client.get(response["Location"])
    assert page.status_code == 200 and "diatur ulang oleh admin" in page.content.decode()

    # A wrong old password names the field and changes nothing.
    response = client.post(change, {"old_password": "salah", "new_password1": "x", "new_password2": "x"})
    assert response.status_code == 200 and "field__error" in response.content.decode()
    assert client.get(reverse("planning:agency_list")).status_code == 302

    new = "Kuda-Lumping-Berlari-77"
    response = client.post(
        change, {"old_password": password, "new_password1": new, "new_password2": new, "next": "/publik/"}
    )
    assert response.status_code == 302 and response["Location"] == "/publik/"
    assert not PasswordChangeRequired.objects.filter(user=member).exists()
    assert client.get(reverse("planning:agency_list")).status_code == 200  # still logged in
    member.refresh_from_db()
    assert member.check_password(new)


def test_a_user_who_must_change_their_password_may_still_log_out(people):
    security.reset_password(people["admin"], people["member"], people["home"])
    client = Client()
    client.force_login(people["member"])
    assert client.session[security.MUST_CHANGE_PASSWORD] is True
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not logged_in(client)


def test_the_password_change_page_ignores_a_next_to_another_site(client):
    response = client.get(reverse("accounts:password_change") + "?next=https://jahat.example/")
    assert 'value="https://jahat.example/"' not in response.content.decode()


# --- production settings -------------------------------------------------------------------------


def test_the_deploy_check_passes_with_the_production_settings(tmp_path: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renaksi.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50)[:50],
        "ALLOWED_HOSTS": "renaksi.example",
        "RENAKSI_PRODUCTION": "1",
        "RENAKSI_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_the_production_flag_the_deploy_check_warns(tmp_path: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renaksi.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50)[:50],
        "ALLOWED_HOSTS": "renaksi.example",
        "RENAKSI_PRODUCTION": "0",
        "RENAKSI_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout


def test_attempts_in_flight_count_so_parallel_guesses_cannot_pass_the_limit(
    settings, django_user_model
) -> None:
    from renaksi.accounts import security

    settings.RENAKSI_LOGIN_MAX_FAILURES = 2
    django_user_model.objects.create_user("sasaran", password="kata-sandi-benar-123")
    # Two guesses whose passwords are still being checked, as parallel requests would be (from
    # the test client's address).
    security.begin_attempt("sasaran", "127.0.0.1")
    security.begin_attempt("sasaran", "127.0.0.1")
    response = Client().post(
        reverse("accounts:login"), {"username": "sasaran", "password": "kata-sandi-benar-123"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in response.client.session
    assert "Terlalu banyak" in response.content.decode()
