"""Items to feed documents: Atom 1.0 and RSS 2.0, for every item and per topic.

The feeds are rendered with python-feedgen, whose defaults are wrong for a
deterministic publisher; each trap is marked "feedgen:" where it is avoided.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from feedgen.feed import FeedGenerator

from .model import Item, SummaryGap
from .normalize import ID_NAMESPACE
from .settings import DEFAULT_LIMIT, FeedSettings
from .topics import Topic

GENERATOR = "feedgen-unodc"
# Readers poll at will; the listing changes a few times a month, and cron rebuilds hourly.
TTL_MINUTES = 60


@dataclass(frozen=True)
class Feed:
    """One subscription: every item (`topic` None) or the items about one topic."""

    slug: str  # the file name stem: subscribers keep these URLs, never rename them
    title: str
    subtitle: str
    topic: Topic | None

    def holds(self, item: Item) -> bool:
        return self.topic is None or self.topic.slug in item.topics


@dataclass(frozen=True)
class Format:
    suffix: str
    media_type: str
    serialize: Callable[[FeedGenerator], bytes]


FORMATS = (
    Format("atom.xml", "application/atom+xml", lambda fg: fg.atom_str(pretty=True)),
    Format("rss.xml", "application/rss+xml", lambda fg: fg.rss_str(pretty=True)),
)

_UNOFFICIAL = "An unofficial feed of the UNODC news listing, made by feedgen-unodc."


def feeds(topics: tuple[Topic, ...]) -> list[Feed]:
    """The all-items feed, then one feed per topic."""
    everything = Feed(
        "all",
        "UNODC: human trafficking and migrant smuggling news",
        f"News from the UNODC Human Trafficking and Migrant Smuggling Section. {_UNOFFICIAL}",
        None,
    )
    return [everything] + [
        Feed(
            t.slug,
            t.feed_title,
            f"News from the UNODC Human Trafficking and Migrant Smuggling Section about "
            f"{t.name[0].lower() + t.name[1:]}. {_UNOFFICIAL}",
            t,
        )
        for t in topics
    ]


def feed_id(slug: str) -> str:
    """A feed's id: like entry ids, independent of where the feed is published."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'feed {slug}')}"


def summary_html(item: Item) -> str:
    """The item's summary as HTML paragraphs, its text escaped.

    Source text is never markup: "&" and "<b>" in the listing show as written.
    An item without a summary says why and where to read the story, so that no
    entry is left without text.
    """
    if item.paragraphs:
        return "".join(f"<p>{escape(p, quote=False)}</p>" for p in item.paragraphs)
    reason = {
        SummaryGap.ABSENT: "The UNODC listing gives no summary for this story.",
        SummaryGap.COPIED: "The UNODC listing shows another story's summary under this title, so it is left out here.",
    }[item.summary_gap or SummaryGap.ABSENT]
    where = "Read the story on the UNODC site." if item.story_url else "See the UNODC news listing."
    return f'<p>{escape(reason, quote=False)} <a href="{escape(item.link)}">{where}</a></p>'


def entries_of(feed: Feed, items: list[Item], limit: int) -> tuple[list[Item], datetime]:
    """The newest `limit` items `feed` holds, and the feed's updated time.

    A feed's updated time is its latest entry's, never the clock's. A topic
    feed with no entries takes the latest item of the whole listing.
    """
    entries = [item for item in items if feed.holds(item)][:limit]
    return entries, max(item.updated for item in (entries or items))


def render(
    feed: Feed, fmt: Format, items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings, limit: int
) -> bytes:
    """One feed document, of the newest `limit` items it holds. `items` are all items, newest first."""
    entries, updated = entries_of(feed, items, limit)
    names = {t.slug: t.name for t in topics}

    # feedgen: one generator per file. A generator has one self link, and
    # writing two files from it would give both the same rel=self.
    fg = FeedGenerator()
    fg.id(feed_id(feed.slug))
    fg.title(feed.title)
    fg.subtitle(feed.subtitle)  # also the RSS channel description
    fg.author(name=settings.author)
    fg.language(settings.language)
    # feedgen: the RSS channel <link> is the href of the *last* link() call,
    # whatever its rel, so the listing page must come last.
    fg.link(href=f"{settings.base_url}{feed.slug}.{fmt.suffix}", rel="self", type=fmt.media_type)
    fg.link(href=settings.listing_url, rel="alternate", type="text/html")
    fg.generator(GENERATOR)  # feedgen names itself and its version otherwise
    fg.ttl(TTL_MINUTES)
    # feedgen: updated (RSS lastBuildDate) defaults to now(); pubDate is unset.
    fg.updated(updated)
    fg.pubDate(updated)
    for item in entries:
        # feedgen: add_entry() prepends unless told to append.
        entry = fg.add_entry(order="append")
        entry.id(item.id)  # also the RSS guid, with isPermaLink="false"
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.summary(summary_html(item), type="html")  # also the RSS description
        entry.published(item.published)  # also the RSS pubDate
        entry.updated(item.updated)  # feedgen: defaults to now()
        for slug in item.topics:
            entry.category(term=slug, label=names[slug])
    data: bytes = fmt.serialize(fg)
    return data


def render_all(
    items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings, limit: int = DEFAULT_LIMIT
) -> dict[str, bytes]:
    """Every feed document, by file name."""
    return {
        f"{feed.slug}.{fmt.suffix}": render(feed, fmt, items, topics, settings, limit)
        for feed in feeds(topics)
        for fmt in FORMATS
    }
