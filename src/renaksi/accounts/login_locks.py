"""A site admin's view of login locks, and unlocking (Kelola → Login terkunci).

The throttling rules (:mod:`renaksi.accounts.throttle`) never lock an account everywhere, so the
owner can always log in from another address; this page is for the office whose address is
slowed down, or the person locked out from their own desk. Site admins only: anyone else gets 403.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from renaksi.access import Scope, request_scope
from renaksi.accounts import throttle

logger = logging.getLogger(__name__)


def unlock_login(*, scope: Scope, actor: Any, username: str = "", address: str = "") -> int:
    """Forget the failures of an account (from every address) and/or of an address; returns the
    rows deleted. Site admins only."""
    if not scope.site_admin:
        raise PermissionDenied
    deleted = 0
    if username.strip():
        deleted += throttle.clear_failures(username)
    if address.strip():
        deleted += throttle.unlock_address(address)
    logger.warning(
        "login unlocked by user %s: account %s, address %s (%d failures forgotten)",
        getattr(actor, "pk", actor),
        "yes" if username.strip() else "no",
        address.strip() or "-",
        deleted,
    )
    return deleted


@require_GET
def login_locks(request: HttpRequest) -> HttpResponse:
    if not request_scope(request).site_admin:
        raise PermissionDenied
    usernames = get_user_model()._default_manager.values_list("username", flat=True)
    locks = throttle.current_locks(usernames)
    return render(request, "manage/login_locks.html", {"locks": locks})


@require_POST
def login_unlock(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    username = request.POST.get("username", "")[:150]
    address = request.POST.get("address", "")[:64]
    unlock_login(scope=scope, actor=request.user, username=username, address=address)
    if username.strip() and address.strip():
        text = _("Akun %(username)s dan alamat %(address)s dibuka.")
    elif username.strip():
        text = _("Akun %(username)s dibuka dari semua alamat.")
    elif address.strip():
        text = _("Alamat %(address)s dibuka.")
    else:
        messages.error(request, _("Tulis nama pengguna atau alamat yang akan dibuka."))
        return redirect("manage:login_locks")
    messages.success(request, text % {"username": username.strip(), "address": address.strip()})
    return redirect("manage:login_locks")
