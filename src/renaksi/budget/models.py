"""Ceilings (pagu) per budget code and hand-entered disbursement rows (RPD) per line of a plan."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from renaksi.access import AgencyManager
from renaksi.versioning import version_field


class Ceiling(models.Model):
    """The DIPA/POK ceiling of one budget code (any level, canonical) for one plan."""

    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="ceilings")
    code = models.CharField(_("kode"), max_length=64)
    description = models.TextField(_("uraian"), blank=True, default="")
    amount = models.BigIntegerField(_("pagu"))
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="one_ceiling_per_plan_code"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="ceiling_not_negative"),
        ]
        verbose_name = _("pagu")
        verbose_name_plural = _("pagu")

    def __str__(self) -> str:
        return f"Pagu {self.code} {self.description}".strip()


class LineDisbursement(models.Model):
    """A line's RPD entered by hand: twelve integer Rupiah amounts, Januari first. A line without
    one is spread over its scheduled months (renaksi.core.disbursement)."""

    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="line_disbursements")
    line = models.OneToOneField("planning.SubActivity", on_delete=models.CASCADE, related_name="disbursement")
    amounts = models.JSONField(_("RPD per bulan"))
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "line_id"]
        verbose_name = _("RPD baris")
        verbose_name_plural = _("RPD baris")

    def __str__(self) -> str:
        return f"RPD {self.line.name}"
