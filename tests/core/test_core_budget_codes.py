"""Unit and property tests for renaksi.core.budget_codes (DESIGN.md §4)."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renaksi.core.budget_codes import (
    _CANONICAL,
    LEVELS,
    BudgetCode,
    BudgetCodeError,
    _read_segments,
    canonical_text,
    is_budget_code_like,
    parse_budget_code,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6871.QGE", BudgetCode("6871", "QGE")),
        ("3360.EBA.994", BudgetCode("3360", "EBA", "994")),
        ("6709.QGE.001", BudgetCode("6709", "QGE", "001")),
        ("3358.EBC.954.A", BudgetCode("3358", "EBC", "954", subkomponen="A")),
        ("6710.QGE.001.C", BudgetCode("6710", "QGE", "001", subkomponen="C")),
        ("3358.EBC.954.051.A.521211", BudgetCode("3358", "EBC", "954", "051", "A", "521211")),
        ("3358.EBC.954.051", BudgetCode("3358", "EBC", "954", komponen="051")),
        ("3358.EBC.954.521211", BudgetCode("3358", "EBC", "954", akun="521211")),
        ("3358.EBC.954.A.521211", BudgetCode("3358", "EBC", "954", subkomponen="A", akun="521211")),
        ("3358.EBC.954.051.521211", BudgetCode("3358", "EBC", "954", komponen="051", akun="521211")),
    ],
)
def test_it_reads_every_shape_of_budget_code(text, expected):
    code = parse_budget_code(text)
    assert code == expected
    assert str(code) == code.canonical == text


def test_it_tolerates_whitespace_around_the_dots():
    assert parse_budget_code(" 3358 . EBC .\u00a0954 .A ").canonical == "3358.EBC.954.A"


def test_it_upper_cases_lowercase_kro_and_subkomponen():
    assert parse_budget_code("3358.ebc.954.a").canonical == "3358.EBC.954.A"


def test_it_lists_the_levels_that_are_present():
    assert parse_budget_code("3358.EBC.954.A").levels() == [
        ("kegiatan", "3358"),
        ("kro", "EBC"),
        ("ro", "954"),
        ("subkomponen", "A"),
    ]


def test_it_gives_the_rollup_keys_of_each_level():
    assert parse_budget_code("3358.EBC.954.A").rollup_keys() == [
        "3358",
        "3358.EBC",
        "3358.EBC.954",
        "3358.EBC.954.A",
    ]
    assert parse_budget_code("6871.QGE").rollup_keys() == ["6871", "6871.QGE"]


def test_it_names_the_bad_segment_and_what_was_expected():
    with pytest.raises(BudgetCodeError, match="bagian 2 'EB1' seharusnya KRO: 3 huruf kapital"):
        parse_budget_code("3358.EB1")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3358", "hanya punya satu bagian"),
        ("", "kosong"),
        ("   ", "kosong"),
        ("335.EBC", "bagian 1 '335' seharusnya kegiatan: 4 angka"),
        ("33580.EBC", "bagian 1"),
        ("ABCD.EBC", "bagian 1"),
        ("3358.EBCD", "bagian 2"),
        ("3358.123", "bagian 2"),
        ("3358.EBC.95", "bagian 3 '95' seharusnya RO: 3 angka"),
        ("3358.EBC.A", "bagian 3 'A' seharusnya RO"),
        ("3358..EBC", "bagian 2 dari '3358..EBC' kosong"),
        ("3358.EBC.", "diakhiri titik"),
        ("3358.EBC.954.AB", "bagian 4 'AB' seharusnya komponen"),
        ("3358.EBC.954.05", "bagian 4 '05'"),
        ("3358.EBC.954.A.051", "tampak seperti komponen tetapi ada sesudah subkomponen"),
        ("3358.EBC.954.051.051", "tampak seperti komponen tetapi ada sesudah komponen"),
        ("3358.EBC.954.521211.A", "ada sesudah akun"),
        ("3358.EBC.954.051.A.521211.1", "7 bagian"),
        ("3358.E C.954", "bagian 2"),
        ("\uff13358.EBC", "bagian 1"),
    ],
)
def test_it_rejects_malformed_codes_with_a_clear_message(text, message):
    with pytest.raises(BudgetCodeError, match=message):
        parse_budget_code(text)


@pytest.mark.parametrize(
    "fields",
    [
        {"kegiatan": "335"},
        {"kegiatan": "3358", "kro": "ebc"},
        {"kegiatan": "3358", "ro": "954"},
        {"kegiatan": "3358", "kro": "EBC", "akun": "521211"},
        {"kegiatan": "3358", "kro": "EBC", "ro": "954", "subkomponen": "AB"},
    ],
)
def test_it_refuses_to_build_codes_the_budget_cannot_hold(fields):
    with pytest.raises(BudgetCodeError):
        BudgetCode(**fields)


def test_a_code_can_be_just_a_kegiatan_for_the_top_of_a_rollup():
    assert BudgetCode("3358").rollup_keys() == ["3358"]


def test_budget_code_error_is_a_value_error():
    assert issubclass(BudgetCodeError, ValueError)


@pytest.mark.parametrize("text", ["6871.QGE", "3360.EBA.994", " 3358.EBC.954.A "])
def test_valid_codes_are_budget_code_like(text):
    assert is_budget_code_like(text)


@pytest.mark.parametrize("text", ["", "-", "Rp", "8,378,000", "3358", "3358.EBC.", "Pengelolaan JDIH"])
def test_other_cells_are_not_budget_code_like(text):
    assert not is_budget_code_like(text)


_letter = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@st.composite
def budget_codes(draw):
    kegiatan = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    kro = draw(st.from_regex(r"[A-Z]{3}", fullmatch=True))
    if not draw(st.booleans()):
        return BudgetCode(kegiatan, kro)
    ro = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    komponen = draw(st.none() | st.from_regex(r"[0-9]{3}", fullmatch=True))
    subkomponen = draw(st.none() | _letter)
    akun = draw(st.none() | st.from_regex(r"[0-9]{6}", fullmatch=True))
    return BudgetCode(kegiatan, kro, ro, komponen, subkomponen, akun)


@given(budget_codes())
def test_every_valid_code_reads_back_from_its_text(code):
    assert parse_budget_code(str(code)) == code


@given(budget_codes())
def test_lowercase_and_spaced_codes_read_as_the_canonical_one(code):
    messy = " . ".join(value.lower() for _, value in code.levels())
    assert parse_budget_code(messy) == code


@given(budget_codes())
def test_rollup_keys_are_prefixes_of_each_other(code):
    keys = code.rollup_keys()
    assert len(keys) == len(code.levels())
    assert keys[-1] == code.canonical
    for shorter, longer in zip(keys, keys[1:], strict=False):
        assert longer.startswith(shorter + ".")


@given(budget_codes())
def test_levels_keep_the_budget_order(code):
    names = [name for name, _ in code.levels()]
    assert names == sorted(names, key=LEVELS.index)


@given(st.text())
def test_parsing_arbitrary_text_raises_nothing_but_budget_code_error(text):
    with contextlib.suppress(BudgetCodeError):
        parse_budget_code(text)


@given(st.text(alphabet="0123456789ABCEQGabc. "))
def test_parsing_code_like_text_raises_nothing_but_budget_code_error(text):
    try:
        code = parse_budget_code(text)
    except BudgetCodeError:
        return
    assert parse_budget_code(code.canonical) == code


@given(st.text())
def test_is_budget_code_like_never_raises(text):
    assert isinstance(is_budget_code_like(text), bool)


def _segment_by_segment(text):
    try:
        return _read_segments(text)
    except BudgetCodeError:
        return None


_code_like_segments = st.lists(
    st.sampled_from(["3358", "EBC", "954", "051", "A", "521211", "ebc", "95", "AB", "1234567", ""]),
    min_size=1,
    max_size=8,
)


@given(budget_codes())
def test_the_one_match_reading_of_a_canonical_code_agrees_with_the_segment_reading(code):
    assert _CANONICAL.fullmatch(code.canonical)
    assert parse_budget_code(code.canonical) == _read_segments(code.canonical) == code


@given(_code_like_segments)
def test_any_text_the_one_match_reading_accepts_the_segment_reading_accepts_alike(segments):
    text = ".".join(segments)
    if _CANONICAL.fullmatch(text):
        assert _segment_by_segment(text) == parse_budget_code(text)
    else:
        assert _segment_by_segment(text) is None or text != _segment_by_segment(text).canonical


@given(_code_like_segments)
def test_the_canonical_text_of_a_written_code_is_that_of_the_code_it_reads_as(segments):
    text = " . ".join(segments) if "ebc" in segments else ".".join(segments)
    try:
        code = parse_budget_code(text)
    except BudgetCodeError:
        with pytest.raises(BudgetCodeError):
            canonical_text(text)
        return
    assert canonical_text(text) == code.canonical


#: Each level's shape in either letter case, and shapes a character or a kind off it.
_LEVEL_SHAPES = [r"[0-9]{4}", r"[A-Za-z]{3}", r"[0-9]{3}", r"[0-9]{3}", r"[A-Za-z]", r"[0-9]{6}"]
_OFF_SHAPES = [
    r"[0-9]{3,5}",
    r"[A-Za-z][A-Za-z0-9]{1,3}",
    r"[0-9]{2,4}",
    r"[0-9A-Z]{2,4}",
    r"[A-Za-z0-9]{1,2}",
    r"[0-9]{5,7}",
]


@st.composite
def code_like_texts(draw):
    """Texts near budget codes: 1 to 7 segments of each level's shape in either case (valid or
    one character off), or of none (amounts, dates, blanks), joined by dots, with spaces here and
    there; and free text of digits, dots and letters."""
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return draw(st.text(alphabet="0123456789.ABZaz ", max_size=20))
    segments = []
    for level in range(draw(st.integers(min_value=1, max_value=7))):
        shapes = (
            (_LEVEL_SHAPES[level], _OFF_SHAPES[level]) if level < len(_LEVEL_SHAPES) else (r"[0-9]{1,3}",)
        )
        other = st.sampled_from(["", " ", "1.500", "Rp", "2023-01-05", "x"])
        shape = draw(st.sampled_from(shapes))
        segment = draw(st.from_regex(shape, fullmatch=True) | other)
        spaces = st.sampled_from(["", "", "", " ", "\u00a0"])
        segments.append(draw(spaces) + segment + draw(spaces))
    return ".".join(segments)


@settings(max_examples=1000)
@given(code_like_texts())
def test_telling_a_code_like_cell_agrees_with_reading_it(text):
    try:
        parse_budget_code(text)
        readable = True
    except BudgetCodeError:
        readable = False
    assert is_budget_code_like(text) is readable
