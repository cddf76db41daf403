"""Unit and property tests for renaksi.core.money (DESIGN.md §3 and §6)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renaksi.core.money import (
    MAX_AMOUNT,
    MoneyError,
    format_number_id,
    format_rupiah,
    is_money_like,
    parse_rupiah,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Rp 8.378.000", 8_378_000),
        ("Rp8.378.000", 8_378_000),
        ("Rp.100.000", 100_000),
        ("Rp. 100.000", 100_000),
        ("IDR 5.000", 5_000),
        ("8,378,000", 8_378_000),
        ("8.378.000", 8_378_000),
        ("8378000", 8_378_000),
        ("Rp500.000,00", 500_000),
        ("8,378,000.00", 8_378_000),
        ("Rp 1.000,-", 1_000),
        ("Rp 30,760,000", 30_760_000),
        ("Rp 3.083.386.000", 3_083_386_000),
        ("Rp 10.060.818.000", 10_060_818_000),
        ("Rp 0", 0),
        ("rp 5.000", 5_000),
        ("RP5.000", 5_000),
    ],
)
def test_it_reads_every_documented_amount_format(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize("text", ["", "   ", "\t", "-", "\u2013", "\u2014", " - ", "Rp -", "Rp\u00a0-"])
def test_it_reads_empty_cells_and_dashes_as_no_cost(text):
    assert parse_rupiah(text) is None


def test_it_accepts_no_break_and_thin_spaces_around_the_amount():
    assert parse_rupiah("Rp\u00a08.378.000") == 8_378_000
    assert parse_rupiah("\u2009Rp\u202f8.378.000\u00a0") == 8_378_000


@pytest.mark.parametrize("text", ["-Rp 5.000", "Rp -5.000", "-5.000", "- Rp 5.000", "\u2212Rp 5.000"])
def test_it_reads_a_leading_minus_as_a_negative_amount(text):
    assert parse_rupiah(text) == -5_000


@pytest.mark.parametrize("text", ["1.500", "1,500"])
def test_it_reads_a_single_separator_before_three_digits_as_thousands(text):
    assert parse_rupiah(text) == 1_500


@pytest.mark.parametrize("text", ["500,00", "500.00", "1.000,0", "8378000.00"])
def test_it_accepts_a_decimal_part_of_zeros(text):
    assert parse_rupiah(text) in {500, 1_000, 8_378_000}


@pytest.mark.parametrize("text", ["1.5", "1,5"])
def test_it_rejects_ambiguous_amount(text):
    with pytest.raises(MoneyError, match="bermakna ganda.*tanda desimal atau pemisah ribuan"):
        parse_rupiah(text)


def test_it_rejects_thousands_groups_of_the_wrong_length():
    with pytest.raises(MoneyError, match="'37'.*tepat 3"):
        parse_rupiah("8.37.800")


def test_it_rejects_a_first_group_longer_than_three_digits():
    with pytest.raises(MoneyError, match="kelompok pertama '1234'"):
        parse_rupiah("1234.567")


def test_it_rejects_mixed_grouping():
    with pytest.raises(MoneyError, match="mencampur '.' dan ','"):
        parse_rupiah("8.378,000")
    with pytest.raises(MoneyError, match="mencampur"):
        parse_rupiah("1,000.000,00")


@pytest.mark.parametrize("text", ["Rp500.000,50", "1.000,5", "8,378,000.25", "1.50"])
def test_it_rejects_non_zero_cents_because_rupiah_is_whole(text):
    with pytest.raises(MoneyError, match="sen yang bukan nol"):
        parse_rupiah(text)


@pytest.mark.parametrize("text", ["Rp1.5 jt", "2 juta", "5 M", "10rb", "Rp 2 Miliar", "500 ribu", "50k"])
def test_it_refuses_abbreviated_amounts_and_says_so(text):
    with pytest.raises(MoneyError, match="jumlah yang disingkat"):
        parse_rupiah(text)


@pytest.mark.parametrize("text", ["Rp", "Rp.", "IDR", "Rp ", "-Rp"])
def test_it_rejects_a_currency_marker_without_digits(text):
    with pytest.raises(MoneyError, match="tidak ada jumlah"):
        parse_rupiah(text)


@pytest.mark.parametrize("text", ["abc", "Rp lima ribu", "tidak ada", "5.000 per bulan"])
def test_it_rejects_letters(text):
    with pytest.raises(MoneyError, match="berisi huruf"):
        parse_rupiah(text)


@pytest.mark.parametrize("text", ["8.000 9.000", "Rp 5.000 7.500", "Rp 5.000 Rp 7.500"])
def test_it_rejects_two_numbers_in_one_cell(text):
    with pytest.raises(MoneyError, match="satu jumlah"):
        parse_rupiah(text)


def test_it_rejects_spaces_as_thousands_separators():
    with pytest.raises(MoneyError, match="spasi tidak diterima sebagai pemisah ribuan"):
        parse_rupiah("8 378 000")


@pytest.mark.parametrize(
    "text", ["10000000000000001", "1.000.000.000.000.001", "9" * 5000, "-Rp 2" + "0" * 15]
)
def test_it_rejects_amounts_that_are_too_large(text):
    with pytest.raises(MoneyError, match="terlalu besar"):
        parse_rupiah(text)


def test_it_accepts_the_largest_amount():
    assert parse_rupiah("Rp 1.000.000.000.000.000") == MAX_AMOUNT == 10**15


@pytest.mark.parametrize(
    "text", [".500", "500.", "5..000", "5,,000", "$5", "Rp 5.000/bulan", "--5", "-Rp -5"]
)
def test_it_rejects_malformed_numbers(text):
    with pytest.raises(MoneyError):
        parse_rupiah(text)


def test_money_error_is_a_value_error():
    assert issubclass(MoneyError, ValueError)


def test_it_formats_amounts_the_indonesian_way():
    assert format_rupiah(8_378_000) == "Rp 8.378.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-5_000) == "-Rp 5.000"
    assert format_rupiah(999) == "Rp 999"
    assert format_rupiah(10_060_818_000) == "Rp 10.060.818.000"


def test_it_formats_bare_numbers_with_dots_between_thousands():
    assert format_number_id(8_378_000) == "8.378.000"
    assert format_number_id(0) == "0"
    assert format_number_id(-1_000) == "-1.000"


@pytest.mark.parametrize("text", ["Rp", "Rp.", "IDR", "rp", " Rp "])
def test_a_bare_currency_marker_is_money_like(text):
    assert is_money_like(text)


@pytest.mark.parametrize("text", ["Rp 8.378.000", "8,378,000", "0"])
def test_an_amount_is_money_like(text):
    assert is_money_like(text)


@pytest.mark.parametrize("text", ["", "-", "1.5", "3360.EBA.994", "Pengelolaan JDIH", "97,5%", "Rp 2 juta"])
def test_blanks_dashes_errors_and_other_cells_are_not_money_like(text):
    assert not is_money_like(text)


@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT))
def test_formatted_amounts_read_back_to_the_same_integer(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount


@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT))
def test_bare_indonesian_numbers_read_back(amount):
    assert parse_rupiah(format_number_id(amount)) == amount


@given(st.integers(min_value=0, max_value=MAX_AMOUNT), st.sampled_from(["", ".00"]))
def test_english_locale_numbers_read_back(amount, cents):
    assert parse_rupiah(f"{amount:,}{cents}") == amount


@given(st.integers(min_value=0, max_value=MAX_AMOUNT), st.sampled_from(["", ",00", ",-"]))
def test_indonesian_locale_numbers_with_zero_cents_read_back(amount, suffix):
    assert parse_rupiah(f"Rp{format_number_id(amount)}{suffix}") == amount


@given(st.integers(min_value=1_000, max_value=MAX_AMOUNT))
def test_a_one_digit_zero_decimal_part_is_accepted_after_thousands_groups(amount):
    assert parse_rupiah(f"{format_number_id(amount)},0") == amount
    assert parse_rupiah(f"{amount:,}.0") == amount


@given(st.integers(min_value=0, max_value=999), st.sampled_from(".,"), st.integers(min_value=0, max_value=9))
def test_a_single_separator_before_one_digit_is_always_refused(whole, sep, digit):
    with pytest.raises(MoneyError, match="bermakna ganda"):
        parse_rupiah(f"{whole}{sep}{digit}")


@given(st.integers(min_value=MAX_AMOUNT + 1))
def test_anything_above_the_limit_is_too_large(amount):
    with pytest.raises(MoneyError, match="terlalu besar"):
        parse_rupiah(str(amount))


@given(st.text())
def test_parsing_arbitrary_text_raises_nothing_but_money_error(text):
    try:
        result = parse_rupiah(text)
    except MoneyError:
        return
    assert result is None or abs(result) <= MAX_AMOUNT


@given(st.text(alphabet="0123456789.,- Rp\u00a0IDjtrb"))
def test_parsing_number_like_text_raises_nothing_but_money_error(text):
    try:
        result = parse_rupiah(text)
    except MoneyError:
        return
    assert result is None or abs(result) <= MAX_AMOUNT


@given(st.text())
def test_is_money_like_never_raises(text):
    assert isinstance(is_money_like(text), bool)


def _reading(read, text):
    """What a reader makes of ``text``: the amount, or the refusal's message."""
    try:
        return ("amount", read(text))
    except MoneyError as error:
        return ("refused", str(error))


