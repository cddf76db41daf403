"""The plain-row write path of a new plan: every row and record what model instances would say."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.bulk import _batch_size, insert_rows
from renaksi.history import Event, EventRows, Source, build_event, save_events
from renaksi.history.models import HistoryEvent
from renaksi.imports.sample import random_plan
from renaksi.planning import models as m
from renaksi.planning.services import history_values, save_tree

pytestmark = pytest.mark.django_db

AGENCY = "kpu-kab-boalemo"


def test_every_created_record_says_what_the_object_read_back_says(django_user_model) -> None:
    actor = django_user_model.objects.create_user("penyusun", first_name="Penyusun")
    Membership.objects.create(user=actor, agency=find_agency(AGENCY), role=Role.PLANNER)
    plan = save_tree(find_agency(AGENCY), 2024, random_plan(5, 60), actor=actor, note="berkas.txt")
    records = {
        (record.object_type, record.object_id): record
        for record in HistoryEvent.objects.system("test").filter(plan=plan, event=Event.CREATED)
    }
    objects = [
        *m.StrategicGoal.objects.system("test").filter(plan=plan),
        *m.ProgramGoal.objects.system("test").filter(plan=plan),
        *m.Indicator.objects.system("test").filter(plan=plan),
        *m.Activity.objects.system("test").filter(plan=plan),
        *m.SubActivity.objects.system("test").filter(plan=plan),
    ]
    assert len(records) == len(objects)
    for obj in objects:
        record = records.pop((obj._meta.label_lower, str(obj.pk)))
        assert record.after == history_values(obj), obj
        assert record.before is None
        assert record.object_label == str(obj)[:200]
        assert (record.actor_id, record.actor_label, record.agency_id) == (
            actor.pk,
            "Penyusun (penyusun)",
            plan.agency_id,
        )
        assert (record.source, record.note) == (Source.IMPORT.value, "berkas.txt")
    assert not records


def test_insert_rows_returns_the_ids_in_the_order_of_the_rows_across_batches() -> None:
    plan = save_tree(find_agency(AGENCY), 2024, random_plan(6, 3), actor=OPERATOR)
    count = _batch_size(3) * 2 + 7  # three batches, the last one short
    names = [f"kegiatan {n}" for n in range(count)]
    ids = insert_rows(
        m.Activity,
        ("plan_id", "name", "position"),
        [(plan.pk, name, 1000 + n) for n, name in enumerate(names)],
        return_ids=True,
    )
    assert len(ids) == count
    stored = dict(m.Activity.objects.system("test").filter(pk__in=ids).values_list("pk", "name"))
    assert [stored[pk] for pk in ids] == names


def test_insert_rows_fills_the_columns_left_out_with_their_defaults_and_converts_decimals() -> None:
    plan = save_tree(find_agency(AGENCY), 2024, random_plan(7, 3), actor=OPERATOR)
    pg = m.ProgramGoal.objects.system("test").filter(plan=plan).first()
    assert pg is not None
    (pk,) = insert_rows(
        m.Indicator,
        ("plan_id", "program_goal_id", "text", "position", "target_value"),
        [(plan.pk, pg.pk, "indikator baru", 99, Decimal("12.5"))],
        return_ids=True,
    )
    indicator = m.Indicator.objects.system("test").get(pk=pk)
    assert indicator.target_value == Decimal("12.5")
    assert indicator.target_upper is None
    assert (indicator.target_text, indicator.aggregation) == ("", m.Indicator.Aggregation.LAST)


def test_event_rows_and_save_events_write_what_record_event_writes(django_user_model) -> None:
    agency = find_agency(AGENCY)
    plan = save_tree(agency, 2024, random_plan(8, 3), actor=OPERATOR)
    line = m.SubActivity.objects.system("test").filter(plan=plan).first()
    assert line is not None
    fields = ("actor_id", "actor_label", "agency_id", "plan_id", "event", "source")
    fields += ("object_type", "object_id", "object_label", "before", "after", "note")
    before = {"cost": 5, "months": (1, 2)}
    after = {"cost": Decimal("7"), "months": [3]}
    rows = EventRows(source=Source.FORM, agency=agency, plan=plan, note="catatan")
    rows.add_object(Event.CHANGED, line, before=before, after=after)
    rows.save()
    save_events(
        [
            build_event(
                event=Event.CHANGED,
                source=Source.FORM,
                agency=agency,
                plan=plan,
                obj=line,
                before=before,
                after=after,
                note="catatan",
            )
        ]
    )
    first, second = HistoryEvent.objects.system("test").filter(note="catatan").order_by("pk")
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert first.after == {"cost": "7", "months": [3]} and first.before == {"cost": 5, "months": [1, 2]}
    with connection.cursor() as cursor:  # a record without a before holds SQL NULL, not JSON null
        cursor.execute(
            "SELECT COUNT(*) FROM history_historyevent WHERE plan_id = %s AND event = %s AND before IS NULL",
            [plan.pk, Event.CREATED.value],
        )
        assert cursor.fetchone()[0] > 0
