"""One row per recorded change of agency data: who, when, where from, what, before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renaksi.access import AgencyManager
from renaksi.history.events import EVENT_LABELS, SOURCE_LABELS, Event, Source
from renaksi.json_encoding import FastJSONEncoder


class HistoryEvent(models.Model):
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="history_events",
        verbose_name=_("pelaku"),
    )
    # Kept when the user is deleted, so the record still says who it was.
    actor_label = models.TextField(_("nama pelaku"), blank=True, default="")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="history_events", verbose_name=_("satker")
    )
    plan = models.ForeignKey(
        "planning.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="history_events",
        verbose_name=_("rencana"),
    )
    event = models.CharField(
        _("peristiwa"), max_length=32, choices=[(e.value, EVENT_LABELS[e]) for e in Event]
    )
    source = models.CharField(
        _("sumber"), max_length=16, choices=[(s.value, SOURCE_LABELS[s]) for s in Source]
    )
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True, default="")
    object_id = models.CharField(_("id objek"), max_length=64, blank=True, default="")
    object_label = models.TextField(_("objek"), blank=True, default="")
    before = models.JSONField(_("sebelum"), null=True, blank=True, encoder=FastJSONEncoder)
    after = models.JSONField(_("sesudah"), null=True, blank=True, encoder=FastJSONEncoder)
    note = models.TextField(_("catatan"), blank=True, default="")

    objects = AgencyManager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "-created_at"], name="history_plan_time"),
            models.Index(fields=["object_type", "object_id"], name="history_object"),
            models.Index(fields=["agency", "-created_at"], name="history_agency_time"),
        ]
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.object_type}#{self.object_id}"
