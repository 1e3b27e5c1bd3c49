"""The archive: every story ever published, so that none is lost when the page drops it.

The UNODC page shows only its latest stories. Each build merges the current
listing into the archive, and the feeds are made from the archive:

- a story seen for the first time is added, dated as the listing dates it;
- a story seen again with other text (a corrected summary, a story URL found
  by the fetcher) is replaced, and its `updated` time records when the change
  was first seen; its publication time stays;
- a story no longer on the page stays, until an operator removes it (`remove`);
- a story whose date or title the page corrects keeps its id (`identify`);
- a summary copied from a story now gone from the page stays withheld
  (`settle_copied_summaries`): the archive still knows whose it is.

The archive is kept as JSON text, a file per year (`archivestore`), so that
it is committed and its diffs are read like the listing's; written in one
canonical form, so that the same archive always has the same bytes. Earlier
versions kept it in one file, `archive.json`, which `loads` reads so that
the next build moves it into the folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from .dates import format_date
from .model import Item, Problem, SummaryGap, error, warning
from .normalize import next_free_id, story_id, title_fit
from .text import UNFIT, excerpt, short, words
from .urls import http_url_problem

FORMAT = 1


class ArchiveError(ValueError):
    """An archive file that cannot be read; it must not be overwritten."""


class Removal(NamedTuple):
    """An operator's decision to stop publishing a story (kept in `removed.toml`: see `removals.py`)."""

    at: datetime
    reason: str
    title: str = ""  # the story's, for people reading the file; the id decides


@dataclass(frozen=True)
class Unread:
    """What is known of the stories of the years a build did not read (`archivestore`): enough to give
    new stories ids, links and times of their own, and to date the feeds, without reading them."""

    ids: frozenset[str] = frozenset()  # those not their story's date's and title's: all that a new id could be
    times: frozenset[datetime] = frozenset()  # the times of their corrections: all that a new time could be
    links: frozenset[str] = frozenset()  # fingerprints of their links (`text.fingerprint`)
    updated: datetime | None = None  # the latest update of any of them
    latest: datetime | None = None  # the latest update of those published
    counts: Mapping[int, Mapping[str, int]] = field(default_factory=dict)  # year -> feed slug -> stories

    @property
    def years(self) -> frozenset[int]:
        return frozenset(self.counts)


@dataclass(frozen=True)
class Archive:
    """Every story, or (`unread`) the stories of the years a build read and what is known of the others."""

    stories: tuple[Item, ...] = ()  # newest first; with the links and topics a build derived, when stored
    on_page: tuple[str, ...] = ()  # the ids of the last listing merged, in its order
    removed: Mapping[str, Removal] = field(default_factory=dict)
    unread: Unread = field(default_factory=Unread)

    def published(self) -> list[Item]:
        """The stories the feeds show: all but the removed ones, newest first."""
        return [story for story in self.stories if story.id not in self.removed]

    def last_change(self) -> datetime | None:
        """When the archive last changed, by its own times: a story's update or a removal."""
        times = [story.updated for story in self.stories] + [removal.at for removal in self.removed.values()]
        if self.unread.updated is not None:
            times.append(self.unread.updated)
        return max(times, default=None)

    def latest(self) -> datetime | None:
        """The latest update of a published story."""
        times = [story.updated for story in self.published()]
        if self.unread.latest is not None:
            times.append(self.unread.latest)
        return max(times, default=None)


