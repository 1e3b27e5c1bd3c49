"""Unattended regeneration: fetch from a local server, keep every story, never publish a broken feed."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from markups import MARKUPS
from pageserver import Answer, Site, serve
from support import SEED, SEED_ITEMS, archived, contents, entries, read, run
from w3c_rules import check_feed

PAGES = Path(__file__).parent / "pages"
CMS = (PAGES / "cms.html").read_bytes()
MARKUP_PAGES = {m.name: (PAGES / f"{m.name}.html").read_bytes() for m in MARKUPS}
PATH = "/unodc/en/human-trafficking/latest-news.html"


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(Site()) as running:
        yield running


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A deployment folder: source/, output/ and the archive, empty."""
    return tmp_path


def update(home: Path, site: Site, *extra: str | Path) -> tuple[int, str, str]:
    result = run(
        "update",
        "--url",
        site.url(PATH),
        "--timeout",
        "0.5",
        "--retries",
        "0",
        "--backoff",
        "0",
        "--quiet",
        *extra,
        cwd=home,
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("page", MARKUP_PAGES.values(), ids=MARKUP_PAGES.keys())
def test_update_reproduces_the_seed_stories_with_their_story_urls(home: Path, site: Site, page: bytes) -> None:
    site.answers[PATH] = [Answer(body=page)]
    assert update(home, site) == (0, "", "")  # quiet: the seed's warnings are not errors
    got = entries(home / "output" / "all.atom.xml")
    assert [e.id for e in got] == [i.id for i in SEED_ITEMS]
    assert [e.title for e in got] == [i.title for i in SEED_ITEMS]
    assert all(e.link.startswith(f"{site.base}/unodc/en/human-trafficking/20") for e in got)
    assert got[0].link.endswith("/2022/January/securing-evidence-the-key-to-convictions.html")
    for name in ("all.atom.xml", "all.rss.xml", "trafficking.rss.xml"):
        assert check_feed((home / "output" / name).read_bytes(), f"http://localhost:8000/{name}") == []


@pytest.mark.parametrize("name", MARKUP_PAGES.keys())
def test_fetch_writes_the_listing_the_page_means_and_check_finds_the_copied_summary(
    home: Path, site: Site, name: str
) -> None:
    site.answers[PATH] = [Answer(body=MARKUP_PAGES[name])]
    result = run("fetch", "--url", site.url(PATH), "--quiet", cwd=home)
    assert (result.exit_code, result.stderr) == (0, "")
    source = home / "source" / "latest-news.txt"
    expected = (PAGES / f"{name}.expected.txt").read_text(encoding="utf-8")
    assert source.read_text(encoding="utf-8") == expected.replace("https://www.unodc.org", site.base)
    checked = run("check", cwd=home)
    copied = [line for line in checked.stderr.splitlines() if "summary copied from 'Leading UN Forum" in line]
    assert len(copied) == 1


def test_the_page_warnings_name_the_page_and_its_line_once_per_change(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=MARKUP_PAGES["pager"])]
    result = run("fetch", "--url", site.url(PATH), cwd=home)
    assert (result.exit_code, result.stderr) == (
        0,
        f"{site.url(PATH)}:108: warning: a date outside the listing's stories, '12 November 2021', is ignored\n",
    )
    again = run("fetch", "--url", site.url(PATH), cwd=home)  # the same listing: said already
    assert (again.exit_code, again.stderr) == (0, "")


def test_a_page_whose_stories_cannot_be_told_apart_is_refused_and_nothing_changes(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    assert update(home, site)[0] == 0
    before = contents(home / "source", home / "output")
    twice = b"<html><body><div><p>18 December 2021</p><h3>One</h3><p>Text one.</p><p>17 December 2021</p><h3>Two</h3>"
    twice += b"<p>Text two.</p></div><ol><li><a href=/x>Other one</a> 1 May 2020</li>"
    twice += b"<li><a href=/y>Other two</a> 2 May 2020</li></ol></body></html>"
    site.answers[PATH] = [Answer(body=twice)]
    code, out, err = update(home, site)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{site.url(PATH)}:1: error: two sets of dated blocks alike, 2 from line 1 and 2 from line 1, hold about "
        "as much text: cannot tell which is the listing",
        f"{site.url(PATH)}: error: the page's stories cannot be told apart; source/latest-news.txt left as it was",
    ]
    after = contents(home / "source", home / "output")
    assert after == before


