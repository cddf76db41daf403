"""Management pages: members of an agency, agencies, the reference table of budget code names.

Views stay thin: they read a form, call :mod:`renaksi.accounts.services` or
:mod:`renaksi.agencies.services` (which check what the acting user may do and write history) and
render. Who may open what:

- members pages: users with :attr:`Action.MANAGE_MEMBERS` on the agency (its agency admins) and
  site admins; an agency the user cannot see answers 404, one they see but do not manage 403;
- agency settings: :attr:`Action.MANAGE_AGENCY` (agency admins change publishing only);
- creating agencies and the reference table: site admins only (403 for everyone else).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renaksi.access import Action, Scope, request_scope
from renaksi.accounts import invitations, management, security, services
from renaksi.accounts import reference as reference_table
from renaksi.accounts.models import Role
from renaksi.agencies import services as agency_services
from renaksi.agencies.models import Agency, BudgetCodeName

REFERENCE_SESSION_KEY = "renaksi.manage.reference_import"
PREVIEW_ROWS_SHOWN = 500


# --- forms ---------------------------------------------------------------------------------------


class InviteForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Nama pengguna"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=gettext_lazy(
            "Akun yang sudah ada menerima undangan setelah masuk; nama yang belum ada menjadi akun "
            "baru lewat tautan undangan."
        ),
    )
    full_name = forms.CharField(
        label=gettext_lazy("Nama lengkap"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Untuk akun baru (orangnya dapat mengubahnya)."),
    )
    email = forms.EmailField(label=gettext_lazy("Surel"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Peran"), choices=Role.choices)


class AgencyCreateForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("Kode"),
        max_length=64,
        help_text=gettext_lazy("Huruf kecil, angka dan tanda hubung, mis. kpu-kab-boalemo."),
    )
    name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("Tingkat"), choices=Agency.Level.choices)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Induk"),
        queryset=Agency.objects.exclude(level=Agency.Level.REGENCY).order_by("level", "name"),
        required=False,
        help_text=gettext_lazy("Kabupaten/kota: satker provinsi. Provinsi: satker pusat atau kosong."),
    )
    time_zone = forms.CharField(
        label=gettext_lazy("Zona waktu"),
        max_length=64,
        initial="Asia/Makassar",
        help_text=gettext_lazy("Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)."),
    )
    publishes_plans = forms.BooleanField(
        label=gettext_lazy("Terbitkan rencana yang disetujui"), required=False
    )


class AgencySettingsForm(forms.Form):
    """A site admin's form; an agency admin gets only ``publishes_plans``."""

    name = forms.CharField(label=gettext_lazy("Nama"), max_length=200)
    time_zone = forms.CharField(label=gettext_lazy("Zona waktu"), max_length=64)
    publishes_plans = forms.BooleanField(
        label=gettext_lazy("Terbitkan rencana yang disetujui"), required=False
    )

    def __init__(self, *args: Any, site_admin: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not site_admin:
            del self.fields["name"]
            del self.fields["time_zone"]


class ReferenceUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas CSV"),
        help_text=gettext_lazy("Kolom kode;nama atau kode,nama dengan baris judul; UTF-8 atau Windows-1252."),
    )


