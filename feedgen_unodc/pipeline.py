"""The pure core: reading a listing, and planning a build. Values in, values out.

    listing bytes --decode, parse, normalize--> items --identify, settle, merge into the archive-->
        stories --links, topics, their pages' images and text--> finished stories
        --render, one per catalog entry--> documents (bytes)

Nothing here touches a file, the network, the clock or the environment: the
application layer (`jobs.py`) passes in bytes and the time, and writes what
comes back.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import NamedTuple

from . import dataset, feeds, jsonfeed, site
from .archive import Archive, Changes, identify, merge, regression, settle_copied_summaries
from .archivestore import Index, by_year, summary_fingerprint
from .catalog import CSV, JSON_DATA, JSON_FEED, OPML, Feed, Published, catalog
from .catalog import feeds as feeds_of
from .links import links_of
from .listing import parse
from .model import Item, Problem, by_line, has_errors
from .normalize import normalize
from .pagestore import KeptPage, attach
from .settings import FeedSettings
from .source import decode
from .text import fingerprint
from .topics import Topic, topics_of
from .years import Years, counts_of, neighbours, years_of


def listing_items(data: bytes, today: date | None = None) -> tuple[list[Item], list[Problem]]:
    """The listing's items (newest first, no links nor topics yet) and the problems of reading it."""
    lines, problems = decode(data)
    if not lines and has_errors(problems):
        return [], problems  # undecodable: nothing more to say
    raw_items, found = parse(lines)
    items, more = normalize(raw_items, today=today)
    return items, problems + found + more


def finished(
    stories: list[Item], listing_url: str, topics: tuple[Topic, ...], reserved: Collection[str] = frozenset()
) -> tuple[list[Item], list[Problem]]:
    """`stories` (newest first) with their links and topics.

    A story's topics are derived when it has none derived yet (new, changed:
    its link is "") and, for the report, when it is listed; its link always,
    among `stories`: never one of `reserved`, those of the stories not read.
    """
    links, problems = links_of(stories, listing_url, reserved)
    deriving = [s for s in stories if not s.link or s.line is not None]
    about, found = topics_of(deriving, topics)
    derived = {s.id: t for s, t in zip(deriving, about, strict=True)}
    done = [_with(s, link, derived.get(s.id, s.topics)) for s, link in zip(stories, links, strict=True)]
    return done, problems + found


def _with(story: Item, link: str, topics: tuple[str, ...]) -> Item:
    """`story` with its link and topics (itself when it has them already: most of the stories read)."""
    return story if (story.link, story.topics) == (link, topics) else replace(story, link=link, topics=topics)


def read_listing(
    data: bytes, *, listing_url: str, topics: tuple[Topic, ...], today: date | None = None
) -> tuple[list[Item], list[Problem]]:
    """The listing's items (newest first, with links and topics) and every problem found, in line order.

    Never raises on bad data: an unusable listing gives no items and errors.
    """
    items, problems = listing_items(data, today)
    items, found = finished(items, listing_url, topics)
    return items, by_line(problems + found)


class EveryYear(Exception):
    """The build must read every year of the archive: it would render a document of a year it did not read."""


class Previous(NamedTuple):
    """What the last build left that this one may keep: its documents that still hold what it wrote, the
    years its feeds had, and some of those documents' bytes: the data files (to keep the rows of the years
    not read) and the archive documents of the years read (to keep the entries of the stories unchanged)."""

    kept: frozenset[str]
    years: Years
    data: Mapping[str, bytes]


