"""A write that could not get the database's lock in time is answered "busy, try again".

SQLite has one writer at a time: the others wait up to the busy timeout
(``RENAKSI_SQLITE_BUSY_TIMEOUT``, see settings) and then fail with "database is locked". On
PostgreSQL a lock or serialization conflict fails the same way (lock timeout, serialization
failure, deadlock). Such a failure says nothing about the request: the same request a moment later
succeeds. So it is answered with HTTP 503 and ``Retry-After``, a page that says to try again, and
nothing written (the transaction was rolled back), never a 500 with a traceback in the log.
``renaksi`` commands print one line for it instead (:mod:`renaksi.cli`).

:class:`BusyMiddleware` answers a busy failure raised in a view (``process_exception``), and one
raised anywhere else in the request (a session saved after the view, another middleware), which
Django has turned into its 500 page by then: a ``got_request_exception`` receiver marks the
request, and the middleware, outermost, replaces that 500 with the busy page.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

#: Seconds a client is told to wait before trying again.
RETRY_AFTER_SECONDS = 5

# SQLite result codes (the low byte of an extended code): SQLITE_BUSY, SQLITE_LOCKED.
_SQLITE_BUSY_CODES = frozenset({5, 6})
_SQLITE_BUSY_TEXTS = ("database is locked", "database table is locked", "database schema is locked")
# PostgreSQL: lock_not_available (lock_timeout, NOWAIT), serialization_failure, deadlock_detected.
_POSTGRES_BUSY_STATES = frozenset({"55P03", "40001", "40P01"})

_MARK = "_renaksi_database_busy"


def is_busy_error(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is the database refusing for a lock held elsewhere,
    which the same request a moment later would not meet."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sqlite3.OperationalError):
            code = getattr(error, "sqlite_errorcode", None)
            if (code is not None and code & 0xFF in _SQLITE_BUSY_CODES) or str(error).startswith(
                _SQLITE_BUSY_TEXTS
            ):
                return True
        elif getattr(error, "sqlstate", None) in _POSTGRES_BUSY_STATES:
            return True
        elif isinstance(error, DatabaseError) and str(error).startswith(_SQLITE_BUSY_TEXTS):
            return True  # Django's wrapper, when the driver's error is not chained
        error = error.__cause__ or error.__context__
    return False


def busy_response(request: HttpRequest) -> HttpResponse:
    """The "busy, try again" page: 503, with when to retry, never cached."""
    response = HttpResponse(render_to_string("503.html", request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_busy_request(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Sent by Django inside its handler of an uncaught exception, so sys.exc_info() is that one.
    if request is not None and is_busy_error(sys.exc_info()[1]):
        setattr(request, _MARK, True)


class BusyMiddleware:
    """Outermost in MIDDLEWARE, so that it sees what every other layer answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_mark_busy_request, dispatch_uid="renaksi.busy")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return busy_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy_error(exception) else None


def busy_command_message() -> str:
    """The one line a command prints for a busy failure (after ``renaksi <command>:``)."""
    from django.conf import settings
    from django.utils.translation import gettext

    return gettext(
        "basis data sedang sibuk: penulisan lain memegang kuncinya lebih dari %(seconds)s detik; "
        "tidak ada yang disimpan, coba lagi sebentar lagi."
    ) % {"seconds": f"{float(getattr(settings, 'RENAKSI_SQLITE_BUSY_TIMEOUT', 20)):g}"}
