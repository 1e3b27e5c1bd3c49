"""The whole record, by year: the year pages, the archive documents (RFC 5005), the dataset, and builds that
make only what changed, byte for byte the files a build of everything makes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from support import archived, contents, run
from w3c_rules import check_feed

from feedgen_unodc.dataset import COLUMNS

SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("schemas") / "atom.rng")))
NEWEST = date(2022, 1, 20)
TOPICS = ["human trafficking", "migrant smuggling", "human trafficking and migrant smuggling", "crime prevention"]
LIMIT = ["--limit", "10"]
CLOCK = {"SOURCE_DATE_EPOCH": "1700000000"}  # the time the builds record as now: one for both deployments
FEEDS = ("all", "trafficking", "smuggling")


class Story:
    """A story of a generated listing: about one of `TOPICS`, every third with its own URL."""

    def __init__(self, n: int, day: date | None = None, title: str | None = None, summary: str | None = None,
                 url: str | None = None) -> None:  # fmt: skip
        topic = TOPICS[n % len(TOPICS)]
        self.day = day or NEWEST - timedelta(days=11 * n)
        self.title = title or f"Story {n} on {topic}"
        self.summary = summary or f"What happened in story {n}, about {topic}, told in a sentence of its own."
        self.url = url or (f"https://www.unodc.org/unodc/en/story-{n}.html" if n % 3 == 0 else None)

    def text(self) -> str:
        lines = [f"{self.day.day} {self.day:%B %Y}", self.title, *([self.url] if self.url else []), self.summary]
        return "\n".join(lines) + "\n\n"


def listing(stories: list[Story]) -> bytes:
    return "".join(story.text() for story in stories).encode()


ARCHIVE = [Story(n) for n in range(400)]  # twelve years, 2010 to 2022
PAGE = ARCHIVE[:20]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A deployment whose archive holds 400 stories over twelve years, the page's 20 on it, built."""
    home = tmp_path_factory.mktemp("years") / "home"
    (home / "source").mkdir(parents=True)
    listed = home / "source" / "latest-news.txt"
    listed.write_bytes(listing(ARCHIVE))
    assert run("build", "-q", *LIMIT, cwd=home, env=CLOCK).exit_code == 0
    listed.write_bytes(listing(PAGE))  # of the 400 the last listing had, it drops 380: past the guard, by hand
    assert run("build", "-q", "--force", *LIMIT, cwd=home, env=CLOCK).exit_code == 0
    return home


