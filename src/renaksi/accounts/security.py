"""Login security: second-factor codes, session timestamps, and an admin's password reset.

Failed logins are counted and refused by :mod:`renaksi.accounts.throttle` (per account from one
address, and per address; never an account everywhere), whose functions are re-exported here.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from renaksi.access import ROLE_ACTIONS, Action, Scope, require, scope_for
from renaksi.accounts.security_models import PasswordChangeRequired, TotpDevice
from renaksi.accounts.throttle import (  # noqa: F401  (the login forms and views use them from here)
    begin_attempt,
    clear_failures,
    client_address,
    forget_attempt,
    lock_delay,
    lock_message,
    record_failure,
    seconds_locked,
)
from renaksi.core import totp
from renaksi.history import Event, Source, record_event

# Session keys.
AUTH_AT = "renaksi_auth_at"  # Unix time of the login (absolute timeout)
SEEN_AT = "renaksi_seen_at"  # Unix time of the last request (idle timeout), kept to the minute
MUST_CHANGE_PASSWORD = "renaksi_must_change_password"
SESSION_EXPIRED = "renaksi_session_expired"  # set in the fresh session after a timeout
PENDING_SECOND_FACTOR = "renaksi_pending_second_factor"

# How long a password accepted at login waits for its second-factor code.
PENDING_SECONDS = 300
# The idle timestamp is rewritten at most this often, so a page view rarely writes the session.
SEEN_RESOLUTION_SECONDS = 60

# Roles whose users are offered (not required) a second factor; site admins too.
# The roles offered a second factor: those that approve plans or manage members.
SECOND_FACTOR_ROLES = frozenset(
    role for role, actions in ROLE_ACTIONS.items() if actions & {Action.APPROVE, Action.MANAGE_MEMBERS}
)

TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_PASSWORD_LENGTH = 16


# --- second factor -------------------------------------------------------------------------------


def confirmed_device(user: AbstractBaseUser) -> TotpDevice | None:
    return TotpDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def accept_code(device: TotpDevice, code: str, now: float | None = None) -> bool:
    """Whether ``code`` is the device's current code (one step either side), not used before.
    Accepting records the step, atomically, so two requests cannot both use one code."""
    step = totp.verify(device.secret, code, time.time() if now is None else now)
    if step is None or step <= device.last_used_step:
        return False
    updated = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
    if updated:
        device.last_used_step = step
    return bool(updated)


def start_device(user: Any) -> TotpDevice:
    """The user's unconfirmed device, made with a new secret if there is none (a confirmed device
    is returned unchanged)."""
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.generate_secret()}
    )
    return device


def confirm_device(device: TotpDevice, code: str) -> bool:
    if device.confirmed or not accept_code(device, code):
        return False
    device.confirmed = True
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed", "confirmed_at"])
    return True


def remove_device(user: Any) -> None:
    """Turn off the user's own authenticator (the view has checked a current code for a confirmed
    one). Only ever the account's own: the caller passes the logged-in user."""
    TotpDevice.objects.filter(user_id=user.pk).delete()


def password_changed(user: Any) -> None:
    """The user chose their own password: a temporary one no longer has to be changed."""
    PasswordChangeRequired.objects.filter(user_id=user.pk).delete()


def provisioning_uri(device: TotpDevice) -> str:
    return totp.otpauth_uri(device.secret, device.user.get_username(), settings.RENAKSI_TOTP_ISSUER)


def is_offered_second_factor(user: Any) -> bool:
    """Approvers, agency admins and site admins are offered a second factor (anyone may use one)."""
    if user.is_superuser:
        return True
    from renaksi.accounts.models import Membership

    return Membership.objects.filter(user=user, role__in=sorted(SECOND_FACTOR_ROLES)).exists()


# --- pending login (password accepted, code not yet) ---------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    user_id: int
    backend: str
    redirect_to: str


def set_pending_login(request: HttpRequest, user: Any, redirect_to: str) -> None:
    request.session[PENDING_SECOND_FACTOR] = {
        "user": user.pk,
        "backend": user.backend,
        "next": redirect_to,
        "at": time.time(),
    }


def pending_login(request: HttpRequest) -> PendingLogin | None:
    data = request.session.get(PENDING_SECOND_FACTOR)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_SECOND_FACTOR, None)
        return None
    return PendingLogin(
        user_id=int(data["user"]), backend=str(data["backend"]), redirect_to=str(data["next"])
    )


# --- sessions ------------------------------------------------------------------------------------


