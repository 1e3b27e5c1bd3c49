"""The archive: what merging a listing keeps, adds and corrects; and the one-file form earlier versions
kept it in, which builds read once, to move it into the archive folder (see test_archivestore.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from support import listing, normalized

from feedgen_unodc.archive import (
    Archive,
    ArchiveError,
    Removal,
    _row,
    identify,
    loads,
    merge,
    regression,
    remove,
    restore,
)
from feedgen_unodc.archivestore import by_year, dumps_year
from feedgen_unodc.jsontext import document
from feedgen_unodc.model import Item

NOW = datetime(2026, 11, 29, 6, 30, tzinfo=UTC)
PAGE = listing(
    """
    3 May 2021
    Third story
    Text three.
    2 May 2021
    Second story
    Text two.
    1 May 2021
    First story
    Text one.
    """
)


def items(data: bytes = PAGE) -> list[Item]:
    return normalized(data)[0]


def dumps(archive: Archive) -> bytes:
    """The archive's bytes as its folder keeps them: its years' files, one after another."""
    return b"".join(dumps_year(year, stories) for year, stories in by_year(archive.stories).items())


def legacy(archive: Archive) -> bytes:
    """The archive as an earlier version wrote it, in one file (format 1)."""
    return document({"format": 1, "on_page": list(archive.on_page)}, "stories", map(_row, archive.stories))


def test_a_first_merge_adds_every_story_as_the_listing_dates_it() -> None:
    archive, changes = merge(Archive(), items(), NOW)
    assert [s.title for s in archive.stories] == ["Third story", "Second story", "First story"]
    assert all(s.updated == s.published for s in archive.stories)
    assert (len(changes.added), changes.changed, changes.kept) == (3, (), 0)
    assert archive.on_page == tuple(i.id for i in items())


def test_merging_the_same_listing_again_changes_nothing() -> None:
    archive, _ = merge(Archive(), items(), NOW)
    again, changes = merge(archive, items(), NOW + timedelta(hours=1))
    assert dumps(again) == dumps(archive)
    assert (changes.added, changes.changed, changes.kept) == ((), (), 3)


def test_a_story_the_page_drops_stays() -> None:
    archive, _ = merge(Archive(), items(), NOW)
    later, _ = merge(archive, items(listing("3 May 2021\nThird story\nText three.\n")), NOW)
    assert [s.title for s in later.published()] == ["Third story", "Second story", "First story"]
    assert later.on_page == (items()[0].id,)


def test_a_correction_replaces_the_text_and_records_when_it_was_seen() -> None:
    archive, _ = merge(Archive(), items(), NOW)
    corrected = items(PAGE.replace(b"Text two.", b"Text two, corrected.").replace(b"Text one.", b"One, fixed."))
    later, changes = merge(archive, corrected, NOW)
    by_title = {s.title: s for s in later.stories}
    assert by_title["Second story"].paragraphs == ("Text two, corrected.",)
    assert by_title["Second story"].published == archive.stories[1].published  # its place in the feed stays
    # two corrections seen in one run still get distinct times (readers and validators want them distinct)
    assert (by_title["Second story"].updated, by_title["First story"].updated) == (NOW, NOW - timedelta(seconds=1))
    assert len(changes.changed) == 2


def test_a_new_story_on_a_day_already_published_goes_just_below_it() -> None:
    archive, _ = merge(Archive(), items(), NOW)
    later, _ = merge(archive, items(listing("2 May 2021\nAnother story of the second\nText.\n")), NOW)
    second = [s for s in later.stories if s.day.day == 2]
    assert [s.title for s in second] == ["Second story", "Another story of the second"]
    assert second[0].published - second[1].published == timedelta(seconds=1)


def test_removed_stories_are_not_published_until_restored() -> None:
    archive, _ = merge(Archive(), items(), NOW)
    story = archive.stories[1]
    removed = remove(archive, story.id, "withdrawn", NOW)
    assert removed.removed == {story.id: Removal(NOW, "withdrawn", story.title)}
    assert story not in removed.published()
    again, _ = merge(removed, items(), NOW)  # still on the page: still removed
    assert story.id not in [s.id for s in again.published()]
    assert story.id in [s.id for s in restore(again, story.id).published()]
    with pytest.raises(KeyError):
        remove(archive, "urn:uuid:unknown", "x", NOW)
    with pytest.raises(KeyError):
        restore(archive, story.id)


@pytest.mark.parametrize(("kept", "refused"), [(3, False), (2, False), (1, True), (0, True)])
def test_a_listing_that_drops_more_than_half_is_refused(kept: int, refused: bool) -> None:
    archive, _ = merge(Archive(), items(), NOW)
    problem = regression(archive, items()[:kept], 0.5)
    assert (problem is not None) == refused


def test_the_file_of_an_earlier_version_reads_back_the_same() -> None:
    archive, _ = merge(Archive(), items(), NOW)
    data = legacy(archive)
    assert loads(data).stories == tuple(replace(s, line=None) for s in archive.stories)
    assert loads(data).on_page == archive.on_page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a feedgen-unodc archive (JSONDecodeError"),
        (b'{"format": 1, "stories": [', "not a feedgen-unodc archive (JSONDecodeError"),
        (b'{"format": 2}', "unknown archive format 2 (this program reads 1)"),
        (b'{"format": true}', "unknown archive format True (this program reads 1)"),  # true is no 1
        (b'{"format": 1, "stories": [{"id": "x"}], "removed": {}, "on_page": []}', "story 1: summary must be a list"),
        (b"\xff\xfe", "(UnicodeDecodeError"),
        (b"[]", "the archive must be an object, not []"),
        (b"[" * 200_000 + b"]" * 200_000, "nested too deeply to be one"),
        (b'{"format": ' + b"1" * 5000 + b"}", "not a feedgen-unodc archive (Exceeds the limit"),  # no int for Python
        (b'{"format": 1, "stories": [], "removed": {}, "on_page": "abcdef"}', "on_page must be a list, not 'abcdef'"),
        (b'{"format": 1, "stories": [], "removed": [], "on_page": []}', "removed must be an object, not []"),
    ],
)
def test_a_damaged_archive_is_an_error_saying_what(data: bytes, message: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        loads(data)
    assert message in str(caught.value)


def _with_story(**changes: object) -> bytes:
    archive, _ = merge(Archive(), items(), NOW)
    written = json.loads(legacy(archive))
    written["stories"][0].update(changes)
    return json.dumps(written).encode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": 5}, "story 1: title must be a line of text, not 5"),
        ({"title": ""}, "story 1: title must be a line of text"),
        ({"title": "A\x00B"}, "story 1: title must be a line of text"),
        ({"title": "A\uffffB"}, "story 1: title must be a line of text"),  # XML forbids it: lxml would fail
        ({"title": "A\ud800B"}, "story 1: title must be a line of text"),  # a lone surrogate
        ({"summary": [1, 2]}, "story 1: a summary paragraph must be a line of text, not 1"),
        ({"summary": "abc"}, "story 1: summary must be a list, not 'abc'"),  # not paragraphs a, b, c
        ({"id": 5}, "story 1: id must be a story id (urn:uuid:...), not 5"),
        ({"id": "javascript:alert(1)"}, "story 1: id must be a story id (urn:uuid:...), not 'javascript:alert(1)'"),
        ({"story_url": "javascript:alert(1)"}, "story_url 'javascript:alert(1)' is not an absolute http(s) URL"),
        ({"story_url": 5}, "story_url 5 is not text"),
        ({"published": "2021-05-03T12:00:00"}, "story 1: published must be a time with its time zone"),
        ({"published": "0001-01-01T00:00:00+00:00"}, "story 1: published must be a time with its time zone, from 1990"),
        ({"date": "0001-01-01"}, "story 1: date must be a date from 1990 on"),
        ({"summary_gap": "copied"}, "summary_gap must be absent or copied exactly when there is no summary"),
        ({"title": ["x" * 10_000_000]}, "title must be a line of text, not ['xxxxx"),  # quoted short
    ],
)
def test_a_hand_edited_archive_is_checked_before_anything_is_published(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ArchiveError) as caught:
        loads(_with_story(**changes))
    assert message in str(caught.value)
    assert len(str(caught.value)) < 300  # a message quotes a short excerpt, whatever the value


# --- corrections: a story keeps the id it was first given ------------------------------------------

MISTYPED = listing(
    """
    18 December 2012
    International Migrants Day 2021
    The world marks International Migrants Day.
    16 December 2021
    Nigeria Takes Steps to Stop Migrant Smuggling
    The smuggling of migrants is a big business.
    """
)


def corrected(data: bytes, later: bytes) -> tuple[Archive, Archive, list[str]]:
    """The archive after `data`, after `later`, and the warnings of the second merge."""
    first, _ = merge(Archive(), items(data), NOW)
    listed, problems = identify(first, items(later))
    second, _ = merge(first, listed, NOW + timedelta(days=1))
    return first, second, [p.message for p in problems]


def test_a_mistyped_year_fixed_on_the_page_is_the_same_story_under_the_id_it_had() -> None:
    first, second, warnings = corrected(MISTYPED, MISTYPED.replace(b"18 December 2012", b"18 December 2021"))
    assert [s.id for s in second.stories] == [first.stories[1].id, first.stories[0].id]  # now newest first
    story = second.stories[0]
    assert (story.day.isoformat(), story.title) == ("2021-12-18", "International Migrants Day 2021")
    assert story.published == datetime(2021, 12, 18, 12, tzinfo=UTC)  # dated as the corrected date says
    assert story.updated == NOW + timedelta(days=1)  # when the correction was seen
    assert warnings == [
        "corrected date of 'International Migrants Day 2021': 18 December 2012 is now 18 December 2021; "
        "one story, under the id it had"
    ]


def test_an_edited_title_is_the_same_story_under_the_id_it_had() -> None:
    edited = MISTYPED.replace(b"Nigeria Takes Steps", b"Nigeria Takes Firm Steps")
    first, second, warnings = corrected(MISTYPED, edited)
    assert [s.id for s in second.stories] == [s.id for s in first.stories]
    old, new = first.stories[0], second.stories[0]
    assert (old.title, new.title) == (
        "Nigeria Takes Steps to Stop Migrant Smuggling",
        "Nigeria Takes Firm Steps to Stop Migrant Smuggling",
    )
    assert new.published == old.published  # its place in the feed stays
    assert warnings == [
        "corrected title of the 16 December 2021 story: 'Nigeria Takes Steps to Stop Migrant…' is now "
        "'Nigeria Takes Firm Steps to Stop…'; one story, under the id it had"
    ]


def test_a_corrected_story_stays_one_story_at_every_later_run() -> None:
    fixed = MISTYPED.replace(b"18 December 2012", b"18 December 2021")
    _, second, _ = corrected(MISTYPED, fixed)
    listed, problems = identify(second, items(fixed))
    third, changes = merge(second, listed, NOW + timedelta(days=2))
    assert (dumps(third), changes.kept, problems) == (dumps(second), 2, [])


@pytest.mark.parametrize(
    "later",
    [
        # Both on the page: two stories of one title on two dates stay two.
        MISTYPED
        + listing("18 December 2021\nInternational Migrants Day 2021\nThe world marks International Migrants Day.\n"),
        # Another summary: another story.
        MISTYPED.replace(b"18 December 2012\nInternational", b"18 December 2021\nInternational").replace(
            b"The world marks", b"This year the world marks"
        ),
        # The date and the title changed together: nothing says it is the same story.
        MISTYPED.replace(b"18 December 2012\nInternational Migrants Day", b"18 December 2021\nMigrants Day"),
    ],
    ids=["both listed", "other summary", "date and title"],
)
def test_nothing_else_is_merged(later: bytes) -> None:
    first, second, warnings = corrected(MISTYPED, later)
    assert len(second.stories) == len({s.id for s in first.stories} | {i.id for i in items(later)})
    assert warnings == []


def test_a_correction_two_stories_could_be_is_not_merged() -> None:
    # Two stories left the page, each with the summary of the one that appeared: which was corrected?
    one, _ = merge(Archive(), items(listing("1 May 2021\nSame title\nThe same text.\n")), NOW)
    both, _ = merge(one, items(listing("2 May 2021\nOther title\nThe same text.\n")), NOW)
    both = replace(both, on_page=tuple(s.id for s in both.stories))
    listed, problems = identify(both, items(listing("2 May 2021\nSame title\nThe same text.\n")))
    assert listed[0].id not in {s.id for s in both.stories}
    assert problems == []


def runs(*listings: bytes) -> list[Archive]:
    """The archive after each listing in turn, one run a day."""
    archive, result = Archive(), []
    for day, data in enumerate(listings):
        listed, _ = identify(archive, items(data))
        archive, _ = merge(archive, listed, NOW + timedelta(days=day))
        result.append(archive)
    return result


IMD = b"18 December 2021\nInternational Migrants Day 2021\nThe world marks International Migrants Day.\n"
OTHER = b"Another story altogether.\n"


@pytest.mark.parametrize(
    "listings",
    [
        # The title edited, then the old title listed again beside the new one, with other text.
        [IMD, IMD.replace(b"Day 2021", b"Day 2021: Uphold Rights"),
         IMD.replace(b"Day 2021", b"Day 2021: Uphold Rights")
         + b"18 December 2021\nInternational Migrants Day 2021\n" + OTHER],
        # The year corrected, then the mistyped year listed again, with other text.
        [IMD.replace(b"2021\nInt", b"2012\nInt"), IMD,
         IMD + b"18 December 2012\nInternational Migrants Day 2021\n" + OTHER],
    ],
    ids=["old title again", "old year again"],
)  # fmt: skip
def test_a_story_under_the_date_and_title_a_correction_left_is_a_new_story(listings: list[bytes]) -> None:
    first, second, third = runs(*listings)
    assert [s.id for s in second.stories] == [s.id for s in first.stories]  # the correction: one story
    assert len(third.stories) == 2  # the new story is added beside it: nothing lost, nothing overwritten
    kept = next(s for s in third.stories if s.id == first.stories[0].id)
    assert kept.paragraphs == ("The world marks International Migrants Day.",)
    assert len(set(third.on_page)) == len(third.on_page) == 2
    assert [s.id for s in runs(*listings, listings[-1])[-1].stories] == [s.id for s in third.stories]  # stable
