"""From the HTML of the listing page to its stories, in the listing's text format.

The page is read into lines (`pagetext`), its records found by its
repeating structure (`records`), and each record read into a story:

- **the date**: its date line (a `<time datetime>` gives the day);
- **the title**: the record's heading (the highest in rank), else its most
  prominent link (bold, then plain), else its bold text, else its first line;
- **the story URL**: the title's link, else the "read more" link, resolved
  against the page's URL;
- **the summary**: the lines after the title, one paragraph per block
  (`<p>`, `<div>`, a line between `<br>`s; where a record parts paragraphs
  with `<br><br>`, a single `<br>` only breaks a line). Left out: lines that
  are only links ("Share: Twitter Facebook", "Read more »"), "read more"
  links at a paragraph's end, bare URLs, captions, and what stands before
  the title (an image, a kicker).

A story shown twice (a featured hero, a most-read box) is taken once, and so
is a story the listing repeats. Each doubt is a warning with the page's line
(see `records`); a page whose records cannot be told apart is refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

from . import pagetext, records
from .listing import format_listing, is_url_line
from .model import Level, Problem, error, warning
from .pagetext import Line, Page, PageError, is_link_only
from .text import before_trailer_link, excerpt, is_more_link, short, words
from .urls import as_uri, http_url_problem

# At most this many warnings of one kind (dates outside the stories, titles in summaries), then a count.
_MAX_WARNINGS_OF_A_KIND = 5
# A title shorter than this (in words) proves nothing when another story's summary holds it.
_MIN_TITLE_WORDS = 4
# A title link may stand beside a badge or a label of this many words ("New", "Press release").
_MAX_BADGE_WORDS = 2


@dataclass(frozen=True)
class Extracted:
    """One story as the page shows it."""

    date_line: str
    title: str
    story_url: str | None
    paragraphs: tuple[str, ...]
    line: int = 0  # of its date in the page's HTML

    def key(self) -> tuple[str, str]:
        """What makes two records the same story: the date and the title's words."""
        return self.date_line, " ".join(words(self.title))


def _title_rank(line: Line) -> tuple[int, int] | None:
    """How prominent a line is as a title (lower is more); None when it cannot be one."""
    if line.date is not None or not line.has_words or line.caption or is_more_link(line.text):
        return None
    one_link = len(line.links) == 1 and line.links[0].text == line.text
    if line.heading:
        return 0, line.heading
    if one_link and line.strong:
        return 1, 0
    if one_link:
        return 2, 0
    if line.strong:
        return 3, 0
    if len(line.links) > 1 and is_link_only(line):
        return None  # "Share: Twitter Facebook" is nobody's title
    return 4, 0


def _url(href: str, page_url: str) -> str | None:
    try:
        url = as_uri(urljoin(page_url, href.strip()))
    except ValueError:  # an href no URL parser accepts ("http://[")
        return None
    # A link back to the listing itself ("#", "#top") is no story's page.
    if http_url_problem(url) is not None or urldefrag(url).url == urldefrag(page_url).url:
        return None
    return url


def _paragraphs(lines: list[Line], own: frozenset[str]) -> tuple[str, ...]:
    """The summary's paragraphs from its lines; see the module docstring."""
    dropped = [is_link_only(line, own) or is_url_line(line.text) for line in lines]
    # A heading over nothing but dropped lines ("Related", "Tags", "Share this") goes with them.
    for i in reversed(range(len(lines))):
        if lines[i].heading and all(dropped[i + 1 : _next_heading(lines, i)]):
            dropped[i] = True
    blank_lines = any(line.breaks >= 2 for line in lines)
    paragraphs: list[str] = []
    for line, drop in zip(lines, dropped, strict=True):
        if drop:
            if paragraphs and is_more_link(line.text):  # "profit....<br><a>more</a>": the dots lead to the link
                paragraphs[-1] = before_trailer_link(paragraphs[-1])
            continue
        text = line.text
        last = line.links[-1] if line.links else None
        if last is not None and is_more_link(last.text) and text.endswith(last.text):
            text = before_trailer_link(text[: -len(last.text)])
        if not text:
            continue
        if blank_lines and line.breaks == 1 and paragraphs:
            paragraphs[-1] = f"{paragraphs[-1]} {text}"
        else:
            paragraphs.append(text)
    return tuple(paragraphs)


