"""What was read of each story's own page, kept beside the archive: `pages.json` (issue 13, point 6).

`fetch` and `update` read story pages and keep here, by page URL, what each
gave (its article as safe HTML, its lead image with its alt text, type,
length and size, its own date and title, its canonical URL, when it was
read, its ETag and Last-Modified) and what is known of its failures (how
many, and when to try again). A build reads this file and never the
network, so that a rebuild gives the same bytes.

A page is used for a story only when it was read and confirmed for what the
listing says of the story now (`listed`): a story the listing corrects shows
nothing of its page until the page is read and confirmed again. The
article is made safe again whenever it is published (`safehtml`), so that a
hand edit of this file cannot put anything unsafe in a feed.

One canonical form, a page per line, sorted by URL: the same pages always
have the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from .jsontext import document
from .model import Image, Item
from .safehtml import safe_html
from .text import UNFIT, UNFIT_IN_XML, excerpt
from .urls import http_url_problem

FORMAT = 1


class PagesError(ValueError):
    """A pages file that cannot be read; it must not be overwritten."""


@dataclass(frozen=True, slots=True)
class KeptPage:
    """What is known of one story page: how its reads went, and what the last good read gave."""

    read_for: str = ""  # `listed(story)` when the page was last read and confirmed; "" when it never was
    failures: int = 0  # failed reads since the last good one
    next_try: datetime | None = None  # after a failure: not asked again before
    read_at: datetime | None = None  # the last good read
    etag: str | None = None  # the last good read's validators, for a conditional GET
    last_modified: str | None = None
    title: str | None = None  # the page's own title and date, as read
    day: date | None = None
    canonical: str | None = None
    image: Image | None = None
    article: str | None = None  # safe HTML


def listed(story: Item) -> str:
    """A digest of what the listing says of `story`: its page is read again, and used, only for this."""
    text = "\n".join([story.day.isoformat(), story.title, story.story_url or "", *story.paragraphs])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def attach(stories: Iterable[Item], pages: Mapping[str, KeptPage], full_text: Collection[str] = ()) -> list[Item]:
    """`stories` with the image of each one's page, and the article of those whose ids are in `full_text`,
    where the page was read and confirmed for what the listing says of the story now.

    An image that the pages of several stories give is the site's default picture (a logo), no story's
    own: it is left out. The article is made safe again here (some milliseconds a story): only the
    stories a feed shows ask for it.
    """
    uses = Counter(kept.image.url for kept in pages.values() if kept.image is not None and kept.read_for)
    result = []
    for story in stories:
        kept = pages.get(story.story_url) if story.story_url else None
        if kept is not None and kept.read_for and kept.read_for == listed(story):
            text = kept.article if story.id in full_text else None
            article = safe_html(text, story.story_url or "") if text else None
            image = kept.image if kept.image is not None and uses[kept.image.url] == 1 else None
            story = replace(story, image=image, article=article or None)
        result.append(story)
    return result


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _image_row(image: Image | None) -> dict[str, Any] | None:
    if image is None:
        return None
    return {"url": image.url, "alt": image.alt, "type": image.media_type, "length": image.length,
            "width": image.width, "height": image.height}  # fmt: skip


def dumps(pages: Mapping[str, KeptPage]) -> bytes:
    """The pages' canonical bytes: one form for one content, a page per line, by URL."""
    head = {
        "format": FORMAT,
        "about": "What feedgen-unodc read of each story's own page, one per line. Written by feedgen-unodc.",
    }
    rows = (
        {
            "url": url,
            "read_for": kept.read_for,
            "failures": kept.failures,
            "next_try": _time(kept.next_try),
            "read_at": _time(kept.read_at),
            "etag": kept.etag,
            "last_modified": kept.last_modified,
            "title": kept.title,
            "date": kept.day.isoformat() if kept.day else None,
            "canonical": kept.canonical,
            "image": _image_row(kept.image),
            "article": kept.article,
        }
        for url, kept in sorted(pages.items())
    )
    return document(head, "pages", rows)


class _Bad(ValueError):
    """A value that cannot be: what it must be, and where."""


