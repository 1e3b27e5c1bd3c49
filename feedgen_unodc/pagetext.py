"""The text of an HTML page as lines, each knowing where it stands in the page's tree.

The page is parsed by lxml (libxml2's HTML parser, which recovers from any
markup as browsers mostly do) and walked once, in linear time whatever the
markup: a line ends at every block element and every `<br>`. Each line keeps
what the structure says of it (its links, whether it is a heading, bold or a
caption, the element it sits in), and each element the range of lines it
holds, so that `records` can find the page's repeating structure and
`extract` each story's parts.

A line is a date when its element's whole text is one (`<p><b>18 December
2021</b></p>`, `<span>18 Dec 2021</span>`, `<time datetime="2021-12-18">`),
or when the line is (`…<br>18 December 2021<br>…`). A date and a title on one
line ("14 December 2021 - Title") are cut in two.

What is never news is not walked at all: scripts, styles, forms, navigation,
asides, hidden elements, and the page's own header and footer (an article's
or a section's own header is read: it often holds the story's date and title).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date

from dateutil.parser import isoparse
from lxml import etree
from lxml import html as lxml_html

from .dates import DateLine, InvalidDate, format_date, parse_date_line
from .text import INVISIBLE, fold_space, is_more_link, words

Element = etree._Element

# Elements whose content is never news: not walked.
# (Not <form>: some CMSs wrap the whole page in one; its controls are skipped.)
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "head",
     "title", "button", "select", "textarea", "input", "option", "nav", "aside", "dialog", "menu"}
)  # fmt: skip
# A page's own header and footer are furniture; those of its articles and sections are their own.
_PAGE_FURNITURE = frozenset({"header", "footer"})
_CONTENT = frozenset({"article", "section", "main"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_FURNITURE_DEPTH = 6  # how far up a header or footer is looked at for a list it stands in
# Landmark roles of furniture, whatever the element.
_SKIPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alert"})
# Elements inside a line. Every other element ends one, unknown ones too: custom elements are styled as blocks.
_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "dfn", "em", "font", "i", "img", "kbd",
     "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub",
     "sup", "tt", "u", "var", "wbr", "picture", "source"}
)  # fmt: skip
_STRONG = frozenset({"b", "strong"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CAPTIONS = frozenset({"figcaption", "caption"})

# The most an element may hold for its whole text to be checked as a date: a
# weekday, a date and a short label fit in this; a story does not.
_MAX_DATE_CHARS = 60
_MAX_DATE_ELEMENTS = 8
# Words that may stand before a date on its line without a colon: "Published 18 December 2021". With a
# colon, any short label may: "Date: 18 December 2021", "Page last updated: 3 March 2022".
DATE_LABELS = ("posted on", "posted", "published on", "published", "date", "dated")
_LABEL = re.compile(rf"(?P<label>{'|'.join(DATE_LABELS)})\s*[:\-\u2013\u2014]?\s+(?P<date>.+)", re.IGNORECASE)
# The last word of a label with a colon: "Last updated:", "Release date:" ("Deadline:" names no date of the story's).
_LABEL_WORDS = ("date", "dated", "updated", "published", "posted", "modified", "revised", "released", "issued")
_COLON_LABEL = re.compile(
    rf"(?P<label>(?:[^\W\d]+\s+){{0,2}}(?:{'|'.join(_LABEL_WORDS)}))\s*:\s+(?P<date>.+)", re.IGNORECASE
)
# Labels of a date that is a story's update, not its publication: a second date of that kind is no doubt.
_UPDATE_LABELS = ("updat", "modif", "revis")
# What may stand between a date and a title on one line: hyphen, en and em dash, colon, bar, middle dot, bullet.
_SEPARATORS = "-\u2013\u2014:|\u00b7\u2022"
_STRIP = _SEPARATORS + " ,"
_MAX_DATE_PREFIX = 45  # characters: "Wednesday, 18 September 2021" and a little more
_METADATA_WORDS = 3  # what a date's line may hold besides it and still be the date's own: "10:30 CET"
_HAS_WORD = re.compile(r"\w")


# Link-only lines: at most this many words outside the links ("Share:", "Follow us on"), the links at
# least half of the line; but a sentence of this many words, ending as sentences do, is prose.
_MAX_LABEL_WORDS = 3
_SENTENCE_WORDS = 3
# A line of two links or more that are this share of its text is a list of links, whatever else it holds.
_LINK_LIST = 0.7


class PageError(ValueError):
    """A page that cannot be read as HTML at all."""


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the page's text, as a reader sees it."""

    text: str  # white space folded
    links: tuple[Link, ...]  # the links in it, with their text
    sourceline: int  # in the page's HTML
    heading: int = 0  # 1 to 6 inside <h1>..<h6>, else 0
    strong: bool = False  # all of its text is bold
    caption: bool = False  # a figure's or a table's caption
    breaks: int = 0  # the <br>s right before it inside one block: 0 at a block's start, 2 or more a blank line
    date: DateLine | None = None  # a date line: its date, or why it is not a valid one
    date_text: str = ""  # for a date line: the date as the listing writes it
    label: str = ""  # for a date line: the label before it ("Published", "Last updated"), lower-case

    @property
    def updated(self) -> bool:
        """A date line that says when the story was updated: "Last updated: 3 March 2022"."""
        return any(word in self.label for word in _UPDATE_LABELS)

    @property
    def has_words(self) -> bool:
        return bool(_HAS_WORD.search(self.text))