def _next_heading(lines: list[Line], index: int) -> int:
    return next((j for j in range(index + 1, len(lines)) if lines[j].heading), len(lines))


def _title_link(line: Line) -> tuple[str, str] | None:
    """The title's own link and its text: the link the title line is, or the one it holds beside a badge."""
    for link in line.links:
        extra = line.text.replace(link.text, " ", 1)
        if link.text == line.text or (len(link.text) > len(extra) and len(extra.split()) <= _MAX_BADGE_WORDS):
            return link.href, link.text
    return None


def _story(
    record: records.Record, page: Page, page_url: str, problems: list[Problem], second_dates: list[Problem]
) -> Extracted | None:
    lines = [page.lines[i] for i in record.indices()]
    first = page.lines[record.dates[0]]
    # The title comes before the summary's text: a bold link or a heading after a sentence is the summary's.
    text_at = next(
        (i for i, line in enumerate(lines) if _title_rank(line) == (4, 0) and len(line.text) > 80), len(lines)
    )
    ranked = [(i > text_at, rank, i) for i, line in enumerate(lines) if (rank := _title_rank(line)) is not None]
    if not ranked:
        problems.append(warning(first.sourceline, f"the story dated {excerpt(first.date_text)} has no title; left out"))
        return None
    *_, at = min(ranked)
    title_line = lines[at]
    title, links = title_line.text, []
    found = _title_link(title_line)
    if found is not None:
        href, title = found
        links.append(href)
    links += [link.href for line in lines for link in line.links if is_more_link(link.text)]
    own = frozenset(links)
    story_url = next((url for href in links if (url := _url(href, page_url)) is not None), None)
    summary = [
        line
        for line in lines[at + 1 :]
        if line.date is None and line.has_words and not line.caption and not records.is_period(line)
    ]
    for index in record.dates[1:]:
        other = page.lines[index]
        before = next((line for line in reversed(page.lines[:index]) if line.has_words and line.date is None), None)
        in_a_box = before is not None and before in lines and is_link_only(before, own)
        # A related story's date in a box of links is its own; "Last updated: 3 March 2022" says what it is.
        if other.date != first.date and not in_a_box and not other.updated:
            second_dates.append(
                warning(
                    other.sourceline,
                    f"a story with two dates, {excerpt(first.date_text)} (line {first.sourceline}) and "
                    f"{excerpt(other.date_text)}: the first is its date",
                )
            )
    return Extracted(first.date_text, title, story_url, _paragraphs(summary, own), first.sourceline)


def _title_near(page: Page, span: tuple[int, int]) -> str | None:
    first, last = span
    ranked = [(rank, i) for i in range(first, min(last, first + 50) + 1) if (rank := _title_rank(page.lines[i]))]
    return page.lines[min(ranked)[1]].text if ranked else None


def _cut_short(short: list[str], title: list[str]) -> bool:
    """True when the words `short` start `title`, the last perhaps cut inside a word ("The Key to Convi…")."""
    if not short or len(short) > len(title):
        return False
    return short[:-1] == title[: len(short) - 1] and title[len(short) - 1].startswith(short[-1])


def _is_repeat(day: str, title: str | None, listed: dict[str, list[list[str]]]) -> bool:
    """True when (day, title) is a listed story's, the title perhaps cut short ("Securing Evidence: The…")."""
    if title is None:
        return False
    title_words = words(title.rstrip(".\u2026 "))
    return any(_cut_short(title_words, shown) for shown in listed.get(day, ()))


def _outside(found: records.Found, page: Page, stories: list[Extracted], problems: list[Problem]) -> None:
    """Warn of each date outside the stories, unless it is a listed story shown again."""
    listed: dict[str, list[list[str]]] = defaultdict(list)
    for story in stories:
        listed[story.date_line].append(words(story.title))
    doubtful = []
    for index, span in found.outside:
        line = page.lines[index]
        if not _is_repeat(line.date_text, _title_near(page, span), listed):
            doubtful.append(line)
    for line in doubtful[:_MAX_WARNINGS_OF_A_KIND]:
        problems.append(
            warning(line.sourceline, f"a date outside the listing's stories, {excerpt(line.date_text)}, is ignored")
        )
    if len(doubtful) > _MAX_WARNINGS_OF_A_KIND:
        more = len(doubtful) - _MAX_WARNINGS_OF_A_KIND
        problems.append(warning(doubtful[-1].sourceline, f"and {more} more dates outside the listing's stories"))