def documents(
    archive: Archive,
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    limit: int,
    *,
    pages: Mapping[str, KeptPage] | None = None,
    full_text: bool = False,
    previous: Previous | None = None,
    before: Archive | None = None,
    same: Collection[int] = frozenset(),
) -> dict[str, bytes | None]:
    """The documents of `archive`'s stories (finished, newest first), by file name in the catalog's order.

    Without `previous`, every document. With it, only those that may differ
    from what the last build wrote: the documents of every feed and list,
    and those of the years read that changed (all but `same`, whose stories
    are as they were in `before`: the archive as read, before the listing was
    merged); the others are None: kept as they are.
    Raises `EveryYear` when a document left out would have changed, or one to
    make is of a year not read.

    The subscription documents and the pages of the newest stories show
    what was read of the stories' pages (`pages`: their images, and with
    `full_text` their whole text); the year pages and archive documents are
    made of the archive alone, so that what is read later changes no year.
    """
    names = {t.slug: t.name for t in topics}
    every_feed = feeds_of(topics)
    stories = archive.published()
    read = {s.day.year for s in archive.stories}
    counts = {**archive.unread.counts, **counts_of(stories, every_feed)}
    years = years_of(counts, [f.slug for f in every_feed], limit)
    held = {feed.slug: [s for s in stories if feed.holds(s)] for feed in every_feed}
    if any(not set(years.newest(feed.slug)) <= read for feed in every_feed):
        raise EveryYear("a feed's newest stories are in a year not read")
    newest = {feed.slug: held[feed.slug][:limit] for feed in every_feed}
    # The whole text only where it is shown: the feeds' entries (the pages for people show summaries).
    shown = {s.id for entries in newest.values() for s in entries} if full_text else ()
    window = attach({s.id: s for entries in newest.values() for s in entries}.values(), pages or {}, shown)
    attached = {s.id: s for s in window}
    dates = (archive.latest(), archive.last_change())

    # Each feed's newest stories before the listing was merged, and what the archive documents show of them.
    newest_before: dict[str, set[str]] = {}
    shown_before: dict[str, tuple[object, ...]] = {}
    if previous is not None and before is not None:
        for f in every_feed:
            newest_before[f.slug] = {s.id for s in [s for s in before.published() if f.holds(s)][:limit]}
        shown_before = {s.id: row for s, row in zip(before.stories, _shown(list(before.stories)), strict=True)}

    def entries_kept(name: str, stories: list[Item]) -> dict[str, bytes]:
        """The entries of the last build's document `name` that are made again as they were: those of the
        `stories` whose values are as they were before the listing was merged."""
        if previous is None or name not in previous.kept or name not in previous.data:
            return {}
        blocks = feeds.entry_blocks(previous.data[name])
        return {s.id: blocks[s.id] for s, row in zip(stories, _shown(stories), strict=True)
                if s.id in blocks and shown_before.get(s.id) == row}  # fmt: skip

    def in_window(ids: set[str], feed: Feed, year: int) -> set[str]:
        return {s.id for s in held[feed.slug] if s.day.year == year and s.id in ids} if year in read else set()

    def kept(entry: Published) -> bool:
        feed, year = entry.feed, entry.year
        if previous is None or feed is None or year is None or entry.name not in previous.kept:
            return False
        if year in read and year not in same:
            return False
        if entry.format:  # an archive document: the year's stories beyond the newest, and its neighbours
            now_newest = {s.id for s in newest[feed.slug]}
            if in_window(newest_before.get(feed.slug, set()), feed, year) != in_window(now_newest, feed, year):
                return False
            return previous.years.archives(feed.slug) == years.archives(feed.slug)
        return all(previous.years.of(f.slug) == years.of(f.slug) for f in every_feed)  # the years of every topic

    result: dict[str, bytes | None] = {}
    for entry in catalog(topics, years):
        feed, year = entry.feed, entry.year
        if kept(entry):
            result[entry.name] = None
            continue
        if year is not None and year not in read:
            raise EveryYear(f"{entry.name} is of a year not read")
        if feed and year is not None:
            if entry.format:  # an archive document: the year's stories beyond the subscription document
                older, newer = neighbours(years.archives(feed.slug), year)
                archived = [s for s in held[feed.slug][limit:] if s.day.year == year]
                result[entry.name] = feeds.archive(
                    feed, year, archived, names, settings, older, newer, entries_kept(entry.name, archived)
                )
            else:
                of_year = [s for s in held[feed.slug] if s.day.year == year]
                result[entry.name] = site.year_page(feed, year, of_year, topics, settings, years)
        elif feed:
            entries = [attached[s.id] for s in newest[feed.slug]]
            if entry.format == JSON_FEED:
                result[entry.name] = jsonfeed.render(feed, entries, settings, limit)
            elif entry.format:
                last = next(iter(years.archives(feed.slug)), None)
                result[entry.name] = feeds.render(feed, entry.format, entries, names, settings, limit, dates, last)
            else:
                result[entry.name] = site.page(feed, entries, topics, settings, limit, years)
        elif entry.name == OPML:
            result[entry.name] = site.opml(dates[0], topics, settings)
        elif entry.name in (CSV, JSON_DATA):
            published = {year: counts[year].get(every_feed[0].slug, 0) for year in sorted(counts, reverse=True)}
            result[entry.name] = _data(entry.name, stories, published, read - set(same), previous, settings)
    return result


def _shown(stories: list[Item]) -> list[tuple[object, ...]]:
    """What the documents of a year show of its `stories`: all the archive keeps of them."""
    return [
        (s.id, s.day, s.published, s.updated, s.first_seen, s.title, s.paragraphs, s.summary_gap, s.story_url,
         s.link, s.topics)
        for s in stories
    ]  # fmt: skip


