"""Where a deployment's files live: the archive and the removals beside the listing, a settings file's
paths of its own folder, and a notice when a new archive is started."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from support import EARLIER, SEED, SHIPPED_TOPICS, contents, deployment, run, seeded

from feedgen_unodc.archive import loads
from feedgen_unodc.settings import SHIPPED_VOCABULARY

REMOVED = "urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557"  # a story of the seed


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A deployment folder with the seed built and published."""
    return deployment(tmp_path)


class TestTheArchiveIsBesideTheListing:
    def test_a_trial_build_of_another_listing_keeps_its_archive_beside_it(self, home: Path) -> None:
        before = contents(home / "source")
        (home / "trial").mkdir()
        (home / "trial" / "listing.txt").write_bytes(SEED.read_bytes()[:2000])
        result = run("build", "--source", "trial/listing.txt", "--output", "trial/out", "-q", cwd=home)
        assert result.exit_code == 0, result.stderr
        assert (home / "trial" / "archive" / "index.json").is_file()
        assert contents(home / "source") == before  # the real archive is untouched

    def test_a_new_archive_is_announced_once_naming_where(self, tmp_path: Path) -> None:
        seeded(tmp_path, "feeds/news.txt")
        first = run("build", "--source", "feeds/news.txt", cwd=tmp_path)
        assert first.exit_code == 0
        assert first.stdout == "feeds/archive: started a new archive, which keeps every story from now on\n"
        assert run("build", "--source", "feeds/news.txt", "--force", cwd=tmp_path).stdout == ""

    def test_quiet_starts_a_new_archive_without_a_word(self, tmp_path: Path) -> None:
        seeded(tmp_path)
        result = run("build", "-q", cwd=tmp_path)
        assert (result.exit_code, result.stdout) == (0, "")
        assert (tmp_path / "source" / "archive" / "index.json").is_file()

    def test_check_starts_no_archive(self, tmp_path: Path) -> None:
        seeded(tmp_path)
        result = run("build", "--check", cwd=tmp_path)
        assert result.exit_code == 1
        assert "started" not in result.stdout
        assert not (tmp_path / "source" / "archive").exists()


class TestASettingsFileNamesItsOwnFiles:
    @pytest.fixture
    def deployment(self, tmp_path: Path) -> Path:
        """A settings file in its own folder, naming the files beside it."""
        folder = tmp_path / "srv" / "unodc"
        folder.mkdir(parents=True)
        (folder / "news.txt").write_bytes(SEED.read_bytes())
        (folder / "feeds.toml").write_text('source = "news.txt"\noutput = "public"\nlimit = 5\n')
        return folder

    @pytest.mark.parametrize("position", ["before", "after"])
    def test_its_relative_paths_are_of_its_folder_wherever_the_command_runs(
        self, deployment: Path, tmp_path: Path, position: str
    ) -> None:
        settings = ["--settings", str(deployment / "feeds.toml")]
        command = [*settings, "build", "-q"] if position == "before" else ["build", *settings, "-q"]
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        result = run(*command, cwd=elsewhere)
        assert result.exit_code == 0, result.stderr
        assert (deployment / "archive" / "index.json").is_file()
        assert (deployment / "public" / "all.atom.xml").read_bytes().count(b"<entry>") == 5
        assert list(elsewhere.iterdir()) == []

    def test_the_one_after_the_command_wins(self, deployment: Path, tmp_path: Path) -> None:
        (tmp_path / "other.toml").write_text("limit = 2\n")
        result = run("--settings", tmp_path / "other.toml", "build", "--settings", deployment / "feeds.toml", "-q")
        assert result.exit_code == 0, result.stderr
        assert (deployment / "public" / "all.atom.xml").read_bytes().count(b"<entry>") == 5

    def test_a_bad_value_names_the_file_and_the_key_not_the_environment(self, tmp_path: Path) -> None:
        (tmp_path / "feeds.toml").write_text("limit = 0\n")
        for command in (["--settings", "feeds.toml", "build"], ["build", "--settings", "feeds.toml"]):
            result = run(*command, cwd=tmp_path)
            assert (result.exit_code, result.stderr) == (
                2,
                "feeds.toml: error: limit: must be from 1 to 1000000, not 0\n",
            )

    def test_a_folder_as_the_settings_file_is_one_line_naming_it(self, tmp_path: Path) -> None:
        result = run("build", "--settings", tmp_path)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
        assert f"'{tmp_path}' is a directory" in result.stderr
        assert "FEEDGEN_UNODC_CONFIG" not in result.stderr

    def test_remove_finds_the_archive_beside_the_settings_listing(self, deployment: Path, tmp_path: Path) -> None:
        settings = deployment / "feeds.toml"
        assert run("build", "--settings", settings, "-q", cwd=tmp_path).exit_code == 0
        result = run("remove", "--settings", settings, REMOVED, "--reason", "withdrawn", cwd=tmp_path)
        assert result.exit_code == 0, result.stderr
        assert (deployment / "removed.toml").is_file()
        assert list(tmp_path.glob("source")) == []


