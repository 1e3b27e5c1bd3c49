"""The pure core in two calls: reading a listing, and planning a build.

Neither touches a file or the clock: the CLI passes in bytes and times, and
writes what comes back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from . import jsonfeed
from .archive import Archive, Changes, identify, merge, regression
from .feeds import Summaries, writers
from .listing import parse
from .model import Item, Problem, Writer, by_line, has_errors, releasing, writing
from .normalize import links_of, normalize, settle_against_archive
from .settings import FeedSettings
from .site import page_writers, render_opml
from .source import decode
from .topics import Topic, topics_of


def _normalized(data: bytes, today: date | None) -> tuple[list[Item], list[Problem]]:
    lines, problems = decode(data)
    if not lines and has_errors(problems):
        return [], problems  # undecodable: nothing more to say
    raw_items, found = parse(lines)
    items, more = normalize(raw_items, today=today)
    return items, problems + found + more


def _finished(items: list[Item], listing_url: str, topics: tuple[Topic, ...]) -> tuple[list[Item], list[Problem]]:
    links, problems = links_of(items, listing_url)
    about, found = topics_of(items, topics)
    finished = [replace(i, link=link, topics=t) for i, link, t in zip(items, links, about, strict=True)]
    return finished, problems + found


def read_listing(
    data: bytes, *, listing_url: str, topics: tuple[Topic, ...], today: date | None = None
) -> tuple[list[Item], list[Problem]]:
    """The listing's items (newest first, with links and topics) and every problem found, in line order.

    Never raises on bad data: an unusable listing gives no items and errors.
    """
    items, problems = _normalized(data, today)
    items, found = _finished(items, listing_url, topics)
    return items, by_line(problems + found)


class Build(NamedTuple):
    """What a build publishes: the archive after the merge, and the feed documents."""

    archive: Archive
    changes: Changes
    documents: dict[str, Writer]  # by file name, in the order to write them; call each once, in turn


def plan_build(
    data: bytes,
    archive: Archive,
    *,
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    limit: int,
    regression_threshold: float,
    force: bool,
    now: datetime,
    today: date | None = None,
    strict: bool = False,
) -> tuple[Build | None, list[Problem]]:
    """Merge the listing `data` into `archive` and render the feeds; `None` when nothing may be published.

    `now` is when a correction is recorded as seen. Each feed holds its newest
    `limit` stories; the archive keeps them all.
    """
    items, problems = _normalized(data, today)
    items, found = identify(archive, items)
    problems += found
    if not force and not has_errors(problems, strict=strict):
        dropped = regression(archive, items, regression_threshold)
        if dropped is not None:
            problems.append(dropped)
    items, found = settle_against_archive(items, archive.published())
    problems += found
    if has_errors(problems, strict=strict):
        return None, by_line(problems)
    merged, changes = merge(archive, items, now)
    stories, found = _finished(merged.published(), settings.listing_url, topics)
    summaries = Summaries()
    documents = releasing(
        {
            **writers(stories, topics, settings, limit, summaries, merged.last_change()),
            **jsonfeed.writers(stories, topics, settings, limit, summaries),
            **page_writers(stories, topics, settings, summaries),
        },
        summaries.release,
    )
    documents["feeds.opml"] = writing(lambda: render_opml(stories, topics, settings))
    return Build(merged, changes, documents), by_line(problems + found)
