"""From the HTML of the listing page to the listing's text format, story URLs included.

Extraction follows the text, not the markup: the page is cut into blocks of
text (paragraphs, headings, list items, table cells, lines broken by <br>),
and a block that is a date starts an item, as in the text format. The next
block is the title; the blocks up to the next date are the summary. The
story's URL is the link of its "read more" (or "more") text, else the title's
link, resolved against the page's URL. No class name or id is relied on, so
a redesign that keeps the content keeps working.

Scripts, styles, forms, navigation, headers, footers and asides never reach
the text; entities (&amp;, &nbsp;) are decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

from .dates import parse_date_line
from .listing import format_listing
from .text import fold_space
from .urls import as_uri, http_url_problem

# Elements whose text is never news.
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "nav", "aside", "form", "select", "button",
     "svg", "iframe", "object", "head", "title"}
)  # fmt: skip
# A page's header and footer are furniture; an article's or a section's own
# (<article><header><time>...</time><h2>...</h2></header>) hold its date and title.
_PAGE_ONLY = frozenset({"header", "footer"})
_CONTENT = frozenset({"article", "section", "main"})
# Elements that end a block of text.
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
     "h6", "table", "tr", "td", "th", "blockquote", "br", "hr", "time", "figure", "figcaption", "body", "html"}
)  # fmt: skip
# Landmark roles that mark page furniture, whatever the element.
_SKIPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"})
_MORE = re.compile(r"^\W*(?:read\s+)?more\W*$", re.IGNORECASE)


@dataclass
class Block:
    """A run of text between two block boundaries, with the links inside it."""

    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, link text)


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._links: list[tuple[str, str]] = []
        self._skipping: list[str] = []  # open skipped elements
        self._href: str | None = None
        self._link_text: list[str] = []
        self._content_depth = 0  # open article, section and main elements
        self._time: str | None = None  # the datetime of an open <time>

    def _flush(self) -> None:
        text = fold_space("".join(self._text))
        if text:
            self.blocks.append(Block(text, self._links))
        self._text, self._links = [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag not in _VOID:
                self._skipping.append(tag)
            return
        attributes = dict(attrs)
        furniture = tag in _PAGE_ONLY and not self._content_depth
        if tag in _SKIPPED or furniture or (attributes.get("role") or "") in _SKIPPED_ROLES or "hidden" in attributes:
            if tag not in _VOID:
                self._skipping.append(tag)
            return
        if tag in _CONTENT:
            self._content_depth += 1
        if tag in _BLOCKS:
            self._flush()
        if tag == "time" and _ISO_DAY.match(attributes.get("datetime") or ""):
            # <time datetime="2022-01-20">Jan 20</time>: the machine-readable date is the date line.
            self._time = (attributes.get("datetime") or "")[:10]
        if tag == "a":
            self._href = attributes.get("href")
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag in self._skipping:  # close up to the matching open element, as browsers do
                while self._skipping and self._skipping.pop() != tag:
                    pass
            return
        if tag == "a" and self._href is not None:
            self._links.append((self._href, fold_space("".join(self._link_text))))
            self._href = None
        if tag in _CONTENT and self._content_depth:
            self._content_depth -= 1
        if tag == "time" and self._time is not None:
            self._text, self._time = [self._time], None
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self._text.append(data)
        if self._href is not None:
            self._link_text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def blocks(html: str) -> list[Block]:
    """The page's text, cut into blocks."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


def _story_url(title: Block, summary: list[Block], page_url: str) -> str | None:
    candidates = [href for block in summary for href, text in block.links if _MORE.match(text)]
    candidates += [href for href, _ in title.links]
    for href in candidates:
        try:
            url = as_uri(urljoin(page_url, href.strip()))
        except ValueError:  # an href no URL parser accepts ("http://[")
            continue
        # A link back to the listing itself ("#", "#top") is no story's page.
        if http_url_problem(url) is None and urldefrag(url).url != urldefrag(page_url).url:
            return url
    return None


# "14 December 2021 - Title" or "14 December 2021 | Title": a date and a title in one block.
_SEPARATORS = "\\-\u2013\u2014:|"  # hyphen, en dash, em dash, colon, bar
_DATE_THEN_TITLE = re.compile(rf"(?P<date>[^{_SEPARATORS}]{{6,30}}?)\s+[{_SEPARATORS}]\s+(?P<title>.+)")


def _split_date_and_title(found: list[Block]) -> list[Block]:
    result = []
    for block in found:
        match = _DATE_THEN_TITLE.fullmatch(block.text)
        if match and isinstance(parse_date_line(match["date"]), date):
            result += [Block(match["date"]), Block(match["title"], block.links)]
        else:
            result.append(block)
    return result


@dataclass(frozen=True)
class Extracted:
    """One item as the page shows it."""

    date_line: str
    title: str
    story_url: str | None
    paragraphs: tuple[str, ...]


def extract(html: str, page_url: str) -> list[Extracted]:
    """The items of the listing page `html`, fetched from `page_url`, in page order."""
    items: list[Extracted] = []
    current: list[Block] | None = None
    date_line = ""

    def finish() -> None:
        if current:
            title, *summary = current
            items.append(
                Extracted(date_line, title.text, _story_url(title, summary, page_url), tuple(b.text for b in summary))
            )

    for block in _split_date_and_title(blocks(html)):
        parsed = parse_date_line(block.text)
        if parsed is not None:  # a date, or a mistyped one, which the normalizer reports
            finish()
            current, date_line = [], block.text
        elif current is not None:
            current.append(block)
    finish()
    return items


def to_listing(items: list[Extracted]) -> str:
    """The items in the listing's text format (see `listing.py`)."""
    return format_listing((item.date_line, item.title, item.story_url, item.paragraphs) for item in items)
