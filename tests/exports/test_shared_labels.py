"""The plan page, the XLSX and the PDF print the same section labels and cost texts: all three
take them from the shared table layer (renaksi.core.table), none words them on its own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from html_tree import parse
from renaksi.access import OPERATOR
from renaksi.agencies.models import Agency
from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import GRAND_TOTAL, cost_text, goal_subtotal_label, plan_totals, table_rows
from renaksi.exports.services import export_plan
from renaksi.imports.sample import random_plan
from renaksi.planning.models import Plan
from renaksi.planning.services import load_tree, save_tree

LABEL_COLUMN, COST_COLUMN = 7, 20  # G (under Rencana Kegiatan) and T (PERKIRAAN BIAYA)
TOTAL_LABEL = re.compile(r"^(Jumlah |JUMLAH TOTAL)")


def stored_plan(seed: int) -> tuple[Plan, PlanTree]:
    agency = Agency.objects.create(code=f"label-{seed}", name=f"Satker Uji Label {seed}", level="regency")
    plan = save_tree(agency, 2024, random_plan(seed, 30, headerless=True), actor=OPERATOR)
    return plan, load_tree(plan)


def expected(tree: PlanTree) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, amount) of every total row in printed order, and every row's cost text."""
    totals = plan_totals(tree)
    labels = [(str(goal_subtotal_label(goal)), format_rupiah(total)) for goal, total in totals.by_goal]
    labels.append((str(GRAND_TOTAL), format_rupiah(totals.grand_total)))
    return labels, [cost_text(row.line) for row in table_rows(tree)]


def page_texts(client: Client, plan: Plan) -> tuple[list[tuple[str, str]], list[str]]:
    page = parse(client.get(reverse("planning:plan_detail", args=[plan.pk])))
    totals = [
        (row.find("th").text, row.find("td", data_col="cost").text)
        for row in page.iter("tr")
        if row.has_class("subtotal") or row.has_class("grand-total")
    ]
    costs = [row.find("td", data_col="cost").text for row in page.iter("tr") if row.has_class("plan-row")]
    return totals, costs


def xlsx_texts(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """What the cells show: an amount as Rupiah (its value, in the Rupiah number format), a
    text as it is. Rows from the header to the grand total, repeated headers left out."""
    sheet = openpyxl.load_workbook(path, data_only=True).worksheets[0]  # totals: their saved values
    shown = {None: ""}
    totals, costs = [], []
    row = int(re.sub(r"\D", "", sheet.freeze_panes))
    while row <= sheet.max_row:
        label = sheet.cell(row, LABEL_COLUMN).value
        value = sheet.cell(row, COST_COLUMN).value
        text = format_rupiah(value) if isinstance(value, int) else shown.get(value, value)
        if sheet.cell(row, 1).value == "NO":
            row += 2
            continue
        if isinstance(label, str) and TOTAL_LABEL.match(label):
            totals.append((label, text))
            if label == str(GRAND_TOTAL):
                break
        else:
            costs.append(text)
        row += 1
    return totals, costs


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [5, 31])
def test_the_page_the_xlsx_and_the_pdf_print_the_same_section_labels_and_cost_texts(
    client: Client, tmp_path: Path, seed: int
) -> None:
    plan, tree = stored_plan(seed)
    labels, costs = expected(tree)
    assert any(goal.is_headerless for goal in tree.goals)
    assert {"", "-"} <= set(costs) and any(text.startswith("Rp ") for text in costs)

    assert page_texts(client, plan) == (labels, costs)
    assert xlsx_texts(export_plan(plan, "xlsx", tmp_path / "plan.xlsx")) == (labels, costs)

    data = export_plan(plan, "pdf", tmp_path / "plan.pdf").read_bytes()
    text = " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    position = 0
    for printed in [f"{label} {amount}" for label, amount in labels]:
        assert printed in text
    # every amount of a line, in printed order
    for amount in (cost for cost in costs if cost.startswith("Rp ")):
        found = text.find(amount, position)
        assert found >= 0, amount
        position = found + len(amount)
