"""Whole stories, end to end: `update` against a local site whose stories have pages of their own.

The listing is the seed's, served in the CMS markup (tests/pages/cms.html).
Each story's page is made from what the listing says of it, in one of three
markups (a CMS page with navigation, breadcrumbs, a figure, a dateline, share
buttons, related stories and a newsletter box; an HTML5 `<article>` with
`<time>`, a figure and an aside; a hostile page with scripts, event
handlers, `javascript:` and `data:` links, iframes and forms), except the
stories that stand for what goes wrong: a page whose date contradicts the
listing, an error page served with 200, a page robots.txt disallows, a page
of several megabytes, and a page that is 404 before it is 200.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from io import BytesIO
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from pageserver import Answer, Site, serve
from PIL import Image as Pillow
from support import FEED_FILES, read, run
from w3c_rules import check_feed

from feedgen_unodc.model import Item

PAGES = Path(__file__).with_name("pages")
LISTING = "/unodc/en/human-trafficking/latest-news.html"
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("schemas") / "atom.rng")))
UNSAFE = re.compile(r"<(script|style|iframe|object|embed|form|input|button|svg)|\son\w+=|javascript:|data:", re.I)
CLUTTER = ("Share on Twitter", "Related stories", "newsletter", "Terms of use", "Read also", "About us")
IMAGE_SIZE = (64, 36)
# A sentence of each markup's article beyond the listing's summary: cms, html5, hostile.
BODY = ("The body of story {} goes on", "discuss the findings of story {} at a meeting", "Story {} ends with")
# The stories that stand for what goes wrong, by their place in the listing (0 is the newest).
CONTRADICTING, ERROR_PAGE, DISALLOWED, HUGE, LATE = 1, 2, 3, 4, 5


def markup(number: int) -> int:
    """The markup of story `number`'s page: 0 cms, 1 html5, 2 hostile (the contradicting page is a CMS page)."""
    return 0 if number == CONTRADICTING else number % 3


def jpeg() -> bytes:
    data = BytesIO()
    Pillow.new("RGB", IMAGE_SIZE, "teal").save(data, "JPEG")
    return data.getvalue()


def dateline(story: Item) -> str:
    return f"Vienna (Austria), {story.day.day} {story.day:%B %Y} \u2013 "


def cms(story: Item, number: int, day_text: str | None = None) -> str:
    head, *rest = story.paragraphs
    more = "".join(f"<p>{escape(p)}</p>" for p in rest)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(story.title)} | UNODC</title>
<meta property="og:title" content="{escape(story.title)}">
<meta property="og:image" content="/images/{number}.jpg"><meta property="og:image:alt" content="Photo {number}">
</head><body><nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<div class="breadcrumb"><a href="/">UNODC</a> &gt; <a href="/ht">Human trafficking</a></div>
<div id="content"><h1>{escape(story.title)}</h1>
<p>{escape(day_text or dateline(story))}{escape(head)}</p>{more}
<figure><img src="/images/inline-{number}.jpg" alt="Inline {number}" width="600" height="400">
<figcaption>Caption of story {number}</figcaption></figure>
<p>The body of story {number} goes on with facts, figures and the words of the people who worked on it.</p>
<div class="share"><a href="https://twitter.com/share">Share on Twitter</a></div>
</div><aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Another story</a></li></ul></aside>
<div class="newsletter"><form><input name="email"> Subscribe to our newsletter</form></div>
<footer>© United Nations. Terms of use.</footer></body></html>"""


def html5(story: Item, number: int) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(story.title)}</title></head>
<body><header><a href="/">UNODC</a> <nav><a href="/news">News</a></nav></header><main><article>
<h1>{escape(story.title)}</h1><p><time datetime="{story.day.isoformat()}">{story.day}</time></p>
<figure><img src="/images/{number}.jpg" alt="Photo {number}" width="800" height="450">
<figcaption>Caption of story {number}</figcaption></figure>{paragraphs}
<aside><h2>Read also</h2><p>How a training course helped prosecutors bring cases against smugglers.</p></aside>
<p>Governments of the region will discuss the findings of story {number} at a meeting next month.</p>
</article></main><footer><p>Copyright United Nations.</p></footer></body></html>"""


