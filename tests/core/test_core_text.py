"""Unit and property tests for renaksi.core.text."""

from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.text import normalize_space, same_text


def test_it_collapses_runs_of_spaces_tabs_and_newlines():
    assert normalize_space("Rencana \t Kegiatan\n\nTahunan") == "Rencana Kegiatan Tahunan"


def test_it_treats_no_break_and_thin_spaces_as_spaces():
    assert normalize_space("Rp\u00a08.378.000") == "Rp 8.378.000"
    assert normalize_space("8\u2009378\u202f000") == "8 378 000"


def test_it_strips_leading_and_trailing_whitespace():
    assert normalize_space("\u00a0 Pengelolaan JDIH \t") == "Pengelolaan JDIH"


def test_it_drops_zero_width_characters():
    assert normalize_space("\ufeffMasa\u200b Kampanye") == "Masa Kampanye"


def test_it_turns_blank_text_into_an_empty_string():
    assert normalize_space(" \t\u00a0\n") == ""


def test_it_compares_labels_ignoring_case_and_spacing():
    assert same_text("SASARAN  STRATEGIS", "Sasaran\u00a0strategis ")


def test_it_tells_different_labels_apart():
    assert not same_text("Sasaran Program", "Sasaran Strategis")


def test_it_does_not_ignore_spaces_inside_words():
    assert not same_text("Satker", "Sat ker")


@given(st.text())
def test_normalizing_twice_changes_nothing(s):
    assert normalize_space(normalize_space(s)) == normalize_space(s)


@given(st.text())
def test_normalized_text_has_no_edge_or_double_whitespace(s):
    out = normalize_space(s)
    assert out == out.strip()
    assert "  " not in out
    assert all(not c.isspace() or c == " " for c in out)


@given(st.text(), st.text())
def test_same_text_is_symmetric(a, b):
    assert same_text(a, b) == same_text(b, a)


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126)))
def test_same_text_ignores_ascii_case_and_extra_spaces(s):
    assert same_text(s, "\u00a0" + s.upper().replace(" ", " \t ") + "\n")
