from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renaksi.access import AgencyManager
from renaksi.json_encoding import FastJSONEncoder


class ImportRecord(models.Model):
    """One committed import: the source, its report, and the cells that found no field."""

    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    source_format = models.CharField(max_length=16)
    encoding = models.CharField(max_length=32, blank=True, default="")
    report = models.JSONField(encoder=FastJSONEncoder)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_via = models.CharField(max_length=16, default="cli")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgencyManager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.source_format})"


class UnplacedCell(models.Model):
    """A non-empty source cell that landed in no field: kept with the plan, never dropped."""

    import_record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="unplaced_cells")
    line = models.PositiveIntegerField()
    column = models.PositiveIntegerField()
    text = models.TextField()
    reason = models.TextField(blank=True, default="")

    objects = AgencyManager()

    class Meta:
        ordering = ["import_record_id", "line", "column"]

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.text}"


class PendingImport(models.Model):
    """An uploaded plan file waiting in the preview: read, corrected, then committed or dropped.

    The file itself is kept privately in the data folder (``uploads/<id>/``), never under a URL;
    the UUID key keeps the preview's address unguessable. Old ones expire
    (``RENAKSI_PENDING_IMPORT_HOURS``)."""

    class Status(models.TextChoices):
        READING = "reading", _("sedang dibaca")
        READY = "ready", _("siap ditinjau")
        FAILED = "failed", _("ditolak")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="pending_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Relative to the uploads folder in the data folder, never an absolute path from outside it.
    stored_path = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    replace = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.READING)
    error = models.TextField(blank=True, default="")
    corrections = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
