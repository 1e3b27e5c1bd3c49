"""What is published: every file a build writes, with its name, format, media type and label.

One table, read by the feeds, the JSON Feed, the pages, the OPML list,
`serve` and the tests: a new format or a new topic is a row here, never an
edit in five files. Subscribers keep the files' names for good: a feed's
name is its slug and its format's suffix, and neither ever changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Item
from .topics import Topic, VocabularyError
from .years import Years


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
# The whole record as data, for spreadsheets, pandas and Datasette (see `dataset.py`).
CSV = "stories.csv"
CSV_TYPE = "text/csv"
JSON_DATA = "stories.json"
JSON_TYPE = "application/json"
_YEAR = re.compile(r"-\d{4}$")  # what ends the name of a year's page or archive document

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

    def year_page(self, year: int) -> str:
        """The file name of its page of `year`'s stories."""
        return f"{self.slug}-{year}.html"

    def archive(self, year: int) -> str:
        """The file name of its archive document of `year` (RFC 5005): its stories of that year that its
        subscription document no longer holds. Atom only."""
        return f"{self.slug}-{year}.{ATOM.suffix}"

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
    year: int | None = None  # for a year's page or archive document: which

    def what(self) -> str:
        """What the file is, for people: "the Atom feed of all news", "the page of topic 'smuggling'"."""
        if self.feed is None:
            return {CSV: "the stories as CSV", JSON_DATA: "the stories as JSON"}.get(self.name, "the OPML list")
        whose = f"topic {self.feed.slug!r}" if self.feed.topic else "all news"
        if self.year is not None:
            return f"the {self.year} archive of {whose}" if self.format else f"the {self.year} page of {whose}"
        return f"the {self.format.label} feed of {whose}" if self.format else f"the page of {whose}"


def catalog(topics: tuple[Topic, ...], years: Years | None = None) -> list[Published]:
    """Every file a build writes, in the order they are written: the feeds, format by format, each feed's
    archive documents (newest first), the pages, each feed's year pages, the list, the data.

    `years` says which years have pages and archive documents; without it, none.
    Raises `VocabularyError` when a topic's slug would give one of its files
    the name of another published file (`index`: index.html; `all`: all.atom.xml;
    `stories`: stories.json), or could (`trafficking-2020`: a year's page).
    """
    years = years or Years()
    all_feeds = feeds(topics)
    for feed in all_feeds:
        if _YEAR.search(feed.slug):
            raise VocabularyError(f"topic slug {feed.slug!r} cannot be used: it ends as a year's page is named")
    files = [Published(feed.file(fmt), fmt.media_type, feed, fmt) for fmt in FORMATS for feed in all_feeds]
    files += [
        Published(feed.archive(year), ATOM.media_type, feed, ATOM, year)
        for feed in all_feeds
        for year in years.archives(feed.slug)
    ]
    files += [Published(feed.page, PAGE_TYPE, feed) for feed in all_feeds]
    files += [
        Published(feed.year_page(year), PAGE_TYPE, feed, None, year)
        for feed in all_feeds
        for year in years.of(feed.slug)
    ]
    files.append(Published(OPML, OPML_TYPE))
    files += [Published(CSV, CSV_TYPE), Published(JSON_DATA, JSON_TYPE)]
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
# The data files by their whole names: stories.json is no JSON Feed.
MEDIA_TYPES = (
    {
        f"/{CSV}": f"{CSV_TYPE}; charset=utf-8; header=present",
        f"/{JSON_DATA}": f"{JSON_TYPE}; charset=utf-8",
    }
    | {f".{fmt.suffix}": f"{fmt.media_type}; charset=utf-8" for fmt in FORMATS}
    | {
        ".opml": f"{OPML_TYPE}; charset=utf-8",
        ".html": f"{PAGE_TYPE}; charset=utf-8",
    }
)


def media_type_of(name: str) -> str:
    """The Content-Type a published file of this name (or URL path) is served with."""
    path = "/" + name.lstrip("/")
    return next((media for suffix, media in MEDIA_TYPES.items() if path.endswith(suffix)), "application/octet-stream")
