"""The pages for people: index.html and one page per topic (the newest stories), a page per year of each, feeds.opml.

Every page stays small whatever the archive's size: the feed's page shows
what its feed shows and links to the pages by year, each of which shows
one year's stories, a chart of them by month, and the years around it.
Plain, accessible HTML with a small inline stylesheet and nothing from other
hosts. Each page names every feed in its <head> (autodiscovery) and links to
them in its body; the topic filter is a plain link to the topic's page, so it
works without JavaScript. Every piece of listing text is escaped: markup in
the source shows as text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from lxml import etree

from .catalog import CSV, CSV_TYPE, JSON_DATA, JSON_TYPE, OPML, OPML_TYPE, Feed, feeds, subscriptions
from .chart import Series, chart
from .dates import format_date, http_date
from .feeds import entries_of, summary_html
from .model import Item
from .settings import FeedSettings
from .topics import Topic
from .years import Years, neighbours

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
.years { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.chart svg { width: 100%; height: auto; }
.chart text { fill: currentColor; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -.1rem; }
.chart table { border-collapse: collapse; font-size: .9rem; }
.chart th, .chart td { border: 1px solid var(--rule); padding: .1rem .5rem; text-align: right; }
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


def _head(heading: str, topics: tuple[Topic, ...], settings: FeedSettings) -> str:
    """The document's start, to its <body>: every feed named for autodiscovery, the stylesheet."""
    discovery = "\n".join(
        f'<link rel="alternate" type="{s.media_type}" title="{escape(s.feed.title)} ({s.format.label})" '
        f'href="{s.name}">'
        for s in subscriptions(topics)
        if s.feed and s.format
    )
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
"""


def _topics_nav(current: Feed, topics: tuple[Topic, ...], href: Callable[[Feed], str]) -> str:
    current_mark = ' aria-current="page"'
    links = "\n".join(
        f'<li><a href="{href(f)}"{current_mark if f == current else ""}>{escape(f.name)}</a></li>'
        for f in feeds(topics)
    )
    return f'<nav aria-label="Topics">\n<ul>\n{links}\n</ul>\n</nav>\n'


_FOOTER = """<footer>
<p>Made by feedgen-unodc. The stories and their text are UNODC's; these pages and feeds are not published by UNODC.</p>
</footer>
</body>
</html>
"""


def _plural(count: int) -> str:
    return f"{count:,} {'story' if count == 1 else 'stories'}"


def _years_section(current: Feed, years: Years) -> str:
    """The links to the feed's pages by year, and on the index the whole record as data."""
    counts = years.stories.get(current.slug, {})
    if not counts:
        return ""
    links = "\n".join(
        f'<li><a href="{current.year_page(year)}">{year}</a> ({_plural(count)})</li>' for year, count in counts.items()
    )
    data = (
        f'<p>The whole record as data, a row per story: <a href="{CSV}" type="{CSV_TYPE}">CSV</a> ·'
        f' <a href="{JSON_DATA}" type="{JSON_TYPE}">JSON</a>.</p>\n'
        if current.topic is None
        else ""
    )
    return (
        f'<section aria-labelledby="years">\n<h2 id="years">Every story, by year</h2>\n'
        f'<ul class="years">\n{links}\n</ul>\n{data}</section>\n'
    )


def page(current: Feed, items: list[Item], topics: tuple[Topic, ...], settings: FeedSettings, limit: int,
         years: Years | None = None) -> bytes:  # fmt: skip
    """The page of `current`: its newest `limit` stories among `items` (newest first), every feed to subscribe
    to, and links to its pages by year (`years`)."""
    years = years or Years()
    shown = entries_of(current, items, limit)
    total = sum(years.stories.get(current.slug, {}).values()) or len(shown)
    names = {t.slug: t.name for t in topics}
    subs = subscriptions(topics)
    feed_list = "\n".join(
        f"<li>{escape(f.name)}: "
        + " · ".join(
            f'<a href="{s.name}" type="{s.media_type}">{s.format.label}</a>' for s in subs if s.feed == f and s.format
        )
        + "</li>"
        for f in feeds(topics)
    )
    heading = current.title
    count = (
        f"{_plural(len(shown))}, newest first"
        if total <= len(shown)
        else f"the newest {len(shown)} of {_plural(total)}"
    )
    articles = "".join(f"{_article(item, names)}\n" for item in shown)
    return (
        _head(heading, topics, settings)
        + f"""<header>
<h1>{escape(heading)}</h1>
<p>{escape(current.subtitle)} The stories come from
<a href="{escape(settings.listing_url)}">the UNODC news listing</a>.</p>
</header>
"""
        + _topics_nav(current, topics, lambda f: f.page)
        + f"""<section aria-labelledby="subscribe">
<h2 id="subscribe">Subscribe</h2>
<p>Copy a link into your feed reader, or import <a href="{OPML}" type="{OPML_TYPE}">all feeds (OPML)</a>.</p>
<ul class="feeds">
{feed_list}
</ul>
</section>
"""
        + _years_section(current, years)
        + f"""<main aria-labelledby="stories">
<h2 id="stories">Stories <small>({count})</small></h2>
{articles}</main>
"""
        + _FOOTER
    ).encode()


def year_page(current: Feed, year: int, stories: list[Item], topics: tuple[Topic, ...], settings: FeedSettings,
              years: Years) -> bytes:  # fmt: skip
    """The page of `current`'s `stories` of `year` (all of them, newest first): a chart of them by month and
    topic, links to the years before and after, and to the same year of each other topic."""
    names = {t.slug: t.name for t in topics}
    heading = f"{current.title}: {year}"
    older, newer = neighbours(years.of(current.slug), year)
    steps = [f'<li><a href="{current.year_page(older)}" rel="prev">\u2190 {older}</a></li>'] if older else []
    steps.append(f'<li><a href="{current.page}">The newest stories</a></li>')
    if newer:
        steps.append(f'<li><a href="{current.year_page(newer)}" rel="next">{newer} \u2192</a></li>')
    series = [Series("All stories", None)] + [Series(t.name, t.slug) for t in topics]
    if current.topic is not None:
        series = [Series(current.name, current.topic.slug)]
    articles = "".join(f"{_article(item, names)}\n" for item in stories)
    return (
        _head(heading, topics, settings)
        + f"""<header>
<h1>{escape(heading)}</h1>
<p>{_plural(len(stories))} of {year}, newest first, from
<a href="{escape(settings.listing_url)}">the UNODC news listing</a>.</p>
</header>
"""
        + _topics_nav(current, topics, lambda f: f.year_page(year) if year in years.stories.get(f.slug, {}) else f.page)
        + '<nav aria-label="Years">\n<ul>\n'
        + "\n".join(steps)
        + "\n</ul>\n</nav>\n"
        + chart(year, stories, series, f"chart-{year}")
        + f"""
<main aria-labelledby="stories">
<h2 id="stories">Stories <small>({_plural(len(stories))})</small></h2>
{articles}</main>
"""
        + _FOOTER
    ).encode()


def opml(latest: datetime | None, topics: tuple[Topic, ...], settings: FeedSettings) -> bytes:
    """feeds.opml: an OPML 2.0 subscription list of every feed, grouped by topic, dated by `latest`, the
    latest update of a published story."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = "UNODC human trafficking and migrant smuggling news: feeds"
    if latest is not None:  # a story's time, never the clock's
        etree.SubElement(head, "dateModified").text = http_date(latest)
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
