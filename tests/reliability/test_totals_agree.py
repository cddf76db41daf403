"""Totals agree: for generated plans, the grand total is the same in the database, on the plan
page, and in the CSV, JSON, XLSX and PDF exports (and each export's lines add up to it).

20 plans in every CI run, 1,000 with ``make reliability``.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from figures import Figure, record

from renaksi.access import OPERATOR
from renaksi.agencies.models import Agency
from renaksi.core.money import parse_rupiah
from renaksi.exports.services import export_plan
from renaksi.exports.xlsx import HEADERLESS_SUBTOTAL_LABEL
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan, SubActivity
from renaksi.planning.services import save_tree

GRAND_TOTAL = "JUMLAH TOTAL"
_SUBTOTAL_RE = re.compile(r"Jumlah Sasaran Strategis \S+")
_HTML_TOTAL_RE = re.compile(r'id="jumlah-total".*?data-col="cost">([^<]*)<', re.DOTALL)
# The amount may wrap onto the next line of its cell: whitespace inside it is dropped.
_PDF_TOTAL_RE = re.compile(GRAND_TOTAL + r"\s+(Rp\s+-|Rp\s+[0-9](?:[0-9.\s]*[0-9])?|-)")


def database_total(plan: Plan) -> int:
    lines = SubActivity.objects.system("reliability: the plan in hand").filter(plan=plan)
    return int(lines.aggregate(total=Sum("cost"))["total"] or 0)


def page_total(client: Client, plan: Plan) -> int:
    html = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    found = _HTML_TOTAL_RE.search(html)
    assert found is not None, "the plan page shows no grand total"
    return parse_rupiah(found.group(1).strip()) or 0


def csv_total(path: Path) -> int:
    """The sum of the PERKIRAAN BIAYA column (amounts as plain integers, header rows left out)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    cost = next(row for row in rows if row[:1] == ["NO"]).index("PERKIRAAN BIAYA")
    return sum(int(row[cost]) for row in rows if len(row) > cost and row[cost].isdigit())


def json_total(path: Path) -> int:
    def walk(node: Any) -> int:
        if isinstance(node, dict):
            own = sum(int(line.get("cost") or 0) for line in node.get("lines", ()) if isinstance(line, dict))
            return own + sum(walk(v) for k, v in node.items() if k != "lines")
        if isinstance(node, list):
            return sum(walk(item) for item in node)
        return 0

    return walk(json.loads(path.read_text(encoding="utf-8")))


def xlsx_totals(path: Path) -> tuple[int, int]:
    """The saved grand total, and the sum of the cost cells of the plan rows (every row of the
    table but the goal subtotal rows)."""
    sheet = openpyxl.load_workbook(path, data_only=True, read_only=True).worksheets[0]
    grand, lines, cost_column = None, 0, None
    for row in sheet.iter_rows(values_only=True):
        texts = [str(v) for v in row if isinstance(v, str)]
        if cost_column is None:
            if "PERKIRAAN BIAYA" in row:
                cost_column = row.index("PERKIRAAN BIAYA")
            continue
        value = row[cost_column] if cost_column < len(row) else None
        if GRAND_TOTAL in texts:
            grand = value
        elif any(t == HEADERLESS_SUBTOTAL_LABEL or _SUBTOTAL_RE.fullmatch(t) for t in texts):
            continue
        elif isinstance(value, int | float):
            lines += int(value)
    assert grand is not None, "the workbook has no grand total row"
    return int(grand), lines


def pdf_total(path: Path) -> int:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    found = _PDF_TOTAL_RE.findall(text)
    assert found, "the PDF shows no grand total"
    return parse_rupiah(re.sub(r"\s+", "", found[-1]).replace("Rp", "Rp ")) or 0


def totals_of(client: Client, plan: Plan, folder: Path) -> dict[str, int]:
    found = {"database": database_total(plan), "page": page_total(client, plan)}
    for fmt in ("csv", "json", "xlsx", "pdf"):
        target = export_plan(plan, fmt, folder / f"plan-{plan.pk}.{fmt}")
        if fmt == "csv":
            found["csv"] = csv_total(target)
        elif fmt == "json":
            found["json"] = json_total(target)
        elif fmt == "xlsx":
            found["xlsx"], found["xlsx lines"] = xlsx_totals(target)
        else:
            found["pdf"] = pdf_total(target)
        target.unlink()
    return found


def refresh_statistics() -> None:
    """Let PostgreSQL plan its queries for the rows this test wrote. They are all in the test's
    one transaction, which autovacuum never sees: without this the planner believes the plan
    tables empty and a page of one plan takes seconds (a real database is analysed as it grows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def check_plans(client: Client, count: int, folder: Path) -> list[str]:
    """Generate and store ``count`` plans; the disagreements found, one line each."""
    disagreements = []
    for seed in range(count):
        if seed and seed % 50 == 0:
            refresh_statistics()
        rng = random.Random(seed)
        tree = random_plan(rng, rng.randint(1, 60))
        agency = Agency.objects.create(
            code=f"totals-{seed}", name=f"Satker Uji Total {seed}", level="regency"
        )
        plan = save_tree(agency, tree.year or 2024, tree, actor=OPERATOR)
        expected = sum(
            line.cost or 0
            for goal in tree.goals
            for pg in goal.program_goals
            for i in pg.indicators
            for line in i.lines
        )
        try:
            found = totals_of(client, plan, folder)
        except AssertionError as error:  # an output without a total is a disagreement too
            disagreements.append(f"seed {seed}: {error}")
            continue
        if set(found.values()) != {expected}:
            disagreements.append(f"seed {seed}: generated {expected}, found {found}")
    return disagreements


def _run(client: Client, count: int, tmp_path: Path, area: str) -> None:
    disagreements = check_plans(client, count, tmp_path)
    record(
        area,
        [
            Figure("plans checked", count, f">= {count}"),
            Figure("plans whose totals disagree", len(disagreements), "== 0", "\n".join(disagreements[:20])),
        ],
    )
    assert not disagreements, "\n".join(disagreements[:20])


@pytest.mark.django_db
def test_twenty_generated_plans_have_one_total_in_every_output(client: Client, tmp_path: Path) -> None:
    _run(client, 20, tmp_path, "totals agree (20 plans)")


@pytest.mark.reliability
@pytest.mark.django_db
def test_a_thousand_generated_plans_have_one_total_in_every_output(client: Client, tmp_path: Path) -> None:
    _run(client, 1000, tmp_path, "totals agree (1,000 plans)")
