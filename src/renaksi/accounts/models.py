"""Who belongs to which agency, and in what role.

A user has at most one role in an agency and may belong to several agencies. What each role may
do is decided in one place, :mod:`renaksi.access`; a site admin is a Django superuser.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_ADMIN = "agency_admin", _("Admin satker")
    PLANNER = "planner", _("Perencana")
    PIC = "pic", _("Penanggung jawab kegiatan")
    APPROVER = "approver", _("Penyetuju")
    VIEWER = "viewer", _("Pembaca")
    INSPECTOR = "inspector", _("Inspektur")


class Membership(models.Model):
    """One user's role in one agency."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="one_role_per_user_and_agency")
        ]
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


# Login security (failed logins, second factor, forced password change) lives in its own module.
from renaksi.accounts.invitation_models import MemberInvitation  # noqa: E402
from renaksi.accounts.security_models import LoginFailure, PasswordChangeRequired, TotpDevice  # noqa: E402

__all__ = ["LoginFailure", "MemberInvitation", "Membership", "PasswordChangeRequired", "Role", "TotpDevice"]
