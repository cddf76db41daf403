"""The official Rencana Aksi table as a PDF: A4 landscape, typeset by Typst.

Python shapes the rows of :func:`renaksi.core.table.table_rows` and the figures of
:func:`renaksi.core.table.plan_totals` into one JSON document; the static template
``templates/plan.typ`` lays it out. The JSON reaches Typst through ``sys.inputs``, so plan text is
only ever a string value there: ``#import``, ``$x$``, ``*bold*`` or ``<script>`` in a cell is printed
as written and never read as Typst markup.

The renderer is self-contained: it uses only the fonts compiled into the ``typst`` wheel (system
fonts are ignored, so a fresh machine renders the same pages), the template imports nothing, reads
no file and loads no package, and the project root is the template folder.

A plan of more than :data:`~renaksi.exports.pdf_parts.PART_ROWS` rows is typeset in parts and
joined (:mod:`renaksi.exports.pdf_parts`), so that memory stays bounded whatever its size.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typst

from renaksi.core.money import format_rupiah
from renaksi.core.plan_tree import PlanTree
from renaksi.core.table import (
    COLUMN_SCHEDULE,
    GRAND_TOTAL,
    LEADING_COLUMNS,
    TableRow,
    cost_text,
    goal_subtotal_label,
    names_persons_in_charge,
    plan_title,
    plan_totals,
    table_rows,
    trailing_columns,
)
from renaksi.core.table import HEADERLESS_GOAL as _HEADERLESS_GOAL
from renaksi.exports.files import atomic_path
from renaksi.exports.meta import ExportMeta
from renaksi.exports.pdf_parts import (
    PART_CHARS,
    PART_ROWS,
    footer_document,
    join_parts,
    page_count,
    split_document,
    typeset_apart,
)

__all__ = ["PDF_CELL_CHARS", "TEMPLATE", "plan_document", "plan_pdf_bytes", "render_plan_pdf"]

TEMPLATE = Path(__file__).resolve().parent / "templates" / "plan.typ"

# The shared labels (renaksi.core.table), in Indonesian: the PDF is the official document.
HEADERLESS_GOAL = str(_HEADERLESS_GOAL)
GRAND_TOTAL_LABEL = str(GRAND_TOTAL)
#: The most characters of one cell the PDF prints (about 25 pages of the KET column); Typst's memory
#: grows with the text it lays out, about 1.5 kB a character. A longer text is cut with a marker.
PDF_CELL_CHARS = 20_000
#: A row holding a text this long may break across pages (other rows never do): it could be
#: taller than a page, and an unbreakable row taller than a page runs off its bottom unseen.
LONG_ROW_CHARS = 600


def render_plan_pdf(tree: PlanTree, target: Path, meta: ExportMeta) -> None:
    """Write the plan's PDF to ``target``; a failure at any point leaves ``target`` as it was."""
    data = plan_pdf_bytes(tree, meta)
    with atomic_path(Path(target)) as partial, open(partial, "wb") as handle:
        handle.write(data)


def plan_pdf_bytes(
    tree: PlanTree, meta: ExportMeta, *, part_rows: int = PART_ROWS, part_chars: int = PART_CHARS
) -> bytes:
    """The plan's PDF; typeset in parts of at most ``part_rows`` table rows and ``part_chars``
    characters of text when it has more."""
    document = plan_document(tree, meta)
    parts = split_document(document, part_rows, part_chars)
    if len(parts) == 1:
        return _typeset(document)
    bodies = [typeset_apart(part) for part in parts]  # each in a process of its own
    footers = typeset_apart(footer_document(document, sum(map(page_count, bodies))))
    return join_parts(bodies, footers)