def _data(
    name: str,
    stories: list[Item],
    published: Mapping[int, int],
    fresh: set[int],
    previous: Previous | None,
    settings: FeedSettings,
) -> bytes:
    """stories.csv or stories.json: the rows of the `fresh` years made (those read, but for the ones whose
    stories are as they were), those of the others kept from the last build's file (`published`: how many
    stories each year has, newest first)."""
    blocks_of, rows_of = (
        (dataset.csv_blocks, dataset.csv_rows) if name == CSV else (dataset.json_blocks, dataset.json_rows)
    )
    made = {year: rows_of(s) for year, s in by_year(stories).items() if year in fresh}
    older = min(fresh, default=None)  # every year below it is kept: its rows are kept as one block
    kept: dict[int, dataset.Block] = {}
    if any(count and year not in fresh for year, count in published.items()):
        if previous is None or name not in previous.kept:
            raise EveryYear(f"{name} of the last build cannot be kept")
        try:
            kept = blocks_of(previous.data[name], older)
        except (KeyError, ValueError) as exc:
            raise EveryYear(f"{name} of the last build cannot be read") from exc
    blocks: list[dataset.Block] = []
    in_tail = False  # the rows of the years below `older` are in the block of the first of them
    for year, count in published.items():
        if year in fresh or not count:
            blocks.append(made.get(year, b""))
        elif in_tail:
            continue
        elif year in kept:
            blocks.append(kept[year])
            in_tail = older is not None and year < older
        else:
            raise EveryYear(f"{name} of the last build lacks {year}")
    if name == CSV:
        return dataset.csv_document(blocks)
    return dataset.json_document(blocks, settings.listing_url)


def regression_of(data: bytes, archive: Archive, threshold: float) -> Problem | None:
    """The regression guard, for a listing before it replaces the source: the error a build would give."""
    items, _ = listing_items(data)
    items, _ = identify(archive, items)
    return regression(archive, items, threshold)


class Build(NamedTuple):
    """What a build publishes: the archive after the merge, what changed, and the documents."""

    archive: Archive
    changes: Changes
    documents: dict[str, bytes | None]  # by file name, in the catalog's order; None: kept as it is
    same: frozenset[int] = frozenset()  # the years read whose stories are as they were: their files stay


def unchanged_years(before: Archive, after: Archive) -> frozenset[int]:
    """The years `before` and `after` hold (both: the years read) whose stories are the same in both."""
    then, now = by_year(before.stories), by_year(after.stories)
    return frozenset(year for year in then.keys() & now.keys() if _shown(then[year]) == _shown(now[year]))


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
    rederive: bool = False,
    previous: Previous | None = None,
) -> tuple[Build | None, list[Problem]]:
    """Merge the listing `data` into `archive` and render the documents; `None` when nothing may be published.

    `now` is when the build runs: a correction is recorded as seen then, and
    a date after its day is in the future. Each feed holds its newest
    `limit` stories; the archive keeps them all. `pages` is what was read
    of the story pages: their images are published, and with `full_text`
    their whole text. With `rederive`, every story's topics are derived
    again (the vocabulary changed). `archive` may hold only some years
    (`years_to_read`), and `previous` say what of the last build may be
    kept: see `documents`, and its `EveryYear`.
    """
    if rederive:
        archive = replace(archive, stories=tuple(replace(s, link="", topics=()) for s in archive.stories))
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
    stories, found = finished(merged.published(), settings.listing_url, topics, merged.unread.links)
    # A removed story is kept as the listing gave it, without a link or topics, until it is restored.
    done = {s.id: s for s in stories}
    merged = replace(merged, stories=tuple(done.get(s.id) or replace(s, link="", topics=()) for s in merged.stories))
    same = unchanged_years(archive, merged) if previous is not None else frozenset()
    made = documents(
        merged, topics, settings, limit, pages=pages, full_text=full_text, previous=previous, before=archive, same=same
    )
    return Build(merged, changes, made, same), by_line(problems + found)


def years_to_read(data: bytes, index: Index, slugs: list[str], limit: int) -> set[int]:
    """The years of the archive (`index`) a build of the listing `data` reads: those its stories are of, or
    could be (a story corrected, a summary copied from an archived story, a story URL already another's
    link), those with a story whose URL another's link holds, and those of each feed's newest `limit`
    stories (`slugs`: the feeds')."""
    items, _ = listing_items(data)
    years = {item.day.year for item in items} | {year for _, year in index.on_page}
    summaries = {summary_fingerprint(item.paragraphs) for item in items if item.paragraphs}
    urls = {fingerprint(item.story_url) for item in items if item.story_url}
    for year, summary in index.years.items():
        # A year holding a story that lost its story URL to another is read: the URL may be free again.
        if summary.lost or summaries.intersection(summary.summaries) or urls.intersection(summary.links):
            years.add(year)
    before = years_of({year: s.feeds for year, s in index.years.items()}, slugs, limit)
    return years.union(*(before.newest(slug) for slug in slugs)) & set(index.years)
