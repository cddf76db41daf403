"""Fixtures of the management tests; the personas live in :mod:`manage_support`."""

from __future__ import annotations

import pytest
from manage_support import People


@pytest.fixture
def people(db) -> People:
    return People()