def test_scripts_navigation_and_footers_do_not_leak_into_items(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    text = (home / "source" / "latest-news.txt").read_text()
    for leak in ("lastUpdate", "1 January 2020", "3 March 2022", "Contact us", "Home", "&amp;", "&nbsp;"):
        assert leak not in text


def test_a_page_not_modified_changes_nothing(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS, etag='"v1"')]
    assert update(home, site)[0] == 0
    source = home / "source" / "latest-news.txt"
    mtime = source.stat().st_mtime_ns
    result = run("update", "--url", site.url(PATH), "--verbose", cwd=home)
    assert result.exit_code == 0
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'
    assert result.stdout.splitlines() == [
        f"fetch: {site.url(PATH)} not modified since the last fetch",
        "build: nothing changed since the last build",
    ]
    assert source.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    ("answers", "message", "hits"),
    [
        ([Answer(404, b"<html><body>Gone</body></html>")], "HTTP 404 Not Found (a client error: not retried)", 1),
        ([Answer(500, b"oops")], "HTTP 500 Internal Server Error (2 tries)", 2),
        ([Answer(delay=1, body=CMS)], "timed out (1 try)", 1),  # the deadline is the whole fetch's, retries too
        ([Answer(body=CMS, truncate_to=5000)], "the page is cut short after 5000 bytes (2 tries)", 2),
        ([Answer(body=CMS[:5000] + b"\n")], "the page stops before its end (no </html> after 5001 bytes) (2 tries)", 2),
        ([Answer(body=b'{"error": "maintenance"}', content_type="application/json")], "not an HTML page", 1),
        ([Answer(body=b"   ")], "the page is empty", 1),
    ],
    ids=["404", "500", "timeout", "truncated", "unclosed", "not html", "empty"],
)
def test_a_bad_answer_exits_1_with_one_line_and_keeps_the_source(
    home: Path, site: Site, answers: list[Answer], message: str, hits: int
) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    assert update(home, site)[0] == 0
    before = contents(home / "source")
    site.answers[PATH] = answers
    site.requests.clear()
    code, out, err = update(home, site, "--retries", "1")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert message in err
    assert err.endswith("; source/latest-news.txt left as it was\n")
    assert site.hits(PATH) == hits  # 4xx is never retried
    assert contents(home / "source") == before


def test_a_server_error_then_success_is_retried(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(503, b"busy"), Answer(body=CMS)]
    assert update(home, site, "--retries", "2")[0] == 0
    assert site.hits(PATH) == 2
    assert len(entries(home / "output" / "all.atom.xml")) == 30


