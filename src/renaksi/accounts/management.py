"""Managing who works where: members and their roles, user accounts, agencies, reference tables.

Every function here checks what the acting user may do (again, even though the views check
first) and writes history in the same transaction as the change. Memberships and users are not
agency data behind a scoped manager, so the scope is applied by hand: an agency admin reaches only
the members of agencies where they hold :attr:`Action.MANAGE_MEMBERS`.

Refusals a person can fix (a taken username, a wrong parent) raise :class:`ManagementError`,
naming the form field; refusals of authority raise :class:`~django.core.exceptions.PermissionDenied`
or :class:`~django.http.Http404` exactly as :mod:`renaksi.access` does.
"""

from __future__ import annotations

import csv
import io
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, When
from django.http import Http404
from django.utils.translation import gettext as _

from renaksi.access import NOT_FOUND, Action, Scope
from renaksi.accounts.models import Membership, Role
from renaksi.accounts.security import can_reset_password, manages_user, temporary_password
from renaksi.accounts.security_models import PasswordChangeRequired
from renaksi.agencies.models import Agency, BudgetCodeName
from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.grid import SourceError
from renaksi.core.text import normalize_space
from renaksi.history import Event, Source, record_event, snapshot
from renaksi.imports.readers import decode_text

__all__ = [
    "Invitation",
    "ManagementError",
    "ReferenceImportResult",
    "ReferencePreview",
    "ReferenceRow",
    "agency_members",
    "can_deactivate",
    "change_role",
    "create_agency",
    "deactivate_user",
    "import_reference",
    "preview_reference",
    "reference_code",
    "invite_member",
    "is_valid_time_zone",
    "managed_agency",
    "management_agencies",
    "member_of",
    "remove_member",
    "update_agency",
]

User = get_user_model()

MEMBER_FIELDS = ("user", "agency", "role")
# Path segments next to agency codes under kelola/satker/ (see management_urls).
RESERVED_AGENCY_CODES = frozenset({"baru"})
AGENCY_FIELDS = ("code", "name", "level", "parent", "time_zone", "publishes_plans")


