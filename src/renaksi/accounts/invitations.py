"""Invitations to join an agency: made by its admin, answered by the invited account.

- An agency admin never attaches an account by themselves: :func:`invite` records an invitation
  for a user name and returns a one-time link. The answer is the same whether the name belongs
  to an account (active or not) or to nobody, so the form tells no one which names exist.
- The account of that name sees its open invitations after logging in (:func:`open_for`) and
  accepts (:func:`accept`: the membership is made, recorded with the account as actor) or
  declines. A name nobody has becomes an account when the link's holder chooses a password
  (:func:`create_account`); the inviting agency is then that account's home.
- An invitation expires after ``RENAKSI_INVITATION_DAYS`` (7); inviting the same name again
  replaces the waiting one (a new link); the admin may cancel it.
- The home agency of an account is where it first joined (:func:`security.home_agency_id`): its
  admins keep the right to reset the password and deactivate the account, whatever other
  agencies it joins.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi.access import NOT_FOUND, Action, require
from renaksi.accounts.invitation_models import MemberInvitation
from renaksi.accounts.management import ManagementError
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.history import Event, Source, record_event, snapshot

INVITATION_FIELDS = ("agency", "username", "role", "status", "expires_at")


class InvitationError(ManagementError):
    """A refusal of an invitation the person can fix; ``field`` names the form field."""


@dataclass(frozen=True)
class NewInvitation:
    invitation: MemberInvitation
    token: str  # shown once, in the link


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(days=float(getattr(settings, "RENAKSI_INVITATION_DAYS", 7)))


def _snapshot(invitation: MemberInvitation) -> dict[str, Any]:
    return snapshot(invitation, INVITATION_FIELDS)


def invite(
    *,
    actor: Any,
    agency: Agency,
    username: str,
    role: str,
    full_name: str = "",
    email: str = "",
) -> NewInvitation:
    """Invite ``username`` to ``agency`` with ``role``. Only a name already a member of *this*
    agency is refused (the admin sees those members anyway); nothing else about the name is
    read."""
    require(actor, Action.MANAGE_MEMBERS, agency.pk)
    if role not in Role.values:
        raise InvitationError(_("Peran tidak dikenal."), "role")
    user_model = get_user_model()
    username = user_model.normalize_username(username.strip())
    if not username:
        raise InvitationError(_("Nama pengguna wajib diisi."), "username")
    if Membership.objects.filter(agency=agency, user__username__iexact=username).exists():
        raise InvitationError(
            _("%(username)s sudah menjadi anggota satker ini; ubah perannya di daftar anggota.")
            % {"username": username},
            "username",
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        for waiting in MemberInvitation.objects.select_for_update().filter(
            agency=agency, username__iexact=username, status=MemberInvitation.Status.PENDING
        ):
            _close(waiting, MemberInvitation.Status.CANCELLED, actor, now)
        try:
            with transaction.atomic():
                invitation = MemberInvitation.objects.create(
                    agency=agency,
                    username=username,
                    role=role,
                    full_name=full_name.strip(),
                    email=email.strip(),
                    token_hash=_hash(token),
                    invited_by=actor if getattr(actor, "is_authenticated", False) else None,
                    created_at=now,
                    expires_at=now + _lifetime(),
                )
        except IntegrityError:
            raise InvitationError(_("Nama ini baru saja diundang ke satker ini."), "username") from None
        record_event(
            event=Event.CREATED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=invitation,
            after=_snapshot(invitation),
            note=_("Undangan untuk %(username)s") % {"username": username},
        )
    return NewInvitation(invitation, token)


def _close(invitation: MemberInvitation, status: str, actor: Any, now: Any, user: Any = None) -> None:
    before = _snapshot(invitation)
    invitation.status = status
    invitation.decided_at = now
    if user is not None:
        invitation.user = user
    invitation.save(update_fields=["status", "decided_at", "user"])
    record_event(
        event=Event.CHANGED,
        source=Source.FORM,
        agency=invitation.agency,
        actor=actor,
        obj=invitation,
        before=before,
        after=_snapshot(invitation),
    )


def agency_invitations(agency: Agency) -> list[MemberInvitation]:
    """What the agency's admins see: invitations waiting, expired or declined (not those
    accepted, who are members now, nor those cancelled)."""
    shown = [MemberInvitation.Status.PENDING, MemberInvitation.Status.DECLINED]
    return list(
        MemberInvitation.objects.filter(agency=agency, status__in=shown)
        .select_related("invited_by")
        .order_by("username", "-created_at")
    )


def cancel(*, actor: Any, agency: Agency, invitation_id: int) -> MemberInvitation:
    require(actor, Action.MANAGE_MEMBERS, agency.pk)
    with transaction.atomic():
        invitation = (
            MemberInvitation.objects.select_for_update()
            .filter(pk=invitation_id, agency=agency, status=MemberInvitation.Status.PENDING)
            .first()
        )
        if invitation is None:
            raise Http404(NOT_FOUND)
        _close(invitation, MemberInvitation.Status.CANCELLED, actor, timezone.now())
    return invitation


# --- the invited side ------------------------------------------------------------------------------


def open_for(user: Any) -> list[MemberInvitation]:
    """The invitations the logged-in account may answer now."""
    return list(
        MemberInvitation.objects.filter(
            username__iexact=user.get_username(),
            status=MemberInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("agency", "invited_by")
        .order_by("created_at")
    )


def _own_open(user: Any, invitation_id: int) -> MemberInvitation:
    """An open invitation of ``user``'s name, locked; anything else answers like a missing one."""
    invitation = (
        MemberInvitation.objects.select_for_update()
        .filter(
            pk=invitation_id,
            username__iexact=user.get_username(),
            status=MemberInvitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        )
        .select_related("agency")
        .first()
    )
    if invitation is None:
        raise Http404(NOT_FOUND)
    return invitation


