"""Authenticator secrets are encrypted at rest with keys from the environment: the database never
holds a secret in clear, a login with a code still works, keys rotate (old keys still decrypt,
``renaksi rotate-totp-key`` re-encrypts with the newest), and the migration encrypted the secrets
stored before."""

from __future__ import annotations

import time

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from renaksi import cli
from renaksi.accounts import totp_keys
from renaksi.accounts.models import Membership, Role, TotpDevice
from renaksi.agencies.services import find_agency
from renaksi.core import totp

PASSWORD = "kata-sandi-rahasia-42"


def raw_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TotpDevice._meta.db_table}")
        return list(cursor.fetchall())


def holds_in_clear(secret: str) -> bool:
    return any(secret in str(cell) for row in raw_rows() for cell in row)


@pytest.fixture
def keys(settings) -> list[str]:
    first = Fernet.generate_key().decode()
    settings.RENAKSI_TOTP_KEYS = [first]
    return [first]


@pytest.fixture
def approver(db, django_user_model):
    user = django_user_model.objects.create_user("penyetuju", password=PASSWORD)
    Membership.objects.create(user=user, agency=find_agency("kpu-prov-gorontalo"), role=Role.APPROVER)
    return user


def set_up_authenticator(user) -> str:
    client = Client()
    client.force_login(user)
    client.post(reverse("accounts:totp_start"))
    secret = TotpDevice.objects.get(user=user).secret
    client.post(reverse("accounts:totp_confirm"), {"code": totp.code_at(secret, time.time())})
    assert TotpDevice.objects.get(user=user).confirmed
    return secret


def log_in_with_code(secret: str, steps: int = 0) -> bool:
    client = Client()
    client.post(reverse("accounts:login"), {"username": "penyetuju", "password": PASSWORD})
    client.post(reverse("accounts:login_code"), {"code": totp.code_at(secret, time.time() + steps * 30)})
    return "_auth_user_id" in client.session


def test_the_database_never_holds_the_secret_in_clear_and_a_code_still_logs_in(keys, approver):
    secret = set_up_authenticator(approver)
    assert len(secret) == 32
    assert not holds_in_clear(secret)
    assert not holds_in_clear(secret.lower())
    assert log_in_with_code(secret, steps=1)


def test_a_new_key_first_still_reads_secrets_of_the_old_one_and_the_command_re_encrypts(
    keys, approver, settings, capsys
):
    secret = set_up_authenticator(approver)
    stored_before = TotpDevice.objects.get(user=approver).secret_ciphertext
    new = Fernet.generate_key().decode()
    settings.RENAKSI_TOTP_KEYS = [new, keys[0]]
    assert TotpDevice.objects.get(user=approver).secret == secret

    assert cli.cmd_rotate_totp_key(cli.build_parser().parse_args(["rotate-totp-key"])) == 0
    assert "1" in capsys.readouterr().out
    stored_after = TotpDevice.objects.get(user=approver).secret_ciphertext
    assert stored_after != stored_before and not holds_in_clear(secret)

    # The old key can go: everything reads with the new one alone, nothing with the old alone.
    settings.RENAKSI_TOTP_KEYS = [new]
    assert TotpDevice.objects.get(user=approver).secret == secret
    assert log_in_with_code(secret, steps=1)
    settings.RENAKSI_TOTP_KEYS = [keys[0]]
    with pytest.raises(totp_keys.TotpKeyError):
        _ = TotpDevice.objects.get(user=approver).secret


def test_a_malformed_key_is_refused_naming_the_setting(settings):
    settings.RENAKSI_TOTP_KEYS = ["bukan-kunci"]
    with pytest.raises(totp_keys.TotpKeyError, match="RENAKSI_SECRET_KEY_TOTP"):
        totp_keys.encrypt("JBSWY3DPEHPK3PXP")


def test_the_command_prints_a_new_key_to_put_first(capsys):
    assert cli.cmd_rotate_totp_key(cli.build_parser().parse_args(["rotate-totp-key", "--new-key"])) == 0
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    Fernet(printed.encode())  # a valid key


def test_without_the_environment_a_key_is_made_once_in_the_data_folder(settings, tmp_path):
    settings.RENAKSI_TOTP_KEYS = []
    settings.DATA_DIR = tmp_path
    token = totp_keys.encrypt("JBSWY3DPEHPK3PXP")
    key_file = tmp_path / "totp_key"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600
    assert totp_keys.decrypt(token) == "JBSWY3DPEHPK3PXP"


# The migrations run back and forth on the test database: its flush afterwards must not make the
# content types again (post_migrate), or the next test that restores the database clashes with them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_encrypts_secrets_stored_in_clear(keys, django_user_model):
    user = django_user_model.objects.create_user("lama", password=PASSWORD)
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_login_security")])
    clear = totp.generate_secret()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_totpdevice (user_id, secret, confirmed, last_used_step, created_at) "
            "VALUES (%s, %s, %s, %s, CURRENT_TIMESTAMP)",
            [user.pk, clear, True, -1],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert not holds_in_clear(clear)
    assert TotpDevice.objects.get(user=user).secret == clear


def test_the_keys_come_from_the_environment_newest_first(tmp_path):
    import os
    import subprocess
    import sys

    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "renaksi.settings",
        "RENAKSI_DATA_DIR": str(tmp_path),
        "RENAKSI_SECRET_KEY_TOTP": f"{first}, {second}",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.RENAKSI_TOTP_KEYS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == repr([first, second]), result.stderr
