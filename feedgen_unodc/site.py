"""The pages for people: index.html (every story) and one page per topic, and feeds.opml.

Plain, accessible HTML with a small inline stylesheet and nothing from other
hosts. Each page names every feed in its <head> (autodiscovery) and links to
them in its body; the topic filter is a plain link to the topic's page, so it
works without JavaScript. Every piece of listing text is escaped: markup in
the source shows as text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from lxml import etree

from .dates import format_date, http_date
from .feeds import Feed, feeds, rendered, summary_html, updated_of
from .model import Item, Sink, Writer, releasing
from .settings import FeedSettings
from .text import escape
from .topics import Topic


class Subscription(NamedTuple):
    """One feed file, as people choose it."""

    feed: Feed
    file: str
    format_name: str  # "Atom", "RSS", "JSON Feed"
    media_type: str


def subscriptions(topics: tuple[Topic, ...]) -> list[Subscription]:
    """Every feed file, by feed then format."""
    kinds = (
        ("atom.xml", "Atom", "application/atom+xml"),
        ("rss.xml", "RSS", "application/rss+xml"),
        ("json", "JSON Feed", "application/feed+json"),
    )
    return [
        Subscription(feed, f"{feed.slug}.{suffix}", name, media_type)
        for feed in feeds(topics)
        for suffix, name, media_type in kinds
    ]


def page_name(feed: Feed) -> str:
    return "index.html" if feed.topic is None else f"{feed.slug}.html"


_STYLE = """
:root { color-scheme: light dark; --muted: #5a5a5a; --rule: #d0d0d0; --accent: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --muted: #b0b0b0; --rule: #444; --accent: #7ab7ff; } }
body { font: 1rem/1.55 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 0 0 .25rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1rem; }
.feeds { list-style: none; padding: 0; }
.feeds li { margin: .25rem 0; }
nav a[aria-current="page"] { font-weight: bold; text-decoration: none; color: inherit; }
article { border-top: 1px solid var(--rule); padding: 1rem 0; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 .5rem; }
.tag { border: 1px solid var(--rule); border-radius: .75rem; padding: 0 .5rem; margin-left: .25rem; }
footer { color: var(--muted); font-size: .9rem; border-top: 1px solid var(--rule); margin-top: 2rem; }
""".strip()


def _article(item: Item, names: dict[str, str], summaries: Callable[[Item], str]) -> str:
    return (
        f'<article id="{escape(item.id.removeprefix("urn:uuid:"))}">\n'
        f'<h3><a href="{escape(item.link)}">{escape(item.title)}</a></h3>\n'
        f'<p class="meta"><time datetime="{item.day.isoformat()}">{format_date(item.day)}</time>'
        + "".join(f' <span class="tag">{escape(names[slug])}</span>' for slug in item.topics)
        + f"</p>\n{summaries(item)}\n</article>"
    )


def _page(
    current: Feed,
    stories: list[Item],
    all_feeds: list[Feed],
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    articles: dict[str, str],
    summaries: Callable[[Item], str],
    sink: Sink,
) -> None:
    """Write one page, a story at a time; `articles` keeps each story's HTML by id, for the pages that share it."""
    names = {t.slug: t.name for t in topics}
    subs = subscriptions(topics)
    discovery = "\n".join(
        f'<link rel="alternate" type="{s.media_type}" title="{escape(s.feed.title)} ({s.format_name})" href="{s.file}">'
        for s in subs
    )
    current_mark = ' aria-current="page"'
    navigation = "\n".join(
        f'<li><a href="{page_name(f)}"{current_mark if f == current else ""}>'
        f"{escape(f.topic.name if f.topic else 'All news')}</a></li>"
        for f in all_feeds
    )
    feed_list = "\n".join(
        f"<li>{escape(f.topic.name if f.topic else 'All news')}: "
        + " · ".join(f'<a href="{s.file}" type="{s.media_type}">{s.format_name}</a>' for s in subs if s.feed == f)
        + "</li>"
        for f in all_feeds
    )
    heading = current.title
    count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}, newest first"
    sink.write(
        f"""<!DOCTYPE html>
<html lang="{settings.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)}</title>
{discovery}
<style>
{_STYLE}
</style>
</head>
<body>
<header>
<h1>{escape(heading)}</h1>
<p>{escape(current.subtitle)} The stories come from
<a href="{escape(settings.listing_url)}">the UNODC news listing</a>.</p>
</header>
<nav aria-label="Topics">
<ul>
{navigation}
</ul>
</nav>
<section aria-labelledby="subscribe">
<h2 id="subscribe">Subscribe</h2>
<p>Copy a link into your feed reader, or import <a href="feeds.opml" type="text/x-opml">all feeds (OPML)</a>.</p>
<ul class="feeds">
{feed_list}
</ul>
</section>
<main aria-labelledby="stories">
<h2 id="stories">Stories <small>({count})</small></h2>
""".encode()
    )
    for item in stories:
        article = articles.get(item.id) or articles.setdefault(item.id, _article(item, names, summaries))
        sink.write(f"{article}\n".encode())
    sink.write(
        b"""</main>
<footer>
<p>Made by feedgen-unodc. The stories and their text are UNODC's; these pages and feeds are not published by UNODC.</p>
</footer>
</body>
</html>
"""
    )


def page_writers(
    items: list[Item],
    topics: tuple[Topic, ...],
    settings: FeedSettings,
    summaries: Callable[[Item], str] = summary_html,
) -> dict[str, Writer]:
    """What writes index.html, with every published story, and one page per topic; by file name."""
    all_feeds = feeds(topics)
    articles: dict[str, str] = {}
    return releasing(
        {
            page_name(feed): partial(
                _page, feed, [i for i in items if feed.holds(i)], all_feeds, topics, settings, articles, summaries
            )
            for feed in all_feeds
        },
        articles.clear,
    )


def render_pages(items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings) -> dict[str, bytes]:
    """index.html with every published story, and one page per topic; by file name."""
    return rendered(page_writers(items, topics, settings))


def render_opml(items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings) -> bytes:
    """feeds.opml: an OPML 2.0 subscription list of every feed, grouped by topic."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "UNODC human trafficking and migrant smuggling news: feeds"
    if items:  # the time of the newest story, never the clock's
        etree.SubElement(head, "dateModified").text = http_date(updated_of(items, items, None))
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for feed in feeds(topics):
        group = etree.SubElement(body, "outline", text=feed.topic.name if feed.topic else "All news")
        for s in subscriptions(topics):
            if s.feed == feed:
                etree.SubElement(
                    group,
                    "outline",
                    type="rss",
                    text=f"{feed.title} ({s.format_name})",
                    title=f"{feed.title} ({s.format_name})",
                    description=feed.subtitle,
                    xmlUrl=f"{settings.base_url}{s.file}",
                    htmlUrl=f"{settings.base_url}{page_name(feed)}",
                    language=settings.language,
                )
    document: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return document
