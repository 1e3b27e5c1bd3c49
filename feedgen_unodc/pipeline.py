"""The pure core: reading a listing, and planning a build. Values in, values out.

    listing bytes --decode, parse, normalize--> items --identify, settle, merge into the archive-->
        stories --links, topics, their pages' images and text--> finished stories
        --render, one per catalog entry--> documents (bytes)

Nothing here touches a file, the network, the clock or the environment: the
application layer (`jobs.py`) passes in bytes and the time, and writes what
comes back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from . import dataset, feeds, jsonfeed, site
from .archive import Archive, Changes, identify, merge, regression, settle_copied_summaries
from .catalog import CSV, JSON_DATA, JSON_FEED, OPML, catalog
from .catalog import feeds as feeds_of
from .links import links_of
from .listing import parse
from .model import Item, Problem, by_line, has_errors
from .normalize import normalize
from .pagestore import KeptPage, attach
from .settings import FeedSettings
from .source import decode
from .topics import Topic, topics_of
from .years import neighbours, years_of


def listing_items(data: bytes, today: date | None = None) -> tuple[list[Item], list[Problem]]:
    """The listing's items (newest first, no links nor topics yet) and the problems of reading it."""
    lines, problems = decode(data)
    if not lines and has_errors(problems):
        return [], problems  # undecodable: nothing more to say
    raw_items, found = parse(lines)
    items, more = normalize(raw_items, today=today)
    return items, problems + found + more


def finished(items: list[Item], listing_url: str, topics: tuple[Topic, ...]) -> tuple[list[Item], list[Problem]]:
    """`items` with their links and topics."""
    links, problems = links_of(items, listing_url)
    about, found = topics_of(items, topics)
    done = [replace(i, link=link, topics=t) for i, link, t in zip(items, links, about, strict=True)]
    return done, problems + found


def read_listing(
    data: bytes, *, listing_url: str, topics: tuple[Topic, ...], today: date | None = None
) -> tuple[list[Item], list[Problem]]:
    """The listing's items (newest first, with links and topics) and every problem found, in line order.

    Never raises on bad data: an unusable listing gives no items and errors.
    """
    items, problems = listing_items(data, today)
    items, found = finished(items, listing_url, topics)
    return items, by_line(problems + found)


def documents(
    stories: list[Item],
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    limit: int,
    last_change: datetime | None = None,
) -> dict[str, bytes]:
    """Every published document, by file name in the catalog's order, of finished `stories` (newest first)."""
    names = {t.slug: t.name for t in topics}
    held = {feed.slug: [s for s in stories if feed.holds(s)] for feed in feeds_of(topics)}
    years = years_of(held.items(), limit)
    result: dict[str, bytes] = {}
    for entry in catalog(topics, years):
        feed, year = entry.feed, entry.year
        if feed and year is not None:
            of_year = [s for s in held[feed.slug] if s.day.year == year]
            if entry.format:  # an archive document: the year's stories beyond the subscription document
                older, newer = neighbours(years.archives(feed.slug), year)
                archived = [s for s in held[feed.slug][limit:] if s.day.year == year]
                result[entry.name] = feeds.archive(feed, year, archived, names, settings, older, newer)
            else:
                result[entry.name] = site.year_page(feed, year, of_year, topics, settings, years)
        elif entry.format == JSON_FEED and feed:
            result[entry.name] = jsonfeed.render(feed, stories, settings, limit)
        elif entry.format and feed:
            newest = next(iter(years.archives(feed.slug)), None)
            result[entry.name] = feeds.render(feed, entry.format, stories, names, settings, limit, last_change, newest)
        elif feed:
            result[entry.name] = site.page(feed, stories, topics, settings, limit, years)
        elif entry.name == OPML:
            result[entry.name] = site.opml(stories, topics, settings)
        elif entry.name == CSV:
            result[entry.name] = dataset.csv_document([dataset.csv_rows(stories)])
        elif entry.name == JSON_DATA:
            result[entry.name] = dataset.json_document([dataset.json_rows(stories)], settings.listing_url)
    return result


def regression_of(data: bytes, archive: Archive, threshold: float) -> Problem | None:
    """The regression guard, for a listing before it replaces the source: the error a build would give."""
    items, _ = listing_items(data)
    items, _ = identify(archive, items)
    return regression(archive, items, threshold)


class Build(NamedTuple):
    """What a build publishes: the archive after the merge, what changed, and the documents."""

    archive: Archive
    changes: Changes
    documents: dict[str, bytes]  # by file name, in the catalog's order


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
    strict: bool = False,
    pages: Mapping[str, KeptPage] | None = None,
    full_text: bool = False,
) -> tuple[Build | None, list[Problem]]:
    """Merge the listing `data` into `archive` and render the documents; `None` when nothing may be published.

    `now` is when the build runs: a correction is recorded as seen then, and
    a date after its day is in the future. Each feed holds its newest
    `limit` stories; the archive keeps them all. `pages` is what was read
    of the story pages: their images are published, and with `full_text`
    their whole text.
    """
    items, problems = listing_items(data, now.date())
    items, found = identify(archive, items)
    problems += found
    if not force and not has_errors(problems, strict=strict):
        dropped = regression(archive, items, regression_threshold)
        if dropped is not None:
            problems.append(dropped)
    items, found = settle_copied_summaries(items, archive.published())
    problems += found
    if has_errors(problems, strict=strict):
        return None, by_line(problems)
    merged, changes = merge(archive, items, now)
    stories, found = finished(merged.published(), settings.listing_url, topics)
    # The whole text only where it is shown: the feeds' entries (the pages for people show summaries).
    shown = {s.id for feed in feeds_of(topics) for s in feeds.entries_of(feed, stories, limit)} if full_text else ()
    stories = attach(stories, pages or {}, shown)
    return Build(merged, changes, documents(stories, topics, settings, limit, merged.last_change())), by_line(
        problems + found
    )
