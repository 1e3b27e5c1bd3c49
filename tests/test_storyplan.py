"""Which story pages a run reads: once each, again when the listing changes the story, a failure later."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from support import listing, read

from feedgen_unodc.model import Item
from feedgen_unodc.pagestore import KeptPage, listed
from feedgen_unodc.storyplan import FIRST_RETRY, LAST_RETRY, due, failed

NOW = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def stories(count: int) -> list[Item]:
    """`count` listed stories, newest first, each with its own page."""
    summary = "The text of story {}, as the listing gives it in full."
    text = "".join(f"{day} May 2021\nStory {day}\n{summary.format(day)}\n" for day in range(count, 0, -1))
    items, _ = read(listing(text))
    return [replace(item, story_url=f"https://www.unodc.org/story-{item.day.day}.html") for item in items]


def read_page(story: Item) -> KeptPage:
    """What is kept after a good read of `story`'s page."""
    return KeptPage(read_for=listed(story), read_at=NOW)


def test_a_run_reads_the_newest_pages_first_and_no_more_than_its_share() -> None:
    listed_stories = stories(25)
    first = due(listed_stories, {}, NOW, limit=10)
    assert [s.title for s in first] == [f"Story {n}" for n in range(25, 15, -1)]
    records = {s.story_url or "": read_page(s) for s in first}
    second = due(listed_stories, records, NOW, limit=10)
    assert [s.title for s in second] == [f"Story {n}" for n in range(15, 5, -1)]


def test_a_page_read_is_not_read_again_until_the_listing_changes_its_story() -> None:
    (story,) = stories(1)
    records = {story.story_url or "": read_page(story)}
    assert due([story], records, NOW) == []
    corrected = replace(story, paragraphs=("A corrected text, which the listing now gives in full.",))
    assert listed(corrected) != listed(story)
    assert due([corrected], records, NOW) == [corrected]


def test_a_story_without_a_page_is_never_due() -> None:
    (story,) = stories(1)
    assert due([replace(story, story_url=None)], {}, NOW) == []


def test_a_story_whose_summary_could_not_recognise_its_page_is_never_due() -> None:
    (story,) = stories(1)
    assert due([replace(story, paragraphs=())], {}, NOW) == []  # no summary
    assert due([replace(story, paragraphs=("UNODC news.",))], {}, NOW) == []  # found on any page


def test_a_failed_page_is_asked_again_later_and_later_at_most_weekly() -> None:
    record = KeptPage()
    waits = []
    for _ in range(12):
        record = failed(record, NOW)
        assert record.next_try is not None
        waits.append(record.next_try - NOW)
    assert waits[:4] == [FIRST_RETRY, 2 * FIRST_RETRY, 4 * FIRST_RETRY, 8 * FIRST_RETRY]
    assert waits[-1] == LAST_RETRY
    assert record.failures == 12


def test_a_failed_page_waits_for_its_next_try() -> None:
    (story,) = stories(1)
    records = {story.story_url or "": failed(KeptPage(), NOW)}
    assert due([story], records, NOW + timedelta(minutes=59)) == []
    assert due([story], records, NOW + FIRST_RETRY) == [story]


def test_two_stories_given_one_page_have_it_read_once_for_the_newer() -> None:
    newer, older = stories(2)
    shared = replace(older, story_url=newer.story_url)
    assert due([newer, shared], {}, NOW) == [newer]
    assert due([newer, shared], {newer.story_url or "": read_page(newer)}, NOW) == []


def test_a_failure_keeps_what_an_earlier_read_gave() -> None:
    kept = KeptPage(read_for="old", read_at=NOW, article="<p>Text</p>")
    after = failed(kept, NOW)
    assert (after.article, after.read_for, after.failures) == ("<p>Text</p>", "old", 1)
