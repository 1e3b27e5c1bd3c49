"""A listing's records: the page's repeating structure, found without its class names.

Every date on the page has a *record root*: the highest element around it
that holds no other date (dates standing together with no words between
them, a published and an updated `<time>`, count as one). On a listing the
stories' roots are siblings of one shape (blocks, list items, table rows,
articles, `dt` or `dd`), in one container or in several alike (a list per
month, a row of cards). Roots are grouped by the tag path of their
container; the group holding the most text is the listing, less its
containers of another shape (a sidebar list standing as deep as the
listing), plus the lone stories standing where its records stand (the last
row of a grid, a month of one story). What lies outside its records is never
part of a story: a pager or a "more news" box after the last story, a
featured hero, a most-read box, a sidebar, a footer.

A group's records are *wrapped* when each root holds a whole story (the date,
the title, the summary: `<article>`, `<li>`, `<tr>`), *flat* when the root
holds the date (and perhaps the title) and the story's other parts follow it
as siblings (`<dt>date</dt><dd>story</dd>`, `<h3>date</h3><h4>title</h4>
<p>summary</p>`). A flat record runs to the next root; when the dates come
right after their titles (`<h3>title</h3><p>date</p>`), the records start at
the titles; a record ends at a heading once it has its title and text (a
month's heading), and the last one takes only parts of the kinds the others
hold, and no more of them than the longest other. When each record is an
element holding two dates apart (a story and, inside it, a dated box), the
elements are the records.

Doubt is reported, never settled silently: a date outside every record (but
a repeat of a listed story, as a hero or a most-read box shows it), blocks
of the records' tag but another shape, a block of the records' shape without
a date. When two different groups hold about as much text, or no group holds
two records, the page is refused.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Problem, error, warning
from .pagetext import Element, Line, Page, is_inline, is_link_only, tag_of
from .text import excerpt, is_more_link, is_pager, strip_trailer

# Shapes closer than this (Jaccard similarity of the tags they hold) are one shape.
_SAME_SHAPE = 0.5
# A flat record starts at the title before its date when at least this share of the dates come after one.
_TITLE_FIRST = 2 / 3
# A line of at most this many words that ends no sentence is a label, not a summary's paragraph.
_LABEL_WORDS = 4
_SENTENCE_ENDS = (".", "!", "?", "\u2026", '"', "\u201d", "'", ")", "]")
# A title form held by this share of the records is theirs: a dated block with another is none of them.
_USUAL = 2 / 3
# A container whose records hold on average this many times less text holds something else (events).
_LIGHTER = 4
# The most roots an element may hold and still be one story (a story and the dated boxes inside it).
_MAX_DATES_PER_STORY = 3
_TEXT = "#text"  # the kind of text standing directly in a container, and of its inline elements
# Parts a flat record may always hold, whatever the other records hold.
_ALWAYS = frozenset({_TEXT, "p"})
# A heading that names a period ("December 2021", "2021"): it groups stories, it is none of them.
_PERIOD = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+)?(?:19|20)\d\d", re.IGNORECASE
)

Part = tuple[int, int, str]  # (first line, last line, kind) of a container's child, or of a line of its own


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
    line: int  # its (first) date line
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


def is_period(line: Line) -> bool:
    """A line naming a month or a year, as the headings of a listing grouped by month do."""
    return bool(_PERIOD.fullmatch(line.text))


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
        return self.dates(*self.page.span[element])

    def words_in(self, element: Element) -> int:
        return self.words(*self.page.span[element])


def _parent(page: Page, element: Element) -> Element | None:
    parent = element.getparent()
    return parent if parent is not None and parent in page.span else None


def _date_runs(page: Page, tree: _Tree) -> list[list[int]]:
    """The date lines, those that stand together as one run: siblings with no words between them.

    "Posted on 18 December 2021" and "Updated on 1 February 2022" in two
    paragraphs side by side are one story's dates, not two stories.
    """
    runs: list[list[int]] = []
    for index, line in enumerate(page.lines):
        if line.date is None:
            continue
        if runs and len(runs[-1]) < _MAX_DATES_PER_STORY:
            previous = runs[-1][-1]
            parent = page.holder[index].getparent()
            together = tree.words(previous + 1, index - 1) == 0 and page.holder[previous].getparent() is parent
            # Only where they are all the dates of their parent: in a flat listing, a page's "Updated:
            # 3 March 2022" beside the first story's date is no date of that story.
            if together and parent is not None and parent in page.span and tree.dates_in(parent) == len(runs[-1]) + 1:
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


def _roots(page: Page, tree: _Tree) -> tuple[list[_Root], list[int]]:
    """Each date's record root, once per root; and the dates whose root is the whole page."""
    roots: list[_Root] = []
    alone: list[int] = []
    seen: set[Element] = set()
    for run in _date_runs(page, tree):
        index = run[0]
        if roots and roots[-1].element is not None and roots[-1].first <= index <= roots[-1].last:
            continue  # inside the last root already: a second date of its story (published, then updated)
        element = page.holder[index]
        if element not in page.date_elements and tree.dates_in(element) > len(run):
            # A date line standing as text among others in its element: the line is its own root.
            roots.append(_Root(index, None, element, index, index))
            continue
        # Up through what holds dates only (<a><time>published</time><time>updated</time></a>), then
        # while the parent holds these dates only. Linear: each element is climbed for one root only.
        while (
            (parent := _parent(page, element)) is not None
            and tree.words_in(parent) == 0
            and tree.dates_in(parent) <= _MAX_DATES_PER_STORY
        ):
            element = parent
        dates = max(tree.dates_in(element), len(run))
        while (parent := _parent(page, element)) is not None and tree.dates_in(parent) == dates:
            element = parent
        if element in seen:
            continue
        seen.add(element)
        container = _parent(page, element)
        if container is None:
            alone.append(index)
            continue
        roots.append(_Root(index, element, container, *page.span[element]))
    return roots, alone


