"""The archive as files: a folder with a file per year of stories and an index, so that a build reads and
writes only the years it touches.

    source/archive/index.json   the last listing's ids, and for each year: its file's SHA-256, how many
                                stories it has and each feed of them, and fingerprints of their links and
                                summaries, and the ids no longer their date's and title's
    source/archive/2021.json    the stories of 2021 (by their listed date), one per line, newest first,
                                with the link and topics a build derived when each entered or changed

The index says enough of every year for a build to give a new story an id,
a link and a summary of its own, to know which years the feeds' newest
stories are in, and to count them, without reading the years themselves
(`pipeline.years_to_read`). It is checked against the files: a year file
edited by hand (or an index that does not match its files) makes the next
build read every year and write the index again. Earlier versions kept the
whole archive in one `archive.json`; the next build moves it here.

Pure: bytes in, values out, and back. `jobs.py` reads and writes the files.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from .archive import Archive, ArchiveError, Unread, _Bad, _id, _list, _moment, _object, _row, _story
from .catalog import Feed
from .jsontext import document
from .model import Item
from .normalize import story_id
from .text import excerpt, fingerprint
from .urls import http_url_problem

FORMAT = 2
INDEX = "index.json"
_SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def year_file(year: int) -> str:
    """The name of the file of `year`'s stories in the archive folder."""
    return f"{year:04d}.json"


def summary_fingerprint(paragraphs: Iterable[str]) -> str:
    """A summary's fingerprint, as `settle_copied_summaries` compares summaries: case aside."""
    return fingerprint("\n".join(p.casefold() for p in paragraphs))


@dataclass(frozen=True)
class YearSummary:
    """What the index says of one year: its file's digest, and of its published stories what a build needs."""

    sha256: str
    updated: datetime  # the latest update of any of them
    latest: datetime | None  # the latest update of the published ones
    moved: tuple[str, ...]  # the ids that are not their story's date's and title's (`normalize.story_id`)
    links: tuple[str, ...]  # fingerprints of the published ones' links
    summaries: tuple[str, ...]  # fingerprints of the published ones' summaries
    corrected: tuple[datetime, ...] = ()  # the times of their corrections (`updated` not `published`)
    lost: int = 0  # how many published ones have a story URL that another's link holds (`links.links_of`)
    feeds: Mapping[str, int] = field(default_factory=dict)  # feed slug -> published stories it holds


@dataclass(frozen=True)
class Index:
    on_page: tuple[tuple[str, int], ...] = ()  # the last listing's stories: (id, year)
    derived: str = ""  # what the stored links and topics were derived from (`stamp.derivation_digest`)
    years: Mapping[int, YearSummary] = field(default_factory=dict)  # newest first


# --- a year's file ---------------------------------------------------------------------------------


def dumps_year(year: int, stories: Iterable[Item]) -> bytes:
    """The canonical bytes of the file of `year`'s stories (newest first), with their links and topics."""
    head = {"format": FORMAT, "year": year}
    return document(head, "stories", ({**_row(s), "link": s.link, "topics": list(s.topics)} for s in stories))


def _link(value: Any, where: str) -> str:
    if value == "":
        return ""  # not derived yet: the next build derives it
    problem = http_url_problem(value) if isinstance(value, str) else "is not text"
    if problem:
        raise _Bad(f"{where}: link {excerpt(value)} {problem}")
    return str(value)


def _topics(value: Any, where: str) -> tuple[str, ...]:
    slugs = _list(value, f"{where}: topics")
    if not all(isinstance(s, str) and s and set(s) <= _SLUG_CHARS for s in slugs):
        raise _Bad(f"{where}: topics must be topic slugs, not {excerpt(value)}")
    return tuple(slugs)