@st.composite
def grouped_numbers(draw):
    """A first run of 1-4 digits, then runs of mostly 3 digits, mostly after the same separator."""
    runs = st.integers(min_value=1, max_value=4) | st.just(3)
    sep = draw(st.sampled_from(".,"))
    number = draw(st.text(alphabet="0123456789", min_size=1, max_size=4))
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        number += draw(st.sampled_from([sep, sep, sep, ".", ","]))
        number += draw(st.text(alphabet="0123456789", min_size=draw(runs), max_size=4))[: draw(runs)]
    return number


#: Texts shaped like amounts, on and near the edges of the quick path's forms, with or without a
#: currency marker and a suffix.
amount_like_texts = st.one_of(
    st.text(alphabet="0123456789.,", max_size=24),
    grouped_numbers(),
    st.builds(
        lambda prefix, number, suffix: prefix + number + suffix,
        st.sampled_from(
            ["", "", "", "Rp", "rp", "RP", "Rp.", "Rp ", "Rp. ", "Rp  ", "IDR ", "-", "\u00a0", " "]
        ),
        grouped_numbers()
        | st.integers(min_value=0, max_value=10**16).map(str)
        | st.integers(min_value=0, max_value=10**16).map(format_number_id)
        | st.integers(min_value=0, max_value=10**16).map("{:,}".format),
        st.sampled_from(["", "", "", ",-", " ", ",00", ".0"]),
    ),
)


@settings(max_examples=1000)
@given(amount_like_texts)
def test_the_quick_path_for_plain_amounts_reads_every_text_as_the_full_rules_do(text):
    from renaksi.core import money

    assert _reading(parse_rupiah, text) == _reading(money._parse_rupiah, text)
