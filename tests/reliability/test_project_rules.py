"""The project's own rules, read from the source: no float in money code, no unscoped query of
agency data, no ``mark_safe`` (or ``|safe``) on anything. Each rule's checker is itself tested
on a snippet that breaks it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

from renaksi.access import AgencyManager

SRC = Path(__file__).resolve().parents[2] / "src" / "renaksi"
# Where amounts are read, summed and written: integer Rupiah only.
MONEY_CODE = ("core/money.py", "core/table.py", "core/amount_units.py")


def python_files() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


# -- no float in money code ---------------------------------------------------------------------


def float_uses(source: str) -> list[str]:
    """Each place the code makes or names a float: ``float``, a float literal, true division."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name) and node.id == "float":
            found.append(f"line {node.lineno}: float")
        elif isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"line {node.lineno}: float literal {node.value!r}")
        elif isinstance(node, ast.BinOp | ast.AugAssign) and isinstance(node.op, ast.Div):
            found.append(f"line {node.lineno}: true division (/) gives a float; use //")
        elif isinstance(node, ast.Attribute) and node.attr in {"fsum", "isclose"}:
            found.append(f"line {node.lineno}: math.{node.attr}")
    return found


def test_the_float_checker_finds_every_way_of_making_a_float() -> None:
    snippet = "a = float(x)\nb = 1.5\nc = x / 2\nd: float = 0\ne = x // 2\n"
    assert sorted(f.split(":")[0] for f in float_uses(snippet)) == ["line 1", "line 2", "line 3", "line 4"]


@pytest.mark.parametrize("name", MONEY_CODE)
def test_money_code_never_uses_a_float(name: str) -> None:
    assert float_uses((SRC / name).read_text(encoding="utf-8")) == []


# -- no unscoped query of agency data --------------------------------------------------------------

# The first call on ``Model.objects`` that says whose data it reads, or writes without reading.
SCOPED_STARTS = frozenset({"system", "of_plan", "create", "bulk_create"})
# A queryset handed to a scope (``scope.filter(qs, ...)``, ``request_scope(request).get(qs, ...)``)
# is narrowed by it; access.py's own ``._scoped(reason)`` marks it.
SCOPE_CALLS = frozenset({"filter", "get"})
SCOPE_HOLDERS = frozenset({"scope", "self", "request_scope", "scope_for"})


def agency_models() -> set[str]:
    return {
        model.__name__ for model in apps.get_models() if isinstance(model._default_manager, AgencyManager)
    }


def _holder(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return _holder(node.func)
    return None


def unscoped_queries(source: str, models: set[str]) -> list[str]:
    tree = ast.parse(source)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)):
            continue
        if node.value.attr != "objects" or node.attr in SCOPED_STARTS:
            continue
        base = node.value.value
        model = (
            base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
        )
        if model not in models:
            continue
        ancestor: ast.AST | None = parents.get(node)
        scoped = False
        while ancestor is not None and not scoped:
            if isinstance(ancestor, ast.Attribute) and ancestor.attr == "_scoped":
                scoped = True
            elif isinstance(ancestor, ast.Call) and isinstance(ancestor.func, ast.Attribute):
                scoped = ancestor.func.attr in SCOPE_CALLS and _holder(ancestor.func.value) in SCOPE_HOLDERS
            ancestor = parents.get(ancestor)
        if not scoped:
            found.append(f"line {node.lineno}: {model}.objects.{node.attr}")
    return found


def test_the_scope_checker_finds_a_query_that_says_not_whose_data_it_reads() -> None:
    snippet = (
        "a = Plan.objects.filter(year=2024)\n"
        "b = m.SubActivity.objects.all()\n"
        "c = Plan.objects.system('the operator').filter(year=2024)\n"
        "d = scope.filter(Plan.objects.select_related('agency'), 'agency_id')\n"
        "e = request_scope(request).get(Plan.objects.all(), 'agency_id', pk=1)\n"
        "f = Agency.objects.filter(code='x')\n"
        "g = Plan.objects.of_plan(plan)\n"
        "h = other.filter(Plan.objects.all())\n"
    )
    assert unscoped_queries(snippet, {"Plan", "SubActivity"}) == [
        "line 1: Plan.objects.filter",
        "line 2: SubActivity.objects.all",
        "line 8: Plan.objects.all",
    ]


def test_no_module_queries_agency_data_without_a_scope() -> None:
    models = agency_models()
    assert {"Plan", "SubActivity", "HistoryEvent"} <= models
    found = [
        f"{path.relative_to(SRC)} {where}"
        for path in python_files()
        for where in unscoped_queries(path.read_text(encoding="utf-8"), models)
    ]
    assert found == []


# -- no mark_safe on user text ---------------------------------------------------------------------

_SAFE_FILTER_RE = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off")


def safe_markings(source: str) -> list[str]:
    """``mark_safe``/``SafeString(...)`` calls and ``format_html`` without arguments (which is
    ``mark_safe`` in disguise)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in {"mark_safe", "SafeString", "SafeText"} or (name == "format_html" and len(node.args) < 2):
            found.append(f"line {node.lineno}: {name}")
    return found


def test_the_safe_checker_finds_mark_safe_in_every_disguise() -> None:
    snippet = "a = mark_safe(x)\nb = html.mark_safe(x)\nc = SafeString(x)\nd = format_html(x)\ne = format_html('{}', x)\n"
    assert len(safe_markings(snippet)) == 4
    assert _SAFE_FILTER_RE.search("{{ line.remarks|safe }}") and _SAFE_FILTER_RE.search(
        "{% autoescape off %}"
    )


def test_no_code_marks_text_safe() -> None:
    found = [
        f"{path.relative_to(SRC)} {where}"
        for path in python_files()
        for where in safe_markings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_no_template_turns_escaping_off() -> None:
    found = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*"))
        if path.suffix in {".html", ".txt", ".xml", ".svg"}
        and _SAFE_FILTER_RE.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
