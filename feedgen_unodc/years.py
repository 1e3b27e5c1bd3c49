"""The record by year: which years each feed has stories in, and which of them reach beyond its subscription document.

A feed's subscription document holds its newest `limit` stories; every older
one is in the archive document of its year (RFC 5005), and every story is on
the page of its year. A story's year is the year of its listed date. These
counts name the year pages and archive documents (`catalog`) and link them;
a build gets them from the stories (`years_of`), and a later one can keep
them without reading every year again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .model import Item


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


def _counted(stories: Iterable[Item]) -> dict[int, int]:
    counts = Counter(story.day.year for story in stories)
    return {year: counts[year] for year in sorted(counts, reverse=True)}


def years_of(feeds: Iterable[tuple[str, list[Item]]], limit: int) -> Years:
    """The years of each feed's stories (`feeds`: each feed's slug and its stories, newest first)."""
    shown: dict[str, dict[int, int]] = {}
    archived: dict[str, dict[int, int]] = {}
    for slug, held in feeds:
        shown[slug] = _counted(held)
        archived[slug] = _counted(held[limit:])
    return Years(shown, archived)


def neighbours(years: list[int], year: int) -> tuple[int | None, int | None]:
    """The years before and after `year` among `years` (newest first): (older, newer)."""
    at = years.index(year)
    older = years[at + 1] if at + 1 < len(years) else None
    newer = years[at - 1] if at > 0 else None
    return older, newer
