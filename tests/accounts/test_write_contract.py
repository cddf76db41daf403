"""One permission contract for every write: each write service checks the actor itself, first.

:data:`REGISTRY` names every write service (one entry per function) with how to call it on a
fresh fixture. For each one, an actor without the permission (None, a viewer of the same agency,
a planner of another agency, and for site-admin writes the agency's own admin) is refused with
PermissionDenied and the database is byte-for-byte what it was; a permitted actor (a user, and
OPERATOR where the command line calls it) succeeds and writes something.

:func:`test_every_write_service_is_in_the_registry` walks the service modules and finds every
public function whose source writes (directly, or through a function of the same module that
does): one missing from the registry (and not exempted with its reason) fails, so a new
service cannot skip the contract.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import renaksi
import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.core.corrections import AttachProgramGoal, correction_to_dict
from renaksi.imports.sample import random_plan
from renaksi.imports.services import preview_import
from renaksi.planning.models import Plan
from renaksi.planning.services import save_tree

HOME = "kpu-kab-boalemo"
OTHER = "kpu-kab-pohuwato"
SEED = Path(renaksi.cli.SEED_FILE)


@dataclass
class World:
    home: Agency
    other: Agency
    people: dict[str, Any]
    tmp: Path
    plan: Plan | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def actor(self, name: str | None) -> Any:
        if name is None:
            return None
        if name == "OPERATOR":
            return OPERATOR
        return self.people[name]

    def home_plan(self) -> Plan:
        if self.plan is None:
            self.plan = save_tree(self.home, 2024, random_plan(1, 12), actor=OPERATOR)
        return self.plan


@pytest.fixture
def world(settings, tmp_path: Path) -> World:
    settings.RENAKSI_JOBS_IMMEDIATE = False
    settings.DATA_DIR = tmp_path
    user_model = get_user_model()
    home, other = find_agency(HOME), find_agency(OTHER)
    people: dict[str, Any] = {"site_admin": user_model.objects.create_superuser("site-admin", password="x")}
    for name, agency, role in (
        ("home_viewer", home, Role.VIEWER),
        ("home_planner", home, Role.PLANNER),
        ("home_admin", home, Role.AGENCY_ADMIN),
        ("home_approver", home, Role.APPROVER),
        ("other_planner", other, Role.PLANNER),
        ("home_member", home, Role.PIC),  # the one the member services act on
    ):
        people[name] = user_model.objects.create_user(name.replace("_", "-"), password="x")
        Membership.objects.create(user=people[name], agency=agency, role=role)
    return World(home=home, other=other, people=people, tmp=tmp_path)


def checksum() -> str:
    """Every row of every Renaksi table and of the users, in a fixed order."""
    digest = hashlib.sha256()
    models = [m for m in apps.get_models() if m.__module__.startswith("renaksi.")] + [get_user_model()]
    for model in sorted(models, key=lambda m: m._meta.label):
        rows = model._base_manager.order_by("pk").values_list()
        digest.update(model._meta.label.encode())
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


# --- the fixtures each service is called on --------------------------------------------------------


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("rencana.txt", SEED.read_bytes(), content_type="text/plain")


def _pending(world: World) -> Any:
    from renaksi.imports import uploads

    if "pending" not in world.extra:
        world.extra["pending"] = uploads.start_pending_import(
            world.people["home_planner"], world.home, _upload(), year=2023, replace=False
        )
    return world.extra["pending"]


def _flagged_correction(pending: Any) -> AttachProgramGoal:
    from renaksi.imports import uploads

    tree = uploads.load_preview(pending).tree
    goal = next(index for index, goal in enumerate(tree.goals) if goal.number is None)
    return AttachProgramGoal(path=(goal, 0), goal=0)


def _membership(world: World) -> Membership:
    if "membership" not in world.extra:
        world.extra["membership"] = Membership.objects.select_related("user", "agency").get(
            user=world.people["home_member"]
        )
    return world.extra["membership"]


Call = Callable[[World, Any], Any]


def _planning_services() -> dict[str, Call]:
    from renaksi.history import Source
    from renaksi.planning import create, replace, services, signature

    def new_plan(w: World, actor: Any) -> Any:
        return services.save_tree(w.home, 2025, random_plan(2, 3), actor=actor)

    def create_plan(w: World, actor: Any) -> Any:
        return create.create_plan(w.home, 2025, random_plan(2, 3), actor=actor, source=Source.IMPORT, note="")

    def replace_plan(w: World, actor: Any) -> Any:
        plan = w.home_plan()
        return replace.replace_plan(plan, random_plan(3, 3), actor=actor, source=Source.IMPORT, note="")

    def apply_signature(w: World, actor: Any) -> Any:
        return signature.apply_signature(w.home_plan(), {"place": "Tilamuta", "name": "Budi"}, actor=actor)

    return {
        "renaksi.planning.services.save_tree": new_plan,
        "renaksi.planning.create.create_plan": create_plan,
        "renaksi.planning.replace.replace_plan": replace_plan,
        "renaksi.planning.signature.apply_signature": apply_signature,
    }


def _import_services() -> dict[str, Call]:
    from renaksi.imports import demo_plan, services, upload_jobs, uploads

    def commit_import(w: World, actor: Any) -> Any:
        return services.commit_import(preview_import(SEED), w.home, 2023, actor=actor)

    def ensure_demo_plan(w: World, actor: Any) -> Any:
        return demo_plan.ensure_demo_plan(SEED, w.home, 2023, actor=actor)

    def start_pending_import(w: World, actor: Any) -> Any:
        return uploads.start_pending_import(actor, w.home, _upload(), year=2023, replace=False)

    def discard_pending(w: World, actor: Any) -> Any:
        return uploads.discard_pending(actor, _pending(w))

    def set_correction(w: World, actor: Any) -> Any:
        pending = _pending(w)
        return uploads.set_correction(actor, pending, _flagged_correction(pending))

    def drop_correction(w: World, actor: Any) -> Any:
        pending = _pending(w)
        if not pending.corrections:
            pending.corrections = [correction_to_dict(_flagged_correction(pending))]
            pending.save(update_fields=["corrections"])
        return uploads.drop_correction(actor, pending, 0)

    def commit_pending(w: World, actor: Any) -> Any:
        return uploads.commit_pending(actor, _pending(w), replace=False)

    def commit_or_queue(w: World, actor: Any) -> Any:
        return upload_jobs.commit_or_queue(actor, _pending(w), replace=False)

    def start_reading(w: World, actor: Any) -> Any:
        return upload_jobs.start_reading(actor, _pending(w))

    def start_commit(w: World, actor: Any) -> Any:
        return upload_jobs.start_commit(actor, _pending(w), replace=False)

    return {
        "renaksi.imports.services.commit_import": commit_import,
        "renaksi.imports.demo_plan.ensure_demo_plan": ensure_demo_plan,
        "renaksi.imports.uploads.start_pending_import": start_pending_import,
        "renaksi.imports.uploads.discard_pending": discard_pending,
        "renaksi.imports.uploads.set_correction": set_correction,
        "renaksi.imports.uploads.drop_correction": drop_correction,
        "renaksi.imports.uploads.commit_pending": commit_pending,
        "renaksi.imports.upload_jobs.commit_or_queue": commit_or_queue,
        "renaksi.imports.upload_jobs.start_reading": start_reading,
        "renaksi.imports.upload_jobs.start_commit": start_commit,
    }


def _account_services() -> dict[str, Call]:
    from renaksi.accounts import demo, invitations, security, services
    from renaksi.agencies import services as agencies

    def invite_member(w: World, actor: Any) -> Any:
        return services.invite_member(
            actor=actor, agency=w.home, username="baru", role=Role.VIEWER, full_name="Orang Baru"
        )

    def change_role(w: World, actor: Any) -> Any:
        return services.change_role(actor=actor, membership=_membership(w), role=Role.VIEWER)

    def remove_member(w: World, actor: Any) -> Any:
        return services.remove_member(actor=actor, membership=_membership(w))

    def deactivate_user(w: World, actor: Any) -> Any:
        return services.deactivate_user(actor=actor, membership=_membership(w))

    def import_reference(w: World, actor: Any) -> Any:
        return services.import_reference(actor=actor, text="kode;nama\n3358;Dukungan SDM\n")

    def invite(w: World, actor: Any) -> Any:
        return invitations.invite(actor=actor, agency=w.home, username="diundang", role=Role.VIEWER)

    def cancel(w: World, actor: Any) -> Any:
        if "invitation" not in w.extra:
            w.extra["invitation"] = invitations.invite(
                actor=w.people["home_admin"], agency=w.home, username="diundang", role=Role.VIEWER
            ).invitation
        return invitations.cancel(actor=actor, agency=w.home, invitation_id=w.extra["invitation"].pk)

    def reset_password(w: World, actor: Any) -> Any:
        return security.reset_password(actor, w.people["home_member"], w.home)

    def ensure_demo_account(w: World, actor: Any) -> Any:
        return demo.ensure_demo_account(w.tmp, w.home, actor=actor)

    def create_agency(w: World, actor: Any) -> Any:
        return agencies.create_agency(
            actor=actor,
            code="kpu-kab-baru",
            name="KPU Kabupaten Baru",
            level=Agency.Level.REGENCY,
            parent=w.home.parent,
            time_zone="Asia/Makassar",
        )

    def update_agency(w: World, actor: Any) -> Any:
        return agencies.update_agency(actor=actor, agency=w.home, publishes_plans=not w.home.publishes_plans)

    return {
        "renaksi.accounts.services.invite_member": invite_member,
        "renaksi.accounts.services.change_role": change_role,
        "renaksi.accounts.services.remove_member": remove_member,
        "renaksi.accounts.services.deactivate_user": deactivate_user,
        "renaksi.accounts.services.import_reference": import_reference,
        "renaksi.accounts.invitations.invite": invite,
        "renaksi.accounts.invitations.cancel": cancel,
        "renaksi.accounts.security.reset_password": reset_password,
        "renaksi.accounts.demo.ensure_demo_account": ensure_demo_account,
        "renaksi.agencies.services.create_agency": create_agency,
        "renaksi.agencies.services.update_agency": update_agency,
    }


def _job_services() -> dict[str, Call]:
    from renaksi.exports import jobs as export_jobs
    from renaksi.jobs import services

    def enqueue(w: World, actor: Any) -> Any:
        return services.enqueue(actor, "rollup", w.home, "rollup:2024", {"year": 2024})

    def start_plan_export_job(w: World, actor: Any) -> Any:
        return export_jobs.start_plan_export_job(actor, w.home_plan(), "xlsx")

    def start_rollup_job(w: World, actor: Any) -> Any:
        w.home_plan()  # a plan of a Kab/Kota under the province
        return export_jobs.start_rollup_job(actor, w.home.parent, 2024)

    return {
        "renaksi.jobs.services.enqueue": enqueue,
        "renaksi.exports.jobs.start_plan_export_job": start_plan_export_job,
        "renaksi.exports.jobs.start_rollup_job": start_rollup_job,
    }


_EDITOR_OBJECTS: list[Callable[[World], Any]] = []


def _editor_services() -> dict[str, Call]:
    """The plan editor's saves and the line edit (renaksi.planning.structure*, line_edit)."""
    from renaksi.planning import line_edit, structure, structure_goals, structure_plans
    from renaksi.planning import models as m

    def objects(w: World) -> dict[str, Any]:
        """The objects acted on, read (with their plan) before the checksum is taken: the plan's
        goal and a second one, its first two program goals and indicators, a Kegiatan, lines."""
        if "objects" not in w.extra:
            plan = w.home_plan()
            structure_goals.add_goal(plan, w.people["home_planner"], number="2", text="Sasaran kedua")

            def rows(model: Any) -> list[Any]:
                return list(model.objects.of_plan(plan).select_related("plan").order_by("position", "pk"))

            goals, programs, indicators = rows(m.StrategicGoal), rows(m.ProgramGoal), rows(m.Indicator)
            every = rows(m.SubActivity)
            # A line with an earlier sibling under the same indicator, so moving it up writes.
            second = next(
                line
                for line, before in zip(every[1:], every, strict=False)
                if line.indicator_id == before.indicator_id
            )
            w.extra["objects"] = {
                "first": every[0],
                "last": every[-1],
                "second": second,
                "goal": goals[0],
                "other_goal": goals[1],
                "program": programs[0],
                "other_program": programs[1],
                "indicator": indicators[0],
                "other_indicator": indicators[1],
                "activity": rows(m.Activity)[0],
            }
        return w.extra["objects"]

    def create_empty_plan(w: World, actor: Any) -> Any:
        return structure_plans.create_empty_plan(w.home, actor, year=2030)

    def copy_plan(w: World, actor: Any) -> Any:
        return structure_plans.copy_plan(w.home_plan(), actor, year=2031)

    def add_goal(w: World, actor: Any) -> Any:
        return structure_goals.add_goal(w.home_plan(), actor, number="9", text="Sasaran uji")

    def update_goal(w: World, actor: Any) -> Any:
        goal = objects(w)["goal"]
        return structure_goals.update_goal(goal, actor, number=goal.number, text="Sasaran diubah")

    def shift_object(w: World, actor: Any) -> Any:
        return structure.shift_object(objects(w)["second"], actor, -1)

    def delete_object(w: World, actor: Any) -> Any:
        return structure.delete_object(objects(w)["last"], actor)

    def update_line(w: World, actor: Any) -> Any:
        change = line_edit.LineChange(1_000_000, "amount", "", "ubah", "", (3, 4))
        return line_edit.update_line(objects(w)["first"], change, actor)

    _EDITOR_OBJECTS.append(objects)
    return {
        **_structure_item_services(objects),
        "renaksi.planning.structure_plans.create_empty_plan": create_empty_plan,
        "renaksi.planning.structure_plans.copy_plan": copy_plan,
        "renaksi.planning.structure_goals.add_goal": add_goal,
        "renaksi.planning.structure_goals.update_goal": update_goal,
        "renaksi.planning.structure.shift_object": shift_object,
        "renaksi.planning.structure.delete_object": delete_object,
        "renaksi.planning.line_edit.update_line": update_line,
    }