@pytest.fixture
def home(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(built, copy)
    return copy


def everything(home: Path) -> dict[str, bytes]:
    return contents(home / "output") | {f"archive/{k}": v for k, v in contents(home / "source" / "archive").items()}


# --- each step: what the page shows next, and what it tests -----------------------------------------------

NEW = Story(-1)
STEPS: dict[str, Callable[[list[Story]], list[Story]]] = {
    "a new story, the oldest gone": lambda page: [NEW, *page[:-1]],
    "a corrected summary": lambda page: [page[0], Story(1, summary="A corrected summary of story 1."), *page[2:]],
    "a date corrected into the year before": lambda page: [
        *page[:2], Story(2, day=date(2021, 12, 31)), *page[3:]  # story 2 is of 2022
    ],
    "a summary copied from an archived story": lambda page: [
        Story(-2, summary=ARCHIVE[200].summary), *page[:-1]
    ],
    "the story URL of an archived story": lambda page: [Story(-3, url=ARCHIVE[300].url), *page],
    "a story of a new year": lambda page: [Story(-4, day=date(2023, 1, 2)), *page],
    "a title corrected": lambda page: [
        page[0], Story(1, title="Story one, its title corrected, on human trafficking"), *page[2:]
    ],
    "a story that the feeds no longer hold corrected": lambda page: [
        *page[:15], Story(15, summary="A corrected summary of story 15, an entry of an archive document."), *page[16:]
    ],
}  # fmt: skip


@pytest.mark.parametrize("step", list(STEPS))
def test_a_build_of_what_changed_makes_the_files_a_build_of_everything_makes(home: Path, step: str) -> None:
    """The optimization's plain version side by side: `--force` reads every year and makes every file."""
    full = home.with_name("full")
    shutil.copytree(home, full)
    for folder in (home, full):
        (folder / "source" / "latest-news.txt").write_bytes(listing(STEPS[step](PAGE)))
    partial = run("build", "-v", *LIMIT, cwd=home, env=CLOCK)
    forced = run("build", "-v", "--force", *LIMIT, cwd=full, env=CLOCK)
    assert (partial.exit_code, partial.stderr) == (forced.exit_code, forced.stderr)
    assert everything(home) == everything(full)
    assert run("build", "-v", *LIMIT, cwd=home).stdout == "build: nothing changed since the last build\n"


def test_a_build_after_the_page_changed_reads_and_writes_only_the_years_it_touches(home: Path) -> None:
    before = everything(home)
    (home / "source" / "latest-news.txt").write_bytes(listing(STEPS["a new story, the oldest gone"](PAGE)))
    result = run("build", "-v", *LIMIT, cwd=home, env=CLOCK)
    written, unchanged = map(int, re.findall(r"(\d+) files? written, (\d+) unchanged", result.stdout)[0])
    after = everything(home)
    assert written + unchanged < len(after) / 2  # the files of the other years were not even made
    changed = sorted(name for name in after if after[name] != before.get(name))
    assert "archive/2022.json" in changed
    assert not [name for name in changed if re.search(r"20(1\d|20)", name)]  # no file of 2010 to 2020


# --- what is published of the whole record ----------------------------------------------------------------


def test_the_pages_show_the_newest_stories_and_link_every_year(home: Path) -> None:
    years = sorted({story.day.year for story in ARCHIVE}, reverse=True)
    for slug, page in (("all", "index.html"), ("trafficking", "trafficking.html")):
        text = (home / "output" / page).read_text()
        assert text.count("<article ") == 10
        assert "the newest 10 of" in text
        for year in years:
            assert f'href="{slug}-{year}.html"' in text
            assert (home / "output" / f"{slug}-{year}.html").is_file()
    index = (home / "output" / "index.html").read_text()
    assert 'href="stories.csv"' in index
    assert 'href="stories.json"' in index


def test_a_year_page_holds_its_stories_a_chart_and_the_years_around_it(home: Path) -> None:
    page = (home / "output" / "all-2015.html").read_text()
    of_2015 = [story for story in ARCHIVE if story.day.year == 2015]
    assert page.count("<article ") == len(of_2015)
    assert 'href="all-2014.html" rel="prev"' in page
    assert 'href="all-2016.html" rel="next"' in page
    assert 'href="trafficking-2015.html"' in page  # the same year of each topic
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<script" not in page
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing from another host
    table = page[page.index("<table") : page.index("</table>")]
    assert table.count("<tr>") == 13  # a header row, and a row per month: the chart's text alternative


def _chain(home: Path, feed: str) -> list[str]:
    """The entries' ids of the subscription Atom document of `feed` and of every archive document that its
    prev-archive links lead to, in order; each document checked as it is read."""
    ids, name, seen = [], f"{feed}.atom.xml", set()
    while name:
        assert name not in seen, name
        seen.add(name)
        data = (home / "output" / name).read_bytes()
        assert check_feed(data, f"http://localhost:8000/{name}") == [], name
        assert SCHEMA.validate(etree.fromstring(data)), name
        parsed = feedparser.parse(data)
        assert not parsed.bozo
        ids += [entry.id for entry in parsed.entries]
        links = {link.rel: link.href for link in parsed.feed.links}
        if name != f"{feed}.atom.xml":
            assert b"<fh:archive/>" in data
            assert links["current"] == f"http://localhost:8000/{feed}.atom.xml"
        name = links.get("prev-archive", "").removeprefix("http://localhost:8000/")
    return ids


@pytest.mark.parametrize("feed", FEEDS)
def test_the_prev_archive_chain_holds_every_story_of_the_feed_exactly_once(home: Path, feed: str) -> None:
    chain = _chain(home, feed)
    held = [str(s["id"]) for s in archived(home / "source" / "archive") if feed == "all" or feed in s["topics"]]
    assert len(chain) == len(set(chain))
    assert sorted(chain) == sorted(held)


def test_the_archive_documents_link_their_neighbours(home: Path) -> None:
    links = {
        link.rel: link.href
        for link in feedparser.parse((home / "output" / "all-2015.atom.xml").read_bytes()).feed.links
    }
    assert links["prev-archive"] == "http://localhost:8000/all-2014.atom.xml"
    assert links["next-archive"] == "http://localhost:8000/all-2016.atom.xml"
    assert links["alternate"] == "http://localhost:8000/all-2015.html"


def test_the_dataset_has_a_row_per_story_as_csv_and_as_json(home: Path) -> None:
    stories = archived(home / "source" / "archive")
    data = (home / "output" / "stories.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8, no byte-order mark
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == len(stories) == 400
    assert [row["id"] for row in rows] == [s["id"] for s in stories]
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["summary"] == stories[0]["summary"][0]
    document = json.loads((home / "output" / "stories.json").read_bytes())
    assert document["columns"] == list(COLUMNS)
    assert [row["id"] for row in document["stories"]] == [row["id"] for row in rows]
    assert [row["topics"] for row in document["stories"]] == [row["topics"].split() for row in rows]


@pytest.mark.parametrize("edit", [b"STORY", b"A much longer word"], ids=["same size", "another size"])
@pytest.mark.parametrize("times", ["kept", "new"], ids=["its times set back", "its times new"])
def test_a_year_file_edited_by_hand_is_mended_by_the_next_build(home: Path, edit: bytes, times: str) -> None:
    """A build after the page changed keeps the files of the years it does not read when they are as it
    wrote them: of the size it wrote, and unchanged since the stamp was written (their ctime, which
    setting a file's times back does not set back), or else read and compared."""
    page = home / "output" / "all-2012.html"
    made, status = page.read_bytes(), page.stat()
    page.write_bytes(made.replace(b"Story", edit))
    if times == "kept":
        os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    (home / "source" / "latest-news.txt").write_bytes(listing(STEPS["a new story, the oldest gone"](PAGE)))
    assert run("build", "-q", *LIMIT, cwd=home, env=CLOCK).exit_code == 0
    assert page.read_bytes() == made
    assert run("build", "-v", *LIMIT, cwd=home).stdout == "build: nothing changed since the last build\n"
    assert run("build", "--check", *LIMIT, cwd=home).exit_code == 0


def test_an_index_that_does_not_fit_its_years_makes_the_build_read_every_year(home: Path) -> None:
    before = everything(home)
    edited = ARCHIVE[300].day.year  # an old year, which a build after a page like this would not read
    year = home / "source" / "archive" / f"{edited}.json"
    year.write_bytes(year.read_bytes().replace(b"What happened in story 300", b"What happened in story three hundred"))
    (home / "source" / "archive" / "index.json").unlink()
    full = home.with_name("full")
    shutil.copytree(home, full)
    assert run("build", "-q", *LIMIT, cwd=home, env=CLOCK).exit_code == 0
    assert run("build", "-q", "--force", *LIMIT, cwd=full, env=CLOCK).exit_code == 0
    assert everything(home) == everything(full)
    assert b"story three hundred" in (home / "output" / f"all-{edited}.html").read_bytes()
    assert (home / "source" / "archive" / "index.json").is_file()
    assert everything(home)[f"all-{edited - 1}.html"] == before[f"all-{edited - 1}.html"]


def test_a_removal_and_a_restore_make_the_files_a_build_of_everything_makes(home: Path) -> None:
    full = home.with_name("full")
    shutil.copytree(home, full)
    old = next(s for s in archived(home / "source" / "archive") if s["date"].startswith("2013"))
    for step in (["remove", old["id"], "--reason", "withdrawn"], ["restore", old["id"]]):
        assert run(*step, cwd=home).exit_code == 0
        shutil.copy(home / "source" / "removed.toml", full / "source" / "removed.toml")  # the same time of removal
        for folder, forced in ((home, []), (full, ["--force"])):
            assert run("build", "-q", *forced, *LIMIT, cwd=folder, env=CLOCK).exit_code == 0
        assert everything(home) == everything(full)
        shown = (home / "output" / "all-2013.html").read_bytes()
        assert (old["title"].encode() in shown) == (step[0] == "restore")


# --- found by a review: each a sequence of runs, the build of what changed beside the build of everything ---


def side_by_side(home: Path, pages: list[list[Story]], clocks: list[str] | None = None) -> Path:
    """Build each of `pages` in turn in `home` and, with --force, in a copy of it; the files the same at
    every step. `clocks`: the time each step's builds record as now (seconds, $SOURCE_DATE_EPOCH)."""
    full = home.with_name("full")
    shutil.copytree(home, full)
    for n, page in enumerate(pages):
        clock = {"SOURCE_DATE_EPOCH": clocks[n]} if clocks else CLOCK
        for folder, forced in ((home, []), (full, ["--force"])):
            (folder / "source" / "latest-news.txt").write_bytes(listing(page))
            assert run("build", "-q", *forced, *LIMIT, cwd=folder, env=clock).exit_code == 0
        assert everything(home) == everything(full), n
    return full


def test_a_story_url_given_up_goes_back_to_the_archived_story_that_had_it(home: Path) -> None:
    taking = [Story(-3, url=ARCHIVE[300].url), *PAGE]
    giving_up = [Story(-3, url="https://www.unodc.org/unodc/en/another.html"), *PAGE]
    side_by_side(home, [taking, giving_up])
    assert ARCHIVE[300].url in [s["link"] for s in archived(home / "source" / "archive")]


def test_a_new_time_is_never_one_a_year_not_read_holds(home: Path) -> None:
    noon = "1643112000"  # 25 January 2022, 12:00 UTC: a correction seen then, and a new story of that day
    corrected = [*PAGE, Story(300, summary="What happened in story 300, corrected at noon.")]  # of 2013
    dropped, new = PAGE, [Story(-5, day=date(2022, 1, 25)), *PAGE]
    side_by_side(home, [corrected, dropped, new], [noon, noon, noon])
    times = [s["updated"] for s in archived(home / "source" / "archive")]
    assert len(times) == len(set(times))


def test_files_made_of_another_archive_are_made_again(home: Path) -> None:
    """A run killed after the archive's files were renamed and before the pages' (or an output folder put
    back from a backup): the next build makes what a build of everything makes."""
    before = home / "output-before"
    shutil.copytree(home / "output", before)
    (home / "source" / "latest-news.txt").write_bytes(listing([Story(-1), Story(-2, day=date(2022, 1, 22)), *PAGE]))
    assert run("build", "-q", *LIMIT, cwd=home, env=CLOCK).exit_code == 0
    shutil.rmtree(home / "output")
    before.rename(home / "output")
    full = side_by_side(home, [[Story(-1), Story(-2, day=date(2022, 1, 22)), *PAGE]])
    assert len(_chain(home, "all")) == len(archived(home / "source" / "archive")) == len(_chain(full, "all"))


def test_data_files_edited_by_hand_are_never_kept(home: Path) -> None:
    data = home / "output" / "stories.csv"
    data.write_bytes(data.read_bytes().replace(b"What happened in story 300", b"WHAT HAPPENED IN STORY 300"))
    side_by_side(home, [STEPS["a new story, the oldest gone"](PAGE)])
    assert b"What happened in story 300" in data.read_bytes()


# --- the archive's files edited by hand ------------------------------------------------------------------


@pytest.mark.parametrize("times", ["kept", "new"], ids=["its times set back", "its times new"])
def test_an_archive_year_edited_by_hand_after_a_build_is_read(home: Path, times: str) -> None:
    """An edit changes the file's ctime, which setting its times back does not set back: the file is hashed,
    does not fit the index, and the build reads every year, as a build of everything does."""
    full = side_by_side(home, [STEPS["a new story, the oldest gone"](PAGE)])
    edited = ARCHIVE[300].day.year  # a year this build would not read
    for folder in (home, full):
        year = folder / "source" / "archive" / f"{edited}.json"
        status = year.stat()
        year.write_bytes(year.read_bytes().replace(b"What happened in story 300", b"WHAT HAPPENED IN STORY 300"))
        if times == "kept":
            os.utime(year, ns=(status.st_atime_ns, status.st_mtime_ns))
    page = [Story(-6, day=NEWEST + timedelta(days=1)), NEW, *PAGE[:-2]]
    for folder, forced in ((home, []), (full, ["--force"])):
        (folder / "source" / "latest-news.txt").write_bytes(listing(page))
        assert run("build", "-q", *forced, *LIMIT, cwd=folder, env=CLOCK).exit_code == 0
    assert everything(home) == everything(full)
    assert b"WHAT HAPPENED IN STORY 300" in (home / "output" / f"all-{edited}.html").read_bytes()


def test_an_archive_year_edited_by_hand_is_read_even_when_the_output_is_put_back_from_a_backup(home: Path) -> None:
    """A copy gives the stamp a new ctime, later than the edit: the year files are hashed, never trusted."""
    full = side_by_side(home, [STEPS["a new story, the oldest gone"](PAGE)])
    edited = ARCHIVE[300].day.year
    for folder in (home, full):
        shutil.copytree(folder / "output", folder / "backup")
        year = folder / "source" / "archive" / f"{edited}.json"
        year.write_bytes(year.read_bytes().replace(b"What happened in story 300", b"WHAT HAPPENED IN STORY 300"))
        shutil.rmtree(folder / "output")
        shutil.copytree(folder / "backup", folder / "output")
    page = [Story(-6, day=NEWEST + timedelta(days=1)), NEW, *PAGE[:-2]]
    for folder, forced in ((home, []), (full, ["--force"])):
        (folder / "source" / "latest-news.txt").write_bytes(listing(page))
        assert run("build", "-q", *forced, *LIMIT, cwd=folder, env=CLOCK).exit_code == 0
        shutil.rmtree(folder / "backup")
    assert everything(home) == everything(full)
    assert b"WHAT HAPPENED IN STORY 300" in (home / "output" / f"all-{edited}.html").read_bytes()


def test_a_file_named_with_other_digits_is_no_year_of_the_archive(home: Path) -> None:
    (home / "source" / "archive" / "\uff12\uff10\uff11\uff13.json").write_bytes(b"{}")  # fullwidth 2013
    result = run("build", "-q", "--force", *LIMIT, cwd=home, env=CLOCK)
    assert (result.exit_code, result.stderr) == (0, "")
