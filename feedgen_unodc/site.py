"""The pages for people: index.html (every story) and one page per topic, and feeds.opml.

Plain, accessible HTML with a small inline stylesheet and nothing from other
hosts. Each page names every feed in its <head> (autodiscovery) and links to
them in its body; the topic filter is a plain link to the topic's page, so it
works without JavaScript. Every piece of listing text is escaped: markup in
the source shows as text.
"""

from __future__ import annotations

from html import escape

from lxml import etree

from .catalog import OPML, OPML_TYPE, Feed, feeds, subscriptions
from .dates import format_date, http_date
from .feeds import summary_html, updated_of
from .model import Item
from .settings import FeedSettings
from .topics import Topic

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
article img { display: block; max-width: 100%; height: auto; margin: .5rem 0; }
.tag { border: 1px solid var(--rule); border-radius: .75rem; padding: 0 .5rem; margin-left: .25rem; }
footer { color: var(--muted); font-size: .9rem; border-top: 1px solid var(--rule); margin-top: 2rem; }
""".strip()


def _image(item: Item) -> str:
    """The story's lead image: its alt text, loaded when scrolled to, sized so that the page does not jump."""
    image = item.image
    if image is None:
        return ""
    return (
        f'<img src="{escape(image.url)}" alt="{escape(image.alt)}" width="{image.width}" height="{image.height}"'
        ' loading="lazy" decoding="async">\n'
    )


def _article(item: Item, names: dict[str, str]) -> str:
    return (
        f'<article id="{escape(item.id.removeprefix("urn:uuid:"))}">\n'
        f'<h3><a href="{escape(item.link)}">{escape(item.title)}</a></h3>\n'
        f'<p class="meta"><time datetime="{item.day.isoformat()}">{format_date(item.day)}</time>'
        + "".join(f' <span class="tag">{escape(names[slug])}</span>' for slug in item.topics)
        + f"</p>\n{_image(item)}{summary_html(item)}\n</article>"
    )


def page(current: Feed, items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings) -> bytes:
    """The page of `current`: every story it holds among `items` (newest first), with every feed to subscribe to."""
    stories = [item for item in items if current.holds(item)]
    names = {t.slug: t.name for t in topics}
    all_feeds = feeds(topics)
    subs = subscriptions(topics)
    discovery = "\n".join(
        f'<link rel="alternate" type="{s.media_type}" title="{escape(s.feed.title)} ({s.format.label})" '
        f'href="{s.name}">'
        for s in subs
        if s.feed and s.format
    )
    current_mark = ' aria-current="page"'
    navigation = "\n".join(
        f'<li><a href="{f.page}"{current_mark if f == current else ""}>{escape(f.name)}</a></li>' for f in all_feeds
    )
    feed_list = "\n".join(
        f"<li>{escape(f.name)}: "
        + " · ".join(
            f'<a href="{s.name}" type="{s.media_type}">{s.format.label}</a>' for s in subs if s.feed == f and s.format
        )
        + "</li>"
        for f in all_feeds
    )
    heading = current.title
    count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}, newest first"
    articles = "".join(f"{_article(item, names)}\n" for item in stories)
    return f"""<!DOCTYPE html>
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
<p>Copy a link into your feed reader, or import <a href="{OPML}" type="{OPML_TYPE}">all feeds (OPML)</a>.</p>
<ul class="feeds">
{feed_list}
</ul>
</section>
<main aria-labelledby="stories">
<h2 id="stories">Stories <small>({count})</small></h2>
{articles}</main>
<footer>
<p>Made by feedgen-unodc. The stories and their text are UNODC's; these pages and feeds are not published by UNODC.</p>
</footer>
</body>
</html>
""".encode()


def opml(items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings) -> bytes:
    """feeds.opml: an OPML 2.0 subscription list of every feed, grouped by topic."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "UNODC human trafficking and migrant smuggling news: feeds"
    if items:  # the time of the newest story, never the clock's
        etree.SubElement(head, "dateModified").text = http_date(updated_of(items, items, None))
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for feed in feeds(topics):
        group = etree.SubElement(body, "outline", text=feed.name)
        for s in subscriptions(topics):
            if s.feed == feed and s.format:
                etree.SubElement(
                    group,
                    "outline",
                    type="rss",
                    text=f"{feed.title} ({s.format.label})",
                    title=f"{feed.title} ({s.format.label})",
                    description=feed.subtitle,
                    xmlUrl=f"{settings.base_url}{s.name}",
                    htmlUrl=f"{settings.base_url}{feed.page}",
                    language=settings.language,
                )
    document: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return document
