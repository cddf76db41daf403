"""TOTP against the RFC 6238 test vectors, and the properties a login relies on."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.core import totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode("ascii")

# RFC 6238 appendix B, SHA-1 column (eight digits).
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]

secrets_ = st.binary(min_size=10, max_size=40).map(lambda raw: base64.b32encode(raw).decode().rstrip("="))
times = st.integers(min_value=100_000, max_value=2**34)


@pytest.mark.parametrize(("timestamp", "expected"), RFC_VECTORS)
def test_the_eight_digit_codes_are_the_rfc_6238_test_vectors(timestamp, expected):
    assert totp.code_at(RFC_SECRET, timestamp, digits=8) == expected


@pytest.mark.parametrize(("timestamp", "expected"), RFC_VECTORS)
def test_the_six_digit_code_is_the_last_six_digits_of_the_rfc_vector(timestamp, expected):
    assert totp.code_at(RFC_SECRET, timestamp) == expected[-6:]


def test_the_rfc_4226_hotp_vectors_hold():
    expected = [
        "755224",
        "287082",
        "359152",
        "969429",
        "338314",
        "254676",
        "287922",
        "162583",
        "399871",
        "520489",
    ]
    assert [totp.hotp(b"12345678901234567890", counter) for counter in range(10)] == expected


def test_a_generated_secret_is_160_bits_of_unpadded_base32_and_never_repeats():
    first, second = totp.generate_secret(), totp.generate_secret()
    assert len(first) == 32 and "=" not in first
    assert len(totp.decode_secret(first)) == 20
    assert first != second


def test_a_secret_shorter_than_80_bits_is_refused():
    with pytest.raises(ValueError):
        totp.generate_secret(9)


def test_a_secret_that_is_not_base32_is_an_invalid_secret():
    with pytest.raises(totp.InvalidSecretError):
        totp.decode_secret("not base32!")
    with pytest.raises(totp.InvalidSecretError):
        totp.decode_secret("")


def test_a_secret_typed_in_lower_case_with_spaces_decodes_to_the_same_key():
    spaced = " ".join(RFC_SECRET[i : i + 4] for i in range(0, len(RFC_SECRET), 4)).lower()
    assert totp.decode_secret(spaced) == b"12345678901234567890"


def test_verify_names_the_step_of_the_code_and_accepts_one_step_either_side():
    now = 1111111111
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        code = totp.code_at(RFC_SECRET, now + offset * 30)
        assert totp.verify(RFC_SECRET, code, now) == step + offset


def test_verify_refuses_a_code_two_steps_away():
    now = 1111111111
    assert totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, now - 60), now) is None
    assert totp.verify(RFC_SECRET, totp.code_at(RFC_SECRET, now + 60), now) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "050471\n0"])
def test_verify_refuses_anything_but_six_ascii_digits(typed):
    assert totp.verify(RFC_SECRET, typed, 1111111111) is None


def test_the_otpauth_uri_names_the_issuer_account_and_parameters():
    uri = totp.otpauth_uri(RFC_SECRET, "budi@kpu", "Renaksi KPU")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == "/Renaksi%20KPU%3Abudi%40kpu"
    query = parse_qs(parsed.query)
    assert query == {
        "secret": [RFC_SECRET],
        "issuer": ["Renaksi KPU"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


@given(secret=secrets_, timestamp=times)
def test_the_code_of_now_always_verifies_to_the_step_of_now(secret, timestamp):
    code = totp.code_at(secret, timestamp)
    assert len(code) == 6 and code.isdigit()
    step = totp.verify(secret, code, timestamp)
    # Another step in the window may share the code by chance; the earliest match is named.
    assert step is not None and abs(step - totp.step_at(timestamp)) <= 1
    assert totp.code_at(secret, step * 30) == code


@given(secret=secrets_, timestamp=times)
def test_the_code_is_the_same_through_one_thirty_second_step(secret, timestamp):
    start = timestamp - timestamp % 30
    assert totp.code_at(secret, start) == totp.code_at(secret, start + 29.999)


@given(secret=secrets_, timestamp=times, drift=st.integers(min_value=2, max_value=1000))
def test_a_code_from_more_than_one_step_away_verifies_only_by_coincidence(secret, timestamp, drift):
    code = totp.code_at(secret, timestamp - drift * 30)
    step = totp.verify(secret, code, timestamp)
    if step is not None:  # a one-in-a-million collision of codes, never of steps
        assert totp.code_at(secret, step * 30) == code
        assert abs(step - totp.step_at(timestamp)) <= 1
