"""Unit and property tests for renaksi.core.targets (DESIGN.md §3 and §6)."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from renaksi.core.targets import (
    Target,
    TargetError,
    TargetKind,
    format_target,
    is_target_like,
    parse_target,
)
from renaksi.core.text import normalize_space


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("97,5%", "97.5"),
        ("97.5 %", "97.5"),
        ("100%", "100"),
        ("4,92%", "4.92"),
        ("0%", "0"),
        ("97,5 persen", "97.5"),
    ],
)
def test_it_reads_percentages_with_a_decimal_comma_or_point(text, value):
    target = parse_target(text)
    assert target.kind is TargetKind.PERCENT
    assert target.value == Decimal(value)
    assert target.upper is None
    assert target.unit == "%"
    assert target.text == text


@pytest.mark.parametrize(
    ("text", "lower", "upper", "unit"),
    [
        ("80 - 90%", "80", "90", "%"),
        ("80%-90%", "80", "90", "%"),
        ("69,1-69,5", "69.1", "69.5", ""),
        ("80 s.d. 90%", "80", "90", "%"),
        ("80 s/d 90 %", "80", "90", "%"),
        ("80\u201390%", "80", "90", "%"),
        ("75 sampai dengan 80%", "75", "80", "%"),
        ("85-85%", "85", "85", "%"),
    ],
)
def test_it_reads_ranges(text, lower, upper, unit):
    target = parse_target(text)
    assert target.kind is TargetKind.RANGE
    assert (target.value, target.upper, target.unit) == (Decimal(lower), Decimal(upper), unit)


def test_a_range_running_backwards_is_kept_as_text():
    target = parse_target("90 - 80%")
    assert target.kind is TargetKind.TEXT
    assert target.value is None
    assert target.text == "90 - 80%"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("1 Rancangan", "1", "Rancangan"),
        ("2 Draft", "2", "Draft"),
        ("1 Dokumen", "1", "Dokumen"),
        ("1 Orang", "1", "Orang"),
        ("7 Satker", "7", "Satker"),
        ("6 Satker Kabupaten/Kota", "6", "Satker Kabupaten/Kota"),
        ("1.000 Orang", "1000", "Orang"),
        ("1,000 Orang", "1000", "Orang"),
        ("2,5 Km", "2.5", "Km"),
        ("1.000,5 Km", "1000.5", "Km"),
        ("12 Dok.", "12", "Dok."),
    ],
)
def test_it_reads_quantities_with_their_unit(text, value, unit):
    target = parse_target(text)
    assert target.kind is TargetKind.QUANTITY
    assert target.value == Decimal(value)
    assert target.upper is None
    assert target.unit == unit


@pytest.mark.parametrize(
    "text",
    [
        "Provinsi dan 6 Satker Kabupaten/Kota",
        "WTP",
        "Opini WTP",
        "1 a b c d",
        "1.000%",
        "0,125%",
        "\u2265 80%",
        "1 " + "Sangatpanjangsekali" * 3,
        "Rp 1.000.000",
        "-",
    ],
)
def test_anything_else_is_kept_verbatim_as_text(text):
    target = parse_target(text)
    assert target == Target(TargetKind.TEXT, None, None, "", text)


def test_it_keeps_the_source_text_stripped_but_otherwise_verbatim():
    target = parse_target("  1   Rancangan\u00a0")
    assert target.kind is TargetKind.QUANTITY
    assert target.unit == "Rancangan"
    assert target.text == "1   Rancangan"


@pytest.mark.parametrize("text", ["", "   ", "\u00a0\t"])
def test_it_rejects_an_empty_target(text):
    with pytest.raises(TargetError, match="kosong"):
        parse_target(text)


@pytest.mark.parametrize("text", ["97,5%", "80 - 90%", "69,1-69,5", "1 Rancangan", "7 Satker"])
def test_measurable_targets_are_target_like(text):
    assert is_target_like(text)


@pytest.mark.parametrize("text", ["", "WTP", "Provinsi dan 6 Satker Kabupaten/Kota", "Pengelolaan JDIH"])
def test_text_and_empty_cells_are_not_target_like(text):
    assert not is_target_like(text)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("97,5%", "97,5%"),
        ("97.5 %", "97,5%"),
        ("97,50%", "97,5%"),
        ("100%", "100%"),
        ("4,92%", "4,92%"),
        ("80 - 90%", "80\u201390%"),
        ("69,1-69,5", "69,1\u201369,5"),
        ("1 Rancangan", "1 Rancangan"),
        ("1,000 Orang", "1.000 Orang"),
        ("Provinsi dan 6 Satker Kabupaten/Kota", "Provinsi dan 6 Satker Kabupaten/Kota"),
    ],
)
def test_it_formats_targets_in_canonical_indonesian_form(text, canonical):
    assert format_target(parse_target(text)) == canonical


@pytest.mark.parametrize(
    "fields",
    [
        (TargetKind.TEXT, Decimal(1), None, "", "x"),
        (TargetKind.PERCENT, None, None, "%", "x"),
        (TargetKind.PERCENT, Decimal(5), None, "", "x"),
        (TargetKind.PERCENT, Decimal(5), Decimal(6), "%", "x"),
        (TargetKind.RANGE, Decimal(9), Decimal(8), "%", "x"),
        (TargetKind.RANGE, Decimal(9), None, "%", "x"),
        (TargetKind.QUANTITY, Decimal(1), None, "", "x"),
        (TargetKind.PERCENT, Decimal("NaN"), None, "%", "x"),
    ],
)
def test_it_refuses_to_build_inconsistent_targets(fields):
    with pytest.raises(TargetError):
        Target(*fields)


def test_target_kinds_are_strings_for_storage():
    assert TargetKind("percent") is TargetKind.PERCENT
    assert TargetKind.QUANTITY == "quantity"


_values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
_unit_words = st.from_regex(r"[A-Za-z][A-Za-z/.\-]{0,9}", fullmatch=True)
_units = (
    st.lists(_unit_words, min_size=1, max_size=3)
    .map(" ".join)
    .filter(lambda u: len(u) <= 40 and u.casefold() != "persen")
)


def _same_reading(a: Target, b: Target) -> bool:
    return (a.kind, a.value, a.upper, a.unit) == (b.kind, b.value, b.upper, b.unit)


@given(_values)
def test_formatted_percentages_read_back(value):
    target = Target(TargetKind.PERCENT, value, None, "%", "")
    assert _same_reading(parse_target(format_target(target)), target)


@given(_values, _values, st.sampled_from(["%", ""]))
def test_formatted_ranges_read_back(a, b, unit):
    target = Target(TargetKind.RANGE, min(a, b), max(a, b), unit, "")
    assert _same_reading(parse_target(format_target(target)), target)


@given(_values, _units)
def test_formatted_quantities_read_back(value, unit):
    target = Target(TargetKind.QUANTITY, value, None, unit, "")
    assert _same_reading(parse_target(format_target(target)), target)


@given(st.text())
def test_parsing_arbitrary_text_raises_only_target_error_and_only_when_empty(text):
    try:
        target = parse_target(text)
    except TargetError:
        assert normalize_space(text) == ""
        return
    assert target.text == text.strip()


@given(st.one_of(st.text(), st.text(alphabet="0123456789.,% -\u2013sd/ OrangKm")))
def test_every_reading_survives_a_format_round_trip(text):
    assume(normalize_space(text))
    target = parse_target(text)
    assert _same_reading(parse_target(format_target(target)), target)
    if target.kind is TargetKind.RANGE:
        assert target.value is not None and target.upper is not None and target.value <= target.upper


@given(st.text())
def test_is_target_like_never_raises(text):
    assert isinstance(is_target_like(text), bool)