def _structure_item_services(objects: Callable[[World], dict[str, Any]]) -> dict[str, Call]:
    """The editor's saves of program goals, indicators, Kegiatan and lines, on ``objects``."""
    from renaksi.planning import structure_goals as goals
    from renaksi.planning import structure_items as items

    def line_fields(name: str) -> Any:
        return items.LineFields(name, None, 1_000_000, "amount", "", "", "", (3, 4))

    calls: dict[str, Callable[[dict[str, Any], Any], Any]] = {
        "structure_goals.add_program_goal": lambda o, actor: goals.add_program_goal(
            o["goal"].plan, actor, goal=o["goal"], text="Sasaran program uji"
        ),
        "structure_goals.update_program_goal": lambda o, actor: goals.update_program_goal(
            o["program"], actor, text="Sasaran program diubah", needs_review=False
        ),
        "structure_goals.move_program_goal": lambda o, actor: goals.move_program_goal(
            o["program"], actor, o["other_goal"]
        ),
        "structure_items.add_indicator": lambda o, actor: items.add_indicator(
            o["program"], actor, text="Indikator uji", target="90%"
        ),
        "structure_items.update_indicator": lambda o, actor: items.update_indicator(
            o["indicator"], actor, text="Indikator diubah", target="95%", polarity="higher"
        ),
        "structure_items.move_indicator": lambda o, actor: items.move_indicator(
            o["indicator"], actor, o["other_program"]
        ),
        "structure_items.add_activity": lambda o, actor: items.add_activity(
            o["indicator"].plan, actor, name="Kegiatan uji", indicators=[o["indicator"]]
        ),
        "structure_items.update_activity": lambda o, actor: items.update_activity(
            o["activity"], actor, name="Kegiatan diubah", indicators=[o["indicator"]]
        ),
        "structure_items.add_line": lambda o, actor: items.add_line(
            o["indicator"], actor, line_fields("Baris uji")
        ),
        "structure_items.update_line": lambda o, actor: items.update_line(
            o["first"], actor, line_fields("Baris diubah")
        ),
        "structure_items.move_line": lambda o, actor: items.move_line(
            o["first"], actor, o["other_indicator"]
        ),
    }

    def on_objects(call: Callable[[dict[str, Any], Any], Any]) -> Call:
        return lambda w, actor: call(objects(w), actor)

    return {f"renaksi.planning.{name}": on_objects(call) for name, call in calls.items()}


