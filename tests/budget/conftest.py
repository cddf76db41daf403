"""Fixtures of the ceiling and RPD tests: the real seed plan (imported as the CLI imports it) and
the people who use it: a planner and a viewer of its agency, a planner of another agency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.accounts.models import Membership, Role
from renaksi.agencies.services import find_agency
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan

SEED_AGENCY = "KPU Provinsi Gorontalo"
SEED_YEAR = 2023
OTHER_AGENCY = "kpu-kab-boalemo"  # a Kab/Kota: its members do not see the province's plans


@pytest.fixture
def seed_plan(db) -> Plan:
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, find_agency(SEED_AGENCY), SEED_YEAR, actor=OPERATOR)
    return plan


@dataclass
class People:
    planner: Any
    viewer: Any
    outsider: Any  # a planner of another agency

    def client(self, who: str) -> Client:
        browser = Client()
        browser.force_login(getattr(self, who))
        return browser


@pytest.fixture
def people(seed_plan, django_user_model) -> People:
    def member(name: str, agency: Any, role: str) -> Any:
        user = django_user_model.objects.create_user(
            name, password="kata-sandi-uji-123", first_name=name.title()
        )
        Membership.objects.create(user=user, agency=agency, role=role)
        return user

    home = seed_plan.agency
    return People(
        planner=member("perencana", home, Role.PLANNER),
        viewer=member("pembaca", home, Role.VIEWER),
        outsider=member("orang-lain", find_agency(OTHER_AGENCY), Role.PLANNER),
    )
