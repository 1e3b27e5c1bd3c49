"""pages.json: what was read of each story page, kept in one canonical form, every value checked on reading,
and used for a story only as the listing gave it when the page was read."""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import SEED, SHIPPED_TOPICS, deployment, listing, read, run

from feedgen_unodc.archive import Archive
from feedgen_unodc.catalog import catalog, feeds
from feedgen_unodc.feeds import entries_of
from feedgen_unodc.model import Image, Item
from feedgen_unodc.pagestore import KeptPage, PagesError, attach, dumps, listed, loads
from feedgen_unodc.pipeline import documents
from feedgen_unodc.settings import FeedSettings

URL = "https://www.unodc.org/unodc/en/human-trafficking/2022/January/securing-evidence.html"
IMAGE = Image("https://www.unodc.org/images/evidence.jpg", "Investigators at work", "image/jpeg", 677, 64, 36)
READ_AT = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def story() -> Item:
    (item,), _ = read(listing("20 January 2022\nSecuring evidence\nTraffickers are convicted when evidence holds.\n"))
    return replace(item, story_url=URL)


def kept(for_story: Item, article: str = "<p>Traffickers are convicted when evidence holds.</p>") -> KeptPage:
    return KeptPage(
        read_for=listed(for_story), read_at=READ_AT, etag='"v1"', title="Securing evidence", day=date(2022, 1, 20),
        canonical=URL, image=IMAGE, article=article,
    )  # fmt: skip


class TestTheFile:
    def test_what_is_written_is_read_back(self) -> None:
        pages = {URL: kept(story()), URL + "?2": KeptPage(failures=2, next_try=READ_AT)}
        assert loads(dumps(pages)) == pages

    def test_one_content_has_one_form_a_page_per_line_by_url(self) -> None:
        first, second = {URL: kept(story())}, {URL + "?2": KeptPage(failures=1, next_try=READ_AT)}
        data = dumps({**second, **first})
        assert data == dumps({**first, **second})
        rows = json.loads(data)["pages"]
        assert [row["url"] for row in rows] == [URL, URL + "?2"]
        assert len(data.decode().splitlines()) == 4 + 2 + 2  # head, a line per page, the closing lines

    @pytest.mark.parametrize(
        ("edit", "said"),
        [
            (lambda d: d.update(format=2), "unknown pages format 2"),
            (lambda d: d["pages"][0].update(url="javascript:x"), "page 1: url"),
            (lambda d: d["pages"][0].update(failures=-1), "page 1: failures must be a whole number"),
            (lambda d: d["pages"][0].update(date="20 January"), "page 1: date must be YYYY-MM-DD"),
            (lambda d: d["pages"][0].update(next_try="2026-12-02T18:00"), "page 1: next_try must be a time"),
            (lambda d: d["pages"][0]["image"].update(type="text/html"), "image must have a url and an image type"),
            (lambda d: d["pages"][0].update(title="two\nlines"), "page 1: title must be text"),
            (lambda d: d["pages"].append(d["pages"][0]), "a page URL appears twice"),
            # A time that UTC puts beyond the calendar, a number Python refuses to read, a lone surrogate.
            (lambda d: d["pages"][0].update(next_try="0001-01-01T00:00:00+14:00"), "page 1: next_try must be a"),
            (lambda d: d["pages"][0].update(read_at="9999-12-31T23:59:59-14:00"), "page 1: read_at must be a"),
            (lambda d: d["pages"][0].update(failures=int("1" * 4000)), "page 1: failures must be a whole number"),
            (lambda d: d["pages"][0].update(article="<p>x\ud800y</p>"), "page 1: article must be text"),
            (lambda d: d["pages"][0].update(article="<p>x\u0001y</p>"), "page 1: article must be text"),  # no XML
            (lambda d: d["pages"][0].update(title="x\udfffy"), "page 1: title must be text"),
        ],
    )
    def test_a_damaged_file_is_refused_saying_what_is_wrong(self, edit: object, said: str) -> None:
        document = json.loads(dumps({URL: kept(story())}))
        edit(document)  # type: ignore[operator]
        with pytest.raises(PagesError, match=said.replace("(", r"\(")):
            loads(json.dumps(document).encode())

    def test_a_number_too_long_for_python_to_read_is_refused(self) -> None:
        with pytest.raises(PagesError, match="not a feedgen-unodc pages file"):
            loads(b'{"format": 1, "pages": [{"failures": ' + b"1" * 5000 + b"}]}")

    @given(st.binary(max_size=200))
    def test_any_bytes_are_read_or_refused_never_a_crash(self, data: bytes) -> None:
        with contextlib.suppress(PagesError):
            loads(data)


