"""Reading a listing page: its stories found by its structure, never its clutter.

The fixture pages (`tests/pages/NAME.html`, the seed in six markups) each give
exactly the listing beside them (`NAME.expected.txt`); small pages below
pin down each rule, and a property holds that clutter outside the records
never changes what is read.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markups import (
    CLUTTER_BLOCKS,
    MARKUPS,
    OUTSIDE_BLOCKS,
    PAGE_URL,
    Clutter,
    Markup,
    expected_listing,
    seed_stories,
)
from support import messages, read

from feedgen_unodc.extract import Extracted, extract, to_listing

PAGES = Path(__file__).parent / "pages"
STORIES = seed_stories()
MARKUP_IDS = [m.name for m in MARKUPS]


def stories(html: str) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    items, problems = extract(textwrap.dedent(html), PAGE_URL)
    assert not [p for p in problems if p.level.value == "error"], messages(problems)
    return [(i.date_line, i.title, i.story_url, i.paragraphs) for i in items]


def problems_of(html: str) -> list[str]:
    return messages(extract(textwrap.dedent(html), PAGE_URL)[1])


# --- the fixture pages --------------------------------------------------------------------------

# What each fixture page says beside its stories (the line is the page's).
FIXTURE_WARNINGS = {
    "cms": [],
    "table": [],
    "pager": ["in.txt:108: warning: a date outside the listing's stories, '12 November 2021', is ignored"],
    "cards": [],
    "hero": [],
    "dl": ["in.txt:121: warning: a date outside the listing's stories, '3 March 2022', is ignored"],
}


@pytest.mark.parametrize("markup", MARKUPS, ids=MARKUP_IDS)
def test_each_fixture_page_gives_exactly_its_listing(markup: Markup) -> None:
    items, problems = extract((PAGES / f"{markup.name}.html").read_text(encoding="utf-8"), PAGE_URL)
    assert to_listing(items) == (PAGES / f"{markup.name}.expected.txt").read_text(encoding="utf-8")
    assert messages(problems) == FIXTURE_WARNINGS[markup.name]


@pytest.mark.parametrize("markup", MARKUPS, ids=MARKUP_IDS)
def test_the_committed_fixtures_are_what_the_markups_make(markup: Markup) -> None:
    # Run `python tests/pages/make_pages.py` after changing the seed or tests/markups.py.
    assert (PAGES / f"{markup.name}.html").read_text(encoding="utf-8") == markup.render(STORIES, Clutter())
    assert (PAGES / f"{markup.name}.expected.txt").read_text(encoding="utf-8") == expected_listing(markup, STORIES)


@pytest.mark.parametrize("markup", MARKUPS, ids=MARKUP_IDS)
def test_each_fixture_reads_as_the_seed_copied_summary_and_all(markup: Markup) -> None:
    seed, _ = read((PAGES.parent.parent / "source" / "latest-news.txt").read_bytes())
    items, problems = read((PAGES / f"{markup.name}.expected.txt").read_bytes())
    assert [(i.id, i.title, i.paragraphs, i.summary_gap) for i in items] == [
        (i.id, i.title, i.paragraphs, i.summary_gap) for i in seed
    ]
    assert [i.story_url for i in items] == [s.url for s in sorted(STORIES, key=lambda s: s.day, reverse=True)]
    copied = [p.message for p in problems if "summary copied from" in p.message]
    assert len(copied) == 1
    assert copied[0].startswith("summary copied from 'Leading UN Forum Renews Commitment to…' (line ")
    assert copied[0].endswith("'Exploited and Prosecuted: When Victims…' is published without a summary")


# --- clutter never changes the stories ----------------------------------------------------------


@st.composite
def cluttered(draw: st.DrawFn) -> tuple[Markup, list[str], Clutter]:
    markup = draw(st.sampled_from(MARKUPS))
    count = draw(st.integers(5, len(STORIES)))
    blocks = st.lists(st.sampled_from(OUTSIDE_BLOCKS), max_size=2).map("\n".join)
    between: tuple[tuple[int, str], ...] = ()
    if markup.wrapped:  # between two records only where each record is one element
        between = tuple(
            draw(st.lists(st.tuples(st.integers(0, count - 2), st.sampled_from(CLUTTER_BLOCKS)), max_size=3))
        )
    return markup, [str(count)], Clutter(draw(blocks), draw(blocks), between)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cluttered())
def test_clutter_outside_the_records_never_changes_the_stories(case: tuple[Markup, list[str], Clutter]) -> None:
    markup, (count,), clutter = case
    some = STORIES[: int(count)]
    items, problems = extract(markup.render(some, clutter), PAGE_URL)
    assert to_listing(items) == expected_listing(markup, some)
    assert not [p for p in problems if p.level.value == "error"]


# --- what a record is ----------------------------------------------------------------------------


def test_html5_articles_with_their_own_header_time_and_read_more() -> None:
    assert stories(
        """
        <header><p>UNODC</p><p>12 March 2023</p></header>
        <main>
        <article>
          <header><time datetime="2022-01-20">Thu 20 Jan</time>
            <h2><a href="/story-1.html">Securing Evidence</a></h2></header>
          <p>Human trafficking is a global crime.</p>
          <p><a href="/story-1.html">Read more &raquo;</a></p>
        </article>
        <article>
          <p><span>14 December 2021</span> - <a href="2021/story-2.html">Good Use and Abuse</a></p>
          <p>Human traffickers who trick people.</p>
        </article>
        </main>
        <footer><p>1 January 2020</p></footer>
        """
    ) == [
        (
            "20 January 2022",
            "Securing Evidence",
            "https://www.unodc.org/story-1.html",
            ("Human trafficking is a global crime.",),
        ),
        (
            "14 December 2021",
            "Good Use and Abuse",
            "https://www.unodc.org/unodc/en/human-trafficking/2021/story-2.html",
            ("Human traffickers who trick people.",),
        ),
    ]


@pytest.mark.parametrize(
    ("date_html", "date_line"),
    [
        ("<time datetime='2021-12-18'>18 Dec 2021</time>", "18 December 2021"),
        ("<time datetime='2021-12-18T23:30:00-05:00'>Saturday</time>", "18 December 2021"),  # the page's own day
        ("<span>18 Dec 2021</span>", "18 December 2021"),  # an abbreviated month
        ("<span>18 Dec. 2021</span>", "18 December 2021"),
        ("<span>Dec 18, 2021</span>", "18 December 2021"),
        ("<span>Saturday, 18 December 2021</span>", "18 December 2021"),
        ("<p class=meta>Published: 18 December 2021</p>", "18 December 2021"),  # a label before the date
        ("<p>Posted on 18 December 2021</p>", "18 December 2021"),
        ("<b>2021-12-18</b>", "18 December 2021"),
        ("<b>31 June 2021</b>", "31 June 2021"),  # a mistyped date stays a date line: the normalizer says why
    ],
)
def test_the_date_of_a_record_in_its_forms(date_html: str, date_line: str) -> None:
    page = "".join(f"<li>{date_html}<h3><a href='/s{n}.html'>Story {n}</a></h3><p>Text {n}.</p></li>" for n in (1, 2))
    assert [s[0] for s in stories(f"<ul>{page}</ul>")] == [date_line, date_line]


def test_the_title_may_come_before_the_date_in_a_record() -> None:
    assert stories(
        """
        <ul>
        <li><h3><a href="/a.html">First story</a></h3><p>18 December 2021</p><p>Its text.</p></li>
        <li><h3><a href="/b.html">Second story</a></h3><p>16 December 2021</p><p>Its own text.</p></li>
        </ul>
        """
    ) == [
        ("18 December 2021", "First story", "https://www.unodc.org/a.html", ("Its text.",)),
        ("16 December 2021", "Second story", "https://www.unodc.org/b.html", ("Its own text.",)),
    ]


def test_in_a_flat_listing_a_record_starts_at_the_title_that_comes_right_before_each_date() -> None:
    assert stories(
        """
        <div id="content">
        <h1>Latest news</h1>
        <h3><a href="/a.html">First story</a></h3><p>18 December 2021</p><p>Its text.</p><p>More of it.</p>
        <h3><a href="/b.html">Second story</a></h3><p>16 December 2021</p><p>Its own text.</p>
        </div>
        """
    ) == [
        ("18 December 2021", "First story", "https://www.unodc.org/a.html", ("Its text.", "More of it.")),
        ("16 December 2021", "Second story", "https://www.unodc.org/b.html", ("Its own text.",)),
    ]


def test_a_flat_listing_of_text_and_line_breaks() -> None:
    assert stories(
        """
        <div>18 December 2021<br><a href="/a.html">First story</a><br>Its text.<br>More of it.<br>
        16 December 2021<br><a href="/b.html">Second story</a><br>Its own text.<br>
        15 December 2021<br><a href="/c.html">Third story</a><br>Text.<br>And more.<br>For the press: call us.</div>
        <div>Contact us</div>
        """
    ) == [
        ("18 December 2021", "First story", "https://www.unodc.org/a.html", ("Its text.", "More of it.")),
        ("16 December 2021", "Second story", "https://www.unodc.org/b.html", ("Its own text.",)),
        # The last story takes no more lines than the longest other: what follows is the page's.
        ("15 December 2021", "Third story", "https://www.unodc.org/c.html", ("Text.", "And more.")),
    ]


@pytest.mark.parametrize(
    ("title_html", "title"),
    [
        ("<h4>Kicker</h4><h3>The title</h3>", "The title"),  # the heading highest in rank
        ("<a href='/x.html'><b>The title</b></a><br><a href='/t.html'>tag</a>", "The title"),  # a bold link first
        ("<p><a href='/t.html'>Topic</a></p><p><strong>The title</strong></p>", "Topic"),  # a link before bold text
        ("<p>The title</p>", "The title"),  # else the first line
    ],
)
def test_the_title_is_the_heading_or_the_most_prominent_link(title_html: str, title: str) -> None:
    page = "".join(f"<div><p>1{n} December 2021</p>{title_html}<p>Text {n}, long enough.</p></div>" for n in (1, 2))
    assert [s[1] for s in stories(f"<main>{page}</main>")] == [title, title]


def test_the_story_url_is_the_title_link_else_the_read_more_link() -> None:
    assert [
        s[2]
        for s in stories(
            """
        <ul>
        <li><p>18 December 2021</p><h3><a href="/title.html">Linked title</a></h3>
          <p>Text. <a href="/more.html">more</a></p></li>
        <li><p>16 December 2021</p><h3>Plain title</h3><p>Text. <a href="/more2.html">Read more</a></p></li>
        <li><p>15 December 2021</p><h3>No link</h3><p>Text. <a href="#">more</a></p></li>
        </ul>
        """
        )
    ] == ["https://www.unodc.org/title.html", "https://www.unodc.org/more2.html", None]


def test_summary_paragraphs_stay_paragraphs_and_link_only_lines_go() -> None:
    (story,) = stories(
        """
        <ul>
        <li><p>18 December 2021</p><h3>A title</h3>
          <figure><img src="x.jpg" alt=""><figcaption>Photo: UNODC</figcaption></figure>
          <p>First paragraph.</p><div>Second paragraph, in a div.</div>
          <p>Third<br>paragraph, one line each.</p>
          <div class="share">Share: <a href="https://twitter.com">Twitter</a> <a href="mailto:?">Email</a></div>
          <p>Fourth, with <a href="/report.html">a link inside</a> it.</p>
          <p>https://www.unodc.org/bare-url.html</p>
          <p><a href="/a.html">Continue reading &rarr;</a></p>
        </li>
        <li><p>16 December 2021</p><h3>Another</h3><p>Text.</p></li>
        </ul>
        """
    )[:1]
    assert story[3] == (
        "First paragraph.",
        "Second paragraph, in a div.",
        "Third",
        "paragraph, one line each.",
        "Fourth, with a link inside it.",
    )


def test_where_blank_lines_part_paragraphs_a_single_break_only_breaks_a_line() -> None:
    (story, _) = stories(
        """
        <dl>
        <dt>18 December 2021</dt>
        <dd><b>A title</b><br><br>One paragraph,<br>on two lines.<br><br>
            Another...... <a href="/a.html">read more</a></dd>
        <dt>16 December 2021</dt><dd><b>Another title</b><br><br>Text.</dd>
        </dl>
        """
    )
    assert story[3] == ("One paragraph, on two lines.", "Another.")


def test_a_record_shown_twice_adds_nothing() -> None:
    page = """
        <section class="hero"><h2><a href="/a.html">First story</a></h2><p>18 December 2021</p><p>Teaser.</p></section>
        <ul>
        <li><p>18 December 2021</p><h3><a href="/a.html">First story</a></h3><p>Its whole text.</p></li>
        <li><p>16 December 2021</p><h3><a href="/b.html">Second story</a></h3><p>Its own text.</p></li>
        <li><p>16 December 2021</p><h3><a href="/b.html">Second story</a></h3><p>Its own text.</p></li>
        </ul>
        <div class="most-read"><ol><li><a href="/b.html">Second story</a> 16 December 2021</li>
        <li><a href="/a.html">First…</a> 18 December 2021</li></ol></div>
        """
    assert [s[1] for s in stories(page)] == ["First story", "Second story"]
    assert problems_of(page) == []


# --- doubt is loud ---------------------------------------------------------------------------------

LIST = "".join(
    f"<li><p>1{n} December 2021</p><h3><a href='/s{n}.html'>The story number {n}</a></h3><p>Its text {n}.</p></li>"
    for n in range(1, 5)
)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            f"<ul>{LIST}</ul><div><p>24 February 2022</p><p>Events: a meeting in Vienna.</p></div>",
            ["in.txt:1: warning: a date outside the listing's stories, '24 February 2022', is ignored"],
        ),
        (
            f"<ul>{LIST}<li><p>10 December 2021</p><h3><a href='/5.html'>Fifth story</a></h3><p>Text.</p>"
            "<p>12 December 2021</p></li></ul>",
            [
                "in.txt:1: warning: a story with two dates, '10 December 2021' (line 1) and '12 December 2021': "
                "the first is its date"
            ],
        ),
        (
            f"<ul>{LIST}<li><p>10 December 2021</p><h3><a href='/x.html'>Read more</a></h3></li></ul>",
            ["in.txt:1: warning: the story dated '10 December 2021' has no title; left out"],
        ),
        (
            f"<ul>{LIST}<li><h3><a href='/x.html'>An undated story</a></h3><p>Its text, long enough.</p></li></ul>",
            ["in.txt:1: warning: a <li> shaped like the stories has no date; it is left out"],
        ),
        (
            f"<ul>{LIST}</ul>".replace("<p>Its text 4.</p>", "<p>Its text 4, and the story number 2 again.</p>"),
            [
                "in.txt:1: warning: the summary of 'The story number 4' holds the title of 'The story number 2' "
                "(line 1): is another story's text in it?"
            ],
        ),
        (
            "<ul><li><time datetime='2021-12-17'>18 December 2021</time><h3>A</h3><p>T.</p></li>"
            "<li><time datetime='2021-12-16'>16 Dec 2021</time><h3>B</h3><p>T.</p></li></ul>",
            [
                "in.txt:1: warning: a <time> gives 2021-12-17 but shows '18 December 2021'; "
                "the story is dated 2021-12-17"
            ],
        ),
    ],
    ids=["date outside", "two dates", "no title", "undated lookalike", "another's title", "time disagrees"],
)
def test_each_doubt_is_a_warning_with_its_line(page: str, expected: list[str]) -> None:
    assert problems_of(page) == expected


def test_blocks_of_another_shape_among_the_records_are_left_out_with_a_warning() -> None:
    odd = "".join(
        f"<li><span>2{n} November 2021</span><ul><li><a href='/o{n}.html'>Odd {n}</a></li></ul></li>" for n in (1, 2)
    )
    page = f"<ul>{LIST}{odd}</ul>"
    assert [s[1] for s in stories(page)] == [f"The story number {n}" for n in range(1, 5)]
    assert problems_of(page) == [
        "in.txt:1: warning: records of mixed shapes: 2 dated <li> blocks unlike the other 4 are not read as stories"
    ]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "<p>18 December 2021</p><h3>The only story</h3><p>Text.</p>",
            "the page has one dated block only",
        ),
        (
            "<div class=a><p>18 December 2021</p><h3>One</h3><p>Text one.</p><p>17 December 2021</p><h3>Two</h3>"
            "<p>Text two.</p></div><ol class=b><li><a href=/x>Other one</a> 1 May 2020</li>"
            "<li><a href=/y>Other two</a> 2 May 2020</li></ol>",
            "two sets of dated blocks alike, 2 from line 1 and 2 from line 1, hold about as much text",
        ),
        ("<div>" * 3000 + "<p>18 December 2021</p>" + "</div>" * 3000, "nests its elements too deeply"),
        ("", "the page has no content"),
    ],
    ids=["one story", "two lists alike", "too deep", "empty"],
)
def test_a_page_whose_records_cannot_be_told_apart_is_refused(page: str, message: str) -> None:
    items, problems = extract(page, PAGE_URL)
    assert items == []
    assert [p.level.value for p in problems] == ["error"]
    assert message in problems[0].message


def test_an_extracted_story_knows_its_line_in_the_page() -> None:
    items, _ = extract(
        "<ul>\n<li><p>18 December 2021</p><h3>A</h3></li>\n<li><p>16 December 2021</p><h3>B</h3></li></ul>", PAGE_URL
    )
    assert [i.line for i in items] == [2, 3]
    assert items[0] == Extracted("18 December 2021", "A", None, (), 2)


# --- markups the first design misread (an adversarial review's findings), each as small as it gets ---------

A = ("18 December 2021", "Story A", "https://www.unodc.org/a.html", ("Text A.",))
B = ("16 December 2021", "Story B", "https://www.unodc.org/b.html", ("Text B.",))
C = ("10 December 2021", "Story C", "https://www.unodc.org/c.html", ("Text C.",))


def li(story: tuple[str, str, str | None, tuple[str, ...]], extra: str = "") -> str:
    day, title, url, (text,) = story
    return f"<li><p>{day}</p><h3><a href='{url}'>{title}</a></h3><p>{text}</p>{extra}</li>"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (  # a grid whose last row holds one card
            "<div class=grid><div class=row>"
            "<div class=col><p>18 December 2021</p><h4><a href=/a.html>Story A</a></h4><p>Text A.</p></div>"
            "<div class=col><p>16 December 2021</p><h4><a href=/b.html>Story B</a></h4><p>Text B.</p></div></div>"
            "<div class=row><div class=col><p>10 December 2021</p><h4><a href=/c.html>Story C</a></h4><p>Text C.</p>"
            "</div></div></div>",
            [A, B, C],
        ),
        (  # a list per month, one month of one story
            f"<div><h2>December 2021</h2><ul>{li(A)}{li(B)}</ul><h2>November</h2><ul>{li(C)}</ul></div>",
            [A, B, C],
        ),
        (  # WordPress: a published and an updated <time> in one link
            "".join(
                f"<article><h2><a href='{url}'>{title}</a></h2><div class=meta><a href='{url}'>"
                f"<time datetime='2021-12-{day[:2]}'>{day}</time><time datetime='2022-02-01'>1 Feb 2022</time>"
                f"</a></div><p>{text}</p></article>"
                for day, title, url, (text,) in (A, B)
            ),
            [A, B],
        ),
        (  # posted and updated, side by side in two paragraphs
            "<main>"
            + "".join(
                f"<article><h2><a href='{url}'>{title}</a></h2><p>Posted on {day}</p><p>Updated on 1 February 2022</p>"
                f"<p>{text}</p></article>"
                for day, title, url, (text,) in (A, B)
            )
            + "</main>",
            [A, B],
        ),
        (  # a box of related stories, with their dates, inside each story
            "<main>"
            + "".join(
                f"<article><p>{day}</p><h2><a href='{url}'>{title}</a></h2><p>{text}</p><div><h4>Related</h4><ul>"
                "<li><a href='/r1.html'>An older story</a> <span>8 March 2021</span></li>"
                "<li><a href='/r2.html'>Another older one</a> <span>2 March 2021</span></li></ul></div></article>"
                for day, title, url, (text,) in (A, B, C)
            )
            + "</main>",
            [A, B, C],
        ),
        (  # a link around the heading; a whole card wrapped in its link
            "<div><div class=card><a href=/a.html><h3>Story A</h3></a><p>18 December 2021</p><p>Text A.</p></div>"
            "<a class=card href=/b.html><h5>Story B</h5><small>Dec 16, 2021</small><p>Text B.</p></a></div>",
            [A, B],
        ),
        (  # a flat list with month headings among the stories
            "<div><h2>December 2021</h2><p>18 December 2021</p><h3><a href=/a.html>Story A</a></h3><p>Text A.</p>"
            "<p>16 December 2021</p><h3><a href=/b.html>Story B</a></h3><p>Text B.</p><h2>November 2021</h2>"
            "<p>10 December 2021</p><h3><a href=/c.html>Story C</a></h3><p>Text C.</p></div>",
            [A, B, C],
        ),
        (  # a flat list of <br>s, a paragraph with no link in it
            "<div><b>18 December 2021</b><br><a href=/a.html>Story A</a><br>Text A.... <a href=/a.html>more</a><br><br>"
            "<b>16 December 2021</b><br><a href=/b.html>Story B</a><br>Text B.<br>More B.... <a href=/b.html>more</a>"
            "</div>",
            [A, ("16 December 2021", "Story B", "https://www.unodc.org/b.html", ("Text B.", "More B."))],
        ),
        (  # title first, and the page's own "Updated:" line before the first story
            "<div><h1>Latest news</h1><p>Updated: 3 March 2022</p>"
            "<h3><a href=/a.html>Story A</a></h3><p>18 December 2021</p><p>Text A.</p>"
            "<h3><a href=/b.html>Story B</a></h3><p>16 December 2021</p><p>Text B.</p>"
            "<h3><a href=/c.html>Story C</a></h3><p>10 December 2021</p><p>Text C.</p></div>",
            [A, B, C],
        ),
        (  # a note after the last story of a flat list
            "<div><p>18 December 2021</p><h3><a href=/a.html>Story A</a></h3><p>Text A.</p>"
            "<p>16 December 2021</p><h3><a href=/b.html>Story B</a></h3><p>Text B.</p>"
            "<p>For media enquiries, please contact the press office.</p></div>",
            [A, B],
        ),
        (  # the date's own words: a time of day, a byline, a kind of story
            "<ul>"
            + li(A).replace("<p>18 December 2021</p>", "<p>18 December 2021, 10:30 CET</p>")
            + li(B).replace("<p>16 December 2021</p>", "<p>Press release | 16 December 2021</p>")
            + li(C).replace("<p>10 December 2021</p>", "<p><span>10 December 2021</span> <span>by UNODC</span></p>")
            + "</ul>",
            [A, B, C],
        ),
        (  # the page wrapped in a <form>; an item's <header> outside any <article>
            "<form><div>"
            + "".join(
                f"<div class=item><header><h3><a href='{url}'>{title}</a></h3><span>{day}</span></header><p>{text}</p>"
                "</div>"
                for day, title, url, (text,) in (A, B)
            )
            + "</div></form>",
            [A, B],
        ),
        (  # a bold date inside a summary's sentence
            "<ul>" + li(A).replace("Text A.", "Held on <b>8 December 2021</b> in Vienna.") + li(B) + li(C) + "</ul>",
            [(*A[:3], ("Held on 8 December 2021 in Vienna.",)), B, C],
        ),
        (  # "Read more" with words for screen readers; a badge beside the title link
            "<ul>"
            + li(A, "<a href=/a.html>Read more<span class=sr-only> about Story A</span></a>")
            + li(B).replace("Story B</a>", "Story B</a> <span class=badge>New</span>")
            + "</ul>",
            [A, B],
        ),
        (  # a calendar badge whose parts run together in the markup
            "<ul>"
            + "".join(
                f"<li><div class=date><span>{day.split()[0]}</span><span>{day.split()[1][:3]}</span><span>2021</span>"
                f"</div><h3><a href='{url}'>{title}</a></h3><p>{text}</p></li>"
                for day, title, url, (text,) in (A, B)
            )
            + "</ul>",
            [A, B],
        ),
        (  # a sidebar list of events standing as deep in the page as the listing
            "<div class=row><div class=main><ul>"
            + li((*A[:3], ("A summary of story A, long enough to be a story's.",)))
            + li((*B[:3], ("A summary of story B, long enough to be a story's.",)))
            + "</ul></div><div class=side><ul><li><span>3 March 2022</span> <a href=/e1>Meeting</a></li>"
            "<li><span>8 March 2022</span> <a href=/e2>Forum</a></li></ul></div></div>",
            [
                (*A[:3], ("A summary of story A, long enough to be a story's.",)),
                (*B[:3], ("A summary of story B, long enough to be a story's.",)),
            ],
        ),
        (  # a short summary that is a sentence with a link
            "<ul>" + li(A).replace("Text A.", "See <a href=/s.pdf>the full statement</a>.") + li(B) + "</ul>",
            [(*A[:3], ("See the full statement.",)), B],
        ),
        (  # a heading whose title holds a date after a colon
            "<ul>"
            + li(A).replace(">Story A<", ">Statement: 18 December 2021<")
            + li(B)
            + li(C)
            + "</ul>",
            [("18 December 2021", "Statement: 18 December 2021", "https://www.unodc.org/a.html", ("Text A.",)), B, C],
        ),
    ],
    ids=[
        "grid's last row", "month of one story", "published and updated times", "posted and updated lines",
        "related box in each story", "links around blocks", "flat month headings", "flat <br> paragraphs",
        "page's updated line, title first", "note after a flat list", "the date's own words",
        "form and item headers", "date inside a sentence", "screen-reader read more and a badge",
        "calendar badge", "sidebar events as deep", "sentence with a link", "title with a date",
    ],
)  # fmt: skip
def test_markups_a_review_found(page: str, expected: list[tuple[str, str, str | None, tuple[str, ...]]]) -> None:
    assert stories(page) == expected


@pytest.mark.parametrize("mark", ["\u200e", "\u202b", "\u2067", "\u00ad", "\u180e", "\u034f"])
def test_an_invisible_character_never_hides_a_date_on_a_page(mark: str) -> None:
    page = f"<ul>\n{li(A)}\n{li(B).replace('<p>16', f'<p>{mark}16')}\n{li(C)}</ul>"
    items, problems = extract(page, PAGE_URL)
    assert [(i.date_line, i.title) for i in items] == [(s[0], s[1]) for s in (A, B, C)]
    assert messages(problems) == [
        f"in.txt:3: warning: removed 1 invisible character (U+{ord(mark):04X}) from the page's text, the first here"
    ]


LONG = "Countries of South Eastern Europe met in Belgrade to agree on joint investigations of migrant smuggling."


def item(day: str, n: int, extra: str = "") -> str:
    return (
        f"<div class=item><p>{day}</p><h3><a href=/s{n}.html>Story number {n} here</a></h3><p>{LONG}</p>{extra}</div>"
    )


def told(day: str, n: int) -> tuple[str, str, str | None, tuple[str, ...]]:
    return (day, f"Story number {n} here", f"https://www.unodc.org/s{n}.html", (LONG,))


THREE = item("18 December 2021", 1) + item("16 December 2021", 2) + item("10 December 2021", 3)
TOLD = [told("18 December 2021", 1), told("16 December 2021", 2), told("10 December 2021", 3)]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (  # a footer in a plain div beside the stories: a heading, no link
            f"<div>{THREE}<div class=footer><h3>United Nations Office on Drugs and Crime</h3>"
            "<p>Vienna International Centre, Austria</p><p>3 March 2022</p></div></div>",
            TOLD,
        ),
        (  # a "more news" box beside the stories, its dates in divs
            f"<div>{THREE}<div class=box><h3>More news</h3><div><div>12 November 2021</div>"
            "<div><a href=/x.html>UNODC at the Global Forum</a></div></div><div><div>3 March 2020</div>"
            "<div><a href=/y.html>Another story</a></div></div></div></div>",
            TOLD,
        ),
        (  # a most-read entry of the same markup, its title cut inside a word
            f"<div>{THREE}<h2>Most read</h2><div class=item><p>16 December 2021</p>"
            "<h3><a href=/s2.html>Story number 2 he…</a></h3></div></div>",
            TOLD,
        ),
        (  # a second date in some summaries: the stories' own text
            "<ul>"
            + "".join(
                f"<li><p>{day} December 2021</p><h3><a href=/s{day}.html>Story {day} about smuggling</a></h3>"
                f"<p>{LONG}</p>{'<p>Deadline: 31 January 2022</p>' if day % 4 == 0 else ''}</li>"
                for day in (20, 18, 16, 14, 12, 10)
            )
            + "</ul>",
            [
                (f"{day} December 2021", f"Story {day} about smuggling", f"https://www.unodc.org/s{day}.html",
                 (LONG, "Deadline: 31 January 2022") if day % 4 == 0 else (LONG,))
                for day in (20, 18, 16, 14, 12, 10)
            ],
        ),
        (  # a linked heading whose title holds a date
            "<ul><li><p>18 December 2021</p><h3><a href=/a.html>Expert Group Meeting | 18 December 2021</a></h3>"
            f"<p>{LONG}</p></li>{li(B)}{li(C)}</ul>",
            [("18 December 2021", "Expert Group Meeting | 18 December 2021", "https://www.unodc.org/a.html", (LONG,)),
             B, C],
        ),
        (  # a sentence that ends with a date, alone in a paragraph
            "<ul>" + li(A, "<p>Registration closes on 31 January 2022.</p>") + li(B) + li(C) + "</ul>",
            [(*A[:3], ("Text A.", "Registration closes on 31 January 2022.")), B, C],
        ),
        (  # an inline "more news" line of links and dates after a flat list
            "<div><p>18 December 2021</p><h3><a href=/a.html>Story A</a></h3><p>Text A.</p>"
            "<p>16 December 2021</p><h3><a href=/b.html>Story B</a></h3><p>Text B.</p>"
            "<p>More news: <a href=/x.html>UNODC at the Global Forum on Migration</a> (12 November 2021), "
            "<a href=/y.html>Ministers mark the anniversary of the Protocol</a> (3 March 2020)</p></div>",
            [A, B],
        ),
        (  # a bold link and a heading in the summary, after its text: not the title
            "<ul>"
            + "".join(
                f"<li><span>{day}</span><br><a href='{url}'>{title}</a><p>{LONG}</p><h4>Background</h4>"
                "<p><b><a href=/r.pdf>Download the report</a></b></p></li>"
                for day, title, url, _ in (A, B)
            )
            + "</ul>",
            [(*A[:3], (LONG,)), (*B[:3], (LONG,))],
        ),
        (  # content hidden by an inline style
            "<ul>" + li(A, "<div style='display: none'><p>The full text, hidden.</p></div>") + li(B) + "</ul>",
            [A, B],
        ),
        (  # a flat list followed by the page's own lines: a pager, a label and its links, an address, a rule
            "<div><p>18 December 2021</p><h3><a href=/a.html>Story A</a></h3><p>Text A.</p><p>More of A.</p>"
            "<p>16 December 2021</p><h3><a href=/b.html>Story B</a></h3><p>Text B.</p>"
            "<p>Page 1 of 12 <a href=?p=2>2</a> <a href=?p=3>3</a> <a href=?p=2>Next</a></p></div>"
            "<div><p>10 December 2021</p><h3><a href=/c.html>Story C</a></h3><p>Text C.</p><p>More of C.</p>"
            "<p>15 November 2021</p><h3><a href=/d.html>Story D</a></h3><p>Text D.</p>"
            "<p>Previous news:<br><a href=/x.html>An old story</a></p></div>"
            "<div><p>1 November 2021</p><h3><a href=/e.html>Story E</a></h3><p>Text E.</p><p>More of E.</p>"
            "<p>28 October 2021</p><h3><a href=/f.html>Story F</a></h3><p>Text F.</p>"
            "<p>UNODC, Vienna International Centre, Wagramer Strasse 5, Vienna</p><p>3 March 2022</p></div>"
            "<div><p>20 October 2021</p><h3><a href=/g.html>Story G</a></h3><p>Text G.</p><p>More of G.</p>"
            "<p>18 October 2021</p><h3><a href=/h.html>Story H</a></h3><p>Text H.</p><hr>"
            "<p>The designations employed do not imply any opinion whatsoever of the Secretariat.</p></div>",
            [
                (day, f"Story {n}", f"https://www.unodc.org/{n.lower()}.html", paragraphs)
                for day, n, paragraphs in [
                    ("18 December 2021", "A", ("Text A.", "More of A.")), ("16 December 2021", "B", ("Text B.",)),
                    ("10 December 2021", "C", ("Text C.", "More of C.")), ("15 November 2021", "D", ("Text D.",)),
                    ("1 November 2021", "E", ("Text E.", "More of E.")), ("28 October 2021", "F", ("Text F.",)),
                    ("20 October 2021", "G", ("Text G.", "More of G.")), ("18 October 2021", "H", ("Text H.",)),
                ]
            ],
        ),
        (  # dates in other forms
            "<ul>" + li(A).replace("18 December 2021", "18-Dec-2021") + li(B).replace("16 December 2021", "16.Dec.2021")
            + li(C).replace("10 December 2021", "2021 December 10") + "</ul>",
            [A, B, C],
        ),
        (  # a bold title and its date in brackets on one line
            "<ul>"
            + "".join(
                f"<li><strong>{t}</strong> ({d})<p>{x}</p><p><a href='{u}'>Read more</a></p></li>"
                for d, t, u, (x,) in (A, B)
            )
            + "</ul>",
            [A, B],
        ),
    ],
    ids=[
        "footer beside the items", "more-news box beside the items", "most-read entry cut short",
        "a deadline in some summaries", "a linked title with a date", "a sentence ending with a date",
        "inline more news after a flat list", "bold link and heading in a summary", "display none",
        "the page's lines after flat lists", "other date forms", "bold title (date)",
    ],
)  # fmt: skip
def test_markups_a_second_review_found(page: str, expected: list[tuple[str, str, str | None, tuple[str, ...]]]) -> None:
    assert stories(page) == expected


def test_two_lists_under_headings_of_their_own_are_refused() -> None:
    page = (
        f"<main><section><h2>Latest news</h2><ul>{li(A)}{li(C)}</ul></section>"
        f"<section><h2>Press releases</h2><ul>{li(B)}{li(C).replace('Story C', 'Story D')}</ul></section></main>"
    )
    items, problems = extract(page, PAGE_URL)
    assert items == []
    assert messages(problems) == [
        "in.txt:1: error: two lists of stories under headings of their own, 'Latest news' and 'Press releases' "
        "(line 1), hold about as much text: cannot tell which is the listing"
    ]


def test_a_list_far_longer_than_another_under_its_own_heading_is_the_listing() -> None:
    news = "".join(
        li((f"{n} December 2021", f"Story {n}", f"https://www.unodc.org/{n}.html", ("Text.",))) for n in range(10, 20)
    )
    page = (
        f"<main><section><h2>Latest news</h2><ul>{news}</ul></section>"
        f"<section><h2>Press</h2><ul>{li(B)}</ul></section></main>"
    )
    assert len(stories(page)) == 10
