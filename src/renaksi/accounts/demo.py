"""The demo account that ``renaksi demo`` (and so ``make run``) sets up beside the seed plan.

Every page needs a login, so a fresh install would show nothing without an account. The demo
account is the agency admin of the seed plan's agency. Its password is made once, at random, and
kept in the data folder readable by its owner only; it is never a published default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from renaksi.access import require_site_admin
from renaksi.accounts.management import USER_FIELDS, member_snapshot
from renaksi.accounts.models import Membership, Role
from renaksi.accounts.security import temporary_password
from renaksi.agencies.models import Agency
from renaksi.history import Event, Source, record_event, snapshot

DEMO_USERNAME = "demo"
PASSWORD_FILE = "demo-password"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str | None  # None when the account's password is no longer the one in the file
    agency: Agency
    usable: bool  # False when an admin deactivated the account: it stays so


def _stored_password(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


def _kept_password(path: Path) -> str:
    """The password kept at ``path``, made (mode 0600) the first time."""
    if stored := _stored_password(path):
        return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _stored_password(path)
    password = temporary_password()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


@dataclass(frozen=True)
class DemoUser:
    """Who ``renaksi demo`` sets up: the user name, its role in the agency, its password's file
    in the data folder, and the name it is made with."""

    username: str
    role: str
    password_file: str
    first_name: str
    last_name: str = "Demo"


def _ensure_demo_user(
    data_dir: Path, agency: Agency, who: DemoUser, *, actor: object, operator: str = ""
) -> tuple[Any, str | None]:
    """Create ``who`` the first time, with the password kept in ``data_dir``; later runs change
    nothing an admin decided (a deactivated account stays so, a changed password stays changed, a
    changed role stays) and add back only a missing membership of an active account. Every change
    is in the history. Only a site admin or :data:`~renaksi.access.OPERATOR` may, checked first.
    Returns the user and the kept password (None when the account's password is another now)."""
    require_site_admin(actor)
    path = data_dir / who.password_file
    user_model = get_user_model()
    user = user_model.objects.filter(username=who.username).first()
    note = "renaksi demo" + (f"; dijalankan oleh {operator}" if operator else "")
    common: dict[str, Any] = {"source": Source.COMMAND, "agency": agency, "actor": actor, "note": note}
    if user is None:
        password: str | None = _kept_password(path)
        user = user_model.objects.create_user(
            who.username, password=password, first_name=who.first_name, last_name=who.last_name
        )
        record_event(event=Event.USER_CREATED, obj=user, after=snapshot(user, USER_FIELDS), **common)
    else:
        stored = _stored_password(path)
        password = stored if stored and user.check_password(stored) else None
    if user.is_active and not Membership.objects.filter(user=user, agency=agency).exists():
        membership = Membership.objects.create(user=user, agency=agency, role=who.role)
        record_event(event=Event.MEMBER_ADDED, obj=membership, after=member_snapshot(membership), **common)
    return user, password


DEMO = DemoUser(DEMO_USERNAME, Role.AGENCY_ADMIN, PASSWORD_FILE, "Akun")


@transaction.atomic
def ensure_demo_account(data_dir: Path, agency: Agency, *, actor: object, operator: str = "") -> DemoAccount:
    """Create the demo user the first time: active, agency admin of ``agency``, with the password
    kept in ``data_dir`` (:func:`_ensure_demo_user`)."""
    user, password = _ensure_demo_user(data_dir, agency, DEMO, actor=actor, operator=operator)
    return DemoAccount(user.username, password, agency, usable=user.is_active)
