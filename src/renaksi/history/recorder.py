"""Writing history: :func:`record_event` for one change, :func:`build_event` plus
:func:`save_events` for many at once (an import of thousands of lines)."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from renaksi.bulk import insert_rows
from renaksi.history.events import Event, Source

if TYPE_CHECKING:
    from renaksi.history.models import HistoryEvent

OBJECT_LABEL_MAX = 200


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return _json_safe(value.value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_json_safe(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return str(value)


def snapshot(obj: models.Model, fields: Sequence[str]) -> dict[str, Any]:
    """JSON-safe values of ``fields`` of ``obj``; a foreign key is given by its id (``"plan"`` and
    ``"plan_id"`` both read the id without a query)."""
    result: dict[str, Any] = {}
    for name in fields:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a property
            field = None
        attribute = field.attname if isinstance(field, models.ForeignKey) else name
        result[name] = _json_safe(getattr(obj, attribute))
    return result


def _actor_label(actor: Any) -> str:
    if actor is None:
        return ""
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    username = actor.get_username() if hasattr(actor, "get_username") else str(actor)
    return f"{full_name} ({username})" if full_name and full_name != username else username


def _id(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def build_event(
    *,
    event: Event,
    source: Source,
    agency: Any,
    actor: Any = None,
    plan: Any = None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> HistoryEvent:
    """An unsaved :class:`HistoryEvent` (for :func:`save_events`)."""
    from renaksi.history.models import HistoryEvent

    if agency is None:
        raise ValueError("a history event belongs to an agency")
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    record = HistoryEvent(
        actor_id=_id(actor),
        actor_label=_actor_label(actor),
        agency_id=_id(agency),
        plan_id=_id(plan),
        event=Event(event).value,
        source=Source(source).value,
        before=_json_safe(before) if before is not None else None,
        after=_json_safe(after) if after is not None else None,
        note=note,
    )
    if obj is not None:
        record.object_type = obj._meta.label_lower
        record.object_id = "" if obj.pk is None else str(obj.pk)
        record.object_label = str(obj)[:OBJECT_LABEL_MAX]
    return record


#: The columns of a history row as :class:`EventRows` and :func:`save_events` write them
#: (``created_at`` is the time of the write, one for all the rows of a call).
EVENT_COLUMNS = (
    "actor_id",
    "actor_label",
    "agency_id",
    "plan_id",
    "event",
    "source",
    "object_type",
    "object_id",
    "object_label",
    "before",
    "after",
    "note",
)


def save_events(records: Iterable[HistoryEvent]) -> None:
    """Write many events in few queries (inside the caller's transaction), as plain rows: Django's
    bulk_create prepared every value of every record one by one."""
    from renaksi.history.models import HistoryEvent

    rows = [tuple(getattr(record, column) for column in EVENT_COLUMNS) for record in records]
    insert_rows(HistoryEvent, EVENT_COLUMNS, rows)


class EventRows:
    """The history records of one change (an import of tens of thousands of objects) as rows,
    written by :meth:`save` in few queries: the same records :func:`build_event` and
    :func:`save_events` write, without a model instance per record."""

    def __init__(self, *, source: Source, agency: Any, actor: Any = None, plan: Any = None, note: str = ""):
        if agency is None:
            raise ValueError("a history event belongs to an agency")
        actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
        self._head = (_id(actor), _actor_label(actor), _id(agency), _id(plan))
        self._source = Source(source).value
        self._note = note
        self.rows: list[tuple[Any, ...]] = []

    def add(
        self,
        event: Event,
        object_type: str,
        object_id: Any,
        object_label: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """One record of an object given by its ``_meta.label_lower``, id and ``str()``;
        ``before`` and ``after`` hold JSON values already (texts, numbers, booleans, None, lists)."""
        self.rows.append(
            (
                *self._head,
                event.value,
                self._source,
                object_type,
                "" if object_id is None else str(object_id),
                object_label[:OBJECT_LABEL_MAX],
                before,
                after,
                self._note,
            )
        )

    def add_object(
        self,
        event: Event,
        obj: models.Model,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """One record of ``obj``, its values made JSON-safe as :func:`build_event` does."""
        self.add(
            Event(event),
            obj._meta.label_lower,
            obj.pk,
            str(obj),
            before=None if before is None else _json_safe(before),
            after=None if after is None else _json_safe(after),
        )

    def save(self) -> None:
        from renaksi.history.models import HistoryEvent

        insert_rows(HistoryEvent, EVENT_COLUMNS, self.rows)


def record_event(
    *,
    event: Event,
    source: Source,
    agency: Any,
    actor: Any = None,
    plan: Any = None,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> HistoryEvent:
    """Write one history record; call it inside the transaction of the change it records."""
    record = build_event(
        event=event,
        source=source,
        agency=agency,
        actor=actor,
        plan=plan,
        obj=obj,
        before=before,
        after=after,
        note=note,
    )
    record.save(force_insert=True)
    return record


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
