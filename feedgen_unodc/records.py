"""A listing's records: the page's repeating structure, found without its class names.

Every date on the page has a *record root*: the highest element around it
that holds no other date. On a listing, the roots of the stories' dates are
siblings of one shape (blocks, list items, table rows, articles, `dt` or
`dd`), in one container or in several alike (a list per month). Roots are
grouped by where they stand (the tag path of their container) and by their
own tag; the largest group is the listing. What lies outside its records is
never part of a story: a pager or a "more news" box after the last story, a
featured hero, a most-read box, a sidebar, a footer.

A group's records are *wrapped* when each root holds a whole story (the date,
the title, the summary: `<article>`, `<li>`, `<tr>`), *flat* when the root
holds the date only and the story's other parts follow it as siblings
(`<dt>date</dt><dd>story</dd>`, `<h3>date</h3><h4>title</h4><p>summary</p>`).
A flat record runs to the next root; when every root comes right after a
title (`<h3>title</h3><p>date</p>`), the record starts at the title; the
last record takes only parts of the kinds the others have, and no more of
them than the longest.

Doubt is reported, never settled silently: a date outside every record (but
a repeat of a listed story, as a hero or a most-read box shows it), a record
with two dates, blocks of the records' tag but another shape, a block of
the records' shape without a date. When two different groups are equally
large, or no group holds two records, the page is refused.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Problem, error, warning
from .pagetext import Element, Line, Page, tag_of
from .text import is_more_link

# Shapes closer than this (Jaccard similarity of the tags they hold) are one shape.
_SAME_SHAPE = 0.5
_TEXT = "#text"  # the "tag" of text standing directly in a container
_Part = tuple[int, int, str]  # (first line, last line, tag) of a container's child, or of a line of its own


@dataclass(frozen=True, slots=True)
class Record:
    """One story's lines on the page, and the date lines among them (indices into `Page.lines`)."""

    first: int
    last: int
    dates: tuple[int, ...]
    only: tuple[int, ...] | None = None  # the lines it holds, when not all from `first` to `last`

    def indices(self) -> range | tuple[int, ...]:
        return range(self.first, self.last + 1) if self.only is None else self.only


@dataclass(frozen=True, slots=True)
class _Root:
    line: int  # its date line
    element: Element | None  # None for a date line standing as text directly in its container
    container: Element
    first: int
    last: int

    @property
    def tag(self) -> str:
        return _TEXT if self.element is None else tag_of(self.element)


@dataclass(frozen=True, slots=True)
class Found:
    """The records of a page, and the date lines of the page outside them."""

    records: list[Record]
    outside: list[tuple[int, tuple[int, int]]]  # date lines in no record, with the lines of their roots
    problems: list[Problem]


class _Tree:
    """Counts over the page's tree, each answered in constant time."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dates_before = [0]
        self.words_before = [0]
        self.chars_before = [0]
        for line in page.lines:
            text = line.date is None and line.has_words
            self.dates_before.append(self.dates_before[-1] + (line.date is not None))
            self.words_before.append(self.words_before[-1] + text)
            self.chars_before.append(self.chars_before[-1] + (len(line.text) if text else 0))
        self.path: dict[Element, int] = {}  # the tag path from the root, as a number
        paths: dict[tuple[int, str], int] = {}
        for element in page.span:  # in document order: parents first
            parent = element.getparent()
            above = -1 if parent is None else self.path.get(parent, -1)
            self.path[element] = paths.setdefault((above, tag_of(element)), len(paths))

    def dates(self, first: int, last: int) -> int:
        return self.dates_before[last + 1] - self.dates_before[first]

    def words(self, first: int, last: int) -> int:
        """How many lines of words there are from `first` to `last`, dates aside."""
        return self.words_before[last + 1] - self.words_before[first] if last >= first else 0

    def chars(self, first: int, last: int) -> int:
        """How many characters of text there are from `first` to `last`, dates aside."""
        return self.chars_before[last + 1] - self.chars_before[first] if last >= first else 0

    def dates_in(self, element: Element) -> int:
        first, last = self.page.span[element]
        return self.dates(first, last)


def _roots(page: Page, tree: _Tree) -> tuple[list[_Root], list[int]]:
    """Each date's record root; and the dates whose root is the whole page (a page of one date)."""
    roots: list[_Root] = []
    alone: list[int] = []
    for index, line in enumerate(page.lines):
        if line.date is None:
            continue
        element: Element | None = page.holder[index]
        assert element is not None
        if element not in page.date_elements and tree.dates_in(element) > 1:
            # A date line standing as text among others in its element: the line is its own root.
            roots.append(_Root(index, None, element, index, index))
            continue
        while True:  # up while the parent holds this date only: linear, as each element is climbed once
            parent = element.getparent()
            if parent is None or parent not in page.span:
                break
            if tree.dates_in(parent) > 1:
                break
            element = parent
        parent = element.getparent()
        if parent is None or parent not in page.span:
            alone.append(index)
            continue
        first, last = page.span[element]
        roots.append(_Root(index, element, parent, first, last))
    return roots, alone


