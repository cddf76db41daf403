"""The plan's structure as the editor changes it: the shared ground of every structure service.

Each service (:mod:`renaksi.planning.structure_goals`, :mod:`renaksi.planning.structure_items`)
is one call per save: it checks that the actor may edit the plan's agency
(:func:`renaksi.access.require`), locks the plan row, refuses a plan that is not a draft
(:func:`renaksi.planning.workflow.lines_editable`), writes, renumbers the plan-wide ``position``
of every kind so that the printed table (which reads each kind in ``position`` order) shows the
new order, and records one history record naming the object and its parents by their names.

Positions: goals are numbered in their own order; program goals by their goal's order (a program
goal without a goal stays right after the goal whose program goals precede it, where
:func:`renaksi.planning.services.load_tree` shows it); indicators by their program goal's order;
lines by their indicator's order. Within one parent, the stored order is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.db.models import Case, Max, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renaksi.access import Action, require
from renaksi.core.money import format_rupiah
from renaksi.core.schedule import MONTH_NAMES_ID
from renaksi.history import Event, Source, build_event, changed_fields
from renaksi.history.recorder import OBJECT_LABEL_MAX
from renaksi.planning import models as m
from renaksi.planning.workflow import lines_editable
from renaksi.versioning import StaleVersion, update_versioned

#: How history and messages call each kind of object.
KIND_LABELS: dict[type[models.Model], Any] = {
    m.StrategicGoal: gettext_lazy("Sasaran strategis"),
    m.ProgramGoal: gettext_lazy("Sasaran program"),
    m.Indicator: gettext_lazy("Indikator"),
    m.Activity: gettext_lazy("Kegiatan"),
    m.SubActivity: gettext_lazy("Rencana kegiatan"),
}

#: How a conflict message names each field.
FIELD_LABELS: dict[str, Any] = {
    "number": gettext_lazy("Nomor"),
    "text": gettext_lazy("Teks"),
    "name": gettext_lazy("Nama"),
    "target_text": gettext_lazy("Target"),
    "polarity": gettext_lazy("Polaritas"),
    "cost": gettext_lazy("Perkiraan biaya"),
    "budget_code": gettext_lazy("Akun"),
    "remarks": gettext_lazy("Keterangan"),
    "person_in_charge": gettext_lazy("Penanggung jawab"),
    "months": gettext_lazy("Rencana pelaksanaan"),
    "activity": gettext_lazy("Kegiatan"),
    "indicators": gettext_lazy("Indikator"),
    "strategic_goal": gettext_lazy("Sasaran strategis"),
    "program_goal": gettext_lazy("Sasaran program"),
    "indicator": gettext_lazy("Indikator"),
    "needs_review": gettext_lazy("Perlu ditinjau"),
    "review_note": gettext_lazy("Catatan tinjauan"),
}


class StructureError(Exception):
    """A change the plan does not allow (the message is for the user)."""


class StructureConflict(StructureError):
    """Someone saved the object since this person opened it: nothing was saved; ``current``
    holds the stored values of the fields this save would have changed."""

    def __init__(self, message: str, current: dict[str, Any], version: int | None) -> None:
        super().__init__(message)
        self.current, self.version = current, version


def name_of(obj: models.Model | None) -> str | None:
    """An object as history and the editor name it (a goal with its number)."""
    if obj is None:
        return None
    if isinstance(obj, m.StrategicGoal):
        return f"{obj.number}. {obj.text}" if obj.number else obj.text
    if isinstance(obj, m.Activity | m.SubActivity):
        return obj.name
    return str(getattr(obj, "text", obj))


def label_of(obj: models.Model) -> str:
    """``Indikator «Persentase ...»``: the kind and the name, for a history record's object."""
    return f"{KIND_LABELS[type(obj)]} \u00ab{name_of(obj)}\u00bb"


