"""Stories to feed documents: Atom 1.0 and RSS 2.0, rendered with python-feedgen.

python-feedgen's defaults are wrong for a deterministic publisher; each trap
is marked "feedgen:" where it is avoided.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .catalog import ATOM, PAGE_TYPE, Feed, Format
from .model import Image, Item, SummaryGap
from .normalize import ID_NAMESPACE
from .settings import FeedSettings

GENERATOR = "feedgen-unodc"
HISTORY_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
ATOM_NS = "http://www.w3.org/2005/Atom"
# Readers poll at will; the listing changes a few times a month, and cron rebuilds hourly.
TTL_MINUTES = 60


class _LeadImage(BaseEntryExtension):  # type: ignore[misc]  # feedgen has no type hints
    """An entry's lead image: Atom `<link rel="enclosure">` with its type, length and alt text as its title;
    RSS `<enclosure>` with its type and length. What readers take as the entry's thumbnail.

    feedgen: `entry.link(rel="enclosure", ...)` would write an Atom link with its href only (feedgen 1.0
    drops an entry link's rel, type and length), which readers take for a second alternate link.
    """

    image: Image | None = None

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self.image is not None:
            link = etree.SubElement(entry, "link", rel="enclosure", href=self.image.url, type=self.image.media_type)
            link.set("length", str(self.image.length))
            if self.image.alt:
                link.set("title", self.image.alt)
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        if self.image is not None:
            etree.SubElement(
                item, "enclosure", url=self.image.url, length=str(self.image.length), type=self.image.media_type
            )
        return item


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
        return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in item.paragraphs)
    reason = {
        SummaryGap.ABSENT: "The UNODC listing gives no summary for this story.",
        SummaryGap.COPIED: "The UNODC listing shows another story's summary under this title, so it is left out here.",
    }[item.summary_gap or SummaryGap.ABSENT]
    where = "Read the story on the UNODC site." if item.story_url else "See the UNODC news listing."
    return f'<p>{html.escape(reason, quote=False)} <a href="{html.escape(item.link)}">{where}</a></p>'


def full_text_html(item: Item) -> str | None:
    """The story's whole text from its own page, ending with a line naming and linking that page; None
    without it (the operator did not ask for full text, or the page was not read and confirmed)."""
    if not item.article or not item.story_url:
        return None
    source = f'<a href="{html.escape(item.story_url)}">{html.escape(item.title, quote=False)}</a>'
    return f"{item.article}\n<p>Source: {source}, on the UNODC website.</p>"


def entries_of(feed: Feed, items: list[Item], limit: int) -> list[Item]:
    """The newest `limit` items `feed` holds."""
    return [item for item in items if feed.holds(item)][:limit]


def updated_of(entries: list[Item], latest: datetime | None, last_change: datetime | None) -> datetime:
    """A feed's updated time: its latest entry's, never the clock's.

    A topic feed with no entries takes `latest`, the latest update of any
    published story; with no story published at all (every one removed),
    `last_change`: the archive's own time of its last change. An empty feed is a valid feed.
    """
    if entries:
        return max(item.updated for item in entries)
    if latest is not None:
        return latest
    if last_change is None:
        raise ValueError("no story and no time to date an empty feed by")
    return last_change


class _History(BaseExtension):  # type: ignore[misc]  # feedgen has no type hints
    """RFC 5005's mark of an archive document: `<fh:archive/>`, which says the document is complete."""

    def extend_ns(self) -> dict[str, str]:
        return {"fh": HISTORY_NS}

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        etree.SubElement(feed, f"{{{HISTORY_NS}}}archive")
        return feed

    def extend_rss(self, channel: etree._Element) -> etree._Element:
        return channel


class _Hubs(BaseExtension):  # type: ignore[misc]  # feedgen has no type hints
    """The WebSub hubs of an RSS channel, as Atom links (`<atom:link rel="hub">`) beside its rel="self" one.

    feedgen: an RSS channel gets the Atom link of rel="self" alone, whatever link() was given.
    """

    hubs: tuple[str, ...] = ()

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        return feed

    def extend_rss(self, channel: etree._Element) -> etree._Element:
        for parent in channel.iterfind("channel"):  # feedgen gives the extension the <rss> element
            for hub in self.hubs:
                etree.SubElement(parent, f"{{{ATOM_NS}}}link", href=hub, rel="hub")
        return channel


class _Document(NamedTuple):
    """What one feed document is, beside its entries: its id, title, links, and whether it is an archive."""

    id: str
    title: str
    subtitle: str
    self_url: str
    alternate: str  # the page people read it on
    history: tuple[tuple[str, str], ...] = ()  # RFC 5005 links: (rel, href) of Atom documents
    archive: bool = False


def _write(
    document: _Document,
    fmt: Format,
    entries: list[Item],
    updated: datetime,
    topic_names: dict[str, str],
    settings: FeedSettings,
) -> bytes:
    # feedgen: one generator per file. A generator has one self link, and
    # writing two files from it would give both the same rel=self.
    generator = FeedGenerator()
    generator.id(document.id)
    generator.title(document.title)
    generator.subtitle(document.subtitle)  # also the RSS channel description
    generator.author(name=settings.author)
    generator.language(settings.language)
    generator.link(href=document.self_url, rel="self", type=fmt.media_type)
    for rel, href in document.history:  # Atom only: feedgen writes no other link of the feed in RSS
        generator.link(href=href, rel=rel, type=ATOM.media_type)
    hubs = () if document.archive else settings.hubs  # an archive document does not change: no hub
    if fmt == ATOM:
        for hub in hubs:
            generator.link(href=hub, rel="hub")
    elif hubs:
        generator.register_extension("hubs", _Hubs, None, atom=False, rss=True)
        generator.hubs.hubs = hubs
    # feedgen: the RSS channel <link> is the href of the *last* link() call,
    # whatever its rel, so the page for people must come last.
    generator.link(href=document.alternate, rel="alternate", type=PAGE_TYPE)
    generator.register_extension("lead_image", BaseExtension, _LeadImage)
    if document.archive:
        generator.register_extension("history", _History, None, atom=True, rss=False)
    generator.generator(GENERATOR)  # feedgen names itself and its version otherwise
    generator.ttl(TTL_MINUTES)
    # feedgen: updated (RSS lastBuildDate) defaults to now(); pubDate is unset.
    generator.updated(updated)
    generator.pubDate(updated)
    for item in entries:
        entry = generator.add_entry(order="append")  # feedgen: add_entry() prepends unless told to append
        entry.id(item.id)  # also the RSS guid, with isPermaLink="false"
        entry.title(item.title)
        entry.link(href=item.link, rel="alternate")
        entry.summary(summary_html(item), type="html")  # also the RSS description
        full_text = full_text_html(item)
        if full_text is not None:  # Atom content, RSS content:encoded; summaries stay summaries
            entry.content(full_text, type="html")
        entry.lead_image.image = item.image
        entry.published(item.published)  # also the RSS pubDate
        entry.updated(item.updated)  # feedgen: defaults to now()
        for slug in item.topics:
            entry.category(term=slug, label=topic_names[slug])
    data: bytes = generator.atom_str(pretty=True) if fmt == ATOM else generator.rss_str(pretty=True)
    return data


def render(
    feed: Feed,
    fmt: Format,
    items: list[Item],
    topic_names: dict[str, str],
    settings: FeedSettings,
    limit: int,
    dates: tuple[datetime | None, datetime | None],
    newest_archive: int | None = None,
) -> bytes:
    """The `fmt` (Atom or RSS) document of `feed`: its newest `limit` stories among `items` (newest first).

    `dates` date it when it has no entry: the latest update of a published
    story and the archive's last change (`updated_of`).

    In Atom, `newest_archive` (the year of its newest archive document, if it
    has one) is linked as `prev-archive`: the way to its older stories (RFC 5005).
    """
    entries = entries_of(feed, items, limit)
    history = (
        (("prev-archive", f"{settings.base_url}{feed.archive(newest_archive)}"),)
        if fmt == ATOM and newest_archive is not None
        else ()
    )
    document = _Document(
        feed_id(feed.slug), feed.title, feed.subtitle, f"{settings.base_url}{feed.file(fmt)}",
        settings.listing_url, history,
    )  # fmt: skip
    return _write(document, fmt, entries, updated_of(entries, *dates), topic_names, settings)


def archive(
    feed: Feed,
    year: int,
    entries: list[Item],
    topic_names: dict[str, str],
    settings: FeedSettings,
    older: int | None,
    newer: int | None,
    kept: Mapping[str, bytes] | None = None,
) -> bytes:
    """The Atom archive document of `feed`'s stories of `year` that its subscription document no longer holds.

    Linked (RFC 5005) to the subscription document (`current`) and to the
    archive documents of the years `older` and `newer` than it, when there are.
    Its entries are never the subscription document's: following the links
    from it gives every story once. They carry what the archive keeps, the
    listing's summaries: no image nor whole text from the stories' pages,
    which are read later and would change a closed year's document.

    `kept` gives entries (by id, their bytes in the last build's document,
    `entry_blocks`) of stories that have not changed since: they are put back
    as they were, not made again; the document's bytes are the same either way.
    """
    # Kept entries only where each id is one entry's: the archive holds each story once.
    kept = kept if kept and len({item.id for item in entries}) == len(entries) else {}
    base = settings.base_url
    history = [("current", f"{base}{feed.file(ATOM)}")]
    if older is not None:
        history.append(("prev-archive", f"{base}{feed.archive(older)}"))
    if newer is not None:
        history.append(("next-archive", f"{base}{feed.archive(newer)}"))
    document = _Document(
        feed_id(f"{feed.slug} {year}"), f"{feed.title}: {year}", f"{feed.subtitle} The archive of {year}.",
        f"{base}{feed.archive(year)}", f"{base}{feed.year_page(year)}", tuple(history), archive=True,
    )  # fmt: skip
    updated = max(item.updated for item in entries)
    made = [item for item in entries if item.id not in kept]
    data = _write(document, ATOM, made, updated, topic_names, settings)
    if len(made) == len(entries):
        return data
    # The document as feedgen writes it with the entries made alone; each kept entry put back in its place.
    fresh = entry_blocks(data)
    first = data.find(_OPEN)
    head = data[:first] if first != -1 else data.removesuffix(_END)
    return b"".join([head, *(kept.get(item.id) or fresh[item.id] for item in entries), _END])


# How feedgen (lxml, pretty) writes an Atom entry: the lines from "  <entry>" to "  </entry>", its id first.
# Every "<" of a text or an attribute is escaped: these lines are the entry's tags and no text's.
_OPEN, _ID, _CLOSE, _END = b"  <entry>\n    <id>", b"</id>\n", b"\n  </entry>\n", b"</feed>\n"


def entry_blocks(document: bytes) -> dict[str, bytes]:
    """The entries of an Atom document `_write` made, each as its bytes there, by id; {} for another file."""
    if not document.endswith(_END):
        return {}
    blocks = {}
    start = document.find(_OPEN)
    while start != -1:
        stop = document.find(_CLOSE, start) + len(_CLOSE)
        id_end = document.find(_ID, start)
        if stop < len(_CLOSE) or not start < id_end < stop:
            return {}
        blocks[document[start + len(_OPEN) : id_end].decode("utf-8", "replace")] = document[start:stop]
        start = document.find(_OPEN, stop)
    return blocks
