"""What counts as "busy, try again", and the answer when it is raised outside a view."""

from __future__ import annotations

import sqlite3

import pytest
from django.core.signals import got_request_exception
from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.test import RequestFactory

from renaksi.busy import BusyMiddleware, is_busy_error


def _wrapped(driver_error: Exception) -> OperationalError:
    """A driver's error as Django raises it: its own class, the driver's error as the cause."""
    try:
        try:
            raise driver_error
        except Exception as error:
            raise OperationalError(*error.args) from error
    except OperationalError as django_error:
        return django_error


class _PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"error {sqlstate}")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sqlite3.OperationalError("database is locked")),
        _wrapped(sqlite3.OperationalError("database table is locked")),
        _wrapped(_PostgresError("55P03")),  # lock_not_available
        _wrapped(_PostgresError("40001")),  # serialization_failure
        _wrapped(_PostgresError("40P01")),  # deadlock_detected
    ],
)
def test_a_lock_held_elsewhere_is_busy(error: Exception) -> None:
    assert is_busy_error(error)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sqlite3.OperationalError("no such table: planning_plan")),
        _wrapped(_PostgresError("23505")),
        IntegrityError("UNIQUE constraint failed"),
        ValueError("database is locked"),
    ],
)
def test_other_failures_are_not_busy(error: Exception) -> None:
    assert not is_busy_error(error)


def test_a_busy_failure_after_the_view_is_answered_503_not_500() -> None:
    """Raised in another middleware (a session saved after the view): Django has made its 500
    page by the time the outermost middleware sees it."""

    def inner(request: HttpRequest) -> HttpResponse:
        try:
            raise _wrapped(sqlite3.OperationalError("database is locked"))
        except OperationalError:
            got_request_exception.send(sender=None, request=request)
            return HttpResponseServerError("Server Error (500)")

    response = BusyMiddleware(inner)(RequestFactory().post("/"))
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    assert "coba lagi" in response.content.decode()


def test_another_500_stays_a_500() -> None:
    def inner(request: HttpRequest) -> HttpResponse:
        try:
            raise ValueError("a bug")
        except ValueError:
            got_request_exception.send(sender=None, request=request)
            return HttpResponseServerError("Server Error (500)")

    assert BusyMiddleware(inner)(RequestFactory().get("/")).status_code == 500
