"""Pages of login security: the login with its second step, the account-security page (the
authenticator app) and the password change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from renaksi.accounts import invitations, security
from renaksi.accounts.security_forms import ConfirmDeviceForm, GuardedAuthenticationForm, SecondFactorForm
from renaksi.accounts.security_models import TotpDevice


def _account(request: HttpRequest) -> Any:
    """The logged-in user of a page that requires a login."""
    return request.user


def _finish_login(request: HttpRequest, user: Any, backend: str, *, has_device: bool) -> None:
    login(request, user, backend=backend)
    security.clear_failures(user.get_username(), security.client_address(request))
    waiting = len(invitations.open_for(user))
    if waiting:
        messages.info(
            request,
            ngettext(
                "Anda diundang bergabung dengan %(count)d satker; jawab undangannya di halaman Undangan.",
                "Anda diundang bergabung dengan %(count)d satker; jawab undangannya di halaman Undangan.",
                waiting,
            )
            % {"count": waiting},
        )
    if not has_device and security.is_offered_second_factor(user):
        messages.info(
            request,
            _(
                "Lindungi akun Anda dengan verifikasi dua langkah: aktifkan aplikasi autentikator di halaman Keamanan akun."
            ),
        )


def _landing(request: HttpRequest, user: Any, target: str) -> str:
    """Where a login goes: the invitations page when some wait and no other page was asked for."""
    if target == resolve_url(settings.LOGIN_REDIRECT_URL) and invitations.open_for(user):
        return str(resolve_url("accounts:invitations"))
    return target


class LoginView(auth_views.LoginView):
    """The password step; a user with an authenticator app goes on to :class:`SecondFactorView`
    before being logged in."""

    form_class = GuardedAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_expired"] = self.request.session.pop(security.SESSION_EXPIRED, False)
        return context

    def form_valid(self, form: GuardedAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if security.confirmed_device(user) is not None:
            security.set_pending_login(self.request, user, self.get_success_url())
            return redirect("accounts:login_code")
        _finish_login(self.request, user, user.backend, has_device=False)  # type: ignore[attr-defined]
        return HttpResponseRedirect(_landing(self.request, user, self.get_success_url()))


@method_decorator(
    [login_not_required, sensitive_post_parameters("code"), csrf_protect, never_cache], name="dispatch"
)
class SecondFactorView(View):
    """The code step of a login whose password was accepted (for five minutes)."""

    template_name = "accounts/login_code.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return redirect(settings.LOGIN_REDIRECT_URL)
        pending = security.pending_login(request)
        user = None
        if pending is not None:
            user = get_user_model()._default_manager.filter(pk=pending.user_id, is_active=True).first()
        device = security.confirmed_device(user) if user is not None else None
        if pending is None or user is None or device is None:
            request.session.pop(security.PENDING_SECOND_FACTOR, None)
            messages.info(request, _("Silakan masuk lagi dengan nama pengguna dan kata sandi."))
            return redirect("accounts:login")
        self.pending, self.user, self.device = pending, user, device
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data: Any = None) -> SecondFactorForm:
        return SecondFactorForm(
            data, request=self.request, device=self.device, username=self.user.get_username()
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": self._form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        request.session.pop(security.PENDING_SECOND_FACTOR, None)
        _finish_login(request, self.user, self.pending.backend, has_device=True)
        target = self.pending.redirect_to
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = resolve_url(settings.LOGIN_REDIRECT_URL)
        return HttpResponseRedirect(_landing(request, self.user, target))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Choose a new password (forced after an admin's reset: nothing else opens before it)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forced"] = bool(self.request.session.get(security.MUST_CHANGE_PASSWORD))
        context["next"] = self._next()
        return context

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        allowed = url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return target if allowed else ""

    def get_success_url(self) -> str:
        return self._next() or str(self.success_url)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security.password_changed(_account(self.request))
        self.request.session.pop(security.MUST_CHANGE_PASSWORD, None)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return response


@never_cache  # the secret and the otpauth link must not stay in a cache
@require_safe
def account_security(request: HttpRequest) -> HttpResponse:
    """The account-security page: password change, and the authenticator app (set up, confirmed
    with a code, turned off with a code)."""
    device = TotpDevice.objects.filter(user=_account(request)).first()
    return _security_page(request, device)


def _security_page(
    request: HttpRequest, device: TotpDevice | None, form: Any = None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "device": device,
        "offered": security.is_offered_second_factor(request.user),
    }
    if device is not None and not device.confirmed:
        context["secret"] = device.secret
        context["otpauth_uri"] = security.provisioning_uri(device)
        context["confirm_form"] = form or ConfirmDeviceForm(device=device)
    elif device is not None:
        context["disable_form"] = form or SecondFactorForm(
            request=request, device=device, username=request.user.get_username()
        )
    return render(request, "accounts/security.html", context, status=status)


@never_cache  # the secret and the otpauth link must not stay in a cache
@require_POST
def totp_start(request: HttpRequest) -> HttpResponse:
    security.start_device(request.user)
    return redirect("accounts:security")


@never_cache  # the secret and the otpauth link must not stay in a cache
@require_POST
@sensitive_post_parameters("code")
def totp_confirm(request: HttpRequest) -> HttpResponse:
    device = TotpDevice.objects.filter(user=_account(request), confirmed=False).first()
    if device is None:
        return redirect("accounts:security")
    form = ConfirmDeviceForm(request.POST, device=device)
    if not form.is_valid():
        return _security_page(request, device, form, status=400)
    messages.success(
        request, _("Verifikasi dua langkah aktif. Mulai sekarang, masuk meminta kode autentikator.")
    )
    return redirect("accounts:security")


@never_cache  # the secret and the otpauth link must not stay in a cache
@require_POST
@sensitive_post_parameters("code")
def totp_disable(request: HttpRequest) -> HttpResponse:
    """Turn the authenticator off: a confirmed one only with a current code; an unconfirmed one
    (setup abandoned) without."""
    device = TotpDevice.objects.filter(user=_account(request)).first()
    if device is None:
        return redirect("accounts:security")
    if device.confirmed:
        form = SecondFactorForm(
            request.POST, request=request, device=device, username=request.user.get_username()
        )
        if not form.is_valid():
            return _security_page(request, device, form, status=400)
        messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
    security.remove_device(_account(request))
    return redirect("accounts:security")