#: The status each workflow step starts from.
WORKFLOW_STARTS = {
    "submit_plan": "draft",
    "withdraw_plan": "submitted",
    "approve_plan": "submitted",
    "return_plan": "submitted",
    "open_revision": "approved",
}


def _workflow_plan(world: World, status: str) -> Plan:
    """A plan that passes the plan check, moved by the real steps to ``status`` (submitted by the
    agency's planner, approved by its approver)."""
    from tests.planning.workflow_support import clean_tree

    from renaksi.planning import workflow

    key = f"workflow_{status}"
    if key not in world.extra:
        plan = save_tree(world.home, 2026, clean_tree(2026), actor=OPERATOR)
        if status in ("submitted", "approved"):
            workflow.submit_plan(plan, world.people["home_planner"])
        if status == "approved":
            workflow.approve_plan(plan, world.people["home_approver"])
        plan.refresh_from_db()
        assert plan.status == status
        world.extra[key] = plan
    return world.extra[key]


def _workflow_services() -> dict[str, Call]:
    from renaksi.planning import workflow

    steps: dict[str, Callable[[Plan, Any], Any]] = {
        "submit_plan": lambda plan, actor: workflow.submit_plan(plan, actor),
        "withdraw_plan": lambda plan, actor: workflow.withdraw_plan(plan, actor),
        "approve_plan": lambda plan, actor: workflow.approve_plan(plan, actor),
        "return_plan": lambda plan, actor: workflow.return_plan(plan, actor, "Target TW II keliru"),
        "open_revision": lambda plan, actor: workflow.open_revision(plan, actor, "Revisi Anggaran"),
    }

    def on_plan(short: str) -> Call:
        return lambda w, actor: steps[short](_workflow_plan(w, WORKFLOW_STARTS[short]), actor)

    return {f"renaksi.planning.workflow.{short}": on_plan(short) for short in steps}


