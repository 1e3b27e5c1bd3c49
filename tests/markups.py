"""Plausible markups of the UNODC listing page, each with the stories it means, and page clutter.

`tests/pages/make_pages.py` writes the seed in each markup into `tests/pages/`,
beside the listing each page must give (`NAME.expected.txt`); the
property tests render the same markups with clutter inserted outside the
records. Each markup says what a reader of the page sees as a story: its
date, title, story URL and paragraphs (the text of a "read more" link
dropped, its dots folded to one full stop).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from feedgen_unodc.dates import format_date
from feedgen_unodc.listing import format_listing, parse
from feedgen_unodc.source import decode
from feedgen_unodc.text import slug, strip_trailer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "latest-news.txt"
SITE = "https://www.unodc.org"
PAGE_PATH = "/unodc/en/human-trafficking/latest-news.html"
PAGE_URL = SITE + PAGE_PATH


@dataclass(frozen=True)
class Story:
    """A story as the seed lists it, with the path of its own page."""

    day: date
    date_text: str
    title: str
    paragraphs: tuple[str, ...]  # as the listing writes them, "read more" trailers and all

    @property
    def path(self) -> str:
        return f"/unodc/en/human-trafficking/{self.day:%Y/%B}/{slug(self.title, 40)}.html"

    @property
    def url(self) -> str:
        return SITE + self.path


def seed_stories() -> list[Story]:
    lines, _ = decode(SEED.read_bytes())
    items, _ = parse(lines)
    return [Story(i.day, i.date_text, i.title, tuple(text for _, text in i.paragraphs)) for i in items]


def _trailer(paragraph: str) -> tuple[str, str] | None:
    """(text before, link text) when the paragraph ends with the listing's "read more" or "more"."""
    for trailer in ("read more", "more"):
        if paragraph.endswith(trailer) and strip_trailer(paragraph) != paragraph:
            return paragraph[: -len(trailer)], trailer
    return None


def _linked_trailer(paragraph: str, url: str) -> str:
    """The paragraph's HTML, its trailer a link to the story, as the UNODC page has it."""
    found = _trailer(paragraph)
    if found is None:
        return html.escape(paragraph)
    before, trailer = found
    return f'{html.escape(before)}<a href="{url}" class="more">{trailer}</a>'


