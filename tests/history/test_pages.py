"""The history pages: per plan and per line, filtered, newest first, in the agency's local time,
and never another agency's records."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from renaksi.history import Event, Source, record_event
from renaksi.history.models import HistoryEvent

pytestmark = pytest.mark.django_db


def _at(record: HistoryEvent, moment: datetime.datetime) -> None:
    HistoryEvent.objects.system("test").filter(pk=record.pk).update(created_at=moment)


def _rows(response) -> int:
    return response.content.decode().count("<tr data-event=")


def test_the_plan_history_lists_the_import_newest_first(home_plan, member_client) -> None:
    response = member_client("viewer").get(reverse("history:plan_history", args=[home_plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    total = HistoryEvent.objects.of_plan(home_plan).count()
    assert f"{total} catatan" in page
    assert _rows(response) == min(total, 50)


def test_history_filters_by_event_source_actor_and_dates(home_plan, member_client, django_user_model) -> None:
    url = reverse("history:plan_history", args=[home_plan.pk])
    browser = member_client("viewer")
    user = django_user_model.objects.create_user("rahmat", first_name="Rahmat")
    submitted = record_event(
        event=Event.PLAN_SUBMITTED, source=Source.FORM, agency=home_plan.agency, actor=user, plan=home_plan
    )
    _at(submitted, datetime.datetime(2024, 3, 10, 1, 0, tzinfo=datetime.UTC))

    assert _rows(browser.get(url, {"event": "plan_submitted"})) == 1
    assert _rows(browser.get(url, {"source": "form"})) == 1
    assert _rows(browser.get(url, {"actor": "rahm"})) == 1
    assert _rows(browser.get(url, {"actor": "nobody"})) == 0
    assert (
        _rows(
            browser.get(url, {"event": "plan_submitted", "date_from": "2024-03-10", "date_to": "2024-03-10"})
        )
        == 1
    )
    assert _rows(browser.get(url, {"event": "plan_submitted", "date_from": "2024-03-11"})) == 0
    assert _rows(browser.get(url, {"event": "plan_submitted", "date_to": "2024-03-09"})) == 0
    bad = browser.get(url, {"date_from": "2024-03-11", "date_to": "2024-03-01"})
    assert bad.status_code == 400
    assert "Sampai tanggal: " in bad.content.decode()


def test_the_date_range_is_read_in_the_agency_time_zone(home_plan, member_client) -> None:
    agency = home_plan.agency
    agency.time_zone = "Asia/Jayapura"  # UTC+9
    agency.save()
    record = record_event(event=Event.PLAN_APPROVED, source=Source.FORM, agency=agency, plan=home_plan)
    _at(record, datetime.datetime(2024, 3, 10, 20, 30, tzinfo=datetime.UTC))  # 11 March 05:30 in Jayapura
    url = reverse("history:plan_history", args=[home_plan.pk])
    browser = member_client("viewer")
    response = browser.get(
        url, {"event": "plan_approved", "date_from": "2024-03-11", "date_to": "2024-03-11"}
    )
    assert _rows(response) == 1
    assert "11 Maret 2024, 05:30" in response.content.decode()
    assert _rows(browser.get(url, {"event": "plan_approved", "date_to": "2024-03-10"})) == 0


def test_the_newest_record_comes_first_and_pages_hold_fifty(home_plan, member_client) -> None:
    url = reverse("history:plan_history", args=[home_plan.pk])
    for _ in range(60):
        record_event(event=Event.PLAN_CHANGED, source=Source.API, agency=home_plan.agency, plan=home_plan)
    latest = record_event(
        event=Event.PLAN_CHANGED, source=Source.FORM, agency=home_plan.agency, plan=home_plan
    )
    _at(latest, datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
    browser = member_client("viewer")
    first = browser.get(url).content.decode()
    assert first.index('data-event="plan_changed" data-source="form"') < first.index('data-source="api"')
    total = HistoryEvent.objects.of_plan(home_plan).count()
    assert total > 50
    last_page = (total + 49) // 50
    assert _rows(browser.get(url, {"halaman": last_page})) == total - 50 * (last_page - 1)


def test_the_line_history_shows_only_that_line(home_plan, member_client) -> None:
    line = home_plan.sub_activities.order_by("position").first()
    planner = member_client("planner")
    planner.post(
        reverse("planning:line_edit", args=[home_plan.pk, line.pk]),
        {"cost": "2.000.000", "budget_code": "", "remarks": "", "person_in_charge": "", "months": ["3"]},
    )
    response = planner.get(reverse("history:line_history", args=[home_plan.pk, line.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert _rows(response) == 3  # created, changed, line_cost_changed
    assert "Rp2.000.000" in page or "Rp 2.000.000" in page


@pytest.mark.parametrize("url_name", ["plan_history", "line_history"])
def test_another_agency_history_is_not_found_like_a_missing_plan(
    home_plan, other_plan, member_client, url_name
) -> None:
    browser = member_client("agency_admin")
    line = other_plan.sub_activities.first()
    args = [other_plan.pk] if url_name == "plan_history" else [other_plan.pk, line.pk]
    response = browser.get(reverse(f"history:{url_name}", args=args))
    missing = browser.get(reverse("history:plan_history", args=[999_999]))
    assert response.status_code == missing.status_code == 404
    # and the own plan's page does not list the other plan's records
    page = browser.get(reverse("history:plan_history", args=[home_plan.pk]), {"actor": ""}).content.decode()
    assert line.name not in page


def test_a_line_of_another_plan_has_no_history_here(home_plan, other_plan, client) -> None:
    line = other_plan.sub_activities.first()
    assert client.get(reverse("history:line_history", args=[home_plan.pk, line.pk])).status_code == 404


def test_the_province_reads_the_history_of_its_regencies(home_plan, member_client) -> None:
    response = member_client("viewer", "kpu-prov-gorontalo").get(
        reverse("history:plan_history", args=[home_plan.pk])
    )
    assert response.status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(home_plan, anonymous_client) -> None:
    response = anonymous_client.get(reverse("history:plan_history", args=[home_plan.pk]))
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("planner", ["plan_submit", "line_edit"], ["plan_approve", "plan_return"]),
        ("approver", [], ["plan_submit", "plan_approve", "line_edit"]),
        ("viewer", [], ["plan_submit", "plan_approve", "plan_return", "line_edit"]),
    ],
)
def test_the_plan_page_shows_only_the_buttons_the_user_may_use(
    home_plan, member_client, role, shown, hidden
) -> None:
    page = member_client(role).get(reverse("planning:plan_detail", args=[home_plan.pk])).content.decode()
    line = home_plan.sub_activities.first()
    urls = {
        "plan_submit": reverse("planning:plan_submit", args=[home_plan.pk]),
        "plan_approve": reverse("planning:plan_approve", args=[home_plan.pk]),
        "plan_return": reverse("planning:plan_return", args=[home_plan.pk]),
        "line_edit": reverse("planning:line_edit", args=[home_plan.pk, line.pk]),
    }
    assert reverse("history:plan_history", args=[home_plan.pk]) in page
    for name in shown:
        assert urls[name] in page
    for name in hidden:
        assert urls[name] not in page


def test_an_approver_sees_approve_and_return_on_a_submitted_plan(home_plan, member_client) -> None:
    home_plan.status = "submitted"
    home_plan.save()
    page = (
        member_client("approver").get(reverse("planning:plan_detail", args=[home_plan.pk])).content.decode()
    )
    assert reverse("planning:plan_approve", args=[home_plan.pk]) in page
    assert reverse("planning:plan_return", args=[home_plan.pk]) in page
    assert '<label for="id_reason">' in page


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_the_plan_page_offers_a_workflow_button_exactly_when_the_plan_status_allows_it(
    home_plan, member_client, status
) -> None:
    from renaksi.planning.workflow import TRANSITIONS

    home_plan.status = status
    home_plan.save()
    line = home_plan.sub_activities.first()
    pages = {
        role: member_client(role).get(reverse("planning:plan_detail", args=[home_plan.pk])).content.decode()
        for role in ("planner", "approver")
    }
    allowed = {action for action, (starts, _end, _event) in TRANSITIONS.items() if status in starts}
    for action, role in (("submit", "planner"), ("approve", "approver"), ("return", "approver")):
        url = reverse(f"planning:plan_{action}", args=[home_plan.pk])
        assert (url in pages[role]) == (action in allowed), (action, role)
    edit = reverse("planning:line_edit", args=[home_plan.pk, line.pk])
    assert (edit in pages["planner"]) == (status == "draft")