def _parts(page: Page, container: Element) -> list[_Part]:
    """The container's parts in order: its children with text, and its own lines of text, as (first, last, tag)."""
    parts = [(*page.span[child], tag_of(child)) for child in container if child in page.span]
    first, last = page.span[container]
    covered = {i for start, end, _ in parts for i in range(start, end + 1)}
    parts += [(i, i, _TEXT) for i in range(first, last + 1) if i not in covered]
    return sorted(parts)


def _shape(element: Element | None) -> frozenset[str]:
    if element is None:
        return frozenset()
    return frozenset(tag_of(e) for e in element.iterdescendants() if tag_of(e))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a and not b:
        return True
    return len(a & b) / len(a | b) >= _SAME_SHAPE


def _typical(shapes: Iterable[frozenset[str]]) -> frozenset[str]:
    """The tags that at least half of the shapes hold."""
    shapes = list(shapes)
    counts = Counter(tag for shape in shapes for tag in shape)
    return frozenset(tag for tag, n in counts.items() if 2 * n >= len(shapes))


def _is_link_line(line: Line) -> bool:
    """A line whose words are all in links: a pager, a list of links, "Read more »"."""
    return bool(line.links) and len(" ".join(link.text for link in line.links)) >= len(line.text) - 3


def _is_title_line(line: Line) -> bool:
    """A heading, a bold line, or a line that is one link: what a title looks like."""
    one_link = len(line.links) == 1 and line.links[0].text == line.text
    return bool(line.heading or line.strong or one_link) and not is_more_link(line.text)


def _is_title_part(lines: list[Line]) -> bool:
    """A part that is a title and nothing else."""
    words = [line for line in lines if line.has_words]
    return len(words) == 1 and words[0].date is None and _is_title_line(words[0])


class _Group:
    """Roots that stand alike: in containers at one tag path."""

    def __init__(self, roots: list[_Root]) -> None:
        self.roots = roots
        self.by_container: dict[Element, list[_Root]] = defaultdict(list)
        for root in roots:
            self.by_container[root.container].append(root)


def _group(roots: list[_Root], tree: _Tree) -> list[_Group]:
    grouped: dict[int, list[_Root]] = defaultdict(list)
    for root in roots:
        grouped[tree.path[root.container]].append(root)
    return sorted((_Group(members) for members in grouped.values()), key=lambda g: -len(g.roots))


def _weight(group: _Group, tree: _Tree) -> int:
    """The characters of text in the group's roots and in the undated siblings that follow each root.

    A listing's records hold titles and summaries; a box of dated links, a
    calendar or a pager hold a line each. Siblings count up to the next root
    or the next element with a date of its own, which is another structure's.
    """
    page = tree.page
    elements = {root.element for root in group.roots}
    total = 0
    for container, members in group.by_container.items():
        _, end = page.span[container]
        for root, after in zip(members, [*members[1:], None], strict=True):
            if root.element is None:  # text standing in its container: up to the next root
                total += tree.chars(root.first, end if after is None else after.first - 1)
                continue
            total += tree.chars(root.first, root.last)
            for sibling in root.element.itersiblings():
                if sibling in elements:
                    break
                if sibling in page.span:
                    first, last = page.span[sibling]
                    if tree.dates(first, last):
                        break
                    total += tree.chars(first, last)
    return total


def _is_flat(group: _Group, page: Page, tree: _Tree) -> bool:
    """True when the roots do not hold whole stories, their other parts standing between them.

    A root holds a whole story when it has a title and text besides. Roots
    with a title only hold the story when nothing stands between them
    (a list of dated links); roots without a title never do.
    """
    titled = whole = 0
    for root in group.roots:
        lines = [line for line in page.lines[root.first : root.last + 1] if line.has_words and line.date is None]
        if any(_is_title_line(line) for line in lines):
            titled += 1
            whole += len(lines) >= 2
    if 2 * whole >= len(group.roots):
        return False
    if 2 * titled < len(group.roots):
        return True
    gaps = gaps_with_words = 0
    for members in group.by_container.values():
        for before, after in itertools.pairwise(members):
            gaps += 1
            gaps_with_words += tree.words(before.last + 1, after.first - 1) > 0
    return gaps > 0 and 2 * gaps_with_words >= gaps


