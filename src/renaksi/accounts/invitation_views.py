"""The invited side of an invitation: the list of one's open invitations (accept, decline), and
the link a new person opens to make their account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renaksi.accounts import invitations


class NewAccountForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Nama lengkap"), max_length=150)
    new_password1 = forms.CharField(
        label=gettext_lazy("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("Kedua kata sandi tidak sama."))
        elif first:
            candidate = get_user_model()(username=self.username, first_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return data


@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitations.html", {"invitations": invitations.open_for(request.user)})


@require_POST
def invitation_accept(request: HttpRequest, invitation_id: int) -> HttpResponse:
    membership = invitations.accept(user=request.user, invitation_id=invitation_id)
    messages.success(
        request,
        _("Anda sekarang anggota %(agency)s dengan peran %(role)s.")
        % {"agency": membership.agency.name, "role": membership.get_role_display()},
    )
    return redirect("accounts:invitations")


@require_POST
def invitation_decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = invitations.decline(user=request.user, invitation_id=invitation_id)
    messages.info(request, _("Undangan dari %(agency)s ditolak.") % {"agency": invitation.agency.name})
    return redirect("accounts:invitations")


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation. A visitor chooses a password and gets the account of the
    invited name (a name nobody had); an account that exists logs in and answers on the list."""
    invitation = invitations.by_token(token)
    form = NewAccountForm(
        request.POST if request.method == "POST" and not request.user.is_authenticated else None,
        username=invitation.username,
        initial={"full_name": invitation.full_name},
    )
    if form.is_bound and form.is_valid():
        try:
            user = invitations.create_account(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["new_password1"],
            )
        except invitations.InvitationError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Akun Anda dibuat; Anda sekarang anggota %(agency)s.") % {"agency": invitation.agency.name},
            )
            return redirect("planning:agency_list")
    context = {"invitation": invitation, "form": form, "token": token}
    return render(request, "accounts/invitation_open.html", context)
