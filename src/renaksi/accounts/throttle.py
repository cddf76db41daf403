"""Login throttling that cannot be turned against the account owner.

Every failed login (a wrong password, a wrong second-factor code) is a row of
:class:`~renaksi.accounts.security_models.LoginFailure`, counted two ways within
``RENAKSI_LOGIN_WINDOW_SECONDS`` (15 minutes):

- **an account from one address** (``account``): after ``RENAKSI_LOGIN_MAX_FAILURES`` (5) failures
  for one user name from one client address, that user name is refused *from that address only*.
  The owner logging in from anywhere else is not affected, so nobody can lock a site admin (or
  anyone) out by guessing their password;
- **an address** (``ip``): after ``RENAKSI_LOGIN_ADDRESS_MAX_FAILURES`` (20) failures from one
  address, whatever the user names, that address is refused for every user name. The limit is
  well above the per-account one, so a colleague mistyping behind the office's NAT does not shut
  the office out, while one address guessing many accounts is slowed down.

A refusal lasts ``RENAKSI_LOGIN_LOCK_SECONDS`` (60 s) from the last failure and doubles with each
failure after the limit (60, 120, 240, 480 s ...), never longer than the window. Refused
attempts are not counted, so a lock ends on time however often someone knocks. Nothing locks a
user name everywhere. A user name that does not exist is counted and refused like one that does.
A successful login forgets that account's failures from that address; an admin's password reset
forgets all of the account's failures; a site admin unlocks an account or an address on
*Kelola → Login terkunci* or with ``renaksi unlock-login``.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from renaksi.accounts.security_models import LoginFailure

__all__ = [
    "Lock",
    "begin_attempt",
    "clear_failures",
    "client_address",
    "current_locks",
    "forget_attempt",
    "lock_delay",
    "lock_message",
    "record_failure",
    "seconds_locked",
    "unlock_address",
    "username_key",
]


# --- client address ------------------------------------------------------------------------------


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str:
    """The client's address: ``REMOTE_ADDR``, unless that is one of ``RENAKSI_TRUSTED_PROXIES``;
    then the right-most address in X-Forwarded-For that is not a trusted proxy (the left part of
    that header is whatever the client chose to send)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    trusted = set(getattr(settings, "RENAKSI_TRUSTED_PROXIES", []))
    if not trusted or remote not in trusted:
        return remote or "unknown"
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed(forwarded):
        if hop and hop not in trusted:
            return hop if _is_address(hop) else remote
    return remote


# --- the rules -----------------------------------------------------------------------------------


def username_key(username: str) -> str:
    """A keyed hash of the folded user name: a password typed into the user name field by
    mistake is never stored readable."""
    return salted_hmac("renaksi.accounts.login-failure", username.strip().casefold()).hexdigest()


def _window() -> timedelta:
    return timedelta(seconds=settings.RENAKSI_LOGIN_WINDOW_SECONDS)


def _account_limit() -> int:
    return max(1, int(settings.RENAKSI_LOGIN_MAX_FAILURES))


def _address_limit() -> int:
    return max(1, int(getattr(settings, "RENAKSI_LOGIN_ADDRESS_MAX_FAILURES", 20)))


def lock_delay(extra_failures: int) -> int:
    """Seconds a refusal lasts after the last failure, ``extra_failures`` past the limit."""
    base = max(1, int(getattr(settings, "RENAKSI_LOGIN_LOCK_SECONDS", 60)))
    window = int(settings.RENAKSI_LOGIN_WINDOW_SECONDS)
    return int(min(window, base * 2 ** min(extra_failures, 32)))


def _counted(username: str | None, address: str) -> list[tuple[Q, int]]:
    address = address[:64]
    rules = [(Q(kind=LoginFailure.Kind.ADDRESS, key=address), _address_limit())]
    if username:
        account = Q(kind=LoginFailure.Kind.ACCOUNT, account=username_key(username), key=address)
        rules.append((account, _account_limit()))
    return rules


