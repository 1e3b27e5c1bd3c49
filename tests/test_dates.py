"""Date lines: which lines start an item, and which are mistyped dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedgen_unodc.dates import InvalidDate, format_date, http_date, parse_date_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # the listing's own forms
        ("20 January 2022", date(2022, 1, 20)),
        ("04 October 2021", date(2021, 10, 4)),  # zero-padded day
        ("8 December 2021", date(2021, 12, 8)),  # one-digit day
        # forms a page editor may use one day
        ("20 JANUARY 2022", date(2022, 1, 20)),
        ("20 Jan 2022", date(2022, 1, 20)),
        ("1 Sept. 2021", date(2021, 9, 1)),
        ("1st March 2021", date(2021, 3, 1)),
        ("January 20, 2022", date(2022, 1, 20)),
        ("2022-01-20", date(2022, 1, 20)),
        ("29 February 2024", date(2024, 2, 29)),  # leap year
        ("Wednesday, 8 December 2021", date(2021, 12, 8)),  # a weekday before it
        ("8 December 2021.", date(2021, 12, 8)),  # punctuation after it
    ],
)
def test_a_date_line_gives_its_day(line: str, expected: date) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("31 June 2021", "day is out of range for month"),
        ("29 February 2021", "day is out of range for month"),
        ("0 March 2021", "day is out of range for month"),
        ("31 Septmber 2021", "unknown month 'Septmber' (did you mean September?)"),
        ("12 Janury 2022", "unknown month 'Janury' (did you mean January?)"),
        ("Agust 3, 2021", "unknown month 'Agust' (did you mean August?)"),
        ("2021-13-01", "month must be in 1..12"),
        ("8 Mai 2021", "unknown month 'Mai' (did you mean May?)"),
        ("12 Countries 2021", "unknown month 'Countries' (write it in English)"),  # the shape of a date is a date
        ("08/12/2021", "a numeric date is ambiguous: write the month's name, as in 8 December 2021"),
        ("8 December 21", "the year must have four digits"),
        ("8 December 2021 (updated)", "text after the date: '(updated)'"),
        ("20 January 2022 was the day", "text after the date: 'was the day'"),
        ("Monday, 20 January 2022 - updated twice", "text after the date: '- updated twice'"),
        ("Monday 8 December 2021 updated by UNODC .", "text after the date: 'updated by UNODC'"),  # the most words
    ],
)
def test_a_mistyped_date_is_invalid_not_text(line: str, reason: str) -> None:
    parsed = parse_date_line(line)
    assert isinstance(parsed, InvalidDate)
    assert parsed.reason == reason
    # A valid date with words after it is told apart: on a page, it is a date and a title.
    assert parsed.text_after == reason.startswith("text after the date")


@pytest.mark.parametrize(
    "line",
    [
        "2020 - A Year in Review",  # a title that starts with a year
        "20 January 2022 was the day the report came out",  # a sentence that starts with a date
        "On 8 December 2021, the Commission met",
        "International Migrants Day 2021",
        "",
    ],
)
def test_text_is_not_a_date_line(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2022, 1, 20), "20 January 2022"), (date(2021, 10, 4), "4 October 2021")],
)
def test_dates_are_written_the_listing_s_way(day: date, text: str) -> None:
    assert format_date(day) == text
    assert parse_date_line(text) == day


@given(st.datetimes(timezones=st.just(UTC)))
def test_http_dates_are_what_the_standard_library_writes(moment: datetime) -> None:
    assert http_date(moment) == format_datetime(moment.replace(microsecond=0), usegmt=True)


def test_the_month_names_are_those_python_dateutil_knows() -> None:
    from dateutil.parser import parserinfo

    from feedgen_unodc.dates import MONTHS

    known = parserinfo()
    assert [set(names) for names in known.MONTHS] == [set(names) for names in MONTHS]
    assert all(known.month(name.upper()) == number for number, names in enumerate(MONTHS, 1) for name in names)