def _apply_error(form: forms.Form, error: management.ManagementError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _scope(request: HttpRequest) -> Scope:
    return request_scope(request)


def _require_site_admin(request: HttpRequest) -> Scope:
    scope = _scope(request)
    if not scope.site_admin:
        raise PermissionDenied
    return scope


# --- agencies ------------------------------------------------------------------------------------


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    agencies = management.management_agencies(scope)
    if not agencies and not scope.site_admin:
        raise PermissionDenied
    rows = [
        {
            "agency": agency,
            "members": scope.can(Action.MANAGE_MEMBERS, agency.pk),
            "settings": scope.can(Action.MANAGE_AGENCY, agency.pk),
        }
        for agency in agencies
    ]
    return render(request, "manage/agency_list.html", {"rows": rows, "site_admin": scope.site_admin})


@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    _require_site_admin(request)
    form = AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = agency_services.create_agency(actor=request.user, **form.cleaned_data)
        except management.ManagementError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Satker %(name)s dibuat.") % {"name": agency.name})
            return redirect("manage:members", agency_code=agency.code)
    return render(request, "manage/agency_form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
def agency_settings(request: HttpRequest, agency_code: str) -> HttpResponse:
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code, Action.MANAGE_AGENCY)
    initial = {"name": agency.name, "time_zone": agency.time_zone, "publishes_plans": agency.publishes_plans}
    form = AgencySettingsForm(request.POST or None, initial=initial, site_admin=scope.site_admin)
    if request.method == "POST" and form.is_valid():
        try:
            agency_services.update_agency(actor=request.user, agency=agency, **form.cleaned_data)
        except management.ManagementError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("Pengaturan satker disimpan."))
            return redirect("manage:agency_settings", agency_code=agency.code)
    return render(request, "manage/agency_form.html", {"form": form, "agency": agency})


# --- members -------------------------------------------------------------------------------------


def _members_page(request: HttpRequest, scope: Scope, agency: Agency, form: InviteForm) -> HttpResponse:
    members = management.member_rows(scope, request.user, agency)
    context = {
        "agency": agency,
        "members": members,
        "invitations": invitations.agency_invitations(agency),
        "site_admin": scope.site_admin,
        "form": form,
        "roles": Role.choices,
        "can_manage_agency": scope.can(Action.MANAGE_AGENCY, agency.pk),
    }
    return render(request, "manage/members.html", context)


@require_GET
def members(request: HttpRequest, agency_code: str) -> HttpResponse:
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    return _members_page(request, scope, agency, InviteForm())


@require_POST
@never_cache
def member_invite(request: HttpRequest, agency_code: str) -> HttpResponse:
    """An agency admin's invitation: the same answer (a link shown once) whether the name is an
    account or not; the account answers it. A site admin adds at once (a new user's temporary
    password on this response only). Not cached; reloading re-sends the form."""
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            if scope.site_admin:
                invitation = services.invite_member(actor=request.user, agency=agency, **form.cleaned_data)
                return render(request, "manage/invited.html", {"agency": agency, "invitation": invitation})
            created = invitations.invite(actor=request.user, agency=agency, **form.cleaned_data)
        except (management.ManagementError, invitations.InvitationError) as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            link = request.build_absolute_uri(reverse("accounts:invitation_open", args=[created.token]))
            context = {"agency": agency, "created": created, "link": link}
            return render(request, "manage/invitation_created.html", context)
    return _members_page(request, scope, agency, form)


