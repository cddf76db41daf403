"""Fixtures for the public portal: published plans, and plans that must stay out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest

import renaksi.cli
from renaksi.access import OPERATOR
from renaksi.agencies.models import Agency
from renaksi.agencies.services import find_agency
from renaksi.imports.sample import random_plan
from renaksi.imports.services import commit_import, preview_import
from renaksi.planning.models import Plan
from renaksi.planning.services import save_tree

# Texts that only the agency's own users may read; the portal must never print them.
REMARK = "Catatan internal: menunggu revisi DIPA"
PERSON_IN_CHARGE = "Budi Santoso Hasibuan"
SIGNER_NAME = "Dra. Siti Rahmawati Ointu"
SIGNER_NIP = "197001011990032001"


@pytest.fixture
def internal_texts() -> dict[str, str]:
    return {
        "remark": REMARK,
        "person in charge": PERSON_IN_CHARGE,
        "signer name": SIGNER_NAME,
        "signer NIP": SIGNER_NIP,
    }


def publish(agency: Agency, publishes: bool = True) -> Agency:
    agency.publishes_plans = publishes
    agency.save(update_fields=["publishes_plans"])
    return agency


@pytest.fixture
def seed_plan(db) -> Plan:
    """The seed plan (Rencana Aksi 2023, Sekretaris, KPU Provinsi Gorontalo), approved and
    published by its agency."""
    preview = preview_import(Path(renaksi.cli.SEED_FILE))
    plan, _record = commit_import(preview, publish(find_agency("kpu-prov-gorontalo")), 2023, actor=OPERATOR)
    plan.status = Plan.Status.APPROVED
    plan.save(update_fields=["status"])
    return plan


def make_plan(agency_code: str, year: int, status: str, *, publishes: bool = True, seed: int = 7) -> Plan:
    """A generated plan whose every line carries a remark and a person in charge, signed by a named
    official: all of it internal."""
    agency = publish(find_agency(agency_code), publishes)
    plan = save_tree(agency, year, random_plan(seed, 12, person_in_charge=True), actor=OPERATOR)
    plan.sub_activities.update(remarks=REMARK, person_in_charge=PERSON_IN_CHARGE)
    plan.status = status
    plan.sign_place = "Tilamuta"
    plan.signer_title = "Sekretaris"
    plan.signer_name = SIGNER_NAME
    plan.signer_nip = SIGNER_NIP
    plan.save()
    return plan


@pytest.fixture
def published_plan(db) -> Plan:
    """Approved, of KPU Kabupaten Boalemo, which publishes its approved plans."""
    return make_plan("kpu-kab-boalemo", 2024, Plan.Status.APPROVED)


@pytest.fixture
def hidden_plans(db) -> dict[str, Plan]:
    """Plans the public must not see, one of each kind, beside a published one of the same agency."""
    return {
        "draft": make_plan("kpu-kab-boalemo", 2025, Plan.Status.DRAFT, seed=8),
        "submitted": make_plan("kpu-kab-boalemo", 2026, Plan.Status.SUBMITTED, seed=9),
        "agency does not publish": make_plan(
            "kpu-kab-pohuwato", 2024, Plan.Status.APPROVED, publishes=False, seed=10
        ),
    }