def _second_dates_only(group: _Group, tree: _Tree) -> bool:
    """True when each container holds two roots and the second has nothing after it but dates: one story's two dates."""
    containers = group.by_container
    if len(containers) < 2 or any(len(members) != 2 for members in containers.values()):
        return False
    for container, (_, second) in containers.items():
        _, end = tree.page.span[container]
        if tree.words(second.first, end) > 0:
            return False
    parents = {container.getparent() for container in containers}
    return len(parents) == 1


def _wrapped_records(
    group: _Group, page: Page, tree: _Tree, problems: list[Problem]
) -> tuple[list[Record], list[_Root]]:
    """Each root a record, when its shape is the records' shape; a block of the records' tag and shape
    with two dates is one record too (a story with two dates). Roots of another shape are left out, loudly.
    """
    shapes = {id(root): _shape(root.element) for root in group.roots}
    typical = _typical(shapes.values())
    records, left_out = [], []
    for root in group.roots:
        if _similar(shapes[id(root)], typical):
            records.append(Record(root.first, root.last, (root.line,)))
        else:
            left_out.append(root)
    if len(left_out) == 1:
        (odd,) = left_out
        problems.append(
            warning(
                page.lines[odd.line].sourceline,
                f"a dated <{odd.tag}> unlike the stories' records ({page.lines[odd.line].date_text!r}) "
                "is not read as a story",
            )
        )
    elif left_out:
        problems.append(
            warning(
                page.lines[left_out[0].line].sourceline,
                f"records of mixed shapes: {len(left_out)} dated <{left_out[0].tag}> blocks unlike the other "
                f"{len(records)} are not read as stories",
            )
        )
    tag = Counter(root.tag for root in group.roots).most_common(1)[0][0]
    roots = {root.element for root in group.roots}
    for container in group.by_container:
        for child in container:
            if child in roots or tag_of(child) != tag or child not in page.span:
                continue
            first, last = page.span[child]
            if tree.dates(first, last) >= 2 and _similar(_shape(child), typical):
                dates = tuple(i for i in range(first, last + 1) if page.lines[i].date is not None)
                records.append(Record(first, last, dates))
    records.sort(key=lambda r: r.first)
    return records, left_out


def _flat_records(group: _Group, page: Page) -> list[Record]:
    """Runs of the containers' parts, each from a root (or the title before it) to the next root.

    Only the roots of the group's own tag start records, and a record takes
    only parts of the kinds the records share: a dated box of another shape
    between two stories, or after the last, stays out.
    """
    tag = Counter(root.tag for root in group.roots).most_common(1)[0][0]
    parts_of = {container: _parts(page, container) for container in group.by_container}
    starts: dict[Element, list[int]] = {}  # per container: the index in its parts where each record starts
    title_first = True
    for container, members in group.by_container.items():
        parts = parts_of[container]
        index_of = {first: i for i, (first, _, kind) in enumerate(parts) if kind == tag}
        indices = [index_of[root.first] for root in members if root.tag == tag and root.first in index_of]
        starts[container] = indices
        previous = -1
        for i in indices:
            before = parts[i - 1] if i - 1 > previous else None
            if before is None or not _is_title_part(page.lines[before[0] : before[1] + 1]):
                title_first = False
            previous = i
    if title_first:  # every date comes right after its title: the records start at the titles
        starts = {container: [i - 1 for i in indices] for container, indices in starts.items()}
    runs = {
        container: [
            [parts_of[container][j] for j in range(a, b)]
            for a, b in zip(indices, [*indices[1:], len(parts_of[container])], strict=True)
        ]
        for container, indices in starts.items()
        if indices
    }
    # The kinds of part the records share: those that at least two of the (non-last) records hold after their start.
    inner = [run for container_runs in runs.values() for run in container_runs[:-1]]
    counts = Counter(kind for run in inner for kind in {part[2] for part in run[1:]})
    kinds = {kind for kind, n in counts.items() if n >= 2 or len(inner) < 2}
    records: list[Record] = []
    for container_runs in runs.values():
        for number, run in enumerate(container_runs, start=1):
            kept = [run[0]] + [part for part in run[1:] if part[2] in kinds]
            if number == len(container_runs):
                kept = _cut_last(kept, page, title_first)
            lines = sorted({i for first, last, _ in kept for i in range(first, last + 1)})
            dates = tuple(i for i in lines if page.lines[i].date is not None)
            records.append(Record(lines[0], lines[-1], dates, tuple(lines)))
    records.sort(key=lambda r: r.first)
    return records


