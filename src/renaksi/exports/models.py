"""Export jobs: a province roll-up runs in the background and its page shows the progress."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from renaksi.access import AgencyManager


class ExportJob(models.Model):
    """One province roll-up workbook being built. The UUID key keeps job pages unguessable."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="export_jobs")
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Relative to the exports folder in the data folder, never an absolute path from outside it.
    file_path = models.CharField(max_length=255, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan ekspor")
        verbose_name_plural = _("pekerjaan ekspor")

    def __str__(self) -> str:
        return f"Rekap {self.agency_id} {self.year}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
