"""HTTP security headers on every response, and 403s logged as one line.

- **Content-Security-Policy**: scripts, styles, images and fonts only from this site, no inline
  code at all (templates keep their JavaScript and CSS in ``static/``), no plugins, no framing,
  forms posting only here. A deployment that needs to relax it sets ``RENAKSI_CSP`` (the whole
  header value); ``RENAKSI_CSP_REPORT_ONLY=1`` sends it as ``Content-Security-Policy-Report-Only``.
- **Cache-Control**: a response to a logged-in user (a page, an export, a job's file) is
  ``private, no-store``: a shared proxy or the browser's disk cache never keeps what only that
  user may read. Anonymous public pages keep what their views set.
- **403**: Django logs a refused permission (``PermissionDenied``) with the exception's full
  traceback; :class:`OneLineForbidden` makes it one warning line with the path and the user id.
  A 403 is an answer, not a fault.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)


def content_security_policy() -> str:
    return str(getattr(settings, "RENAKSI_CSP", "") or DEFAULT_POLICY)


class SecurityHeadersMiddleware:
    """Sits after authentication, so it knows whether the response is a logged-in user's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "RENAKSI_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if header not in response:
            response[header] = content_security_policy()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Adds to what the view set (never_cache's max-age=0 stays); private drops public.
            patch_cache_control(response, private=True, no_store=True)
        return response


class OneLineForbidden(logging.Filter):
    """On ``django.request``: a 403 record loses its traceback and names the user instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if user is not None and user.is_authenticated else None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.msg = f"{record.getMessage()} (user {user_id if user_id is not None else 'anonymous'})"
        record.args = None
        return True
