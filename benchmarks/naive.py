"""The listing read without any normalizing, for the baseline writers: what they all start from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})\s*$")
MONTHS = {
    name: number
    for number, name in enumerate(
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"],
        start=1,
    )
}  # fmt: skip
FILES = ("all", "trafficking", "smuggling")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    html: str
    published: datetime
    topics: tuple[str, ...]


def entries(path: Path) -> list[Entry]:
    """Date line, title, paragraphs: taken as they come, with a running second to keep times distinct."""
    result: list[Entry] = []
    block: list[str] = []
    when: datetime | None = None

    def flush() -> None:
        if when is not None and block:
            title, *paragraphs = block
            text = " ".join(block).lower()
            topics = tuple(t for t, word in (("trafficking", "traffick"), ("smuggling", "smuggl")) if word in text)
            html = "".join(f"<p>{p}</p>" for p in paragraphs)
            stamp = when - timedelta(seconds=len(result))
            result.append(Entry(f"urn:example:{len(result)}", title, html, stamp, topics))

    for line in path.read_text(encoding="utf-8").splitlines():
        match = DATE.match(line)
        if match:
            flush()
            block = []
            day, month, year = match.groups()
            when = datetime(int(year), MONTHS[month], int(day), 12, tzinfo=UTC)
        elif line.strip():
            block.append(line.strip())
    flush()
    return result


def selected(all_entries: list[Entry], name: str) -> list[Entry]:
    return all_entries if name == "all" else [e for e in all_entries if name in e.topics]
