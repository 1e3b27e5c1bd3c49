"""Items to JSON Feed 1.1 documents (https://jsonfeed.org/version/1.1).

The same feeds as the Atom files, entry for entry: the same ids, dates,
links, topics (as tags) and summary HTML. Written by hand with the standard
library: python-feedgen does not write JSON Feed, and the format is small.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from .feeds import Feed, entries_of, feeds, summary_html
from .jsontext import encode, write_document
from .model import Item, Sink, Writer, releasing
from .settings import DEFAULT_LIMIT, FeedSettings
from .topics import Topic

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")  # RFC 3339


def _row(item: Item, summaries: Callable[[Item], str]) -> str:
    return encode(
        {
            "id": item.id,
            "url": item.link,
            "title": item.title,
            "content_html": summaries(item),
            "date_published": _time(item.published),
            "date_modified": _time(item.updated),
            "tags": list(item.topics),
        }
    )


def write(
    feed: Feed,
    items: list[Item],
    settings: FeedSettings,
    limit: int,
    rows: dict[str, str],
    summaries: Callable[[Item], str],
    sink: Sink,
) -> None:
    """Write one JSON Feed document of the newest `limit` items `feed` holds.

    `rows` keeps each item's encoded JSON by id, so that documents sharing an item encode it once.
    """
    entries = entries_of(feed, items, limit)
    head: dict[str, Any] = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": settings.listing_url,
        "feed_url": f"{settings.base_url}{feed.slug}.json",
        "description": feed.subtitle,
        "authors": [{"name": settings.author}],
        "language": settings.language,
    }
    write_document(sink, head, "items", (rows.get(i.id) or rows.setdefault(i.id, _row(i, summaries)) for i in entries))


def writers(
    items: list[Item],
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    limit: int = DEFAULT_LIMIT,
    summaries: Callable[[Item], str] = summary_html,
) -> dict[str, Writer]:
    """What writes each JSON Feed document, by file name; the documents share their items' encoded rows."""
    rows: dict[str, str] = {}
    return releasing(
        {f"{feed.slug}.json": partial(write, feed, items, settings, limit, rows, summaries) for feed in feeds(topics)},
        rows.clear,
    )
