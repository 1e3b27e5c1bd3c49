"""The command line: exit statuses, one-line messages, and an output folder that is never damaged.

Every run here lets exceptions through (`catch_exceptions=False`): a traceback fails the test.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
import tomllib
from pathlib import Path

import feedparser
import pytest
from support import FEED_FILES, OUTPUT_FILES, ROOT, SEED, archived, listing, run, run_process, snapshot
from w3c_rules import check_feed

from feedgen_unodc.stamp import STAMP

SEED_WARNINGS = [
    f"{SEED}:132: warning: out of order: 15 December 2020 is listed after 14 December 2020 (line 124); "
    "placed by its date",
    f"{SEED}:139: warning: out of order: 21 December 2020 is listed after 15 December 2020 (line 132); "
    "placed by its date",
    f"{SEED}:149: warning: summary copied from 'Leading UN Forum Renews Commitment to…' (line 132), whose title "
    "it fits better; 'Exploited and Prosecuted: When Victims…' is published without a summary",
]


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """An output folder holding the seed's feeds, its archive beside it, all with old modification times."""
    output = tmp_path / "output"
    assert run("build", *at(output), "--quiet").exit_code == 0
    for path in [*output.iterdir(), *(tmp_path / "archive").iterdir()]:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    return output


def at(output: Path, source: Path = SEED) -> list[str | Path]:
    """Options to build `source` into `output`, with the archive beside the output folder."""
    return ["--source", source, "--output", output, "--archive", output.parent / "archive"]


def state(output: Path) -> dict[str, tuple[bytes, int]]:
    """The published folder and the archive: bytes and modification times."""
    return {f"output/{k}": v for k, v in snapshot(output).items()} | {
        f"archive/{k}": v for k, v in snapshot(output.parent / "archive").items()
    }