def _remaining(count: int, last: datetime | None, limit: int, now: datetime) -> float:
    if count < limit or last is None:
        return 0.0
    return (last + timedelta(seconds=lock_delay(count - limit)) - now).total_seconds()


def seconds_locked(username: str | None, address: str, exclude: Sequence[int] = ()) -> int:
    """How many seconds logins for this user name from this address stay refused (0: not
    locked), leaving out the rows of ``exclude`` (the attempt being checked)."""
    now = timezone.now()
    longest = 0.0
    for rule, limit in _counted(username, address):
        found = (
            LoginFailure.objects.filter(rule, at__gt=now - _window())
            .exclude(pk__in=list(exclude))
            .aggregate(count=Count("pk"), last=Max("at"))
        )
        longest = max(longest, _remaining(found["count"], found["last"], limit, now))
    return max(0, math.ceil(longest))


def begin_attempt(username: str | None, address: str) -> list[int]:
    """Count a login attempt as failed before its password is checked, and return its rows.

    Counting first closes the race of parallel guesses: each one's check sees the others, so no
    more than the allowed number get through however many arrive at once. A success or a refusal
    for the lock itself takes the rows back (:func:`forget_attempt`).
    """
    now = timezone.now()
    address = address[:64]
    with transaction.atomic():
        LoginFailure.objects.filter(at__lte=now - _window()).delete()
        rows = [LoginFailure(kind=LoginFailure.Kind.ADDRESS, key=address, at=now)]
        if username:
            account = username_key(username)
            rows.append(LoginFailure(kind=LoginFailure.Kind.ACCOUNT, account=account, key=address, at=now))
        for row in rows:
            row.save()
    return [row.pk for row in rows]


def record_failure(username: str | None, address: str) -> None:
    """Count one failed login for the user name from the address (and forget expired ones)."""
    begin_attempt(username, address)


def forget_attempt(rows: Sequence[int]) -> None:
    LoginFailure.objects.filter(pk__in=list(rows)).delete()


def clear_failures(username: str, address: str | None = None) -> int:
    """Forget the account's failures: from ``address`` (after a successful login there), or from
    everywhere (an admin's reset or unlock). An address keeps its own count: one good account does
    not open the door for guessing others. Returns the rows deleted."""
    failures = LoginFailure.objects.filter(kind=LoginFailure.Kind.ACCOUNT, account=username_key(username))
    if address is not None:
        failures = failures.filter(key=address[:64])
    deleted, _kinds = failures.delete()
    return deleted


def unlock_address(address: str) -> int:
    """Forget every failure from ``address`` (its own count and its accounts'); rows deleted."""
    deleted, _kinds = LoginFailure.objects.filter(key=address.strip()[:64]).delete()
    return deleted


def lock_message(seconds: int) -> str:
    from django.utils.translation import ngettext

    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


# --- what is locked now (the site admin's page) ----------------------------------------------------


@dataclass(frozen=True)
class Lock:
    address: str
    username: str | None  # None: an address lock; "" an account lock of a name no user has
    failures: int
    seconds: int


def current_locks(usernames: Iterable[str]) -> list[Lock]:
    """The address locks and account-from-address locks in force now; account locks are named
    by matching ``usernames`` against the stored hashes (the names themselves are not stored)."""
    now = timezone.now()
    recent = LoginFailure.objects.filter(at__gt=now - _window())
    grouped = recent.values("kind", "account", "key").annotate(count=Count("pk"), last=Max("at"))
    names = {username_key(name): name for name in usernames}
    locks = []
    for group in grouped:
        is_address = group["kind"] == LoginFailure.Kind.ADDRESS
        limit = _address_limit() if is_address else _account_limit()
        seconds = math.ceil(_remaining(group["count"], group["last"], limit, now))
        if seconds > 0:
            username = None if is_address else names.get(group["account"], "")
            locks.append(Lock(group["key"], username, group["count"], seconds))
    return sorted(locks, key=lambda lock: (lock.username is not None, lock.address, lock.username or ""))
