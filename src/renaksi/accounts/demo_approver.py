"""The demo approver that ``renaksi demo`` sets up beside the demo account, so the whole approval
cycle can be tried on a fresh machine: the demo account (agency admin) submits, this account
approves (nobody approves their own submission).

Like the demo account's, its password is made once, at random, and kept in the data folder
readable by its owner only (``demo-approver-password``); later runs change nothing an admin
decided (a deactivated account stays so, a changed password stays changed, a changed role stays).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from renaksi.accounts.demo import DemoUser
from renaksi.accounts.demo import _ensure_demo_user as ensure_demo_user  # one way to make a demo user
from renaksi.accounts.models import Role
from renaksi.agencies.models import Agency

APPROVER_USERNAME = "penyetuju"
APPROVER_PASSWORD_FILE = "demo-approver-password"


@dataclass(frozen=True)
class DemoApprover:
    username: str
    password: str | None  # None when the account's password is no longer the one in the file
    agency: Agency
    usable: bool
    password_file: Path


APPROVER = DemoUser(APPROVER_USERNAME, Role.APPROVER, APPROVER_PASSWORD_FILE, "Penyetuju")


@transaction.atomic
def ensure_demo_approver(
    data_dir: Path, agency: Agency, *, actor: object, operator: str = ""
) -> DemoApprover:
    """Create the approver of ``agency`` the first time (user ``penyetuju``), with the password kept
    in ``data_dir`` (the demo account's own way, in renaksi.accounts.demo)."""
    user, password = ensure_demo_user(data_dir, agency, APPROVER, actor=actor, operator=operator)
    return DemoApprover(user.username, password, agency, user.is_active, data_dir / APPROVER_PASSWORD_FILE)


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