class TestRemovalsAreKeptApartFromTheArchive:
    def test_a_removal_is_written_beside_the_archive_for_people_to_read(self, home: Path) -> None:
        result = run("remove", REMOVED, "--reason", 'withdrawn "at once" by UNODC', cwd=home)
        assert result.exit_code == 0
        text = (home / "source" / "removed.toml").read_text()
        assert text.startswith("# The stories feedgen-unodc does not publish")
        (removal,) = tomllib.loads(text)["removed"]
        assert removal["id"] == REMOVED
        assert removal["reason"] == 'withdrawn "at once" by UNODC'
        assert removal["title"] == "Exploited and Prosecuted: When Victims of Human Trafficking Commit Crimes"
        assert all(b'"removed"' not in path.read_bytes() for path in (home / "source" / "archive").iterdir())

    def test_losing_the_archive_never_brings_a_removed_story_back(self, home: Path) -> None:
        assert run("remove", REMOVED, "--reason", "withdrawn", cwd=home).exit_code == 0
        assert run("build", "-q", cwd=home).exit_code == 0
        shutil.rmtree(home / "source" / "archive")
        assert run("build", "-q", cwd=home).exit_code == 0
        assert REMOVED.encode() not in (home / "output" / "all.atom.xml").read_bytes()
        assert run("restore", REMOVED, cwd=home).exit_code == 0
        assert run("build", "-q", cwd=home).exit_code == 0
        assert REMOVED.encode() in (home / "output" / "all.atom.xml").read_bytes()

    def test_a_second_remove_says_it_replaced_the_reason(self, home: Path) -> None:
        assert run("remove", REMOVED, "--reason", "first", cwd=home).exit_code == 0
        second = run("remove", REMOVED, "--reason", "second", cwd=home)
        assert second.exit_code == 0
        assert second.stdout.splitlines()[1] == (
            "source/removed.toml: it was removed already; this reason replaced the earlier one: first"
        )
        (removal,) = tomllib.loads((home / "source" / "removed.toml").read_text())["removed"]
        assert removal["reason"] == "second"

    def test_a_hand_edit_of_the_removals_reaches_the_next_build(self, home: Path) -> None:
        (home / "source" / "removed.toml").write_text(
            f'[[removed]]\nid = "{REMOVED}"\nat = 2026-01-02T03:04:05Z\nreason = "by hand"\n'
        )
        assert run("build", "-q", cwd=home).exit_code == 0  # not "nothing changed"
        assert REMOVED.encode() not in (home / "output" / "all.atom.xml").read_bytes()

    def test_an_archive_of_an_earlier_version_moves_its_removals_out(self, home: Path) -> None:
        shutil.rmtree(home / "source" / "archive")
        legacy = home / "source" / "archive.json"
        removed = f'"removed": {{"{REMOVED}": {{"at": "2025-05-05T05:05:05Z", "reason": "old"}}}},'
        legacy.write_bytes(EARLIER.read_bytes().replace(b'  "stories": [', f'  {removed}\n  "stories": ['.encode()))
        assert loads(legacy.read_bytes()).removed[REMOVED].reason == "old"
        assert run("build", "-q", cwd=home).exit_code == 0
        assert not legacy.exists()
        (removal,) = tomllib.loads((home / "source" / "removed.toml").read_text())["removed"]
        assert (removal["id"], removal["reason"]) == (REMOVED, "old")
        assert REMOVED.encode() not in (home / "output" / "all.atom.xml").read_bytes()
        assert all(b'"removed"' not in path.read_bytes() for path in (home / "source" / "archive").iterdir())

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("removed = 5\n", "removed must be [[removed]] tables"),
            ("[[removed]]\nid = 'x'\n", "removal 1: id must be a story id (urn:uuid:...), not 'x'"),
            (f"[[removed]]\nid = '{REMOVED}'\nat = 2026-01-01\nreason = 'r'\n", "removal 1: at must be a time"),
            (f"[[removed]]\nid = '{REMOVED}'\nat = 2026-01-01T00:00:00Z\n", "removal 1: reason must be a line of text"),
            ("[oops\n", "not a TOML file"),
        ],
    )
    def test_a_damaged_removals_file_stops_the_build_and_is_left_as_it_is(
        self, home: Path, text: str, message: str
    ) -> None:
        removals = home / "source" / "removed.toml"
        removals.write_text(text)
        before = contents(home / "output", home / "source")
        result = run("build", "-q", cwd=home)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"source/removed.toml: error: {message}")
        assert result.stderr.endswith("; left as it is\n")
        assert contents(home / "output", home / "source") == before


