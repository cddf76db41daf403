"""The plan, in the order it is printed.

Every child carries a plan-wide ``position`` so the official table is rebuilt row for row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renaksi.access import AgencyManager
from renaksi.core.plan_tree import CostState, Polarity
from renaksi.versioning import version_field


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("tahun"))
    signing_unit = models.TextField(_("unit penandatangan"), default="")
    title = models.TextField(_("judul"), default="")
    agency_label = models.TextField(_("nama satker sebagaimana tercetak"), default="")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # The signature block printed under the table.
    sign_place = models.TextField(_("tempat penandatanganan"), blank=True, default="")
    sign_date = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    signer_title = models.TextField(_("jabatan penanda tangan"), blank=True, default="")
    signer_name = models.TextField(_("nama penanda tangan"), blank=True, default="")
    signer_nip = models.CharField(_("NIP penanda tangan"), max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moved on by every workflow step (renaksi.versioning), so a page opened before one can tell.
    version = version_field()
    # The number of the plan's current version (versi 1, 2, ...; PlanVersion), kept here so a page
    # shows it without a query; moved on only by opening a revision.
    version_number = models.PositiveIntegerField(_("nomor versi"), default=1, editable=False)

    objects = AgencyManager()

    class Meta:
        ordering = ["agency__name", "-year", "signing_unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "signing_unit"], name="one_plan_per_agency_year_unit"
            )
        ]

    def __str__(self) -> str:
        unit = f" ({self.signing_unit})" if self.signing_unit else ""
        return f"Rencana Aksi {self.year} {self.agency.name}{unit}"


class StrategicGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategic_goals")
    number = models.CharField(_("nomor"), max_length=16, blank=True, default="")
    text = models.TextField(_("sasaran strategis"))
    position = models.PositiveIntegerField()
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "position"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class ProgramGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="program_goals")
    # Null when the source printed it without a goal header (the seed's pages 3-5 are missing).
    strategic_goal = models.ForeignKey(
        StrategicGoal, null=True, blank=True, on_delete=models.CASCADE, related_name="program_goals"
    )
    text = models.TextField(_("sasaran program"))
    needs_review = models.BooleanField(default=False)
    review_note = models.TextField(blank=True, default="")
    position = models.PositiveIntegerField()
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "position"]

    def __str__(self) -> str:
        return self.text


class Indicator(models.Model):
    class Aggregation(models.TextChoices):
        SUM = "sum", _("jumlah")
        LAST = "last", _("terakhir")
        AVG = "avg", _("rata-rata")
        MAX = "max", _("maksimum")
        MIN = "min", _("minimum")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    program_goal = models.ForeignKey(ProgramGoal, on_delete=models.CASCADE, related_name="indicators")
    text = models.TextField(_("indikator kinerja"))
    target_text = models.TextField(_("target"), blank=True, default="")
    target_kind = models.CharField(max_length=16, blank=True, default="")
    target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_upper = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_unit = models.TextField(blank=True, default="")
    polarity = models.CharField(
        max_length=8, choices=[(p.value, p.value) for p in Polarity], default=Polarity.HIGHER_IS_BETTER.value
    )
    aggregation = models.CharField(max_length=8, choices=Aggregation.choices, default=Aggregation.LAST)
    position = models.PositiveIntegerField()
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "position"]

    def __str__(self) -> str:
        return self.text


class QuarterTarget(models.Model):
    """Room for the quarterly targets (TW I-IV) that monitoring compares realization with."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="quarter_targets")
    quarter = models.PositiveSmallIntegerField()
    target_text = models.TextField()

    objects = AgencyManager()

    class Meta:
        ordering = ["indicator_id", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter"], name="one_target_per_quarter")
        ]

    def __str__(self) -> str:
        return f"TW {self.quarter}: {self.target_text}"


class Activity(models.Model):
    """A Kegiatan; one activity can serve several indicators (a merged cell in the table)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    name = models.TextField(_("kegiatan"))
    position = models.PositiveIntegerField()
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "position"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.name


class ActivityIndicator(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="activity_links")
    position = models.PositiveIntegerField()

    objects = AgencyManager()

    class Meta:
        ordering = ["indicator_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "indicator"], name="activity_indicator_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} -> {self.indicator_id}"


class SubActivity(models.Model):
    """A Rencana Kegiatan: the costed, scheduled line."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sub_activities")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sub_activities")
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.PROTECT, related_name="sub_activities"
    )
    name = models.TextField(_("rencana kegiatan"))
    schedule_mask = models.PositiveSmallIntegerField(_("jadwal"), default=0)
    cost = models.BigIntegerField(_("perkiraan biaya"), null=True, blank=True)
    cost_state = models.CharField(
        max_length=8, choices=[(c.value, c.value) for c in CostState], default=CostState.ABSENT.value
    )
    budget_code = models.CharField(_("akun"), max_length=64, blank=True, default="")
    remarks = models.TextField(_("keterangan"), blank=True, default="")
    person_in_charge = models.TextField(_("penanggung jawab"), blank=True, default="")
    source_line = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField()
    # Checked and moved on by every edit (renaksi.versioning): two people saving it cannot
    # overwrite each other silently.
    version = version_field()

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "position"]
        verbose_name_plural = "sub activities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0), name="cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(schedule_mask__lte=4095), name="schedule_mask_twelve_months"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlanVersion(models.Model):
    """One version of a plan (versi 1, 2, ...): why it was opened, who submitted and approved it.

    The plan's rows are always its newest version; an approved version keeps a frozen copy of
    the plan as it was approved (``snapshot``: the canonical JSON of :mod:`renaksi.core.canonical`),
    so a revision opened on top of it (``renaksi.planning.workflow.open_revision``) cannot change
    what was approved. Names are kept beside the accounts, so the record reads the same after an
    account is renamed or removed.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("nomor versi"))
    reason = models.TextField(_("alasan revisi"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=Plan.Status.choices, default=Plan.Status.DRAFT
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_by_name = models.TextField(blank=True, default="")
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by_name = models.TextField(blank=True, default="")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_name = models.TextField(blank=True, default="")
    approved_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.TextField(blank=True, default="")

    objects = AgencyManager()

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number} ({self.status})"
