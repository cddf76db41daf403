"""English is available for every UI string: the catalog is complete, and the compiled .mo file
the server reads says what the .po file says."""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "renaksi" / "locale" / "en" / "LC_MESSAGES"


def entries(folder: Path = LOCALE) -> list[dict[str, object]]:
    """The entries of the .po file: msgid, msgid_plural, msgstr / msgstr[n] and flags."""
    found: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for raw in (folder / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
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


# CI installs gettext and sets RENAKSI_REQUIRE_GETTEXT=1, so there a missing xgettext fails the
# run instead of skipping the check.
_XGETTEXT = shutil.which("xgettext")
if _XGETTEXT is None and os.environ.get("RENAKSI_REQUIRE_GETTEXT") == "1":
    raise RuntimeError("RENAKSI_REQUIRE_GETTEXT=1 but xgettext (gettext) is not installed")


@pytest.mark.skipif(_XGETTEXT is None, reason="xgettext (Debian package gettext) is not installed")
def test_the_catalog_holds_exactly_the_messages_of_the_source(tmp_path: Path) -> None:
    """A message changed in the code but not in the catalog shows in Indonesian on English pages
    (it happened: a file-encoding error). Django's makemessages, run on a copy of the source,
    must find exactly the catalog's messages."""
    package = LOCALE.parents[2]
    copy = tmp_path / "renaksi"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "renaksi.settings"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    source = {(entry.get("msgctxt"), entry["msgid"]) for entry in entries()}
    made = {(entry.get("msgctxt"), entry["msgid"]) for entry in entries(copy / "locale/en/LC_MESSAGES")}
    assert made - source == set(), "messages in the code missing from the catalog"
    assert source - made == set(), "messages in the catalog no longer in the code"
