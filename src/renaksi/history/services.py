"""Reading history: the records of one plan (or one line of it), filtered, newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from renaksi.agencies.services import agency_zone
from renaksi.history.models import HistoryEvent

LINE_TYPE = "planning.subactivity"


@dataclass(frozen=True)
class HistoryFilter:
    event: str = ""
    source: str = ""
    actor: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def plan_history(plan: Any, filters: HistoryFilter = HistoryFilter(), *, line_id: int | None = None) -> Any:
    """History records of ``plan`` (the caller was allowed to read it), newest first; with
    ``line_id`` only those of that line. Dates of the range are days in the agency's time zone,
    both ends included."""
    records = HistoryEvent.objects.of_plan(plan)
    if line_id is not None:
        records = records.filter(object_type=LINE_TYPE, object_id=str(line_id))
    return apply_filter(records, filters, agency_zone(plan.agency.time_zone)).order_by("-created_at", "-pk")


def apply_filter(records: Any, filters: HistoryFilter, zone: Any) -> Any:
    if filters.event:
        records = records.filter(event=filters.event)
    if filters.source:
        records = records.filter(source=filters.source)
    if filters.actor:
        records = records.filter(
            Q(actor_label__icontains=filters.actor)
            | Q(actor__username__icontains=filters.actor)
            | Q(actor__first_name__icontains=filters.actor)
            | Q(actor__last_name__icontains=filters.actor)
        )
    if filters.date_from:
        start = datetime.datetime.combine(filters.date_from, datetime.time.min, tzinfo=zone)
        records = records.filter(created_at__gte=start)
    if filters.date_to:
        end = datetime.datetime.combine(
            filters.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        records = records.filter(created_at__lt=end)
    return records