def loads_year(data: bytes, year: int) -> tuple[Item, ...]:
    """The stories of a year's file, every value checked; raises `ArchiveError` saying what is wrong."""
    try:
        head = _object(json.loads(data.decode("utf-8")), "the file")
        if type(head.get("format")) is not int or head.get("format") != FORMAT or head.get("year") != year:
            raise _Bad(f"a year file of format {FORMAT} for {year} must say so, not {excerpt(head.get('year'))}")
        stories = []
        for number, row in enumerate(_list(head.get("stories"), "stories"), start=1):
            story = _story(row, number)
            where = f"story {number}"
            if story.day.year != year:
                raise _Bad(f"{where}: its date {story.day.isoformat()} is not of {year}")
            link, topics = _link(row.get("link", ""), where), _topics(row.get("topics", []), where)
            stories.append(replace(story, link=link, topics=topics))
    except _Bad as exc:
        raise ArchiveError(f"not a feedgen-unodc archive year ({exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"not a feedgen-unodc archive year ({type(exc).__name__}: {exc})") from exc
    except ValueError as exc:  # a number of 5,000 digits
        raise ArchiveError(f"not a feedgen-unodc archive year ({exc})") from exc
    except RecursionError as exc:
        raise ArchiveError("not a feedgen-unodc archive year (nested too deeply to be one)") from exc
    return tuple(stories)


# --- the index -------------------------------------------------------------------------------------


def summary_of(data: bytes, stories: Iterable[Item], removed: Mapping[str, object], feeds: list[Feed]) -> YearSummary:
    """The index's summary of a year whose file holds `data`, made of its `stories`."""
    every = list(stories)
    published = [s for s in every if s.id not in removed]
    counts = Counter(feed.slug for s in published for feed in feeds if feed.holds(s))
    return YearSummary(
        sha256=hashlib.sha256(data).hexdigest(),
        updated=max(s.updated for s in every),
        latest=max((s.updated for s in published), default=None),
        moved=tuple(s.id for s in every if s.id != story_id(s.day, s.title)),
        links=tuple(fingerprint(s.link) for s in published if s.link),
        summaries=tuple(summary_fingerprint(s.paragraphs) for s in published if s.paragraphs),
        corrected=tuple(sorted({s.updated for s in every if s.updated != s.published})),
        lost=sum(1 for s in published if s.story_url and s.link != s.story_url),
        feeds={feed.slug: counts[feed.slug] for feed in feeds if counts[feed.slug]},
    )


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def dumps_index(index: Index) -> bytes:
    """The index's canonical bytes: a year per line, newest first."""
    head = {
        "format": FORMAT,
        "about": "The archive of every story feedgen-unodc has published: a file per year. Written by"
        " feedgen-unodc; see its README.",
        "derived": index.derived,
        "on_page": [list(listed) for listed in index.on_page],
    }
    rows = (
        {
            "year": year,
            "sha256": s.sha256,
            "updated": _time(s.updated),
            "latest": _time(s.latest) if s.latest else None,
            "feeds": dict(s.feeds),
            "moved": list(s.moved),
            "links": list(s.links),
            "summaries": list(s.summaries),
            "corrected": [_time(t) for t in s.corrected],
            "lost": s.lost,
        }
        for year, s in sorted(index.years.items(), reverse=True)
    )
    return document(head, "years", rows)


def _strings(value: Any, what: str) -> tuple[str, ...]:
    items = _list(value, what)
    if not all(isinstance(v, str) for v in items):
        raise _Bad(f"{what} must be a list of text")
    return tuple(items)


def _summary(row: Any) -> tuple[int, YearSummary]:
    row = _object(row, "a year")
    year = row.get("year")
    if type(year) is not int or not 1990 <= year <= 2999:
        raise _Bad(f"a year must be a year from 1990 on, not {excerpt(year)}")
    where = f"year {year}"
    feeds = _object(row.get("feeds"), f"{where}: feeds")
    if not all(type(n) is int and n >= 0 for n in feeds.values()):
        raise _Bad(f"{where}: the counts must be whole numbers")
    moved = tuple(_id(i, f"{where}: a moved id") for i in _list(row.get("moved"), f"{where}: moved"))
    sha = row.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64:
        raise _Bad(f"{where}: sha256 must be a SHA-256 digest, not {excerpt(sha)}")
    corrected = tuple(_moment(t, f"{where}: corrected") for t in _list(row.get("corrected"), f"{where}: corrected"))
    lost = row.get("lost")
    if type(lost) is not int or lost < 0:
        raise _Bad(f"{where}: lost must be a whole number, not {excerpt(lost)}")
    return year, YearSummary(
        sha256=sha,
        updated=_moment(row.get("updated"), f"{where}: updated"),
        latest=_moment(latest, f"{where}: latest") if (latest := row.get("latest")) is not None else None,
        moved=moved,
        links=_strings(row.get("links"), f"{where}: links"),
        summaries=_strings(row.get("summaries"), f"{where}: summaries"),
        corrected=corrected,
        lost=lost,
        feeds={str(k): v for k, v in feeds.items()},
    )


def _listed(row: Any) -> tuple[str, int]:
    pair = _list(row, "on_page: a story")
    if len(pair) != 2 or type(pair[1]) is not int:
        raise _Bad(f"on_page: a story must be its id and year, not {excerpt(row)}")
    return _id(pair[0], "on_page: an id"), pair[1]


def loads_index(data: bytes) -> Index:
    """The archive's index, its shape and values checked; raises `ArchiveError` saying what is wrong."""
    try:
        head = _object(json.loads(data.decode("utf-8")), "the index")
        if type(head.get("format")) is not int or head.get("format") != FORMAT:
            raise ArchiveError(f"unknown archive format {excerpt(head.get('format'))} (this program reads {FORMAT})")
        derived = head.get("derived")
        if not isinstance(derived, str):
            raise _Bad(f"derived must be text, not {excerpt(derived)}")
        on_page = tuple(_listed(row) for row in _list(head.get("on_page"), "on_page"))
        rows = [_summary(row) for row in _list(head.get("years"), "years")]
        years = dict(rows)
        if len(years) != len(rows):
            raise _Bad("a year appears twice")
    except ArchiveError:
        raise
    except _Bad as exc:
        raise ArchiveError(f"not a feedgen-unodc archive index ({exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"not a feedgen-unodc archive index ({type(exc).__name__}: {exc})") from exc
    except (ValueError, RecursionError) as exc:
        raise ArchiveError(f"not a feedgen-unodc archive index ({type(exc).__name__})") from exc
    return Index(on_page, derived, dict(sorted(years.items(), reverse=True)))


def fits(index: Index, files: Mapping[int, str]) -> bool:
    """True when `index` describes exactly the year files whose SHA-256 are `files` (by year): none edited,
    none missing."""
    return set(files) == set(index.years) and all(sha == index.years[year].sha256 for year, sha in files.items())


# --- the archive, partly read ------------------------------------------------------------------------


def archive_of(index: Index, stories: Mapping[int, tuple[Item, ...]], removed: Mapping[str, Any]) -> Archive:
    """The archive of the years read (`stories`: year -> its stories), and what the index says of the others."""
    others = {year: s for year, s in index.years.items() if year not in stories}
    unread = Unread(
        ids=frozenset(i for s in others.values() for i in s.moved),
        times=frozenset(t for s in others.values() for t in s.corrected),
        links=frozenset(link for s in others.values() for link in s.links),
        updated=max((s.updated for s in others.values()), default=None),
        latest=max((s.latest for s in others.values() if s.latest), default=None),
        counts={year: s.feeds for year, s in others.items()},
    )
    read = sorted((s for year in stories for s in stories[year]), key=lambda s: (-s.published.timestamp(), s.id))
    unique(read)
    return Archive(tuple(read), tuple(i for i, _ in index.on_page), removed, unread)


def unique(stories: Iterable[Item]) -> None:
    """Raise `ArchiveError` when two of `stories` have one id (a hand edit copied a story)."""
    seen: set[str] = set()
    for story in stories:
        if story.id in seen:
            raise ArchiveError(f"not a feedgen-unodc archive (the story id {story.id} appears twice)")
        seen.add(story.id)


def by_year(stories: Iterable[Item]) -> dict[int, list[Item]]:
    """`stories` (newest first) by the year of their date, newest year first."""
    result: dict[int, list[Item]] = {}
    for story in stories:
        result.setdefault(story.day.year, []).append(story)
    return dict(sorted(result.items(), reverse=True))


def index_of(archive: Archive, files: Mapping[int, bytes], kept: Index, derived: str, feeds: list[Feed]) -> Index:
    """The index after a build: the years whose `files` (year -> bytes, of `archive`'s stories) it
    writes summarised again, the others as `kept` says (those it did not read, or read unchanged)."""
    stories = by_year(archive.stories)
    years = {year: s for year, s in kept.years.items() if year in archive.unread.years or year in stories}
    for year, data in files.items():
        years[year] = summary_of(data, stories[year], archive.removed, feeds)
    year_of = {s.id: s.day.year for s in archive.stories}  # the listed stories are of the years read
    on_page = tuple((i, year_of[i]) for i in archive.on_page if i in year_of)
    return Index(on_page, derived, dict(sorted(years.items(), reverse=True)))
