"""Unit and property tests for renaksi.core.schedule (DESIGN.md §6)."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renaksi.core.schedule import (
    MARK_TRUE,
    MONTH_ABBR_ID,
    MONTH_NAMES_ID,
    Schedule,
    ScheduleError,
    months_of_quarter,
    parse_month,
    parse_month_mark,
    parse_quarter,
    quarter_label,
    quarter_of_month,
)


def test_the_month_names_run_januari_to_desember():
    assert MONTH_NAMES_ID[0] == "Januari"
    assert MONTH_NAMES_ID[4] == "Mei"
    assert MONTH_NAMES_ID[7] == "Agustus"
    assert MONTH_NAMES_ID[11] == "Desember"
    assert len(MONTH_NAMES_ID) == len(MONTH_ABBR_ID) == 12


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("1", 1),
        ("01", 1),
        ("12", 12),
        ("Januari", 1),
        ("MARET", 3),
        ("mei", 5),
        ("Agu", 8),
        ("Agt", 8),
        ("Ags", 8),
        ("agustus", 8),
        ("Sep", 9),
        ("Okt", 10),
        ("Des", 12),
        ("Jan.", 1),
        ("\u00a0Juni ", 6),
        (7, 7),
    ],
)
def test_it_reads_months_as_numbers_names_and_abbreviations(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["0", "13", "", "Janu", "May", "Oct", "1.5", "Q1", "9" * 5000, 0, 13, True])
def test_it_rejects_anything_that_is_not_a_month(text):
    with pytest.raises(ScheduleError):
        parse_month(text)


def test_it_maps_months_to_quarters_of_the_calendar_year():
    assert [quarter_of_month(m) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert months_of_quarter(1) == (1, 2, 3)
    assert months_of_quarter(4) == (10, 11, 12)


@pytest.mark.parametrize("bad", [0, 5, -1])
def test_it_rejects_quarters_outside_one_to_four(bad):
    with pytest.raises(ScheduleError):
        months_of_quarter(bad)
    with pytest.raises(ScheduleError):
        quarter_label(bad)


def test_it_rejects_months_outside_one_to_twelve_when_mapping_to_quarters():
    with pytest.raises(ScheduleError, match="di luar rentang"):
        quarter_of_month(13)


def test_it_labels_quarters_as_triwulan():
    assert [quarter_label(q) for q in range(1, 5)] == ["TW I", "TW II", "TW III", "TW IV"]


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("TW I", 1),
        ("Triwulan II", 2),
        ("Trw III", 3),
        ("TW 4", 4),
        ("Q1", 1),
        ("tw iv", 4),
        ("TW-II", 2),
        ("Triwulan ke-3", 3),
        ("TRW. I", 1),
    ],
)
def test_it_reads_quarters(text, quarter):
    assert parse_quarter(text) == quarter


@pytest.mark.parametrize("text", ["TW V", "TW 0", "Triwulan", "I", "Q5", "", "Semester I"])
def test_it_rejects_text_that_is_not_a_quarter(text):
    with pytest.raises(ScheduleError, match="bukan triwulan"):
        parse_quarter(text)


def test_a_schedule_knows_its_months_flags_and_quarters():
    schedule = Schedule.from_months([3, 1, 2, 7, 7])
    assert schedule.months == (1, 2, 3, 7)
    assert schedule.flags == (True, True, True, False, False, False, True, False, False, False, False, False)
    assert schedule.quarters == (1, 3)
    assert not schedule.is_empty
    assert schedule.mask == 0b1000111


def test_the_empty_schedule_is_what_an_import_without_shading_gives():
    schedule = Schedule()
    assert schedule.is_empty
    assert schedule.months == ()
    assert schedule.quarters == ()
    assert schedule.to_text() == ""
    assert Schedule.from_text("") == schedule


def test_membership_answers_for_months_and_is_false_for_anything_else():
    schedule = Schedule.from_months([1, 12])
    assert 1 in schedule
    assert 12 in schedule
    assert 6 not in schedule
    assert 13 not in schedule
    assert "1" not in schedule


def test_it_writes_and_reads_the_month_list_text():
    assert Schedule.from_months([1, 2, 3]).to_text() == "1,2,3"
    assert Schedule.from_text("1,2,3") == Schedule.from_months([1, 2, 3])


def test_it_reads_ranges_and_month_names_in_schedule_text():
    assert Schedule.from_text("1-3,7").months == (1, 2, 3, 7)
    assert Schedule.from_text("Jan - Mar; Agt").months == (1, 2, 3, 8)
    assert Schedule.from_text(" 10 \u2013 12 ").months == (10, 11, 12)


@pytest.mark.parametrize("text", ["1,,2", "1,2,", "5-2", "1-2-3", "0", "13", "1;x", "-3"])
def test_it_rejects_malformed_schedule_text(text):
    with pytest.raises(ScheduleError):
        Schedule.from_text(text)


@pytest.mark.parametrize("mask", [-1, 4096, True])
def test_it_rejects_masks_outside_the_twelve_months(mask):
    with pytest.raises(ScheduleError):
        Schedule(mask)


def test_it_rejects_bad_months_when_building_a_schedule():
    with pytest.raises(ScheduleError, match="di luar rentang"):
        Schedule.from_months([1, 13])


def test_it_builds_a_schedule_from_twelve_month_column_flags():
    flags = [m in (4, 5) for m in range(1, 13)]
    assert Schedule.from_flags(flags).months == (4, 5)
    with pytest.raises(ScheduleError, match="12 month flags"):
        Schedule.from_flags([True] * 11)


@pytest.mark.parametrize("text", sorted(MARK_TRUE) + [" v ", "\u00a0\u2713"])
def test_it_reads_every_accepted_mark_as_scheduled(text):
    assert parse_month_mark(text) is True


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_it_reads_an_empty_month_cell_as_not_scheduled(text):
    assert parse_month_mark(text) is False


@pytest.mark.parametrize("text", ["0", "-", "ya", "2", "vv", "Rp"])
def test_it_rejects_other_month_cell_contents_and_lists_the_accepted_marks(text):
    with pytest.raises(ScheduleError, match="seharusnya sel kosong atau salah satu dari"):
        parse_month_mark(text)


def test_the_accepted_marks_are_the_documented_ones():
    assert {"v", "V", "x", "X", "\u2713", "\u2714", "\u221a", "1", "\u25cf", "\u25a0"} == MARK_TRUE


_masks = st.integers(min_value=0, max_value=4095)
_months = st.lists(st.integers(min_value=1, max_value=12))


@given(_months)
def test_a_schedule_holds_exactly_the_months_given(months):
    assert Schedule.from_months(months).months == tuple(sorted(set(months)))


@given(_masks)
def test_schedule_text_reads_back_to_the_same_schedule(mask):
    schedule = Schedule(mask)
    assert Schedule.from_text(schedule.to_text()) == schedule


@given(_masks)
def test_flags_read_back_to_the_same_schedule(mask):
    schedule = Schedule(mask)
    assert Schedule.from_flags(schedule.flags) == schedule
    assert Schedule.from_months(schedule.months) == schedule


@given(_masks)
def test_a_quarter_is_listed_exactly_when_one_of_its_months_is_scheduled(mask):
    schedule = Schedule(mask)
    for q in range(1, 5):
        assert (q in schedule.quarters) == any(m in schedule for m in months_of_quarter(q))


@given(st.integers(min_value=1, max_value=12))
def test_every_month_spelling_reads_back(month):
    for text in (str(month), MONTH_NAMES_ID[month - 1], MONTH_ABBR_ID[month - 1].upper()):
        assert parse_month(text) == month
    assert month in months_of_quarter(quarter_of_month(month))


@given(st.integers(min_value=1, max_value=4))
def test_quarter_labels_read_back(quarter):
    assert parse_quarter(quarter_label(quarter)) == quarter


@given(st.text())
def test_parsers_raise_nothing_but_schedule_error_on_arbitrary_text(text):
    for parse in (parse_month, parse_quarter, parse_month_mark, Schedule.from_text):
        with contextlib.suppress(ScheduleError):
            parse(text)


@given(st.text(alphabet="0123456789,;- JanMrAgtDesvx"))
def test_schedule_text_parsing_raises_nothing_but_schedule_error(text):
    try:
        schedule = Schedule.from_text(text)
    except ScheduleError:
        return
    assert Schedule.from_text(schedule.to_text()) == schedule
