"""What is published: every file a build writes, with its name, format, media type and label.

One table, read by the feeds, the JSON Feed, the pages, the OPML list,
`serve` and the tests: a new format or a new topic is a row here, never an
edit in five files. Subscribers keep the files' names for good: a feed's
name is its slug and its format's suffix, and neither ever changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Item
from .topics import Topic, VocabularyError


@dataclass(frozen=True)
class Format:
    """A feed format: its file suffix, its name for people, and the media type it is served with."""

    suffix: str
    label: str
    media_type: str


ATOM = Format("atom.xml", "Atom", "application/atom+xml")
RSS = Format("rss.xml", "RSS", "application/rss+xml")
JSON_FEED = Format("json", "JSON Feed", "application/feed+json")
FORMATS = (ATOM, RSS, JSON_FEED)

# Other kinds of published file, by suffix.
PAGE_TYPE = "text/html"
OPML_TYPE = "text/x-opml"
OPML = "feeds.opml"
INDEX = "index.html"

_UNOFFICIAL = "An unofficial feed of the UNODC news listing, made by feedgen-unodc."
_SECTION = "News from the UNODC Human Trafficking and Migrant Smuggling Section"


@dataclass(frozen=True)
class Feed:
    """One subscription: every story (`topic` None), or the stories about one topic; in every format."""

    slug: str  # the file names' stem: subscribers keep these URLs, never rename them
    title: str
    subtitle: str
    topic: Topic | None

    @property
    def name(self) -> str:
        """What people call it: "All news", or the topic's name."""
        return self.topic.name if self.topic else "All news"

    @property
    def page(self) -> str:
        """Its page's file name."""
        return INDEX if self.topic is None else f"{self.slug}.html"

    def file(self, fmt: Format) -> str:
        """Its file name in `fmt`."""
        return f"{self.slug}.{fmt.suffix}"

    def holds(self, item: Item) -> bool:
        return self.topic is None or self.topic.slug in item.topics


def feeds(topics: tuple[Topic, ...]) -> list[Feed]:
    """The all-stories feed, then one feed per topic, in the vocabulary's order."""
    everything = Feed("all", "UNODC: human trafficking and migrant smuggling news", f"{_SECTION}. {_UNOFFICIAL}", None)
    return [everything] + [
        Feed(t.slug, t.feed_title, f"{_SECTION} about {t.name[0].lower() + t.name[1:]}. {_UNOFFICIAL}", t)
        for t in topics
    ]


@dataclass(frozen=True)
class Published:
    """One file a build writes."""

    name: str
    media_type: str  # without its charset: see `media_type_of`
    feed: Feed | None = None  # for a feed file or a page: whose
    format: Format | None = None  # for a feed file: which

    def what(self) -> str:
        """What the file is, for people: "the Atom feed of all news", "the page of topic 'smuggling'"."""
        if self.feed is None:
            return "the OPML list"
        whose = f"topic {self.feed.slug!r}" if self.feed.topic else "all news"
        return f"the {self.format.label} feed of {whose}" if self.format else f"the page of {whose}"


def catalog(topics: tuple[Topic, ...]) -> list[Published]:
    """Every file a build writes, in the order they are written: the feeds, format by format, the pages, the list.

    Raises `VocabularyError` when a topic's slug would give one of its files
    the name of another published file (`index`: index.html; `all`: all.atom.xml).
    """
    all_feeds = feeds(topics)
    files = [Published(feed.file(fmt), fmt.media_type, feed, fmt) for fmt in FORMATS for feed in all_feeds]
    files += [Published(feed.page, PAGE_TYPE, feed) for feed in all_feeds]
    files.append(Published(OPML, OPML_TYPE))
    first: dict[str, Published] = {}
    for file in files:
        other = first.setdefault(file.name, file)
        if other is not file:
            topic = file.feed.slug if file.feed else file.name  # the later file is a topic's: its feeds come after
            raise VocabularyError(
                f"topic slug {topic!r} cannot be used: {file.what()} would overwrite {other.what()} ({file.name})"
            )
    return files


def subscriptions(topics: tuple[Topic, ...]) -> list[Published]:
    """Every feed file, feed by feed, each in every format: what people subscribe to."""
    return [Published(feed.file(fmt), fmt.media_type, feed, fmt) for feed in feeds(topics) for fmt in FORMATS]


# The Content-Type each kind of published file is served with: the types the
# W3C validator and readers expect (nginx, by the last extension alone, would
# call every feed text/xml).
MEDIA_TYPES = {f".{fmt.suffix}": f"{fmt.media_type}; charset=utf-8" for fmt in FORMATS} | {
    ".opml": f"{OPML_TYPE}; charset=utf-8",
    ".html": f"{PAGE_TYPE}; charset=utf-8",
}


def media_type_of(name: str) -> str:
    """The Content-Type a published file of this name is served with."""
    return next((media for suffix, media in MEDIA_TYPES.items() if name.endswith(suffix)), "application/octet-stream")
