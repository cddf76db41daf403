"""The forms of login security: the password login with failed-login counting, and a
second-factor code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from renaksi.accounts import security
from renaksi.accounts.security_models import TotpDevice


class GuardedAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing every login for a locked username or address (the right
    password too) and counting each wrong one."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # One answer for a wrong password, an unknown username and an inactive account.
        "invalid_login": _("Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        address = security.client_address(self.request) if self.request is not None else "unknown"
        attempt = security.begin_attempt(username, address)  # counted before the check: no race
        locked = security.seconds_locked(username, address, exclude=attempt)
        if locked:
            security.forget_attempt(attempt)  # refused for the lock: not counted, so it ends on time
            raise forms.ValidationError(security.lock_message(locked), code="locked")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            locked = security.seconds_locked(username, address)
            if locked:
                raise forms.ValidationError(security.lock_message(locked), code="locked")
            raise self.get_invalid_login_error()
        security.forget_attempt(attempt)
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SecondFactorForm(forms.Form):
    """The six digits of an authenticator app, checked against ``device``; wrong codes count as
    failed logins of ``username`` from the request's address."""

    code = forms.CharField(
        label=_("Kode autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        help_text=_("Enam angka yang ditampilkan aplikasi autentikator Anda."),
    )

    def __init__(self, *args: Any, request: Any, device: TotpDevice, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = device
        self.username = username

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        address = security.client_address(self.request)
        locked = security.seconds_locked(self.username, address)
        if locked:
            raise forms.ValidationError(security.lock_message(locked), code="locked")
        if not security.accept_code(self.device, code):
            security.record_failure(self.username, address)
            locked = security.seconds_locked(self.username, address)
            if locked:
                raise forms.ValidationError(security.lock_message(locked), code="locked")
            raise forms.ValidationError(
                _("Kode autentikator salah atau sudah dipakai. Masukkan kode yang sedang tampil."),
                code="invalid",
            )
        return code


class ConfirmDeviceForm(forms.Form):
    """A code from the newly added authenticator, proving it was set up right."""

    code = forms.CharField(
        label=_("Kode dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )

    def __init__(self, *args: Any, device: TotpDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if not security.confirm_device(self.device, code):
            raise forms.ValidationError(
                _("Kode autentikator salah. Periksa jam ponsel Anda dan masukkan kode yang sedang tampil."),
                code="invalid",
            )
        return code
