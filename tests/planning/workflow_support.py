"""A small plan that passes the plan check, the people around it, and helpers to put it in a state."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, ProgramGoal
from renaksi.planning import models as m
from renaksi.planning import workflow
from renaksi.planning.services import save_tree

HOME = "kpu-prov-gorontalo"
#: Every role of the home agency, plus the outsiders the matrix asks about.
ROLES = [role.value for role in Role]
OUTSIDERS = ["other_agency", "anonymous"]


def clean_tree(year: int = 2024) -> PlanTree:
    """Two indicators, three lines, each with cost, code and months: no error, no warning."""

    def line(name: str, cost: int, code: str, months: tuple[int, ...]) -> Line:
        return Line(
            name=name,
            activity="Rapat Koordinasi",
            cost=cost,
            cost_state=CostState.AMOUNT,
            budget_code=code,
            months=months,
        )

    return PlanTree(
        year=year,
        title=f"RENCANA AKSI TAHUN {year}",
        signing_unit="SEKRETARIS",
        goals=[
            Goal(
                "1",
                "Meningkatnya kualitas perencanaan",
                [
                    ProgramGoal(
                        "Tersusunnya dokumen perencanaan",
                        [
                            Indicator(
                                "Persentase dokumen tepat waktu",
                                "90%",
                                activities=["Rapat Koordinasi"],
                                lines=[
                                    line("Rapat RKA", 5_000_000, "6709.QGE.001", (1, 2)),
                                    line("Rapat Renja", 3_000_000, "3358.EBC.954.A", (3,)),
                                ],
                            ),
                            Indicator(
                                "Jumlah laporan kinerja",
                                "4 Dokumen",
                                activities=["Rapat Koordinasi"],
                                lines=[line("Penyusunan LKj", 2_000_000, "3360.EBA.994", (12,))],
                            ),
                        ],
                    )
                ],
            )
        ],
    )


@dataclass
class People:
    home: Agency
    other: Agency
    users: dict[str, Any]

    def __getitem__(self, role: str) -> Any:
        return self.users[role]


def make_people() -> People:
    """A user per role at HOME (username = role), an outsider (a planner and approver elsewhere),
    a second approver and a site admin."""
    user_model = get_user_model()
    home = find_agency(HOME)
    other = Agency.objects.create(
        code="kpu-prov-contoh", name="KPU Provinsi Contoh", level=Agency.Level.PROVINCE
    )
    users: dict[str, Any] = {}
    for role in ROLES:
        users[role] = user_model.objects.create_user(
            role, password="kata-sandi-uji-123", first_name=role.title()
        )
        Membership.objects.create(user=users[role], agency=home, role=role)
    users["approver2"] = user_model.objects.create_user("approver2", password="kata-sandi-uji-123")
    Membership.objects.create(user=users["approver2"], agency=home, role=Role.APPROVER)
    # An agency admin and approver of another agency: every step, but not on this plan.
    users["other_agency"] = user_model.objects.create_user("luar", password="kata-sandi-uji-123")
    Membership.objects.create(user=users["other_agency"], agency=other, role=Role.AGENCY_ADMIN)
    users["site_admin"] = user_model.objects.create_superuser("situs", password="kata-sandi-uji-123")
    from django.contrib.auth.models import AnonymousUser

    users["anonymous"] = AnonymousUser()
    return People(home, other, users)


def make_plan(tree: PlanTree | None = None, year: int = 2024) -> m.Plan:
    tree = copy.deepcopy(tree or clean_tree(year))
    tree.year = year
    return save_tree(find_agency(HOME), year, tree, actor=OPERATOR)


def put_in(plan: m.Plan, status: str, people: People) -> m.Plan:
    """The plan moved through the real steps to ``status``: submitted by the planner, approved by
    the approver."""
    if status in ("submitted", "approved"):
        workflow.submit_plan(plan, people["planner"])
    if status == "approved":
        workflow.approve_plan(plan, people["approver"])
    plan.refresh_from_db()
    assert plan.status == status
    return plan