@dataclass(frozen=True)
class Entry:
    call: Call
    permitted: tuple[str, ...]
    refused: tuple[str | None, ...] = (None, "home_viewer", "other_planner")


def _registry() -> dict[str, Entry]:
    editors = ("home_planner", "OPERATOR")
    web_editors = ("home_planner",)  # an upload is always someone's
    admins = ("home_admin", "site_admin")
    site_admins = ("site_admin", "OPERATOR")
    site_only = (None, "home_viewer", "other_planner", "home_admin")
    readers = ("home_viewer", "OPERATOR")
    planning, imports, accounts, jobs = (
        _planning_services(),
        _import_services(),
        _account_services(),
        _job_services(),
    )
    entries = {name: Entry(call, editors) for name, call in planning.items()}
    entries.update({name: Entry(call, ("home_planner",)) for name, call in _editor_services().items()})
    for name, call in _workflow_services().items():  # approving and returning: the approver's
        if name.endswith(("approve_plan", "return_plan")):
            entries[name] = Entry(
                call, ("home_approver",), (None, "home_viewer", "other_planner", "home_planner")
            )
        else:
            entries[name] = Entry(
                call, ("home_planner",), (None, "home_viewer", "other_planner", "home_approver")
            )
    for name, call in imports.items():
        entries[name] = Entry(
            call, editors if name.rsplit(".", 1)[0].endswith(("services", "demo_plan")) else web_editors
        )
    for name, call in accounts.items():
        short = name.rsplit(".", 1)[1]
        if short in ("invite_member", "import_reference", "create_agency", "ensure_demo_account"):
            entries[name] = Entry(call, site_admins, site_only)
        elif short == "update_agency" or short in ("invite", "cancel"):
            entries[name] = Entry(call, (*admins, "OPERATOR"))
        else:  # members and accounts: the agency's admin (reset_password: a person, never OPERATOR)
            entries[name] = Entry(call, admins if short == "reset_password" else (*admins, "OPERATOR"))
    entries["renaksi.jobs.services.enqueue"] = Entry(
        jobs["renaksi.jobs.services.enqueue"], readers, (None, "other_planner")
    )
    entries["renaksi.exports.jobs.start_plan_export_job"] = Entry(
        jobs["renaksi.exports.jobs.start_plan_export_job"], readers, (None, "other_planner")
    )
    entries["renaksi.exports.jobs.start_rollup_job"] = Entry(  # the province's, not a Kab/Kota's
        jobs["renaksi.exports.jobs.start_rollup_job"], site_admins, (*site_only, "home_planner")
    )
    return entries


