"""A story's own page, read once: its article, date, title, lead image and canonical URL (issue 13, the core).

Bytes in, a `StoryPage` out; no network here. Kept libraries do the reading:
trafilatura finds the main text among the page's navigation, share buttons,
related stories and newsletter boxes, and the page's metadata (its date by
htmldate); lxml reads the few `<meta>` and `<link>` elements trafilatura does
not report; `safehtml` (nh3) makes the article safe. No script, style,
iframe, object, form, event attribute, `javascript:` or `data:` URL leaves
this module.

`confirm` is the second witness: the listing's date and title against the
page's, and the listing's summary at the start of the article. A page that
does not begin with the listing's summary (an error page served with 200, a
redesign, another story) is not used at all: the tool refuses rather than
guesses. The listing stays the authority for the date and the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import lxml.html
import trafilatura
from trafilatura.settings import Document

from .dates import parse_date_line
from .model import Item
from .safehtml import absolute, safe_html
from .text import UNFIT, excerpt, fold_space, short

# "Vienna (Austria), 20 January 2022 - " (a dash of any length): a dateline opens the article.
_DATELINE = re.compile(r"^[^,.\n]{1,60},\s*(?P<date>\d{1,2}\s+\w+\s+\d{4})\s*[\u2013\u2014-]")
_EARLIEST, _LATEST = date(1990, 1, 1), date(2999, 12, 31)
# A story's page is some 100 KB; trafilatura takes seconds over megabytes (10 s for 3 MB) and then
# picks poorly. A page longer than this gives nothing.
MAX_PAGE_CHARS = 1_000_000
_WORD = re.compile(r"\w+")
# A summary shorter than this ("UNODC") is found on any page, the story's or not: it recognises none.
MIN_OPENING_WORDS = 8


@dataclass(frozen=True)
class StoryPage:
    """What a story's page gives; each part None when the page does not give it."""

    title: str | None
    day: date | None
    canonical: str | None
    image: str | None  # an absolute http(s) URL
    image_alt: str | None
    article: str | None  # safe HTML (see `safe_html`)
    text: str  # the article's plain text, for `confirm`


def _line(text: str | None) -> str | None:
    if text is None:
        return None
    line = fold_space(UNFIT.sub(" ", text))
    return line or None


def _day(text: str | None) -> date | None:
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is not None and _EARLIEST <= day <= _LATEST else None


def _dateline(text: str) -> date | None:
    match = _DATELINE.match(text.lstrip())
    found = parse_date_line(match["date"]) if match else None
    return found if isinstance(found, date) else None


def read_page(html: str, url: str) -> StoryPage:
    """What the page `html`, found at `url`, gives: nothing from a page longer than `MAX_PAGE_CHARS`."""
    if len(html) > MAX_PAGE_CHARS:
        return StoryPage(None, None, None, None, None, None, "")
    try:
        tree = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return StoryPage(None, None, None, None, None, None, "")
    found = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    document = found if isinstance(found, Document) else None
    article = trafilatura.extract(
        html,
        url=url,
        output_format="html",
        include_images=True,
        include_formatting=True,
        include_links=True,
        favor_precision=True,
    )
    paragraphs = (document.text or "").splitlines() if document is not None else []
    if paragraphs and document is not None and document.title and _folded(paragraphs[0]) == _folded(document.title):
        paragraphs = paragraphs[1:]  # the heading: the text begins after it
    text = fold_space(" ".join(paragraphs))
    body = safe_html(article, url) if article else ""  # trafilatura's <html><body> stripped with the rest
    meta = {
        (element.get("property") or element.get("name") or "").lower(): element.get("content")
        for element in tree.iter("meta")
    }
    canonical = next((link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"), None)
    image = absolute(meta.get("og:image") or (document.image if document is not None else None), url)
    alt = meta.get("og:image:alt")
    if image is None and body:  # the article's first image, as the sanitizer left it (absolute, or gone)
        first = lxml.html.fragment_fromstring(body, create_parent="div").find(".//img")
        image, alt = (first.get("src"), first.get("alt")) if first is not None else (None, None)
    return StoryPage(
        title=_line(document.title if document is not None else None),
        day=_dateline(text) or _day(document.date if document is not None else None),
        canonical=absolute(canonical, url) or (absolute(document.url, url) if document is not None else None),
        image=image,
        image_alt=_line(alt),
        article=body or None,
        text=text,
    )


def _folded(text: str) -> str:
    """Words only, case folded: what survives a page's other punctuation, quotes and white space."""
    return " ".join(_WORD.findall(text.casefold()))


class Verdict(NamedTuple):
    """What the page says of the listing's story: warnings, and whether the page is the story's."""

    warnings: list[str]
    confirmed: bool


def opening(item: Item) -> str:
    """The start of `item`'s summary, folded as `confirm` compares it; "" without a summary, or with one too
    short to recognise a page by (`MIN_OPENING_WORDS`)."""
    folded = _folded(item.paragraphs[0]) if item.paragraphs else ""
    if len(folded) > 200:  # its first 200 characters, in whole words
        folded = folded[:201].rsplit(" ", 1)[0]
    return folded if len(folded.split()) >= MIN_OPENING_WORDS else ""


def _holds(text: str, opening: str) -> bool:
    """Whether the folded `text` holds the folded `opening`, as whole words."""
    return f" {opening} " in f" {text} "


def confirm(item: Item, page: StoryPage, others: Iterable[str] = ()) -> Verdict:
    """The page as a second witness of `item`: confirmed when its article begins with the item's summary
    and holds no other story's (`others`: their `opening`s).

    Near the start means within the first few hundred characters after a
    dateline or a title. A page that also holds another listed story's
    summary is a listing, or another story, not this one's page (a story URL
    that leads to the listing page would otherwise give the whole listing as
    the newest story's text). Only a confirmed page's date and title are
    compared with the listing's; each disagreement is a warning naming both,
    and the listing's stay. An item without a summary cannot be confirmed.
    """
    name = short(item.title)
    if not item.paragraphs:
        return Verdict([f"{name}: the listing has no summary to find on the story's page; the page is not used"], False)
    summary = opening(item)
    if not summary:
        return Verdict(
            [f"{name}: the listing's summary is too short to recognise the story's page by; the page is not used"],
            False,
        )
    text = _folded(page.text)
    if not _holds(text[: len(summary) + 300], summary):
        return Verdict(
            [f"{name}: the story's page does not begin with the listing's summary; the page is not used"], False
        )
    held = sum(1 for other in others if other and other != summary and _holds(text, other))
    if held:
        stories = "another story's summary" if held == 1 else f"the summaries of {held} other stories"
        return Verdict([f"{name}: the story's page also holds {stories} (a listing?); the page is not used"], False)
    warnings = []
    if page.day is not None and page.day != item.day:
        warnings.append(
            f"{name}: the story's page dates it {page.day.isoformat()}, the listing {item.day.isoformat()};"
            " the listing's date is kept"
        )
    if page.title is not None and _folded(item.title) not in _folded(page.title):
        warnings.append(
            f"{name}: the story's page calls it {excerpt(page.title)}, the listing {excerpt(item.title)};"
            " the listing's title is kept"
        )
    return Verdict(warnings, True)