def _typeset(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return typst.compile(
        TEMPLATE,
        root=TEMPLATE.parent,
        format="pdf",
        sys_inputs={"plan": text},
        font_paths=[],
        ignore_system_fonts=True,
    )


def plan_document(tree: PlanTree, meta: ExportMeta) -> dict[str, Any]:
    """Everything the template prints, as plain JSON values; all text is pre-formatted here.

    A body row is ``{"lead": [[text, rowspan], ...], "months": [12 booleans], "tail": [texts]}``:
    ``lead`` holds only the cells that start on this row (a merged cell appears once, on its first
    row, with the number of rows it covers), exactly as :func:`table_rows` spans them.
    """
    rows = table_rows(tree)
    totals = plan_totals(tree)
    show_pic = names_persons_in_charge(rows)
    trailing = trailing_columns(pic=show_pic)

    rows_by_goal: dict[int, list[TableRow]] = {}
    for row in rows:
        rows_by_goal.setdefault(id(row.goal), []).append(row)
    sections = []
    for goal, total in totals.by_goal:
        label = str(goal_subtotal_label(goal))
        sections.append(
            {
                "rows": [_body_row(row, show_pic) for row in rows_by_goal.get(id(goal), [])],
                "subtotal_label": label,
                "subtotal": format_rupiah(total),
            }
        )

    signature = meta.signature
    date = signature.date
    return {
        "title": [
            plan_title(tree.title, tree.year) or "RENCANA AKSI",
            tree.signing_unit,
            tree.agency_label or meta.agency_name,
        ],
        "document_title": " ".join(
            part for part in (tree.title or "Rencana Aksi", tree.signing_unit, meta.agency_name) if part
        ),
        "author": meta.agency_name,
        # The document's date is the signing date, never the clock, so the same plan gives the
        # same bytes.
        "date": [date.year, date.month, date.day] if date is not None else None,
        "leading_columns": list(LEADING_COLUMNS),
        "schedule_label": COLUMN_SCHEDULE,
        "trailing_columns": trailing,
        "sections": sections,
        "grand_total_label": GRAND_TOTAL_LABEL,
        "grand_total": format_rupiah(totals.grand_total),
        "signature": {
            "place_and_date": signature.place_and_date,
            "title": signature.title,
            "name": signature.name,
            "nip": f"NIP. {signature.nip}" if signature.nip else "",
        },
        "approval": meta.approval,
    }


def _body_row(row: TableRow, show_pic: bool) -> dict[str, Any]:
    goal, line = row.goal, row.line
    lead: list[list[str | int]] = []
    if row.goal_span:
        if goal.is_headerless:
            lead += [["", row.goal_span], [HEADERLESS_GOAL, row.goal_span]]
        else:
            lead += [[goal.number or "", row.goal_span], [goal.text, row.goal_span]]
    if row.program_goal_span:
        lead.append([row.program_goal.text, row.program_goal_span])
    if row.indicator_span:
        lead += [[row.indicator.text, row.indicator_span], [row.indicator.target, row.indicator_span]]
    if row.activity_span:
        lead.append([row.activity, row.activity_span])
    lead.append([line.name if line else "", 1])
    tail = [cost_text(line), line.budget_code if line else "", line.remarks if line else ""]
    if show_pic:
        tail.append(line.person_in_charge if line else "")
    body: dict[str, Any] = {"lead": lead, "months": list(row.months), "tail": tail}
    longest = max(len(str(text)) for text, _span in lead)
    longest = max(longest, *map(len, tail))
    if longest > LONG_ROW_CHARS:
        body["breakable"] = True
        if longest > PDF_CELL_CHARS:
            body["lead"] = [[_printable(str(text)), span] for text, span in lead]
            body["tail"] = [_printable(text) for text in tail]
    return body


def _printable(text: str) -> str:
    """The text, or its first :data:`PDF_CELL_CHARS` characters and a marker saying it is cut."""
    if len(text) <= PDF_CELL_CHARS:
        return text
    whole = f"{len(text):,}".replace(",", ".")
    return f"{text[:PDF_CELL_CHARS]} … [dipotong di PDF: teks lengkap {whole} karakter ada di ekspor XLSX dan JSON]"
