from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A Satuan Kerja (satker): a work unit that keeps its own Rencana Aksi."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("Pusat")
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten/Kota")

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=200, unique=True)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    time_zone = models.CharField(_("zona waktu"), max_length=64, default="Asia/Makassar")
    publishes_plans = models.BooleanField(_("terbitkan rencana yang disetujui"), default=False)

    class Meta:
        ordering = ["parent_id", "name"]
        verbose_name = _("satuan kerja")
        verbose_name_plural = _("satuan kerja")

    def __str__(self) -> str:
        return self.name
