"""Rules for titles and summaries: white space, the "read more" trailer, words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedgen_unodc.text import fold_space, short, slug, strip_trailer, words

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"18 December 2021{NBSP} ", "18 December 2021"),  # a no-break space after a date
        (f"through the{NBSP} STARSOM{NBSP} project", "through the STARSOM project"),  # inside a sentence
        ("a\t\tb  c\u2028d", "a b c d"),  # tabs, runs, a line separator
        ("\u200b8 December 2021\ufeff", "8 December 2021"),  # invisible characters go
        ("\u200e\u202a20 January 2022\u202c\u2069", "20 January 2022"),  # bidirectional marks and isolates
        ("traf\u00adficking \u034fand\u180e\u061c smug\u200cgling", "trafficking and smuggling"),  # soft hyphen...
        ("   ", ""),
    ],
)
def test_white_space_folds_to_single_spaces(text: str, expected: str) -> None:
    assert fold_space(text) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # every trailer the seed listing uses
        ("just over 3,500 convictions...... read more", "just over 3,500 convictions."),
        ("the migrant smuggling enterprise.... read more", "the migrant smuggling enterprise."),
        ("through the STARSOM project .... read more", "through the STARSOM project."),
        ("migrants, both accompanied and unaccompanied.... more", "migrants, both accompanied and unaccompanied."),
        ("on the smuggling of migrants. more", "on the smuggling of migrants."),
        ("in the trafficking network. .... more", "in the trafficking network."),
        ("human trafficking and migrant smuggling... more", "human trafficking and migrant smuggling."),
        ('"... he adds. more', '"... he adds.'),
        # the dots end the sentence: one full stop stays, after a bracket or a quote too
        ('the "DataJam Against Exploitation"... more', 'the "DataJam Against Exploitation".'),
        ("It was established (2007). ... more", "It was established (2007)."),
        ('He said "yes".... read more', 'He said "yes".'),
        ("Is it? ... more", "Is it?"),
        # "more" must be a word of its own
        ("Nevermore... evermore", "Nevermore... evermore"),
        # "read more" counts without dots too, and in any case
        ("See the report read more", "See the report"),
        ("See the report... Read More", "See the report."),
        # a bare "more" is the trailer only after dots: here it is the sentence's last word
        ("Countries must do more", "Countries must do more"),
        ("No trailer at all.", "No trailer at all."),
        # a paragraph that is nothing but the trailer
        ("... read more", ""),
        ("read more", ""),
    ],
)
def test_the_read_more_trailer_is_dropped(paragraph: str, expected: str) -> None:
    assert strip_trailer(paragraph) == expected


@pytest.mark.parametrize("ending", ["x more", "x", " more", "more."])
def test_a_long_run_of_dots_is_handled_in_linear_time(ending: str) -> None:
    # A regular expression with backtracking took minutes on such a line from a junk page.
    paragraph = "A" + "." * 200_000 + ending
    assert strip_trailer(paragraph).startswith("A")


def test_a_trailer_repeated_a_hundred_thousand_times_is_stripped_in_one_pass() -> None:
    assert strip_trailer("Text." + " read more" * 100_000) == "Text."


def _plain_strip_trailer(paragraph: str) -> str:
    """The rule as first written: strip one trailer, by copies of the text, until none is left (quadratic)."""

    def cut(text: str, word: str) -> str | None:
        if len(text) < len(word) or text[-len(word) :].casefold() != word:
            return None
        rest = text[: -len(word)]
        return rest if not rest or not rest[-1].isalnum() else None

    while True:
        text = paragraph.rstrip().rstrip("\u00bb\u203a\u2192>").rstrip()
        rest = cut(text, "more")
        if rest is None:
            return paragraph
        rest = rest.rstrip()
        after_read = cut(rest, "read")
        rest = rest if after_read is None else after_read
        body = rest.rstrip(" \t.\u2026")
        dots = rest[len(body) :].count(".") + rest[len(body) :].count("\u2026")
        if not dots and after_read is None:
            return paragraph
        body = body.rstrip()
        if dots and body and body[-1] not in ".!?…:;":
            body += "."
        if body == paragraph:
            return paragraph
        paragraph = body


TRAILER_PIECES = st.sampled_from(["read", "more", "Read More", " ", ".", "...", "\u2026", "»", "→", "x", "!", "\t"])


@given(st.lists(TRAILER_PIECES, max_size=12).map("".join))
def test_the_one_pass_strip_is_the_plain_rule(text: str) -> None:
    assert strip_trailer(text) == _plain_strip_trailer(text)


@given(st.text())
def test_stripping_the_trailer_twice_changes_nothing(text: str) -> None:
    once = strip_trailer(text)
    assert strip_trailer(once) == once


@given(st.text())
def test_folding_twice_changes_nothing(text: str) -> None:
    once = fold_space(text)
    assert fold_space(once) == once


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2020 - A Year in Review", "2020 \u2013 a year in review"),
        ("UNODC and Canada  Launch", "unodc and canada launch"),
        ("Caf\u00e9", "cafe\u0301"),  # composed and decomposed accents
    ],
)
def test_words_ignore_case_punctuation_and_space(a: str, b: str) -> None:
    assert words(a) == words(b)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Securing Evidence: The Key to Convictions", "securing-evidence-the-key-to-convictions"),
        ("Kenya and Uganda work closer in\u00a0East Africa", "kenya-and-uganda-work-closer-in-east-africa"),
        ("C\u00f4te d'Ivoire", "cote-d-ivoire"),
        ("\u4eba\u53e3\u8d29\u8fd0", ""),  # no ASCII letters at all
        ("word " * 30, "-".join(["word"] * 12)),  # cut at a word, at most 60 characters
    ],
)
def test_slugs_are_ascii_words(title: str, expected: str) -> None:
    assert slug(title) == expected


def test_short_cuts_long_titles_at_a_word() -> None:
    assert (
        short("Exploited and Prosecuted: When Victims of Human Trafficking")
        == "'Exploited and Prosecuted: When Victims…'"
    )
    assert short("Short title") == "'Short title'"
