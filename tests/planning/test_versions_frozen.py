"""An approved version cannot be changed by the import command or the replace service behind
every import: refused, naming the way (a revision); once a revision is open the same import goes
into the new draft and the approved copy stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.planning.test_versions import approved_json, line
from tests.planning.workflow_support import HOME, People, make_people, make_plan, put_in

import renaksi.cli
from renaksi.planning import versions, workflow
from renaksi.planning.services import load_tree
from renaksi.planning.workflow_base import PlanApprovedError

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(settings, tmp_path: Path) -> People:
    settings.DATA_DIR = tmp_path / "data"
    return make_people()


def test_the_import_command_refuses_to_replace_an_approved_plan(
    people: People, tmp_path: Path, capsys
) -> None:
    plan = put_in(make_plan(), "approved", people)
    path = tmp_path / "rencana.json"
    path.write_bytes(approved_json(plan, 7_777_000))
    code = renaksi.cli.main(["import", str(path), "--agency", HOME, "--year", "2024", "--replace"])
    assert code == 1
    assert "sudah disetujui" in capsys.readouterr().err
    plan.refresh_from_db()
    assert plan.status == "approved" and line(plan, "Rapat RKA").cost == 5_000_000
    # Once a revision is open, the same command goes ahead, into the new draft.
    workflow.open_revision(plan, people["planner"], "Revisi Anggaran")
    assert renaksi.cli.main(["import", str(path), "--agency", HOME, "--year", "2024", "--replace"]) == 0
    assert line(plan, "Rapat RKA").cost == 7_777_000
    assert [item.cost for item in versions.version_tree(plan, 1).lines()][0] == 5_000_000


def test_the_replace_service_refuses_a_change_to_an_approved_plan_whoever_calls_it(people: People) -> None:
    from renaksi.access import OPERATOR
    from renaksi.planning.services import save_tree

    plan = put_in(make_plan(), "approved", people)
    tree = load_tree(plan)
    next(tree.lines()).remarks = "diubah"
    for item in tree.lines():
        item.key = None
    with pytest.raises(PlanApprovedError):
        save_tree(plan.agency, 2024, tree, actor=OPERATOR, replace=True)
    assert line(plan, "Rapat RKA").remarks == ""


def test_an_imported_signature_block_cannot_change_an_approved_plan(people: People) -> None:
    from renaksi.access import OPERATOR
    from renaksi.planning.signature import apply_signature

    plan = put_in(make_plan(), "approved", people)
    with pytest.raises(PlanApprovedError):
        apply_signature(plan, {"name": "Nama Lain"}, actor=OPERATOR)
    plan.refresh_from_db()
    assert plan.signer_name == ""
    assert apply_signature(plan, {}, actor=OPERATOR) is False  # nothing to change: nothing refused
