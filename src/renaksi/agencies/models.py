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


class BudgetCodeName(models.Model):
    """The name of one budget code (RKA-K/L), kept in an editable reference table.

    ``code`` is canonical as :mod:`renaksi.core.budget_codes` writes it (``3358``, ``EBC``,
    ``3358.EBC.954``, ``521211``); see :func:`renaksi.accounts.reference.reference_code`.
    """

    class Level(models.TextChoices):
        KEGIATAN = "kegiatan", _("Kegiatan")
        KRO = "kro", _("KRO")
        RO = "ro", _("RO")
        KOMPONEN = "komponen", _("Komponen")
        SUBKOMPONEN = "subkomponen", _("Subkomponen")
        AKUN = "akun", _("Akun")

    code = models.CharField(_("kode"), max_length=64, unique=True)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    name = models.CharField(_("nama"), max_length=300)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("nama kode anggaran")
        verbose_name_plural = _("nama kode anggaran")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