REGISTRY = _registry()

#: Write services with their own contract test elsewhere (same three refusals, same checksum).
TESTED_ELSEWHERE = {
    "renaksi.budget.services.save_ceiling": "tests/budget/test_budget_rpd.py",
    "renaksi.budget.services.delete_ceiling": "tests/budget/test_budget_rpd.py",
    "renaksi.budget.services.commit_ceiling_import": "tests/budget/test_budget_rpd.py",
    "renaksi.budget.services.save_line_disbursement": "tests/budget/test_budget_rpd.py",
}

#: Writes that are no actor's change to agency data, and why.
EXEMPT = {
    # The account's own security, always on the logged-in user (or by a one-time token).
    "renaksi.accounts.security.start_device": "the user's own authenticator",
    "renaksi.accounts.security.confirm_device": "the user's own authenticator",
    "renaksi.accounts.security.accept_code": "the user's own login code",
    "renaksi.accounts.security.remove_device": "the user's own authenticator",
    "renaksi.accounts.security.password_changed": "the user's own password",
    "renaksi.accounts.security.create_site_admin": "renaksi create-admin: the operator's command only",
    "renaksi.accounts.invitations.accept": "the invited account answers its own invitation",
    "renaksi.accounts.invitations.decline": "the invited account answers its own invitation",
    "renaksi.accounts.invitations.create_account": "a one-time invitation token makes the account",
    # The system's own bookkeeping, run by the worker or the sweep for a job already allowed.
    "renaksi.imports.uploads.read_pending": "the worker reads an upload its editor made",
    "renaksi.imports.uploads.record_refusal": "the worker records why an upload was refused",
    "renaksi.imports.uploads.expire_pending_imports": "the sweep removes expired uploads",
    "renaksi.imports.upload_jobs.run_read": "the worker reads an upload its editor made",
    "renaksi.imports.upload_jobs.read_failed": "the worker records that a read job died",
    "renaksi.imports.upload_jobs.run_commit": "the worker acts as the job's user: commit_pending checks job.user",
    # Found by the walk, but writes nothing to the database.
    "renaksi.exports.services.rollup_years": "set.update on a local set of years",
}

