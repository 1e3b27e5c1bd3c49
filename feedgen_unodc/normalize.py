"""From raw items to items a feed can carry: clean text, ids, honest order.

What the listing gets wrong, and what is done about it (reported, but for the
"read more" text, which every summary has):

- the "read more" link text at the end of each summary: dropped;
- items out of date order: placed by date, newest first; items of one day keep
  the listing's order;
- one story's summary copied onto another: the story whose title fits the text
  keeps it, the other is published without a summary;
- the same story listed twice: listed once.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from html.entities import name2codepoint
from typing import NamedTuple

from .model import Item, Problem, RawItem, SummaryGap, error, warning
from .text import excerpt, short, strip_trailer, words

# Ids are name-based UUIDs (RFC 9562, version 5) in this namespace. It is a
# constant, never derived from a setting: changing it would change every id
# and make every reader show every story again.
ID_NAMESPACE = uuid.UUID("6f1d3c5e-2b8a-5d4e-9c1f-7a0b3e5d8c21")

# The listing gives a calendar date only. Noon UTC shows as that same date on
# every clock from UTC-11 to UTC+11 (01:00 to 23:00). Later items of the same
# day step back one second each, so that readers sorting by time keep the
# listing's order; an hour of seconds keeps all of them on that date too.
NOON = time(12, 0, tzinfo=UTC)
MAX_ITEMS_PER_DAY = 3600

# Feed validators call a date before 1990 implausible, and RSS dates cannot
# write years before 1900; in a listing that began in the 2000s it is a typo.
EARLIEST_PLAUSIBLE = date(1990, 1, 1)
# A date this far ahead would stay at the top of every feed for as long: a typo too.
FAR_FUTURE = timedelta(days=366)

# Text that feed validators and some readers take for HTML even in a plain-text
# title: the start of a tag, or a character reference ("&amp", "&#38"). The W3C
# validator checks the parsed text, so no escaping hides it; the normalizer says so.
_TAG_START = re.compile(r"<[/A-Za-z][^<>\s]*>?")
_REFERENCE = re.compile(r"&(#?\w+);?")


def markup_in(title: str) -> str | None:
    """The first piece of `title` that looks like HTML markup, if any."""
    tag = _TAG_START.search(title)
    if tag:
        return tag.group()
    for reference in _REFERENCE.finditer(title):
        name = reference.group(1)
        if name.startswith("#") or name in name2codepoint or name == "apos":
            return reference.group()
    return None


# Words that say nothing about which story a summary belongs to.
_STOPWORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into", "is",
        "it", "its", "of", "on", "or", "the", "their", "this", "to", "was", "were", "what", "when", "where",
        "which", "who", "will", "with", "un", "unodc",
    }
)  # fmt: skip


def story_id(day: date, title: str) -> str:
    """The id of the story published on `day` under `title`, forever.

    Only the date and the title's words count: editing the summary, the white
    space, the punctuation or the letter case, reordering the listing, moving
    the feeds to another URL or upgrading this program keeps the id.
    """
    name = " ".join(words(title)) or title.casefold()
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{day.isoformat()} {name}')}"


def next_free_id(taken_id: str, taken: set[str]) -> str:
    """The first id derived from `taken_id` that is not in `taken`: always the same one for the same ids."""
    candidate = taken_id
    while candidate in taken:
        candidate = f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'after {candidate}')}"
    return candidate


def _stem(word: str) -> str:
    # Crude plural folding is enough to match "crimes" with "crime".
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _content_words(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w not in _STOPWORDS and not w.isdigit()}


def title_fit(title: str, summary: tuple[str, ...]) -> float:
    """Share of the title's content words that the summary uses (0 to 1)."""
    title_words = _content_words(title)
    if not title_words:
        return 0.0
    return len(title_words & _content_words(" ".join(summary))) / len(title_words)


class _Story(NamedTuple):
    """A raw item with its text cleaned, while normalizing."""

    raw: RawItem
    id: str
    paragraphs: tuple[str, ...]
    gap: SummaryGap | None


def _clean(raw: RawItem) -> _Story:
    paragraphs = [text for _, text in raw.paragraphs]
    while paragraphs:
        last = strip_trailer(paragraphs[-1])
        if last:
            paragraphs[-1] = last
            break
        paragraphs.pop()  # a paragraph that was only "read more"
    return _Story(raw, story_id(raw.day, raw.title), tuple(paragraphs), None if paragraphs else SummaryGap.ABSENT)


