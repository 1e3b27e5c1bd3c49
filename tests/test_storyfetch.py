"""Reading story pages from a local site: robots.txt, the per-run share, failures retried later, never a
failed run, and nothing unsafe or unconfirmed kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pageserver import Answer, Site, serve
from PIL import Image as Pillow
from support import listing, read

from feedgen_unodc.model import Image, Item
from feedgen_unodc.pagestore import KeptPage
from feedgen_unodc.storyfetch import Reading, read_pages
from feedgen_unodc.storyplan import FIRST_RETRY

PAGES = Path(__file__).with_name("pages")
NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
SECURING = (
    "20 January 2022\n"
    "Securing evidence: the key to convictions\n"
    "Traffickers are convicted when evidence holds in court."
    " A new UNODC guide helps investigators secure it from the first day of a case.\n"
)
STORY = "/unodc/en/human-trafficking/2022/January/securing-evidence.html"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        yield running


def story(site: Site, path: str = STORY) -> Item:
    (item,), _ = read(listing(SECURING))
    return replace(item, story_url=site.url(path))


def reading(
    stories: list[Item],
    records: dict[str, KeptPage] | None = None,
    now: datetime = NOW,
    limit: int = 10,
    pause: float = 1.0,
) -> tuple[Reading, list[float]]:
    """A run's reading of story pages, and the pauses it made (recorded, not slept)."""
    pauses: list[float] = []
    result = read_pages(
        stories, records or {}, now, limit=limit, pause=pause, timeout=5, retries=0, sleep=pauses.append
    )
    return result, pauses


def jpeg(width: int, height: int) -> bytes:
    """A real JPEG image of that size."""
    data = BytesIO()
    Pillow.new("RGB", (width, height), "navy").save(data, "JPEG")
    return data.getvalue()


def test_a_story_page_is_read_once_and_confirmed_and_its_image_measured(site: Site) -> None:
    site.answers[STORY] = [Answer(body=(PAGES / "story-cms.html").read_bytes(), etag='"v1"')]
    image = jpeg(64, 36)
    site.answers["/images/evidence.jpg"] = [Answer(body=image, content_type="image/jpeg")]
    item = story(site)
    result, _ = reading([item])
    assert result.warnings == []
    kept = result.pages[site.url(STORY)]
    assert kept.image == Image(
        site.url("/images/evidence.jpg"), "Investigators at work", "image/jpeg", len(image), 64, 36
    )
    assert kept.article is not None
    assert "Share on Twitter" not in kept.article
    assert (kept.title, kept.day, kept.etag, kept.read_at) == (
        "Securing evidence: the key to convictions",
        date(2022, 1, 20),
        '"v1"',
        NOW,
    )
    again, _ = reading([item], result.pages)
    assert again.pages == {}
    assert site.hits(STORY) == 1  # the second run asks for nothing


def test_a_page_read_again_is_asked_for_only_if_it_changed(site: Site) -> None:
    site.answers[STORY] = [Answer(body=(PAGES / "story-cms.html").read_bytes(), etag='"v1"')]
    site.answers["/images/evidence.jpg"] = [Answer(body=jpeg(8, 8), content_type="image/jpeg")]
    item = story(site)
    first, _ = reading([item])
    corrected = replace(item, title="Securing evidence, the key to convictions")
    second, _ = reading([corrected], first.pages, now=NOW + FIRST_RETRY)
    headers = [h for path, h in site.requests if path == STORY][-1]
    assert headers.get("If-None-Match") == '"v1"'  # and the site said 304
    kept = second.pages[site.url(STORY)]
    assert kept.article == first.pages[site.url(STORY)].article
    assert kept.read_at == NOW + FIRST_RETRY
    assert site.hits("/images/evidence.jpg") == 1


def test_an_image_that_is_no_image_is_left_out_with_a_warning(site: Site) -> None:
    site.answers[STORY] = [Answer(body=(PAGES / "story-cms.html").read_bytes())]
    site.answers["/images/evidence.jpg"] = [Answer(body=b"<html>no</html>", content_type="image/jpeg")]
    item = story(site)
    result, _ = reading([item])
    kept = result.pages[site.url(STORY)]
    assert kept.image is None
    assert kept.article is not None
    assert [w.message for w in result.warnings] == [
        f"'Securing evidence: the key to…': its image {site.url('/images/evidence.jpg')} is not a JPEG, PNG,"
        " GIF or WebP image; published without it"
    ]


def test_a_page_too_long_to_read_is_not_used(site: Site) -> None:
    padding = b"<p>" + b"x " * 600_000 + b"</p>"
    site.answers[STORY] = [
        Answer(body=(PAGES / "story-cms.html").read_bytes().replace(b"</body>", padding + b"</body>"))
    ]
    item = story(site)
    result, _ = reading([item])
    kept = result.pages[site.url(STORY)]
    assert (kept.article, kept.failures) == (None, 1)
    assert "more than the 1,000,000 a story's page may have" in result.warnings[0].message


