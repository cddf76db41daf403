"""Fixtures for the planning pages: the real seed plan, imported the way the CLI imports it."""

from __future__ import annotations

from pathlib import Path

import pytest

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.agencies.services import find_agency
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan

SEED_AGENCY = "KPU Provinsi Gorontalo"
SEED_YEAR = 2023


@pytest.fixture
def seed_plan(db) -> Plan:
    """The seed plan (Rencana Aksi 2023, Sekretaris, KPU Provinsi Gorontalo) in the test database."""
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, find_agency(SEED_AGENCY), SEED_YEAR, actor=OPERATOR)
    return plan
