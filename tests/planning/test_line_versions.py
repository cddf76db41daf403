"""Two people saving the same line: the second is told what the first saved, never overwrites it
silently (a version on the line, checked and moved on by the update service)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.history import Event
from renaksi.history.models import HistoryEvent
from renaksi.planning import workflow
from renaksi.planning.models import Plan, SubActivity


@pytest.fixture
def line(seed_plan: Plan) -> SubActivity:
    found = seed_plan.sub_activities.order_by("position").first()
    assert found is not None
    return found


def _edit_url(line: SubActivity) -> str:
    return reverse("planning:line_edit", args=[line.plan_id, line.pk])


def _form_version(page: str) -> str:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert found, "the line edit form carries no version"
    return found.group(1)


def _post(browser: Client, line: SubActivity, version: str, **changes: str) -> object:
    data = {"cost": "", "budget_code": "", "remarks": "", "person_in_charge": "", "months": ["1"]}
    data.update(changes)
    return browser.post(_edit_url(line), data | {"version": version})


def _changes_of(line: SubActivity) -> int:
    return HistoryEvent.objects.system("test").filter(event=Event.CHANGED, object_id=line.pk).count()


def test_the_edit_form_carries_the_version_of_the_line(client: Client, line: SubActivity) -> None:
    assert _form_version(client.get(_edit_url(line)).content.decode()) == str(line.version)


def test_the_second_of_two_people_saving_the_same_line_is_shown_the_first_ones_value(
    client: Client, line: SubActivity
) -> None:
    seen_by_both = _form_version(client.get(_edit_url(line)).content.decode())
    first = _post(client, line, seen_by_both, remarks="dari Ani: rapat dipindah ke Maret")
    assert first.status_code == 302
    second = _post(client, line, seen_by_both, remarks="dari Budi: rapat tetap Januari")
    page = second.content.decode()
    assert second.status_code == 409
    assert "dari Ani: rapat dipindah ke Maret" in page and "sudah diubah" in page
    line.refresh_from_db()
    assert line.remarks == "dari Ani: rapat dipindah ke Maret"
    assert _changes_of(line) == 1


def test_a_save_from_the_current_version_goes_through_and_moves_the_version_on(
    client: Client, line: SubActivity
) -> None:
    before = line.version
    assert _post(client, line, str(before), remarks="satu").status_code == 302
    line.refresh_from_db()
    assert line.version == before + 1
    assert _post(client, line, str(line.version), remarks="dua").status_code == 302
    line.refresh_from_db()
    assert (line.remarks, line.version) == ("dua", before + 2)


def test_a_stale_save_that_changes_nothing_is_no_conflict(client: Client, line: SubActivity) -> None:
    """Someone saved the very values this person is saving: nothing to refuse, nothing written."""
    stale = str(line.version)
    assert _post(client, line, stale, remarks="sama").status_code == 302
    assert _post(client, line, stale, remarks="sama").status_code == 302
    line.refresh_from_db()
    assert (line.remarks, line.version, _changes_of(line)) == ("sama", int(stale) + 1, 1)


def test_the_update_service_refuses_a_stale_version_naming_the_stored_values(
    seed_plan: Plan, line: SubActivity, django_user_model
) -> None:
    actor = django_user_model.objects.create_superuser("perencana", "p@example.invalid", "sandi-perencana-1")
    change = workflow.LineChange(1_500_000, "amount", "", "pertama", "", (2,))
    workflow.update_line(line, change, actor, expected_version=line.version)
    stale = workflow.LineChange(2_000_000, "amount", "", "kedua", "", (3,))
    with pytest.raises(workflow.EditConflict) as refused:
        workflow.update_line(line, stale, actor, expected_version=line.version)
    assert "pertama" in str(refused.value) and "Rp 1.500.000" in str(refused.value)
    assert refused.value.current["remarks"] == "pertama"
    stored = SubActivity.objects.system("test").get(pk=line.pk)
    assert (stored.cost, stored.remarks, stored.version) == (1_500_000, "pertama", line.version + 1)


def test_a_reimport_that_changes_a_line_moves_its_version_on(
    client: Client, seed_plan: Plan, line: SubActivity
) -> None:
    """A form opened before a replace import cannot put back what the import changed."""
    from renaksi.planning.services import load_tree, save_tree

    opened_at = _form_version(client.get(_edit_url(line)).content.decode())
    tree = load_tree(seed_plan)
    first = tree.goals[0].program_goals[0].indicators[0].lines[0]
    assert first.key == line.pk
    first.remarks = "dari impor ulang"
    save_tree(seed_plan.agency, seed_plan.year, tree, replace=True, actor=OPERATOR)
    line.refresh_from_db()
    assert (line.remarks, line.version) == ("dari impor ulang", int(opened_at) + 1)
    assert _post(client, line, opened_at, remarks="dari formulir lama").status_code == 409
    line.refresh_from_db()
    assert line.remarks == "dari impor ulang"


def test_the_cost_input_keeps_its_length_limit_beside_the_version(client: Client, line: SubActivity) -> None:
    page = client.get(_edit_url(line)).content.decode()
    cost_input = re.search(r'<input type="text" name="cost"[^>]*>', page)
    assert cost_input and 'maxlength="40"' in cost_input.group(0)