def _shown(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """The paragraphs a reader sees as text when each trailer is a link: the link's text goes."""
    return tuple(strip_trailer(p) if _trailer(p) else p for p in paragraphs)


@dataclass(frozen=True)
class Clutter:
    """Page furniture to insert: before the listing, after it, and (for wrapped markups) between two records."""

    before: str = ""
    after: str = ""
    between: tuple[tuple[int, str], ...] = ()  # (after which record, the block)


NO_CLUTTER = Clutter()


def _between(clutter: Clutter, index: int) -> str:
    return "".join(block for after, block in clutter.between if after == index)


@dataclass(frozen=True)
class Markup:
    name: str
    render: Callable[[list[Story], Clutter], str]
    # What the page gives for one story: (date line, title, story URL, paragraphs).
    expected: Callable[[Story], tuple[str, str, str | None, tuple[str, ...]]]
    wrapped: bool  # each record is one element, so that clutter may stand between two


def _linked(story: Story) -> tuple[str, str, str | None, tuple[str, ...]]:
    return format_date(story.day), story.title, story.url, _shown(story.paragraphs)


# --- A: the CMS page: a div per story ---------------------------------------------------------


def cms_page(stories: list[Story], clutter: Clutter = NO_CLUTTER) -> str:
    """A CMS page with header, navigation, script and footer; one div per story."""
    blocks = []
    for index, story in enumerate(stories):
        paragraphs = [html.escape(text) for text in story.paragraphs]
        if paragraphs:
            paragraphs[-1] = _linked_trailer(story.paragraphs[-1], story.path)
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        blocks.append(
            f'<div class="newsItem">\n  <p class="date"><strong>{format_date(story.day)}&nbsp;</strong></p>\n'
            f'  <h3><a href="{story.path}">{html.escape(story.title)}</a></h3>\n  {body}\n</div>'
            + _between(clutter, index)
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Latest news</title>\n'
        "<script>var lastUpdate = '20 January 2022'; document.write('<p>1 January 2020</p>');</script>\n"
        "<style>.date { font-weight: bold }</style></head>\n<body>\n"
        '<header><p>United Nations Office on Drugs and Crime</p>\n<nav><ul><li><a href="/unodc/en/">Home</a></li>'
        '<li><a href="/unodc/en/human-trafficking/">Human Trafficking &amp; Migrant Smuggling</a></li></ul></nav>'
        f"</header>\n{clutter.before}<main>\n<h1>Latest news</h1>\n" + "\n".join(blocks) + f"\n</main>\n{clutter.after}"
        "<footer><p>3 March 2022</p><p>Contact us &middot; Terms of use</p></footer>\n</body></html>\n"
    )


# --- B: an old table layout -------------------------------------------------------------------


def _table_paragraph(paragraph: str, url: str) -> str:
    return html.escape(paragraph).replace("read more", f"<a href='{url}'>read more</a>")


def table_page(stories: list[Story], clutter: Clutter = NO_CLUTTER) -> str:
    """An older table layout: relative links, <br> between the parts, the dates as the listing writes them."""
    rows = []
    for index, story in enumerate(stories):
        url = story.path.removeprefix("/unodc/en/human-trafficking/")
        text = "<br>\n".join(_table_paragraph(t, url) for t in story.paragraphs)
        rows.append(
            f"<tr><td valign=top><b>{story.date_text}</b><br>\n<a href='{url}'><b>{html.escape(story.title)}</b></a>"
            f"<br>\n{text}</td></tr>" + _between(clutter, index)
        )
    return (
        "<html><head><title>UNODC - Latest news</title></head><body>\n"
        f"<div role=navigation><a href='../index.html'>Back</a> | 12 May 2020</div>\n{clutter.before}"
        "<table>\n" + "\n".join(rows) + f"\n</table>\n{clutter.after}</body></html>\n"
    )


def _table_expected(story: Story) -> tuple[str, str, str | None, tuple[str, ...]]:
    # Only "read more" is a link in this markup: "... more" stays the paragraph's text.
    shown = tuple(strip_trailer(p) if p.endswith("read more") else p for p in story.paragraphs)
    return format_date(story.day), story.title, story.url, shown


# --- C: a flat listing, a pager and a "more news" box after the last story ----------------------


PAGER = (
    '<div class="pager">&laquo; <a href="?page=0">Previous</a> <a href="?page=1">1</a> '
    '<a href="?page=2">2</a> <a href="?page=2">Next page</a> &raquo;</div>'
)


def more_news(stories: list[Story]) -> str:
    """A "more news" box: a dated link to a story the listing does not have, and one to a listed story."""
    first = stories[0]
    return (
        '<div class="more-news"><h4>More news</h4><ul>'
        '<li><a href="/unodc/en/frontpage/2021/November/global-forum.html">12 November 2021 &ndash; '
        "UNODC at the Global Forum on Migration and Development</a></li>"
        f'<li><a href="{first.path}">{format_date(first.day)} &ndash; {html.escape(first.title)}</a></li>'
        "</ul></div>"
    )


def pager_page(stories: list[Story], clutter: Clutter = NO_CLUTTER) -> str:
    """Headings and paragraphs as siblings, no element per story; a pager and a box after the last story."""
    parts = []
    for story in stories:
        paragraphs = [html.escape(text) for text in story.paragraphs]
        if paragraphs:
            paragraphs[-1] = _linked_trailer(story.paragraphs[-1], story.path)
        parts.append(
            f'<h4 class="date">{format_date(story.day)}</h4>\n<h3><a href="{story.path}">{html.escape(story.title)}'
            "</a></h3>\n" + "".join(f"<p>{p}</p>\n" for p in paragraphs)
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Latest news | UNODC</title></head>\n'
        f'<body>\n{clutter.before}<div id="page"><div id="content">\n<h1>Latest news</h1>\n'
        '<p class="intro">News from the Human Trafficking and Migrant Smuggling Section.</p>\n'
        + "".join(parts)
        + f"{PAGER}\n{more_news(stories)}\n</div></div>\n{clutter.after}</body></html>\n"
    )


# --- D: cards: an image link first, the title before <time>, abbreviated months -----------------


def _card_time(story: Story, index: int) -> str:
    # Some pages give a time of day and an offset, some the day only; the text abbreviates the month.
    stamp = f"{story.day.isoformat()}T10:30:00+01:00" if index % 2 else story.day.isoformat()
    return f'<time datetime="{stamp}">{story.day.day} {story.day:%b %Y}</time>'


def cards_page(stories: list[Story], clutter: Clutter = NO_CLUTTER) -> str:
    """HTML5 cards in a grid: `<article><a><img></a><header><h3><a>…</a></h3><time>…</header>…Read more »`."""
    cards = []
    for index, story in enumerate(stories):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in _shown(story.paragraphs))
        cards.append(
            f'<article class="card">\n<a class="thumb" href="{story.path}"><img src="/img/{index}.jpg" '
            f'alt="{html.escape(story.title)}"></a>\n<header><h3 class="card-title"><a href="{story.path}">'
            f"{html.escape(story.title)}</a></h3>\n{_card_time(story, index)}</header>\n"
            f'<div class="card-body">{body}</div>\n<a class="read-more" href="{story.path}">Read more &raquo;</a>\n'
            "</article>" + _between(clutter, index)
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Latest news</title>\n'
        '<meta name="viewport" content="width=device-width"></head>\n<body>\n'
        '<header class="site"><a href="/">UNODC</a><nav><a href="/unodc/en/">Home</a></nav></header>\n'
        f'{clutter.before}<main>\n<h1>Latest news</h1>\n<div class="cards">\n'
        + "\n".join(cards)
        + f"\n</div>\n</main>\n{clutter.after}<footer>&copy; 2022 UNODC</footer>\n</body></html>\n"
    )


