"""Normalizing: order, timestamps, ids, links, copied summaries, repeats."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from support import listing, messages, normalized

from feedgen_unodc.listing import parse
from feedgen_unodc.model import SummaryGap
from feedgen_unodc.normalize import markup_in, normalize, story_id, title_fit
from feedgen_unodc.settings import LISTING_URL
from feedgen_unodc.source import decode

DECEMBER_2020 = listing(
    """
    28 January 2021
    An Interview
    Text.
    14 December 2020
    Fourteen
    Text 14.
    15 December 2020
    Fifteen
    Text 15.
    21 December 2020
    Twenty-one
    Text 21.
    16 December 2020
    Sixteen
    Text 16.
    """
)


def test_items_are_placed_newest_first_and_each_move_is_reported() -> None:
    items, problems = normalized(DECEMBER_2020)
    assert [i.title for i in items] == ["An Interview", "Twenty-one", "Sixteen", "Fifteen", "Fourteen"]
    assert messages(problems) == [
        "in.txt:7: warning: out of order: 15 December 2020 is listed after 14 December 2020 (line 4); "
        "placed by its date",
        "in.txt:10: warning: out of order: 21 December 2020 is listed after 15 December 2020 (line 7); "
        "placed by its date",
    ]


def test_items_of_one_day_keep_the_listing_order_with_distinct_times() -> None:
    items, problems = normalized(
        listing("1 March 2021\nFirst\nA.\n1 March 2021\nSecond\nB.\n1 March 2021\nThird\nC.\n")
    )
    assert problems == []
    assert [(i.title, i.published) for i in items] == [
        ("First", datetime(2021, 3, 1, 12, 0, 0, tzinfo=UTC)),
        ("Second", datetime(2021, 3, 1, 11, 59, 59, tzinfo=UTC)),
        ("Third", datetime(2021, 3, 1, 11, 59, 58, tzinfo=UTC)),
    ]


@pytest.mark.parametrize("hours", range(-11, 12))
def test_every_time_zone_from_utc_minus_11_to_plus_11_shows_the_listing_date(hours: int) -> None:
    same_day = "\n".join(f"1 March 2021\nStory {n}\nText {n}." for n in range(100))
    items, _ = normalized(listing("20 January 2022\nA\nText.\n" + same_day))
    zone = timezone(timedelta(hours=hours))
    assert all(item.published.astimezone(zone).date() == item.day for item in items)


def test_a_summary_copied_onto_another_story_stays_only_with_the_story_it_fits() -> None:
    # The seed's case: the 16 December 2020 item repeats the 15 December summary word for word.
    summary = (
        "The vital role of inter-agency partnership to tackle trafficking in persons was reinforced today.\n\n"
        "Principals of the Inter-Agency Coordination Group Against Trafficking in Persons (ICAT) the UN's leading "
        "policy forum to address human trafficking met for the second time..."
    )
    text = (
        f"15 December 2020\nLeading UN Forum Renews Commitment to Countering Human Trafficking\n{summary}\n\n"
        f"16 December 2020\nExploited and Prosecuted: When Victims of Human Trafficking Commit Crimes\n{summary}\n"
    )
    items, problems = normalized(text.encode())
    by_title = {i.title.split()[0]: i for i in items}
    assert by_title["Leading"].paragraphs[0].startswith("The vital role")
    assert (by_title["Exploited"].paragraphs, by_title["Exploited"].summary_gap) == ((), SummaryGap.COPIED)
    assert messages(problems) == [
        "in.txt:7: warning: out of order: 16 December 2020 is listed after 15 December 2020 (line 1); "
        "placed by its date",
        "in.txt:9: warning: summary copied from 'Leading UN Forum Renews Commitment to…' (line 1), whose title "
        "it fits better; 'Exploited and Prosecuted: When Victims…' is published without a summary",
    ]


def test_on_a_tie_the_earlier_story_keeps_the_summary() -> None:
    items, _ = normalized(listing("2 May 2021\nAlpha\nShared words.\n1 May 2021\nBeta\nShared words.\n"))
    assert [(i.title, i.paragraphs) for i in items] == [("Alpha", ()), ("Beta", ("Shared words.",))]


@pytest.mark.parametrize(
    ("title", "summary", "fit"),
    [
        ("Migrant Smuggling Agenda", ("Migrant smuggling was on the agenda.",), 1.0),
        ("Exploited and Prosecuted", ("A plan to combat this global crime.",), 0.0),
        ("Crimes of the Year", ("One crime.",), 0.5),  # plurals fold; "of", "the" do not count
        ("The", ("The end.",), 0.0),  # no content words
    ],
)
def test_title_fit_is_the_share_of_title_words_in_the_summary(title: str, summary: tuple[str, ...], fit: float) -> None:
    assert title_fit(title, summary) == fit


def test_an_item_without_summary_is_reported_and_marked() -> None:
    items, problems = normalized(listing("1 May 2021\nA lonely title\n"))
    assert (items[0].paragraphs, items[0].summary_gap) == ((), SummaryGap.ABSENT)
    assert messages(problems) == [
        "in.txt:1: warning: 'A lonely title' has no summary",
    ]


def test_the_same_story_listed_twice_is_published_once() -> None:
    items, problems = normalized(listing("1 May 2021\nHuman trafficking\nA.\n\n1 May 2021\nHuman  Trafficking!\nB.\n"))
    assert [i.paragraphs for i in items] == [("A.",)]
    assert messages(problems) == ["in.txt:5: warning: same story as line 1 (same date and title); listed once"]


class TestIds:
    def test_an_id_is_a_name_based_uuid_urn(self) -> None:
        assert story_id(date(2022, 1, 20), "Securing Evidence") == "urn:uuid:2a9dbb33-fafe-57a2-8b92-2b7c110bc195"

    @pytest.mark.parametrize(
        "title",
        [
            "Securing Evidence",
            "securing  evidence",  # case and white space
            "Securing\u00a0Evidence.",  # a no-break space, punctuation
            " Securing - Evidence ",
        ],
    )
    def test_it_ignores_case_space_and_punctuation(self, title: str) -> None:
        assert story_id(date(2022, 1, 20), title) == story_id(date(2022, 1, 20), "Securing Evidence")

    def test_another_date_or_title_is_another_story(self) -> None:
        ids = {
            story_id(date(2022, 1, 20), "Securing Evidence"),
            story_id(date(2022, 1, 21), "Securing Evidence"),
            story_id(date(2022, 1, 20), "Securing Evidence Again"),
        }
        assert len(ids) == 3

    def test_it_does_not_depend_on_summary_order_or_listing_url(self) -> None:
        first, _ = normalized(listing("2 May 2021\nA\nOld summary.\n1 May 2021\nB\nText.\n"))
        lines, _ = decode(listing("1 May 2021\nB\nText.\n2 May 2021\nA\nNew, edited summary.\n"))
        raw, _ = parse(lines)
        second, _ = normalize(raw)
        assert [i.id for i in first] == [i.id for i in second]


class TestLinks:
    def test_without_a_story_url_the_link_is_the_listing_with_a_fragment(self) -> None:
        items, _ = normalized(listing("20 January 2022\nSecuring Evidence: The Key\nText.\n"))
        assert items[0].link == f"{LISTING_URL}#2022-01-20-securing-evidence-the-key"

    def test_the_story_url_is_the_link(self) -> None:
        items, _ = normalized(listing("20 January 2022\nA\nhttps://www.unodc.org/a.html\nText.\n"))
        assert items[0].link == "https://www.unodc.org/a.html"

    def test_two_stories_given_one_story_url_get_distinct_links(self) -> None:
        items, problems = normalized(
            listing(
                """
                2 May 2021
                First story
                https://www.unodc.org/a.html
                1 May 2021
                Second story
                https://www.unodc.org/a.html
                """
            )
        )
        assert [i.link for i in items] == [
            "https://www.unodc.org/a.html",
            "https://www.unodc.org/a.html#2021-05-01-second-story",
        ]
        assert "in.txt:4: warning: the story URL is also given for 'First story' (line 1)" in messages(problems)

    def test_a_fragment_link_never_equals_another_story_s_own_url(self) -> None:
        own = f"{LISTING_URL}#2022-01-20-trafficking-news"
        items, _ = normalized(listing(f"20 January 2022\nTrafficking news\n19 January 2022\nOther\n{own}\n"))
        assert [i.link for i in items] == [f"{own}-2", own]

    def test_fragments_stay_unique_when_long_titles_share_their_start(self) -> None:
        start = "A very long title that goes on and on about the same subject, "
        items, _ = normalized(listing(f"1 May 2021\n{start}part one\n1 May 2021\n{start}part two\n"))
        fragment = "2021-05-01-a-very-long-title-that-goes-on-and-on-about-the-same-subject"
        assert [i.link for i in items] == [f"{LISTING_URL}#{fragment}", f"{LISTING_URL}#{fragment}-2"]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("20 January 2027", "in.txt:1: warning: 20 January 2027 is in the future"),
        ("8 December 2201", "in.txt:1: error: 8 December 2201 is more than a year ahead: is the year right?"),
    ],
)
def test_dates_in_the_future_are_reported_when_today_is_known(day: str, message: str) -> None:
    lines, _ = decode(listing(f"{day}\nFrom the future\nText.\n"))
    raw, _ = parse(lines)
    _, problems = normalize(raw, today=date(2026, 11, 29))
    assert messages(problems) == [message]


@pytest.mark.parametrize(
    ("title", "markup"),
    [
        ("Human Rights &amp; Gender", "&amp;"),
        ("Rights &nbsp Gender", "&nbsp"),
        ("Fish &#38; chips", "&#38;"),
        ("Bold <b>claims</b>", "<b>"),
        ("An </i> end tag", "</i>"),
        ("A <Toolkit> launch", "<Toolkit>"),
        ("Human Rights & Gender Equality", None),
        ("R&D, Q&A and AT&T", None),
        ("a < b > c", None),
    ],
)
def test_titles_that_readers_would_take_for_html_are_found(title: str, markup: str | None) -> None:
    assert markup_in(title) == markup


def test_dates_before_1990_are_an_error() -> None:
    _, problems = normalized(listing("20 January 1921\nA story\nText.\n"))
    assert messages(problems) == ["in.txt:1: error: 20 January 1921 is before 1990: is the year right?"]