class TestTopicSlugsCannotOverwriteFiles:
    @pytest.mark.parametrize(
        ("slug", "message"),
        [
            (
                "index",
                "topic slug 'index' cannot be used: the page of topic 'index' would overwrite the page of all"
                " news (index.html)",
            ),
            (
                "all",
                "topic slug 'all' cannot be used: the Atom feed of topic 'all' would overwrite the Atom feed of"
                " all news (all.atom.xml)",
            ),
        ],
    )
    def test_a_slug_naming_a_published_file_is_refused_naming_both(self, home: Path, slug: str, message: str) -> None:
        vocabulary = SHIPPED_VOCABULARY.read_text().replace('slug = "smuggling"', f'slug = "{slug}"')
        (home / "topics.toml").write_text(vocabulary)
        before = contents(home / "output")
        for command in ("build", "check"):
            result = run(command, "--topics", "topics.toml", cwd=home)
            assert (result.exit_code, result.stderr) == (2, f"topics.toml: error: {message}\n")
        assert contents(home / "output") == before


def test_a_topic_dropped_from_the_vocabulary_is_said_once_and_its_files_stay(home: Path) -> None:
    vocabulary = SHIPPED_VOCABULARY.read_text()
    (home / "topics.toml").write_text(vocabulary[: vocabulary.index('[[topic]]\nslug = "smuggling"')])
    before = contents(home / "output")
    result = run("build", "--topics", "topics.toml", cwd=home)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "output: warning: this build no longer makes smuggling.atom.xml, smuggling.rss.xml, smuggling.json,"
        " smuggling.html, smuggling-2021.html, smuggling-2020.html (a topic left the vocabulary?); left in place:"
        " see the README, 'Retiring a topic'"
    )
    for name in ("smuggling.atom.xml", "smuggling.rss.xml", "smuggling.json", "smuggling.html", "smuggling-2020.html"):
        assert (home / "output" / name).read_bytes() == before[name]  # frozen, for the operator to retire
    again = run("build", "--topics", "topics.toml", "--force", cwd=home)
    assert "no longer makes" not in again.stderr


