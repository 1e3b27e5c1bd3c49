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

import re
from dataclasses import dataclass, field
from datetime import date

from dateutil.parser import isoparse
from lxml import etree
from lxml import html as lxml_html

from .dates import DateLine, InvalidDate, format_date, parse_date_line
from .text import fold_space

Element = etree._Element

# Elements whose content is never news: not walked.
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "head",
     "title", "form", "button", "select", "textarea", "input", "option", "nav", "aside", "dialog", "menu"}
)  # fmt: skip
# A page's own header and footer are furniture; those of its articles and sections are their own.
_PAGE_FURNITURE = frozenset({"header", "footer"})
_CONTENT = frozenset({"article", "section", "main"})
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
# Words that may stand before a date on its line: "Published: 18 December 2021".
DATE_LABELS = ("posted on", "posted", "published on", "published", "date", "dated")
_LABEL = re.compile(rf"(?:{'|'.join(DATE_LABELS)})\s*[:\-\u2013\u2014]?\s+(?P<date>.+)", re.IGNORECASE)
# What may stand between a date and a title on one line: hyphen, en and em dash, colon, bar, middle dot, bullet.
_SEPARATORS = "-\u2013\u2014:|\u00b7\u2022"
_STRIP = _SEPARATORS + " ,"
_MAX_DATE_PREFIX = 45  # characters: "Wednesday, 18 September 2021" and a little more
_HAS_WORD = re.compile(r"\w")


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

    @property
    def has_words(self) -> bool:
        return bool(_HAS_WORD.search(self.text))


@dataclass(slots=True)
class Page:
    """A page's lines, and for each element the range of lines it holds.

    `span[element]` is the (first, last) index of the lines holding the
    element's text; an element with no text has none. `holder[i]` is the
    element line i's text sits in (for a date line: the date's element).
    """

    root: Element
    lines: list[Line] = field(default_factory=list)
    holder: list[Element] = field(default_factory=list)
    span: dict[Element, tuple[int, int]] = field(default_factory=dict)
    date_elements: set[Element] = field(default_factory=set)  # elements whose whole text is a date
    mismatched_times: list[tuple[int, str, str]] = field(default_factory=list)  # (line, datetime, text shown)


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


def _parent(element: Element) -> Element:
    parent = element.getparent()
    return element if parent is None else parent


def _skipped(element: Element, in_content: bool) -> bool:
    tag = tag_of(element)
    if not tag or tag in _SKIPPED or (tag in _PAGE_FURNITURE and not in_content):
        return True
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


def date_of(text: str, *, whole: bool = False) -> tuple[DateLine | None, str]:
    """What a line of text is as a date line, and the date as the listing writes it.

    As `dates.parse_date_line`, and a label may stand first ("Published:
    18 Dec 2021"). With `whole` (an element's whole text), a valid date
    followed by words is no date: it is a date and a title, which the walk
    cuts apart at their elements.
    """
    folded = fold_space(text)
    parsed = parse_date_line(folded)
    if parsed is None and (labelled := _LABEL.fullmatch(folded)) is not None:
        folded = labelled["date"]
        parsed = parse_date_line(folded)
    if parsed is None or (whole and isinstance(parsed, InvalidDate) and parsed.text_after):
        return None, ""
    return parsed, format_date(parsed) if isinstance(parsed, date) else folded


