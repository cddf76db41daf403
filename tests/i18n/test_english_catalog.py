"""English is available for every UI string: the catalog is complete, and the compiled .mo file
the server reads says what the .po file says."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "src" / "renaksi" / "locale" / "en" / "LC_MESSAGES"


def entries() -> list[dict[str, object]]:
    """The entries of the .po file: msgid, msgid_plural, msgstr / msgstr[n] and flags."""
    found: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for raw in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current:
                found.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line[2:].split(",")
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current[key]) + ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return [entry for entry in found if entry.get("msgid")]


def test_every_message_has_an_english_translation_and_none_is_a_guess() -> None:
    catalog = entries()
    assert len(catalog) > 300
    untranslated = [
        entry["msgid"]
        for entry in catalog
        if not (entry.get("msgstr") or all(entry.get(f"msgstr[{n}]") for n in (0, 1)))
    ]
    guessed = [entry["msgid"] for entry in catalog if " fuzzy" in entry.get("flags", [])]
    assert untranslated == [] and guessed == []


def test_the_compiled_catalog_matches_the_source() -> None:
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries():
        if "msgid_plural" in entry:
            continue
        if "msgctxt" in entry:
            found = compiled.pgettext(str(entry["msgctxt"]), str(entry["msgid"]))
        else:
            found = compiled.gettext(str(entry["msgid"]))
        assert found == entry["msgstr"], entry["msgid"]
