"""Reading story pages from a local site: robots.txt, the per-run share, failures retried later, never a
failed run, and nothing unsafe or unconfirmed kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pageserver import Answer, Site, serve
from support import listing, read

from feedgen_unodc.model import Item
from feedgen_unodc.storyfetch import Reading, read_pages
from feedgen_unodc.storyplan import FIRST_RETRY, PageRecord

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
    records: dict[str, PageRecord] | None = None,
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


def test_a_story_page_is_read_once_and_confirmed(site: Site) -> None:
    site.answers[STORY] = [Answer(body=(PAGES / "story-cms.html").read_bytes())]
    item = story(site)
    result, _ = reading([item])
    assert result.warnings == []
    page = result.pages[item.id]
    assert page.image == site.url("/images/evidence.jpg")
    assert page.article is not None
    assert "Share on Twitter" not in page.article
    again, _ = reading([item], result.records)
    assert again.records == {}
    assert site.hits(STORY) == 1  # the second run asks for nothing


def test_robots_txt_that_disallows_the_path_is_honoured(site: Site) -> None:
    site.answers["/robots.txt"] = [
        Answer(body=b"User-agent: *\nDisallow: /unodc/en/human-trafficking/2022/\n", content_type="text/plain")
    ]
    item = story(site)
    result, _ = reading([item])
    assert site.hits(STORY) == 0
    assert result.pages == {}
    assert result.warnings == [f"'Securing evidence: the key to…': robots.txt does not allow reading {item.story_url};"
                               " tried again later"]  # fmt: skip
    assert result.records[item.id].failures == 1


def test_a_404_leaves_the_story_and_a_later_run_reads_the_200(site: Site) -> None:
    site.answers[STORY] = [
        Answer(404, b"<html><body>gone</body></html>"),
        Answer(body=(PAGES / "story-cms.html").read_bytes()),
    ]
    item = story(site)
    first, _ = reading([item])
    assert first.pages == {}
    assert "HTTP 404" in first.warnings[0]
    too_soon, _ = reading([item], first.records)
    assert too_soon.records == {}  # not before its next try
    later, _ = reading([item], first.records, now=NOW + FIRST_RETRY)
    assert item.id in later.pages
    assert later.records[item.id].failures == 0


def test_an_error_page_served_with_200_is_a_failure_not_a_story(site: Site) -> None:
    site.answers[STORY] = [Answer(body=(PAGES / "story-error.html").read_bytes())]
    item = story(site)
    result, _ = reading([item])
    assert result.pages == {}
    assert result.records[item.id].failures == 1
    assert "does not begin with the listing's summary" in result.warnings[0]


def test_a_run_reads_its_share_and_pauses_between_requests(site: Site) -> None:
    site.answers["/robots.txt"] = [Answer(body=b"User-agent: *\nCrawl-delay: 3\n", content_type="text/plain")]
    items = [replace(story(site, f"/s/{n}.html"), id=f"urn:uuid:{n:08d}-0000-0000-0000-000000000000") for n in range(5)]
    result, pauses = reading(items, limit=3, pause=1.0)
    assert len(result.records) == 3
    assert pauses == [3.0, 3.0]  # between the three pages, as the robots.txt asks
    assert site.hits("/robots.txt") == 1


def test_a_site_that_does_not_answer_robots_txt_is_not_read(site: Site) -> None:
    site.answers["/robots.txt"] = [Answer(503, b"busy")]
    item = story(site)
    result, _ = reading([item])
    assert site.hits(STORY) == 0
    assert result.pages == {}
