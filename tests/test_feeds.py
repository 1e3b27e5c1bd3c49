"""The published feeds, read back by real clients: feedparser, the Atom schema, the W3C validator's rules."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from lxml import etree
from support import FEED_FILES, SEED, SEED_ITEMS, SHIPPED_TOPICS, listing, messages, parsed, read, render_feeds, run
from w3c_rules import check_feed

from feedgen_unodc.catalog import feeds
from feedgen_unodc.feeds import archive, entry_blocks
from feedgen_unodc.model import Item
from feedgen_unodc.settings import DEFAULT_BASE_URL, LISTING_URL, FeedSettings

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "schemas" / "atom.rng")))


def entry_date(entry: feedparser.FeedParserDict) -> date:
    return datetime.fromtimestamp(calendar.timegm(entry.published_parsed), UTC).date()


def test_the_all_items_feeds_hold_the_30_seed_items_newest_first(seed_output: Path) -> None:
    for name in ("all.atom.xml", "all.rss.xml"):
        entries = parsed(seed_output / name).entries
        assert len(entries) == 30
        assert (entries[0].title, entry_date(entries[0])) == (
            "Securing Evidence: The Key to Convictions in Human Trafficking",
            date(2022, 1, 20),
        )
        # the December 2020 block, listed 14, 15, 21, 16, comes out in date order
        assert [entry_date(e) for e in entries[-4:]] == [date(2020, 12, d) for d in (21, 16, 15, 14)]
        stamps = [calendar.timegm(e.published_parsed) for e in entries]
        assert stamps == sorted(stamps, reverse=True)
        assert len(set(stamps)) == len(stamps)


def test_the_16_december_entry_does_not_carry_the_15_december_summary(seed_output: Path) -> None:
    for name in ("all.atom.xml", "all.rss.xml"):
        entries = {entry_date(e): e for e in parsed(seed_output / name).entries}
        fifteenth, sixteenth = entries[date(2020, 12, 15)], entries[date(2020, 12, 16)]
        assert sixteenth.title.startswith("Exploited and Prosecuted")
        assert "inter-agency partnership" in fifteenth.summary
        assert "inter-agency partnership" not in sixteenth.summary
        assert "another story's summary" in sixteenth.summary  # honest text, never an empty entry


def test_topic_feeds_hold_exactly_the_items_about_their_topic(seed_output: Path) -> None:
    everything = {e.id: e for e in parsed(seed_output / "all.atom.xml").entries}
    seen: set[str] = set()
    for topic in SHIPPED_TOPICS:
        for fmt in ("atom", "rss"):
            entries = parsed(seed_output / f"{topic.slug}.{fmt}.xml").entries
            expected = [i.id for i in SEED_ITEMS if topic.slug in i.topics]
            assert [e.id for e in entries] == expected
            assert expected, f"no item about {topic.slug}"
            seen.update(expected)
    assert seen == set(everything)  # every item is in at least one topic feed
    assert {tuple(t.term for t in e.tags) for e in everything.values()} >= {("trafficking",), ("smuggling",)}


def test_every_entry_carries_its_topics_as_categories(seed_output: Path) -> None:
    names = {t.slug: t.name for t in SHIPPED_TOPICS}
    atom = parsed(seed_output / "all.atom.xml").entries
    rss = parsed(seed_output / "all.rss.xml").entries
    for item, a, r in zip(SEED_ITEMS, atom, rss, strict=True):
        assert [(t.term, t.label) for t in a.tags] == [(slug, names[slug]) for slug in item.topics]
        assert [t.term for t in r.tags] == [names[slug] for slug in item.topics]  # RSS has labels only


def test_ids_are_unique_and_the_same_for_a_story_in_every_feed(seed_output: Path) -> None:
    ids_by_title: dict[str, set[str]] = {}
    for name in FEED_FILES:
        entries = parsed(seed_output / name).entries
        ids = [e.id for e in entries]
        assert len(set(ids)) == len(ids), name
        for e in entries:
            assert e.id.startswith("urn:uuid:")
            ids_by_title.setdefault(e.title, set()).add(e.id)
    assert all(len(ids) == 1 for ids in ids_by_title.values())


def test_links_are_unique_and_lead_to_the_listing_when_no_story_url_is_known(seed_output: Path) -> None:
    links = [e.link for e in parsed(seed_output / "all.rss.xml").entries]
    assert len(set(links)) == len(links)
    assert all(link.startswith(f"{LISTING_URL}#20") for link in links)


def test_feed_metadata(seed_output: Path) -> None:
    for feed in feeds(SHIPPED_TOPICS):
        for fmt, media_type in (("atom", "application/atom+xml"), ("rss", "application/rss+xml")):
            name = f"{feed.slug}.{fmt}.xml"
            result = parsed(seed_output / name).feed
            assert result.title == feed.title
            assert result.subtitle == feed.subtitle
            assert result.language == "en"
            assert result.link == LISTING_URL  # the alternate link, and the RSS channel link
            links = {(link.rel, link.href, link.get("type")) for link in result.links}
            assert ("self", f"{DEFAULT_BASE_URL}{name}", media_type) in links
            newest = parsed(seed_output / name).entries[0].published_parsed
            assert result.updated_parsed == newest  # the newest entry's time, never the clock's
    assert "human trafficking" in parsed(seed_output / "trafficking.atom.xml").feed.title
    assert "migrant smuggling" in parsed(seed_output / "smuggling.rss.xml").feed.title
    author = parsed(seed_output / "all.atom.xml").feed.author_detail.name
    assert author == "UNODC Human Trafficking and Migrant Smuggling Section"


@pytest.mark.parametrize("name", FEED_FILES)
def test_every_file_passes_the_w3c_validator_rules_at_its_self_url(seed_output: Path, name: str) -> None:
    assert check_feed((seed_output / name).read_bytes(), f"{DEFAULT_BASE_URL}{name}") == []


@pytest.mark.parametrize("name", [n for n in FEED_FILES if n.endswith(".atom.xml")])
def test_every_atom_file_is_valid_against_the_rfc_4287_schema(seed_output: Path, name: str) -> None:
    document = etree.parse(str(seed_output / name))
    assert SCHEMA.validate(document), SCHEMA.error_log
    # The schema's Schematron rules, which RELAX NG alone does not check:
    root = document.getroot()
    assert root.find(f"{ATOM}author") is not None  # so no entry needs its own author
    for entry in root.iter(f"{ATOM}entry"):
        # A link without rel is an alternate link (RFC 4287, 4.2.7.2); feedgen writes entry links so.
        alternates = [link for link in entry.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert entry.find(f"{ATOM}content") is not None or alternates
    # ...and RFC 3339, which wants a time zone the schema's xsd:dateTime does not.
    for stamp in root.iter(f"{ATOM}updated", f"{ATOM}published"):
        assert datetime.fromisoformat(stamp.text or "").tzinfo is not None


def test_ids_survive_a_move_to_another_base_url(tmp_path: Path, seed_output: Path) -> None:
    run("build", "--source", SEED, "--output", tmp_path, "-q", "--base-url", "https://feeds.example.net/unodc/")
    for name in FEED_FILES:
        moved, original = parsed(tmp_path / name), parsed(seed_output / name)
        assert [e.id for e in moved.entries] == [e.id for e in original.entries]
        if name.endswith(".atom.xml"):
            assert moved.feed.id == original.feed.id
        self_link = next(link.href for link in moved.feed.links if link.rel == "self")
        assert self_link == f"https://feeds.example.net/unodc/{name}"
        assert check_feed((tmp_path / name).read_bytes(), self_link) == []


def test_the_same_source_gives_byte_identical_files(tmp_path: Path, seed_output: Path) -> None:
    run("build", "--source", SEED, "--output", tmp_path, "-q")
    for name in FEED_FILES:
        assert (tmp_path / name).read_bytes() == (seed_output / name).read_bytes()


def test_markup_and_ampersands_in_the_source_show_as_text() -> None:
    items, problems = read(
        listing(
            """
            17 February 2021
            Human Rights & Gender Equality: A > B, R&D, Q&A, AT&T
            Human trafficking & <script>alert("x")</script> &amp; more text.
            Second paragraph.
            """
        )
    )
    assert problems == []
    documents = render_feeds(items)
    for name in ("all.atom.xml", "all.rss.xml"):
        entry = feedparser.parse(documents[name]).entries[0]
        assert entry.title == "Human Rights & Gender Equality: A > B, R&D, Q&A, AT&T"
        assert entry.summary == (
            '<p>Human trafficking &amp; &lt;script&gt;alert("x")&lt;/script&gt; &amp;amp; more text.</p>'
            "<p>Second paragraph.</p>"
        )
        assert check_feed(documents[name], f"{DEFAULT_BASE_URL}{name}") == []


def test_a_title_that_readers_would_take_for_html_is_reported_and_published_as_text() -> None:
    # An end tag or an entity in a title is flagged by the W3C validator whatever
    # the escaping (it checks the parsed text), so the normalizer says so first.
    items, problems = read(listing("17 February 2021\nHuman Rights &amp; <b>Gender</b>\nHuman trafficking.\n"))
    assert messages(problems) == [
        "in.txt:2: warning: the title holds '<b>', which feed validators and some readers take for HTML; "
        "it is published as text"
    ]
    documents = render_feeds(items)
    # what the normalizer warned of: the validator flags the title, and only the title
    for name, rule in (("all.atom.xml", "ContainsUndeclaredHTML"), ("all.rss.xml", "ContainsHTML")):
        assert feedparser.parse(documents[name]).entries[0].title == "Human Rights &amp; <b>Gender</b>"
        findings = check_feed(documents[name], f"{DEFAULT_BASE_URL}{name}")
        assert [(f.level, f.rule) for f in findings] == [("warning", rule)]


def test_a_topic_without_items_still_makes_valid_feeds() -> None:
    items, _ = read(listing("1 May 2021\nMigrant smuggling only\nText.\n"))
    documents = render_feeds(items)
    for fmt in ("atom", "rss"):
        name = f"trafficking.{fmt}.xml"
        result = feedparser.parse(documents[name])
        assert (result.bozo, result.entries) == (False, [])
        assert result.feed.updated_parsed[:3] == (2021, 5, 1)  # the listing's newest item
        assert check_feed(documents[name], f"{DEFAULT_BASE_URL}{name}") == []


def test_items_of_one_id_each_get_their_entry() -> None:
    # An archive never holds two stories of one id, but a caller of the renderer may.
    first, second = SEED_ITEMS[0], SEED_ITEMS[1]
    assert (first.topics, second.topics) == (("trafficking",), ("smuggling",))
    documents = render_feeds([first, first, second])
    expected = {"all": 3, "trafficking": 2, "smuggling": 1}
    for name, document in documents.items():
        assert len(feedparser.parse(document).entries) == expected[name.split(".")[0]], name


# --- an archive document made again, the entries of unchanged stories kept ---------------------------------

ARCHIVED = [item for item in SEED_ITEMS if item.day.year == 2021]
NAMES = {topic.slug: topic.name for topic in SHIPPED_TOPICS}


def archive_document(entries: list[Item], kept: dict[str, bytes] | None = None) -> bytes:
    return archive(feeds(SHIPPED_TOPICS)[0], 2021, entries, NAMES, FeedSettings(), 2020, 2022, kept)


@pytest.mark.parametrize(
    "kept",
    [
        pytest.param(lambda ids: ids, id="every entry kept"),
        pytest.param(lambda ids: ids[1:], id="all but the newest: a story that left the feed"),
        pytest.param(lambda ids: ids[:1] + ids[3:], id="some in the middle made again"),
        pytest.param(lambda ids: [], id="none kept"),
    ],
)
def test_an_archive_document_with_kept_entries_has_the_bytes_of_one_made_whole(kept: Any) -> None:
    whole = archive_document(ARCHIVED)
    blocks = entry_blocks(whole)
    assert list(blocks) == [item.id for item in ARCHIVED]
    ids = kept([item.id for item in ARCHIVED])
    assert archive_document(ARCHIVED, {i: blocks[i] for i in ids}) == whole


def test_entries_kept_from_a_document_of_other_entries_go_where_their_stories_are() -> None:
    before = archive_document(ARCHIVED[2:])  # two stories have since left the feed for the archive
    blocks = entry_blocks(before)
    now = ARCHIVED[:-1]  # and the oldest is gone
    assert archive_document(now, {item.id: blocks[item.id] for item in now if item.id in blocks}) == archive_document(
        now
    )


def test_entry_blocks_of_a_file_not_made_here_are_none() -> None:
    assert entry_blocks(b"<feed/>") == {}
    assert entry_blocks(archive_document(ARCHIVED)[:-1]) == {}  # a cut file


def test_an_entry_whose_id_is_not_utf8_is_made_again_not_a_crash() -> None:
    whole = archive_document(ARCHIVED)
    first = ARCHIVED[0].id.encode()
    damaged = whole.replace(first, first[:-1] + b"\xff", 1)
    blocks = entry_blocks(damaged)
    assert ARCHIVED[0].id not in blocks
    kept = {i: b for i, b in blocks.items() if i in {item.id for item in ARCHIVED}}
    assert archive_document(ARCHIVED, kept) == whole
