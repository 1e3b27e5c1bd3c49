"""Which story pages a run reads: each once, again only when the listing's text of the story changes,
a failed one later and later, and never more than a run's share (issue 13, point 1).

Pure: the stories, what is known of their pages, the time and the limit in;
the ids to read, and what is known after a read or a failure, out. The
archive keeps the records, so that a build never needs the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import NamedTuple

from .model import Item

DEFAULT_PAGES_PER_RUN = 10  # a first run over a large archive spreads its load over several runs
FIRST_RETRY = timedelta(hours=1)  # after the first failure; each next one waits twice as long
LAST_RETRY = timedelta(days=7)  # at most: a page that fails for good is still asked weekly


class PageRecord(NamedTuple):
    """What is known of a story's page."""

    read_for: str = ""  # `listed(story)` when the page was last read; "" when it never was
    failures: int = 0  # failed reads since the last good one
    next_try: datetime | None = None  # after a failure: not asked again before


def listed(story: Item) -> str:
    """A digest of what the listing says of `story`: a page is read again when this changes."""
    text = "\n".join([story.day.isoformat(), story.title, story.story_url or "", *story.paragraphs])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def due(
    stories: Iterable[Item], records: Mapping[str, PageRecord], now: datetime, limit: int = DEFAULT_PAGES_PER_RUN
) -> list[Item]:
    """The stories whose pages this run reads, newest first, at most `limit`.

    A story is due when it has a page and the page was never read for what
    the listing says of it now, unless a failure put its next try later.
    """
    chosen: list[Item] = []
    for story in stories:
        if len(chosen) >= limit:
            break
        record = records.get(story.id, PageRecord())
        if story.story_url is None or record.read_for == listed(story):
            continue
        if record.next_try is not None and record.next_try > now:
            continue
        chosen.append(story)
    return chosen


def read(story: Item) -> PageRecord:
    """The record after a good read of `story`'s page."""
    return PageRecord(read_for=listed(story))


def failed(record: PageRecord, now: datetime) -> PageRecord:
    """The record after a failed read: the next try after 1 hour, 2, 4... at most a week later."""
    wait = min(LAST_RETRY, FIRST_RETRY * 2 ** min(record.failures, 16))
    return record._replace(failures=record.failures + 1, next_try=now + wait)