def _split(text: str, links: tuple[Link, ...]) -> tuple[date, str, str, bool] | None:
    """A line of a valid date and a title: (the day, its text, the title, whether the date comes first).

    The two must be parted by a separator ("14 December 2021 - Title",
    "Title | 14 Dec 2021"), or the title must be a link's whole text
    (`<a>Title</a> 14 Dec 2021`): a summary that starts or ends with a date
    is not cut.
    """
    spaces = [i for i, c in enumerate(text) if c == " "]
    for space in (i for i in spaces if i <= _MAX_DATE_PREFIX):
        head, rest = text[:space].rstrip(_STRIP), text[space:]
        parsed, date_text = date_of(head, whole=True)
        if isinstance(parsed, date):
            separated = rest.lstrip(" ")[:1] in _SEPARATORS
            rest = rest.lstrip(_STRIP)
            if rest and (separated or any(link.text == rest for link in links)):
                return parsed, date_text, rest, True
            break
    for space in (i for i in reversed(spaces) if len(text) - i <= _MAX_DATE_PREFIX):
        rest, tail = text[:space], text[space:].strip(_STRIP + "()[]")
        parsed, date_text = date_of(tail, whole=True)
        if isinstance(parsed, date):
            separated = rest.rstrip(" ")[-1:] in _SEPARATORS or text[space:].lstrip()[:1] in "(["
            rest = rest.rstrip(_STRIP)
            if rest and (separated or any(link.text == rest for link in links)):
                return parsed, date_text, rest, False
            break
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
        self.headings: list[int] = []
        self.strong = 0
        self.captions = 0
        self.breaks = 0  # <br>s since the last line, within one block

    def text(self, data: str | None, element: Element) -> None:
        if not data:
            return
        if not any(part.strip() for part in self.parts):
            self.sourceline = element.sourceline or self.sourceline
            self.holder = element
        self.parts.append(data)
        visible = len(data.strip())
        self.chars += visible
        if self.strong:
            self.strong_chars += visible
        for _, link_parts in self.open_links:
            link_parts.append(data)

    def pending(self) -> bool:
        return any(part.strip() for part in self.parts)

    def flush(self, *, block: bool = True) -> None:
        """End the line being gathered; at a block boundary, also the run of <br>s."""
        text = fold_space("".join(self.parts))
        if text:
            self._emit(text)
        elif block:
            self.breaks = 0
        self.parts, self.links, self.chars, self.strong_chars = [], [], 0, 0
        for _, link_parts in self.open_links:
            link_parts.clear()

    def _append(self, line: Line, holder: Element) -> None:
        self.page.lines.append(line)
        self.page.holder.append(holder)

    def _styled(self, text: str, links: tuple[Link, ...], breaks: int, day: DateLine | None = None) -> Line:
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
        )

    def _emit(self, text: str) -> None:
        breaks, self.breaks = self.breaks, 0
        links = tuple(self.links)
        parsed, date_text = date_of(text)
        split = _split(text, links) if parsed is None or isinstance(parsed, InvalidDate) else None
        if split is not None:
            day, date_text, rest, date_first = split
            date_line = self._styled(date_text, (), breaks, day)
            title_line = self._styled(rest, links, 0 if date_first else breaks)
            for line in (date_line, title_line) if date_first else (title_line, date_line):
                self._append(line, self.holder)
            return
        if parsed is not None:
            # A date line, or one the listing will read as a mistyped date: never a summary's text.
            self._append(self._styled(date_text, (), breaks, parsed), self.holder)
            return
        lines = self.page.lines
        if lines and lines[-1].date is not None and _parent(self.page.holder[-1]) is self.holder:
            text = text.lstrip(_STRIP)  # "<span>14 December 2021</span> - Title": the dash is no part of the title
            if not text:
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
            found, date_text = date_of(shown_text, whole=True)
            if found is None:
                return False
            parsed = found
        else:
            return False
        self.flush(block=tag not in _INLINE)
        breaks, self.breaks = self.breaks, 0
        line = Line(
            date_text,
            (),
            element.sourceline or 0,
            heading=self.headings[-1] if self.headings else 0,
            breaks=breaks,
            date=parsed,
            date_text=date_text,
        )
        self._append(line, element)
        index = len(self.page.lines) - 1
        self.page.span[element] = (index, index)
        self.page.date_elements.add(element)
        return True

    def open(self, element: Element, tag: str) -> None:
        if tag not in _INLINE:
            self.flush()
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
        if tag in _HEADINGS and self.headings:
            self.headings.pop()
        elif tag in _STRONG:
            self.strong -= 1
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