def _parts(page: Page, container: Element) -> list[Part]:
    """The container's parts in order: its block children, and its lines of text (inline elements included)."""
    parts: list[Part] = []
    covered: set[int] = set()
    rules = 0
    for child in container:
        if tag_of(child) == "hr":
            rules += 1  # a thematic break: placed before the next part, as an empty part
            continue
        if rules and child in page.span:
            parts += [(page.span[child][0], page.span[child][0] - 1, "hr")] * min(rules, 1)
            rules = 0
        if child in page.span and tag_of(child) != "br":
            first, last = page.span[child]
            kind = _TEXT if child not in page.date_elements and is_inline(child) else tag_of(child)
            if kind != _TEXT:
                parts.append((first, last, kind))
                covered.update(range(first, last + 1))
    first, last = page.span[container]
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


def _is_title_line(line: Line) -> bool:
    """A heading, a bold line, or a line that is one link: what a title looks like."""
    one_link = len(line.links) == 1 and line.links[0].text == line.text
    return bool(line.heading or line.strong or one_link) and not is_more_link(line.text) and not is_period(line)


def _words_of(page: Page, part: Part) -> list[Line]:
    first, last, _ = part
    return [line for line in page.lines[first : last + 1] if line.has_words and line.date is None]


def _is_title_part(lines: list[Line]) -> bool:
    """A part that is a title and nothing else."""
    return len(lines) == 1 and _is_title_line(lines[0])


class _Group:
    """Roots that stand alike: in containers at one tag path."""

    def __init__(self, roots: list[_Root]) -> None:
        self.roots = sorted(roots, key=lambda r: r.first)
        self.by_container: dict[Element, list[_Root]] = defaultdict(list)
        for root in self.roots:
            self.by_container[root.container].append(root)


def _group(roots: list[_Root], tree: _Tree) -> list[_Group]:
    grouped: dict[int, list[_Root]] = defaultdict(list)
    for root in roots:
        grouped[tree.path[root.container]].append(root)
    return [_Group(members) for members in grouped.values()]


def _weight(roots: list[_Root], tree: _Tree) -> int:
    """The characters of text in the roots and in the undated siblings that follow each of them.

    A listing's records hold titles and summaries; a box of dated links, a
    calendar or a pager hold a line each. Siblings count up to the next root
    or the next element with a date of its own, which is another structure's.
    """
    page = tree.page
    elements = {root.element for root in roots}
    by_container: dict[Element, list[_Root]] = defaultdict(list)
    for root in roots:
        by_container[root.container].append(root)
    total = 0
    for container, members in by_container.items():
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


def _boxed_in(inner: _Group, outer: _Group) -> bool:
    """True when each of `inner`'s containers stands inside another of `outer`'s containers, which are
    several: boxes of dated links inside the stories (related stories), not a listing."""
    containers = set(outer.by_container)
    if len(containers) < 2:
        return False
    holders = set()
    for container in inner.by_container:
        holder = next((a for a in container.iterancestors() if a in containers), None)
        if holder is None:
            return False
        holders.add(holder)
    return len(holders) == len(inner.by_container)


