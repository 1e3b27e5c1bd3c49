"""The listing format: what makes an item, and what is reported when the text does not fit."""

from __future__ import annotations

from datetime import date

import pytest
from support import format_items, listing, messages, read

from feedgen_unodc.listing import parse
from feedgen_unodc.model import Problem, RawItem
from feedgen_unodc.source import decode


def parse_text(text: str) -> tuple[list[RawItem], list[Problem]]:
    lines, _ = decode(listing(text))
    return parse(lines)


def test_an_item_is_a_date_line_a_title_and_summary_paragraphs() -> None:
    items, problems = parse_text(
        """
        20 January 2022
        Securing Evidence

        First paragraph.

        Second paragraph.
        """
    )
    assert problems == []
    [item] = items
    assert (item.line, item.day, item.title, item.story_url) == (1, date(2022, 1, 20), "Securing Evidence", None)
    assert item.paragraphs == ((4, "First paragraph."), (6, "Second paragraph."))


def test_a_title_may_run_straight_into_its_summary_and_lines_are_paragraphs() -> None:
    items, _ = parse_text(
        """
        14 October 2021
        Good Use and Abuse
        Human traffickers who trick people...
        Research conducted by UNODC shows... more
        29 April 2021
        Next story
        """
    )
    assert [i.title for i in items] == ["Good Use and Abuse", "Next story"]
    assert [text for _, text in items[0].paragraphs] == [
        "Human traffickers who trick people...",
        "Research conducted by UNODC shows... more",
    ]


def test_a_url_alone_on_the_line_after_the_title_is_the_story_url() -> None:
    items, _ = parse_text(
        """
        20 January 2022
        Securing Evidence
        https://www.unodc.org/unodc/en/human-trafficking/2022/securing-evidence.html
        Summary.
        """
    )
    assert items[0].story_url == "https://www.unodc.org/unodc/en/human-trafficking/2022/securing-evidence.html"
    assert items[0].paragraphs == ((4, "Summary."),)


@pytest.mark.parametrize(
    "line",
    [
        "www.unodc.org/story.html",  # no scheme
        "ftp://unodc.org/story",  # not the web
        "See https://www.unodc.org/ for more",  # a sentence with a URL
    ],
)
def test_other_lines_after_the_title_are_summary(line: str) -> None:
    items, _ = parse_text(f"20 January 2022\nTitle\n{line}\n")
    assert items[0].story_url is None
    assert items[0].paragraphs == ((3, line),)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("http://[", "in.txt:3: error: the story URL 'http://[' is not a valid URL (Invalid IPv6 URL)"),
        ('https://x.org/"a"', "in.txt:3: error: the story URL 'https://x.org/\"a\"' has characters a URL cannot hold"),
        ("https://x.org:99999/", "in.txt:3: error: the story URL 'https://x.org:99999/' is not a valid URL "
         "(Port out of range 0-65535)"),
    ],
)  # fmt: skip
def test_a_story_url_that_is_no_valid_url_is_an_error(line: str, message: str) -> None:
    items, problems = parse_text(f"20 January 2022\nTitle\n{line}\nSummary.\n")
    assert messages(problems) == [message]
    assert items[0].story_url is None


def test_a_story_url_with_non_ascii_characters_is_percent_encoded() -> None:
    items, _ = parse_text("20 January 2022\nTitle\nhttps://www.unodc.org/caf\u00e9.html\n")
    assert items[0].story_url == "https://www.unodc.org/caf%C3%A9.html"


def test_a_mistyped_date_is_an_error_and_never_glued_to_the_previous_item() -> None:
    items, problems = parse_text(
        """
        1 October 2021
        Kept story
        Its summary.

        31 Septmber 2021
        Lost story
        This text must not end up in the summary of "Kept story".
        16 September 2021
        Next story
        """
    )
    assert messages(problems) == [
        "in.txt:5: error: '31 Septmber 2021' looks like a date but is not one "
        "(unknown month 'Septmber' (did you mean September?)); nothing is published until it is fixed",
    ]
    assert [(i.title, [t for _, t in i.paragraphs]) for i in items] == [
        ("Kept story", ["Its summary."]),
        ("Next story", []),
    ]


def test_an_impossible_day_is_an_error_at_its_line() -> None:
    _, problems = parse_text("1 July 2021\nA\n31 June 2021\nB\n")
    assert messages(problems) == [
        "in.txt:3: error: '31 June 2021' looks like a date but is not one "
        "(day is out of range for month); nothing is published until it is fixed",
    ]


def test_a_date_without_a_title_is_an_error() -> None:
    _, problems = parse_text("20 January 2022\n\n19 January 2022\nTitle\n")
    assert messages(problems) == ["in.txt:1: error: item dated '20 January 2022' has no title"]


def test_text_before_the_first_item_is_reported_once_and_ignored() -> None:
    items, problems = parse_text("Latest news\nSkip to content\n20 January 2022\nTitle\n")
    assert messages(problems) == ["in.txt:1: warning: text before the first dated item is ignored"]
    assert [i.title for i in items] == ["Title"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "in.txt: error: the listing is empty"),
        ("\n  \n\u00a0\n", "in.txt: error: the listing is empty"),
        (
            "<html><body><h1>503 Service Unavailable</h1></body></html>\n",
            "in.txt: error: no items found: each item must start with a date line such as "
            "'20 January 2022' (is this the listing page?)",
        ),
    ],
)
def test_a_listing_without_items_is_an_error(text: str, message: str) -> None:
    assert message in messages(parse_text(text)[1])


def test_items_written_back_read_the_same() -> None:
    original, _ = read(
        listing(
            """
            20 January 2022
            Securing Evidence
            https://www.unodc.org/story.html
            One.
            Two... read more
            18 December 2021
            International Migrants Day
            """
        )
    )
    text = format_items(original)
    assert text == (
        "20 January 2022\nSecuring Evidence\nhttps://www.unodc.org/story.html\n\nOne.\n\nTwo.\n\n"
        "18 December 2021\nInternational Migrants Day\n"
    )
    again, _ = read(text.encode())
    assert [(i.id, i.title, i.paragraphs, i.story_url, i.link) for i in again] == [
        (i.id, i.title, i.paragraphs, i.story_url, i.link) for i in original
    ]