def _cut_last(run: list[_Part], page: Page, title_first: bool) -> list[_Part]:
    """The last record of a container, which nothing but the container ends.

    Parts of other kinds than the records' are already left out (a box, a
    pager in its own element); this ends the record at a heading once it has
    its title, and at a part of links only once it has its title and text.
    """
    kept = run[:1]
    titled = title_first
    text = False
    for part in run[1:]:
        first, last, _ = part
        lines = [line for line in page.lines[first : last + 1] if line.has_words and line.date is None]
        heading = any(line.heading for line in lines)
        links_only = bool(lines) and all(_is_link_line(line) for line in lines)
        if titled and (heading or (links_only and text)):
            break
        if not titled and (heading or _is_title_part(lines)):
            titled = True
        elif titled and lines:
            text = True
        kept.append(part)
    return kept


def _undated_lookalikes(group: _Group, records: list[Record], page: Page, problems: list[Problem]) -> None:
    """Warn of blocks that stand and look like the records but have no date: a story the page forgot to date."""
    tag = Counter(root.tag for root in group.roots).most_common(1)[0][0]
    if tag == _TEXT:
        return
    typical = _typical(_shape(root.element) for root in group.roots)
    roots = {root.element for root in group.roots}
    for container in group.by_container:
        for child in container:
            if child in roots or tag_of(child) != tag or child not in page.span:
                continue
            first, last = page.span[child]
            lines = page.lines[first : last + 1]
            if any(line.date is not None for line in lines) or not any(line.heading for line in lines):
                continue
            if _similar(_shape(child), typical) and sum(line.has_words for line in lines) >= 2:
                problems.append(
                    warning(child.sourceline, f"a <{tag}> shaped like the stories has no date; it is left out")
                )


def find(page: Page) -> Found:
    """The listing's records on `page`; see the module docstring."""
    tree = _Tree(page)
    roots, alone = _roots(page, tree)
    problems: list[Problem] = []
    if not roots:
        if alone:
            problems.append(
                error(
                    page.lines[alone[0]].sourceline,
                    "the page has one dated block only: its story cannot be told apart from the page around it",
                )
            )
        return Found([], [(i, (i, i)) for i in alone], problems)
    groups = _group(roots, tree)
    listings = [group for group in groups if len(group.roots) >= 2]
    if not listings:
        problems.append(
            error(
                page.lines[roots[0].line].sourceline,
                "no two dated blocks of the page stand alike: its stories cannot be told apart from the page "
                "around them",
            )
        )
        return Found([], [], problems)
    # The listing is the group with the most text; one with half as much or more makes it a guess.
    listings.sort(key=lambda g: -_weight(g, tree))
    main = listings[0]
    if len(listings) > 1 and 2 * _weight(listings[1], tree) >= _weight(main, tree):
        other = listings[1]
        problems.append(
            error(
                page.lines[main.roots[0].line].sourceline,
                f"two sets of dated blocks alike, {len(main.roots)} from line "
                f"{page.lines[main.roots[0].line].sourceline} and {len(other.roots)} from line "
                f"{page.lines[other.roots[0].line].sourceline}, hold about as much text: "
                "cannot tell which is the listing",
            )
        )
        return Found([], [], problems)
    left_out: list[_Root] = []
    if _is_flat(main, page, tree):
        if _second_dates_only(main, tree):
            records = [
                Record(*page.span[container], tuple(root.line for root in members))
                for container, members in main.by_container.items()
            ]
        else:
            records = _flat_records(main, page)
    else:
        records, left_out = _wrapped_records(main, page, tree, problems)
        _undated_lookalikes(main, records, page, problems)
    inside = {line for record in records for line in record.dates} | {root.line for root in left_out}
    outside = [(root.line, (root.first, root.last)) for group in groups for root in group.roots]
    outside += [(i, (i, i)) for i in alone]
    return Found(records, sorted(o for o in outside if o[0] not in inside), problems)
