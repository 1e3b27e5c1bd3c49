"""The listing's text format: parsing it into raw items, and writing items back.

The format, as the scrape of the UNODC page gives it:

    20 January 2022                         <- a date line starts an item
    Securing Evidence: The Key to ...       <- the next non-blank line is its title
    https://www.unodc.org/...               <- optional: the story's own URL
                                               (a line holding nothing else)
    Human trafficking is a global ...       <- every other non-blank line up to the
    ... read more                              next date line is a summary paragraph

Blank lines are optional everywhere. White space inside a line is folded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .dates import InvalidDate, parse_date_line
from .model import Level, Problem, RawItem, error, warning
from .text import excerpt, fold_space
from .urls import as_uri, http_url_problem


def is_url_line(line: str) -> bool:
    """True for a line that is meant as a URL: it starts with http:// or https:// and has no space."""
    return line.lower().startswith(("http://", "https://")) and " " not in line


@dataclass
class _Pending:
    """An item whose lines are still being read."""

    line: int
    date_text: str
    day: date | None  # None for a date line that is not a valid date
    lines: list[tuple[int, str]] = field(default_factory=list)


def parse(lines: list[str]) -> tuple[list[RawItem], list[Problem]]:
    """Split the listing's lines into raw items, reporting what does not fit.

    Never raises: whatever the text, the answer is items and problems.
    """
    items: list[RawItem] = []
    problems: list[Problem] = []
    pending: _Pending | None = None
    preamble_reported = False

    def finish(item: _Pending | None) -> None:
        if item is None or item.day is None:
            return  # nothing read yet, or an invalid date line (already reported)
        if not item.lines:
            problems.append(error(item.line, f"item dated {excerpt(item.date_text)} has no title"))
            return
        (title_line, title), *rest = item.lines
        story_url = None
        if rest and is_url_line(rest[0][1]):
            url_line, url = rest.pop(0)
            url = as_uri(url)
            problem = http_url_problem(url)
            if problem is None:
                story_url = url
            else:
                problems.append(error(url_line, f"the story URL {excerpt(url)} {problem}"))
        items.append(
            RawItem(
                line=item.line,
                day=item.day,
                date_text=item.date_text,
                title=title,
                title_line=title_line,
                story_url=story_url,
                paragraphs=tuple(rest),
            )
        )

    for number, raw in enumerate(lines, start=1):
        text = fold_space(raw)
        if not text:
            continue
        parsed = parse_date_line(text)
        if parsed is None:
            if pending is not None:
                pending.lines.append((number, text))
            elif not preamble_reported:
                problems.append(warning(number, "text before the first dated item is ignored"))
                preamble_reported = True
            continue
        finish(pending)
        if isinstance(parsed, InvalidDate):
            problems.append(
                error(
                    number,
                    f"{excerpt(text)} looks like a date but is not one ({parsed.reason}); "
                    "nothing is published until it is fixed",
                )
            )
            # The lines up to the next date belong to this broken item, never to the previous one.
            pending = _Pending(number, text, None)
        else:
            pending = _Pending(number, text, parsed)
    finish(pending)

    if not items and not any(p.level is Level.ERROR for p in problems):
        if not any(fold_space(line) for line in lines):
            problems.append(error(None, "the listing is empty"))
        else:
            problems.append(
                error(
                    None,
                    "no items found: each item must start with a date line such as "
                    "'20 January 2022' (is this the listing page?)",
                )
            )
    return items, problems


def format_listing(items: Iterable[tuple[str, str, str | None, Sequence[str]]]) -> str:
    """Items given as (date line, title, story URL, paragraphs) in the listing format."""
    blocks = []
    for date_line, title, story_url, paragraphs in items:
        head = [date_line, title] + ([story_url] if story_url else [])
        blocks.append("\n".join(head) + "".join(f"\n\n{p}" for p in paragraphs))
    return "\n\n".join(blocks) + "\n" if blocks else ""
