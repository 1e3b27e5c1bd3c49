"""The values that flow through the pipeline: items and the problems found on the way.

    bytes --decode--> lines --parse--> raw items --normalize--> items --identify, merge into the archive-->
        stories --links, topics--> stories with links and topics --render--> documents (bytes)

    and, from every stage, problems (a report).

Everything here is frozen: a stage returns new values, it never edits old ones.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple


class Level(enum.Enum):
    WARNING = "warning"
    ERROR = "error"


class Problem(NamedTuple):
    """One anomaly of the source, at a line (1-based) when it has one."""

    level: Level
    line: int | None
    message: str

    def format(self, filename: str) -> str:
        """`FILE:LINE: level: message`, the form editors and compilers use."""
        where = f"{filename}:{self.line}" if self.line is not None else filename
        return f"{where}: {self.level.value}: {self.message}"


def warning(line: int | None, message: str) -> Problem:
    return Problem(Level.WARNING, line, message)


def error(line: int | None, message: str) -> Problem:
    return Problem(Level.ERROR, line, message)


def by_line(problems: list[Problem]) -> list[Problem]:
    """Problems by line, those of the whole file last; one line's problems keep their order."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


def has_errors(problems: list[Problem], *, strict: bool = False) -> bool:
    """True when the problems forbid publishing: any error, or with `strict` any problem at all."""
    if strict:
        return bool(problems)
    return any(p.level is Level.ERROR for p in problems)


@dataclass(frozen=True, slots=True)
class RawItem:
    """An item as the listing writes it: its lines, not yet cleaned up."""

    line: int  # of the date line
    day: date
    date_text: str
    title: str
    title_line: int
    story_url: str | None
    paragraphs: tuple[tuple[int, str], ...]  # (line, text), one per non-blank line


class SummaryGap(enum.Enum):
    """Why an item is published without its summary."""

    ABSENT = "the listing gives none"
    COPIED = "the listing's summary belongs to another story"


@dataclass(frozen=True, slots=True)
class Image:
    """A story's lead image, as its own page gives it and as it was found when read."""

    url: str  # absolute http(s)
    alt: str  # its text alternative; "" when the page gives none
    media_type: str  # what the image is, by its bytes (image/jpeg...)
    length: int  # bytes
    width: int  # pixels
    height: int


@dataclass(frozen=True, slots=True)
class Item:
    """One news story, cleaned up and ready to publish.

    All datetimes are timezone-aware (UTC). `link` and `topics` are filled in by
    the last stages (`links.links_of`, `topics.topics_of`), `image` and
    `article` from what was kept of the story's page (`pagestore.attach`).
    """

    id: str  # urn:uuid:..., stable for the life of the story
    day: date  # the calendar date the listing gives
    published: datetime  # `day` at a time of day that keeps the listing's order
    updated: datetime  # `published`, or when a correction of the story was first seen
    title: str
    paragraphs: tuple[str, ...]  # the summary, one string per paragraph; may be empty
    summary_gap: SummaryGap | None  # set exactly when `paragraphs` is empty
    story_url: str | None  # the story's own page, when the source gives it
    line: int | None  # of the date line in the listing; None for a story known from the archive only
    first_seen: datetime | None = (
        None  # when a build first merged it; None for a story archived before builds recorded it
    )
    link: str = ""  # story_url, or the listing page with a fragment unique to this item
    topics: tuple[str, ...] = ()  # topic slugs, in vocabulary order
    # From the story's own page, read and confirmed for what the listing says of the story now (`pagestore`):
    image: Image | None = None  # its lead image
    article: str | None = None  # its whole text, safe HTML; only when the operator publishes full text