@contextmanager
def editing(plan: m.Plan, actor: Any) -> Iterator[m.Plan]:
    """The transaction of one structure save: permission first, then the plan row locked (two
    saves of one plan run one after the other), then only a draft goes on."""
    require(actor, Action.EDIT, plan.agency_id)
    with transaction.atomic():
        locked = (
            m.Plan.objects.system("structure: the actor may edit this plan (checked above)")
            .select_for_update()
            .select_related("agency")
            .get(pk=plan.pk)
        )
        if not lines_editable(locked.status):
            raise StructureError(_("Hanya rencana berstatus draf yang dapat diubah."))
        yield locked


def fresh(plan: m.Plan, model: type[models.Model], pk: int) -> Any:
    """The stored row of one object of the plan, locked; gone is a StructureError."""
    found = model.objects.of_plan(plan).select_for_update().filter(pk=pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise StructureError(
            _("%(kind)s ini sudah tidak ada (dihapus orang lain?). Muat ulang halaman.")
            % {"kind": KIND_LABELS[model]}
        )
    return found


def _record(
    plan: m.Plan,
    actor: Any,
    event: Event,
    obj: models.Model,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """The one history record of a save, its object named ``Kind «name»``."""
    event_row = build_event(
        event=event,
        source=Source.FORM,
        agency=plan.agency,
        actor=actor,
        plan=plan,
        obj=obj,
        before=before,
        after=after,
        note=note,
    )
    event_row.object_label = label_of(obj)[:OBJECT_LABEL_MAX]
    event_row.save(force_insert=True)


def _save_changes(
    plan: m.Plan,
    actor: Any,
    obj: models.Model,
    shown_before: Mapping[str, Any],
    shown_after: Mapping[str, Any],
    columns: Iterable[str],
    expected_version: int | None,
) -> dict[str, Any]:
    """Write ``columns`` of ``obj`` (already set on it) when what history shows changed: checked
    against ``expected_version`` (else the stored one), one ``changed`` record. Returns the
    changed fields' new shown values; empty (nothing written) for a no-op."""
    before, after = changed_fields(shown_before, shown_after)
    if not after:
        return {}
    stored_version: int = obj.version  # type: ignore[attr-defined]
    base = stored_version if expected_version is None else expected_version
    try:
        update_versioned(type(obj).objects.of_plan(plan), obj, base, columns)  # type: ignore[attr-defined]
    except StaleVersion as stale:
        raise conflict(obj, before, stale.current) from None
    _record(plan, actor, Event.CHANGED, obj, before=before, after=after)
    return after


def check_version(obj: models.Model, expected_version: int | None, shown: Mapping[str, Any]) -> None:
    """Refuse a move, reorder or delete of an object someone saved since it was read."""
    stored: int = obj.version  # type: ignore[attr-defined]
    if expected_version is not None and expected_version != stored:
        raise conflict(obj, dict(shown), stored)


def conflict(obj: models.Model, stored: Mapping[str, Any], version: int | None) -> StructureConflict:
    shown = "; ".join(
        f"{FIELD_LABELS.get(key, key)}: {shown_value(key, value)}" for key, value in stored.items()
    )
    return StructureConflict(
        _(
            "%(object)s sudah diubah orang lain sejak Anda membukanya, sehingga perubahan Anda tidak "
            "disimpan. Yang tersimpan sekarang: %(stored)s. Muat ulang halaman untuk melihatnya, lalu "
            "ulangi perubahan Anda bila masih perlu."
        )
        % {"object": label_of(obj), "stored": shown or "-"},
        dict(stored),
        version,
    )


def shown_value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "-"
    if key == "cost" and isinstance(value, int):
        return format_rupiah(value)
    if key == "months" and isinstance(value, list):
        return ", ".join(MONTH_NAMES_ID[month - 1] for month in value)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, list):
        return ", ".join(f"\u201c{item}\u201d" for item in value)
    return f"\u201c{value}\u201d"


# --- positions ------------------------------------------------------------------------------------


def next_position(plan: m.Plan, model: type[models.Model]) -> int:
    """A position after every other of the plan's ``model``: a new or moved object goes last,
    and :func:`_renumber` then puts it last among its parent's children."""
    top = model.objects.of_plan(plan).aggregate(top=Max("position"))["top"]  # type: ignore[attr-defined]
    return 0 if top is None else int(top) + 1


def _renumber(plan: m.Plan) -> None:
    """Give every goal, program goal, indicator and line its place in the printed order
    (0, 1, 2, ... per kind), writing only the positions that moved."""
    goals = _ordered(plan, m.StrategicGoal, lambda pk, parent, position: (position, pk), None)
    goal_rank = {pk: rank for rank, pk in enumerate(goals)}
    last_rank = [-1]

    def program_key(pk: int, goal_id: int | None, position: int) -> tuple[int, int, int, int]:
        if goal_id is None:  # shown right after the goal whose program goals precede it
            return (last_rank[0], 1, position, pk)
        last_rank[0] = goal_rank[goal_id]
        return (goal_rank[goal_id], 0, position, pk)

    programs = _ordered(plan, m.ProgramGoal, program_key, "strategic_goal_id")
    program_rank = {pk: rank for rank, pk in enumerate(programs)}
    indicators = _ordered(
        plan,
        m.Indicator,
        lambda pk, parent, position: (program_rank[parent], position, pk),
        "program_goal_id",
    )
    indicator_rank = {pk: rank for rank, pk in enumerate(indicators)}
    _ordered(
        plan,
        m.SubActivity,
        lambda pk, parent, position: (indicator_rank[parent], position, pk),
        "indicator_id",
    )


def _ordered(
    plan: m.Plan,
    model: type[models.Model],
    key: Callable[[int, Any, int], tuple[Any, ...]],
    parent_field: str | None,
) -> list[int]:
    """The plan's ``model`` rows sorted by ``key``; positions rewritten to their rank."""
    rows = model.objects.of_plan(plan).order_by("position", "pk")  # type: ignore[attr-defined]
    fields = ("pk", parent_field, "position") if parent_field else ("pk", "position")
    triples = [
        (row[0], row[1], row[2]) if parent_field else (row[0], None, row[1])
        for row in rows.values_list(*fields)
    ]
    keys = {pk: key(pk, parent, position) for pk, parent, position in triples}  # in stored order
    ordered = sorted(keys, key=keys.__getitem__)
    stored = {pk: position for pk, _parent, position in triples}
    moved = {pk: rank for rank, pk in enumerate(ordered) if stored[pk] != rank}
    if moved:
        model.objects.of_plan(plan).filter(pk__in=sorted(moved)).update(  # type: ignore[attr-defined]
            position=Case(*(When(pk=pk, then=Value(rank)) for pk, rank in moved.items()))
        )
    return ordered


def siblings(plan: m.Plan, obj: models.Model, parent_field: str | None) -> list[Any]:
    """``obj`` and the objects under the same parent, in order."""
    queryset = type(obj).objects.of_plan(plan)  # type: ignore[attr-defined]
    if parent_field is not None:
        queryset = queryset.filter(**{parent_field: getattr(obj, parent_field)})
    return list(queryset.order_by("position", "pk"))


def _swap_with_neighbour(plan: m.Plan, obj: Any, parent_field: str | None, step: int) -> int | None:
    """Swap ``obj`` with the sibling before (``step`` -1) or after (+1) it; returns its new
    1-based place among its siblings, or None when it is already first or last."""
    row = siblings(plan, obj, parent_field)
    index = next(i for i, sibling in enumerate(row) if sibling.pk == obj.pk)
    other = index + step
    if not 0 <= other < len(row):
        return None
    neighbour = row[other]
    manager = type(obj).objects.of_plan(plan)
    mine, theirs = obj.position, neighbour.position
    if mine == theirs:  # never stored so, but a tie must still move
        theirs = mine + step
    manager.filter(pk=obj.pk).update(position=theirs)
    manager.filter(pk=neighbour.pk).update(position=mine)
    _renumber(plan)
    return other + 1


# --- what history shows of each kind, and the saves every kind shares ------------------------------

#: The field naming each kind's parent (None: the goals hang from the plan itself).
PARENT_FIELDS: dict[type[models.Model], str | None] = {
    m.StrategicGoal: None,
    m.ProgramGoal: "strategic_goal_id",
    m.Indicator: "program_goal_id",
    m.SubActivity: "indicator_id",
}

#: What must be moved or deleted first before an object goes: (related name, how it is called).
CHILDREN: dict[type[models.Model], tuple[str, Any]] = {
    m.StrategicGoal: ("program_goals", gettext_lazy("sasaran program")),
    m.ProgramGoal: ("indicators", gettext_lazy("indikator")),
    m.Indicator: ("sub_activities", gettext_lazy("rencana kegiatan")),
    m.Activity: ("sub_activities", gettext_lazy("rencana kegiatan")),
}


def shown_fields(obj: models.Model) -> dict[str, Any]:
    """An object's fields as history records them: parents by their names, never ids."""
    if isinstance(obj, m.StrategicGoal):
        return {"number": obj.number, "text": obj.text}
    if isinstance(obj, m.ProgramGoal):
        return {
            "strategic_goal": name_of(obj.strategic_goal),
            "text": obj.text,
            "needs_review": obj.needs_review,
            "review_note": obj.review_note,
        }
    if isinstance(obj, m.Indicator):
        return {
            "program_goal": name_of(obj.program_goal),
            "text": obj.text,
            "target_text": obj.target_text,
            "polarity": obj.polarity,
        }
    if isinstance(obj, m.Activity):
        names = m.Indicator.objects.of_plan(obj.plan).filter(activity_links__activity=obj)
        return {
            "name": obj.name,
            "indicators": list(names.order_by("position").values_list("text", flat=True)),
        }
    if isinstance(obj, m.SubActivity):
        from renaksi.planning.services import history_values

        values = history_values(obj)
        return {
            "indicator": name_of(obj.indicator),
            "activity": name_of(obj.activity),
            **{key: values[key] for key in ("name", "cost", "cost_state", "budget_code", "remarks")},
            "person_in_charge": values["person_in_charge"],
            "months": values["months"],
        }
    raise TypeError(f"not a plan structure object: {obj!r}")


def shift_object(obj: models.Model, actor: Any, step: int) -> int | None:
    """Move an object one place up (``step`` -1) or down (+1) among its parent's children: one
    record with its new place; None (nothing written) when it is already first or last."""
    model = type(obj)
    with editing(obj.plan, actor) as plan:  # type: ignore[attr-defined]
        current = fresh(plan, model, obj.pk)
        parent_field = PARENT_FIELDS[model]
        row = siblings(plan, current, parent_field)
        place = next(i for i, sibling in enumerate(row) if sibling.pk == current.pk) + 1
        new_place = _swap_with_neighbour(plan, current, parent_field, step)
        if new_place is None:
            return None
        _record(
            plan, actor, Event.CHANGED, current, before={"position": place}, after={"position": new_place}
        )
    return new_place


def delete_object(obj: models.Model, actor: Any, expected_version: int | None = None) -> None:
    """Delete an object with nothing under it (goals, program goals, indicators and Kegiatan
    with children are refused: a click must not take a whole branch): one ``deleted`` record."""
    model = type(obj)
    with editing(obj.plan, actor) as plan:  # type: ignore[attr-defined]
        current = fresh(plan, model, obj.pk)
        shown = shown_fields(current)
        check_version(current, expected_version, shown)
        if model in CHILDREN:
            related, called = CHILDREN[model]
            count = getattr(current, related).count()
            if count:
                raise StructureError(
                    _("%(object)s masih berisi %(count)s %(children)s; pindahkan atau hapus dulu isinya.")
                    % {"object": label_of(current), "count": count, "children": called}
                )
        _record(plan, actor, Event.DELETED, current, before=shown)
        model.objects.of_plan(plan).filter(pk=current.pk).delete()  # type: ignore[attr-defined]
        _renumber(plan)


def required_text(value: str, field: Any) -> str:
    text = " ".join(value.split())
    if not text:
        raise StructureError(_("%(field)s wajib diisi.") % {"field": field})
    return text
