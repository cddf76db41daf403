"""An invitation to join an agency, waiting for the invited account's answer.

Kept out of :mod:`renaksi.accounts.models` (which imports it, so Django finds it) like the login
security models. The invitation names a user name, not an account: whether that name exists is
never told to the inviting admin; the account of that name (or, for a name nobody has, whoever
holds the link) decides.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MemberInvitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("diundang, menunggu")
        ACCEPTED = "accepted", _("diterima")
        DECLINED = "declined", pgettext_lazy("invitation", "ditolak")
        CANCELLED = "cancelled", _("dibatalkan")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="invitations")
    username = models.CharField(_("nama pengguna"), max_length=150)
    role = models.CharField(_("peran"), max_length=16)
    # For a name nobody has yet: the account the link makes (the person may change the name).
    full_name = models.CharField(max_length=150, blank=True, default="")
    email = models.EmailField(blank=True, default="")
    # SHA-256 of the link's token; the token itself is shown once to the inviting admin.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # The account that accepted (or was made from the link).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                Upper("username"),
                condition=models.Q(status="pending"),
                name="one_waiting_invitation_per_name_and_agency",
            )
        ]
        verbose_name = _("undangan anggota")
        verbose_name_plural = _("undangan anggota")

    def __str__(self) -> str:
        return f"{self.username} → {self.agency} ({self.status})"

    def get_role_display(self) -> str:
        from renaksi.accounts.models import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()

    @property
    def shown_status(self) -> str:
        """What the agency's admin reads: waiting, expired, declined ..."""
        if self.status == self.Status.PENDING and not self.is_open:
            return str(_("kedaluwarsa"))
        return str(self.get_status_display())