class Changes(NamedTuple):
    """What merging a listing did: ids of the stories added and changed, and how many stayed."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    kept: int = 0


def _content(item: Item) -> tuple[object, ...]:
    # What a reader sees of a story; a difference here is a correction.
    return (item.day, item.title, item.paragraphs, item.summary_gap, item.story_url)


def _summary(item: Item) -> tuple[str, ...]:
    return tuple(p.casefold() for p in item.paragraphs)


def identify(archive: Archive, listing: list[Item]) -> tuple[list[Item], list[Problem]]:
    """The listing's items under the ids the archive knows them by; a warning for each correction found.

    A story's id is given when it is first seen and kept for good. An item is
    the archived story of its date and title; or, when the last listing's
    story left the page while this one appeared with the same summary and
    either the same title under another date (a mistyped year fixed) or the
    same date under another title (an edited title), it is that story
    corrected. Nothing else is merged: two stories with one title on two
    dates, both on the page, stay two, and so does a story that two could be.
    """
    known = {story_id(story.day, story.title): story for story in archive.stories}
    matched = [known.get(item.id) for item in listing]
    listed = {story.id for story in matched if story is not None}
    gone = set(archive.on_page) - listed
    left: dict[tuple[str, ...], list[Item]] = {}
    for archived in archive.stories:
        if archived.id in gone and archived.paragraphs:
            left.setdefault(_summary(archived), []).append(archived)
    result: list[Item] = []
    problems: list[Problem] = []
    taken = {story.id for story in archive.stories} | archive.unread.ids
    for item, story in zip(listing, matched, strict=True):
        if story is None and item.paragraphs:
            title = words(item.title)
            # Exactly one of the date and the title differs: a correction, not another story.
            candidates = [
                old for old in left.get(_summary(item), ()) if (words(old.title) == title) != (old.day == item.day)
            ]
            if len(candidates) == 1:
                story = candidates[0]
                left[_summary(item)].remove(story)
                problems.append(
                    warning(item.line, f"corrected {_correction(story, item)}; one story, under the id it had")
                )
        if story is None and item.id in taken:
            # A new story whose id by its date and title is taken: a story corrected away from that
            # date and title keeps it. The new one gets the next free id, the same at every run.
            item = replace(item, id=next_free_id(item.id, taken))
        result.append(item if story is None else replace(item, id=story.id))
        taken.add(result[-1].id)
    return result, problems


def _correction(old: Item, new: Item) -> str:
    if old.day != new.day:
        return f"date of {short(new.title)}: {format_date(old.day)} is now {format_date(new.day)}"
    return f"title of the {format_date(new.day)} story: {short(old.title)} is now {short(new.title)}"


def settle_copied_summaries(items: list[Item], archived: list[Item]) -> tuple[list[Item], list[Problem]]:
    """Withhold a listed item's summary when it is, word for word, an archived story's that fits it better.

    The page drops its oldest stories: once the story a summary was copied
    from is gone, the copy would look like a correction of the other story.
    """
    listed = {item.id for item in items}
    owners = {_summary(s): s for s in archived if s.id not in listed and s.paragraphs}
    problems: list[Problem] = []
    result = []
    for item in items:
        owner = owners.get(_summary(item)) if owners and item.paragraphs else None
        if owner is not None and title_fit(item.title, item.paragraphs) <= title_fit(owner.title, owner.paragraphs):
            problems.append(
                warning(
                    item.line,
                    f"summary copied from {short(owner.title)} ({owner.day.isoformat()}, archived), whose title "
                    f"it fits at least as well; {short(item.title)} is published without a summary",
                )
            )
            item = replace(item, paragraphs=(), summary_gap=SummaryGap.COPIED)
        result.append(item)
    return result, problems


def merge(archive: Archive, listing: list[Item], now: datetime) -> tuple[Archive, Changes]:
    """The archive with `listing` (normalized items, newest first) merged in.

    `now` is the time a correction is recorded as seen. Merging the same
    listing twice changes nothing the second time.
    """
    stories = {story.id: story for story in archive.stories}
    # Feed readers and validators expect every entry to have its own published
    # and updated times (the W3C validator warns of two equal atom:updated):
    # a new time steps back from its wish until it is free.
    taken = {story.published for story in archive.stories} | {story.updated for story in archive.stories}
    taken |= archive.unread.times  # the other years' published times are of their own days

    def free(wish: datetime) -> datetime:
        while wish in taken:
            wish -= timedelta(seconds=1)
        taken.add(wish)
        return wish

    added, changed, kept = [], [], 0
    now = now.astimezone(UTC).replace(microsecond=0)
    for item in listing:
        old = stories.get(item.id)
        # A new or changed story's link and topics are derived again (`pipeline.finished`): "" says so.
        if old is None:
            published = free(item.published)
            stories[item.id] = replace(item, published=published, updated=published, link="", topics=(), first_seen=now)
            added.append(item.id)
        elif _content(old) != _content(item):
            # A corrected date moves the story to its day; any other correction keeps its place.
            published = free(item.published) if item.day != old.day else old.published
            updated = old.updated if item.day == old.day else published
            if now > published:
                taken.discard(old.updated)
                updated = free(now)
            stories[item.id] = replace(
                item, published=published, updated=updated, link="", topics=(), first_seen=old.first_seen
            )
            changed.append(item.id)
        else:
            stories[item.id] = replace(old, line=item.line)
            kept += 1
    merged = Archive(
        stories=tuple(sorted(stories.values(), key=lambda s: (-s.published.timestamp(), s.id))),
        on_page=tuple(item.id for item in listing),
        removed=archive.removed,
        unread=archive.unread,
    )
    return merged, Changes(tuple(added), tuple(changed), kept)


def regression(archive: Archive, listing: list[Item], threshold: float) -> Problem | None:
    """An error when `listing` drops more than `threshold` of the stories the last listing had.

    A page that suddenly lists far fewer stories is a redesign the extractor
    half-understands, or an error page that looks like a page: not news.
    """
    if not archive.on_page:
        return None
    now_listed = {item.id for item in listing}
    dropped = sum(story_id not in now_listed for story_id in archive.on_page)
    if dropped <= threshold * len(archive.on_page):
        return None
    return error(
        None,
        f"the listing drops {dropped} of the {len(archive.on_page)} stories the last listing had "
        f"(more than {threshold:.0%}); nothing was published. If the page really changed, run again with --force",
    )


def remove(archive: Archive, story_id: str, reason: str, now: datetime) -> Archive:
    """The archive with `story_id` no longer published; raises KeyError for an unknown id."""
    story = next((story for story in archive.stories if story.id == story_id), None)
    if story is None:
        raise KeyError(story_id)
    removal = Removal(now.astimezone(UTC).replace(microsecond=0), reason, story.title)
    return replace(archive, removed={**archive.removed, story_id: removal})


def restore(archive: Archive, story_id: str) -> Archive:
    """The archive with `story_id` published again; raises KeyError when it was not removed."""
    if story_id not in archive.removed:
        raise KeyError(story_id)
    return replace(archive, removed={k: v for k, v in archive.removed.items() if k != story_id})


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _row(s: Item) -> dict[str, Any]:
    """A story as the archive keeps it."""
    return {
        "id": s.id,
        "date": s.day.isoformat(),
        "published": _time(s.published),
        "updated": _time(s.updated),
        "first_seen": _time(s.first_seen) if s.first_seen else None,
        "title": s.title,
        "story_url": s.story_url,
        "summary": list(s.paragraphs),
        "summary_gap": s.summary_gap.name.lower() if s.summary_gap else None,
    }


class _Bad(ValueError):
    """A value of the archive that cannot be: what it must be, and where."""


# Whatever a hand edit put there, the feeds get only clean text: no control character, nothing that XML
# forbids (U+FFFE, U+FFFF), no lone surrogate (a JSON "\ud800"); the ids are story ids, the times plausible.
STORY_ID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_EARLIEST, _LATEST = date(1990, 1, 1), date(2999, 12, 31)


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(f"{what} must be an object, not {excerpt(value)}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Bad(f"{what} must be a list, not {excerpt(value)}")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or UNFIT.search(value):
        raise _Bad(f"{what} must be a line of text, not {excerpt(value)}")
    return value


def _id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not STORY_ID.fullmatch(value):
        raise _Bad(f"{what} must be a story id (urn:uuid:...), not {excerpt(value)}")
    return value


def _day(value: Any, what: str) -> date:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None or not _EARLIEST <= day <= _LATEST:
        raise _Bad(f"{what} must be a date from 1990 on (YYYY-MM-DD), not {excerpt(value)}")
    return day


def _moment(value: Any, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not _EARLIEST <= moment.date() <= _LATEST:
        raise _Bad(f"{what} must be a time with its time zone, from 1990 on, not {excerpt(value)}")
    return moment.astimezone(UTC)


def _url(value: Any) -> str | None:
    if value is None:
        return None
    problem = http_url_problem(value) if isinstance(value, str) else "is not text"
    if problem:
        raise _Bad(f"story_url {excerpt(value)} {problem}")
    return str(value)


def _story(row: Any, number: int) -> Item:
    row = _object(row, f"story {number}")
    where = f"story {number}"
    summary = _list(row.get("summary"), f"{where}: summary")
    paragraphs = tuple(_text(p, f"{where}: a summary paragraph") for p in summary)
    gap = row.get("summary_gap")
    if gap not in (None, *(g.name.lower() for g in SummaryGap)) or (gap is None) != bool(paragraphs):
        shown = excerpt(gap)
        raise _Bad(f"{where}: summary_gap must be absent or copied exactly when there is no summary, not {shown}")
    return Item(
        id=_id(row.get("id"), f"{where}: id"),
        day=_day(row.get("date"), f"{where}: date"),
        published=_moment(row.get("published"), f"{where}: published"),
        updated=_moment(row.get("updated"), f"{where}: updated"),
        title=_text(row.get("title"), f"{where}: title"),
        paragraphs=paragraphs,
        summary_gap=SummaryGap[gap.upper()] if gap else None,
        story_url=_url(row.get("story_url")),
        line=None,
        first_seen=_moment(seen, f"{where}: first_seen") if (seen := row.get("first_seen")) is not None else None,
    )


def loads(data: bytes) -> Archive:
    """Read an archive of an earlier version (one file, format 1), its shape and every value checked;
    raises `ArchiveError` saying what is wrong."""
    try:
        document = _object(json.loads(data.decode("utf-8")), "the archive")
        version = document.get("format")
        if type(version) is not int or version != FORMAT:  # `true` is no 1
            raise ArchiveError(f"unknown archive format {excerpt(version)} (this program reads {FORMAT})")
        stories = tuple(_story(row, n) for n, row in enumerate(_list(document.get("stories"), "stories"), start=1))
        # Removals that earlier versions kept in the archive: read, and moved to removed.toml by the next build.
        titles = {story.id: story.title for story in stories}
        removed = {
            _id(story_id, "removed: an id"): Removal(
                _moment(_object(r, f"removed {story_id}").get("at"), f"removed {story_id}: at"),
                _text(r.get("reason"), f"removed {story_id}: reason"),
                titles.get(story_id, ""),
            )
            for story_id, r in _object(document.get("removed", {}), "removed").items()
        }
        on_page = tuple(_id(story_id, "on_page: an id") for story_id in _list(document.get("on_page"), "on_page"))
    except ArchiveError:
        raise
    except _Bad as exc:
        raise ArchiveError(f"not a feedgen-unodc archive ({exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"not a feedgen-unodc archive ({type(exc).__name__}: {exc})") from exc
    except ValueError as exc:  # a number of 5,000 digits, which Python refuses to read
        raise ArchiveError(f"not a feedgen-unodc archive ({exc})") from exc
    except RecursionError as exc:  # "[[[[...": nested deeper than any archive is
        raise ArchiveError("not a feedgen-unodc archive (nested too deeply to be one)") from exc
    if len({s.id for s in stories}) != len(stories):
        raise ArchiveError("not a feedgen-unodc archive (a story id appears twice)")
    return Archive(stories, on_page, removed)
