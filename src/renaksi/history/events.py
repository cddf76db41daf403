"""The named events and sources of the history log (no models here: importable before apps load)."""

from __future__ import annotations

import enum

from django.utils.translation import gettext_lazy as _


class Event(enum.StrEnum):
    PLAN_IMPORTED = "plan_imported"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_APPROVED = "plan_approved"
    PLAN_RETURNED = "plan_returned"
    PLAN_CHANGED = "plan_changed"
    LINE_COST_CHANGED = "line_cost_changed"
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"
    MEMBER_ADDED = "member_added"
    MEMBER_ROLE_CHANGED = "member_role_changed"
    MEMBER_REMOVED = "member_removed"
    USER_CREATED = "user_created"
    USER_PASSWORD_RESET = "user_password_reset"
    USER_DEACTIVATED = "user_deactivated"
    AGENCY_CREATED = "agency_created"
    AGENCY_CHANGED = "agency_changed"
    REFERENCE_IMPORTED = "reference_imported"


class Source(enum.StrEnum):
    FORM = "form"
    IMPORT = "import"
    API = "api"
    COMMAND = "command"
    SYSTEM = "system"


EVENT_LABELS = {
    Event.PLAN_IMPORTED: _("Rencana diimpor"),
    Event.PLAN_SUBMITTED: _("Rencana diajukan"),
    Event.PLAN_APPROVED: _("Rencana disetujui"),
    Event.PLAN_RETURNED: _("Rencana dikembalikan ke draf"),
    Event.PLAN_CHANGED: _("Rencana diubah"),
    Event.LINE_COST_CHANGED: _("Anggaran baris diubah"),
    Event.CREATED: _("Dibuat"),
    Event.CHANGED: _("Diubah"),
    Event.DELETED: _("Dihapus"),
    Event.MEMBER_ADDED: _("Anggota ditambahkan"),
    Event.MEMBER_ROLE_CHANGED: _("Peran anggota diubah"),
    Event.MEMBER_REMOVED: _("Anggota dikeluarkan"),
    Event.USER_CREATED: _("Pengguna dibuat"),
    Event.USER_PASSWORD_RESET: _("Kata sandi pengguna diatur ulang"),
    Event.USER_DEACTIVATED: _("Pengguna dinonaktifkan"),
    Event.AGENCY_CREATED: _("Satker dibuat"),
    Event.AGENCY_CHANGED: _("Satker diubah"),
    Event.REFERENCE_IMPORTED: _("Data referensi diimpor"),
}

SOURCE_LABELS = {
    Source.FORM: _("Formulir"),
    Source.IMPORT: _("Impor berkas"),
    Source.API: _("API"),
    Source.COMMAND: _("Perintah"),
    Source.SYSTEM: _("Sistem"),
}
