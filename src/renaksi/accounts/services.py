"""Changes to who works where: members and their roles, user accounts, the budget-code names.

Every function here takes the acting user (a user, or :data:`renaksi.access.OPERATOR` for the
command line) and checks what the actor may do itself, first (:func:`renaksi.access.require`,
:func:`~renaksi.access.require_site_admin`), even though the views check before; it writes history
in the same transaction as the change. Agencies are changed by :mod:`renaksi.agencies.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renaksi.access import Action, Scope, require, require_site_admin, scope_for
from renaksi.accounts.management import (
    USER_FIELDS,
    Invitation,
    ManagementError,
    can_deactivate,
    member_snapshot,
)
from renaksi.accounts.models import Membership, Role
from renaksi.accounts.reference import ReferenceImportResult, preview_reference, reference_history_agency
from renaksi.accounts.security import temporary_password
from renaksi.accounts.security_models import PasswordChangeRequired
from renaksi.agencies.models import Agency, BudgetCodeName
from renaksi.history import Event, Source, record_event, snapshot

__all__ = [
    "change_role",
    "deactivate_user",
    "import_reference",
    "invite_member",
    "remove_member",
]

User = get_user_model()


def _person(actor: Any) -> Any:
    """The user to store as who did it: none for :data:`~renaksi.access.OPERATOR`."""
    return actor if getattr(actor, "is_authenticated", False) else None


# --- members ---------------------------------------------------------------------------------------


def invite_member(
    *,
    actor: Any,
    agency: Agency,
    username: str,
    role: str,
    full_name: str = "",
    email: str = "",
) -> Invitation:
    """A site admin adds ``username`` with ``role`` to ``agency`` at once: an existing account is
    added as it is (its name and email are not the admin's to change); an unknown username becomes
    a new account with a temporary password, returned once. An agency admin cannot: their
    invitation waits for the account's answer (:mod:`renaksi.accounts.invitations`)."""
    require_site_admin(actor)
    if role not in Role.values:
        raise ManagementError(_("Peran tidak dikenal."), "role")
    # As create_user will store it (NFKC), so "ｂｕｄｉ" finds "budi" instead of failing to insert.
    username = User.normalize_username(username.strip())
    if not username:
        raise ManagementError(_("Nama pengguna wajib diisi."), "username")
    password: str | None = None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        created = user is None
        if user is None:
            if not full_name.strip():
                raise ManagementError(_("Nama lengkap wajib diisi untuk pengguna baru."), "full_name")
            password = temporary_password()
            user = User.objects.create_user(
                username=username, email=email.strip(), password=password, first_name=full_name.strip()
            )
            # The temporary password is good for one login: the user must choose their own first.
            PasswordChangeRequired.objects.create(user=user, set_by=_person(actor))
        elif not user.is_active:
            raise ManagementError(
                _("Akun %(username)s nonaktif; hanya admin situs yang dapat mengaktifkannya kembali.")
                % {"username": user.get_username()},
                "username",
            )
        elif Membership.objects.filter(user=user, agency=agency).exists():
            raise ManagementError(
                _("%(username)s sudah menjadi anggota satker ini; ubah perannya di daftar anggota.")
                % {"username": user.get_username()},
                "username",
            )
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, agency=agency, role=role, created_by=_person(actor)
                )
        except IntegrityError:
            raise ManagementError(
                _("Pengguna ini baru saja ditambahkan ke satker ini."), "username"
            ) from None
        if created:
            record_event(
                event=Event.USER_CREATED,
                source=Source.FORM,
                agency=agency,
                actor=actor,
                obj=user,
                after=snapshot(user, USER_FIELDS),
            )
        record_event(
            event=Event.MEMBER_ADDED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=membership,
            after=member_snapshot(membership),
        )
    return Invitation(membership=membership, created_user=created, temporary_password=password)


def _refuse_own_admin_change(scope: Scope, actor: Any, membership: Membership) -> None:
    """An agency admin may not strip their own admin role: the agency could be left with no one
    to manage it. A site admin can always repair that, so a site admin may."""
    if scope.site_admin or membership.user_id != getattr(actor, "pk", None):
        return
    if membership.role == Role.AGENCY_ADMIN:
        raise ManagementError(
            _(
                "Anda tidak dapat melepas peran admin Anda sendiri; mintalah admin satker lain atau admin situs."
            ),
            "role",
        )


