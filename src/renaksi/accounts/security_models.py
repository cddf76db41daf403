"""The database side of login security: failed logins, second factors, forced password changes.

Kept out of :mod:`renaksi.accounts.models` (which imports them, so Django finds them) so that the
membership models stay short.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed login (a wrong password or a wrong second-factor code), counted for the account
    from the client address and for the address (:mod:`renaksi.accounts.throttle`). A row per
    failure, so counting works across processes on SQLite and PostgreSQL alike; rows older than
    the window are deleted as new ones come."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("akun dari satu alamat")
        ADDRESS = "ip", _("alamat IP")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The client address, for both kinds.
    key = models.CharField(max_length=64)
    # For an account failure, a keyed hash of the folded user name: a password typed into the user
    # name field by mistake is never stored readable. Empty for an address failure.
    account = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "key", "at"], name="login_failure_lookup"),
            models.Index(fields=["account", "key", "at"], name="login_failure_account"),
        ]
        verbose_name = _("login gagal")
        verbose_name_plural = _("login gagal")

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.account[:12]} {self.at:%Y-%m-%d %H:%M:%S}"


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP). Until ``confirmed`` (the user typed a code from
    it) it is not asked at login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # The base32 secret, encrypted (renaksi.accounts.totp_keys); read and set it as ``secret``.
    secret_ciphertext = models.TextField()
    confirmed = models.BooleanField(default=False)
    # The time step of the last accepted code: a code (or an older one) is never accepted twice.
    last_used_step = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("perangkat autentikator")
        verbose_name_plural = _("perangkat autentikator")

    def __str__(self) -> str:
        return f"{self.user} · {'aktif' if self.confirmed else 'belum dikonfirmasi'}"

    @property
    def secret(self) -> str:
        from renaksi.accounts import totp_keys

        return totp_keys.decrypt(self.secret_ciphertext)

    @secret.setter
    def secret(self, value: str) -> None:
        from renaksi.accounts import totp_keys

        self.secret_ciphertext = totp_keys.encrypt(value)


class PasswordChangeRequired(models.Model):
    """The user must choose a new password before doing anything else (after an admin reset)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_change_required"
    )
    set_at = models.DateTimeField(auto_now_add=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("wajib ganti kata sandi")
        verbose_name_plural = _("wajib ganti kata sandi")

    def __str__(self) -> str:
        return str(self.user)