class TestWhatANewOperatorTripsOn:
    """Found by trying the tool afresh: each is a line, never a traceback, and nothing published is harmed."""

    def test_a_source_given_beats_the_settings_archive(self, home: Path, tmp_path: Path) -> None:
        (home / "feedgen-unodc.toml").write_text('archive = "source/archive"\n')
        before = contents(home / "source")
        trial = tmp_path / "trial"
        trial.mkdir()
        (trial / "listing.txt").write_bytes(SEED.read_bytes()[:2000])
        result = run("build", "--source", trial / "listing.txt", "--output", trial / "out", "-q", cwd=home)
        assert result.exit_code == 0, result.stderr
        assert (trial / "archive" / "index.json").is_file()
        assert contents(home / "source") == before

    def test_a_new_archive_beside_another_listing_warns_of_the_old_default_even_when_quiet(self, home: Path) -> None:
        seeded(home, "data/news.txt")
        result = run("build", "--source", "data/news.txt", "-q", cwd=home)
        assert result.exit_code == 0
        assert result.stderr.startswith("data/archive: warning: started beside the listing while source/archive exists")
        assert run("build", "--source", "data/news.txt", "-q", "--force", cwd=home).stderr == ""

    def test_a_topic_dropped_is_said_even_when_quiet(self, home: Path) -> None:
        vocabulary = SHIPPED_VOCABULARY.read_text()
        (home / "topics.toml").write_text(vocabulary[: vocabulary.index('[[topic]]\nslug = "smuggling"')])
        result = run("build", "--topics", "topics.toml", "-q", cwd=home)
        assert result.stderr.startswith("output: warning: this build no longer makes smuggling.atom.xml")

    @pytest.mark.parametrize("reason", ["line one\nline two", "a\x7fb", "c\x85d"])
    def test_a_reason_is_one_line_of_text(self, home: Path, reason: str) -> None:
        result = run("remove", REMOVED, "--reason", reason, cwd=home)
        assert result.exit_code == 2
        assert "must be one line of text, without control characters" in result.stderr
        assert not (home / "source" / "removed.toml").exists()

    def test_a_build_reads_the_removals_and_never_rewrites_them(self, home: Path) -> None:
        assert run("remove", REMOVED, "--reason", "withdrawn", cwd=home).exit_code == 0
        removals = home / "source" / "removed.toml"
        removals.write_text(removals.read_text() + "# ticket 123: asked by the Section\n")
        kept = removals.read_bytes()
        assert run("build", "-q", cwd=home).exit_code == 0
        assert run("build", "--check", cwd=home).exit_code == 0
        assert removals.read_bytes() == kept

    def test_an_upgrade_writes_the_removals_before_the_archive_that_no_longer_holds_them(self, home: Path) -> None:
        # publish() goes in this order: a run killed between two renames keeps the removals somewhere.
        from feedgen_unodc import inputs
        from feedgen_unodc.jobs import _archive_files, _stored

        folder, legacy = home / "source" / "archive", home / "source" / "archive.json"
        shutil.rmtree(folder)
        removed = f'"removed": {{"{REMOVED}": {{"at": "2025-05-05T05:05:05Z", "reason": "old"}}}},'
        legacy.write_bytes(EARLIER.read_bytes().replace(b'  "stories": [', f'  {removed}\n  "stories": ['.encode()))
        stored = _stored(folder, inputs.archive_files(folder))
        assert stored.legacy is not None
        files = list(_archive_files(folder, stored.legacy, stored, "", SHIPPED_TOPICS, frozenset()))
        assert files == [
            home / "source" / "removed.toml",
            *(folder / f"{year}.json" for year in (2022, 2021, 2020)),
            folder / "index.json",
            legacy,  # removed, last
        ]

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('source = "."\n', "source: '.' names a folder: it must name a file"),
            ('source = "/"\n', "source: '/' names a folder: it must name a file"),
            ('topics = "data/"\n', "topics: 'data/' names a folder: it must name a file"),
            ('source = "~nosuchuser-x/news.txt"\n', "source: '~nosuchuser-x/news.txt': "),
            ('source = "a\\u0000b"\n', "source: 'a\\x00b' holds a NUL character"),
        ],
    )
    def test_a_path_setting_no_file_can_have_is_one_line(self, home: Path, text: str, message: str) -> None:
        (home / "feedgen-unodc.toml").write_text(text)
        for command in ("build", "check", "remove"):
            result = run(command, *([REMOVED, "--reason", "x"] if command == "remove" else []), cwd=home)
            assert result.exit_code == 2
            assert result.stderr.startswith(f"feedgen-unodc.toml: error: {message}")
            assert result.stderr.count("\n") == 1

    def test_a_removal_dated_out_of_bounds_is_one_line(self, home: Path) -> None:
        (home / "source" / "removed.toml").write_text(
            f'[[removed]]\nid = "{REMOVED}"\nat = 9999-12-31T23:00:00-05:00\nreason = "x"\n'
        )
        result = run("build", "-q", cwd=home)
        assert result.exit_code == 1
        assert result.stderr.startswith("source/removed.toml: error: removal 1: at must be a time")

    def test_a_stamp_naming_a_file_no_file_can_have_means_build_again(self, home: Path) -> None:
        stamp = home / "output" / ".feedgen-unodc-stamp"
        stamp.write_bytes(stamp.read_bytes() + b"0" * 64 + b" bad\x00name\n")
        result = run("build", "--verbose", cwd=home)
        assert result.exit_code == 0
        assert result.stdout.startswith("build: 0 added")

    def test_a_settings_file_that_names_no_files_builds_beside_itself(self, tmp_path: Path) -> None:
        folder = tmp_path / "srv"
        seeded(folder)
        (folder / "feeds.toml").write_text("limit = 3\n")
        result = run("--settings", folder / "feeds.toml", "build", "-q")
        assert result.exit_code == 0, result.stderr
        assert (folder / "output" / "all.atom.xml").read_bytes().count(b"<entry>") == 3
        assert (folder / "source" / "archive" / "index.json").is_file()
        assert run("remove", "--settings", folder / "feeds.toml", REMOVED, "--reason", "x").exit_code == 0
        assert (folder / "source" / "removed.toml").is_file()


def test_an_archive_of_another_name_has_its_own_removals(home: Path) -> None:
    trial = home / "source" / "trial.json"
    assert run("build", "--archive", trial, "-q", cwd=home).exit_code == 0
    assert run("remove", REMOVED, "--reason", "trial only", "--archive", trial, cwd=home).exit_code == 0
    assert (home / "source" / "trial.removed.toml").is_file()
    assert not (home / "source" / "removed.toml").exists()  # the real archive's removals are untouched
