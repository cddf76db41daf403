"""Agencies: finding one the way people write its name, and creating and changing one.

The writes take the acting user (a user, or :data:`renaksi.access.OPERATOR`) and check the
permission themselves, first, and record one history record each (none for a change to nothing).
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi.access import Action, require, require_site_admin, scope_for
from renaksi.accounts.management import (
    AGENCY_FIELDS,
    RESERVED_AGENCY_CODES,
    ManagementError,
    is_valid_time_zone,
)
from renaksi.agencies.models import Agency
from renaksi.core.text import normalize_space
from renaksi.history import Event, Source, record_event, snapshot

_ABBREVIATIONS = {
    "prov": "provinsi",
    "propinsi": "provinsi",
    "kab": "kabupaten",
    "komisi pemilihan umum": "kpu",
}


def _key(name: str) -> str:
    text = re.sub(r"[^\w\s]", " ", name.casefold())
    text = " ".join(text.split())
    for short, full in _ABBREVIATIONS.items():
        text = re.sub(rf"\b{short}\b", full, text)
    return text


class AgencyNotFound(LookupError):
    pass


def find_agency(query: str) -> Agency:
    """By short code (``kpu-prov-gorontalo``) or by name as people write it (``KPU Prov. Gorontalo``)."""
    query = query.strip()
    agency = Agency.objects.filter(code__iexact=query).first()
    if agency is not None:
        return agency
    wanted = _key(query)
    matches = [a for a in Agency.objects.all() if _key(a.name) == wanted]
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(f"{a.name} ({a.code})" for a in Agency.objects.order_by("name"))
    raise AgencyNotFound(
        _("tidak ada satker bernama %(query)r. Satker yang dikenal: %(known)s")
        % {"query": query, "known": known}
    )


def agency_zone(name: str) -> tzinfo:
    """An agency's time zone; an unknown name falls back to the site's zone rather than failing."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


# --- creating and changing agencies ---------------------------------------------------------------


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
    actor: Any,
    code: str,
    name: str,
    level: str,
    parent: Agency | None,
    time_zone: str,
    publishes_plans: bool = False,
) -> Agency:
    """A new agency (site admins, or the operator, only)."""
    require_site_admin(actor)
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
    actor: Any,
    agency: Agency,
    name: str | None = None,
    time_zone: str | None = None,
    publishes_plans: bool | None = None,
) -> Agency:
    """Change an agency's settings. Name and time zone are a site admin's; whether approved plans
    are published is also the agency's own admins' (:attr:`Action.MANAGE_AGENCY`). ``None`` leaves
    a setting as it is."""
    require(actor, Action.MANAGE_AGENCY, agency.pk)
    scope = scope_for(actor)
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