def test_robots_txt_that_disallows_the_path_is_honoured(site: Site) -> None:
    site.answers["/robots.txt"] = [
        Answer(body=b"User-agent: *\nDisallow: /unodc/en/human-trafficking/2022/\n", content_type="text/plain")
    ]
    item = story(site)
    result, _ = reading([item])
    assert site.hits(STORY) == 0
    assert result.pages[site.url(STORY)].article is None
    assert [w.message for w in result.warnings] == [
        f"'Securing evidence: the key to…': robots.txt does not allow reading {item.story_url}; tried again later"
    ]
    assert result.warnings[0].line == item.line
    assert result.pages[site.url(STORY)].failures == 1


def test_a_404_leaves_the_story_and_a_later_run_reads_the_200(site: Site) -> None:
    site.answers[STORY] = [
        Answer(404, b"<html><body>gone</body></html>"),
        Answer(body=(PAGES / "story-cms.html").read_bytes()),
    ]
    item = story(site)
    first, _ = reading([item])
    assert first.pages[site.url(STORY)].article is None
    assert "HTTP 404" in first.warnings[0].message
    too_soon, _ = reading([item], first.pages)
    assert too_soon.pages == {}  # not before its next try
    later, _ = reading([item], first.pages, now=NOW + FIRST_RETRY)
    assert later.pages[site.url(STORY)].article is not None
    assert later.pages[site.url(STORY)].failures == 0


def test_an_error_page_served_with_200_is_a_failure_not_a_story(site: Site) -> None:
    site.answers[STORY] = [Answer(body=(PAGES / "story-error.html").read_bytes())]
    item = story(site)
    result, _ = reading([item])
    assert result.pages[site.url(STORY)].article is None
    assert result.pages[site.url(STORY)].failures == 1
    assert "does not begin with the listing's summary" in result.warnings[0].message


def test_a_run_reads_its_share_and_pauses_between_requests(site: Site) -> None:
    site.answers["/robots.txt"] = [Answer(body=b"User-agent: *\nCrawl-delay: 3\n", content_type="text/plain")]
    items = [story(site, f"/s/{n}.html") for n in range(5)]
    result, pauses = reading(items, limit=3, pause=1.0)
    assert len(result.pages) == 3
    assert pauses == [3.0, 3.0, 3.0]  # after robots.txt and between the three pages, as the robots.txt asks
    assert site.hits("/robots.txt") == 1


def test_a_site_that_does_not_answer_robots_txt_is_not_read(site: Site) -> None:
    site.answers["/robots.txt"] = [Answer(503, b"busy")]
    item = story(site)
    result, _ = reading([item])
    assert site.hits(STORY) == 0
    assert result.pages[site.url(STORY)].article is None
    assert [w.message for w in result.warnings] == [
        f"'Securing evidence: the key to…': robots.txt could not be read (HTTP 503 Service Unavailable (1 try)),"
        f" so nothing is read from {item.story_url} this run; tried again later"
    ]


@pytest.mark.parametrize(
    "robots",
    [
        Answer(body=b"", content_type="text/plain"),  # empty: no rules (RFC 9309)
        Answer(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/html"),  # served as a page
        Answer(body=b"User-agent: *\nDisallow: /private/\n", content_type="application/octet-stream"),
        # Longer than the 500 KiB a crawler must read: read up to there, the rest cut (RFC 9309, 2.5).
        Answer(body=b"# " + b"x" * 600 * 1024 + b"\nUser-agent: *\nDisallow: /\n", content_type="text/plain"),
    ],
    ids=["empty", "as text/html", "as bytes", "over 500 KiB"],
)
def test_any_robots_txt_a_site_answers_is_read_as_rules(site: Site, robots: Answer) -> None:
    site.answers["/robots.txt"] = [robots]
    site.answers[STORY] = [Answer(body=(PAGES / "story-cms.html").read_bytes())]
    result, _ = reading([story(site)])
    assert site.hits(STORY) == 1
    assert result.pages[site.url(STORY)].article is not None


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (Answer(body=b"%PDF-1.7", content_type="application/pdf"), "the answer is application/pdf"),
        (Answer(body=b"<html>" + b"x" * 5000 + b"</html>"), "more than the limit of 4096"),
        (Answer(body=b"<html></html>", delay=1.5), "timed out"),
        (Answer(500, b"<html>busy</html>"), "HTTP 500"),
    ],
    ids=["not HTML", "too large", "timeout", "server error"],
)
def test_a_page_that_fails_is_one_warning_and_a_later_try(site: Site, answer: Answer, said: str) -> None:
    site.answers[STORY] = [answer]
    item = story(site)
    result = read_pages([item], {}, NOW, pause=0, timeout=1, retries=0, max_bytes=4096, sleep=lambda s: None)
    kept = result.pages[site.url(STORY)]
    assert (kept.article, kept.failures, kept.next_try) == (None, 1, NOW + FIRST_RETRY)
    (warning,) = result.warnings
    assert said in warning.message
    assert warning.message.endswith("tried again later")
