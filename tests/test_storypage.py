"""A story's own page: what it gives, made safe, and whether it is a witness of the listing's story."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from support import listing, read

from feedgen_unodc.model import Item
from feedgen_unodc.safehtml import safe_html
from feedgen_unodc.storypage import MAX_PAGE_CHARS, StoryPage, confirm, read_page

PAGES = Path(__file__).with_name("pages")
BASE = "https://www.unodc.org/unodc/en/human-trafficking/2022/January/"
UNSAFE = re.compile(
    r"<(script|style|iframe|object|embed|form|input|button|svg)|\son\w+=|javascript:|vbscript:|data:", re.I
)


def page(name: str, url: str = BASE + "story.html") -> StoryPage:
    return read_page((PAGES / name).read_text(), url)


def item(text: str) -> Item:
    """The listing's one story, read as the listing is."""
    (story,), _ = read(listing(text))
    return story


class TestWhatAPageGives:
    def test_a_cms_page_gives_its_article_without_the_clutter_around_it(self) -> None:
        story = page("story-cms.html")
        assert story.title == "Securing evidence: the key to convictions"
        assert story.day == date(2022, 1, 20)  # the dateline
        assert story.canonical == BASE + "securing-evidence.html"
        assert (story.image, story.image_alt) == ("https://www.unodc.org/images/evidence.jpg", "Investigators at work")
        assert story.article is not None
        assert story.article.startswith("<p>Vienna (Austria), 20 January 2022 \u2013 Traffickers are convicted")
        assert '<img src="https://www.unodc.org/images/team.jpg" alt="A training session"' in story.article
        for clutter in (
            "Home",
            "About us",
            "Share on Twitter",
            "Related stories",
            "newsletter",
            "Terms of use",
            "<h1>",
        ):
            assert clutter not in story.article
        assert "alert" not in story.article

    def test_an_html5_article_gives_its_time_and_its_figure(self) -> None:
        story = page("story-html5.html", "https://example.org/news/sahel.html")
        assert story.title == "Smugglers' routes shift across the Sahel"
        assert story.day == date(2023, 5, 4)
        assert (story.image, story.image_alt) == (
            "https://example.org/news/images/sahel.jpg",
            "A road across the desert",
        )
        assert story.article is not None
        assert "longer and more dangerous desert routes" in story.article
        assert "Copyright" not in story.article

    def test_nothing_unsafe_leaves_a_hostile_page(self) -> None:
        story = page("story-hostile.html", "https://www.unodc.org/unodc/en/x/hostile.html")
        assert story.article is not None
        assert UNSAFE.search(story.article) is None, story.article
        assert 'href="https://www.unodc.org/unodc/en/rel.html"' in story.article
        assert story.image in (None, "https://www.unodc.org/img/ok.jpg")  # never the javascript: og:image
        assert story.article.startswith("<p>Vienna (Austria), 3 March 2023 \u2013 New laws across the region")

    def test_something_that_is_no_page_gives_nothing(self) -> None:
        assert read_page("", BASE) == StoryPage(None, None, None, None, None, None, "")

    def test_a_page_of_megabytes_gives_nothing_rather_than_a_guess(self) -> None:
        body = (PAGES / "story-cms.html").read_text()
        filler = "<p>Other news from the region and elsewhere, repeated to make the page huge.</p>" * 40_000
        huge = body.replace("<footer>", f'<div class="related">{filler}</div><footer>')
        assert len(huge) > MAX_PAGE_CHARS
        assert read_page(huge, BASE) == StoryPage(None, None, None, None, None, None, "")


SECURING = (
    "20 January 2022\n"
    "Securing evidence: the key to convictions\n"
    "Traffickers are convicted when evidence holds in court."
    " A new UNODC guide helps investigators secure it from the first day of a case.\n"
)


class TestTheSecondWitness:
    def test_the_page_that_begins_with_the_summary_is_confirmed(self) -> None:
        verdict = confirm(item(SECURING), page("story-cms.html"))
        assert verdict == ([], True)

    def test_an_error_page_served_with_200_is_not_used(self) -> None:
        verdict = confirm(item(SECURING), page("story-error.html"))
        assert not verdict.confirmed
        assert verdict.warnings == [
            "'Securing evidence: the key to…': the story's page does not begin with the listing's summary;"
            " the page is not used"
        ]

    def test_a_date_that_contradicts_the_listing_is_a_warning_and_the_listing_wins(self) -> None:
        verdict = confirm(item(SECURING.replace("20 January", "21 January")), page("story-cms.html"))
        assert verdict.confirmed
        assert verdict.warnings == [
            "'Securing evidence: the key to…': the story's page dates it 2022-01-20, the listing 2022-01-21;"
            " the listing's date is kept"
        ]

    def test_another_title_is_a_warning_naming_both(self) -> None:
        verdict = confirm(item(SECURING.replace("the key to", "key for")), page("story-cms.html"))
        assert verdict.confirmed
        assert verdict.warnings == [
            "'Securing evidence: key for convictions': the story's page calls it 'Securing evidence: the key to"
            " convictions', the listing 'Securing evidence: key for convictions'; the listing's title is kept"
        ]

    def test_a_story_without_a_summary_cannot_be_confirmed(self) -> None:
        story = item("20 January 2022\nSecuring evidence: the key to convictions\n")
        assert not confirm(story, page("story-cms.html")).confirmed

    def test_a_summary_too_short_to_recognise_a_page_by_confirms_none(self) -> None:
        # "Vienna" begins the story's page, and begins any error page of the same site as well.
        story = item("20 January 2022\nSecuring evidence: the key to convictions\nVienna (Austria).\n")
        assert confirm(story, page("story-cms.html")) == (
            [
                "'Securing evidence: the key to…': the listing's summary is too short to recognise the story's"
                " page by; the page is not used"
            ],
            False,
        )

    def test_another_story_is_found_on_the_page_by_whole_words_only(self) -> None:
        cms = page("story-cms.html")
        held = _folded_of_cms(cms)
        cut = held[:-2]  # its last word cut short: in the text as letters, not as a word
        assert confirm(item(SECURING), cms, [cut]).confirmed
        assert not confirm(item(SECURING), cms, [held]).confirmed


def _folded_of_cms(story: StoryPage) -> str:
    """Another listed story's opening that the CMS page holds, word for word: eight words from its middle."""
    words = re.findall(r"\w+", story.text.casefold())
    return " ".join(words[20:28])


class TestTheFirstImageOfAnArticle:
    def test_is_taken_as_written_not_as_escaped_html(self) -> None:
        # The CMS page without its og:image, its figure's image named with an escaped "&".
        html = re.sub(r'<meta property="og:image[^>]*>', "", (PAGES / "story-cms.html").read_text())
        html = html.replace(
            'src="/images/team.jpg" alt="A training session"', 'src="/i.jpg?id=1&amp;w=6" alt="A &amp; B"'
        )
        story = read_page(html, BASE + "story.html")
        assert (story.image, story.image_alt) == ("https://www.unodc.org/i.jpg?id=1&w=6", "A & B")


@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcdefghijklmnopqrstuvwxyz:;&#")), max_size=200))
def test_the_sanitizer_lets_nothing_unsafe_through(fragment: str) -> None:
    words = ["<script>", "<iframe src=x>", "<a href=javascript:x>", "<img src=data:x onerror=y>", "<form>", fragment]
    assert UNSAFE.search(safe_html("".join(words) + fragment, BASE)) is None
