"""Finding an agency the way people write its name."""

from __future__ import annotations

import re
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _

from renaksi.agencies.models import Agency

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
