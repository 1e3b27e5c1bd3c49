"""Properties that hold for any text, not just the examples."""

from __future__ import annotations

from datetime import UTC

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import format_items, read, render_feeds

from feedgen_unodc.model import Item, has_errors

# Text that looks like a listing often enough to reach every stage: date lines,
# titles, "read more" trailers, URLs, odd white space and control characters.
LINE = st.one_of(
    st.sampled_from(
        [
            "20 January 2022",
            "04 October 2021\u00a0",
            "8 December 2021",
            "31 June 2021",
            "31 Septmber 2021",
            "January 20, 2022",
            "2022-01-20",
            "",
            " ",
            "Human trafficking news",
            "Migrant smuggling news",
            "Same title",
            "https://www.unodc.org/story.html",
            "http://[",
            "https://[::1",
            'https://example.org/"quoted"',
            "8 December 2021 (updated)",
            "Wednesday, 8 December 2021",
            "08/12/2021",
            "\u200b8 December 2021",
            "A summary paragraph.... read more",
            "... more",
            "read more",
            "Text & <b>markup</b>",
            "\x00\x1b\u0085",
            "A" + "." * 5000 + "x more",
        ]
    ),
    st.text(max_size=40),
)
LISTING = st.lists(LINE, max_size=30).map("\n".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(LISTING.map(str.encode), st.binary(max_size=200)))
def test_reading_any_bytes_never_raises(data: bytes) -> None:
    items, problems = read(data)
    assert items or problems  # an unusable listing always says why


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(LISTING)
def test_items_are_well_formed(text: str) -> None:
    items, _ = read(text.encode())
    ids = [i.id for i in items]
    links = [i.link for i in items]
    assert len(set(ids)) == len(ids)
    assert len(set(links)) == len(links)
    assert all(i.published.tzinfo is UTC and i.published.date() == i.day for i in items)
    stamps = [i.published for i in items]
    assert stamps == sorted(stamps, reverse=True)
    assert len(set(stamps)) == len(stamps)
    assert all(bool(i.paragraphs) != (i.summary_gap is not None) for i in items)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(LISTING)
def test_normalizing_twice_changes_nothing(text: str) -> None:
    once, first_problems = read(text.encode())
    twice, problems = read(format_items(once).encode())

    def story(i: Item) -> tuple[object, ...]:
        return (i.id, i.day, i.published, i.title, i.paragraphs, i.story_url, i.link, i.topics)

    if has_errors(first_problems):
        return  # a listing with errors is not published, so there is nothing to write back
    assert [story(i) for i in twice] == [story(i) for i in once]
    assert not has_errors(problems)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LISTING)
def test_any_items_render_to_feeds_that_parse(text: str) -> None:
    import feedparser

    items, _ = read(text.encode())
    if not items:
        return
    for name, document in render_feeds(items).items():
        result = feedparser.parse(document)
        assert not result.bozo, (name, result.get("bozo_exception"))
        if name.startswith("all."):
            assert [e.id for e in result.entries] == [i.id for i in items]
