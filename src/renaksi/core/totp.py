"""Time-based one-time passwords (RFC 6238 over RFC 4226), as authenticator apps make them.

Pure functions, no Django: SHA-1, 6 digits, 30-second steps, codes accepted one step either side
of now (a phone's clock a little off, a code typed as it changed). A secret travels as unpadded
base32, the form authenticator apps accept typed or in an ``otpauth://`` URI.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

__all__ = [
    "DIGITS",
    "STEP_SECONDS",
    "InvalidSecretError",
    "code_at",
    "decode_secret",
    "generate_secret",
    "hotp",
    "otpauth_uri",
    "step_at",
    "verify",
]

DIGITS = 6
STEP_SECONDS = 30
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA-1


class InvalidSecretError(ValueError):
    """The secret is not base32."""


def generate_secret(num_bytes: int = SECRET_BYTES) -> str:
    """A new random secret, base32 without padding (32 characters for 20 bytes)."""
    if num_bytes < 10:
        raise ValueError("a TOTP secret needs at least 80 bits")
    return base64.b32encode(secrets.token_bytes(num_bytes)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces, dashes and lower case (as typed) are accepted."""
    cleaned = secret.replace(" ", "").replace("-", "").upper()
    if not cleaned:
        raise InvalidSecretError("empty secret")
    try:
        return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except (binascii.Error, ValueError) as error:
        raise InvalidSecretError(str(error)) from None


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 HOTP of ``counter`` with HMAC-SHA-1, zero-padded to ``digits``."""
    if counter < 0:
        raise ValueError("the counter is never negative")
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(timestamp: float, step_seconds: int = STEP_SECONDS) -> int:
    """The time step (counter) that ``timestamp`` (Unix seconds) falls in."""
    return int(timestamp // step_seconds)


def code_at(secret: str, timestamp: float, digits: int = DIGITS, step_seconds: int = STEP_SECONDS) -> str:
    """The code an authenticator shows at ``timestamp`` for the base32 ``secret``."""
    return hotp(decode_secret(secret), step_at(timestamp, step_seconds), digits)


def verify(
    secret: str,
    code: str,
    timestamp: float,
    window: int = 1,
    digits: int = DIGITS,
    step_seconds: int = STEP_SECONDS,
) -> int | None:
    """The time step whose code ``code`` is, searched ``window`` steps either side of
    ``timestamp``; ``None`` when none matches. The caller refuses a step it already accepted
    (a code is good once)."""
    typed = code.replace(" ", "")
    if len(typed) != digits or not typed.isascii() or not typed.isdigit():
        return None
    key = decode_secret(secret)
    now = step_at(timestamp, step_seconds)
    # Compare every candidate (no early exit) in constant time, so timing says nothing.
    found: int | None = None
    for step in range(now - window, now + window + 1):
        if step >= 0 and hmac.compare_digest(hotp(key, step, digits), typed) and found is None:
            found = step
    return found


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://totp/`` URI authenticator apps import (Google Authenticator key format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": str(DIGITS),
            "period": str(STEP_SECONDS),
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