@dataclass(slots=True)
class Page:
    """A page's lines, and for each element the range of lines it holds.

    `span[element]` is the (first, last) index of the lines holding the
    element's text; an element with no text has none. `holder[i]` is the
    innermost block that holds line i whole (for a date element's line: the
    date's element).
    """

    root: Element
    lines: list[Line] = field(default_factory=list)
    holder: list[Element] = field(default_factory=list)
    span: dict[Element, tuple[int, int]] = field(default_factory=dict)
    date_elements: set[Element] = field(default_factory=set)  # elements whose whole text is a date
    mismatched_times: list[tuple[int, str, str]] = field(default_factory=list)  # (line, datetime, text shown)
    invisible: list[tuple[int, str]] = field(default_factory=list)  # (line, character) of each one dropped


def parse(text: str) -> Element:
    """The page's tree; raises `PageError` for a page with no content, or nested too deep to be read whole."""
    # The text is decoded already (see fetch.decode_html): libxml2 must not decode it again by its <meta>.
    parser = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise PageError(f"the page has no content ({exc})") from exc
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            # libxml2 stops at its depth limit and drops the rest: refuse, never read half a page.
            raise PageError(f"the page nests its elements too deeply to be read whole (line {entry.line})")
    return root


def tag_of(element: Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def is_link_only(line: Line, own: frozenset[str] = frozenset()) -> bool:
    """A line of links and at most a label: share buttons, tags, a pager, a related link, "Read more »".

    Links to the story's own page (`own`: a card wrapped in its link) are
    the story's text, and so is a sentence with a link in it ("See the
    full statement.").
    """
    if not line.links:
        return is_more_link(line.text)
    if all(link.href in own for link in line.links) and not is_more_link(line.text):
        return False
    if (
        len(line.text.split()) >= _SENTENCE_WORDS
        and line.text.endswith((".", "!", "?"))
        and not is_more_link(line.text)
    ):
        return False
    rest = line.text
    for link in line.links:
        rest = rest.replace(link.text, " ", 1)
    linked = sum(len(link.text.replace(" ", "")) for link in line.links)
    chars = len(line.text.replace(" ", ""))
    if len(line.links) >= 2 and linked >= _LINK_LIST * chars:  # "More news: <a>…</a> (12 November 2021), <a>…</a>"
        return True
    return len(words(rest)) <= _MAX_LABEL_WORDS and 2 * linked >= chars


def is_inline(element: Element) -> bool:
    """True for an element that stands inside a line of text (`<a>`, `<b>`, `<span>`...)."""
    return tag_of(element) in _INLINE


def _within(element: Element, block: Element) -> bool:
    """True when `element` lies inside `block`, a few levels down at most (a date's <b><span>)."""
    return any(ancestor is block for ancestor in itertools.islice(element.iterancestors(), _FURNITURE_DEPTH))


def _parent(element: Element) -> Element:
    parent = element.getparent()
    return element if parent is None else parent


def _repeated(element: Element) -> bool:
    """True when an element around `element` stands beside one of its own tag: it is inside a list of things."""
    for ancestor in list(element.iterancestors())[:_FURNITURE_DEPTH]:
        tag = ancestor.tag
        before, after = ancestor.getprevious(), ancestor.getnext()
        if (before is not None and before.tag == tag) or (after is not None and after.tag == tag):
            return True
    return False


def _skipped(element: Element, in_content: bool) -> bool:
    tag = tag_of(element)
    if not tag or tag in _SKIPPED or _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    if tag in _PAGE_FURNITURE and not in_content and not _repeated(element):
        return True  # the page's header or footer; an item's own (<div class=item><header>) is read
    role = (element.get("role") or "").strip().lower()
    return role in _SKIPPED_ROLES or element.get("hidden") is not None or element.get("aria-hidden") == "true"


def _small_texts(root: Element) -> dict[Element, str]:
    """The whole text of every element small enough to be a date, found from the leaves up in one pass."""
    size: dict[Element, int] = {}
    count: dict[Element, int] = {}
    texts: dict[Element, str] = {}
    for element in reversed(list(root.iter())):
        children = list(element)
        total = len(element.text or "") + sum(size[c] + len(c.tail or "") for c in children)
        elements = 1 + sum(count[c] for c in children)
        size[element], count[element] = total, elements
        if 6 <= total <= _MAX_DATE_CHARS and elements <= _MAX_DATE_ELEMENTS:
            texts[element] = "".join(element.itertext())
    return texts


def _date_text(element: Element, text: str, heading: bool) -> tuple[DateLine | None, str]:
    """`date_of` an element's whole text; its parts spaced apart when they run together in the markup.

    A calendar badge (`<span>18</span><span>Dec</span><span>2021</span>`) shows
    as "18 Dec 2021" once each part is its own block.
    """
    found = date_of(text, whole=True, heading=heading)
    if found[0] is None and len(element):
        found = date_of(" ".join(element.itertext()), whole=True, heading=heading)
    return found


def _labelled(text: str, heading: bool) -> re.Match[str] | None:
    return _LABEL.fullmatch(text) or (None if heading else _COLON_LABEL.fullmatch(text))


def label_of(text: str, heading: bool = False) -> str:
    """The label before the date on a date line, lower-case: "published", "last updated"; else ""."""
    labelled = _labelled(fold_space(text), heading)
    return labelled["label"].casefold() if labelled is not None else ""


def date_of(text: str, *, whole: bool = False, heading: bool = False) -> tuple[DateLine | None, str]:
    """What a line of text is as a date line, and the date as the listing writes it.

    As `dates.parse_date_line`, and a label may stand first ("Published:
    18 Dec 2021", "Last updated: 3 March 2022"; in a heading only the
    labels of `DATE_LABELS`: "Statement: 18 December 2021" is a title). With
    `whole` (an element's whole text), a valid date followed by words is no
    date: it is a date and a title, which the walk cuts apart at their elements.
    """
    folded = fold_space(text)
    parsed = parse_date_line(folded)
    labelled = _labelled(folded, heading)
    if parsed is None and labelled is not None:
        folded = labelled["date"]
        parsed = parse_date_line(folded)
    if parsed is None or (whole and isinstance(parsed, InvalidDate) and parsed.text_after):
        return None, ""
    return parsed, format_date(parsed) if isinstance(parsed, date) else folded


def _split(text: str, titles: tuple[str, ...], heading: bool = False) -> tuple[date, str, str, bool, str] | None:
    """A line of a valid date and more: (the day, its text, the rest, whether the date comes first, and
    the date's own words, lower-case).

    The rest is a title when it is a link's or a bold run's whole text
    (`<a>Title</a> 14 Dec 2021`, `<b>Title</b> (14 Dec 2021)`; `titles`),
    or when a separator parts it from a date that comes first ("14 December
    2021 - Title"), or in a heading, a dash, a bar or brackets from one that
    comes last ("Title | 14 Dec 2021"). A few words are the date's
    own ("18 December 2021, 10:30", "by UNODC", "Press release | 16 December
    2021"): the rest is "" then. Not cut: a linked heading (its title holds
    the date), a sentence that starts or ends with a date ("Registration
    closes on 31 January 2022."), a line that ends with one after more words
    ("Source: a press release (18 December 2021)").
    """
    if heading and text in titles:
        return None
    spaces = [i for i, c in enumerate(text) if c == " "]
    for space in (i for i in spaces if i <= _MAX_DATE_PREFIX):
        part, rest = text[:space], text[space:]
        parsed, date_text = date_of(part.strip(_STRIP), whole=True)
        if not isinstance(parsed, date):
            continue
        separated = rest.lstrip(" ")[:1] in _SEPARATORS
        rest = rest.strip(_STRIP)
        if rest in titles or (separated and len(rest.split()) > _METADATA_WORDS):
            return parsed, date_text, rest, True, ""
        if len(rest.split()) <= _METADATA_WORDS and not rest.endswith((".", "!", "?")):
            return parsed, date_text, "", True, rest.casefold()
        return None  # "18 December 2021 marks the day...": a sentence
    if text.endswith((".", "!", "?")):
        return None
    for space in (i for i in reversed(spaces) if len(text) - i <= _MAX_DATE_PREFIX):
        part, rest = text[space:], text[:space]
        parsed, date_text = date_of(part.strip(_STRIP + "()[]"), whole=True)
        if not isinstance(parsed, date):
            continue
        rest_edge, part_edge = rest.rstrip(" ")[-1:], part.lstrip()[:1]
        rest = rest.strip(_STRIP)
        if rest in titles:
            return parsed, date_text, rest, False, ""
        if heading:
            separated = (rest_edge in _SEPARATORS and rest_edge != ":") or part_edge in "(["
            return (parsed, date_text, rest, False, "") if separated and rest else None
        if len(rest.split()) <= _METADATA_WORDS and not titles and rest_edge != ":":
            # ("Applications close: 31 January 2022" is a sentence: a label of a date is a date label's.)
            return parsed, date_text, "", False, rest.casefold()
        return None
    return None


def _machine_date(element: Element) -> date | None:
    """The day a `<time datetime>` gives, as the page's own clock shows it (no conversion to UTC)."""
    value = (element.get("datetime") or "").strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return isoparse(value).date()
    except (ValueError, OverflowError):
        return None


class _Walker:
    """The state of the walk: the line being gathered and what is open around it."""

    def __init__(self, page: Page, small: dict[Element, str]) -> None:
        self.page = page
        self.small = small
        self.parts: list[str] = []
        self.chars = 0  # visible characters in the line so far
        self.strong_chars = 0  # of which inside <b> or <strong>
        self.links: list[Link] = []
        self.open_links: list[tuple[str, list[str]]] = []
        self.sourceline = 0
        self.holder: Element = page.root
        self.blocks: list[Element] = [page.root]  # the open block elements, innermost last
        self.headings: list[int] = []
        self.strong = 0
        self.bold: list[str] = []  # the text of the bold element being read
        self.bolds: list[str] = []  # the bold runs of the line so far
        self.captions = 0
        self.breaks = 0  # <br>s since the last line, within one block

    def text(self, data: str | None, element: Element) -> None:
        if not data:
            return
        if not data.isascii():
            self.page.invisible += [(element.sourceline or 0, c) for c in INVISIBLE.findall(data)]
        if not any(part.strip() for part in self.parts):
            self.sourceline = element.sourceline or self.sourceline
            self.holder = self.blocks[-1]
        self.parts.append(data)
        visible = len(data.strip())
        self.chars += visible
        if self.strong:
            self.strong_chars += visible
            self.bold.append(data)
        for _, link_parts in self.open_links:
            link_parts.append(data)

    def pending(self) -> bool:
        return any(part.strip() for part in self.parts)

    def flush(self, *, block: bool = True) -> None:
        """End the line being gathered; at a block boundary, also the run of <br>s."""
        text = fold_space("".join(self.parts))
        for href, link_parts in self.open_links:  # a link around blocks (<a><h3>Title</h3></a>): its part here
            link_text = fold_space("".join(link_parts))
            if href and link_text:
                self.links.append(Link(href, link_text))
        if text:
            self._emit(text)
        elif block:
            self.breaks = 0
        self.parts, self.links, self.chars, self.strong_chars, self.bolds = [], [], 0, 0, []
        for _, link_parts in self.open_links:
            link_parts.clear()

    def _append(self, line: Line, holder: Element) -> None:
        self.page.lines.append(line)
        self.page.holder.append(holder)

    def _styled(
        self, text: str, links: tuple[Link, ...], breaks: int, day: DateLine | None = None, label: str = ""
    ) -> Line:
        """A line of the text being gathered, with the style around it."""
        return Line(
            text,
            links,
            self.sourceline,
            heading=self.headings[-1] if self.headings else 0,
            strong=self.chars > 0 and self.strong_chars >= self.chars,
            caption=self.captions > 0,
            breaks=breaks,
            date=day,
            date_text=text if day is not None else "",
            label=label,
        )

    def _emit(self, text: str) -> None:
        breaks, self.breaks = self.breaks, 0
        links = tuple(self.links)
        styled = bool(self.headings) or (self.chars > 0 and self.strong_chars >= self.chars)
        parsed, date_text = date_of(text, heading=bool(self.headings))
        titles = (*(link.text for link in links), *self.bolds)  # what a title in the line looks like
        split = _split(text, titles, bool(self.headings)) if parsed is None or isinstance(parsed, InvalidDate) else None
        if split is not None:
            day, date_text, rest, date_first, own = split  # own: the date's own words ("updated on", "10:30")
            lines = [self._styled(date_text, (), breaks, day, own)]
            if rest:
                lines.insert(len(lines) if date_first else 0, self._styled(rest, links, 0 if date_first else breaks))
            for line in lines:
                self._append(line, self.holder)
            return
        if parsed is not None:
            # A date line, or one the listing will read as a mistyped date: never a summary's text.
            self._append(self._styled(date_text, (), breaks, parsed, label_of(text, bool(self.headings))), self.holder)
            return
        lines = self.page.lines
        if lines and lines[-1].date is not None and _within(self.page.holder[-1], self.holder):
            # The rest of a date element's line: "<span>14 December 2021</span> - Title", or its
            # own words ("<span>18 Dec 2021</span> <span>by UNODC</span>"), which are no title.
            text = text.lstrip(_STRIP)
            if not text or (not links and not styled and len(text.split()) <= _METADATA_WORDS):
                return
        self._append(self._styled(text, links, breaks), self.holder)

    def date_element(self, element: Element) -> bool:
        """Emit `element` as one date line when its whole text is a date; True when it was."""
        tag = tag_of(element)
        shown_text = fold_space(self.small[element]) if element in self.small else ""
        machine = _machine_date(element) if tag == "time" else None
        if machine is not None:
            shown, _ = date_of(shown_text, whole=True) if shown_text else (None, "")
            if isinstance(shown, date) and shown != machine:
                self.page.mismatched_times.append((element.sourceline or 0, machine.isoformat(), shown_text))
            parsed: DateLine = machine
            date_text = format_date(machine)
        elif shown_text:
            found, date_text = _date_text(element, shown_text, bool(self.headings) or tag in _HEADINGS)
            if found is None:
                return False
            parsed = found
        else:
            return False
        if tag in _INLINE and _HAS_WORD.search("".join(self.parts)):
            return False  # "on <b>8 December 2021</b> in Vienna": a date in a sentence is the sentence's
        self.flush(block=tag not in _INLINE)
        if element in self.small and not self.small[element].isascii():
            self.page.invisible += [(element.sourceline or 0, c) for c in INVISIBLE.findall(self.small[element])]
        breaks, self.breaks = self.breaks, 0
        line = Line(
            date_text,
            (),
            element.sourceline or 0,
            heading=self.headings[-1] if self.headings else 0,
            breaks=breaks,
            date=parsed,
            date_text=date_text,
            label=label_of(shown_text, bool(self.headings)),
        )
        self._append(line, element)
        index = len(self.page.lines) - 1
        self.page.span[element] = (index, index)
        self.page.date_elements.add(element)
        return True

    def open(self, element: Element, tag: str) -> None:
        if tag not in _INLINE:
            self.flush()
            self.blocks.append(element)
        self.page.span[element] = (len(self.page.lines), -1)  # the last line is known when it closes
        if tag in _HEADINGS:
            self.headings.append(_HEADINGS[tag])
        elif tag in _STRONG:
            self.strong += 1
        elif tag in _CAPTIONS:
            self.captions += 1
        elif tag == "a":
            self.open_links.append(((element.get("href") or "").strip(), []))
        self.text(element.text, element)

    def close(self, element: Element, tag: str) -> None:
        if tag == "a" and self.open_links:
            href, parts = self.open_links.pop()
            text = fold_space("".join(parts))
            if href and text:
                self.links.append(Link(href, text))
        if tag not in _INLINE:
            self.flush()
            self.blocks.pop()
        if tag in _HEADINGS and self.headings:
            self.headings.pop()
        elif tag in _STRONG:
            self.strong -= 1
            if not self.strong and (bold := fold_space("".join(self.bold))):
                self.bolds.append(bold)
            if not self.strong:
                self.bold = []
        elif tag in _CAPTIONS:
            self.captions -= 1
        first, _ = self.page.span[element]
        # An inline element may end inside the line being gathered, which will be the next one.
        last = len(self.page.lines) - (0 if self.pending() else 1)
        if last < first:
            del self.page.span[element]
        else:
            self.page.span[element] = (first, last)


def read(text: str) -> Page:
    """The page's lines; raises `PageError` when there is no page to read."""
    root = parse(text)
    page = Page(root)
    walker = _Walker(page, _small_texts(root))
    # An explicit stack, not recursion: a page may nest elements two thousand deep.
    stack: list[tuple[Element, bool, bool]] = [(root, False, False)]  # (element, inside content, closing)
    while stack:
        element, in_content, closing = stack.pop()
        tag = tag_of(element)
        if closing:
            walker.close(element, tag)
        elif _skipped(element, in_content):
            if tag not in _INLINE:
                walker.flush()
        elif tag == "br":
            walker.flush(block=False)
            walker.breaks += 1
        elif not walker.date_element(element):
            walker.open(element, tag)
            inside = in_content or tag in _CONTENT
            stack.append((element, inside, True))
            stack.extend((child, inside, False) for child in reversed(element))
            continue
        walker.text(element.tail, _parent(element))
    walker.flush()
    return page
