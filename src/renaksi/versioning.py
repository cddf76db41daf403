"""Optimistic concurrency: a version on every object people edit, so that two people saving the
same object cannot silently overwrite each other.

An edit form carries the version the person read. The update service writes with
``UPDATE ... SET ..., version = version + 1 WHERE id = ? AND version = ?`` (:func:`update_versioned`):
when someone else saved in between, no row matches, nothing is written, and the service raises
:class:`StaleVersion`, which it turns into an answer that shows the other person's values (for a
plan line, ``planning.workflow.EditConflict``).

To version another model: add ``version = version_field()`` (and its migration), have its form
carry the version (``version_form_field()``), and write it through :func:`update_versioned`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version"


def version_field() -> models.PositiveIntegerField[Any, Any]:
    """The version column: 1 when the object is made, one more at every saved change."""
    return models.PositiveIntegerField(_("versi"), default=1, editable=False)


def version_form_field() -> forms.IntegerField:
    """The version an edit form was opened at, posted back as a hidden field."""
    return forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class StaleVersion(Exception):
    """The object was saved by someone else since ``expected`` was read (it is at ``current``)."""

    def __init__(self, obj: models.Model, expected: int, current: int | None) -> None:
        self.obj, self.expected, self.current = obj, expected, current
        super().__init__(f"{type(obj).__name__} {obj.pk}: version {expected} expected, now {current}")


def update_versioned(
    queryset: models.QuerySet[Any],
    obj: models.Model,
    expected: int,
    fields: Iterable[str],
) -> int:
    """Write ``fields`` of ``obj`` (its current attribute values) only if its row is still at
    version ``expected``, moving the version on by one, in one statement. Returns the new version
    (also set on ``obj``); raises :class:`StaleVersion` when the row is at another version (or gone).

    ``queryset`` says for whom the row is reached (an agency-scoped manager's ``of_plan(...)``)."""
    values = {name: getattr(obj, name) for name in fields}
    updated = queryset.filter(pk=obj.pk, **{VERSION_FIELD: expected}).update(
        **values, **{VERSION_FIELD: F(VERSION_FIELD) + 1}
    )
    if updated != 1:
        current = queryset.filter(pk=obj.pk).values_list(VERSION_FIELD, flat=True).first()
        raise StaleVersion(obj, expected, current)
    setattr(obj, VERSION_FIELD, expected + 1)
    return expected + 1
