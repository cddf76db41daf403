"""Fixtures for every test.

``client`` is a browser session of a site admin, who may read every agency: the page and download
tests are about what pages show, not about who may see them. What each role may see is tested
with clients of their own (``tests/accounts``), and the anonymous visitor with
``anonymous_client``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def client(db, django_user_model) -> Client:
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@example.invalid", "kata-sandi-admin-123"
    )
    browser = Client()
    browser.force_login(admin)
    return browser


@pytest.fixture
def csrf_client(client: Client) -> Client:
    """The site admin's session with CSRF checks on, as a real browser meets them."""
    client.handler.enforce_csrf_checks = True
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Tests create many users; PBKDF2's deliberate slowness (about 0.1 s a password) is a cost
    for attackers, not something a test checks. Production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language(settings) -> Iterator[None]:
    """Each test starts in Indonesian. A request to an /en/ page leaves English active in the
    thread after it, and reverse() in a later test would then build /en/ URLs."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
