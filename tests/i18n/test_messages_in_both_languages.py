"""Every message the core and the readers say to people (judgements, refusals, lint findings,
reader notes: each a ``gettext_noop`` msgid with ``{named}`` places) renders in Indonesian and
in English, and the catalog's English names exactly the places its Indonesian does."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from django.utils import translation
from test_english_catalog import entries

from renaksi.core.messages import Message, msg, placeholders

SOURCE = Path(__file__).resolve().parents[2] / "src" / "renaksi"


def marked_messages() -> dict[str, str]:
    """Each ``gettext_noop("...")`` literal in the source, with where it is (``core/money.py:71``)."""
    found: dict[str, str] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name != "gettext_noop":
                continue
            argument = node.args[0]
            # makemessages reads plain literals only: an f-string or a variable is never in the catalog.
            assert isinstance(argument, ast.Constant) and isinstance(argument.value, str), (
                f"{path.relative_to(SOURCE)}:{node.lineno}: gettext_noop needs a plain string literal"
            )
            found.setdefault(argument.value, f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


MESSAGES = marked_messages()
CATALOG = {str(entry["msgid"]): entry for entry in entries() if "msgctxt" not in entry}


def brace_places(text: str) -> set[str] | None:
    """The ``{named}`` places of a text, None when it is no brace format at all."""
    try:
        return placeholders(text)
    except ValueError:
        return None


def test_the_source_marks_messages_of_the_core_readers_and_lint() -> None:
    where = set(MESSAGES.values())
    for module in ("core/money.py", "core/budget_codes.py", "core/lint.py", "imports/readers.py"):
        assert any(place.startswith(module) for place in where), module
    assert len(MESSAGES) > 150


def test_every_brace_format_entry_has_english_with_exactly_its_places() -> None:
    checked = 0
    for msgid, entry in CATALOG.items():
        flagged = "python-brace-format" in entry.get("flags", [])
        if not flagged and msgid not in MESSAGES:
            continue
        places = brace_places(msgid)
        if not places:
            continue
        english = str(entry.get("msgstr", ""))
        assert english, f"no English for {msgid!r}"
        assert brace_places(english) == places, f"{msgid!r} -> {english!r}"
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("template", sorted(MESSAGES), ids=lambda template: MESSAGES[template])
def test_each_message_renders_in_indonesian_and_in_english(template: str) -> None:
    assert template in CATALOG, f"{template!r} ({MESSAGES[template]}) is not in the catalog"
    english = str(CATALOG[template].get("msgstr", ""))
    assert english, f"{template!r} has no English"
    values: dict[str, object] = {name: f"<{name}>" for name in placeholders(template)}
    # A number written {count:,} is grouped the language's way: 1.234.567 and 1,234,567.
    grouped = {name for _, name, spec, _ in string.Formatter().parse(template) if name and spec == ","}
    values.update({name: 1_234_567 for name in grouped})
    shown = {name: "1,234,567" if name in grouped else value for name, value in values.items()}
    plain = {name: "1.234.567" if name in grouped else value for name, value in values.items()}
    message = msg(template, **values)
    # Indonesian by default, every value in place
    assert str(message) == template.replace(":,}", "}").format(**plain)
    with translation.override("en"):
        rendered = message.render(translation.gettext)
    # not the Indonesian fallback of a broken entry
    assert rendered == english.replace(":,}", "}").format(**shown)
    for value in shown.values():
        assert str(value) in rendered


def test_a_nested_reason_speaks_the_language_of_the_message_holding_it() -> None:
    reason = msg("kode akun kosong")
    outer = msg("AKUN berisi {text!r}, yang bukan kode akun: {reason}", text="3358.", reason=reason)
    assert isinstance(outer.params["reason"], Message)
    assert str(outer) == "AKUN berisi '3358.', yang bukan kode akun: kode akun kosong"
    with translation.override("en"):
        assert (
            outer.render(translation.gettext)
            == "AKUN holds '3358.', which is not a budget code: empty budget code"
        )
