"""The reading half of the pure core in one call: listing bytes to items and a report."""

from __future__ import annotations

from datetime import date

from .listing import parse
from .model import Item, Problem, by_line
from .normalize import assign_links, normalize
from .source import decode
from .topics import Topic, classify


def read_listing(
    data: bytes, *, listing_url: str, topics: tuple[Topic, ...], today: date | None = None
) -> tuple[list[Item], list[Problem]]:
    """Items (newest first, with topics) and every problem found, in line order.

    Never raises on bad data: an unusable listing gives no items and errors.
    """
    lines, problems = decode(data)
    raw_items, found = parse(lines)
    problems += found
    items, found = normalize(raw_items, today=today)
    problems += found
    items, found = assign_links(items, listing_url)
    problems += found
    items, found = classify(items, topics)
    problems += found
    return items, by_line(problems)