def test_a_page_without_items_exits_1_and_keeps_the_source(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    before = (home / "source" / "latest-news.txt").read_bytes()
    site.answers[PATH] = [Answer(body=b"<html><body><h1>Site under maintenance</h1></body></html>")]
    code, _, err = update(home, site)
    assert code == 1
    assert err == (
        f"feedgen-unodc: error: {site.url(PATH)}: no dated items on the page; source/latest-news.txt left as it was\n"
    )
    assert (home / "source" / "latest-news.txt").read_bytes() == before


def half_page(keep: int) -> bytes:
    """The CMS page with only its first `keep` stories."""
    head, _, rest = CMS.partition(b'<div class="newsItem">')
    stories = (b'<div class="newsItem">' + rest).split(b'<div class="newsItem">')[1:]
    tail = stories[-1][stories[-1].index(b"</main>") :]
    stories[-1] = stories[-1][: stories[-1].index(b"</main>")]
    return head + b"".join(b'<div class="newsItem">' + s for s in stories[:keep]) + tail


def test_a_page_that_drops_most_stories_is_refused_unless_forced(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    before = contents(home / "source", home / "output")
    site.answers[PATH] = [Answer(body=half_page(10))]
    code, _, err = update(home, site)
    assert code == 1
    assert err == (
        "source/latest-news.txt: error: the listing drops 20 of the 30 stories the last listing had (more than 50%); "
        "nothing was published. If the page really changed, run again with --force\n"
    )
    after = contents(home / "source", home / "output")
    assert after == before
    assert update(home, site, "--force")[0] == 0
    assert (
        len(entries(home / "output" / "all.atom.xml")) == 30
    )  # forced: the ten are fetched, the twenty others stay published


def test_fetch_alone_refuses_a_page_that_drops_most_of_the_source_s_stories(home: Path, site: Site) -> None:
    # No build yet, so no archive: the guard compares with the source the last fetch wrote.
    site.answers[PATH] = [Answer(body=CMS), Answer(body=half_page(10)), Answer(body=half_page(10))]
    fetch = ["fetch", "--url", site.url(PATH), "--retries", "0", "-q"]
    assert run(*fetch, cwd=home).exit_code == 0
    before = contents(home / "source")
    result = run(*fetch, cwd=home)
    assert (result.exit_code, result.stderr) == (
        1,
        "source/latest-news.txt: error: the listing drops 20 of the 30 stories the last listing had (more than 50%); "
        "nothing was published. If the page really changed, run again with --force\n",
    )
    assert contents(home / "source") == before
    assert run(*fetch, "--force", cwd=home).exit_code == 0
    assert not (home / "source" / "archive").exists()


def test_a_page_that_gives_the_source_again_changes_nothing_and_reads_no_archive(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS), Answer(body=CMS)]
    assert update(home, site)[0] == 0
    (home / "source" / "archive" / "index.json").write_text("damaged")  # a build would say so; a fetch never reads it
    result = run("fetch", "--url", site.url(PATH), "--retries", "0", "--verbose", cwd=home)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "fetch: 30 items from " + site.url(PATH) + "; source/latest-news.txt unchanged\n"


def test_a_story_dropped_by_the_page_stays_in_the_feeds(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    site.answers[PATH] = [Answer(body=half_page(25))]
    assert update(home, site)[0] == 0
    assert len((home / "source" / "latest-news.txt").read_text().split("\n\n")) < 100
    assert [e.id for e in entries(home / "output" / "all.atom.xml")] == [i.id for i in SEED_ITEMS]
    assert len(archived(home / "source" / "archive")) == 30
    index = json.loads((home / "source" / "archive" / "index.json").read_text())
    assert len(index["on_page"]) == 25


def test_a_corrected_summary_replaces_the_old_and_records_when_it_was_seen(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    corrected = CMS.replace(b"almost 50,000 human trafficking victims", b"about 50,000 victims of trafficking")
    site.answers[PATH] = [Answer(body=corrected)]
    assert update(home, site)[0] == 0
    first = entries(home / "output" / "all.atom.xml")[0]
    assert "about 50,000 victims" in first.summary
    assert first.updated_parsed > first.published_parsed
    feed = feedparser.parse((home / "output" / "all.atom.xml").read_bytes()).feed
    assert feed.updated_parsed == first.updated_parsed
    # rebuilding from the same source and archive gives the same bytes: the time is in the archive
    before = contents(home / "output")
    assert run("build", "--force", "-q", "--listing-url", site.url(PATH), cwd=home).exit_code == 0
    assert contents(home / "output") == before


def test_remove_takes_a_story_out_of_every_feed_until_restored(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    story = SEED_ITEMS[3]
    result = run("remove", story.id, "--reason", "withdrawn by UNODC", cwd=home)
    assert result.exit_code == 0
    assert result.stdout == (
        f"removed {story.id} (2021-12-10 {story.title!r}): withdrawn by UNODC; kept in source/removed.toml\n"
    )
    assert update(home, site)[0] == 0  # the page still lists it
    assert story.id not in [e.id for e in entries(home / "output" / "all.atom.xml")]
    assert story.id not in [e.id for e in entries(home / "output" / "smuggling.rss.xml")]
    (removal,) = tomllib.loads((home / "source" / "removed.toml").read_text())["removed"]
    assert (removal["id"], removal["reason"]) == (story.id, "withdrawn by UNODC")
    assert run("restore", story.id, cwd=home).exit_code == 0
    assert update(home, site)[0] == 0
    assert story.id in [e.id for e in entries(home / "output" / "all.atom.xml")]


def test_remove_an_unknown_story_is_a_usage_error(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    update(home, site)
    result = run("remove", "urn:uuid:nope", "--reason", "x", cwd=home)
    assert (result.exit_code, result.stderr) == (2, "source/archive: error: no such story: urn:uuid:nope\n")


def test_fetch_accepts_a_saved_page(home: Path) -> None:
    result = run("fetch", "--html", PAGES / "table.html", "--verbose", cwd=home)
    assert result.exit_code == 0
    assert result.stdout == f"fetch: 30 items from {PAGES / 'table.html'}; source/latest-news.txt written\n"
    items, _ = read((home / "source" / "latest-news.txt").read_bytes())
    assert items[0].story_url == (
        "https://www.unodc.org/unodc/en/human-trafficking/2022/January/securing-evidence-the-key-to-convictions.html"
    )


def test_the_feed_limit_keeps_the_newest_entries_and_the_archive_keeps_all(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    code, _, _ = update(home, site, "--limit", "5")
    assert code == 0
    assert [e.id for e in entries(home / "output" / "all.atom.xml")] == [i.id for i in SEED_ITEMS[:5]]
    smuggling = [i.id for i in SEED_ITEMS if "smuggling" in i.topics][:5]
    assert [e.id for e in entries(home / "output" / "smuggling.atom.xml")] == smuggling
    assert len(archived(home / "source" / "archive")) == 30


def test_a_copied_summary_stays_withheld_after_its_owner_leaves_the_page(home: Path) -> None:
    # The page drops its oldest stories: the 15 December 2020 story goes, the 16 December copy stays.
    (home / "source").mkdir()
    source = home / "source" / "latest-news.txt"
    source.write_bytes(SEED.read_bytes())
    assert run("build", "-q", cwd=home).exit_code == 0
    lines = SEED.read_text().splitlines(keepends=True)
    source.write_text("".join(lines[:131] + lines[138:]))  # lines 132-138: the 15 December item
    result = run("build", "--verbose", cwd=home)
    assert result.exit_code == 0
    assert "build: 0 added, 0 changed, 29 kept" in result.stdout
    assert "archived), whose title it fits at least as well" in result.stderr
    sixteenth = next(e for e in entries(home / "output" / "all.atom.xml") if e.title.startswith("Exploited"))
    assert "inter-agency partnership" not in sixteenth.summary


def test_a_server_that_trickles_is_cut_off_at_the_timeout(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS, trickle=0.1)]  # 24 KiB at 10 KiB/s: more than --timeout 0.5
    code, _, err = update(home, site)
    assert code == 1
    assert "timed out (1 try)" in err


def test_a_redirect_loop_is_one_line(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(302, b"", location=PATH)]
    code, _, err = update(home, site)
    assert code == 1
    assert err.count("\n") == 1
    assert "more than 5 redirects" in err


def test_a_redirect_to_the_page_is_followed(home: Path, site: Site) -> None:
    site.answers["/old.html"] = [Answer(301, b"", location=PATH)]
    site.answers[PATH] = [Answer(body=CMS)]
    result = run("update", "--url", site.url("/old.html"), "--listing-url", site.url(PATH), "-q", cwd=home)
    assert result.exit_code == 0
    assert len(entries(home / "output" / "all.atom.xml")) == 30


@pytest.mark.parametrize("url", ["http://exa_mple..com/", "http://" + "a" * 70 + ".org/"])
def test_a_host_name_no_resolver_accepts_is_a_usage_error(home: Path, url: str) -> None:
    result = run("fetch", "--url", url, "--retries", "0", cwd=home)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "has a host name no resolver accepts" in result.stderr


def test_without_a_source_the_last_fetch_validators_are_not_sent(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(body=CMS, etag='"v1"')]
    assert update(home, site)[0] == 0
    (home / "source" / "latest-news.txt").unlink()
    assert update(home, site)[0] == 0
    assert "If-None-Match" not in site.requests[-1][1]
    assert (home / "source" / "latest-news.txt").exists()


def test_the_validators_of_one_url_are_never_sent_to_another(home: Path, site: Site) -> None:
    # Another URL, perhaps another server, could answer 304 for a page this deployment never fetched.
    other = PATH.replace("latest-news", "other-news")
    site.answers[PATH] = [Answer(body=CMS, etag='"v1"')]
    site.answers[other] = [Answer(body=CMS, etag='"v2"')]
    assert update(home, site)[0] == 0
    assert run("fetch", "--url", site.url(other), "--force", cwd=home).exit_code == 0
    assert "If-None-Match" not in site.requests[-1][1]
    state = json.loads((home / "source" / "latest-news.http.json").read_text())
    assert {url: saved["etag"] for url, saved in state.items()} == {site.url(PATH): '"v1"', site.url(other): '"v2"'}
    assert update(home, site)[0] == 0  # back to the first URL: its own validators again
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'


def test_a_failed_fetch_without_a_source_says_nothing_was_written(home: Path, site: Site) -> None:
    site.answers[PATH] = [Answer(status=500)]
    result = run("fetch", "--url", site.url(PATH), "--retries", "0", cwd=home)
    assert result.exit_code == 1
    assert result.stderr.endswith("; source/latest-news.txt not written\n")
    assert not (home / "source" / "latest-news.txt").exists()


@pytest.mark.parametrize(
    "state",
    [
        b'{"URL": {"etag": ["a"]}}', b'{"URL": {"etag": "a\\nb"}}', '{"URL": {"etag": "\u00e9\u20ac"}}'.encode(),
        b'{"URL": "a"}', b"[]", b"{",
        b'{"etag": "a"}',  # the state of one URL, as saved before each URL kept its own: whose, nobody knows
    ],
)  # fmt: skip
def test_a_damaged_fetch_state_costs_one_unconditional_fetch(home: Path, site: Site, state: bytes) -> None:
    site.answers[PATH] = [Answer(body=CMS)]
    assert update(home, site)[0] == 0
    (home / "source" / "latest-news.http.json").write_bytes(state.replace(b"URL", site.url(PATH).encode()))
    assert update(home, site)[0] == 0
    assert "If-None-Match" not in site.requests[-1][1]


@pytest.mark.parametrize(
    ("body", "declared", "text", "warning"),
    [
        ("caf\u00e9".encode("latin-1"), "iso-8859-1", "caf\u00e9", None),
        ('<meta charset="iso-8859-1"><p>caf\u00e9'.encode("latin-1"), None, "caf\u00e9", None),
        ("caf\u00e9".encode("cp1252"), "windows-1252", "caf\u00e9", None),
        ("caf\u00e9".encode(), "idna", "caf\u00e9", "the page declares idna, but its bytes are UTF-8"),
        ("caf\u00e9".encode(), "no-such-charset", "caf\u00e9", None),  # a charset no decoder has: the bytes say
        # UTF-8 bytes declared ISO-8859-1 would be mojibake ("RÃ©seaux"): the bytes decide, and it is said
        ("R\u00e9seaux".encode(), "iso-8859-1", "R\u00e9seaux", "declares iso-8859-1, but its bytes are UTF-8"),
        ('<meta charset="latin-1"><p>R\u00e9seaux'.encode(), None, "R\u00e9seaux", "latin-1, but its bytes are UTF-8"),
        # bytes the declared charset cannot read: the detector's guess, said
        ("R\u00e9seaux de passeurs, pr\u00e9sum\u00e9s".encode("cp1252"), "utf-8", "R\u00e9seaux", "not that"),
    ],
)  # fmt: skip
def test_the_charset_is_the_bytes_when_they_disagree_with_the_declared_one(
    body: bytes, declared: str | None, text: str, warning: str | None
) -> None:
    from feedgen_unodc.fetch import decode_html

    decoded, said = decode_html(body, declared)
    assert text in decoded
    assert (said is None) == (warning is None)
    assert said is None or warning is None or warning in said
