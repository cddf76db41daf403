"""Every login, however it happens (the login page, the second-factor page, a test's
``force_login``), stamps the session with its time and with a pending forced password change."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from renaksi.accounts.security import stamp_login


@receiver(user_logged_in, dispatch_uid="renaksi.accounts.stamp_login")
def stamp_session_at_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        stamp_login(session, user)
