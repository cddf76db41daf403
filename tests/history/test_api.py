"""The history API other apps call: record_event, snapshot, Event and Source."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from renaksi.access import UnscopedQueryError
from renaksi.agencies.services import find_agency
from renaksi.history import Event, Source, record_event, snapshot
from renaksi.history.models import HistoryEvent

pytestmark = pytest.mark.django_db


def test_record_event_writes_one_row_with_every_field(home_plan, django_user_model) -> None:
    user = django_user_model.objects.create_user("siti", first_name="Siti", last_name="Aminah")
    line = home_plan.sub_activities.first()
    record = record_event(
        event=Event.CHANGED,
        source=Source.FORM,
        agency=home_plan.agency,
        actor=user,
        plan=home_plan,
        obj=line,
        before={"cost": 100},
        after={"cost": 200},
        note="koreksi",
    )
    stored = HistoryEvent.objects.system("test").get(pk=record.pk)
    assert stored.created_at is not None
    assert (stored.actor_id, stored.agency_id, stored.plan_id) == (user.pk, home_plan.agency_id, home_plan.pk)
    assert stored.actor_label == "Siti Aminah (siti)"
    assert (stored.event, stored.source) == ("changed", "form")
    assert (stored.object_type, stored.object_id, stored.object_label) == (
        "planning.subactivity",
        str(line.pk),
        line.name,
    )
    assert (stored.before, stored.after, stored.note) == ({"cost": 100}, {"cost": 200}, "koreksi")


def test_the_actor_label_survives_the_deletion_of_the_user(home_plan, django_user_model) -> None:
    user = django_user_model.objects.create_user("budi")
    record = record_event(event=Event.PLAN_SUBMITTED, source=Source.FORM, agency=home_plan.agency, actor=user)
    user.delete()
    stored = HistoryEvent.objects.system("test").get(pk=record.pk)
    assert stored.actor_id is None
    assert stored.actor_label == "budi"


def test_an_event_without_actor_plan_or_object_is_a_system_record(db) -> None:
    record = record_event(
        event=Event.AGENCY_CHANGED, source=Source.COMMAND, agency=find_agency("kpu-kab-boalemo")
    )
    stored = HistoryEvent.objects.system("test").get(pk=record.pk)
    assert (stored.actor_id, stored.actor_label, stored.plan_id, stored.object_type) == (None, "", None, "")
    assert stored.before is None and stored.after is None


def test_deleting_the_plan_keeps_its_history_records(home_plan) -> None:
    record = record_event(
        event=Event.PLAN_CHANGED, source=Source.FORM, agency=home_plan.agency, plan=home_plan
    )
    home_plan.sub_activities.all().delete()  # lines protect their activities, so they go first
    home_plan.delete()
    assert HistoryEvent.objects.system("test").get(pk=record.pk).plan_id is None


def test_snapshot_gives_json_safe_values_and_foreign_keys_as_ids(home_plan) -> None:
    indicator = home_plan.indicators.first()
    indicator.target_value = Decimal("12.5000")
    values = snapshot(indicator, ["text", "program_goal", "plan_id", "target_value"])
    assert values == {
        "text": indicator.text,
        "program_goal": indicator.program_goal_id,
        "plan_id": home_plan.pk,
        "target_value": "12.5000",
    }
    home_plan.sign_date = datetime.date(2024, 1, 31)
    assert snapshot(home_plan, ["sign_date", "year"]) == {"sign_date": "2024-01-31", "year": 2024}


def test_event_and_source_are_the_named_strings_of_the_contract() -> None:
    assert Event.LINE_COST_CHANGED == "line_cost_changed"
    assert Event.REFERENCE_IMPORTED == "reference_imported"
    assert {s.value for s in Source} == {"form", "import", "api", "command", "system"}


def test_history_cannot_be_read_without_a_scope(db) -> None:
    with pytest.raises(UnscopedQueryError):
        list(HistoryEvent.objects.all())
