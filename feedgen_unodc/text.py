"""Rules for the text of titles and summaries: pure functions of strings.

`fold_space` and `strip_trailer` are idempotent: applying them to their own
output changes nothing (a property test holds them to it).
"""

from __future__ import annotations

import re
import unicodedata

# Characters with no width and no meaning in a news listing, which a scrape
# leaves in front of dates and inside words: zero-width space, word joiner,
# and the byte-order mark when it is not the file's first character.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))


def fold_space(text: str) -> str:
    """Fold every run of white space (tabs, no-break spaces, U+2028...) into one space; drop invisible characters."""
    if "\u200b" in text or "\u2060" in text or "\ufeff" in text:  # rare: spare other lines the slow translate
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def _cut_word(text: str, word: str) -> str | None:
    """`text` without `word` at its end, when `word` is a whole word there (any case)."""
    if len(text) < len(word) or text[-len(word) :].casefold() != word:
        return None
    rest = text[: -len(word)]
    return rest if not rest or not rest[-1].isalnum() else None


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


def _strip_trailer_once(paragraph: str) -> str:
    # Read from the end, without a regular expression: a long run of dots
    # must cost linear time, whatever follows it.
    text = paragraph.rstrip().rstrip(_ARROWS).rstrip()
    rest = _cut_word(text, "more")
    if rest is None:
        return paragraph
    rest = rest.rstrip()
    after_read = _cut_word(rest, "read")
    if after_read is not None:
        rest = after_read
    body, dots = _sentence_end(rest)
    if not dots and after_read is None:
        return paragraph  # "countries must do more": a sentence's last word, not a link
    return body


# The words of a link to the rest of a story, on a listing page.
MORE_LINKS = frozenset(
    {"more", "read more", "read on", "continue reading", "full story", "read the full story", "read the story",
     "learn more", "find out more", "details", "view more", "see more", "more info", "read article",
     "read the article", "view story"}
)  # fmt: skip


_MORE_PREFIXES = tuple(f"{phrase} " for phrase in MORE_LINKS if " " in phrase)


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
    counts with or without them. When dots go, one full stop stays:
    "convictions...... read more" gives "convictions.".
    """
    while True:
        stripped = _strip_trailer_once(paragraph)
        if stripped == paragraph:
            return paragraph
        paragraph = stripped


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


def short(title: str, limit: int = 40) -> str:
    """`title` quoted for a one-line report, cut at a word when long."""
    if len(title) > limit:
        title = title[:limit].rsplit(" ", 1)[0] + "…"
    return repr(title)


def escape(text: str, quote: bool = True) -> str:
    """`html.escape`, without importing the `html` package's entity tables."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text
