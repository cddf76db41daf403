"""The demo approver that ``renaksi demo`` sets up beside the demo account, so the whole approval
cycle can be tried on a fresh machine: the demo account (agency admin) submits, this account
approves (nobody approves their own submission).

Like the demo account's, its password is made once, at random, and kept in the data folder
readable by its owner only (``demo-approver-password``); later runs change nothing an admin
decided (a deactivated account stays so, a changed password stays changed, a changed role stays).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from renaksi.access import OPERATOR, scope_for
from renaksi.accounts.management import USER_FIELDS, member_snapshot
from renaksi.accounts.models import Membership, Role
from renaksi.accounts.security import temporary_password
from renaksi.agencies.models import Agency
from renaksi.history import Event, Source, record_event, snapshot

APPROVER_USERNAME = "penyetuju"
APPROVER_PASSWORD_FILE = "demo-approver-password"


@dataclass(frozen=True)
class DemoApprover:
    username: str
    password: str | None  # None when the account's password is no longer the one in the file
    agency: Agency
    usable: bool
    password_file: Path


def _stored(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


def _kept_password(path: Path) -> str:
    """The password kept at ``path``, made (mode 0600) the first time."""
    if stored := _stored(path):
        return stored
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _stored(path)
    password = temporary_password()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(password + "\n")
    return password


@transaction.atomic
def ensure_demo_approver(
    data_dir: Path, agency: Agency, *, actor: object, operator: str = ""
) -> DemoApprover:
    """Create the approver of ``agency`` the first time (user ``penyetuju``), with the password kept
    in ``data_dir``; later runs add back only a missing membership of an active account. Every
    change is in the history. Only a site admin or :data:`~renaksi.access.OPERATOR` may."""
    if actor is not OPERATOR and not scope_for(actor).site_admin:
        raise PermissionDenied
    path = data_dir / APPROVER_PASSWORD_FILE
    user_model = get_user_model()
    user = user_model.objects.filter(username=APPROVER_USERNAME).first()
    note = "renaksi demo" + (f"; dijalankan oleh {operator}" if operator else "")
    common: dict[str, Any] = {"source": Source.COMMAND, "agency": agency, "actor": actor, "note": note}
    if user is None:
        password: str | None = _kept_password(path)
        user = user_model.objects.create_user(
            APPROVER_USERNAME, password=password, first_name="Penyetuju", last_name="Demo"
        )
        record_event(event=Event.USER_CREATED, obj=user, after=snapshot(user, USER_FIELDS), **common)
    else:
        stored = _stored(path)
        password = stored if stored and user.check_password(stored) else None
    if user.is_active and not Membership.objects.filter(user=user, agency=agency).exists():
        membership = Membership.objects.create(user=user, agency=agency, role=Role.APPROVER)
        record_event(event=Event.MEMBER_ADDED, obj=membership, after=member_snapshot(membership), **common)
    return DemoApprover(user.username, password, agency, user.is_active, path)


def approver_message(approver: DemoApprover) -> str:
    """What ``renaksi demo`` prints about the approver (Indonesian, as its other lines)."""
    if not approver.usable:
        return f"Akun {approver.username!r} dinonaktifkan oleh admin; tidak diaktifkan lagi."
    if approver.password is None:
        return f"Akun {approver.username!r}: kata sandinya sudah diganti; masuk dengan kata sandi yang baru."
    return (
        f"Penyetuju: masuk sebagai {approver.username!r} (penyetuju {approver.agency.name}) dengan kata "
        f"sandi {approver.password!r} (tersimpan di {approver.password_file})."
    )
