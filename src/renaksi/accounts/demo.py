"""The demo account that ``renaksi demo`` (and so ``make run``) sets up beside the seed plan.

Every page needs a login, so a fresh install would show nothing without an account. The demo
account is the agency admin of the seed plan's agency. Its password is made once, at random, and
kept in the data folder readable by its owner only; it is never a published default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


def _stored_password(data_dir: Path) -> str:
    path = data_dir / PASSWORD_FILE
    return path.read_text().strip() if path.exists() else ""


def _password(data_dir: Path) -> str:
    """The demo password kept in ``data_dir``, made (mode 0600) the first time."""
    path = data_dir / PASSWORD_FILE
    if stored := _stored_password(data_dir):
        return stored
    data_dir.mkdir(parents=True, exist_ok=True)
    password = temporary_password()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _stored_password(data_dir)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


@transaction.atomic
def ensure_demo_account(data_dir: Path, agency: Agency, *, actor: object, operator: str = "") -> DemoAccount:
    """Create the demo user the first time: active, agency admin of ``agency``, with the password
    kept in ``data_dir``. Later runs change nothing an admin decided: a deactivated account stays
    deactivated, a changed password stays changed, a role set by an admin stays; only a missing
    membership in ``agency`` is added back. Every change is in the history. Only a site admin or
    :data:`~renaksi.access.OPERATOR` (``renaksi demo``) may, checked first."""
    require_site_admin(actor)
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    note = "renaksi demo" + (f"; dijalankan oleh {operator}" if operator else "")
    if user is None:
        password: str | None = _password(data_dir)
        user = user_model.objects.create_user(
            DEMO_USERNAME, password=password, first_name="Akun", last_name="Demo"
        )
        record_event(
            event=Event.USER_CREATED,
            source=Source.COMMAND,
            agency=agency,
            actor=actor,
            obj=user,
            after=snapshot(user, USER_FIELDS),
            note=note,
        )
    else:
        stored = _stored_password(data_dir)
        password = stored if stored and user.check_password(stored) else None
    membership = Membership.objects.filter(user=user, agency=agency).first()
    if membership is None and user.is_active:
        membership = Membership.objects.create(user=user, agency=agency, role=Role.AGENCY_ADMIN)
        record_event(
            event=Event.MEMBER_ADDED,
            source=Source.COMMAND,
            agency=agency,
            actor=actor,
            obj=membership,
            after=member_snapshot(membership),
            note=note,
        )
    return DemoAccount(user.username, password, agency, usable=user.is_active)