class ManagementError(ValueError):
    """A change refused for a reason the person can fix; ``field`` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Invitation:
    """The outcome of inviting someone: the membership, and the temporary password when the user
    was created just now (shown once, never stored in clear)."""

    membership: Membership
    created_user: bool
    temporary_password: str | None


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_valid_time_zone(name: str) -> bool:
    return name in _time_zones()


# --- reaching agencies and members --------------------------------------------------------------


def managed_agency(scope: Scope, code: str, action: Action = Action.MANAGE_MEMBERS) -> Agency:
    """The agency ``code`` if the user may do ``action`` there; 404 when the user cannot see it
    (exactly like a missing code), 403 when they see it but may not manage it."""
    agency: Agency = scope.agency(code, action)
    return agency


def management_agencies(scope: Scope) -> list[Agency]:
    """The agencies whose members or settings the user manages (every agency for a site admin)."""
    if scope.site_admin:
        return list(Agency.objects.select_related("parent").order_by("level", "name"))
    allowed = (scope.agency_ids(Action.MANAGE_MEMBERS) or frozenset()) | (
        scope.agency_ids(Action.MANAGE_AGENCY) or frozenset()
    )
    return list(
        Agency.objects.filter(pk__in=sorted(allowed)).select_related("parent").order_by("level", "name")
    )


def agency_members(agency: Agency) -> list[Membership]:
    return list(Membership.objects.filter(agency=agency).select_related("user").order_by("user__username"))


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    can_deactivate: bool
    can_reset_password: bool


def member_rows(scope: Scope, actor: Any, agency: Agency) -> list[MemberRow]:
    """The members of ``agency`` with what ``actor`` may do to each account; the agencies of all
    the members are read in one query, not one per member."""
    members = agency_members(agency)
    agencies_of: dict[int, set[int]] = defaultdict(set)
    homes: dict[int, int] = {}
    for user_id, agency_id in (
        Membership.objects.filter(user_id__in=[membership.user_id for membership in members])
        .order_by("created_at", "pk")
        .values_list("user_id", "agency_id")
    ):
        agencies_of[user_id].add(agency_id)
        homes.setdefault(user_id, agency_id)  # the first joined: the account's home
    rows = []
    for membership in members:
        user, agency_ids, home = membership.user, agencies_of[membership.user_id], homes[membership.user_id]
        may_deactivate = can_deactivate(scope, actor, user, agency_ids, home)
        may_reset = can_reset_password(actor, user, agency, scope=scope, agency_ids=agency_ids, home_id=home)
        rows.append(MemberRow(membership, may_deactivate, may_reset))
    return rows


def member_of(agency: Agency, membership_id: int) -> Membership:
    """One membership of ``agency``; a membership of any other agency answers like a missing one."""
    membership = (
        Membership.objects.filter(pk=membership_id, agency=agency).select_related("user", "agency").first()
    )
    if membership is None:
        raise Http404(NOT_FOUND)
    return membership


def _require(scope: Scope, action: Action, agency: Agency) -> None:
    if not scope.can(action, agency.pk):
        raise PermissionDenied


USER_FIELDS = ("username", "first_name", "email", "is_active")


def member_snapshot(membership: Membership) -> dict[str, Any]:
    values = snapshot(membership, MEMBER_FIELDS)
    values["username"] = membership.user.get_username()
    return values


# --- members ---------------------------------------------------------------------------------------


def invite_member(
    *,
    scope: Scope,
    actor: Any,
    agency: Agency,
    username: str,
    role: str,
    full_name: str = "",
    email: str = "",
) -> Invitation:
    """A site admin adds ``username`` with ``role`` to ``agency`` at once: an existing account is
    added as it is (its name and email are not the admin's to change); an unknown username becomes
    a new account with a temporary password, returned once. An agency admin cannot: their
    invitation waits for the account's answer (:mod:`renaksi.accounts.invitations`)."""
    if not scope.site_admin:
        raise PermissionDenied
    if role not in Role.values:
        raise ManagementError(_("Peran tidak dikenal."), "role")
    # As create_user will store it (NFKC), so "ｂｕｄｉ" finds "budi" instead of failing to insert.
    username = User.normalize_username(username.strip())
    if not username:
        raise ManagementError(_("Nama pengguna wajib diisi."), "username")
    password: str | None = None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        created = user is None
        if user is None:
            if not full_name.strip():
                raise ManagementError(_("Nama lengkap wajib diisi untuk pengguna baru."), "full_name")
            password = temporary_password()
            user = User.objects.create_user(
                username=username, email=email.strip(), password=password, first_name=full_name.strip()
            )
            # The temporary password is good for one login: the user must choose their own first.
            PasswordChangeRequired.objects.create(user=user, set_by=actor)
        elif not user.is_active:
            raise ManagementError(
                _("Akun %(username)s nonaktif; hanya admin situs yang dapat mengaktifkannya kembali.")
                % {"username": user.get_username()},
                "username",
            )
        elif Membership.objects.filter(user=user, agency=agency).exists():
            raise ManagementError(
                _("%(username)s sudah menjadi anggota satker ini; ubah perannya di daftar anggota.")
                % {"username": user.get_username()},
                "username",
            )
        try:
            with transaction.atomic():
                membership = Membership.objects.create(user=user, agency=agency, role=role, created_by=actor)
        except IntegrityError:
            raise ManagementError(
                _("Pengguna ini baru saja ditambahkan ke satker ini."), "username"
            ) from None
        if created:
            record_event(
                event=Event.USER_CREATED,
                source=Source.FORM,
                agency=agency,
                actor=actor,
                obj=user,
                after=snapshot(user, USER_FIELDS),
            )
        record_event(
            event=Event.MEMBER_ADDED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=membership,
            after=member_snapshot(membership),
        )
    return Invitation(membership=membership, created_user=created, temporary_password=password)


def _refuse_own_admin_change(scope: Scope, actor: Any, membership: Membership) -> None:
    """An agency admin may not strip their own admin role: the agency could be left with no one
    to manage it. A site admin can always repair that, so a site admin may."""
    if scope.site_admin or membership.user_id != getattr(actor, "pk", None):
        return
    if membership.role == Role.AGENCY_ADMIN:
        raise ManagementError(
            _(
                "Anda tidak dapat melepas peran admin Anda sendiri; mintalah admin satker lain atau admin situs."
            ),
            "role",
        )


def change_role(*, scope: Scope, actor: Any, membership: Membership, role: str) -> Membership:
    _require(scope, Action.MANAGE_MEMBERS, membership.agency)
    if role not in Role.values:
        raise ManagementError(_("Peran tidak dikenal."), "role")
    if role == membership.role:
        return membership
    _refuse_own_admin_change(scope, actor, membership)
    with transaction.atomic():
        before = member_snapshot(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            event=Event.MEMBER_ROLE_CHANGED,
            source=Source.FORM,
            agency=membership.agency,
            actor=actor,
            obj=membership,
            before=before,
            after=member_snapshot(membership),
        )
    return membership


def remove_member(*, scope: Scope, actor: Any, membership: Membership) -> None:
    """End a membership; the user's account and other memberships stay."""
    _require(scope, Action.MANAGE_MEMBERS, membership.agency)
    _refuse_own_admin_change(scope, actor, membership)
    with transaction.atomic():
        before = member_snapshot(membership)
        label = str(membership)
        agency = membership.agency
        record_event(
            event=Event.MEMBER_REMOVED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=membership,
            before=before,
            note=label,
        )
        membership.delete()


def can_deactivate(
    scope: Scope,
    actor: Any,
    user: AbstractBaseUser,
    agency_ids: Collection[int] | None = None,
    home_id: int | None = None,
) -> bool:
    """Anyone active but oneself, on an account the actor manages (:func:`security.manages_user`:
    a site admin, or an admin of the account's home agency)."""
    if not user.is_active or user.pk == getattr(actor, "pk", None):
        return False
    return manages_user(scope, user, agency_ids, home_id)


def deactivate_user(*, scope: Scope, actor: Any, membership: Membership) -> AbstractBaseUser:
    """Deactivate the account of ``membership``'s user; they can no longer log in (their sessions
    end at the next request). Memberships stay, so the history still reads who was who."""
    _require(scope, Action.MANAGE_MEMBERS, membership.agency)
    user = membership.user
    if user.pk == getattr(actor, "pk", None):
        raise ManagementError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not can_deactivate(scope, actor, user):
        raise PermissionDenied
    with transaction.atomic():
        before = snapshot(user, ("username", "is_active"))
        user.is_active = False
        user.save(update_fields=["is_active"])
        after = snapshot(user, ("username", "is_active"))
        agencies = Agency.objects.filter(memberships__user=user).distinct().order_by("pk")
        for agency in agencies:
            record_event(
                event=Event.USER_DEACTIVATED,
                source=Source.FORM,
                agency=agency,
                actor=actor,
                obj=user,
                before=before,
                after=after,
            )
    return user


# --- agencies ------------------------------------------------------------------------------------


def _check_parent(level: str, parent: Agency | None) -> None:
    if level == Agency.Level.NATIONAL and parent is not None:
        raise ManagementError(_("Satker pusat tidak memiliki induk."), "parent")
    if level == Agency.Level.PROVINCE and parent is not None and parent.level != Agency.Level.NATIONAL:
        raise ManagementError(_("Induk satker provinsi harus satker pusat (atau kosong)."), "parent")
    if level == Agency.Level.REGENCY and (parent is None or parent.level != Agency.Level.PROVINCE):
        raise ManagementError(_("Induk satker kabupaten/kota harus satker provinsi."), "parent")


def _check_time_zone(time_zone: str) -> None:
    if not is_valid_time_zone(time_zone):
        raise ManagementError(
            _("Zona waktu %(zone)s tidak dikenal; contoh: Asia/Jakarta, Asia/Makassar, Asia/Jayapura.")
            % {"zone": time_zone},
            "time_zone",
        )


def _check_name_free(name: str, exclude: Agency | None = None) -> None:
    taken = Agency.objects.filter(name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ManagementError(_("Nama satker ini sudah dipakai."), "name")


def create_agency(
    *,
    scope: Scope,
    actor: Any,
    code: str,
    name: str,
    level: str,
    parent: Agency | None,
    time_zone: str,
    publishes_plans: bool = False,
) -> Agency:
    """A new agency (site admins only)."""
    if not scope.site_admin:
        raise PermissionDenied
    name = normalize_space(name)
    if level not in Agency.Level.values:
        raise ManagementError(_("Tingkat tidak dikenal."), "level")
    if code in RESERVED_AGENCY_CODES:
        raise ManagementError(
            _("Kode %(code)s dipakai oleh alamat halaman; pilih kode lain.") % {"code": code}, "code"
        )
    if Agency.objects.filter(code__iexact=code).exists():
        raise ManagementError(_("Kode satker ini sudah dipakai."), "code")
    _check_name_free(name)
    _check_parent(level, parent)
    _check_time_zone(time_zone)
    with transaction.atomic():
        try:
            with transaction.atomic():
                agency = Agency.objects.create(
                    code=code,
                    name=name,
                    level=level,
                    parent=parent,
                    time_zone=time_zone,
                    publishes_plans=publishes_plans,
                )
        except IntegrityError:
            raise ManagementError(_("Kode atau nama satker ini sudah dipakai."), "code") from None
        record_event(
            event=Event.AGENCY_CREATED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=agency,
            after=snapshot(agency, AGENCY_FIELDS),
        )
    return agency


def update_agency(
    *,
    scope: Scope,
    actor: Any,
    agency: Agency,
    name: str | None = None,
    time_zone: str | None = None,
    publishes_plans: bool | None = None,
) -> Agency:
    """Change an agency's settings. Name and time zone are a site admin's; whether approved plans
    are published is also the agency's own admins' (:attr:`Action.MANAGE_AGENCY`). ``None`` leaves
    a setting as it is."""
    _require(scope, Action.MANAGE_AGENCY, agency)
    if not scope.site_admin and (
        (name is not None and name != agency.name)
        or (time_zone is not None and time_zone != agency.time_zone)
    ):
        raise PermissionDenied
    if name is not None:
        name = normalize_space(name)
        if not name:
            raise ManagementError(_("Nama satker wajib diisi."), "name")
        _check_name_free(name, exclude=agency)
    if time_zone is not None:
        _check_time_zone(time_zone)
    with transaction.atomic():
        before = snapshot(agency, AGENCY_FIELDS)
        if name is not None:
            agency.name = name
        if time_zone is not None:
            agency.time_zone = time_zone
        if publishes_plans is not None:
            agency.publishes_plans = publishes_plans
        after = snapshot(agency, AGENCY_FIELDS)
        changed = [key for key in after if before[key] != after[key]]
        if not changed:
            return agency
        agency.save(update_fields=changed)
        record_event(
            event=Event.AGENCY_CHANGED,
            source=Source.FORM,
            agency=agency,
            actor=actor,
            obj=agency,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return agency


# --- reference table: names of budget codes ------------------------------------------------------

REFERENCE_MAX_BYTES = 2 * 1024 * 1024
REFERENCE_NAME_MAX = 300
_SINGLE_SEGMENT_LEVELS = (
    (re.compile(r"[0-9]{4}"), "kegiatan"),
    (re.compile(r"[A-Z]{3}"), "kro"),
    (re.compile(r"[0-9]{6}"), "akun"),
)


def reference_code(text: str) -> tuple[str, str]:
    """The canonical code and its level for a reference row.

    A code alone names the same thing wherever it appears: a kegiatan (``3358``), a KRO
    (``EBC``), an akun (``521211``). An RO, komponen or subkomponen means something only under its
    parents, so it is written with its path (``3358.EBC.954``) and read by
    :func:`~renaksi.core.budget_codes.parse_budget_code`, whose last level is the row's level.
    """
    stripped = text.strip()
    if "." not in stripped:
        value = stripped.upper() if stripped.isascii() else stripped
        for pattern, level in _SINGLE_SEGMENT_LEVELS:
            if pattern.fullmatch(value):
                return value, level
        raise BudgetCodeError(
            _(
                "kode %(code)r tanpa titik harus kegiatan (4 angka), KRO (3 huruf) atau akun (6 angka); "
                "tulis RO, komponen dan subkomponen bersama induknya, mis. 3358.EBC.954"
            )
            % {"code": stripped}
        )
    code = parse_budget_code(stripped)
    return code.canonical, code.levels()[-1][0]


@dataclass(frozen=True)
class ReferenceRow:
    line: int
    code: str
    level: str
    name: str
    current_name: str | None  # the name stored now; None when the code is new

    @property
    def status(self) -> str:
        if self.current_name is None:
            return "new"
        return "unchanged" if self.current_name == self.name else "changed"


@dataclass(frozen=True)
class ReferencePreview:
    """What an import of a reference file would do; nothing is written while ``errors`` is not
    empty."""

    rows: tuple[ReferenceRow, ...]
    errors: tuple[str, ...]
    delimiter: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def decode_reference_file(data: bytes) -> tuple[str, str]:
    """The text of an uploaded file and its encoding (UTF-8, with or without BOM, else cp1252)."""
    if len(data) > REFERENCE_MAX_BYTES:
        raise ManagementError(
            _("Berkas terlalu besar (%(size)s bita); batasnya %(limit)s bita.")
            % {"size": len(data), "limit": REFERENCE_MAX_BYTES},
            "file",
        )
    if b"\x00" in data:
        raise ManagementError(_("Berkas ini bukan CSV teks (berisi bita nol)."), "file")
    try:
        text, encoding = decode_text(data, name="berkas")
    except SourceError as error:
        raise ManagementError(
            _("Berkas ini bukan UTF-8 maupun Windows-1252 (%(detail)s).") % {"detail": error}, "file"
        ) from None
    return text, ("Windows-1252" if encoding == "cp1252" else "UTF-8")


def preview_reference(text: str) -> ReferencePreview:
    """Read ``kode;nama`` (or ``kode,nama``) rows under a header row, checking every row."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[str] = []
    parsed: list[tuple[int, str, str, str]] = []
    seen: dict[str, int] = {}
    header_read = False
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if not header_read:
            header_read = True
            header = [cell.strip().casefold() for cell in cells]
            if header[:2] != ["kode", "nama"] or any(header[2:]):
                errors.append(
                    _(
                        "Baris %(line)s: baris judul harus berisi kolom kode dan nama (kode;nama atau kode,nama)."
                    )
                    % {"line": line}
                )
                break
            continue
        if len(cells) > 2 and any(cell.strip() for cell in cells[2:]):
            errors.append(
                _("Baris %(line)s: %(count)s kolom terisi; yang diharapkan hanya kode dan nama.")
                % {"line": line, "count": sum(1 for cell in cells if cell.strip())}
            )
            continue
        raw_code = cells[0]
        name = normalize_space(cells[1]) if len(cells) > 1 else ""
        try:
            code, level = reference_code(raw_code)
        except BudgetCodeError as error:
            errors.append(_("Baris %(line)s, kolom kode: %(error)s") % {"line": line, "error": error})
            continue
        if not name:
            errors.append(_("Baris %(line)s, kolom nama: nama kosong.") % {"line": line})
            continue
        if len(name) > REFERENCE_NAME_MAX:
            errors.append(
                _("Baris %(line)s, kolom nama: lebih dari %(max)s karakter.")
                % {"line": line, "max": REFERENCE_NAME_MAX}
            )
            continue
        if code in seen:
            errors.append(
                _("Baris %(line)s, kolom kode: kode %(code)s sudah ada di baris %(first)s.")
                % {"line": line, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = line
        parsed.append((line, code, level, name))
    if not header_read:
        errors.append(_("Berkas kosong: tidak ada baris judul kode;nama."))
    elif not parsed and not errors:
        errors.append(_("Berkas hanya berisi baris judul; tidak ada kode yang dibaca."))
    current = (
        dict(BudgetCodeName.objects.filter(code__in=list(seen)).values_list("code", "name")) if seen else {}
    )
    rows = tuple(
        ReferenceRow(line=line, code=code, level=level, name=name, current_name=current.get(code))
        for line, code, level, name in parsed
    )
    return ReferencePreview(rows=rows, errors=tuple(errors), delimiter=delimiter)


@dataclass(frozen=True)
class ReferenceImportResult:
    created: int
    updated: int
    unchanged: int


def reference_history_agency() -> Agency:
    """The agency whose history holds reference imports: the table is shared by every agency, so
    its changes are kept at the top of the tree (the national agency, else the first province)."""
    agency = (
        Agency.objects.filter(parent__isnull=True)
        .order_by(Case(When(level=Agency.Level.NATIONAL, then=0), default=1), "name")
        .first()
    )
    if agency is None:
        raise ManagementError(_("Belum ada satker; buat satker lebih dulu."))
    return agency


def import_reference(*, scope: Scope, actor: Any, text: str, filename: str = "") -> ReferenceImportResult:
    """Write the names of a previewed file, all or nothing: the file is read again, and any error
    refuses the whole file. Codes absent from the file keep their names."""
    if not scope.site_admin:
        raise PermissionDenied
    with transaction.atomic():
        preview = preview_reference(text)
        if not preview.ok:
            raise ManagementError(
                preview.errors[0] if preview.errors else _("Tidak ada kode yang dibaca."), "file"
            )
        new = [row for row in preview.rows if row.status == "new"]
        changed = [row for row in preview.rows if row.status == "changed"]
        BudgetCodeName.objects.bulk_create(
            [BudgetCodeName(code=row.code, level=row.level, name=row.name) for row in new], batch_size=500
        )
        stored = {
            item.code: item for item in BudgetCodeName.objects.filter(code__in=[row.code for row in changed])
        }
        for row in changed:
            stored[row.code].name = row.name
            stored[row.code].level = row.level
        BudgetCodeName.objects.bulk_update(list(stored.values()), ["name", "level"], batch_size=500)
        result = ReferenceImportResult(
            created=len(new), updated=len(changed), unchanged=len(preview.rows) - len(new) - len(changed)
        )
        record_event(
            event=Event.REFERENCE_IMPORTED,
            source=Source.FORM,
            agency=reference_history_agency(),
            actor=actor,
            before={row.code: row.current_name for row in changed},
            after={
                "counts": {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
                "names": {row.code: row.name for row in [*new, *changed]},
            },
            note=_("Nama kode anggaran dari %(file)s") % {"file": filename or "CSV"},
        )
    return result