def write(tmp_path: Path, data: bytes, name: str = "listing.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


class TestBuild:
    def test_a_build_writes_every_file_and_prints_only_the_warnings(self, tmp_path: Path) -> None:
        result = run("build", "--source", SEED, "--output", tmp_path / "out")
        assert (result.exit_code, result.stdout) == (0, "")
        assert result.stderr.splitlines() == SEED_WARNINGS
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([*OUTPUT_FILES, STAMP])

    def test_quiet_prints_nothing_on_success(self, tmp_path: Path) -> None:
        result = run("build", "--source", SEED, "--output", tmp_path, "--quiet")
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")

    def test_a_build_that_changes_nothing_rewrites_nothing(self, published: Path) -> None:
        before = state(published)
        assert run("build", *at(published), "-q", "--force").exit_code == 0  # --force: no shortcut
        assert state(published) == before  # same bytes, same modification times

    def test_a_build_that_changes_nothing_creates_no_file_not_even_a_temporary_one(
        self, published: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def refused(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refused)  # a read-only folder, say
        folder = published.stat().st_mtime_ns
        assert run("build", *at(published), "-q", "--force").exit_code == 0
        assert published.stat().st_mtime_ns == folder

    def test_a_document_that_only_grows_or_shrinks_is_replaced(self, published: Path) -> None:
        page = published / "index.html"
        original = page.read_bytes()
        for changed in (original + b"<!-- more -->", original[:-10], b""):
            page.write_bytes(changed)
            assert run("build", *at(published), "-q", "--force").exit_code == 0
            assert page.read_bytes() == original

    def test_a_build_replaces_only_the_files_that_change(self, published: Path) -> None:
        (published / "smuggling.rss.xml").write_bytes(b"stale")
        before = snapshot(published)
        assert run("build", *at(published), "-q", "--force").exit_code == 0
        after = snapshot(published)
        assert [name for name in after if after[name] != before[name]] == ["smuggling.rss.xml"]
        assert not [p for p in published.iterdir() if p.name.endswith(".tmp")]  # no temporary files left

    def test_new_files_are_readable_by_a_web_server(self, tmp_path: Path) -> None:
        run("build", "--source", SEED, "--output", tmp_path, "-q")
        assert all((tmp_path / name).stat().st_mode & 0o004 for name in FEED_FILES)

    def test_the_base_url_comes_from_the_option_or_the_environment(self, tmp_path: Path) -> None:
        run("build", "--source", SEED, "--output", tmp_path / "a", "-q", "--base-url", "https://example.org/feeds")
        env = {"FEEDGEN_UNODC_BASE_URL": "https://example.org/feeds/"}
        run("build", "--source", SEED, "--output", tmp_path / "b", "-q", env=env)
        for folder in ("a", "b"):
            atom = (tmp_path / folder / "trafficking.atom.xml").read_text()
            assert '<link href="https://example.org/feeds/trafficking.atom.xml" rel="self"' in atom


class TestCorrections:
    """A date or a title the page corrects leaves one entry, under the id it had first."""

    def entries(self, output: Path) -> list[tuple[str, str, str]]:
        parsed = feedparser.parse((output / "all.atom.xml").read_bytes())
        assert check_feed((output / "all.atom.xml").read_bytes(), "http://localhost:8000/all.atom.xml") == []
        return [(e.id, e.title, e.published[:10]) for e in parsed.entries]

    @pytest.mark.parametrize(
        ("mistaken", "fixed", "warning"),
        [
            (
                b"18 December 2012\xc2\xa0\nInternational Migrants Day 2021",
                b"18 December 2021\xc2\xa0\nInternational Migrants Day 2021",
                "corrected date of 'International Migrants Day 2021': 18 December 2012 is now 18 December 2021",
            ),
            (
                b"16 December 2021\xc2\xa0\nNigeria Takes Steps to Stop Migrant Smuggling",
                b"16 December 2021\xc2\xa0\nNigeria Takes New Steps to Stop Migrant Smuggling",
                "corrected title of the 16 December 2021 story: 'Nigeria Takes Steps to Stop Migrant…' is now "
                "'Nigeria Takes New Steps to Stop Migrant…'",
            ),
        ],
        ids=["mistyped year", "edited title"],
    )
    def test_a_correction_through_build(self, tmp_path: Path, mistaken: bytes, fixed: bytes, warning: str) -> None:
        seed = SEED.read_bytes()
        good = fixed if fixed in seed else mistaken
        assert good in seed
        source = write(tmp_path, seed.replace(good, mistaken))
        output = tmp_path / "output"
        assert run("build", *at(output, source), "--quiet").exit_code == 0
        before = self.entries(output)
        source.write_bytes(seed.replace(good, fixed))
        result = run("build", *at(output, source))
        assert result.exit_code == 0
        date_line = seed[: seed.index(good)].count(b"\n") + 1
        assert [line for line in result.stderr.splitlines() if "corrected" in line] == [
            f"{source}:{date_line}: warning: {warning}; one story, under the id it had"
        ]
        after = self.entries(output)
        assert len(after) == len(before) == 30
        (old,) = set(before) - set(after)
        (new,) = set(after) - set(before)
        assert new[0] == old[0]  # one entry, the id it had
        assert [e[0] for e in after].count(old[0]) == 1


class TestCheck:
    def test_check_passes_when_the_output_is_what_a_build_makes(self, published: Path) -> None:
        result = run("build", "--check", *at(published), "-q")
        assert (result.exit_code, result.stderr) == (0, "")

    def test_check_names_every_file_a_build_would_change_and_writes_nothing(self, published: Path) -> None:
        (published / "all.rss.xml").write_bytes(b"<rss/>")
        (published / "smuggling.atom.xml").unlink()
        before = state(published)
        result = run("build", "--check", *at(published), "-q")
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"{published}/smuggling.atom.xml: error: missing; run 'feedgen-unodc build' to update it",
            f"{published}/all.rss.xml: error: differs; run 'feedgen-unodc build' to update it",
        ]
        assert state(published) == before

    def test_the_committed_output_is_what_a_build_of_the_shipped_source_makes(self, tmp_path: Path) -> None:
        no_settings = tmp_path / "none.toml"  # whatever settings file a developer keeps in the project
        no_settings.write_text(f'source = "{ROOT / "source" / "latest-news.txt"}"\noutput = "{ROOT / "output"}"\n')
        result = run_process(["--settings", no_settings, "build", "--check"], cwd=ROOT)
        assert result.returncode == 0, result.stderr


class TestCheckCommand:
    def test_check_prints_the_seed_anomalies_with_their_lines_and_a_summary(self) -> None:
        result = run("check", "--source", SEED)
        assert result.exit_code == 0
        assert result.stderr.splitlines() == SEED_WARNINGS
        assert result.stdout == f"{SEED}: 30 items (trafficking 21, smuggling 16); 0 errors, 3 warnings\n"

    def test_strict_makes_warnings_fail(self) -> None:
        assert run("check", "--source", SEED, "--strict").exit_code == 1

    def test_the_summary_counts_items_by_topic_and_problems(self, tmp_path: Path) -> None:
        source = write(tmp_path, listing("1 May 2021\nA press day\nText.\n31 June 2021\nBroken\n"))
        result = run("check", "--source", source)
        assert result.exit_code == 1
        assert result.stdout == f"{source}: 1 item (trafficking 0, smuggling 0, no topic 1); 1 error, 1 warning\n"


class TestBadInput:
    """Bad input: one clear line per problem, exit 1, and the published folder untouched."""

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (b"", ["{source}: error: the listing is empty"]),
            (
                b"<!DOCTYPE html><title>404 Not Found</title>\n<h1>Not Found</h1>\n",
                [
                    "{source}:1: warning: text before the first dated item is ignored",
                    "{source}: error: no items found: each item must start with a date line such as "
                    "'20 January 2022' (is this the listing page?)",
                ],
            ),
            (
                b"20 January 2022\nHuman trafficking\nCaf\xe9 summary\n",
                ["{source}:3: error: byte 0xE9 at column 4 is not UTF-8; save the listing as UTF-8"],
            ),
            (
                listing(
                    """
                    1 July 2021
                    Human trafficking story
                    Text.
                    31 June 2021
                    Another story
                    """
                ),
                [
                    "{source}:4: error: '31 June 2021' looks like a date but is not one "
                    "(day is out of range for month); nothing is published until it is fixed"
                ],
            ),
        ],
    )
    def test_a_source_with_an_error_publishes_nothing(
        self, tmp_path: Path, published: Path, data: bytes, expected: list[str]
    ) -> None:
        source = write(tmp_path, data)
        before = state(published)
        result = run("build", *at(published, source))
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [line.format(source=source) for line in expected] + [
            f"{source}: error: nothing was published (see above)"
        ]
        assert state(published) == before

    def test_strict_build_with_warnings_publishes_nothing_and_shows_them_even_when_quiet(self, published: Path) -> None:
        before = state(published)
        result = run("build", *at(published), "--strict", "--quiet")
        assert result.exit_code == 1
        assert result.stderr.splitlines()[:3] == SEED_WARNINGS
        assert state(published) == before

    @pytest.mark.parametrize("bom", [b"", b"\xff\xfe"])
    def test_a_utf16_file_is_one_error(self, tmp_path: Path, bom: bytes) -> None:
        source = write(tmp_path, bom + SEED.read_text().encode("utf-16-le"))
        result = run("check", "--source", source)
        assert result.exit_code == 1
        assert result.stderr == f"{source}: error: the file is UTF-16, not UTF-8; save the listing as UTF-8\n"

    def test_a_byte_order_mark_and_crlf_line_ends_just_work(self, tmp_path: Path, seed_output: Path) -> None:
        source = write(tmp_path, b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n"))
        result = run("build", "--source", source, "--output", tmp_path / "out", "-q")
        assert result.exit_code == 0
        assert snapshot(tmp_path / "out").keys() == snapshot(seed_output).keys()
        for name in FEED_FILES:
            assert (tmp_path / "out" / name).read_bytes() == (seed_output / name).read_bytes()

    def test_control_characters_are_removed_with_a_warning_naming_the_line(self, tmp_path: Path) -> None:
        source = write(tmp_path, b"20 January 2022\nHuman trafficking\x1b[31m news\nText\x00.\n")
        result = run("build", "--source", source, "--output", tmp_path / "out")
        assert result.exit_code == 0
        assert result.stderr.splitlines() == [
            f"{source}:2: warning: removed 1 control character (U+001B)",
            f"{source}:3: warning: removed 1 control character (U+0000)",
        ]
        assert "Human trafficking[31m news" in (tmp_path / "out" / "all.atom.xml").read_text()

    def test_a_failed_write_leaves_the_published_files_as_they_were(
        self, published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        source = write(tmp_path, SEED.read_bytes().replace(b"Securing Evidence", b"Securing Proof"))
        calls = []

        def disk_full(fd: int) -> None:
            calls.append(fd)
            if len(calls) == 3:  # the third new file finds the disk full
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", disk_full)
        before = state(published)
        result = run("build", *at(published, source), "-q")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"{published}/")  # the third file written
        assert result.stderr.endswith(": error: cannot write: No space left on device; nothing was published\n")
        assert state(published) == before  # no file replaced, no temporary file left


def one_line(stderr: str, start: str, part: str) -> bool:
    """True when `stderr` is one line that starts with `start` and contains `part`.

    The middle is click's own wording, which changes between click versions.
    """
    return stderr.count("\n") == 1 and stderr.startswith(start) and part in stderr


class TestUsage:
    """Usage errors: exit 2 and one line, in cron mail as on a terminal."""

    def test_a_missing_source_file(self, tmp_path: Path) -> None:
        result = run("build", "--source", tmp_path / "nope.txt", "--output", tmp_path / "out")
        assert (result.exit_code, result.stderr) == (
            2,
            f"{tmp_path}/nope.txt: error: cannot read the listing: No such file or directory\n",
        )
        assert not (tmp_path / "out").exists()

    def test_an_unreadable_source_file(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        source = write(tmp_path, b"")

        from feedgen_unodc import files

        open_regular = files.open_regular

        def denied(path: Path) -> int:
            if path == source:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return open_regular(path)

        monkeypatch.setattr(files, "open_regular", denied)  # chmod cannot stop root, who runs CI
        result = run("check", "--source", source)
        assert result.exit_code == 2
        assert result.stderr == f"{source}: error: cannot read the listing: Permission denied\n"

    def test_a_folder_as_source(self, tmp_path: Path) -> None:
        result = run("check", "--source", tmp_path)
        assert result.exit_code == 2
        assert one_line(result.stderr, "feedgen-unodc: error: Invalid value for '--source'", "is a directory.")

    @pytest.mark.parametrize(
        "url",
        [
            "example.org/feeds",
            "ftp://example.org/",
            "https://example.org/?a=1",
            "https://example.org/?",
            "http://",
            "https://[::1/",
            "https://example.org:99999/",
            'https://example.org/"feeds"/',
            "https://example.org/<x>/",
        ],
    )
    def test_a_base_url_that_is_not_an_absolute_http_url(self, tmp_path: Path, url: str) -> None:
        result = run("build", "--source", SEED, "--output", tmp_path, "--base-url", url)
        assert result.exit_code == 2
        assert one_line(result.stderr, "feedgen-unodc: error: Invalid value for '--base-url'", f"{url!r}")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.parametrize(
        ("url", "folder"),
        [
            ("https://x.example/unodc/index.html", "https://x.example/unodc/"),
            ("https://x.example/all.atom.xml", "https://x.example/"),
        ],
    )
    def test_a_base_url_that_names_a_file_is_a_usage_error(self, tmp_path: Path, url: str, folder: str) -> None:
        # Else every self link would be .../index.html/all.atom.xml.
        result = run("build", "--source", SEED, "--output", tmp_path, "--base-url", url)
        assert result.exit_code == 2
        named = url.rsplit("/", 1)[1]
        start = "feedgen-unodc: error: Invalid value for '--base-url':"
        assert one_line(result.stderr, start, f"names a file ({named!r})")
        assert f"such as {folder!r}" in result.stderr
        assert list(tmp_path.iterdir()) == []

    def test_the_environment_variable_is_named_only_when_it_gave_the_value(self, tmp_path: Path) -> None:
        given = run("build", "--source", SEED, "--output", tmp_path, "--base-url", "ftp://x/")
        assert "FEEDGEN_UNODC_BASE_URL" not in given.stderr
        from_environment = run(
            "build", "--source", SEED, "--output", tmp_path, env={"FEEDGEN_UNODC_BASE_URL": "ftp://x/"}
        )
        assert from_environment.exit_code == 2
        assert "Invalid value for '--base-url' (from $FEEDGEN_UNODC_BASE_URL)" in from_environment.stderr

    @pytest.mark.parametrize("url", ["https://x.example/unodc", "https://x.example/v1.0/", "https://x.example"])
    def test_a_base_url_of_a_folder_is_taken_with_or_without_its_slash(self, tmp_path: Path, url: str) -> None:
        assert run("build", "--source", SEED, "--output", tmp_path, "--base-url", url, "-q").exit_code == 0
        assert f'href="{url.rstrip("/")}/all.atom.xml"' in (tmp_path / "all.atom.xml").read_text()

    @pytest.mark.parametrize("option", ["--output", "--source", "--archive"])
    def test_an_empty_path_is_refused_not_taken_for_the_current_folder(self, tmp_path: Path, option: str) -> None:
        result = run("build", option, "", cwd=tmp_path)
        assert result.exit_code == 2
        assert one_line(result.stderr, f"feedgen-unodc: error: Invalid value for '{option}'", "must not be empty")
        assert list(tmp_path.iterdir()) == []

    def test_a_failed_write_leaves_no_folder_behind(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def disk_full(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "fsync", disk_full)
        result = run("build", *at(tmp_path / "new" / "deep" / "output"))
        assert result.exit_code == 1
        # Only the run lock, taken before anything is written, stays beside the archive's place.
        assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*")] == [
            Path("new"),
            Path("new/deep"),
            Path("new/deep/archive.lock"),
        ]

    def test_an_output_path_that_is_a_file(self, tmp_path: Path) -> None:
        (tmp_path / "file").write_text("x")
        result = run("build", "--source", SEED, "--output", tmp_path / "file", "-q")
        assert result.exit_code == 2
        assert one_line(result.stderr, "feedgen-unodc: error: Invalid value for '--output'", "is a file.")

    def test_an_unknown_option(self) -> None:
        result = run("build", "--sorce", "x.txt")
        assert result.exit_code == 2
        assert one_line(result.stderr, "feedgen-unodc: error: No such option", "(see 'feedgen-unodc build --help')")


class TestHelp:
    @pytest.mark.parametrize("command", [[], ["build"], ["check"]])
    def test_every_command_explains_itself_with_an_example_or_exit_codes(self, command: list[str]) -> None:
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Usage: feedgen-unodc" in result.stdout
        assert "Example" in result.stdout or "Exit status" in result.stdout

    def test_version(self) -> None:
        from feedgen_unodc import __version__

        assert run("--version").stdout == f"feedgen-unodc {__version__}\n"

    def test_runnable_as_a_module_and_as_the_console_script(self, tmp_path: Path) -> None:
        import subprocess

        module = subprocess.run(
            [sys.executable, "-m", "feedgen_unodc", "check", "--source", SEED], capture_output=True, text=True
        )
        script = run_process(["check", "--source", SEED], cwd=tmp_path)
        assert module.returncode == script.returncode == 0
        assert module.stdout == script.stdout

    def test_a_reader_that_goes_away_is_no_traceback(self) -> None:
        import subprocess

        # `feedgen-unodc --help | head -0`: the pipe is closed before the command writes to it
        read, write = os.pipe()
        os.close(read)
        result = subprocess.run(
            [sys.executable, "-m", "feedgen_unodc", "--help"], stdout=write, stderr=subprocess.PIPE, text=True
        )
        os.close(write)
        assert (result.returncode, result.stderr) == (1, "")

    def test_the_command_ends_cleanly_when_started_with_its_output_closed(self, tmp_path: Path) -> None:
        import subprocess

        # cron jobs and daemons may start it so: sys.stdout is then None
        for arguments in (["--version"], ["build", "--source", str(SEED), "--output", str(tmp_path), "-q"]):
            result = subprocess.run(
                [sys.executable, "-m", "feedgen_unodc", *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                preexec_fn=lambda: os.close(1), text=True, check=False,
            )  # fmt: skip
            assert (result.returncode, result.stderr) == (0, ""), arguments


class TestEmptyFeeds:
    """An empty feed is a valid feed: every story removed, or every story of a topic."""

    def test_removing_every_story_publishes_empty_feeds_dated_by_the_archive(self, tmp_path: Path) -> None:
        output = tmp_path / "output"
        archive = tmp_path / "archive"
        assert run("build", *at(output), "-q").exit_code == 0
        ids = [str(story["id"]) for story in archived(archive)]
        for story_id in ids:
            assert run("remove", story_id, "--reason", "withdrawn", "--archive", archive).exit_code == 0
        result = run("build", *at(output), "-q")
        assert (result.exit_code, result.stderr) == (0, "")
        removals = tomllib.loads((tmp_path / "removed.toml").read_text())["removed"]
        removed_at = max(r["at"] for r in removals).isoformat().replace("+00:00", "Z")
        for name in FEED_FILES:
            data = (output / name).read_bytes()
            parsed = feedparser.parse(data)
            assert not parsed.bozo
            assert parsed.entries == []
            assert check_feed(data, f"http://localhost:8000/{name}") == []
        updated = feedparser.parse((output / "all.atom.xml").read_bytes()).feed.updated
        assert updated.replace("+00:00", "Z") == removed_at  # the archive's time, never the clock's
        assert json.loads((output / "all.json").read_text())["items"] == []
        before = state(output)
        assert run("build", *at(output), "-q", "--force").exit_code == 0
        assert state(output) == before  # and rebuilt byte for byte

    def test_removing_every_story_of_a_topic_leaves_its_feed_empty(self, tmp_path: Path) -> None:
        output = tmp_path / "output"
        archive = tmp_path / "archive"
        assert run("build", *at(output), "-q").exit_code == 0
        smuggling = [e.id for e in feedparser.parse((output / "smuggling.atom.xml").read_bytes()).entries]
        for story_id in smuggling:
            assert run("remove", story_id, "--reason", "withdrawn", "--archive", archive).exit_code == 0
        assert run("build", *at(output), "-q").exit_code == 0
        data = (output / "smuggling.atom.xml").read_bytes()
        assert feedparser.parse(data).entries == []
        assert check_feed(data, "http://localhost:8000/smuggling.atom.xml") == []


BIG = "x" * 10_000_000


@pytest.mark.parametrize(
    "text",
    [
        f"20 January 2022\nA title on trafficking\nText.\n31 {BIG} 2021\nAnother\nText.\n",  # a month of 10 MB
        f"20 January 2022\nA title on trafficking\nhttps://{'<' * 10_000_000}\nText.\n",  # a story URL of 10 MB
        f"20 January 2022\nA <{BIG} title on trafficking\nText.\n",  # markup in a title
        f"20 January 2022 {BIG}\nA title on trafficking\nText.\n",  # text after a date
    ],
    ids=["month", "story URL", "markup", "text after the date"],
)
def test_a_message_quotes_a_short_excerpt_of_a_huge_line(tmp_path: Path, text: str) -> None:
    source = write(tmp_path, text.encode())
    result = run("check", "--source", source)
    lines = result.stderr.splitlines()
    assert lines
    assert all(len(line) < len(str(source)) + 300 for line in lines)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--timeout", "inf", "must be from 0.1 to 3600 seconds, not 'inf'"),
        ("--timeout", "-1", "must be from 0.1 to 3600 seconds, not '-1'"),
        ("--backoff", "nan", "must be from 0 to 600 seconds, not 'nan'"),
        ("--backoff", "1e300", "must be from 0 to 600 seconds, not '1e300'"),
        ("--lock-timeout", "-5", "must be from 0 to 86400 seconds, not '-5'"),
        ("--regression-threshold", "nan", "must be a number from 0 to 1, not 'nan'"),
        ("--retries", "99", "must be from 0 to 10, not '99'"),
        ("--max-page-size", "1T", "must be a size in bytes, such as 4194304, 4096K or 4M, not '1T'"),
    ],
)
def test_a_number_that_cannot_work_is_a_usage_error_naming_its_option(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    result = run("update", option, value, cwd=tmp_path)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"feedgen-unodc: error: Invalid value for '{option}': {message} (see 'feedgen-unodc update --help')\n"
    )
    assert not list(tmp_path.iterdir())  # nothing fetched, nothing written
