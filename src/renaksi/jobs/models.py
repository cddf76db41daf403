"""A job: long work (a big export, a roll-up, a big import) done by a worker process, not a request.

The row is the whole queue: a worker claims a queued row, runs it and records its progress, its
peak memory and its outcome here; the job page reads it. No broker."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renaksi.access import AgencyManager


class Job(models.Model):
    """One job. The UUID key keeps job pages unguessable; the agency scopes who may see it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("menunggu")
        RUNNING = "running", _("berjalan")
        DONE = "done", _("selesai")
        FAILED = "failed", _("gagal")

    class Kind(models.TextChoices):
        ROLLUP = "rollup", _("Rekap provinsi")
        PLAN_EXPORT = "plan_export", _("Ekspor rencana")
        IMPORT_READ = "import_read", _("Pembacaan berkas impor")
        IMPORT_COMMIT = "import_commit", _("Penyimpanan impor")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="jobs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the job is about (``rollup:2023``, ``plan:12:pdf``, ``pending:<hex>``): a second request
    # for the same work while one is active gets that one.
    key = models.CharField(max_length=120, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    phase = models.CharField(max_length=32, blank=True, default="")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True, default="")  # one line, for people
    # Relative to the jobs folder in the data folder, never an absolute path from outside it.
    file_path = models.CharField(max_length=255, blank=True, default="")
    download_name = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    file_removed = models.BooleanField(default=False)  # by the sweep, after the retention time
    result_plan_id = models.BigIntegerField(null=True, blank=True)  # what an import job saved
    worker = models.CharField(max_length=120, blank=True, default="")  # host:pid of the worker
    peak_rss_kb = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # the heartbeat while running

    objects = AgencyManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pekerjaan")
        verbose_name_plural = _("pekerjaan")

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.status}"

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

    @property
    def peak_rss_mb(self) -> int | None:
        return None if self.peak_rss_kb is None else round(self.peak_rss_kb / 1024)


ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)