def _optional_text(row: Mapping[str, Any], key: str, where: str, multiline: bool = False) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or (UNFIT_IN_XML if multiline else UNFIT).search(value):
        raise _Bad(f"{where}: {key} must be text, not {excerpt(value)}")
    return value


def _optional_url(row: Mapping[str, Any], key: str, where: str) -> str | None:
    value = _optional_text(row, key, where)
    if value is not None and http_url_problem(value):
        raise _Bad(f"{where}: {key} {excerpt(value)} {http_url_problem(value)}")
    return value


def _count(value: Any, what: str, most: int) -> int:
    if type(value) is not int or not 0 <= value <= most:
        raise _Bad(f"{what} must be a whole number from 0 to {most}, not {excerpt(value)}")
    return value


def _optional_time(row: Mapping[str, Any], key: str, where: str) -> datetime | None:
    value = row.get(key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is None or moment.tzinfo is None:
            raise ValueError
        return moment.astimezone(UTC)
    except (ValueError, OverflowError) as exc:  # OverflowError: a time at the edge of the calendar, in UTC beyond it
        raise _Bad(f"{where}: {key} must be a time with its time zone, not {excerpt(value)}") from exc


def _image(value: Any, where: str) -> Image | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Bad(f"{where}: image must be an object, not {excerpt(value)}")
    url = _optional_url(value, "url", f"{where}: image")
    media_type = _optional_text(value, "type", f"{where}: image")
    if url is None or media_type is None or not media_type.startswith("image/"):
        raise _Bad(f"{where}: image must have a url and an image type")
    return Image(
        url=url,
        alt=_optional_text(value, "alt", f"{where}: image") or "",
        media_type=media_type,
        length=_count(value.get("length"), f"{where}: image length", 2**40),
        width=_count(value.get("width"), f"{where}: image width", 100_000),
        height=_count(value.get("height"), f"{where}: image height", 100_000),
    )


def _page(row: Any, number: int) -> tuple[str, KeptPage]:
    where = f"page {number}"
    if not isinstance(row, dict):
        raise _Bad(f"{where} must be an object, not {excerpt(row)}")
    url = _optional_url(row, "url", where)
    if url is None:
        raise _Bad(f"{where}: url is missing")
    day = _optional_text(row, "date", where)
    try:
        parsed = date.fromisoformat(day) if day is not None else None
    except ValueError as exc:
        raise _Bad(f"{where}: date must be YYYY-MM-DD, not {excerpt(day)}") from exc
    return url, KeptPage(
        read_for=_optional_text(row, "read_for", where) or "",
        failures=_count(row.get("failures"), f"{where}: failures", 10_000),
        next_try=_optional_time(row, "next_try", where),
        read_at=_optional_time(row, "read_at", where),
        etag=_optional_text(row, "etag", where),
        last_modified=_optional_text(row, "last_modified", where),
        title=_optional_text(row, "title", where),
        day=parsed,
        canonical=_optional_url(row, "canonical", where),
        image=_image(row.get("image"), where),
        article=_optional_text(row, "article", where, multiline=True),
    )


def loads(data: bytes) -> dict[str, KeptPage]:
    """Read a pages file, every value checked; raises `PagesError` saying what is wrong."""
    try:
        top = json.loads(data.decode("utf-8"))
        if not isinstance(top, dict):
            raise _Bad("the file must be an object")
        version = top.get("format")
        if type(version) is not int or version != FORMAT:
            raise PagesError(f"unknown pages format {excerpt(version)} (this program reads {FORMAT})")
        rows = top.get("pages")
        if not isinstance(rows, list):
            raise _Bad(f"pages must be a list, not {excerpt(rows)}")
        pages = [_page(row, number) for number, row in enumerate(rows, start=1)]
    except PagesError:
        raise
    except _Bad as exc:
        raise PagesError(f"not a feedgen-unodc pages file ({exc})") from exc
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: JSON, or a number of 5,000 digits
        raise PagesError(f"not a feedgen-unodc pages file ({type(exc).__name__})") from exc
    if len({url for url, _ in pages}) != len(pages):
        raise PagesError("not a feedgen-unodc pages file (a page URL appears twice)")
    return dict(pages)
