"""The demo account that ``renaksi demo`` (and so ``make run``) sets up beside the seed plan.

Every page needs a login, so a fresh install would show nothing without an account. The demo
account is the agency admin of the seed plan's agency. Its password is made once, at random, and
kept in the data folder readable by its owner only; it is never a published default.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.history import Event, Source, record_event, snapshot

DEMO_USERNAME = "demo"
PASSWORD_FILE = "demo-password"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    agency: Agency


def _password(data_dir: Path) -> str:
    """The demo password kept in ``data_dir``, made (mode 0600) the first time."""
    path = data_dir / PASSWORD_FILE
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


@transaction.atomic
def ensure_demo_account(data_dir: Path, agency: Agency) -> DemoAccount:
    """Create the demo user (or bring it back: active, its password, agency admin of ``agency``)."""
    password = _password(data_dir)
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Akun", "last_name": "Demo"}
    )
    user.is_active = True
    user.set_password(password)
    user.save()
    membership = Membership.objects.filter(user=user, agency=agency).first()
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency, role=Role.AGENCY_ADMIN)
        record_event(
            event=Event.MEMBER_ADDED,
            source=Source.COMMAND,
            agency=agency,
            obj=membership,
            after=snapshot(membership, ["role"]) | {"user": user.username},
            note="renaksi demo" + (" (new user)" if created else ""),
        )
    elif membership.role != Role.AGENCY_ADMIN:
        before = snapshot(membership, ["role"])
        membership.role = Role.AGENCY_ADMIN
        membership.save(update_fields=["role"])
        record_event(
            event=Event.MEMBER_ROLE_CHANGED,
            source=Source.COMMAND,
            agency=agency,
            obj=membership,
            before=before,
            after=snapshot(membership, ["role"]),
            note="renaksi demo",
        )
    return DemoAccount(user.username, password, agency)