def _inside_records(inner: _Group, outer: _Group) -> bool:
    """True when each of `inner`'s containers is, or stands in, a block of the tag of `outer`'s roots beside
    them: a story with two dates in a list of stories with one ("Deadline: 31 January 2022" in its summary)."""
    tags = {root.tag for root in outer.roots}
    containers = set(outer.by_container)
    for container, members in inner.by_container.items():
        if len(members) > _MAX_DATES_PER_STORY:  # a story holds a few dates; this is a list of its own
            return False
        around = itertools.islice(itertools.chain([container], container.iterancestors()), 3)
        if not any(tag_of(e) in tags and e.getparent() in containers for e in around):
            return False
    return True


def _heading_before(page: Page, container: Element) -> str:
    """The heading a container stands under, unless it names a period; "" when another text comes first."""
    for element in itertools.islice(itertools.chain([container], container.iterancestors()), 3):
        sibling = element.getprevious()
        while sibling is not None and sibling not in page.span:
            sibling = sibling.getprevious()
        if sibling is not None:
            first, last = page.span[sibling]
            lines = [line for line in page.lines[first : last + 1] if line.has_words]
            if len(lines) == 1 and lines[0].heading and not is_period(lines[0]):
                return lines[0].text
            return ""
    return ""


def _titled_lists(group: _Group, page: Page) -> list[_Group]:
    """The group as the lists it holds: one when its containers stand under no headings of their own, or
    under periods (a list per month); one per heading when two or more do ("Latest news", "Press releases")."""
    headings = {container: _heading_before(page, container) for container in group.by_container}
    if len({heading for heading in headings.values() if heading}) < 2:
        return [group]
    by_heading: dict[str, list[_Root]] = defaultdict(list)
    for container, members in group.by_container.items():
        by_heading[headings[container]].extend(members)
    return [_Group(members) for members in by_heading.values()]


def _coherent(group: _Group, tree: _Tree) -> tuple[_Group, list[_Root]]:
    """The group less its containers whose roots differ from those of the heaviest container: in shape,
    or in holding far less text each.

    A sidebar's list of events can stand as deep in the page as the
    listing's list of stories: its items have another shape, or one-line texts.
    """
    if len(group.by_container) < 2:
        return group, []
    typical = {c: _typical(_shape(r.element) for r in members) for c, members in group.by_container.items()}
    mean = {c: _weight(members, tree) / len(members) for c, members in group.by_container.items()}
    anchor = max(group.by_container, key=lambda c: mean[c] * len(group.by_container[c]))
    kept = [
        root
        for c, members in group.by_container.items()
        if _similar(typical[c], typical[anchor]) and _LIGHTER * mean[c] >= mean[anchor]
        for root in members
    ]
    dropped = [root for root in group.roots if root not in kept]
    return (_Group(kept), dropped) if dropped else (group, [])


def _absorbed(group: _Group, others: list[_Root], page: Page, tree: _Tree) -> tuple[_Group, list[_Root]]:
    """The group with the lone stories that stand where its records stand: the last row of a grid, a month
    of one story. Their roots climbed past the element that is their record, for it held no other date."""
    paths = {tree.path[container] for container in group.by_container}
    tags = {root.tag for root in group.roots}
    absorbed, rest = [], []
    for root in others:
        found = None
        if root.element is not None:
            element = page.holder[root.line]
            while element is not root.element and (parent := _parent(page, element)) is not None:
                if tree.path.get(parent) in paths and tag_of(element) in tags:
                    found = _Root(root.line, element, parent, *page.span[element])
                    break
                element = parent
        if found is None:
            rest.append(root)
        else:
            absorbed.append(found)
    return (_Group(group.roots + absorbed), rest) if absorbed else (group, others)


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


