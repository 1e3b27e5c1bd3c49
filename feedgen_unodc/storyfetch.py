"""Reading the story pages a run is due to read, politely (issue 13, point 1).

robots.txt honoured (asked once per site and run), a pause between two
requests (at least the robots.txt's Crawl-delay), each page under the
listing's deadline, size limit, retries and User-Agent (`fetch.fetch`).
A page that fails (an HTTP error, a timeout, too large, not HTML, or a page
that is not the story's: an error page served with 200) leaves the story as
it is and is tried again later and later (`storyplan.failed`); it never fails
the run. Each failure is one warning line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from .fetch import FetchError, fetch
from .model import Item
from .robots import Robots
from .storypage import StoryPage, confirm, read_page
from .storyplan import DEFAULT_PAGES_PER_RUN, PageRecord, due, failed, read
from .text import short

DEFAULT_PAUSE = 1.0  # seconds between two requests to the site, when its robots.txt asks no more


class Reading(NamedTuple):
    """What a run learnt of story pages: the records of those it tried, the pages confirmed, the warnings."""

    records: dict[str, PageRecord]
    pages: dict[str, StoryPage]
    warnings: list[str]


def _robots_of(url: str, timeout: float, max_bytes: int) -> Robots:
    parts = urlsplit(url)
    address = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        answer = fetch(address, timeout=timeout, retries=0, max_bytes=max_bytes, types=("text/plain",))
    except FetchError as exc:
        # A 4xx is no robots.txt (every page allowed); anything else is no answer (none allowed).
        return Robots.of(exc.status)
    return Robots.of(200, answer.text.encode("utf-8"))


def read_pages(
    stories: Iterable[Item],
    records: Mapping[str, PageRecord],
    now: datetime,
    *,
    limit: int = DEFAULT_PAGES_PER_RUN,
    pause: float = DEFAULT_PAUSE,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = 4 * 1024 * 1024,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> Reading:
    """Read the pages `storyplan.due` chooses; what came of each."""
    plan = due(stories, records, now, limit)
    robots: dict[str, Robots] = {}
    result = Reading({}, {}, [])
    for number, story in enumerate(plan):
        url = story.story_url or ""
        site = urlsplit(url).netloc
        if site not in robots:
            robots[site] = _robots_of(url, timeout, 512 * 1024)
        rules = robots[site]
        if number:
            sleep(rules.delay(pause))
        record = records.get(story.id, PageRecord())
        name = short(story.title)
        if progress is not None:
            progress(number, len(plan))
        if not rules.allows(url):
            result.records[story.id] = failed(record, now)
            result.warnings.append(f"{name}: robots.txt does not allow reading {url}; tried again later")
            continue
        try:
            answer = fetch(url, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes, sleep=sleep)
        except FetchError as exc:
            result.records[story.id] = failed(record, now)
            result.warnings.append(f"{name}: its page could not be read: {exc}; tried again later")
            continue
        page = read_page(answer.text, url)
        verdict = confirm(story, page)
        result.warnings.extend(verdict.warnings)
        if not verdict.confirmed:
            result.records[story.id] = failed(record, now)
            continue
        result.records[story.id] = read(story)
        result.pages[story.id] = page
    if progress is not None and plan:
        progress(len(plan), len(plan))
    return result