class TestAttach:
    def test_a_page_read_for_the_story_gives_its_image_and_with_full_text_its_text(self) -> None:
        item = story()
        (with_text,) = attach([item], {URL: kept(item)}, full_text={item.id})
        assert (with_text.image, with_text.article) == (IMAGE, "<p>Traffickers are convicted when evidence holds.</p>")
        (without,) = attach([item], {URL: kept(item)})
        assert (without.image, without.article) == (IMAGE, None)

    def test_a_page_read_before_the_listing_corrected_the_story_gives_nothing(self) -> None:
        item = story()
        corrected = replace(item, paragraphs=("A corrected summary.",))
        assert attach([corrected], {URL: kept(item)}, full_text={item.id}) == [corrected]

    def test_a_page_never_read_or_failed_gives_nothing(self) -> None:
        item = story()
        assert attach([item], {URL: KeptPage(failures=3, next_try=READ_AT)}, full_text={item.id}) == [item]
        assert attach([item], {}, full_text={item.id}) == [item]

    def test_an_image_the_pages_of_several_stories_give_is_a_site_default_and_left_out(self) -> None:
        item = story()
        other = replace(item, title="Another story", story_url=URL + "?other")
        pages = {URL: kept(item), URL + "?other": kept(other)}  # both give IMAGE: the site's logo, say
        assert [s.image for s in attach([item, other], pages)] == [None, None]
        del pages[URL + "?other"]
        assert [s.image for s in attach([item, other], pages)] == [IMAGE, None]

    def test_kept_text_is_made_safe_again_whatever_a_hand_edit_put_there(self) -> None:
        item = story()
        edited = kept(item, '<p onclick="x()">Text <a href="javascript:alert(1)">a</a></p><script>alert(2)</script>')
        (published,) = attach([item], {URL: edited}, full_text={item.id})
        assert published.article == '<p>Text <a rel="noopener noreferrer">a</a></p>'


def _with_pages() -> tuple[list[Item], dict[str, KeptPage]]:
    """Nine stories of May 2021, each with its page read: an image and a whole text."""
    text = "".join(f"{day} May 2021\nStory {day}\nText of story {day}.\n" for day in range(9, 0, -1))
    items, _ = read(listing(text))
    items = [replace(i, story_url=f"https://www.unodc.org/{i.day.day}.html") for i in items]
    pages = {
        i.story_url or "": replace(
            kept(i, f"<p>Text of story {i.day.day}.</p><p>More.</p>"),
            image=replace(IMAGE, url=f"https://www.unodc.org/{i.day.day}.jpg"),  # its own: not a site's default
        )
        for i in items
    }
    return items, pages


def test_text_made_safe_only_for_the_feeds_entries_gives_the_documents_all_would() -> None:
    """The build makes safe only the articles a feed shows (some ms each, 10,000 in an archive): the same files."""
    items, pages = _with_pages()
    every = attach(items, pages, {i.id for i in items})
    shown = {s.id for feed in feeds(SHIPPED_TOPICS) for s in entries_of(feed, items, 3)}
    assert len(shown) < len(items)
    made = documents(Archive(tuple(items)), SHIPPED_TOPICS, FeedSettings(), 3, pages=pages, full_text=True)
    plain = documents(Archive(tuple(every)), SHIPPED_TOPICS, FeedSettings(), 3)
    newest = [entry.name for entry in catalog(SHIPPED_TOPICS)]  # the feeds, their pages, the list, the data
    assert {name: made[name] for name in newest} == {name: plain[name] for name in newest}


def test_the_documents_of_a_year_are_made_of_the_archive_alone() -> None:
    """What is read of the stories' pages later never changes a year: no image nor whole text there."""
    items, pages = _with_pages()
    made = documents(Archive(tuple(items)), SHIPPED_TOPICS, FeedSettings(), 3, pages=pages, full_text=True)
    assert b"<img " in (made["index.html"] or b"")
    assert b"enclosure" in (made["all.atom.xml"] or b"")
    for name in ("all-2021.html", "all-2021.atom.xml"):
        document = made[name] or b""
        assert b"Story 1" in document  # the oldest: archived beyond the newest three
        for shown in (b"<img ", b"enclosure", b"<content"):
            assert shown not in document, name


class TestABuild:
    def test_reads_the_pages_and_a_damaged_file_stops_it_and_is_left_as_it_is(self, tmp_path: Path) -> None:
        home = deployment(tmp_path)
        pages = home / "source" / "pages.json"
        pages.write_bytes(b'{"format": 1, "pages": [{"url": 5}]}')
        result = run("build", "-q", cwd=home)
        assert result.exit_code == 1
        assert result.stderr == (
            "source/pages.json: error: not a feedgen-unodc pages file (page 1: url must be text, not 5);"
            " left as it is\n"
        )
        assert pages.read_bytes() == b'{"format": 1, "pages": [{"url": 5}]}'

    def test_without_pages_the_seed_builds_as_it_always_did(self, tmp_path: Path) -> None:
        home = deployment(tmp_path)
        assert not (home / "source" / "pages.json").exists()
        assert (home / "source" / "latest-news.txt").read_bytes() == SEED.read_bytes()
        assert run("build", "--check", cwd=home).exit_code == 0
