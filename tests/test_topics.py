"""Topics: an item belongs to every topic its words are about."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import SHIPPED_TOPICS, listing, messages, read

from feedgen_unodc.topics import Topic, VocabularyError, _regex, parse_vocabulary

TOPICS = {t.slug: t for t in SHIPPED_TOPICS}


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        # the words themselves, in their forms
        ("Securing Evidence: The Key to Convictions in Human Trafficking", {"trafficking"}),
        ("Trafficking in Persons Protocol", {"trafficking"}),
        ("Human traffickers who trick people with fake job offers", {"trafficking"}),
        ("UNODC and Canada to Host Anti-Human Trafficking Technology Competition", {"trafficking"}),
        ("Nigeria Takes Steps to Stop Migrant Smuggling", {"smuggling"}),
        ("the criminal networks who smuggle migrants for profit", {"smuggling"}),
        ("Protection of Smuggled Migrants High on the Agenda", {"smuggling"}),
        ("there is often no other way than to use a smuggler", {"smuggling"}),
        ("cases of human trafficking and migrant smuggling", {"trafficking", "smuggling"}),
        # trafficking by its forms: the seed's 29 April 2021 item never says "trafficking"
        (
            "Children are being forced to beg and steal on the streets. Others are forced to work as prostitutes.",
            {"trafficking"},
        ),
        ("UNODC Unites Countries to Combat Labour Exploitation", {"trafficking"}),
        ("victims of forced labor and debt bondage", {"trafficking"}),
        # other trafficking and smuggling are not these topics
        ("Drug trafficking routes through the region", set()),
        ("Seizures show how firearms are trafficked; trafficking of drugs rose", {"trafficking"}),  # "trafficked" alone
        ("Cigarette smuggling costs billions", set()),
        ("drug trafficking and human trafficking often meet", {"trafficking"}),
        # words that merely contain a term
        ("Road traffic accidents", set()),
        ("An annual meeting on crime prevention", set()),
    ],
)
def test_an_item_is_about_each_topic_whose_terms_it_uses(text: str, topics: set[str]) -> None:
    assert {slug for slug, topic in TOPICS.items() if topic.is_about(text)} == topics


def test_topics_come_in_vocabulary_order_and_an_item_about_none_is_reported() -> None:
    items, problems = read(
        listing(
            """
            2 May 2021
            Migrant smuggling and human trafficking
            One text.
            1 May 2021
            World Press Freedom Day
            Another text.
            """
        )
    )
    assert [i.topics for i in items] == [("trafficking", "smuggling"), ()]
    assert messages(problems) == [
        "in.txt:4: warning: 'World Press Freedom Day' matches no topic; it goes into the all-items feeds only"
    ]


def test_a_summary_that_is_withheld_does_not_decide_topics() -> None:
    # The copied text talks about smuggling; the story it was copied onto does not.
    shared = "A long text about migrant smuggling."
    items, _ = read(listing(f"2 May 2021\nMigrant smuggling news\n{shared}\n1 May 2021\nPress day\n{shared}\n"))
    assert {i.title: i.topics for i in items} == {"Migrant smuggling news": ("smuggling",), "Press day": ()}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"topic": [{"slug": "x", "name": "X"}]}, "each [[topic]] needs slug, name, feed_title and terms"),
        ({"topic": [{"slug": "All", "name": "X", "feed_title": "X", "terms": ["x"]}]}, "topic slug 'All' must be"),
        ({"topic": [{"slug": "x", "name": "X", "feed_title": "X", "terms": []}]}, "topic 'x' has no terms"),
        ({"topic": [{"slug": "x", "name": "X", "feed_title": "X", "terms": ["a(b"]}]}, "term 'a(b': use words"),
        (
            {"topic": [{"slug": "x", "name": "X", "feed_title": "X", "terms": ["x"]}] * 2},
            "topic slugs must be unique",
        ),
    ],
)
def test_a_broken_vocabulary_is_refused_with_a_reason(data: dict[str, Any], message: str) -> None:
    with pytest.raises(VocabularyError, match=message.replace("[", r"\[").replace("(", r"\(")):
        parse_vocabulary(data)


def test_terms_match_whole_words_across_line_breaks_and_hyphens() -> None:
    topic = Topic("t", "T", "T", ("forced labour", "traffick*"))
    assert topic.is_about("victims of forced\nlabour")
    assert topic.is_about("anti-trafficking units")
    assert topic.is_about("forced-labour cases")
    assert not topic.is_about("enforced labourers")


@given(
    st.lists(
        st.sampled_from(["traffick", "trafficking", "drugs", "in", "of", "forced", "labour", "x", "-", " ", "\n", "."]),
        max_size=12,
    ).map("".join)
)
def test_a_term_s_expression_finds_what_a_leading_word_boundary_would(text: str) -> None:
    for words in (["traffick*", "in", "drugs"], ["forced", "labour"], ["drugs"]):
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
        plain = r"\b" + r"[\s-]+".join(parts) + r"\b"
        assert [m.span() for m in re.finditer(_regex(words), text)] == [m.span() for m in re.finditer(plain, text)]


def _plain_rule(topic: Topic, text: str) -> bool:
    """The rule in its plainest form: remove every excluded phrase, then look for a term; any case."""

    def pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
        parts = (
            "[\\s-]+".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in t.split())
            for t in terms
        )
        return re.compile("|".join(rf"\b{p}\b" for p in parts), re.IGNORECASE)

    if topic.exclude:
        text = pattern(topic.exclude).sub(" ", text)
    return pattern(topic.terms).search(text) is not None


WORDS = ["drug", "drugs", "heroin", "arms", "trafficking", "traffickers", "smuggling", "in", "of", "human", "forced",
         "labour", "Labor", "party", "politics", "persons", "DRUG", "Trafficking"]  # fmt: skip


@given(
    st.lists(st.sampled_from(WORDS), max_size=8),
    st.lists(st.sampled_from([" ", "-", " - ", ", "]), min_size=8, max_size=8),
)
def test_topics_follow_the_plain_rule(words: list[str], separators: list[str]) -> None:
    text = "".join(word + separator for word, separator in zip(words, separators, strict=False))
    vocabulary = (*SHIPPED_TOPICS, Topic("x", "X", "X", ("labour",), ("party politics", "labour party")))
    for topic in vocabulary:
        assert topic.is_about(text) == _plain_rule(topic, text), (topic.slug, text)
