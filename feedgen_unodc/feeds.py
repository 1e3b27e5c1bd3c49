"""Items to feed documents: Atom 1.0 and RSS 2.0, for every item and per topic.

The feeds are rendered with python-feedgen, whose defaults are wrong for a
deterministic publisher; each trap is marked "feedgen:" where it is avoided.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from io import BytesIO
from typing import Any, NamedTuple

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from .digests import uuid5
from .model import Item, Sink, SummaryGap, Writer, releasing
from .normalize import ID_NAMESPACE
from .settings import DEFAULT_LIMIT, FeedSettings
from .text import escape
from .topics import Topic

GENERATOR = "feedgen-unodc"
# Readers poll at will; the listing changes a few times a month, and cron rebuilds hourly.
TTL_MINUTES = 60


class Feed(NamedTuple):
    """One subscription: every item (`topic` None) or the items about one topic."""

    slug: str  # the file name stem: subscribers keep these URLs, never rename them
    title: str
    subtitle: str
    topic: Topic | None

    def holds(self, item: Item) -> bool:
        return self.topic is None or self.topic.slug in item.topics


class Format(NamedTuple):
    suffix: str
    media_type: str
    write: Callable[[FeedGenerator, Sink], None]


FORMATS = (
    Format("atom.xml", "application/atom+xml", lambda fg, file: fg.atom_file(file, pretty=True)),
    Format("rss.xml", "application/rss+xml", lambda fg, file: fg.rss_file(file, pretty=True)),
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
    return f"urn:uuid:{uuid5(ID_NAMESPACE, f'feed {slug}')}"


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


class Summaries:
    """Each item's `summary_html`, made once for every document of a build that shows it."""

    def __init__(self) -> None:
        self._by_id: dict[str, str] = {}

    def release(self) -> None:
        self._by_id.clear()

    def __call__(self, item: Item) -> str:
        html = self._by_id.get(item.id)
        if html is None:
            html = self._by_id[item.id] = summary_html(item)
        return html


def entries_of(feed: Feed, items: list[Item], limit: int) -> list[Item]:
    """The newest `limit` items `feed` holds."""
    return [item for item in items if feed.holds(item)][:limit]


def updated_of(entries: list[Item], items: list[Item], last_change: datetime | None) -> datetime:
    """A feed's updated time: its latest entry's, never the clock's.

    A topic feed with no entries takes the latest item of the whole listing;
    with no item published at all (every story removed), `last_change`: the
    archive's own time of its last change. An empty feed is a valid feed.
    """
    times = [item.updated for item in (entries or items)]
    if times:
        return max(times)
    if last_change is None:
        raise ValueError("no story and no time to date an empty feed by")
    return last_change


class _SharedEntry(FeedEntry):  # type: ignore[misc]  # feedgen has no type hints
    """feedgen: a generator makes a new XML element of each entry every time it
    writes a feed, and an item is in up to three feeds per format. This entry
    makes its element once per format and gives every feed the same element,
    which lxml moves into that feed's tree: each feed is written out before the
    next one is made (`FeedWriter.write` does so), so a move never takes an
    element from a feed not yet written.
    """

    def __init__(self) -> None:
        super().__init__()
        self.atom_element: Any = None
        self.rss_element: Any = None

    def atom_entry(self, extensions: bool = True) -> Any:
        if self.atom_element is None:
            self.atom_element = super().atom_entry(extensions)
        return self.atom_element

    def rss_entry(self, extensions: bool = True) -> Any:
        if self.rss_element is None:
            self.rss_element = super().rss_entry(extensions)
        return self.rss_element


class FeedWriter:
    """Writes the Atom and RSS documents of one set of items, building each entry once for all of them.

    `items` are all items, newest first, with their links and topics.
    """

    def __init__(
        self,
        items: list[Item],
        topics: tuple[Topic, ...],
        settings: FeedSettings,
        limit: int,
        summaries: Callable[[Item], str] = summary_html,
        last_change: datetime | None = None,
    ) -> None:
        self.items = items
        self.last_change = last_change
        self._summary = summaries
        self.settings = settings
        self.limit = limit
        self._names = {t.slug: t.name for t in topics}
        self._entries: dict[str, _SharedEntry] = {}
        self._format: Format | None = None

    def release(self) -> None:
        """Let go of the entries: every feed is written."""
        self._entries.clear()
        self._format = None

    def _entry(self, item: Item) -> _SharedEntry:
        entry = self._entries.get(item.id)
        if entry is None:
            entry = self._entries[item.id] = self._new_entry(item)
        return entry

    def _new_entry(self, item: Item) -> _SharedEntry:
        entry = _SharedEntry()
        entry.id(item.id)  # also the RSS guid, with isPermaLink="false"
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.summary(self._summary(item), type="html")  # also the RSS description
        entry.published(item.published)  # also the RSS pubDate
        entry.updated(item.updated)  # feedgen: defaults to now()
        for slug in item.topics:
            entry.category(term=slug, label=self._names[slug])
        return entry

    def write(self, feed: Feed, fmt: Format, sink: Sink) -> None:
        """Write one feed document, of the newest `limit` items `feed` holds, into `sink`."""
        if fmt != self._format:  # the elements of one format are no use to the other: let them go
            for entry in self._entries.values():
                entry.atom_element = entry.rss_element = None
            self._format = fmt
        entries = entries_of(feed, self.items, self.limit)
        updated = updated_of(entries, self.items, self.last_change)
        settings = self.settings
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
        shown: set[str] = set()
        for item in entries:
            # An element is in one tree at a time: a second item of the same id (never
            # from an archive, which keys stories by id) gets an entry of its own.
            entry = self._entry(item) if item.id not in shown else self._new_entry(item)
            shown.add(item.id)
            # feedgen: add_entry() prepends unless told to append.
            fg.add_entry(entry, order="append")
        fmt.write(fg, sink)


def writers(
    items: list[Item],
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    limit: int = DEFAULT_LIMIT,
    summaries: Callable[[Item], str] = summary_html,
    last_change: datetime | None = None,
) -> dict[str, Writer]:
    """What writes each feed document, by file name, in the order to call them: every Atom feed, then every RSS feed.

    Call each writer once, one after the other (the feeds share their entries' XML).
    """
    writer = FeedWriter(items, topics, settings, limit, summaries, last_change)
    return releasing(
        {f"{feed.slug}.{fmt.suffix}": partial(writer.write, feed, fmt) for fmt in FORMATS for feed in feeds(topics)},
        writer.release,
    )


def rendered(documents: dict[str, Writer]) -> dict[str, bytes]:
    """Documents written into memory, by file name."""
    result = {}
    for name, write in documents.items():
        buffer = BytesIO()
        write(buffer)
        result[name] = buffer.getvalue()
    return result


def render_all(
    items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings, limit: int = DEFAULT_LIMIT
) -> dict[str, bytes]:
    """Every feed document, by file name."""
    return rendered(writers(items, topics, settings, limit))
