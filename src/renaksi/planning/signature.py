"""The plan's signature block (place, date, signer's title, name, NIP), as an import reads it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from renaksi.access import Action, require
from renaksi.history import Event, Source, changed_fields, record_event, snapshot
from renaksi.planning import models as m

SIGNATURE_FIELDS = ("sign_place", "sign_date", "signer_title", "signer_name", "signer_nip")
_FROM_BLOCK = {
    "place": "sign_place",
    "date": "sign_date",
    "title": "signer_title",
    "name": "signer_name",
    "nip": "signer_nip",
}


def apply_signature(
    plan: m.Plan,
    block: Mapping[str, str],
    *,
    actor: Any,
    source: Source = Source.IMPORT,
    note: str = "",
) -> bool:
    """Set what the imported file's signature block says (call inside the import's transaction).

    Only the parts the block prints are set, so a file without a NIP keeps the NIP a person
    entered; one history record names what changed. Returns whether anything changed. ``actor``
    must hold :attr:`Action.EDIT` in the plan's agency.
    """
    require(actor, Action.EDIT, plan.agency_id)
    before = snapshot(plan, SIGNATURE_FIELDS)
    for key, field_name in _FROM_BLOCK.items():
        value = block.get(key, "")
        if value:
            setattr(plan, field_name, dt.date.fromisoformat(value) if field_name == "sign_date" else value)
    old, new = changed_fields(before, snapshot(plan, SIGNATURE_FIELDS))
    if not new:
        return False
    from renaksi.planning.workflow_base import refuse_if_approved

    refuse_if_approved(plan)  # an approved version's signature block is frozen too
    plan.save(update_fields=list(new))
    record_event(
        event=Event.PLAN_CHANGED,
        source=source,
        agency=plan.agency,
        actor=actor,
        plan=plan,
        obj=plan,
        before=old,
        after=new,
        note=note,
    )
    return True
