"""The archive as files: a file per year and an index; every value checked when read; and the move of an
earlier version's one archive file into the folder."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import EARLIER, ROOT, SHIPPED_TOPICS, contents, listing, normalized, run, seeded

from feedgen_unodc.archive import Archive, ArchiveError, merge
from feedgen_unodc.archivestore import (
    Index,
    by_year,
    dumps_index,
    dumps_year,
    fits,
    index_of,
    loads_index,
    loads_year,
    summary_fingerprint,
)
from feedgen_unodc.catalog import feeds
from feedgen_unodc.stamp import digests

NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
PAGE = listing(
    """
    2 January 2022
    Migrant smuggling in the Sahel
    Text two.
    31 December 2021
    Human trafficking in West Africa
    https://www.unodc.org/unodc/en/story.html
    Text one.
    """
)


def archive() -> Archive:
    merged, _ = merge(Archive(), normalized(PAGE)[0], NOW)
    derived = (
        ("https://x.example/#a", ("smuggling",)),
        ("https://www.unodc.org/unodc/en/story.html", ("trafficking",)),
    )
    stories = tuple(replace(s, link=link, topics=t) for s, (link, t) in zip(merged.stories, derived, strict=True))
    return replace(merged, stories=stories)


def test_a_year_file_reads_back_as_written_with_its_links_and_topics() -> None:
    for year, stories in by_year(archive().stories).items():
        data = dumps_year(year, stories)
        assert data.count(b"\n    {") == len(stories)  # a story per line
        assert loads_year(data, year) == tuple(replace(s, line=None) for s in stories)
        assert dumps_year(year, loads_year(data, year)) == data


def _year(**changes: object) -> bytes:
    (story,) = by_year(archive().stories)[2022]
    document = json.loads(dumps_year(2022, [story]))
    document["stories"][0].update(changes)
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_year(date="2021-12-30"), "story 1: its date 2021-12-30 is not of 2022"),
        (_year(link="javascript:alert(1)"), "story 1: link 'javascript:alert(1)'"),
        (_year(topics=["Trafficking!"]), "story 1: topics must be topic slugs"),
        (_year(topics="smuggling"), "story 1: topics must be a list"),
        (_year(title="a\u0085b"), "story 1: title must be a line of text"),
        (b'{"format": 2, "year": 2021, "stories": []}', "a year file of format 2 for 2022 must say so"),
        (b'{"format": 1, "year": 2022, "stories": []}', "a year file of format 2 for 2022 must say so"),
        (b"[" * 100_000, "nested too deeply"),
        (b"\xff", "UnicodeDecodeError"),
    ],
)
def test_a_damaged_year_file_is_refused_saying_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        loads_year(data, 2022)
    assert message in str(caught.value)


def test_the_index_reads_back_and_says_what_a_build_needs_of_each_year() -> None:
    whole = archive()
    files = {year: dumps_year(year, stories) for year, stories in by_year(whole.stories).items()}
    index = index_of(whole, files, Index(), "derived", feeds(SHIPPED_TOPICS))
    data = dumps_index(index)
    assert loads_index(data) == index
    assert list(index.years) == [2022, 2021]
    assert dict(index.years[2021].feeds) == {"all": 1, "trafficking": 1}
    assert index.years[2021].summaries == (summary_fingerprint(["TEXT ONE."]),)  # case aside
    assert index.years[2022].moved == ()
    assert [year for _, year in index.on_page] == [2022, 2021]
    assert fits(index, {year: digests({"y": data})["y"] for year, data in files.items()})
    assert not fits(index, {2022: digests({"y": files[2022] + b" "})["y"], 2021: "0" * 64})


_YEAR_ROW = json.dumps(
    {"year": 2021, "sha256": "0" * 64, "updated": "2021-01-01T12:00:00Z", "latest": None,
     "feeds": {}, "moved": [], "links": [], "summaries": [], "corrected": [], "lost": 0}
).encode()  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"format": 3}', "unknown archive format 3"),
        (b'{"format": 2, "derived": "", "on_page": ["urn:uuid:x"], "years": []}', "on_page: a story must be a list"),
        (b'{"format": 2, "derived": "", "on_page": [], "years": [{"year": 1066}]}', "a year must be a year from 1990"),
        (b'{"format": 2, "derived": 5}', "derived must be text"),
        (
            b'{"format": 2, "derived": "", "on_page": [], "years": [' + _YEAR_ROW + b", " + _YEAR_ROW + b"]}",
            "a year appears twice",
        ),
    ],
)
def test_a_damaged_index_is_refused_saying_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(ArchiveError) as caught:
        loads_index(data)
    assert message in str(caught.value)


class TestTheMoveFromAnEarlierVersion:
    """The archive of the version before this one, one file, moves into the folder at the next build."""

    @pytest.fixture
    def home(self, tmp_path: Path) -> Path:
        seeded(tmp_path)
        shutil.copy(EARLIER, tmp_path / "source" / "archive.json")
        return tmp_path

    def test_the_seed_archive_moves_into_the_folder_and_builds_the_same_files(self, home: Path) -> None:
        result = run("build", "-q", cwd=home)
        assert (result.exit_code, result.stderr) == (0, "")
        assert not (home / "source" / "archive.json").exists()
        assert contents(home / "source" / "archive") == contents(ROOT / "source" / "archive")
        assert contents(home / "output") == contents(ROOT / "output")
        assert run("build", "-v", cwd=home).stdout == "build: nothing changed since the last build\n"

    def test_the_move_is_said_once(self, home: Path) -> None:
        assert run("build", cwd=home).stdout == "source/archive.json: moved into source/archive/, a file per year\n"
        assert run("build", "--force", cwd=home).stdout == ""

    def test_a_damaged_one_stops_the_build_and_is_left_as_it_is(self, home: Path) -> None:
        (home / "source" / "archive.json").write_bytes(b'{"format": 1, "stories": [')
        result = run("build", "-q", cwd=home)
        assert result.exit_code == 1
        assert result.stderr.startswith("source/archive.json: error: not a feedgen-unodc archive (")
        assert (home / "source" / "archive.json").read_bytes() == b'{"format": 1, "stories": ['
        assert not (home / "source" / "archive").exists()

    def test_settings_naming_the_file_go_on_working(self, home: Path) -> None:
        (home / "feedgen-unodc.toml").write_text('archive = "source/archive.json"\n')
        assert run("build", "-q", cwd=home).exit_code == 0
        assert (home / "source" / "archive" / "index.json").is_file()
        assert run("remove", "urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557", "--reason", "x", cwd=home).exit_code == 0
        assert (home / "source" / "removed.toml").is_file()


def test_a_damaged_index_stops_the_build_and_is_left_as_it_is(tmp_path: Path) -> None:
    seeded(tmp_path)
    assert run("build", "-q", cwd=tmp_path).exit_code == 0
    index = tmp_path / "source" / "archive" / "index.json"
    index.write_bytes(b'{"format": 2, "years": 5}')
    before = contents(tmp_path / "output")
    result = run("build", "-q", "--force", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("source/archive/index.json: error: not a feedgen-unodc archive index (")
    assert index.read_bytes() == b'{"format": 2, "years": 5}'
    assert contents(tmp_path / "output") == before


def test_a_lost_index_is_made_again_from_the_years(tmp_path: Path) -> None:
    seeded(tmp_path)
    assert run("build", "-q", cwd=tmp_path).exit_code == 0
    before = contents(tmp_path / "source" / "archive")
    (tmp_path / "source" / "archive" / "index.json").unlink()
    assert run("build", "-q", cwd=tmp_path).exit_code == 0
    assert contents(tmp_path / "source" / "archive") == before


def test_a_story_copied_into_another_year_stops_the_build_in_one_line(tmp_path: Path) -> None:
    seeded(tmp_path)
    assert run("build", "-q", cwd=tmp_path).exit_code == 0
    folder = tmp_path / "source" / "archive"
    older, newer = json.loads((folder / "2020.json").read_text()), json.loads((folder / "2021.json").read_text())
    older["stories"].insert(0, {**newer["stories"][-1], "date": "2020-12-31"})
    (folder / "2020.json").write_text(json.dumps(older))
    result = run("build", "-q", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "appears twice" in result.stderr


def test_a_stray_file_is_named_as_it_is(tmp_path: Path) -> None:
    seeded(tmp_path)
    assert run("build", "-q", cwd=tmp_path).exit_code == 0
    (tmp_path / "source" / "archive" / "0000.json").write_text("{}")
    result = run("build", "-q", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("source/archive/0000.json: error: ")
