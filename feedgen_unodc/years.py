"""The record by year: which years each feed has stories in, and which of them reach beyond its subscription document.

A feed's subscription document holds its newest `limit` stories; every older
one is in the archive document of its year (RFC 5005), and every story is on
the page of its year. A story's year is the year of its listed date. These
counts name the year pages and archive documents (`catalog`) and link them;
a build counts them from the stories it reads (`counts_of`), and keeps the
counts of the years it does not read in the archive's index.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import Item

if TYPE_CHECKING:
    from .catalog import Feed


@dataclass(frozen=True)
class Years:
    """By feed slug: how many of the feed's stories each year has, and how many of them are archived."""

    stories: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # newest year first
    archived: Mapping[str, Mapping[int, int]] = field(default_factory=dict)  # beyond the subscription document

    def of(self, slug: str) -> list[int]:
        """The years with stories of feed `slug`, newest first."""
        return list(self.stories.get(slug, {}))

    def archives(self, slug: str) -> list[int]:
        """The years with archive documents of feed `slug`, newest first."""
        return list(self.archived.get(slug, {}))

    def newest(self, slug: str) -> list[int]:
        """The years of the stories of feed `slug`'s subscription document, newest first."""
        archived = self.archived.get(slug, {})
        return [year for year, count in self.stories.get(slug, {}).items() if archived.get(year, 0) < count]


def counts_of(stories: Iterable[Item], feeds: Iterable[Feed]) -> dict[int, dict[str, int]]:
    """How many of `stories` each feed holds, by year: year -> feed slug -> count (no zero counts)."""
    counts: dict[int, Counter[str]] = {}
    every = list(feeds)
    for story in stories:
        year = counts.setdefault(story.day.year, Counter())
        year.update(feed.slug for feed in every if feed.holds(story))
    return {year: {slug: n for slug, n in c.items() if n} for year, c in counts.items()}


def years_of(counts: Mapping[int, Mapping[str, int]], slugs: Iterable[str], limit: int) -> Years:
    """The years of each feed (`slugs`), from how many stories each has in each year (`counts_of`).

    A feed's subscription document holds its newest `limit` stories: they are
    in its newest years, as its stories are ordered by their dates.
    """
    shown: dict[str, dict[int, int]] = {}
    archived: dict[str, dict[int, int]] = {}
    for slug in slugs:
        left = limit
        shown[slug], archived[slug] = {}, {}
        for year in sorted(counts, reverse=True):
            count = counts[year].get(slug, 0)
            if count:
                shown[slug][year] = count
                in_window = min(count, left)
                left -= in_window
                if count > in_window:
                    archived[slug][year] = count - in_window
    return Years(shown, archived)


def neighbours(years: list[int], year: int) -> tuple[int | None, int | None]:
    """The years before and after `year` among `years` (newest first): (older, newer)."""
    at = years.index(year)
    older = years[at + 1] if at + 1 < len(years) else None
    newer = years[at - 1] if at > 0 else None
    return older, newer