def change_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Give a member another role in the same agency (MANAGE_MEMBERS there)."""
    require(actor, Action.MANAGE_MEMBERS, membership.agency_id)
    scope = scope_for(actor)
    if role not in Role.values:
        raise ManagementError(_("Peran tidak dikenal."), "role")
    if role == membership.role:
        return membership
    _refuse_own_admin_change(scope, actor, membership)
    with transaction.atomic():
        before = member_snapshot(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            event=Event.MEMBER_ROLE_CHANGED,
            source=Source.FORM,
            agency=membership.agency,
            actor=actor,
            obj=membership,
            before=before,
            after=member_snapshot(membership),
        )
    return membership


def remove_member(*, actor: Any, membership: Membership) -> None:
    """End a membership; the user's account and other memberships stay."""
    require(actor, Action.MANAGE_MEMBERS, membership.agency_id)
    scope = scope_for(actor)
    _refuse_own_admin_change(scope, actor, membership)
    with transaction.atomic():
        before = member_snapshot(membership)
        label = str(membership)
        agency = membership.agency
        record_event(
            event=Event.MEMBER_REMOVED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=membership,
            before=before,
            note=label,
        )
        membership.delete()


def deactivate_user(*, actor: Any, membership: Membership) -> AbstractBaseUser:
    """Deactivate the account of ``membership``'s user; they can no longer log in (their sessions
    end at the next request). Memberships stay, so the history still reads who was who."""
    require(actor, Action.MANAGE_MEMBERS, membership.agency_id)
    scope = scope_for(actor)
    user = membership.user
    if user.pk == getattr(actor, "pk", None):
        raise ManagementError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not can_deactivate(scope, actor, user):
        raise PermissionDenied
    with transaction.atomic():
        before = snapshot(user, ("username", "is_active"))
        user.is_active = False
        user.save(update_fields=["is_active"])
        after = snapshot(user, ("username", "is_active"))
        agencies = Agency.objects.filter(memberships__user=user).distinct().order_by("pk")
        for agency in agencies:
            record_event(
                event=Event.USER_DEACTIVATED,
                source=Source.FORM,
                agency=agency,
                actor=actor,
                obj=user,
                before=before,
                after=after,
            )
    return user


def import_reference(*, actor: Any, text: str, filename: str = "") -> ReferenceImportResult:
    """Write the names of a previewed file, all or nothing: the file is read again, and any error
    refuses the whole file. Codes absent from the file keep their names. The table is shared by
    every agency: a site admin's (or the operator's)."""
    require_site_admin(actor)
    with transaction.atomic():
        preview = preview_reference(text)
        if not preview.ok:
            raise ManagementError(
                preview.errors[0] if preview.errors else _("Tidak ada kode yang dibaca."), "file"
            )
        new = [row for row in preview.rows if row.status == "new"]
        changed = [row for row in preview.rows if row.status == "changed"]
        BudgetCodeName.objects.bulk_create(
            [BudgetCodeName(code=row.code, level=row.level, name=row.name) for row in new], batch_size=500
        )
        stored = {
            item.code: item for item in BudgetCodeName.objects.filter(code__in=[row.code for row in changed])
        }
        for row in changed:
            stored[row.code].name = row.name
            stored[row.code].level = row.level
        BudgetCodeName.objects.bulk_update(list(stored.values()), ["name", "level"], batch_size=500)
        result = ReferenceImportResult(
            created=len(new), updated=len(changed), unchanged=len(preview.rows) - len(new) - len(changed)
        )
        record_event(
            event=Event.REFERENCE_IMPORTED,
            source=Source.FORM,
            agency=reference_history_agency(),
            actor=actor,
            before={row.code: row.current_name for row in changed},
            after={
                "counts": {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
                "names": {row.code: row.name for row in [*new, *changed]},
            },
            note=_("Nama kode anggaran dari %(file)s") % {"file": filename or "CSV"},
        )
    return result
