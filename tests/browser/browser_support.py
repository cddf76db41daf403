"""What every browser test needs: Debian's chromium (required where CI says so) and the marks of a
test against the live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")

# CI installs chromium and sets RENAKSI_REQUIRE_BROWSER=1, so there a missing browser fails the
# run instead of skipping the test.
if not CHROMIUM.exists() and os.environ.get("RENAKSI_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"RENAKSI_REQUIRE_BROWSER=1 but there is no chromium at {CHROMIUM}")

BROWSER_TEST = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"the browser tests need Debian's chromium at {CHROMIUM}"
    ),
    # The live server reads what the test wrote, so the data is committed; the seeded agencies
    # are put back afterwards for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@contextmanager
def launched() -> Iterator[Browser]:
    """Chromium, headless; start it once the test's data is written (no database calls while
    Playwright runs)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()
