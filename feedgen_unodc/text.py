"""Rules for the text of titles and summaries: pure functions of strings.

`fold_space` and `strip_trailer` are idempotent: applying them to their own
output changes nothing (a property test holds them to it).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# What no line of text the feeds get may hold: control characters (but tab), what XML forbids
# (U+FFFE, U+FFFF), lone surrogates (a JSON "\ud800", bytes a terminal could not decode).
UNFIT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What no text of several lines (kept HTML) may hold: what XML 1.0 forbids, and lone surrogates. A page's
# text, as lxml parses it, never holds them; a hand edit could, and would stop the feed writer.
UNFIT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Characters that show nothing: Unicode's default-ignorable code points
# (DerivedCoreProperties.txt): the format characters (zero-width space and
# joiners, bidirectional marks, embeddings and isolates, the soft hyphen, the
# word joiner, a byte-order mark that is not the file's first character),
# the combining grapheme joiner, Hangul fillers, variation selectors. A scrape
# leaves them in front of dates and inside words, where they would hide a
# date line ("\u200e20 January 2022" is no date to a parser) or split a word.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def fold_space(text: str) -> str:
    """Fold every run of white space (tabs, no-break spaces, U+2028...) into one space; drop invisible characters."""
    if not text.isascii():  # ASCII text holds none: spare most lines the expression
        text = INVISIBLE.sub("", text)
    return " ".join(text.split())


def _ends_with_word(text: str, end: int, word: str) -> bool:
    """True when `text[:end]` ends with `word` (any case) as a whole word."""
    start = end - len(word)
    return start >= 0 and text[start:end].casefold() == word and (start == 0 or not text[start - 1].isalnum())


def _rstrip(text: str, end: int, chars: str | None = None) -> int:
    """Where `text[:end].rstrip(chars)` ends."""
    while end > 0 and (text[end - 1].isspace() if chars is None else text[end - 1] in chars):
        end -= 1
    return end


_ARROWS = "\u00bb\u203a\u2192>"  # "Read more »" and its kin


def _sentence_end(rest: str) -> tuple[str, int]:
    """`rest` without the run of dots and spaces at its end, with one full stop when dots ended a sentence."""
    body = rest.rstrip(" \t.\u2026")
    dots = rest[len(body) :].count(".") + rest[len(body) :].count("\u2026")
    body = body.rstrip()
    # The dots were the sentence's end ("convictions...... read more"): keep one full stop.
    if dots and body and body[-1] not in ".!?…:;":
        body += "."
    return body, dots


# The words of a link to the rest of a story, on a listing page.
MORE_LINKS = frozenset(
    {"more", "read more", "read on", "continue reading", "full story", "read the full story", "read the story",
     "learn more", "find out more", "details", "view more", "see more", "more info", "read article",
     "read the article", "view story"}
)  # fmt: skip


_MORE_PREFIXES = tuple(f"{phrase} " for phrase in MORE_LINKS if " " in phrase)

# The words of a pager: "« Previous | 1 2 3 | Next »", "Page 1 of 12", "Older entries".
PAGER_WORDS = frozenset(
    {"previous", "prev", "next", "first", "last", "page", "pages", "of", "older", "newer", "entries", "posts",
     "news", "go", "to"}
)  # fmt: skip
_PAGER_MARKS = frozenset({"previous", "prev", "next", "page", "older", "newer"})


def is_pager(text: str) -> bool:
    """True for the text of a pager: its words all a pager's or numbers, and a pager's own word or two numbers."""
    found = words(text)
    if not found or not all(word in PAGER_WORDS or word.isdigit() for word in found):
        return False
    return bool(_PAGER_MARKS & set(found)) or sum(word.isdigit() for word in found) >= 2


def is_more_link(text: str) -> bool:
    """True for the text of a "read more" link: "Read more »", "[more]", "Continue reading →".

    Also with the words for screen readers after it ("Read more about the
    report"): a phrase of two words or more may start the link.
    """
    phrase = " ".join(words(text))
    return phrase in MORE_LINKS or phrase.startswith(_MORE_PREFIXES)


def before_trailer_link(text: str) -> str:
    """What stands before a "read more" link at a paragraph's end, as `strip_trailer` leaves it.

    "convictions...... " gives "convictions.", "crime " gives "crime".
    """
    body, _ = _sentence_end(text.rstrip().rstrip("[(|" + _ARROWS))
    return body


def strip_trailer(paragraph: str) -> str:
    """Drop the link text of a "read more" link from the end of `paragraph`.

    The listing ends each summary with it, after a run of dots: "......
    read more", ".... more", "...\u00a0more". A bare "more" counts only after
    dots, so that "countries must do more" keeps its last word; "read more"
    counts with or without them, and as often as it is repeated. When dots
    go, one full stop stays: "convictions...... read more" gives
    "convictions.".

    The paragraph is read from its end by index, without a regular
    expression or a copy per trailer: the cost is linear in its length,
    whatever it holds (a run of dots, "read more" a hundred thousand times).
    """
    end = len(paragraph)
    while True:
        at = _rstrip(paragraph, _rstrip(paragraph, _rstrip(paragraph, end), _ARROWS))
        if not _ends_with_word(paragraph, at, "more"):
            return paragraph[:end]
        at = _rstrip(paragraph, at - len("more"))
        read = _ends_with_word(paragraph, at, "read")
        if read:
            at -= len("read")
        body = _rstrip(paragraph, at, " \t.\u2026")
        dots = sum(c in ".\u2026" for c in paragraph[body:at])
        if not dots and not read:
            return paragraph[:end]  # "countries must do more": a sentence's last word, not a link
        end = _rstrip(paragraph, body)
        # The dots were the sentence's end ("convictions...... read more"): keep one full stop.
        if dots and end and paragraph[end - 1] not in ".!?…:;":
            return paragraph[:end] + "."


def words(text: str) -> list[str]:
    """The words of `text`, compatibility-normalized and case-folded.

    Punctuation, white space and letter case are not part of a story's
    identity: "2020 - A Year in Review" and "2020 \u2013 a year in review" have the
    same words.
    """
    if text.isascii():  # NFKC changes no ASCII text, and case-folds it as lower() does
        return _WORD.findall(text.lower())
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


_WORD = re.compile(r"\w+")


def slug(text: str, max_length: int = 60) -> str:
    """ASCII words of `text` joined by hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    result = ""
    for word in words(ascii_text):
        candidate = f"{result}-{word}" if result else word
        if len(candidate) > max_length:
            break
        result = candidate
    return result


def excerpt(value: object, limit: int = 60) -> str:
    """`value` as a message quotes it: its repr, cut to `limit` characters (a bad line may be 10 MB)."""
    text = repr(value) if not isinstance(value, str) or len(value) <= limit else repr(value[:limit]) + "…"
    return text if len(text) <= limit + 4 else text[:limit] + "…"


def short(title: str, limit: int = 40) -> str:
    """`title` quoted for a one-line report, cut at a word when long."""
    if len(title) > limit:
        title = title[:limit].rsplit(" ", 1)[0] + "…"
    return repr(title)


def fingerprint(text: str) -> str:
    """A short digest of `text` (64 bits of its SHA-256), for the archive's index to look values up by."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]