def _promoted(group: _Group, page: Page, tree: _Tree) -> list[Record] | None:
    """The containers themselves as the records, when each is one story holding its dates apart.

    So it is when the containers stand alike as siblings, each holding at
    most a few roots, and either one root each, or no two of a container's
    roots of one tag (a story's date and a dated box inside it), or each
    later root followed by nothing but dates (a published and an updated
    date, apart), or by no title ("Deadline: 31 January 2022" in a summary).
    """
    containers = group.by_container
    parents = {container.getparent() for container in containers}
    if len(containers) < 2 or len(parents) != 1:
        return None
    if any(len(members) > _MAX_DATES_PER_STORY for members in containers.values()):
        return None
    apart = all(len({root.tag for root in members}) == len(members) for members in containers.values())
    dates_last = all(
        tree.words(members[-1].first, page.span[container][1]) == 0
        for container, members in containers.items()
        if len(members) > 1
    )
    alone = all(len(members) == 1 for members in containers.values())
    untitled = all(
        not any(_is_title_line(line) for line in page.lines[later.first : _next_first(members, n, page, container)])
        for container, members in containers.items()
        for n, later in enumerate(members[1:], start=1)
    )
    if not (apart or dates_last or alone or untitled):
        return None
    return [
        Record(
            *page.span[container], tuple(i for i in range(*_range(page, container)) if page.lines[i].date is not None)
        )
        for container in containers
    ]


def _next_first(members: list[_Root], n: int, page: Page, container: Element) -> int:
    """Where the run of the `n`th root of a container ends: at the next root, or at the container's end."""
    return members[n + 1].first if n + 1 < len(members) else page.span[container][1] + 1


def _range(page: Page, element: Element) -> tuple[int, int]:
    first, last = page.span[element]
    return first, last + 1


def _title_form(lines: list[Line]) -> tuple[bool, bool]:
    """What a record's title has: a heading, a link. A listing's records share theirs; a footer or a
    box beside them, with a heading and no link, or text and no heading, has less."""
    words = [line for line in lines if line.has_words and line.date is None and not line.caption]
    headings = [line for line in words if line.heading and not is_period(line)]
    if headings:
        return True, bool(min(headings, key=lambda line: line.heading).links)
    links = any(
        len(line.links) == 1 and line.links[0].text == line.text and not is_more_link(line.text) for line in words
    )
    return False, links


