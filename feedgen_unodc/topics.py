"""Which topics an item is about, decided by vocabularies kept as data (`topics.toml`)."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .model import Item, Problem, warning
from .text import excerpt, short


class VocabularyError(ValueError):
    """A topic vocabulary that cannot be used (a missing key, a bad term)."""


@dataclass(frozen=True)
class Topic:
    slug: str  # in file names and category terms: never change it once published
    name: str  # for people: category labels
    feed_title: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    _match: _Terms = field(init=False, repr=False, compare=False)
    _exclude: _Terms | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", self.slug):
            raise VocabularyError(f"topic slug {excerpt(self.slug)} must be lower-case letters, digits and '-'")
        for what, value in (("name", self.name), ("feed_title", self.feed_title)):
            if not isinstance(value, str) or not value.strip() or _CONTROL.search(value):
                raise VocabularyError(f"topic {self.slug!r}: {what} must be a line of text, not {excerpt(value)}")
        if not self.terms:
            raise VocabularyError(f"topic {self.slug!r} has no terms")
        match = _Terms.of(self.terms, avoid=())
        object.__setattr__(self, "_match", match)
        object.__setattr__(self, "_exclude", _Terms.of(self.exclude, avoid=match.needles) if self.exclude else None)

    def is_about(self, text: str) -> bool:
        """True when `text` uses one of the terms, outside the excluded phrases."""
        return self.is_about_folded(text.casefold())

    def is_about_folded(self, folded: str) -> bool:
        """`is_about` of a text already `str.casefold()`ed: one fold serves every topic."""
        if not self._match.may_occur(folded):
            return False
        if self._exclude is not None:
            folded = self._exclude.removed_from(folded)
        return self._match.found_in(folded)


class _Terms(NamedTuple):
    """Terms as regular expressions, grouped by a word each match of them must contain: its needle.

    Terms match caselessly (Unicode case folding of text and terms alike).
    A needle is a quick test that rules out most texts before any expression
    runs, and an expression is compiled only when a text first holds its needle:
    a build pays for the terms its listing uses, not for the whole vocabulary.
    """

    regexes: tuple[str, ...]  # one per term, in the vocabulary's order
    groups: tuple[tuple[str, tuple[int, ...]], ...]  # (needle, the terms with that needle)

    @classmethod
    def of(cls, terms: Iterable[str], avoid: tuple[str, ...]) -> _Terms:
        """Terms grouped by needle; each needle chosen, where the term allows, not to contain any of `avoid`.

        An excluded phrase ("drug traffick*") would otherwise take the word of the
        topic's own term as its needle, and that word is in every text about the topic.
        """
        regexes: list[str] = []
        groups: dict[str, list[int]] = {}
        for term in terms:
            if not isinstance(term, str) or not term.split() or any(not _WORD.fullmatch(w) for w in term.split()):
                raise VocabularyError(f"term {excerpt(term)}: use words, optionally ending in '*'")
            words = term.casefold().split()
            literals = [w.rstrip("*") for w in words]
            rare = [w for w in literals if not any(a in w for a in avoid)] or literals
            groups.setdefault(max(rare, key=len), []).append(len(regexes))
            regexes.append(_regex(words))
        return cls(tuple(regexes), tuple((needle, tuple(indices)) for needle, indices in groups.items()))

    @property
    def needles(self) -> tuple[str, ...]:
        return tuple(needle for needle, _ in self.groups)

    def may_occur(self, folded: str) -> bool:
        return any(needle in folded for needle, _ in self.groups)

    def found_in(self, folded: str) -> bool:
        return any(
            needle in folded and any(_compiled(self.regexes[i]).search(folded) for i in indices)
            for needle, indices in self.groups
        )

    def removed_from(self, folded: str) -> str:
        """`folded` with every match of the terms replaced by a space.

        One expression of every term whose needle occurs, in the vocabulary's
        order: the leftmost match wins, as if all terms were one expression, and
        a removal never joins the words on either side into a new match.
        """
        present = sorted(i for needle, indices in self.groups if needle in folded for i in indices)
        if not present:
            return folded
        return _compiled("|".join(self.regexes[i] for i in present)).sub(" ", folded)


def _regex(words: list[str]) -> str:
    """The expression of a term: its words, whole, with any run of spaces and hyphens between them.

    A term starting with a letter starts with its letters, then asserts the word
    boundary behind them: the same matches as a leading `\\b`, found by the
    regular expression engine's fast literal scan instead of a try at every position.
    """
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    first = re.escape(words[0].rstrip("*"))
    if not re.match(r"\w", words[0]):
        return r"\b" + r"[\s-]+".join(parts) + r"\b"
    head = first + rf"(?<!\w{first})" + (r"\w*" if words[0].endswith("*") else "")
    return head + "".join(r"[\s-]+" + part for part in parts[1:]) + r"\b"


_WORD = re.compile(r"[\w'-]+\*?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_compiled = functools.cache(re.compile)


def parse_vocabulary(data: Mapping[str, Any]) -> tuple[Topic, ...]:
    """Topics from the parsed TOML of a vocabulary (see `topics.toml`)."""
    try:
        topics = tuple(
            Topic(
                slug=entry["slug"],
                name=entry["name"],
                feed_title=entry["feed_title"],
                terms=tuple(entry["terms"]),
                exclude=tuple(entry.get("exclude", ())),
            )
            for entry in data["topic"]
        )
    except (KeyError, TypeError) as exc:
        raise VocabularyError(f"each [[topic]] needs slug, name, feed_title and terms ({exc})") from exc
    slugs = [t.slug for t in topics]
    if len(set(slugs)) != len(slugs):
        raise VocabularyError(f"topic slugs must be unique: {slugs}")
    return topics


def load_vocabulary(data: bytes) -> tuple[Topic, ...]:
    """Topics from the bytes of a vocabulary file; raises `VocabularyError`."""
    try:
        return parse_vocabulary(tomllib.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(f"not a TOML vocabulary ({exc})") from exc


def topics_of(items: list[Item], topics: tuple[Topic, ...]) -> tuple[list[tuple[str, ...]], list[Problem]]:
    """The topics each item's title and summary are about; a warning for each listed item about none."""
    result = []
    problems = []
    for item in items:
        folded = "\n".join((item.title, *item.paragraphs)).casefold()
        slugs = tuple(t.slug for t in topics if t.is_about_folded(folded))
        if not slugs and item.line is not None:  # archived stories were reported when listed
            problems.append(
                warning(item.line, f"{short(item.title)} matches no topic; it goes into the all-items feeds only")
            )
        result.append(slugs)
    return result, problems