def hostile(story: Item, number: int) -> str:
    head, *rest = story.paragraphs
    more = "".join(f"<p>{escape(p)}</p>" for p in rest)
    return f"""<!DOCTYPE html><html lang="en"><head><title>{escape(story.title)}</title>
<meta property="og:image" content="javascript:alert(1)"><style>p {{ color: red }}</style><script>x()</script></head>
<body onload="alert(0)"><article><h1>{escape(story.title)}</h1>
<p onclick="alert(1)" style="color:red">{escape(dateline(story) + head)}</p>{more}
<p><a href="javascript:alert(2)">click</a>, <a href="data:text/html,x">data</a> and
<a href="/unodc/en/rel.html" onmouseover="x()">a relative link</a>.
<img src="data:image/png;base64,AAAA" alt="data image"><img src="/images/{number}.jpg" alt="Photo {number}"
onerror="alert(3)"></p><iframe src="https://evil.example/"></iframe><object data="x.swf"></object>
<form action="https://evil.example/"><input name="q"><button>Go</button></form><script>alert(4)</script>
<p>Story {number} ends with <em>emphasis</em>, <strong>strong</strong> text and a paragraph long enough to keep.</p>
</article></body></html>"""


@dataclass
class Stories:
    site: Site
    listed: list[Item]  # the listing's stories, newest first, with their pages' URLs

    def path(self, number: int) -> str:
        return (self.listed[number].story_url or "").removeprefix(self.site.base)

    def readable(self) -> list[int]:
        """The stories whose page gives the story: all with a summary, but those that stand for a failure."""
        failing = {ERROR_PAGE, DISALLOWED, HUGE, LATE}
        return [n for n, story in enumerate(self.listed) if story.paragraphs and n not in failing]


@pytest.fixture
def stories(tmp_path: Path) -> Iterator[Stories]:
    with serve(Site()) as site:
        site.answers[LISTING] = [Answer(body=(PAGES / "cms.html").read_bytes())]
        # The listing as fetch writes it, to know each story's page.
        assert run("fetch", "--url", site.url(LISTING), "-q", cwd=tmp_path).exit_code == 0
        listed, _ = read((tmp_path / "source" / "latest-news.txt").read_bytes())
        (tmp_path / "source" / "latest-news.txt").unlink()
        (tmp_path / "source" / "latest-news.http.json").unlink()
        result = Stories(site, listed)
        image = jpeg()
        for number, story in enumerate(listed):
            if not story.paragraphs:
                continue
            page = (cms, html5, hostile)[markup(number)](story, number)
            site.answers[result.path(number)] = [Answer(body=page.encode(), etag=f'"{number}"')]
            for name in (f"/images/{number}.jpg", f"/images/inline-{number}.jpg"):
                site.answers[name] = [Answer(body=image, content_type="image/jpeg")]
        contradicting = listed[CONTRADICTING]
        wrong = f"Vienna (Austria), {contradicting.day.day + 1} {contradicting.day:%B %Y} \u2013 "
        site.answers[result.path(CONTRADICTING)] = [Answer(body=cms(contradicting, CONTRADICTING, wrong).encode())]
        site.answers[result.path(ERROR_PAGE)] = [Answer(body=(PAGES / "story-error.html").read_bytes())]
        padding = "<p>" + "More words. " * 250_000 + "</p></body>"
        site.answers[result.path(HUGE)] = [Answer(body=cms(listed[HUGE], HUGE).replace("</body>", padding).encode())]
        site.answers[result.path(LATE)] = [Answer(404, b"<html><body>Not yet</body></html>"),
                                           Answer(body=cms(listed[LATE], LATE).encode())]  # fmt: skip
        site.answers["/robots.txt"] = [
            Answer(body=f"User-agent: *\nDisallow: {result.path(DISALLOWED)}\n".encode(), content_type="text/plain")
        ]
        yield result


def update(home: Path, site: Site, *extra: str) -> tuple[int, str]:
    """An update against the local site that may read every story's page; its exit status and stderr."""
    result = run(
        "update", "--url", site.url(LISTING), "--timeout", "5", "--retries", "0", "--backoff", "0",
        "--story-page-pause", "0", "--story-pages-per-run", "100", *extra, cwd=home,
    )  # fmt: skip
    return result.exit_code, result.stderr


def atom_entries(home: Path) -> dict[str, feedparser.FeedParserDict]:
    parsed = feedparser.parse((home / "output" / "all.atom.xml").read_bytes())
    return {entry.title: entry for entry in parsed.entries}