def _drop_repeats(stories: list[_Story], problems: list[Problem]) -> list[_Story]:
    first: dict[str, _Story] = {}
    kept = []
    for story in stories:
        if story.id in first:
            earlier = first[story.id].raw
            problems.append(
                warning(story.raw.line, f"same story as line {earlier.line} (same date and title); listed once")
            )
            continue
        first[story.id] = story
        kept.append(story)
    return kept


def _settle_copied_summaries(stories: list[_Story], problems: list[Problem]) -> list[_Story]:
    """Give each summary that appears more than once to the one story it fits."""
    by_text: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, story in enumerate(stories):
        if story.paragraphs:
            by_text[tuple(p.casefold() for p in story.paragraphs)].append(index)
    result = list(stories)
    for indices in by_text.values():
        if len(indices) < 2:
            continue
        # Best fit first; on a tie the earlier story, which is the one the text was first written for.
        owner = max(
            indices,
            key=lambda i: (title_fit(stories[i].raw.title, stories[i].paragraphs), -stories[i].raw.day.toordinal(), -i),
        )
        keeper = stories[owner].raw
        for index in indices:
            if index == owner:
                continue
            story = stories[index]
            problems.append(
                warning(
                    story.raw.paragraphs[0][0],
                    f"summary copied from {short(keeper.title)} (line {keeper.line}), whose title it fits "
                    f"better; {short(story.raw.title)} is published without a summary",
                )
            )
            result[index] = _Story(story.raw, story.id, (), SummaryGap.COPIED)
    return result


def _report_order(stories: list[_Story], problems: list[Problem]) -> None:
    for previous, story in itertools.pairwise(stories):
        if story.raw.day > previous.raw.day:
            problems.append(
                warning(
                    story.raw.line,
                    f"out of order: {story.raw.date_text} is listed after {previous.raw.date_text} "
                    f"(line {previous.raw.line}); placed by its date",
                )
            )


def _timestamps(stories: list[_Story], problems: list[Problem]) -> list[datetime]:
    """One timestamp per story (sorted newest first), distinct within a day."""
    stamps = []
    seen_on: dict[date, int] = defaultdict(int)
    for story in stories:
        rank = seen_on[story.raw.day]
        seen_on[story.raw.day] += 1
        if rank == MAX_ITEMS_PER_DAY:
            problems.append(error(story.raw.line, f"more than {MAX_ITEMS_PER_DAY} items on {story.raw.date_text}"))
        stamps.append(datetime.combine(story.raw.day, NOON) - timedelta(seconds=min(rank, MAX_ITEMS_PER_DAY - 1)))
    return stamps


def normalize(raw_items: list[RawItem], *, today: date | None = None) -> tuple[list[Item], list[Problem]]:
    """Clean `raw_items` up into items, newest first, and report every anomaly.

    `today`, when given, lets dates in the future be reported; it changes no item.
    The items have no link yet: see `links.links_of`.
    """
    problems: list[Problem] = []
    stories = _drop_repeats([_clean(raw) for raw in raw_items], problems)
    stories = _settle_copied_summaries(stories, problems)
    for story in stories:
        markup = markup_in(story.raw.title)
        if markup:
            problems.append(
                warning(
                    story.raw.title_line,
                    f"the title holds {excerpt(markup)}, which feed validators and some readers take for HTML; "
                    "it is published as text",
                )
            )
        if story.gap is SummaryGap.ABSENT:
            problems.append(warning(story.raw.line, f"{short(story.raw.title)} has no summary"))
        if today is not None and story.raw.day > today + FAR_FUTURE:
            problems.append(
                error(story.raw.line, f"{story.raw.date_text} is more than a year ahead: is the year right?")
            )
        elif today is not None and story.raw.day > today:
            problems.append(warning(story.raw.line, f"{story.raw.date_text} is in the future"))
        if story.raw.day < EARLIEST_PLAUSIBLE:
            problems.append(error(story.raw.line, f"{story.raw.date_text} is before 1990: is the year right?"))
    _report_order(stories, problems)

    # Newest first; sorted() is stable, so items of one day keep the listing's order.
    stories = sorted(stories, key=lambda s: s.raw.day, reverse=True)
    stamps = _timestamps(stories, problems)
    items = [
        Item(
            id=story.id,
            day=story.raw.day,
            published=stamp,
            updated=stamp,
            title=story.raw.title,
            paragraphs=story.paragraphs,
            summary_gap=story.gap,
            story_url=story.raw.story_url,
            line=story.raw.line,
        )
        for story, stamp in zip(stories, stamps, strict=True)
    ]
    return items, problems
