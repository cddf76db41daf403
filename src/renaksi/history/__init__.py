"""The history of every change to agency data.

    from renaksi.history import record_event, snapshot, Event, Source

``record_event(event=..., source=..., agency=..., actor=None, plan=None, obj=None, before=None,
after=None, note="")`` writes one :class:`~renaksi.history.models.HistoryEvent` in the caller's
transaction; ``snapshot(obj, fields)`` gives JSON-safe values to pass as ``before``/``after``.
"""

from renaksi.history.events import Event, Source
from renaksi.history.recorder import (
    EventRows,
    build_event,
    changed_fields,
    record_event,
    save_events,
    snapshot,
)

__all__ = [
    "Event",
    "EventRows",
    "Source",
    "build_event",
    "changed_fields",
    "record_event",
    "save_events",
    "snapshot",
]