def test_with_full_text_every_readable_page_gives_its_image_and_its_text_and_nothing_else(
    tmp_path: Path, stories: Stories
) -> None:
    (tmp_path / "feedgen-unodc.toml").write_text("full_text = true\n")
    code, stderr = update(tmp_path, stories.site)
    assert code == 0, stderr
    entries = atom_entries(tmp_path)
    for number in stories.readable():
        story = stories.listed[number]
        entry = entries[story.title]
        (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
        assert (enclosure.type, int(enclosure.length)) == ("image/jpeg", len(jpeg()))
        content = entry.content[0].value
        assert story.paragraphs[-1][:60] in content
        assert BODY[markup(number)].format(number) in content  # the text beyond the summary
        for clutter in CLUTTER:
            assert clutter not in content, (number, clutter)
        assert UNSAFE.search(content) is None, number
        assert content.endswith(f'Source: <a href="{story.story_url}">{escape(story.title, quote=False)}</a>,'
                                " on the UNODC website.</p>")  # fmt: skip
        assert entry.summary != content  # summaries stay summaries
    for number in (ERROR_PAGE, DISALLOWED, HUGE, LATE):
        entry = entries[stories.listed[number].title]
        assert "content" not in entry
        assert not [link for link in entry.links if link.rel == "enclosure"]
    page = (tmp_path / "output" / "index.html").read_text()
    for number in stories.readable():
        image = stories.site.url(f"/images/{number}.jpg")
        width, height = IMAGE_SIZE
        assert (f'<img src="{image}" alt="Photo {number}" width="{width}" height="{height}" loading="lazy"'
                ' decoding="async">') in page  # fmt: skip


def test_what_goes_wrong_is_reported_on_its_story_line_and_never_fails_the_run(
    tmp_path: Path, stories: Stories
) -> None:
    code, stderr = update(tmp_path, stories.site, "--full-text")
    assert code == 0
    lines = stderr.splitlines()
    contradicting = stories.listed[CONTRADICTING]
    wrong = contradicting.day.replace(day=contradicting.day.day + 1)
    assert f"source/latest-news.txt:{contradicting.line}: warning: {contradicting.title[:28]}" not in stderr
    assert any(
        line.startswith(f"source/latest-news.txt:{contradicting.line}: warning: ")
        and f"the story's page dates it {wrong.isoformat()}, the listing {contradicting.day.isoformat()};"
        " the listing's date is kept"
        in line
        for line in lines
    ), stderr
    expected = {
        ERROR_PAGE: "the story's page does not begin with the listing's summary; the page is not used",
        DISALLOWED: "robots.txt does not allow reading",
        HUGE: "more than the 1,000,000 a story's page may have; not used, tried again later",
        LATE: "HTTP 404",
    }
    for number, message in expected.items():
        line = stories.listed[number].line
        where = f"source/latest-news.txt:{line}: warning: "
        assert any(said.startswith(where) and message in said for said in lines), number
    # The contradicting page is the story's: its text is published, under the listing's date.
    entry = atom_entries(tmp_path)[contradicting.title]
    assert entry.published.startswith(contradicting.day.isoformat())
    assert "content" in entry


def test_a_second_update_asks_for_the_listing_only_and_a_later_one_reads_what_failed(
    tmp_path: Path, stories: Stories
) -> None:
    assert update(tmp_path, stories.site, "-q", "--full-text")[0] == 0
    published = {name: (tmp_path / "output" / name).read_bytes() for name in FEED_FILES}
    site = stories.site
    site.requests.clear()
    assert update(tmp_path, site, "-q", "--full-text") == (0, "")
    assert [path for path, _ in site.requests] == [LISTING]
    # An hour on, the failures are due again: the 404 is now a 200.
    pages_file = tmp_path / "source" / "pages.json"
    kept = json.loads(pages_file.read_text())
    for row in kept["pages"]:
        if row["next_try"]:
            row["next_try"] = "2000-01-01T00:00:00Z"
    pages_file.write_text(json.dumps(kept))
    site.requests.clear()
    assert update(tmp_path, site, "-q", "--full-text") == (0, "")
    asked = {path for path, _ in site.requests}
    assert {stories.path(n) for n in (ERROR_PAGE, HUGE, LATE)} <= asked
    assert stories.path(DISALLOWED) not in asked
    assert "content" in atom_entries(tmp_path)[stories.listed[LATE].title]
    assert any((tmp_path / "output" / name).read_bytes() != published[name] for name in FEED_FILES)


def test_a_run_reads_no_more_than_its_share_of_story_pages(tmp_path: Path, stories: Stories) -> None:
    code, _ = update(tmp_path, stories.site, "-q", "--story-pages-per-run", "4")
    assert code == 0
    asked = [path for path, _ in stories.site.requests if path in {stories.path(n) for n in range(30)}]
    assert asked == [stories.path(n) for n in range(4) if n != DISALLOWED]  # robots.txt's due, not read


def test_every_feed_stays_valid_and_rebuilds_are_byte_identical(tmp_path: Path, stories: Stories) -> None:
    assert update(tmp_path, stories.site, "-q", "--full-text")[0] == 0
    output = tmp_path / "output"
    made = {path.name: path.read_bytes() for path in sorted(output.iterdir())}
    for name in FEED_FILES:
        assert check_feed(made[name], f"http://localhost:8000/{name}") == [], name
        parsed = feedparser.parse(made[name])
        assert not parsed.bozo, name
        if name.endswith(".atom.xml"):
            assert SCHEMA.validate(etree.fromstring(made[name])), SCHEMA.error_log
    entry = json.loads(made["all.json"])["items"][0]
    assert entry["image"].endswith(".jpg")
    assert entry["content_html"].endswith("on the UNODC website.</p>")
    assert entry["summary"]
    again = run("build", "--force", "-q", "--full-text", "--listing-url", stories.site.url(LISTING), cwd=tmp_path)
    assert again.exit_code == 0
    assert {path.name: path.read_bytes() for path in sorted(output.iterdir())} == made


def test_by_default_the_feeds_carry_images_and_no_article_text(tmp_path: Path, stories: Stories) -> None:
    code, _ = update(tmp_path, stories.site, "-q")
    assert code == 0
    for name in FEED_FILES:
        document = (tmp_path / "output" / name).read_bytes()
        assert b"content:encoded" not in document
        assert b"<content" not in document
        assert b"enclosure" in document
    assert '"content_html": "<p>' in (tmp_path / "output" / "all.json").read_text()
    assert '"image": ' in (tmp_path / "output" / "all.json").read_text()
    # The text is kept all the same: turning full text on needs no network.
    stories.site.requests.clear()
    assert run("build", "-q", "--full-text", "--listing-url", stories.site.url(LISTING), cwd=tmp_path).exit_code == 0
    assert stories.site.requests == []
    assert b"<content" in (tmp_path / "output" / "all.atom.xml").read_bytes()


class TestProgress:
    """On a terminal, a progress line counts the story pages; anywhere else (cron), nothing."""

    def test_a_terminal_sees_the_count(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from feedgen_unodc.cli import _Terminal

        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
        for done in range(3):
            _Terminal().progress(done, 2)
        assert capsys.readouterr().err == "\rstory pages: 0 of 2\rstory pages: 1 of 2\rstory pages: 2 of 2\n"

    def test_cron_sees_nothing(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        from feedgen_unodc.cli import _Terminal

        monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
        _Terminal().progress(1, 2)
        assert capsys.readouterr().err == ""


def test_verbose_says_how_many_story_pages_were_asked_for_and_read(tmp_path: Path, stories: Stories) -> None:
    result = run(
        "fetch", "--url", stories.site.url(LISTING), "--story-page-pause", "0", "--story-pages-per-run", "5", "-q",
        "-v", cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0
    # The newest and the contradicting story; the error page, the disallowed and the huge page fail.
    assert result.stdout.splitlines()[-1] == "fetch: 5 story pages asked for, 2 read; kept in source/pages.json"


def test_a_story_url_that_leads_to_the_listing_gives_no_story_text(tmp_path: Path, stories: Stories) -> None:
    """The listing begins with the newest story's summary, but it holds every other story's too."""
    stories.site.answers[stories.path(0)] = [Answer(body=(PAGES / "cms.html").read_bytes())]
    code, stderr = update(tmp_path, stories.site, "--full-text")
    assert code == 0
    newest = stories.listed[0]
    assert "content" not in atom_entries(tmp_path)[newest.title]
    assert f"source/latest-news.txt:{newest.line}: warning: " in stderr
    assert "the story's page also holds the summaries of" in stderr
