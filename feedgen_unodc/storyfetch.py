"""Reading the story pages a run is due to read, politely (issue 13, point 1).

robots.txt honoured (asked once per site and run), a pause between two
requests (at least the robots.txt's Crawl-delay), each page and its lead
image under the listing's deadline, size limit, retries and User-Agent
(`fetch.fetch`), and a conditional GET for a page read before. A page that
fails (an HTTP error, a timeout, too large, not HTML, or a page that is not
the story's: an error page served with 200) leaves the story as it is and is
tried again later and later (`storyplan.failed`); it never fails the run.
Each failure is one warning line.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

import lxml.html

from .fetch import ANY_TYPE, FetchError, Page, Validators, fetch
from .leadimage import MAX_BYTES as MAX_IMAGE_BYTES
from .leadimage import MEDIA_TYPES, measure
from .model import Image, Item, Problem, warning
from .pagestore import KeptPage, listed
from .robots import Robots
from .settings import DEFAULT_PAGE_PAUSE, DEFAULT_PAGES_PER_RUN
from .storypage import MAX_PAGE_CHARS, StoryPage, confirm, opening, read_page
from .storyplan import due, failed
from .text import fold_space, short

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "td", "th", "dd", "dt")
# robots.txt is read up to this size, and cut at the 500 KiB RFC 9309 asks a crawler to read; beyond it the
# answer is not a robots.txt.
ROBOTS_MAX_BYTES = 4 * 1024 * 1024


class Reading(NamedTuple):
    """What a run learnt of story pages: what is now kept of each page it asked for (by URL), the warnings."""

    pages: dict[str, KeptPage]
    warnings: list[Problem]  # at the story's line in the listing, when it has one


class _Polite:
    """One run's manners: each site's robots.txt, asked once, and a pause before every request but the first."""

    def __init__(self, pause: float, timeout: float, sleep: Callable[[float], None]) -> None:
        self.pause, self.timeout, self.sleep = pause, timeout, sleep
        self.robots: dict[str, Robots] = {}
        self.asked = False

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self.robots:
            try:
                self._wait(site)
                answer = fetch(
                    f"{site}/robots.txt", timeout=self.timeout, retries=0, max_bytes=ROBOTS_MAX_BYTES,
                    types=("text/plain", ANY_TYPE), empty_ok=True,
                )  # fmt: skip
                self.robots[site] = Robots.of(200, answer.body or answer.text.encode("utf-8"))
            except FetchError as exc:
                # A 4xx is no robots.txt (every page allowed); anything else is no answer (none allowed).
                self.robots[site] = Robots.of(exc.status, why=str(exc).removeprefix(f"{site}/robots.txt: "))
        return self.robots[site].allows(url)

    def refusal(self, url: str) -> str:
        """Why `allows(url)` said no."""
        parts = urlsplit(url)
        return self.robots[f"{parts.scheme}://{parts.netloc}"].refusal(url)

    def before_request(self, url: str) -> None:
        parts = urlsplit(url)
        self._wait(f"{parts.scheme}://{parts.netloc}")

    def _wait(self, site: str) -> None:
        if self.asked:
            rules = self.robots.get(site)
            self.sleep(rules.delay(self.pause) if rules is not None else self.pause)
        self.asked = True


def _text_of(article: str | None) -> str:
    """The plain text of kept article HTML, for confirming it again."""
    if not article:
        return ""
    # Paragraph by paragraph, a space between two, as `storypage.read` joins the text of a page read afresh.
    tree = lxml.html.fragment_fromstring(article, create_parent="div")
    for element in tree.iter(*_BLOCKS):
        element.tail = " " + (element.tail or "")
    return fold_space(tree.text_content())


def _kept_as_page(kept: KeptPage) -> StoryPage:
    image = kept.image
    return StoryPage(
        title=kept.title, day=kept.day, canonical=kept.canonical, image=image.url if image else None,
        image_alt=image.alt if image else None, article=kept.article, text=_text_of(kept.article),
    )  # fmt: skip


def read_pages(
    stories: Iterable[Item],
    pages: Mapping[str, KeptPage],
    now: datetime,
    *,
    limit: int = DEFAULT_PAGES_PER_RUN,
    pause: float = DEFAULT_PAGE_PAUSE,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = 4 * 1024 * 1024,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> Reading:
    """Read the pages `storyplan.due` chooses (`stories` newest first); what came of each."""
    stories = list(stories)
    plan = due(stories, pages, now, limit)
    openings = {opening(story) for story in stories}
    polite = _Polite(pause, timeout, sleep)
    result = Reading({}, [])
    now = now.astimezone(UTC).replace(microsecond=0)

    def get(url: str, types: tuple[str, ...], validators: Validators | None = None, size: int = max_bytes) -> Page:
        polite.before_request(url)
        return fetch(
            url, validators or Validators(), timeout=timeout, retries=retries, backoff=backoff, max_bytes=size,
            sleep=sleep, types=types,
        )  # fmt: skip

    for number, story in enumerate(plan):
        if progress is not None:
            progress(number, len(plan))
        url = story.story_url or ""
        kept = pages.get(url, KeptPage())
        name = short(story.title)
        if not polite.allows(url):
            result.pages[url] = failed(kept, now)
            result.warnings.append(warning(story.line, f"{name}: {polite.refusal(url)}; tried again later"))
            continue
        # A page read before is asked for only if it changed since.
        validators = Validators(kept.etag, kept.last_modified) if kept.read_at else Validators()
        try:
            answer = get(url, ("text/html", "application/xhtml+xml"), validators)
        except FetchError as exc:
            result.pages[url] = failed(kept, now)
            result.warnings.append(warning(story.line, f"{name}: its page could not be read: {exc}; tried again later"))
            continue
        if len(answer.text) > MAX_PAGE_CHARS:
            result.pages[url] = failed(kept, now)
            too_long = f"{len(answer.text):,} characters, more than the {MAX_PAGE_CHARS:,} a story's page may have"
            result.warnings.append(warning(story.line, f"{name}: its page is {too_long}; not used, tried again later"))
            continue
        page = _kept_as_page(kept) if answer.status == 304 else read_page(answer.text, url)
        verdict = confirm(story, page, openings)
        result.warnings.extend(warning(story.line, message) for message in verdict.warnings)
        if not verdict.confirmed:
            result.pages[url] = failed(kept, now)
            continue
        if answer.status == 304:
            result.pages[url] = replace(kept, read_for=listed(story), failures=0, next_try=None, read_at=now)
            continue
        image = kept.image if kept.image is not None and kept.image.url == page.image else None
        if page.image is not None and image is None:
            image = _image(page.image, page.image_alt or "", polite, get, story, result.warnings)
        result.pages[url] = KeptPage(
            read_for=listed(story), read_at=now, etag=answer.validators.etag,
            last_modified=answer.validators.last_modified, title=page.title, day=page.day,
            canonical=page.canonical, image=image, article=page.article,
        )  # fmt: skip
    if progress is not None and plan:
        progress(len(plan), len(plan))
    return result


def _image(
    url: str,
    alt: str,
    polite: _Polite,
    get: Callable[..., Page],
    story: Item,
    warnings: list[Problem],
) -> Image | None:
    """The page's lead image, read and measured; None, with a warning, when it cannot be."""
    name = short(story.title)
    if not polite.allows(url):
        warnings.append(warning(story.line, f"{name}: its image: {polite.refusal(url)}; published without it"))
        return None
    try:
        answer = get(url, tuple(MEDIA_TYPES.values()), size=MAX_IMAGE_BYTES)
    except FetchError as exc:
        warnings.append(warning(story.line, f"{name}: its image could not be read: {exc}; published without it"))
        return None
    image = measure(url, alt, answer.body)
    if image is None:
        warnings.append(
            warning(story.line, f"{name}: its image {url} is not a JPEG, PNG, GIF or WebP image; published without it")
        )
    return image