def stamp_login(session: Any, user: Any) -> None:
    """Note the login time in the session, and whether the password must be changed first."""
    now = time.time()
    session[AUTH_AT] = now
    session[SEEN_AT] = now
    if PasswordChangeRequired.objects.filter(user_id=user.pk).exists():
        session[MUST_CHANGE_PASSWORD] = True
    else:
        session.pop(MUST_CHANGE_PASSWORD, None)


def session_has_expired(session: Any, now: float) -> bool:
    auth_at = session.get(AUTH_AT)
    seen_at = session.get(SEEN_AT)
    if auth_at is None or seen_at is None:
        return False  # stamped by the caller now
    return (
        now - float(auth_at) > settings.RENAKSI_SESSION_ABSOLUTE_SECONDS
        or now - float(seen_at) > settings.RENAKSI_SESSION_IDLE_SECONDS
    )


# --- an admin's password reset -------------------------------------------------------------------


def agencies_of(user: Any) -> set[int]:
    """The ids of the agencies ``user`` is a member of."""
    from renaksi.accounts.models import Membership

    return set(Membership.objects.filter(user_id=user.pk).values_list("agency_id", flat=True))


def home_agency_id(user: Any) -> int | None:
    """The agency the account first joined, its home (None without any membership). Agencies it
    joins later (by accepting an invitation) do not take the account over: the home agency's
    admins keep the right to reset its password and deactivate it."""
    from renaksi.accounts.models import Membership

    first = Membership.objects.filter(user_id=user.pk).order_by("created_at", "pk").first()
    return first.agency_id if first is not None else None


def manages_user(
    scope: Scope, user: Any, agency_ids: Collection[int] | None = None, home_id: int | None = None
) -> bool:
    """Whether ``scope`` may act on ``user``'s account (reset the password, deactivate it): a site
    admin on anyone; an agency admin on a user who is not a site admin and whose home agency
    (:func:`home_agency_id`, read when ``home_id`` is not given) they manage members of."""
    if scope.site_admin:
        return True
    if getattr(user, "is_superuser", False):
        return False
    home = home_agency_id(user) if home_id is None else home_id
    return home is not None and scope.can(Action.MANAGE_MEMBERS, home)


def can_reset_password(
    actor: Any,
    user: Any,
    agency: Any,
    *,
    scope: Scope | None = None,
    agency_ids: Collection[int] | None = None,
    home_id: int | None = None,
) -> bool:
    """An active account other than one's own, that the actor manages (:func:`manages_user`) and,
    for an agency admin, a member of ``agency``. ``scope``, ``agency_ids`` and ``home_id`` save
    their queries when the caller has them."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if not user.is_active or user.pk == actor.pk:
        return False
    scope = scope if scope is not None else scope_for(actor)
    agency_ids = agencies_of(user) if agency_ids is None else agency_ids
    return (scope.site_admin or agency.pk in agency_ids) and manages_user(scope, user, agency_ids, home_id)


def temporary_password() -> str:
    """A random one-time password (16 characters without look-alikes, about 92 bits): for invited
    users, admin resets, the first site admin and the demo account."""
    return "".join(secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH))


def reset_password(
    actor: Any, user: Any, agency: Any, *, source: Source = Source.FORM, scope: Scope | None = None
) -> str:
    """Give ``user`` a random temporary password, to be changed at the next login, and return it
    (shown once to the admin, stored nowhere readable). The user's open sessions end (Django ties a
    session to the password), their failed-login count is cleared, and the reset is recorded in
    ``agency``'s history. :class:`~django.core.exceptions.PermissionDenied` unless
    :func:`can_reset_password`; the actor's MANAGE_MEMBERS in ``agency`` is checked first."""
    require(actor, Action.MANAGE_MEMBERS, agency.pk)
    if not can_reset_password(actor, user, agency, scope=scope):
        raise PermissionDenied
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        PasswordChangeRequired.objects.update_or_create(user=user, defaults={"set_by": actor})
        clear_failures(user.get_username())
        record_event(
            event=Event.USER_PASSWORD_RESET,
            source=source,
            agency=agency,
            actor=actor,
            obj=user,
        )
    return password


class AccountExists(ValueError):
    pass


def create_site_admin(username: str) -> tuple[str, str]:
    """A site admin (the first account of a new installation) with a one-time password to change
    at the first login; returns the user name as stored and the password, shown once. A user
    name that exists (in any case) is refused: no account is taken over from here."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    username = user_model.normalize_username(username.strip())
    if not username:
        raise AccountExists("the user name is empty")
    password = temporary_password()
    with transaction.atomic():
        if user_model.objects.select_for_update().filter(username__iexact=username).exists():
            raise AccountExists(f"a user named {username!r} exists already; nothing changed")
        user = user_model.objects.create_superuser(username=username, email="", password=password)
        PasswordChangeRequired.objects.create(user=user)
    return username, password