def _titles_in_summaries(stories: list[Extracted], problems: list[Problem]) -> None:
    """Warn when a story's summary holds another story's title: a neighbour's text, or the page's, got in.

    Titles are indexed by their first words, so the check is linear in the page; each pair is said once.
    """
    index: dict[tuple[str, ...], list[tuple[list[str], int]]] = defaultdict(list)
    for number, story in enumerate(stories):
        title = words(story.title)
        if len(title) >= _MIN_TITLE_WORDS:
            index[tuple(title[:_MIN_TITLE_WORDS])].append((title, number))
    found: list[tuple[int, int]] = []
    for number, story in enumerate(stories):
        text = words(" ".join(story.paragraphs))
        holds: set[int] = set()
        for start in range(len(text) - _MIN_TITLE_WORDS + 1):
            for title, other in index.get(tuple(text[start : start + _MIN_TITLE_WORDS]), ()):
                if other != number and other not in holds and text[start : start + len(title)] == title:
                    holds.add(other)
                    found.append((number, other))
    for number, other in found[:_MAX_WARNINGS_OF_A_KIND]:
        story, shown = stories[number], stories[other]
        problems.append(
            warning(
                story.line,
                f"the summary of {short(story.title)} holds the title of {short(shown.title)} "
                f"(line {shown.line}): is another story's text in it?",
            )
        )
    if len(found) > _MAX_WARNINGS_OF_A_KIND:
        problems.append(warning(None, f"and {len(found) - _MAX_WARNINGS_OF_A_KIND} more summaries holding a title"))


def extract(html: str, page_url: str) -> tuple[list[Extracted], list[Problem]]:
    """The stories of the listing page `html`, fetched from `page_url`, in page order; and every doubt.

    Problems carry the line of the page's HTML. An error means the page
    cannot be read with confidence: no story is given then.
    """
    try:
        page = pagetext.read(html)
    except PageError as exc:
        return [], [error(None, str(exc))]
    found = records.find(page)
    problems = list(found.problems)
    if any(p.level is Level.ERROR for p in problems):
        return [], problems
    stories: list[Extracted] = []
    second_dates: list[Problem] = []
    on_day: dict[str, list[int]] = defaultdict(list)  # per date line, the stories so far
    for record in found.records:
        story = _story(record, page, page_url, problems, second_dates)
        if story is None:
            continue
        title = words(story.title.rstrip(".\u2026 "))
        seen = next(
            (n for n in on_day[story.date_line] if _cut_short(title, words(stories[n].title.rstrip(".\u2026 ")))
             or _cut_short(words(stories[n].title.rstrip(".\u2026 ")), title)),
            None,
        )  # fmt: skip
        if seen is None:
            on_day[story.date_line].append(len(stories))
            stories.append(story)
        elif (len(story.title), sum(map(len, story.paragraphs))) > (
            len(stories[seen].title),
            sum(map(len, stories[seen].paragraphs)),
        ):
            stories[seen] = story  # a story shown twice (its title perhaps cut short) is taken once, whole
    problems += second_dates[:_MAX_WARNINGS_OF_A_KIND]
    if len(second_dates) > _MAX_WARNINGS_OF_A_KIND:
        more = len(second_dates) - _MAX_WARNINGS_OF_A_KIND
        problems.append(warning(second_dates[-1].line, f"and {more} more stories with two dates"))
    _outside(found, page, stories, problems)
    _titles_in_summaries(stories, problems)
    if page.invisible:
        codes = ", ".join(sorted({f"U+{ord(c):04X}" for _, c in page.invisible}))
        count = len(page.invisible)
        problems.append(
            warning(
                page.invisible[0][0],
                f"removed {count} invisible {'character' if count == 1 else 'characters'} ({codes}) from the "
                "page's text, the first here",
            )
        )
    for line, machine, shown in page.mismatched_times:
        problems.append(
            warning(line, f"a <time> gives {machine} but shows {excerpt(shown)}; the story is dated {machine}")
        )
    return stories, problems


def to_listing(items: list[Extracted]) -> str:
    """The stories in the listing's text format (see `listing.py`)."""
    return format_listing((item.date_line, item.title, item.story_url, item.paragraphs) for item in items)
