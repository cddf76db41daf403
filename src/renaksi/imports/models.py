from __future__ import annotations

from django.conf import settings
from django.db import models

from renaksi.access import AgencyManager


class ImportRecord(models.Model):
    """One committed import: the source, its report, and the cells that found no field."""

    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    source_format = models.CharField(max_length=16)
    encoding = models.CharField(max_length=32, blank=True, default="")
    report = models.JSONField()
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
