"""What a run says: the problems, one line each on stderr, and the summaries people asked for."""

from __future__ import annotations

from collections.abc import Iterable

from .app import Output
from .archive import Changes
from .model import Item, Level, Problem
from .topics import Topic


def count(n: int, noun: str) -> str:
    """`1 item`, `2 items`."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def problems(out: Output, found: Iterable[Problem], where: str, *, quiet: bool = False) -> None:
    """Each problem as `FILE:LINE: level: message`; with `quiet`, the errors only."""
    for problem in found:
        if not quiet or problem.level is Level.ERROR:
            out.warn(problem.format(where))


def summary(items: list[Item], found: list[Problem], topics: tuple[Topic, ...]) -> str:
    """`30 items (trafficking 21, smuggling 16); 0 errors, 3 warnings`"""
    counts = [(t.slug, sum(t.slug in i.topics for i in items)) for t in topics]
    counts.append(("no topic", sum(not i.topics for i in items)))
    by_topic = ", ".join(f"{name} {n}" for name, n in counts if n or name != "no topic")
    errors = sum(p.level is Level.ERROR for p in found)
    return (
        f"{count(len(items), 'item')} ({by_topic}); {count(errors, 'error')}, {count(len(found) - errors, 'warning')}"
    )


def built(changes: Changes, written: int, unchanged: int) -> str:
    """What a build did, for --verbose."""
    return (
        f"build: {len(changes.added)} added, {len(changes.changed)} changed, {changes.kept} kept; "
        f"{count(written, 'file')} written, {unchanged} unchanged"
    )
