"""Which story pages a run reads: each once, again only when the listing's text of the story changes,
a failed one later and later, and never more than a run's share (issue 13, point 1).

Pure: the stories, what is kept of their pages (by URL), the time and the
limit in; the stories to read, and what is known after a failure, out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from .model import Item
from .pagestore import KeptPage, listed
from .settings import DEFAULT_PAGES_PER_RUN
from .storypage import opening

FIRST_RETRY = timedelta(hours=1)  # after the first failure; each next one waits twice as long
LAST_RETRY = timedelta(days=7)  # at most: a page that fails for good is still asked weekly


def due(
    stories: Iterable[Item], pages: Mapping[str, KeptPage], now: datetime, limit: int = DEFAULT_PAGES_PER_RUN
) -> list[Item]:
    """The stories whose pages this run reads, newest first, at most `limit`, each page once.

    A story is due when it has a page and the page was never read for what
    the listing says of it now, unless a failure put its next try later.
    Two stories given one page: only the newer is ever read for it. A story
    without a summary long enough to recognise its page by is never due: no
    page could be confirmed as its own (`storypage.confirm`).
    """
    chosen: list[Item] = []
    seen: set[str] = set()
    for story in stories:
        if len(chosen) >= limit:
            break
        url = story.story_url
        if url is None or url in seen or not opening(story):
            continue
        seen.add(url)
        kept = pages.get(url, KeptPage())
        if kept.read_for == listed(story):
            continue
        if kept.next_try is not None and kept.next_try > now:
            continue
        chosen.append(story)
    return chosen


def failed(kept: KeptPage, now: datetime) -> KeptPage:
    """What is kept after a failed read: the next try after 1 hour, 2, 4... at most a week later.

    What an earlier read gave stays, but it is used only for the story as it was then listed.
    """
    wait = min(LAST_RETRY, FIRST_RETRY * 2 ** min(kept.failures, 16))
    return replace(kept, failures=kept.failures + 1, next_try=now + wait)
