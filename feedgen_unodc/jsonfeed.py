"""Stories to JSON Feed 1.1 documents (https://jsonfeed.org/version/1.1).

The same feeds as the Atom files, entry for entry: the same ids, dates,
links, topics (as tags), summary HTML, lead image and full text. Written with the standard library:
python-feedgen does not write JSON Feed, and the format is small.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .catalog import JSON_FEED, Feed
from .feeds import entries_of, full_text_html, summary_html
from .jsontext import document
from .model import Item
from .settings import FeedSettings

VERSION = "https://jsonfeed.org/version/1.1"


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")  # RFC 3339


def _row(item: Item) -> dict[str, Any]:
    row: dict[str, Any] = {"id": item.id, "url": item.link, "title": item.title}
    full_text = full_text_html(item)
    if full_text is None:
        row["content_html"] = summary_html(item)
    else:  # the whole text, and the summary as what it is
        row["content_html"] = full_text
        row["summary"] = " ".join(item.paragraphs)
    if item.image is not None:
        row["image"] = item.image.url
    row.update(date_published=_time(item.published), date_modified=_time(item.updated), tags=list(item.topics))
    return row


def render(feed: Feed, items: list[Item], settings: FeedSettings, limit: int) -> bytes:
    """The JSON Feed document of `feed`: its newest `limit` stories among `items` (newest first)."""
    head = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": settings.listing_url,
        "feed_url": f"{settings.base_url}{feed.file(JSON_FEED)}",
        "description": feed.subtitle,
        "authors": [{"name": settings.author}],
        "language": settings.language,
    }
    if settings.hubs:  # WebSub, as JSON Feed 1.1 names it
        head["hubs"] = [{"type": "WebSub", "url": hub} for hub in settings.hubs]
    return document(head, "items", map(_row, entries_of(feed, items, limit)))
