"""Renaksi's open data format: a plan as canonical JSON and as a flat CSV.

Canonical means: the same plan gives the same bytes. Keys are sorted, order is the printed order,
there are no timestamps or database ids, and import positions (source lines) are left out.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from renaksi.core.budget_codes import BudgetCodeError, parse_budget_code
from renaksi.core.messages import MessageError, gettext_noop, msg, reason_of
from renaksi.core.money import MAX_AMOUNT
from renaksi.core.plan_tree import CostState, Goal, Indicator, Line, PlanTree, Polarity, ProgramGoal
from renaksi.core.schedule import Schedule
from renaksi.core.text import csv_line, csv_safe

FORMAT_NAME = "renaksi-plan"
FORMAT_VERSION = 1


class CanonicalFormatError(MessageError):
    """A JSON document that is not a Renaksi plan; the message names the path of the bad field."""


def tree_to_dict(tree: PlanTree, *, agency: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "agency": agency or {},
        "plan": {
            "year": tree.year,
            "title": tree.title,
            "signing_unit": tree.signing_unit,
            "agency_label": tree.agency_label,
        },
        "goals": [
            {
                "number": goal.number,
                "text": goal.text,
                "program_goals": [
                    {
                        "text": pg.text,
                        "needs_review": pg.needs_review,
                        "review_note": pg.review_note,
                        "indicators": [_indicator_dict(ind) for ind in pg.indicators],
                    }
                    for pg in goal.program_goals
                ],
            }
            for goal in tree.goals
        ],
    }


def _indicator_dict(indicator: Indicator) -> dict[str, Any]:
    return {
        "text": indicator.text,
        "target": indicator.target,
        "polarity": indicator.polarity.value,
        "quarter_targets": {str(q): t for q, t in sorted(indicator.quarter_targets.items())},
        "activities": list(indicator.activities),
        "lines": [
            {
                "name": line.name,
                "activity": line.activity,
                "months": list(line.months),
                "cost": line.cost,
                "cost_state": line.cost_state.value,
                "budget_code": line.budget_code,
                "remarks": line.remarks,
                "person_in_charge": line.person_in_charge,
            }
            for line in indicator.lines
        ],
    }


def dumps(tree: PlanTree, *, agency: dict[str, str] | None = None) -> str:
    return json.dumps(tree_to_dict(tree, agency=agency), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def is_canonical_json(data: bytes) -> bool:
    head = data[:4096].lstrip()
    return head.startswith(b"{") and FORMAT_NAME.encode() in data[:200_000]


# ``\u0000`` that is no escaped backslash followed by "u0000": a NUL, which PostgreSQL cannot
# keep in a text column (json.loads itself refuses a raw NUL, a control character).
_NUL_ESCAPE_RE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def loads(text: str) -> tuple[PlanTree, dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CanonicalFormatError(
            msg(
                gettext_noop("bukan JSON yang sah: baris {line}, kolom {column}: {reason}"),
                line=error.lineno,
                column=error.colno,
                reason=error.msg,
            )
        ) from None
    except RecursionError:
        # The parser recurses once per nested array or object: a plan needs 8 levels, Python's
        # stack about a thousand, and a hostile file nests 200,000.
        raise CanonicalFormatError(
            msg(gettext_noop("bukan JSON yang sah: larik atau objeknya bersarang terlalu dalam"))
        ) from None
    nul = _NUL_ESCAPE_RE.search(text) if "\\u0000" in text else None
    if nul is not None:
        at = nul.end() - len("\\u0000")
        line = text.count("\n", 0, at) + 1
        raise CanonicalFormatError(
            msg(
                gettext_noop(
                    "JSON ini berisi karakter NUL (\\u0000) di baris {line}, kolom {column}; hapus karakter itu"
                ),
                line=line,
                column=at - (text.rfind("\n", 0, at) + 1) + 1,
            )
        )
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise CanonicalFormatError(
            msg(
                gettext_noop("bukan dokumen {format} (isian 'format' tidak ada atau berbeda)"),
                format=FORMAT_NAME,
            )
        )
    if data.get("version") != FORMAT_VERSION:
        raise CanonicalFormatError(
            msg(
                gettext_noop("versi {version!r} tidak didukung; Renaksi ini membaca versi {supported}"),
                version=data.get("version"),
                supported=FORMAT_VERSION,
            )
        )
    try:
        plan = data["plan"]
        if plan["year"] is not None and (
            not isinstance(plan["year"], int) or not 1900 <= plan["year"] <= 2200
        ):
            raise CanonicalFormatError(
                msg(
                    gettext_noop("plan.year harus berupa tahun seperti 2023, bukan {value!r}"),
                    value=plan["year"],
                )
            )
        for gi, goal in enumerate(data["goals"]):
            if goal["number"] is not None and (
                not isinstance(goal["number"], str) or len(goal["number"]) > 16
            ):
                raise CanonicalFormatError(
                    msg(
                        gettext_noop("{path}.number harus berupa teks pendek seperti '1', bukan {value!r}"),
                        path=f"goals[{gi}]",
                        value=goal["number"],
                    )
                )
        tree = PlanTree(
            year=plan["year"],
            title=plan["title"],
            signing_unit=plan["signing_unit"],
            agency_label=plan["agency_label"],
        )
        for gi, goal in enumerate(data["goals"]):
            g = Goal(number=goal["number"], text=goal["text"])
            for pi, pg in enumerate(goal["program_goals"]):
                p = ProgramGoal(
                    text=pg["text"], needs_review=pg["needs_review"], review_note=pg["review_note"]
                )
                for ii, ind in enumerate(pg["indicators"]):
                    p.indicators.append(
                        _indicator_from(ind, f"goals[{gi}].program_goals[{pi}].indicators[{ii}]")
                    )
                g.program_goals.append(p)
            tree.goals.append(g)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, CanonicalFormatError):
            raise
        raise CanonicalFormatError(
            msg(gettext_noop("isian tidak ada atau salah bentuk: {reason}"), reason=reason_of(error))
        ) from None
    return tree, dict(data.get("agency") or {})


def _indicator_from(data: dict[str, Any], path: str) -> Indicator:
    indicator = Indicator(
        text=data["text"],
        target=data["target"],
        polarity=Polarity(data["polarity"]),
        quarter_targets=_quarters(data["quarter_targets"], path),
        activities=list(data["activities"]),
    )
    for li, line in enumerate(data["lines"]):
        cost = line["cost"]
        if cost is not None and (not isinstance(cost, int) or isinstance(cost, bool)):
            raise CanonicalFormatError(
                msg(
                    gettext_noop("{path}.cost harus berupa bilangan bulat Rupiah, bukan {value!r}"),
                    path=f"{path}.lines[{li}]",
                    value=cost,
                )
            )
        if cost is not None and not 0 <= cost <= MAX_AMOUNT:
            raise CanonicalFormatError(
                msg(
                    gettext_noop("{path}.cost {value} di luar rentang 0..{limit}"),
                    path=f"{path}.lines[{li}]",
                    value=cost,
                    limit=MAX_AMOUNT,
                )
            )
        code = line["budget_code"]
        if code:
            try:
                code = parse_budget_code(code).canonical
            except BudgetCodeError as error:
                raise CanonicalFormatError(
                    msg(
                        gettext_noop("{path}: {reason}"),
                        path=f"{path}.lines[{li}].budget_code",
                        reason=reason_of(error),
                    )
                ) from None
        try:
            indicator.lines.append(
                Line(
                    name=line["name"],
                    activity=line["activity"],
                    months=Schedule.from_months(line["months"]).months,
                    cost=cost,
                    cost_state=CostState(line["cost_state"]),
                    budget_code=code,
                    remarks=line["remarks"],
                    person_in_charge=line["person_in_charge"],
                )
            )
        except ValueError as error:
            raise CanonicalFormatError(
                msg(gettext_noop("{path}: {reason}"), path=f"{path}.lines[{li}]", reason=reason_of(error))
            ) from None
    return indicator


def _quarters(data: dict[str, str], path: str) -> dict[int, str]:
    quarters: dict[int, str] = {}
    for key, text in data.items():
        if key not in {"1", "2", "3", "4"} or not isinstance(text, str):
            raise CanonicalFormatError(
                msg(
                    gettext_noop(
                        "{path}.quarter_targets: triwulan {key!r} harus 1..4 dengan target berupa teks"
                    ),
                    path=path,
                    key=key,
                )
            )
        quarters[int(key)] = text
    return quarters


CSV_COLUMNS = [
    "row",
    "goal_number",
    "goal",
    "program_goal",
    "program_goal_needs_review",
    "indicator",
    "target",
    "activity",
    "line",
    "months",
    "cost",
    "cost_state",
    "budget_code",
    "remarks",
    "person_in_charge",
]


def to_csv(tree: PlanTree) -> str:
    """One row per printed table row, every value repeated (no merged cells): easy to filter and sum."""
    from renaksi.core.table import table_rows

    out = io.StringIO()
    out.write(csv_line(CSV_COLUMNS))

    def write(cells: list[object]) -> None:
        # csv_line, not csv.writer: a bare "\r" in a remark would end the row for most readers.
        out.write(csv_line([csv_safe(c) if isinstance(c, str) else c for c in cells]))

    for row in table_rows(tree):
        line = row.line
        write(
            [
                row.index + 1,
                row.goal.number or "",
                row.goal.text,
                row.program_goal.text,
                "1" if row.program_goal.needs_review else "0",
                row.indicator.text,
                row.indicator.target,
                row.activity,
                line.name if line else "",
                Schedule.from_months(line.months).to_text() if line else "",
                "" if line is None or line.cost is None else str(line.cost),
                line.cost_state.value if line else "",
                line.budget_code if line else "",
                line.remarks if line else "",
                line.person_in_charge if line else "",
            ]
        )
    return out.getvalue()