def _wrapped_records(
    group: _Group, page: Page, tree: _Tree, problems: list[Problem]
) -> tuple[list[Record], list[_Root]]:
    """Each root a record, when its shape is the records' shape; the others are left out, loudly.

    A block of the records' tag and shape holding two dates is one record
    too: a story with two dates.
    """
    shapes = {id(root): _shape(root.element) for root in group.roots}
    typical = _typical(shapes.values())
    forms = {id(root): _title_form(page.lines[root.first : root.last + 1]) for root in group.roots}
    form, count = Counter(forms.values()).most_common(1)[0]
    usual = form if count >= _USUAL * len(group.roots) else (False, False)  # the records' title: a linked <h3>
    records, left_out = [], []

    def weaker(form: tuple[bool, bool]) -> bool:
        """A title less than the records' (no link, no heading where they have one): a box's, a footer's."""
        return form[0] < usual[0] or form[1] < usual[1]

    for root in group.roots:
        if _similar(shapes[id(root)], typical) and not weaker(forms[id(root)]):
            records.append(Record(root.first, root.last, (root.line,)))
        else:
            left_out.append(root)
    if len(left_out) == 1:
        (odd,) = left_out
        problems.append(
            warning(
                page.lines[odd.line].sourceline,
                f"a dated <{odd.tag}> unlike the stories' records ({excerpt(page.lines[odd.line].date_text)}) "
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
            form = _title_form(page.lines[first : last + 1])
            if tree.dates(first, last) >= 2 and _similar(_shape(child), typical) and not weaker(form):
                dates = tuple(i for i in range(first, last + 1) if page.lines[i].date is not None)
                records.append(Record(first, last, dates))
    records.sort(key=lambda r: r.first)
    return records, left_out


def _flat_records(group: _Group, page: Page, problems: list[Problem]) -> list[Record]:
    """Runs of the containers' parts, each from a root (or the title before it) to the next root.

    Only the roots of the group's own tag start records, and a record takes
    only parts of the kinds the records share: a dated box of another shape
    between two stories, or after the last, stays out.
    """
    tag = Counter(root.tag for root in group.roots).most_common(1)[0][0]
    parts_of = {container: _parts(page, container) for container in group.by_container}
    starts: dict[Element, list[int]] = {}  # per container: the index in its parts where each record starts
    titles: Counter[str] = Counter()  # the kinds of the title parts right before the dates
    total = 0
    for container, members in group.by_container.items():
        parts = parts_of[container]
        index_of = {first: i for i, (first, _, kind) in enumerate(parts) if kind == tag}
        indices = [index_of[root.first] for root in members if root.tag == tag and root.first in index_of]
        starts[container] = indices
        previous = -1
        for i in indices:
            total += 1
            if i - 1 > previous and _is_title_part(_words_of(page, parts[i - 1])):
                titles[parts[i - 1][2]] += 1
            previous = i
    title_kind, count = titles.most_common(1)[0] if titles else ("", 0)
    title_first = total > 0 and count >= _TITLE_FIRST * total

    def titled_before(parts: list[Part], i: int) -> bool:
        return i > 0 and parts[i - 1][2] == title_kind and _is_title_part(_words_of(page, parts[i - 1]))

    if title_first:  # the dates come right after titles of one kind: the records start at the titles
        for container, indices in starts.items():
            parts = parts_of[container]
            starts[container] = [i - 1 if titled_before(parts, i) else i for i in indices]
    runs = {
        container: [
            [parts_of[container][j] for j in range(a, b)]
            for a, b in zip(indices, [*indices[1:], len(parts_of[container])], strict=True)
        ]
        for container, indices in starts.items()
        if indices
    }
    inner = [run for container_runs in runs.values() for run in container_runs[:-1]]
    # The kinds of part the records share: those that at least two of the (non-last) records hold after their start.
    counts = Counter(kind for run in inner for kind in {part[2] for part in run[1:]})
    if len(inner) < 2:  # too few records to tell what they share: every kind is theirs
        kinds = _ALWAYS | {part[2] for container_runs in runs.values() for run in container_runs for part in run}
    else:
        kinds = _ALWAYS | {kind for kind, n in counts.items() if n >= 2}
    # When the records end with a "read more" link, so does the last one: the listing's own trailer ends it.
    trailed = 2 * sum(_ends_with_more(run, page) for run in inner) >= len(inner) > 0
    longest = max(map(len, inner), default=0)
    records: list[Record] = []
    for container_runs in runs.values():
        # A last run without a title is a stray date of the page's ("3 March 2022" under an address): the
        # story before it is the container's last, and ends as a last one does.
        stray = not any(_is_title_line(line) for part in container_runs[-1] for line in _words_of(page, part))
        final = len(container_runs) - (1 if stray and len(container_runs) > 1 else 0)
        for number, run in enumerate(container_runs, start=1):
            last = number >= final
            kept, end = _cut(run, kinds, page, problems, longest if last else 0, trailed and last, last)
            lines = sorted({i for first, last_line, _ in kept for i in range(first, last_line + 1)})
            dates = tuple(i for i in lines if page.lines[i].date is not None)
            # Its stretch runs to where it ends, what was left out on the way included.
            records.append(Record(run[0][0], run[end - 1][1], dates, tuple(lines)))
    records.sort(key=lambda r: r.first)
    return records


def _ends_sentence(line: Line) -> bool:
    """True for a line that ends as a summary's paragraphs do: a sentence's end, or a "read more"."""
    text = line.text.rstrip()
    return (
        text.endswith(_SENTENCE_ENDS)
        or strip_trailer(text) != text
        or bool(line.links and is_more_link(line.links[-1].text))
    )


def _is_label(line: Line) -> bool:
    """A few words that end no sentence: the label of what follows ("More news", "Previous news:")."""
    short = len(line.text.split()) <= _LABEL_WORDS
    return short and not line.links and not line.text.rstrip().endswith(_SENTENCE_ENDS)


def _ends_with_more(run: list[Part], page: Page) -> bool:
    lines = [line for part in run for line in _words_of(page, part)]
    return bool(lines) and any(is_more_link(link.text) for link in lines[-1].links)


def _cut(
    run: list[Part],
    kinds: frozenset[str] | set[str],
    page: Page,
    problems: list[Problem],
    longest: int,
    trailed: bool = False,
    last: bool = False,
) -> tuple[list[Part], int]:
    """The parts of a flat run that are its story's, and where in the run the story ends.

    Headings naming a period are passed over. Once the record has its title
    and text, it ends at a heading or another title (a box's label, an
    undated story's title: said, when a story follows it), at a part of
    links only (a share line), at a pager or a label ("Page 1 of 12",
    "More news") and at a part of a kind the records do not share (a box).
    The last record of a container ends at its "read more" link when the
    others end at theirs (`trailed`); else, when nothing else ends it, it
    takes no more parts than the longest other (`longest`).
    """
    kept = run[:1]
    titled = any(_is_title_line(line) for line in _words_of(page, run[0]))
    text = False
    for number, part in enumerate(run[1:], start=1):
        lines = _words_of(page, part)
        if lines and all(is_period(line) for line in lines):
            continue
        heading = any(line.heading for line in lines)
        foreign = part[2] not in kinds
        box = bool(lines) and all(is_pager(line.text) or _is_label(line) or is_link_only(line) for line in lines)
        # After the last record, what follows is the page's: a rule, a paragraph that ends no sentence (an address).
        page_part = last and (part[2] == "hr" or (bool(lines) and not _ends_sentence(lines[-1])))
        if titled and text and (heading or _is_title_part(lines) or box or page_part or (foreign and lines)):
            rest = [line for p in run[number:] for line in _words_of(page, p)]
            if len(rest) >= 2 and _is_title_line(rest[0]) and not all(map(is_link_only, rest[1:])):
                problems.append(
                    warning(rest[0].sourceline, f"a story without a date, {excerpt(rest[0].text)}, is left out")
                )
            return kept, number
        if foreign:
            continue
        if not titled and (heading or _is_title_part(lines)):
            titled = True
        elif lines:
            text = True
        kept.append(part)
        if trailed and text and any(is_more_link(link.text) for line in lines for link in line.links):
            return kept, number + 1
    if longest and len(run) > longest and not trailed:
        cut = run[longest - 1][1]  # the last line of the longest other record's number of parts
        return [part for part in kept if part[1] <= cut], longest
    return kept, len(run)


def _undated_lookalikes(group: _Group, page: Page, problems: list[Problem]) -> None:
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


def _within(records: list[Record], starts: list[int], line: int) -> bool:
    """True when `line` lies in the stretch of one of `records` (sorted; `starts` their first lines)."""
    at = bisect.bisect_right(starts, line) - 1
    return at >= 0 and records[at].first <= line <= records[at].last


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
    listings = [group for group in _group(roots, tree) if len(group.roots) >= 2]
    if not listings:
        problems.append(
            error(
                page.lines[roots[0].line].sourceline,
                "no two dated blocks of the page stand alike: its stories cannot be told apart from the page "
                "around them",
            )
        )
        return Found([], [], problems)
    # The listing is the group with the most text; another with half as much or more makes it a guess.
    weights = {id(group): _weight(group.roots, tree) for group in listings}
    # Boxes of dated links inside the stories (related stories) are no listing, however much they hold.
    boxed = {
        id(group)
        for group in listings
        if any(_boxed_in(group, other) or _inside_records(group, other) for other in listings if other is not group)
    }
    candidates = sorted((g for g in listings if id(g) not in boxed), key=lambda g: -weights[id(g)])
    main = candidates[0]
    if len(candidates) > 1 and 2 * weights[id(candidates[1])] >= weights[id(main)]:
        other = candidates[1]
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
    main, dropped = _coherent(main, tree)
    in_main = {id(root) for root in main.roots}
    main, outside_roots = _absorbed(main, [r for r in roots if id(r) not in in_main], page, tree)
    outside_roots += dropped
    lists = sorted(_titled_lists(main, page), key=lambda g: -_weight(g.roots, tree))
    if len(lists) > 1:
        first, second = lists[0], lists[1]
        if 2 * _weight(second.roots, tree) >= _weight(first.roots, tree):
            problems.append(
                error(
                    page.lines[first.roots[0].line].sourceline,
                    "two lists of stories under headings of their own, "
                    f"{excerpt(_heading_before(page, first.roots[0].container))} and "
                    f"{excerpt(_heading_before(page, second.roots[0].container))} (line "
                    f"{page.lines[second.roots[0].line].sourceline}), hold about as much text: "
                    "cannot tell which is the listing",
                )
            )
            return Found([], [], problems)
        main = first
        outside_roots += [root for group in lists[1:] for root in group.roots]
    left_out: list[_Root] = []
    promoted = _promoted(main, page, tree)
    if promoted is not None:
        records = promoted
    elif _is_flat(main, page, tree):
        records = _flat_records(main, page, problems)
    else:
        records, left_out = _wrapped_records(main, page, tree, problems)
        _undated_lookalikes(main, page, problems)
    # Dates inside a story's stretch but not its own (a box of related stories in it) are no one's.
    inside = {line for record in records for line in record.dates} | {root.line for root in left_out}
    starts = [record.first for record in records]
    inside |= {root.line for root in [*main.roots, *outside_roots] if _within(records, starts, root.line)}
    outside = {root.line: (root.first, root.last) for root in [*main.roots, *outside_roots] if root.line not in inside}
    outside.update({i: (i, i) for i in alone})
    return Found(records, sorted(outside.items()), problems)
