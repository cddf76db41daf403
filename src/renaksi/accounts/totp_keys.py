"""Authenticator secrets encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA-256, from
``cryptography``).

The keys come from the environment, ``RENAKSI_SECRET_KEY_TOTP``: a comma-separated list of Fernet
keys, newest first. The newest encrypts; every key in the list decrypts. Without the variable
(a laptop install) a key is made once in the data folder (``totp_key``, readable by its owner
only), like Django's ``SECRET_KEY``; a server sets the variable and keeps the key out of the
database's backups.

Rotation: put a new key (``renaksi rotate-totp-key --new-key`` prints one) first in the list,
keep the old one after it, restart, run ``renaksi rotate-totp-key`` (every secret re-encrypted
with the new key), then drop the old key. See ``docs/security.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction

KEY_FILE_NAME = "totp_key"
SETTING = "RENAKSI_SECRET_KEY_TOTP"


class TotpKeyError(RuntimeError):
    """No key can read a stored secret, or a configured key is malformed."""


def _key_file_key() -> str:
    path = Path(settings.DATA_DIR) / KEY_FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first
            return path.read_text().strip()
        with os.fdopen(descriptor, "w") as handle:
            handle.write(Fernet.generate_key().decode("ascii"))
    return path.read_text().strip()


def configured_keys() -> list[str]:
    keys = [str(key).strip() for key in getattr(settings, "RENAKSI_TOTP_KEYS", []) if str(key).strip()]
    return keys or [_key_file_key()]


def _fernet() -> MultiFernet:
    fernets = []
    for position, key in enumerate(configured_keys(), 1):
        try:
            fernets.append(Fernet(key.encode("ascii")))
        except (ValueError, UnicodeEncodeError):
            raise TotpKeyError(
                f"{SETTING}: key {position} is not a Fernet key (32 bytes, url-safe base64); "
                "make one with `renaksi rotate-totp-key --new-key`"
            ) from None
    return MultiFernet(fernets)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise TotpKeyError(
            f"an authenticator secret cannot be decrypted with any key in {SETTING}: "
            "was the key it was encrypted with removed before `renaksi rotate-totp-key` ran?"
        ) from None


def rotate_all() -> int:
    """Re-encrypt every stored secret with the newest key; returns how many rows were written.
    All or nothing: a secret no key reads stops the rotation before anything changes."""
    from renaksi.accounts.security_models import TotpDevice

    fernet = _fernet()
    with transaction.atomic():
        devices = list(TotpDevice.objects.select_for_update().order_by("pk"))
        for device in devices:
            try:
                device.secret_ciphertext = fernet.rotate(device.secret_ciphertext.encode("ascii")).decode(
                    "ascii"
                )
            except InvalidToken:
                raise TotpKeyError(
                    f"the secret of authenticator {device.pk} cannot be decrypted with any key in "
                    f"{SETTING}; nothing was rotated"
                ) from None
        TotpDevice.objects.bulk_update(devices, ["secret_ciphertext"], batch_size=500)
    return len(devices)
