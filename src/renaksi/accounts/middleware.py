"""Session timeouts and the forced password change, right after authentication.

An authenticated session ends after ``RENAKSI_SESSION_IDLE_SECONDS`` without a request or
``RENAKSI_SESSION_ABSOLUTE_SECONDS`` after the login, whichever comes first: it is flushed and the
request goes on anonymous, so a page that needs a login sends the browser to the login page (with
``next``) and a public page simply shows. A user whose password an admin reset reaches nothing but
the password-change page (and logout, and the language switch) until they choose a new one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse

from renaksi.accounts import security

# The views a user who must change their password may still reach.
ALLOWED_BEFORE_PASSWORD_CHANGE = frozenset({"accounts:password_change", "accounts:logout", "set_language"})


class AccountSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            if security.session_has_expired(session, now):
                logout(request)  # flushes the session, the user becomes anonymous
                session[security.SESSION_EXPIRED] = True
            else:
                if session.get(security.AUTH_AT) is None:
                    session[security.AUTH_AT] = now
                seen_at = session.get(security.SEEN_AT)
                if seen_at is None or now - float(seen_at) >= security.SEEN_RESOLUTION_SECONDS:
                    session[security.SEEN_AT] = now
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or not request.session.get(security.MUST_CHANGE_PASSWORD):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_BEFORE_PASSWORD_CHANGE:
            return None
        target = reverse("accounts:password_change")
        if request.method == "GET":
            query = QueryDict(mutable=True)
            query["next"] = request.get_full_path()
            target += "?" + query.urlencode(safe="/")
        return HttpResponseRedirect(target)