# --- E: a featured hero, share buttons in each item, a most-read box --------------------------


def _share(story: Story) -> str:
    return (
        f'<div class="share">Share: <a href="https://twitter.com/intent/tweet?url={story.url}">Twitter</a> '
        f'<a href="https://www.facebook.com/sharer.php?u={story.url}">Facebook</a> '
        f'<a href="mailto:?subject={html.escape(story.title)}">Email</a></div>'
    )


def most_read(stories: list[Story]) -> str:
    """A most-read box repeating listed stories, one title cut short."""
    entries = []
    for number, story in enumerate(stories[2:7]):
        title = html.escape(story.title)
        if number == 1:
            title = html.escape(" ".join(story.title.split()[:4])) + "&hellip;"
        entries.append(f'<li><a href="{story.path}">{title}</a><br><span>{format_date(story.day)}</span></li>')
    return f'<div class="most-read"><h3>Most read</h3><ol>{"".join(entries)}</ol></div>'


def hero_page(stories: list[Story], clutter: Clutter = NO_CLUTTER) -> str:
    """A featured hero repeating the first story, items with share buttons, a most-read box in a plain div."""
    first = stories[0]
    hero = (
        f'<section class="featured"><div class="hero"><a href="{first.path}"><img src="/img/hero.jpg" alt=""></a>'
        f'<h2><a href="{first.path}">{html.escape(first.title)}</a></h2><p class="when">{format_date(first.day)}</p>'
        f"<p>{html.escape(first.paragraphs[0].split('. ')[0])}.</p></div></section>"
    )
    items = []
    for index, story in enumerate(stories):
        body = "".join(f"<p>{html.escape(p)}</p>" for p in _shown(story.paragraphs))
        items.append(
            f'<li class="news-item"><h3><a href="{story.path}">{html.escape(story.title)}</a></h3>'
            f'<p class="meta">Published: {format_date(story.day)}</p>{body}{_share(story)}</li>'
            + _between(clutter, index)
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>News</title></head>\n<body>\n'
        f'<div class="wrapper">\n{clutter.before}{hero}\n<div class="columns">\n<div class="main-column">'
        '<ul class="news-list">\n' + "\n".join(items) + "\n</ul></div>\n"
        f'<div class="side-column">{most_read(stories)}</div>\n</div>\n{clutter.after}</div>\n</body></html>\n'
    )


