"""Recognising the date line that starts each item.

Like feedparser's date handlers, this is a list of small parsers tried in turn.
Each looks at one whole line (white space already folded) and answers:

- `None`: the line is not date-shaped, so it is a title or summary text;
- a `date`: the line is a valid date;
- an `InvalidDate`: the line is date-shaped but names no real day
  (`31 June 2021`, `31 Septmber 2021`). Such a line must never be mistaken
  for text, or a mistyped date would silently glue one story onto another.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NamedTuple

from .text import excerpt


class InvalidDate(NamedTuple):
    reason: str
    text_after: bool = False  # a valid date followed by a few words: "8 December 2021 (updated)"


DateLine = date | InvalidDate | None

# The English month names and their abbreviations, by number, as the page writes them (any case).
MONTHS = (
    ("Jan", "January"),
    ("Feb", "February"),
    ("Mar", "March"),
    ("Apr", "April"),
    ("May",),
    ("Jun", "June"),
    ("Jul", "July"),
    ("Aug", "August"),
    ("Sep", "Sept", "September"),
    ("Oct", "October"),
    ("Nov", "November"),
    ("Dec", "December"),
)
_MONTH_NUMBERS = {name.lower(): number for number, names in enumerate(MONTHS, start=1) for name in names}
_MONTH_NAMES = [name for names in MONTHS for name in names]
# How close a word must be to a month name to count as a misspelt month
# ("Septmber") rather than an ordinary word ("Things").
_MISSPELT_MONTH_CUTOFF = 0.6
_LONGEST_MONTH = max(map(len, _MONTH_NAMES))

_ORDINAL = r"(?:st|nd|rd|th)?"
_DAY = rf"(?P<day>\d{{1,2}}){_ORDINAL}"
_MONTH = r"(?P<month>[A-Za-z]+)\.?"
_YEAR = r"(?P<year>\d{4})"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _month(word: str) -> int | InvalidDate:
    # The line has the shape of a date ("8 Mai 2021"): any word there is meant as a month.
    number = _MONTH_NUMBERS.get(word.lower())
    if number is not None:
        return number
    # A word far longer than any month is no misspelt one; comparing it would cost its length squared.
    close = (
        difflib.get_close_matches(word.capitalize(), _MONTH_NAMES, n=1, cutoff=_MISSPELT_MONTH_CUTOFF)
        if len(word) <= 2 * _LONGEST_MONTH
        else []
    )
    hint = f" (did you mean {close[0]}?)" if close else " (write it in English)"
    return InvalidDate(f"unknown month {excerpt(word)}{hint}")


def _day(year: str, month: int, day: str) -> date | InvalidDate:
    try:
        return date(int(year), month, int(day))
    except ValueError as exc:  # "day is out of range for month", "year 0 is out of range"
        return InvalidDate(str(exc))


def _named_month(pattern: str) -> Callable[[str], DateLine]:
    """A parser for dates that name their month, in the order `pattern` gives."""
    compiled = re.compile(pattern, re.IGNORECASE)

    def parser(line: str) -> DateLine:
        match = compiled.fullmatch(line)
        if match is None:
            return None
        month = _month(match["month"])
        if isinstance(month, InvalidDate):
            return month
        return _day(match["year"], month, match["day"])

    return parser


def _iso(line: str) -> DateLine:
    match = _ISO.fullmatch(line)
    if match is None:
        return None
    year, month, day = match.groups()
    if not 1 <= int(month) <= 12:
        return InvalidDate("month must be in 1..12")
    return _day(year, int(month), day)


PARSERS: tuple[Callable[[str], DateLine], ...] = (
    _named_month(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}"),  # 20 January 2022, the listing's own form
    _named_month(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),  # January 20, 2022
    _named_month(rf"{_DAY}\s*[-./]\s*{_MONTH}\s*[-./]\s*{_YEAR}"),  # 20-Jan-2022, 20.Jan.2022
    _named_month(rf"{_YEAR}\s+{_MONTH}\s+{_DAY}"),  # 2022 January 20
    _iso,  # 2022-01-20
)


_WEEKDAY = re.compile(r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+", re.IGNORECASE)
_NUMERIC = re.compile(r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")
_D, _M = rf"\d{{1,2}}{_ORDINAL}", r"[A-Za-z]+\.?"  # a day and a month word, without named groups
_TWO_DIGIT_YEAR = re.compile(rf"(?:{_D}\s+{_M},?|{_M}\s+{_D},?)\s+\d{{2}}", re.IGNORECASE)
_DATE_THEN_TEXT = re.compile(
    rf"(?P<date>{_D}\s+{_M},?\s+\d{{4}}|{_M}\s+{_D},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b(?P<rest>.+)",
    re.IGNORECASE,
)
# A date followed by this many words at most is a date line with an extra, not a sentence.
_MAX_EXTRA_WORDS = 3
# The most words a date-shaped line has: a weekday, a date in three words, the extra words,
# and punctuation standing alone at the end ("... updated by UNODC .").
_MAX_WORDS = 1 + 3 + _MAX_EXTRA_WORDS + 1


def _exact(line: str) -> DateLine:
    for parser in PARSERS:
        result = parser(line)
        if result is not None:
            return result
    return None


def parse_date_line(line: str) -> DateLine:
    """What `line` (white space folded) is as a date line; see the module docstring.

    Tolerated: a weekday before the date, punctuation after it. Invalid rather
    than text: a numeric date (08/12/2021 is ambiguous), a two-digit year, a
    date followed by a few words ("8 December 2021 (updated)").
    """
    if len(line.split(maxsplit=_MAX_WORDS)) > _MAX_WORDS:
        return None  # a sentence: most lines are, and this spares them every expression below
    core = _WEEKDAY.sub("", line, count=1) if _WEEKDAY.match(line) else line
    core = core.rstrip(".,;:")
    result = _exact(core)
    if result is not None:
        return result
    if _NUMERIC.fullmatch(core):
        return InvalidDate("a numeric date is ambiguous: write the month's name, as in 8 December 2021")
    if _TWO_DIGIT_YEAR.fullmatch(core):
        return InvalidDate("the year must have four digits")
    match = _DATE_THEN_TEXT.match(core)
    if match and isinstance(_exact(match["date"]), date) and len(match["rest"].split()) <= _MAX_EXTRA_WORDS:
        return InvalidDate(f"text after the date: {excerpt(match['rest'].strip())}", text_after=True)
    return None


def format_date(day: date) -> str:
    """The listing's own way of writing a date: `20 January 2022`."""
    return f"{day.day} {MONTHS[day.month - 1][-1]} {day.year}"  # the full name, last of each


_DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def http_date(moment: datetime) -> str:
    """`moment` as RFC 822 and RFC 9110 write it, in GMT and English whatever the locale.

    >>> http_date(datetime(2022, 1, 20, 12, tzinfo=UTC))
    'Thu, 20 Jan 2022 12:00:00 GMT'
    """
    utc = moment.astimezone(UTC)
    return (
        f"{_DAY_ABBREVIATIONS[utc.weekday()]}, {utc.day:02d} {_MONTH_ABBREVIATIONS[utc.month - 1]} {utc.year:04d} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d} GMT"
    )
