"""``renaksi demo`` (run by ``make run`` on every start) loads the seed plan only where it is absent.

A plan someone edited, approved or imported is never touched: the same export, the same fields,
no new history; and a second run writes nothing at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from renaksi.access import OPERATOR
from renaksi.cli import SEED_FILE, main
from renaksi.exports.services import plan_text
from renaksi.history.models import HistoryEvent
from renaksi.imports.models import ImportRecord
from renaksi.planning import workflow
from renaksi.planning.models import Plan, ProgramGoal

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


@pytest.fixture(autouse=True)
def _private_data_dir(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path  # the demo password file goes here, not into a shared folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def state(plan: Plan) -> dict[str, object]:
    """What a user could see changed: the canonical export, the plan's own fields, its history
    and import records."""
    fresh = Plan.objects.system("test").get(pk=plan.pk)
    return {
        "json": plan_text(fresh, "json"),
        "fields": {f.attname: getattr(fresh, f.attname) for f in Plan._meta.concrete_fields},
        "history": list(HistoryEvent.objects.system("test").filter(plan=fresh).values_list("pk", flat=True)),
        "imports": list(ImportRecord.objects.system("test").filter(plan=fresh).values_list("pk", flat=True)),
        "plans": list(Plan.objects.system("test").values_list("pk", flat=True)),
    }


def test_a_fresh_database_gets_the_seed_plan_and_says_so(capsys) -> None:
    code, out, _ = run(capsys, "demo", "--quiet")
    assert code == 0
    plan = Plan.objects.system("test").get()
    assert (plan.agency.code, plan.year) == ("kpu-prov-gorontalo", 2023)
    assert plan.sub_activities.count() == 45
    assert f"Rencana contoh dimuat: {plan} (id {plan.pk})." in out
    assert ImportRecord.objects.system("test").get(plan=plan).imported_via == "demo"


def test_a_plan_edited_through_the_pages_and_approved_survives_demo_untouched(capsys, client) -> None:
    assert run(capsys, "demo", "--quiet")[0] == 0
    plan = Plan.objects.system("test").get()
    line = plan.sub_activities.order_by("position").first()
    response = client.post(
        reverse("planning:line_edit", args=[plan.pk, line.pk]),
        {"cost": "1.234.567", "budget_code": "3358.EBC.954.A", "remarks": "diubah oleh perencana"},
    )
    assert response.status_code == 302, response.content.decode()
    admin = response.wsgi_request.user
    # The seed's goal-less program goal is flagged: fixed first, since a flagged plan is not
    # submitted; then approved by someone else, since nobody approves their own submission.
    ProgramGoal.objects.of_plan(plan).update(needs_review=False)
    workflow.submit_plan(plan, admin, acknowledge_warnings=True)
    workflow.approve_plan(plan, OPERATOR)
    before = state(plan)
    assert '"cost": 1234567' in before["json"] and "diubah oleh perencana" in before["json"]
    assert before["fields"]["status"] == Plan.Status.APPROVED

    code, out, _ = run(capsys, "demo", "--quiet")

    assert code == 0
    assert f"Rencana contoh sudah ada: {plan} (id {plan.pk}, status Disetujui); tidak diubah." in out
    assert state(plan) == before


def test_a_plan_the_user_imported_with_replace_survives_demo_untouched(capsys, tmp_path: Path) -> None:
    assert run(capsys, "demo", "--quiet")[0] == 0
    own = tmp_path / "milik-pengguna.txt"
    own.write_text(SEED_FILE.read_text(encoding="utf-8").replace("8,378,000", "9,999,000"), encoding="utf-8")
    argv = ["import", str(own), "--agency", "kpu-prov-gorontalo", "--year", "2023", "--replace"]
    assert run(capsys, *argv)[0] == 0
    plan = Plan.objects.system("test").get()
    before = state(plan)
    assert '"cost": 9999000' in before["json"]

    assert run(capsys, "demo", "--quiet")[0] == 0

    assert state(plan) == before


def test_demo_adds_no_second_plan_beside_a_plan_of_another_signing_unit(capsys) -> None:
    from renaksi.agencies.services import find_agency
    from renaksi.imports.sample import random_plan
    from renaksi.planning.services import save_tree

    tree = random_plan(7, 5)
    tree.year, tree.signing_unit = 2023, "KETUA"
    plan = save_tree(find_agency("kpu-prov-gorontalo"), 2023, tree, actor=OPERATOR)
    before = state(plan)

    code, out, _ = run(capsys, "demo", "--quiet")

    assert code == 0 and "tidak diubah" in out
    assert state(plan) == before  # one plan still, so kpu-prov-gorontalo/2023 names one plan
    assert run(capsys, "check", "kpu-prov-gorontalo/2023")[0] in (0, 1)


def test_a_second_demo_run_writes_nothing(capsys) -> None:
    assert run(capsys, "demo", "--quiet")[0] == 0
    with CaptureQueriesContext(connection) as queries:
        code, out, _ = run(capsys, "demo")
    assert code == 0 and "tidak diubah" in out
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert len(queries.captured_queries) > 0  # the run did ask the database