# --- F: a definition list, <br><br> between paragraphs, the site footer in a div ---------------------


def _dl_paragraphs(story: Story) -> str:
    paragraphs = [html.escape(p) for p in story.paragraphs]
    if paragraphs:
        paragraphs[-1] = _linked_trailer(story.paragraphs[-1], story.path)
    # A line broken inside a paragraph, as editors do: one <br> within it, two between paragraphs.
    paragraphs = [re.sub(r"\. (?=[A-Z])", ".<br>\n", p, count=1) if len(p) > 300 else p for p in paragraphs]
    return "<br><br>\n".join(paragraphs)


def dl_page(stories: list[Story], clutter: Clutter = NO_CLUTTER) -> str:
    """A `<dl>` of `<dt>` dates and `<dd>` stories, then the site footer in a plain div."""
    entries = [
        f'<dt>{format_date(story.day)}</dt>\n<dd><a href="{story.path}"><strong>{html.escape(story.title)}</strong>'
        f"</a><br><br>\n{_dl_paragraphs(story)}</dd>"
        for story in stories
    ]
    return (
        "<html><head><title>UNODC: Latest news</title></head>\n<body>\n"
        f'<div id="container">{clutter.before}<div id="main"><h2>Latest news</h2>\n<dl class="news">\n'
        + "\n".join(entries)
        + f'\n</dl></div>\n{clutter.after}<div id="footer"><p>United Nations Office on Drugs and Crime, '
        "Vienna International Centre</p><p>3 March 2022</p><p>&copy; 2022 UNODC &middot; "
        '<a href="/unodc/en/terms.html">Terms of use</a></p></div></div>\n</body></html>\n'
    )


MARKUPS = (
    Markup("cms", cms_page, _linked, wrapped=True),
    Markup("table", table_page, _table_expected, wrapped=True),
    Markup("pager", pager_page, _linked, wrapped=False),
    Markup("cards", cards_page, _linked, wrapped=True),
    Markup("hero", hero_page, _linked, wrapped=True),
    Markup("dl", dl_page, _linked, wrapped=False),
)


def expected_listing(markup: Markup, stories: list[Story]) -> str:
    """The listing text `fetch` must write from the page."""
    return format_listing(markup.expected(story) for story in stories)


# --- clutter, for the property tests -------------------------------------------------------------

# Blocks that are never a story, and hold nothing shaped like the stories' records.
CLUTTER_BLOCKS = (
    PAGER,
    '<div class="share">Share: <a href="https://twitter.com/x">Twitter</a> <a href="mailto:?">Email</a></div>',
    '<div class="ad"><a href="/donate"><img src="/ad.png" alt="Donate"></a></div>',
    '<div class="cookies"><p>This site uses cookies. <a href="/privacy">Privacy</a> <a href="#ok">OK</a></p></div>',
    '<div class="newsletter"><h3>Newsletter</h3><p>Subscribe to receive our latest news by email.</p></div>',
    '<div class="related"><h4>More news</h4><ul><li><a href="/a.html">12 November 2021 &ndash; UNODC at the '
    'Global Forum</a></li><li><a href="/b.html">3 March 2020 &ndash; Another story entirely</a></li></ul></div>',
)
# Blocks that stand apart from the listing only by where they stand: a dated box of their own.
OUTSIDE_BLOCKS = (
    *CLUTTER_BLOCKS,
    '<div class="event"><h3>Events</h3><p>24 February 2022</p><p>Expert group meeting in Vienna.</p></div>',
    '<div class="site-footer"><p>&copy; UNODC</p><p>18 March 2022</p></div>',
)
