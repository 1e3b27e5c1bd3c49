"""Rules for the text of titles and summaries, each a pure `str -> str`.

Every function here is idempotent: applying it to its own output changes
nothing (a property test holds them to it).
"""

from __future__ import annotations

import re
import unicodedata


def fold_space(text: str) -> str:
    """Fold every run of white space (tabs, no-break spaces, U+2028...) into one space."""
    return " ".join(text.split())


# The listing ends each summary with the link text of its "read more" link,
# after a run of dots: "...... read more", ".... more", "...\u00a0more". A bare
# "more" counts only after dots, so that "countries must do more" keeps its
# last word; "read more" counts with or without them.
_TRAILER = re.compile(
    r"""(?P<dots>(?:\s*\.)+)\s*(?:read\s+)?more\s*$   # dots, then "more" or "read more"
      | (?:^|\s+)read\s+more\s*$                      # "read more" alone
    """,
    re.IGNORECASE | re.VERBOSE,
)


def strip_trailer(paragraph: str) -> str:
    """Drop the link text of a "read more" link from the end of `paragraph`.

    The dots before it go too. When they were the sentence's only full stop
    ("convictions...... read more"), one full stop is kept: "convictions.".
    """
    while True:
        match = _TRAILER.search(paragraph)
        if match is None:
            return paragraph
        paragraph = paragraph[: match.start()].rstrip()
        if match.group("dots") and paragraph and paragraph[-1].isalnum():
            paragraph += "."


def words(text: str) -> list[str]:
    """The words of `text`, compatibility-normalized and case-folded.

    Punctuation, white space and letter case are not part of a story's
    identity: "2020 - A Year in Review" and "2020 \u2013 a year in review" have the
    same words.
    """
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


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