@require_POST
def invitation_cancel(request: HttpRequest, agency_code: str, invitation_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    invitation = invitations.cancel(actor=request.user, agency=agency, invitation_id=invitation_id)
    messages.success(request, _("Undangan untuk %(user)s dibatalkan.") % {"user": invitation.username})
    return redirect("manage:members", agency_code=agency.code)


@require_POST
def member_role(request: HttpRequest, agency_code: str, membership_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    membership = management.member_of(agency, membership_id)
    try:
        services.change_role(actor=request.user, membership=membership, role=request.POST.get("role", ""))
    except management.ManagementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Peran %(user)s sekarang %(role)s.")
            % {"user": membership.user.get_username(), "role": membership.get_role_display()},
        )
    return redirect("manage:members", agency_code=agency.code)


@require_POST
def member_remove(request: HttpRequest, agency_code: str, membership_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    membership = management.member_of(agency, membership_id)
    try:
        services.remove_member(actor=request.user, membership=membership)
    except management.ManagementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(user)s dikeluarkan dari satker ini.") % {"user": membership.user.get_username()}
        )
    return redirect("manage:members", agency_code=agency.code)


@require_POST
def user_deactivate(request: HttpRequest, agency_code: str, membership_id: int) -> HttpResponse:
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    membership = management.member_of(agency, membership_id)
    try:
        user = services.deactivate_user(actor=request.user, membership=membership)
    except management.ManagementError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Akun %(user)s dinonaktifkan.") % {"user": user.get_username()})
    return redirect("manage:members", agency_code=agency.code)


@never_cache
@require_POST
def member_password_reset(request: HttpRequest, agency_code: str, membership_id: int) -> HttpResponse:
    """Give a member a temporary password, shown on this response only; the member must choose a
    new one at the next login. Refused (403) unless the admin manages every agency of the member."""
    scope = _scope(request)
    agency = management.managed_agency(scope, agency_code)
    membership = management.member_of(agency, membership_id)
    password = security.reset_password(request.user, membership.user, agency, scope=scope)
    context = {"agency": agency, "membership": membership, "temporary_password": password}
    return render(request, "manage/password_reset.html", context)


# --- reference table -----------------------------------------------------------------------------


def _reference_page(request: HttpRequest, form: ReferenceUploadForm, status: int = 200) -> HttpResponse:
    names = BudgetCodeName.objects.order_by("code")
    return render(request, "manage/reference.html", {"form": form, "names": names}, status=status)


@require_GET
def reference(request: HttpRequest) -> HttpResponse:
    _require_site_admin(request)
    return _reference_page(request, ReferenceUploadForm())


@require_POST
def reference_preview(request: HttpRequest) -> HttpResponse:
    """Read an uploaded file and show what it would change; the text waits in the session for
    :func:`reference_commit`, under a token the preview page carries."""
    _require_site_admin(request)
    request.session.pop(REFERENCE_SESSION_KEY, None)
    form = ReferenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _reference_page(request, form)
    upload = form.cleaned_data["file"]
    if upload.size > reference_table.REFERENCE_MAX_BYTES:
        form.add_error("file", _("Berkas terlalu besar; batasnya 2 MB."))
        return _reference_page(request, form)
    data = upload.read()
    try:
        text, encoding = reference_table.decode_reference_file(data)
    except management.ManagementError as error:
        _apply_error(form, error)
        return _reference_page(request, form)
    preview = reference_table.preview_reference(text)
    token = ""
    if preview.ok:
        token = uuid.uuid4().hex
        request.session[REFERENCE_SESSION_KEY] = {"token": token, "text": text, "filename": upload.name}
    context = {
        "preview": preview,
        "rows": preview.rows[:PREVIEW_ROWS_SHOWN],
        "hidden_rows": max(0, len(preview.rows) - PREVIEW_ROWS_SHOWN),
        "encoding": encoding,
        "filename": upload.name,
        "token": token,
        "counts": {status: preview.count(status) for status in ("new", "changed", "unchanged")},
    }
    return render(request, "manage/reference_preview.html", context)


@require_POST
def reference_commit(request: HttpRequest) -> HttpResponse:
    _require_site_admin(request)
    pending = request.session.get(REFERENCE_SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("Pratinjau ini sudah tidak berlaku; unggah berkasnya lagi."))
        return redirect("manage:reference")
    try:
        result = services.import_reference(
            actor=request.user, text=pending["text"], filename=pending["filename"]
        )
    except management.ManagementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Nama kode disimpan: %(created)s baru, %(updated)s diubah, %(unchanged)s tetap.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
    request.session.pop(REFERENCE_SESSION_KEY, None)
    return redirect("manage:reference")


def manage_nav(request: HttpRequest) -> dict[str, Any]:
    """Template context: whether to show the "Kelola" link (site admins and agency admins). Lazy,
    so pages that never ask make no query."""

    def shown() -> bool:
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return False
        scope = request_scope(request)
        return scope.site_admin or bool(scope.agency_ids(Action.MANAGE_MEMBERS))

    return {"manage_nav": SimpleLazyObject(shown)}