#: Modules holding write services besides every ``services.py``.
SERVICE_MODULES = (
    "renaksi.planning.workflow",
    "renaksi.planning.versions",
    "renaksi.planning.line_edit",
    "renaksi.planning.structure",
    "renaksi.planning.structure_goals",
    "renaksi.planning.structure_items",
    "renaksi.planning.structure_plans",
    "renaksi.planning.create",
    "renaksi.planning.replace",
    "renaksi.planning.signature",
    "renaksi.imports.uploads",
    "renaksi.imports.upload_jobs",
    "renaksi.imports.demo_plan",
    "renaksi.accounts.invitations",
    "renaksi.accounts.security",
    "renaksi.accounts.demo",
    "renaksi.exports.jobs",
)

_WRITE_CALLS = frozenset(
    {
        "save",
        "create",
        "update",
        "delete",
        "bulk_create",
        "bulk_update",
        "get_or_create",
        "update_or_create",
        "create_user",
        "create_superuser",
        "set_password",
        "record_event",
        "save_events",
        "insert_rows",
        "update_versioned",
        "executemany",
    }
)


def _calls_of(node: ast.AST) -> set[str]:
    names = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Call):
            target = inner.func
            if isinstance(target, ast.Attribute):
                names.add(target.attr)
            elif isinstance(target, ast.Name):
                names.add(target.id)
    return names


def _service_modules() -> list[str]:
    found = set(SERVICE_MODULES)
    for info in pkgutil.walk_packages(renaksi.__path__, "renaksi."):
        if info.name.rsplit(".", 1)[-1] == "services":
            found.add(info.name)
    return sorted(found)


