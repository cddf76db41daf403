"""Login throttling that cannot be turned against the account owner: failures lock an account only
for the addresses they came from, an address is slowed down for itself alone, the delay grows
with each failure, nothing is ever locked for everyone, and a site admin can always unlock.

Real requests through the Django test client, with REMOTE_ADDR varied."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from renaksi import cli
from renaksi.accounts import security
from renaksi.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-rahasia-42"
LOCKED_TEXT = "Terlalu banyak percobaan masuk yang gagal"
ATTACKER = "203.0.113.66"
OFFICE = "198.51.100.10"  # one address for a whole office behind NAT


@pytest.fixture
def limits(settings):
    settings.RENAKSI_LOGIN_MAX_FAILURES = 5
    settings.RENAKSI_LOGIN_ADDRESS_MAX_FAILURES = 20
    settings.RENAKSI_LOGIN_LOCK_SECONDS = 60
    settings.RENAKSI_LOGIN_WINDOW_SECONDS = 900
    settings.RENAKSI_TRUSTED_PROXIES = []
    return settings


@pytest.fixture
def users(django_user_model):
    made = {name: django_user_model.objects.create_user(name, password=PASSWORD) for name in ("budi", "ani")}
    made["situs"] = django_user_model.objects.create_superuser("situs", password=PASSWORD)
    return made


def attempt(username: str, password: str, address: str) -> tuple[bool, str]:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return "_auth_user_id" in client.session, response.content.decode()


def fail(username: str, address: str, times: int) -> None:
    for number in range(times):
        attempt(username, f"salah-{number}", address)


def age_failures(seconds: int) -> None:
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=seconds))


def test_five_bad_passwords_from_one_address_do_not_lock_the_owner_elsewhere(users, limits):
    fail("budi", ATTACKER, 5)
    assert LOCKED_TEXT in attempt("budi", PASSWORD, ATTACKER)[1]
    logged_in, _page = attempt("budi", PASSWORD, "10.0.0.2")
    assert logged_in


def test_a_site_admin_attacked_again_and_again_still_logs_in_from_their_own_address(users, limits):
    for round_ in range(3):
        fail("situs", f"203.0.113.{round_ + 1}", 5)
        assert attempt("situs", PASSWORD, "10.0.0.9")[0]


def test_a_colleague_mistyping_behind_the_office_nat_does_not_lock_the_office(users, limits):
    fail("budi", OFFICE, 5)
    assert LOCKED_TEXT in attempt("budi", PASSWORD, OFFICE)[1]  # only budi, only from here
    assert attempt("ani", PASSWORD, OFFICE)[0]


def test_an_address_guessing_many_accounts_is_slowed_down_for_itself_only(users, limits):
    for number in range(20):
        attempt(f"tebak-{number}", "salah", ATTACKER)
    assert LOCKED_TEXT in attempt("ani", PASSWORD, ATTACKER)[1]
    assert attempt("ani", PASSWORD, "10.0.0.3")[0]


def test_the_delay_doubles_with_each_failure_after_the_limit_up_to_the_window(users, limits):
    fail("budi", ATTACKER, 5)
    first = security.seconds_locked("budi", ATTACKER)
    assert 55 <= first <= 60
    age_failures(61)
    assert security.seconds_locked("budi", ATTACKER) == 0
    fail("budi", ATTACKER, 1)
    assert 115 <= security.seconds_locked("budi", ATTACKER) <= 120
    age_failures(121)
    fail("budi", ATTACKER, 1)
    assert 235 <= security.seconds_locked("budi", ATTACKER) <= 240
    # However many failures, never longer than the window.
    assert [security.lock_delay(extra) for extra in (0, 1, 2, 3, 4, 10)] == [60, 120, 240, 480, 900, 900]


def test_attempts_refused_while_locked_are_not_counted(users, limits):
    fail("budi", ATTACKER, 5)
    for _ in range(10):
        attempt("budi", "salah", ATTACKER)
    assert LoginFailure.objects.filter(kind=LoginFailure.Kind.ACCOUNT).count() == 5


def test_a_success_clears_that_addresss_failures_of_the_account_only(users, limits):
    fail("budi", "10.0.0.5", 2)
    fail("budi", ATTACKER, 4)
    assert attempt("budi", PASSWORD, "10.0.0.5")[0]
    remaining = LoginFailure.objects.filter(kind=LoginFailure.Kind.ACCOUNT)
    assert set(remaining.values_list("key", flat=True)) == {ATTACKER}


def test_a_locked_unknown_username_answers_exactly_like_a_locked_real_one(users, limits):
    answers = {}
    for username in ("budi", "tidak-ada"):
        fail(username, ATTACKER, 5)
        answers[username] = attempt(username, PASSWORD, ATTACKER)[1].replace(username, "USERNAME")

    def strip(html: str) -> str:
        return "\n".join(line for line in html.splitlines() if "csrfmiddlewaretoken" not in line)

    assert LOCKED_TEXT in answers["budi"]
    assert strip(answers["budi"]) == strip(answers["tidak-ada"])


def test_the_username_is_one_account_whatever_its_case_or_spaces(users, limits):
    for variant in ("budi", "BUDI", " Budi ", "budi", "Budi"):
        attempt(variant, "salah", ATTACKER)
    assert security.seconds_locked("budi", ATTACKER) > 0
    assert security.seconds_locked("budi", "10.0.0.7") == 0


def test_wrong_authenticator_codes_lock_the_account_only_for_that_address(users, limits):
    from renaksi.accounts.models import TotpDevice
    from renaksi.core import totp

    TotpDevice.objects.create(user=users["budi"], secret=totp.generate_secret(), confirmed=True)
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post(reverse("accounts:login"), {"username": "budi", "password": PASSWORD})
    for _ in range(5):
        response = client.post(reverse("accounts:login_code"), {"code": "000000"})
    assert LOCKED_TEXT in response.content.decode()
    assert security.seconds_locked("budi", ATTACKER) > 0
    assert security.seconds_locked("budi", "10.0.0.8") == 0


def site_admin_browser(users) -> Client:
    browser = Client()
    browser.force_login(users["situs"])
    return browser


def test_a_site_admin_unlocks_an_account_and_an_address_from_the_kelola_page(users, limits):
    fail("budi", ATTACKER, 5)
    for number in range(20):
        attempt(f"tebak-{number}", "salah", OFFICE)
    browser = site_admin_browser(users)
    page = browser.get(reverse("manage:login_locks"))
    assert page.status_code == 200
    text = page.content.decode()
    assert OFFICE in text and ATTACKER in text
    assert "no-store" in page["Cache-Control"]

    response = browser.post(reverse("manage:login_unlock"), {"username": "BUDI"})
    assert response.status_code == 302
    assert attempt("budi", PASSWORD, ATTACKER)[0]
    response = browser.post(reverse("manage:login_unlock"), {"address": OFFICE})
    assert response.status_code == 302
    assert attempt("ani", PASSWORD, OFFICE)[0]


def test_only_a_site_admin_may_open_or_use_the_unlock_page(users, limits):
    browser = Client()
    browser.force_login(users["budi"])
    assert browser.get(reverse("manage:login_locks")).status_code == 403
    fail("ani", ATTACKER, 5)
    assert browser.post(reverse("manage:login_unlock"), {"username": "ani"}).status_code == 403
    assert security.seconds_locked("ani", ATTACKER) > 0


def test_the_command_line_unlocks_an_account_or_an_address(users, limits, capsys):
    fail("situs", ATTACKER, 5)
    assert cli.cmd_unlock_login(cli.build_parser().parse_args(["unlock-login", "--username", "situs"])) == 0
    assert security.seconds_locked("situs", ATTACKER) == 0
    for number in range(20):
        attempt(f"tebak-{number}", "salah", OFFICE)
    assert cli.cmd_unlock_login(cli.build_parser().parse_args(["unlock-login", "--address", OFFICE])) == 0
    assert security.seconds_locked("ani", OFFICE) == 0
    assert "dibuka" in capsys.readouterr().out
