"""Core messages: a number written ``{count:,}`` is grouped the way the page's language groups it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.messages import GROUPED_SAMPLE, gettext_noop, msg

LIMIT = msg(
    gettext_noop("lembar ini punya {count:,} baris, melebihi batas {limit:,}"), count=1_000_001, limit=10**6
)


def english(text: str) -> str:
    return {
        GROUPED_SAMPLE: "1,000",
        "lembar ini punya {count:,} baris, melebihi batas {limit:,}": "this sheet has {count:,} rows, over the limit of {limit:,}",
    }.get(text, text)


def test_an_indonesian_message_groups_thousands_with_dots() -> None:
    assert str(LIMIT) == "lembar ini punya 1.000.001 baris, melebihi batas 1.000.000"


def test_the_same_message_in_english_groups_thousands_with_commas() -> None:
    assert LIMIT.render(english) == "this sheet has 1,000,001 rows, over the limit of 1,000,000"


def test_a_value_stored_as_text_before_numbers_were_kept_is_shown_as_it_was() -> None:
    stored = msg(
        gettext_noop("lembar ini punya {count:,} baris, melebihi batas {limit:,}"),
        count="1.000.001",
        limit="1.000.000",
    )
    assert stored.render(english) == "this sheet has 1.000.001 rows, over the limit of 1.000.000"


def test_a_catalog_without_the_sample_falls_back_to_dots() -> None:
    assert LIMIT.render(lambda text: text) == str(LIMIT)


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_a_grouped_number_reads_back_to_itself_in_both_languages(number: int) -> None:
    message = msg(gettext_noop("{n:,}"), n=number)
    assert int(str(message).replace(".", "")) == number
    assert int(message.render(english).replace(",", "")) == number
