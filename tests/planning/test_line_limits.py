"""A line's texts have a length limit, in the form and again in the update service; a form post
has a size limit before anything reads it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renaksi.planning import workflow
from renaksi.planning.limits import LINE_TEXT_LIMITS
from renaksi.planning.models import Plan, SubActivity


@pytest.fixture
def line(seed_plan: Plan) -> SubActivity:
    found = seed_plan.sub_activities.order_by("position").first()
    assert found is not None
    return found


def _post(browser: Client, line: SubActivity, **changes: str) -> object:
    data = {"cost": "", "budget_code": "", "remarks": "", "person_in_charge": "", "months": ["1"]}
    return browser.post(reverse("planning:line_edit", args=[line.plan_id, line.pk]), data | changes)


def _stored(line: SubActivity) -> tuple[str, str, int]:
    again = SubActivity.objects.system("test").get(pk=line.pk)
    return again.remarks, again.person_in_charge, again.version


@pytest.mark.parametrize(
    ("field", "label"), [("remarks", "Keterangan"), ("person_in_charge", "Penanggung jawab")]
)
def test_the_form_refuses_a_text_over_its_limit_naming_the_field(
    client: Client, line: SubActivity, field: str, label: str
) -> None:
    before = _stored(line)
    response = _post(client, line, **{field: "x" * (LINE_TEXT_LIMITS[field] + 1)})
    page = response.content.decode()
    assert response.status_code == 400
    assert f"{label} terlalu panjang" in page
    assert _stored(line) == before


def test_a_text_at_its_limit_is_saved(client: Client, line: SubActivity) -> None:
    remark = "y" * LINE_TEXT_LIMITS["remarks"]
    assert _post(client, line, remarks=remark).status_code == 302
    assert _stored(line)[0] == remark


def test_the_form_tells_the_browser_the_limits(client: Client, line: SubActivity) -> None:
    page = client.get(reverse("planning:line_edit", args=[line.plan_id, line.pk])).content.decode()
    assert f'maxlength="{LINE_TEXT_LIMITS["remarks"]}"' in page
    assert f'maxlength="{LINE_TEXT_LIMITS["person_in_charge"]}"' in page


@pytest.mark.parametrize(
    ("field", "label"), [("remarks", "Keterangan"), ("person_in_charge", "Penanggung jawab")]
)
def test_the_update_service_refuses_a_text_over_its_limit_naming_the_field(
    line: SubActivity, django_user_model, field: str, label: str
) -> None:
    actor = django_user_model.objects.create_superuser("perencana", "p@example.invalid", "sandi-perencana-1")
    texts = {"remarks": "", "person_in_charge": ""} | {field: "z" * 15_000_000}
    change = workflow.LineChange(None, "absent", "", texts["remarks"], texts["person_in_charge"], (1,))
    before = _stored(line)
    with pytest.raises(workflow.WorkflowError, match=f"{label} terlalu panjang"):
        workflow.update_line(line, change, actor)
    assert _stored(line) == before


def test_a_long_text_already_stored_may_be_saved_unchanged(line: SubActivity, client: Client) -> None:
    """A remark an import brought (imports have their own per-cell limit) is not refused when
    the person edits another field."""
    long_remark = "r" * (LINE_TEXT_LIMITS["remarks"] + 500)
    SubActivity.objects.system("test").filter(pk=line.pk).update(remarks=long_remark)
    response = _post(client, line, remarks=long_remark, person_in_charge="Kasubbag Umum")
    assert response.status_code == 302
    assert _stored(line)[:2] == (long_remark, "Kasubbag Umum")


def test_a_form_post_bigger_than_the_request_limit_is_refused_before_it_is_read(
    db: None, anonymous_client: Client
) -> None:
    response = anonymous_client.post(
        reverse("accounts:login"), {"username": "u" * 3_000_000, "password": "p"}
    )
    assert response.status_code == 400