def _join(invitation: MemberInvitation, user: Any) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        user=user,
        agency=invitation.agency,
        defaults={"role": invitation.role, "created_by": invitation.invited_by},
    )
    values = snapshot(membership, ("user", "agency", "role"))
    values["username"] = user.get_username()
    record_event(
        event=Event.MEMBER_ADDED,
        source=Source.FORM,
        agency=invitation.agency,
        actor=user,
        obj=membership,
        after=values,
        note=_("Undangan diterima"),
    )
    return membership


def accept(*, user: Any, invitation_id: int) -> Membership:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    with transaction.atomic():
        invitation = _own_open(user, invitation_id)
        _close(invitation, MemberInvitation.Status.ACCEPTED, user, timezone.now(), user=user)
        return _join(invitation, user)


def decline(*, user: Any, invitation_id: int) -> MemberInvitation:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    with transaction.atomic():
        invitation = _own_open(user, invitation_id)
        _close(invitation, MemberInvitation.Status.DECLINED, user, timezone.now())
    return invitation


def by_token(token: str) -> MemberInvitation:
    """The open invitation of a link; a used, expired, cancelled or unknown link answers 404."""
    invitation = (
        MemberInvitation.objects.filter(
            token_hash=_hash(token), status=MemberInvitation.Status.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("agency")
        .first()
    )
    if invitation is None:
        raise Http404(NOT_FOUND)
    return invitation


def create_account(*, token: str, full_name: str, password: str) -> Any:
    """Make the account a link invites (its name nobody had), with the password its holder
    chose, and its membership. A name that exists by now is refused: the account of that name
    logs in and accepts instead."""
    user_model = get_user_model()
    with transaction.atomic():
        invitation = by_token(token)
        if user_model._default_manager.filter(username__iexact=invitation.username).exists():
            raise InvitationError(
                _(
                    "Akun bernama %(username)s sudah ada. Jika itu akun Anda, masuklah dengan akun itu; "
                    "undangannya menunggu di halaman Undangan."
                )
                % {"username": invitation.username},
                "username",
            )
        try:
            with transaction.atomic():
                user = user_model._default_manager.create_user(
                    username=invitation.username,
                    email=invitation.email,
                    password=password,
                    first_name=full_name.strip(),
                )
        except IntegrityError:
            raise InvitationError(_("Nama pengguna ini baru saja dipakai."), "username") from None
        record_event(
            event=Event.USER_CREATED,
            source=Source.FORM,
            agency=invitation.agency,
            actor=user,
            obj=user,
            after=snapshot(user, ("username", "first_name", "email", "is_active")),
            note=_("Akun dibuat dari undangan"),
        )
        _close(invitation, MemberInvitation.Status.ACCEPTED, user, timezone.now(), user=user)
        _join(invitation, user)
    return user