def writing_functions() -> set[str]:
    """Public functions of the service modules that write: directly, or through another function
    of these modules that does (a private helper such as ``_save_tree`` or ``_close``, another
    service such as ``commit_import`` or ``enqueue``), called by its name."""
    calls: dict[str, set[str]] = {}
    for module_name in _service_modules():
        # The module's file read once, names and bodies together (a file edited since the import
        # must not pair one function's name with another's lines).
        path = Path(importlib.import_module(module_name).__file__ or "")
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                calls[f"{module_name}.{node.name}"] = _calls_of(node)
    writes = {name for name, called in calls.items() if called & _WRITE_CALLS}
    while True:
        writer_names = {name.rsplit(".", 1)[1] for name in writes}
        more = {name for name, called in calls.items() if called & writer_names} - writes
        if not more:
            break
        writes |= more
    return {name for name in writes if not name.rsplit(".", 1)[1].startswith("_")}


def test_every_write_service_is_in_the_registry():
    known = set(REGISTRY) | set(TESTED_ELSEWHERE) | set(EXEMPT)
    missing = sorted(writing_functions() - known)
    assert not missing, f"write services outside the permission contract: {missing}"


def test_the_registry_names_only_functions_that_exist_and_write():
    found = writing_functions()
    assert not sorted(set(REGISTRY) - found), "a registered service no longer writes (or moved)"


def _cases(kind: str) -> list[Any]:
    cases = []
    for name, entry in REGISTRY.items():
        for actor in entry.refused if kind == "refused" else entry.permitted:
            cases.append(pytest.param(name, actor, id=f"{name.removeprefix('renaksi.')}-{actor}"))
    return cases


def _prepare(world: World, name: str) -> None:
    """Make what the service acts on before the checksum is taken (a plan, an upload, an
    invitation), by calling it once with a permitted actor where the fixture is its own output."""
    if name.startswith("renaksi.imports.uploads.") and not name.endswith("start_pending_import"):
        _pending(world)
    if name.startswith("renaksi.imports.upload_jobs."):
        _pending(world)
    if name.endswith(("services.change_role", "services.remove_member", "services.deactivate_user")):
        _membership(world)
    if name.startswith(("renaksi.planning.structure", "renaksi.planning.line_edit")) and not name.endswith(
        "create_empty_plan"
    ):
        world.home_plan()
        _EDITOR_OBJECTS[0](world)
    if name.startswith("renaksi.planning.workflow."):
        _workflow_plan(world, WORKFLOW_STARTS[name.rsplit(".", 1)[1]])
    if name.endswith((".replace_plan", ".apply_signature", ".start_plan_export_job", ".start_rollup_job")):
        world.home_plan()
    if name.endswith(".drop_correction"):
        pending = _pending(world)
        pending.corrections = [correction_to_dict(_flagged_correction(pending))]
        pending.save(update_fields=["corrections"])
    if name.endswith("invitations.cancel"):
        from renaksi.accounts import invitations

        world.extra["invitation"] = invitations.invite(
            actor=world.people["home_admin"], agency=world.home, username="diundang", role=Role.VIEWER
        ).invitation


#: What the permission check itself reads (the actor's memberships, joined to the account and the
#: agencies).
PERMISSION_TABLES = frozenset({"accounts_membership", "agencies_agency", "auth_user"})


def _tables(queries: list[dict[str, str]]) -> set[str]:
    names = connection.introspection.django_table_names(only_existing=True)
    return {name for query in queries for name in names if f'"{name}"' in query["sql"]}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor"), _cases("refused"))
def test_an_actor_without_the_permission_is_refused_and_nothing_changes(world: World, name: str, actor: str):
    """Refused first: before the service reads anything but the permission tables, so a check
    left to a helper further in (or a caller) fails here too."""
    _prepare(world, name)
    before = checksum()
    with CaptureQueriesContext(connection) as queries, pytest.raises(PermissionDenied):
        REGISTRY[name].call(world, world.actor(actor))
    assert _tables(queries.captured_queries) <= PERMISSION_TABLES
    assert checksum() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor"), _cases("permitted"))
def test_a_permitted_actor_writes(world: World, name: str, actor: str):
    _prepare(world, name)
    before = checksum()
    REGISTRY[name].call(world, world.actor(actor))
    assert checksum() != before
