"""Never publish a broken feed: failures at every write, killed runs, overlapping runs, bad settings."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import pytest
from support import OUTPUT_FILES, archive_bytes, contents, deployment, run
from w3c_rules import check_feed

from feedgen_unodc import publish
from feedgen_unodc.archivestore import loads_index, loads_year
from feedgen_unodc.lock import locked


def synthetic_listing(count: int, edition: str) -> bytes:
    """`count` human trafficking stories, one a day going back; `edition` changes every summary."""
    lines = []
    for n in range(count):
        day = time.gmtime(1_640_000_000 - n * 86_400)
        lines += [time.strftime("%d %B %Y", day), f"Human trafficking story {n}", f"Summary {edition} of {n}.", ""]
    return "\n".join(lines).encode()


def files_of(home: Path) -> dict[str, bytes]:
    """What is published and archived: the output folder and the archive."""
    return contents(home / "output") | archive_bytes(home / "source" / "archive")


def assert_whole(home: Path, *, leftovers: bool = False) -> None:
    """Every published file parses and validates, the archive loads, no temporary file is left (but
    `leftovers`: those a killed run could not remove)."""
    for path in (home / "output").glob("*.xml"):
        data = path.read_bytes()
        assert not feedparser.parse(data).bozo, path
        assert check_feed(data, f"http://localhost:8000/{path.name}") == [], path
    folder = home / "source" / "archive"
    index = loads_index((folder / "index.json").read_bytes())
    for year in index.years:
        loads_year((folder / f"{year}.json").read_bytes(), year)
    assert leftovers or not list(home.rglob("*.tmp"))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A deployment folder with the seed built and published."""
    return deployment(tmp_path)


def edit_source(home: Path) -> None:
    source = home / "source" / "latest-news.txt"
    source.write_bytes(
        source.read_bytes().replace(b"Human trafficking is a global", b"Human trafficking is a worldwide")
    )


def failing_at(target: Callable[..., object], when: int) -> Callable[..., object]:
    calls = 0

    def wrapper(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == when:
            raise OSError(28, "No space left on device")
        return target(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize("operation", ["write", "rename"])
def test_a_failure_at_any_write_or_rename_leaves_every_file_whole(
    home: Path, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    old = files_of(home)
    # A corrected summary changes the archive's year and index, the all and trafficking feeds (Atom, RSS,
    # JSON), two pages and their two of the year, the OPML list's date, the dataset and the stamp: sixteen files.
    edit_source(home)
    when = 0
    while True:
        when += 1
        with monkeypatch.context() as patch:
            if operation == "write":
                patch.setattr(publish, "_write_beside", failing_at(publish._write_beside, when))
            else:
                patch.setattr(os, "replace", failing_at(os.replace, when))
            result = run("build", "-q", cwd=home)
        if result.exit_code == 0:  # the failure came after the last write: nothing failed
            break
        assert result.exit_code == 1
        assert result.stderr.endswith("No space left on device; nothing was published\n")
        if operation == "write":
            assert files_of(home) == old  # nothing is renamed before every file is written
            assert not list(home.rglob("*.tmp"))
        else:
            assert_whole(home)
    # Writes: each file that changes is written beside its name, each failing once before the run that
    # succeeds. Renames: a failed run has already put the first files in place, so each next run has fewer
    # left to rename.
    if operation == "write":
        assert when == sum(data != old.get(name) for name, data in files_of(home).items()) + 1 == 16 + 1
    else:
        assert when >= 3
    assert "worldwide" in (home / "output" / "all.atom.xml").read_text()


# A build that sends itself `signum` at its `step`th step of publishing: before a file's new bytes are
# written beside it, or before it is replaced by them. Arguments: signum, step, then the command's.
INTERRUPTED_BUILD = """
import os, sys
from feedgen_unodc import publish
from feedgen_unodc.cli import entry

signum, step = int(sys.argv.pop(1)), int(sys.argv.pop(1))
steps = 0

def interrupted(function):
    def wrapper(*args, **kwargs):
        global steps
        steps += 1
        if steps == step:
            os.kill(os.getpid(), signum)
        return function(*args, **kwargs)
    return wrapper

publish._write_beside = interrupted(publish._write_beside)
os.replace = interrupted(os.replace)
sys.argv[0] = "feedgen-unodc"
entry()
"""


def interrupted_builds(home: Path, signum: int, steps: list[int]) -> list[tuple[Path, int, str]]:
    """Copies of `home`, each with a build interrupted by `signum` at one of `steps`: (folder, status, stderr)."""

    def one(step: int) -> tuple[Path, int, str]:
        folder = home.with_name(f"{home.name}-{signum}-{step}")
        shutil.copytree(home, folder)
        command = [sys.executable, "-c", INTERRUPTED_BUILD, str(signum), str(step), "build", "-q"]
        done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=60, env=os.environ | CLOCK)
        return folder, done.returncode, done.stderr

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(one, steps))


def publishing_steps(home: Path) -> int:
    """How many steps the next build's publishing takes: a write and a rename per file it changes."""
    result = run("build", "--check", "-q", cwd=home)
    return 2 * result.stderr.count("; run 'feedgen-unodc build' to update it")


def built(home: Path) -> dict[str, bytes]:
    """What a build of `home` publishes, built in a copy."""
    copy = home.with_name(home.name + "-built")
    shutil.copytree(home, copy)
    assert run("build", "-q", cwd=copy, env=CLOCK).exit_code == 0
    return files_of(copy)


# The time the builds that add a story record as now (it is first seen then): one for all of them.
CLOCK = {"SOURCE_DATE_EPOCH": "1700000000"}


def add_story(home: Path) -> None:
    """A new story at the top of the listing: a build that changes files, seen at the time `CLOCK` says."""
    source = home / "source" / "latest-news.txt"
    story = b"25 January 2022\nA new human trafficking story\n\nIts summary, about human trafficking.\n\n"
    source.write_bytes(story + source.read_bytes())


def test_a_build_killed_while_publishing_leaves_each_file_old_or_new_and_the_next_run_finishes(home: Path) -> None:
    old = files_of(home)
    add_story(home)
    new = built(home)
    steps = publishing_steps(home)
    # The archive's year and index, six feeds, two pages and two of the year, the OPML list, the dataset and
    # the stamp: each written, then renamed.
    assert steps == 2 * 16
    # Killed before the first write, before the last, and before each rename: each rename is a moment
    # where some files are new and some old.
    writes = steps // 2
    for folder, status, _ in interrupted_builds(home, signal.SIGKILL, [1, writes, *range(writes + 1, steps + 1)]):
        assert status == -signal.SIGKILL
        got = files_of(folder)
        for name in new:
            assert got[name] in (old[name], new[name]), name  # whole: never half a file
        for leftover in got.keys() - new.keys():  # what a killed run leaves: temporary files, hidden
            assert re.fullmatch(r"(archive/)?\..+\.tmp", leftover), leftover
        assert_whole(folder, leftovers=True)
    # The next run, holding the lock, removes what a killed one left and publishes the new files.
    folder = home.with_name(f"{home.name}-{signal.SIGKILL}-{steps // 2}")  # killed before its last write
    assert list(folder.rglob("*.tmp"))
    assert run("build", "-q", cwd=folder, env=CLOCK).exit_code == 0
    assert files_of(folder) == new
    assert_whole(folder)


@pytest.mark.parametrize(
    ("stop", "at"),
    [(signal.SIGTERM, ["first write", "last write", "first rename", "last rename"]), (signal.SIGHUP, ["first rename"])],
    ids=["SIGTERM", "SIGHUP"],
)
def test_a_build_stopped_while_publishing_ends_cleanly_and_leaves_nothing_behind(
    home: Path, stop: int, at: list[str]
) -> None:
    old = files_of(home)
    add_story(home)
    new = built(home)
    steps = publishing_steps(home)
    step = {"first write": 1, "last write": steps // 2, "first rename": steps // 2 + 1, "last rename": steps}
    message = f"feedgen-unodc: error: stopped by {signal.Signals(stop).name}; no file was left half-written\n"
    for folder, status, stderr in interrupted_builds(home, stop, [step[moment] for moment in at]):
        assert (status, stderr) == (1, message)
        assert_whole(folder)  # and no temporary file
        assert all(data in (old[name], new[name]) for name, data in files_of(folder).items())


def test_a_second_run_waits_for_the_first_then_gives_up_with_one_line(home: Path) -> None:
    with locked(home / "source" / "archive.lock", timeout=0):
        result = run("build", "--force", "--lock-timeout", "0.3", cwd=home)
    assert result.exit_code == 1
    assert result.stderr == (
        "feedgen-unodc: error: another feedgen-unodc run holds source/archive.lock; gave up after 0.3 s\n"
    )


def test_a_lock_left_by_a_killed_run_does_not_block(home: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from feedgen_unodc.lock import locked\n"
         "with locked(__import__('pathlib').Path(sys.argv[1]), 0):\n print('held', flush=True); time.sleep(60)",
         str(home / "source" / "archive.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    assert (home / "source" / "archive.lock").exists()
    assert run("build", "--force", "--lock-timeout", "0", cwd=home).exit_code == 0


def test_overlapping_runs_both_finish_and_corrupt_nothing(home: Path) -> None:
    edit_source(home)
    command = [sys.executable, "-m", "feedgen_unodc", "build", "--force", "-q"]
    runs = [subprocess.Popen(command, cwd=home) for _ in range(3)]
    assert [p.wait(timeout=60) for p in runs] == [0, 0, 0]
    assert_whole(home)


def test_a_published_file_deleted_by_hand_is_written_again(home: Path) -> None:
    (home / "output" / "smuggling.rss.xml").unlink()
    result = run("build", "--verbose", cwd=home)
    assert result.stdout == "build: 0 added, 0 changed, 30 kept; 1 file written, 16 unchanged\n"
    assert (home / "output" / "smuggling.rss.xml").exists()


def test_an_edit_that_keeps_the_size_and_time_of_the_listing_is_seen(home: Path) -> None:
    source = home / "source" / "latest-news.txt"
    before = source.stat()
    source.write_bytes(source.read_bytes().replace(b"Human trafficking is a global", b"Human trafficking is a GLOBAL"))
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert run("build", "--verbose", cwd=home).stdout.startswith("build: 0 added, 1 changed")


@pytest.mark.parametrize(
    ("arguments", "settings", "written"),
    [
        ((), 'base_url = "https://feeds.example.org/"\n', "11 files written, 17 unchanged"),
        (("--limit", "3"), "", "19 files written, 15 unchanged"),
        (("--topics", "topics.toml"), "", "21 files written, 7 unchanged"),
    ],
    ids=["a setting", "an option", "the vocabulary"],
)
def test_what_a_build_is_made_from_changed_is_a_build_with_work(
    home: Path, arguments: tuple[str, ...], settings: str, written: str
) -> None:
    # The up-to-date check's digest holds the settings, the options and the vocabulary, not only the inputs.
    from feedgen_unodc.settings import SHIPPED_VOCABULARY

    (home / "topics.toml").write_bytes(SHIPPED_VOCABULARY.read_bytes().replace(b"Human trafficking", b"Trafficking"))
    (home / "feedgen-unodc.toml").write_text(settings)
    result = run("build", "--verbose", *arguments, cwd=home)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"build: 0 added, 0 changed, 30 kept; {written}\n"
    assert run("build", "--verbose", *arguments, cwd=home).stdout == "build: nothing changed since the last build\n"


class TestAHandEditedFileIsMended:
    """What is published stays what a build makes: `build --check`'s advice to run `build` always works."""

    @pytest.mark.parametrize(
        "edit",
        [
            lambda path: path.write_bytes(path.read_bytes().replace(b"UNODC", b"ACME")),
            lambda path: path.write_bytes(b"<html>by hand</html>"),
            lambda path: path.unlink(),
        ],
        ids=["same size", "another size", "deleted"],
    )
    def test_a_plain_build_writes_again_a_file_edited_since_the_last_build(
        self, home: Path, edit: Callable[[Path], object]
    ) -> None:
        before = contents(home / "output")
        edit(home / "output" / "index.html")
        advice = run("build", "--check", cwd=home)
        assert advice.exit_code == 1
        assert "output/index.html: error:" in advice.stderr
        assert "run 'feedgen-unodc build' to update it" in advice.stderr
        result = run("build", "--verbose", cwd=home)
        assert (result.exit_code, result.stdout) == (
            0,
            "build: 0 added, 0 changed, 30 kept; 1 file written, 16 unchanged\n",
        )
        assert contents(home / "output") == before
        assert run("build", "--check", cwd=home).exit_code == 0

    @pytest.mark.parametrize("line", [b"abc \xc2\xb2 x\n", b"abc " + b"9" * 5000 + b" x\n", b"\xff\xfe\n"])
    def test_a_damaged_stamp_means_build_again_never_a_traceback(self, home: Path, line: bytes) -> None:
        stamp = home / "output" / ".feedgen-unodc-stamp"
        stamp.write_bytes(stamp.read_bytes() + line)
        for command in (["build", "-q"], ["build", "--check"], ["build", "-q", "--force"]):
            result = run(*command, cwd=home)
            assert result.exit_code in (0, 1), result.stderr
        assert run("build", "--check", cwd=home).exit_code == 0

    def test_an_edit_that_sets_the_file_times_back_is_seen(self, home: Path) -> None:
        # The up-to-date check reads only the files changed since the stamp was written: by their ctime,
        # which os.utime (touch -r, cp -p, rsync -t) changes too. The plain version reads them all.
        index = home / "output" / "index.html"
        made, status = index.read_bytes(), index.stat()
        index.write_bytes(made.replace(b"UNODC", b"UNIDO"))  # the same size
        os.utime(index, ns=(status.st_atime_ns, status.st_mtime_ns))
        assert index.stat().st_size == len(made)
        assert run("build", "-q", cwd=home).exit_code == 0
        assert index.read_bytes() == made

    def test_a_file_touched_but_not_changed_is_not_rewritten(self, home: Path) -> None:
        index = home / "output" / "index.html"
        os.utime(index, ns=(0, 0))
        assert run("build", "--verbose", cwd=home).stdout == "build: nothing changed since the last build\n"
        assert index.stat().st_mtime_ns == 0

    def test_the_stamp_names_each_file_with_its_digest_and_no_time(self, home: Path) -> None:
        lines = (home / "output" / ".feedgen-unodc-stamp").read_text().splitlines()
        files = {name: (digest, size) for digest, size, name in (line.split(" ") for line in lines[1:])}
        assert sorted(files) == sorted(OUTPUT_FILES)
        index = (home / "output" / "index.html").read_bytes()
        assert files["index.html"] == (hashlib.sha256(index).hexdigest(), str(len(index)))


def imported_by(home: Path, *arguments: str) -> set[str]:
    """The modules a run of the command imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "feedgen_unodc", *arguments],
        cwd=home,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}


def test_an_unchanged_build_decides_so_without_importing_feedgen_or_lxml(home: Path) -> None:
    assert run("build", "--verbose", cwd=home).stdout == "build: nothing changed since the last build\n"
    imported = imported_by(home, "build")
    assert "feedgen_unodc.cli" in imported
    assert not {name for name in imported if name.split(".")[0] in ("feedgen", "lxml", "dateutil")}
    assert "feedgen_unodc.jobs" not in imported  # nor the archive, the pipeline, publishing: the seam


def test_a_build_with_work_imports_neither_the_http_client_nor_the_web_server(home: Path) -> None:
    imported = imported_by(home, "build", "--force", "-q")
    assert {"feedgen_unodc.pipeline", "feedgen.feed"} <= imported
    assert not imported & {"http.client", "ssl", "waitress", "feedgen_unodc.fetch", "feedgen_unodc.extract"}


class TestSettings:
    def test_a_settings_file_sets_defaults_that_options_override(self, home: Path) -> None:
        (home / "feedgen-unodc.toml").write_text('base_url = "https://feeds.example.org/unodc"\nlimit = 3\n')
        assert run("build", "-q", cwd=home).exit_code == 0
        feed = feedparser.parse((home / "output" / "all.rss.xml").read_bytes())
        assert len(feed.entries) == 3
        assert "https://feeds.example.org/unodc/all.rss.xml" in (home / "output" / "all.rss.xml").read_text()
        assert run("build", "-q", "--limit", "4", cwd=home).exit_code == 0
        assert len(feedparser.parse((home / "output" / "all.rss.xml").read_bytes()).entries) == 4

    def test_the_settings_file_can_be_named_in_the_environment(self, home: Path) -> None:
        settings = home / "elsewhere.toml"
        settings.write_text("limit = 2\n")
        assert run("build", "-q", cwd=home, env={"FEEDGEN_UNODC_CONFIG": str(settings)}).exit_code == 0
        assert len(feedparser.parse((home / "output" / "all.atom.xml").read_bytes()).entries) == 2

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("base_url = 3\nlimt = 5\n", "unknown setting 'limt'"),
            ("limit = [\n", "not a TOML file"),
            ('base_url = "ftp://example.org/"\n', "is not an absolute http(s) URL"),
            ("limit = 0\n", "feedgen-unodc.toml: error: limit: must be from 1 to 1000000, not 0"),
            ("timeout = inf\n", "feedgen-unodc.toml: error: timeout: must be from 0.1 to 3600 seconds, not inf"),
            ("backoff = nan\n", "feedgen-unodc.toml: error: backoff: must be from 0 to 600 seconds, not nan"),
            ("regression_threshold = nan\n", "feedgen-unodc.toml: error: regression_threshold: must be a number"),
            ("lock_timeout = -1\n", "feedgen-unodc.toml: error: lock_timeout: must be from 0 to 86400 seconds"),
            ('max_page_size = "lots"\n', "feedgen-unodc.toml: error: max_page_size: must be a size in bytes"),
        ],
    )
    def test_a_bad_setting_is_one_line_and_exit_2(self, home: Path, text: str, message: str) -> None:
        (home / "feedgen-unodc.toml").write_text(text)
        before = files_of(home)
        result = run("build", "--force", cwd=home)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
        assert message in result.stderr
        assert files_of(home) == before

    def test_an_output_folder_that_cannot_be_made(self, home: Path) -> None:
        result = run("build", "--output", home / "source" / "latest-news.txt" / "feeds", cwd=home)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1
        assert result.stderr.endswith(": Not a directory\n")


def _edited(home: Path, key: str, value: object) -> bytes:
    """The home's archive year with its first story's `key` set to `value`, as a hand edit would."""
    document = json.loads((home / "source" / "archive" / "2022.json").read_text())
    document["stories"][0][key] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (b'{"format": 2, "stories": [', "not a feedgen-unodc archive year (JSONDecodeError"),
        (b"[" * 200_000, "nested too deeply to be one"),
        (("title", "A \uffff title"), "story 1: title must be a line of text"),
        (("published", "0001-01-01T00:00:00+00:00"), "story 1: published must be a time with its time zone, from 1990"),
        (("id", "javascript:alert(1)"), "story 1: id must be a story id"),
        (("summary", "abc"), "story 1: summary must be a list, not 'abc'"),
    ],
    ids=["truncated", "deep", "U+FFFF title", "year 1", "javascript id", "summary as text"],
)
def test_a_damaged_archive_is_one_line_exit_1_and_changes_nothing(
    home: Path, damage: bytes | tuple[str, object], message: str
) -> None:
    assert run("build", "-q", cwd=home).exit_code == 0
    year = home / "source" / "archive" / "2022.json"
    year.write_bytes(damage if isinstance(damage, bytes) else _edited(home, *damage))
    before = files_of(home)
    result = run("build", "--force", cwd=home)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("source/archive/2022.json: error: not a feedgen-unodc archive year (")
    assert message in result.stderr
    assert files_of(home) == before


def test_every_setting_gives_a_default_to_a_real_option() -> None:
    # A setting reaches every option of its name: one renamed would leave the setting reaching nothing.
    from feedgen_unodc.cli import main
    from feedgen_unodc.settings import SETTING_OF, SETTINGS

    names = {SETTING_OF.get(p.name or "", p.name) for command in main.commands.values() for p in command.params}
    assert set(SETTINGS) <= names


# Which option of each command each setting gives its default to (`url` is fetch's name for the listing).
DELIVERY = {"hubs", "defer_pings", "healthcheck_url", "healthcheck_start"}
SETTINGS_BY_COMMAND = {
    "build": {"archive", "base_url", "full_text", "limit", "listing_url", "lock_timeout", "output",
              "regression_threshold", "source", "topics", *DELIVERY},
    "check": {"source", "topics"},
    "fetch": {"archive", "backoff", "lock_timeout", "max_page_size", "regression_threshold", "retries", "source",
              "story_page_pause", "story_pages_per_run", "timeout", "url"},
    "ping": {"archive", "lock_timeout"},
    "remove": {"archive", "lock_timeout"},
    "restore": {"archive", "lock_timeout"},
    "serve": {"output"},
    "status": {"archive", "output", "source", "stale_after_days", "topics"},
    "update": {"archive", "backoff", "base_url", "full_text", "limit", "listing_url", "lock_timeout",
               "max_page_size", "output", "regression_threshold", "retries", "source", "story_page_pause",
               "story_pages_per_run", "timeout", "topics", "url", *DELIVERY},
}  # fmt: skip


def test_each_setting_reaches_the_options_of_its_name_in_every_command() -> None:
    from feedgen_unodc.cli import main
    from feedgen_unodc.settings import SETTINGS, command_defaults

    parameters = {name: [p.name for p in command.params if p.name] for name, command in main.commands.items()}
    defaults = command_defaults({key: f"<{key}>" for key in SETTINGS}, parameters)
    assert {command: set(given) for command, given in defaults.items()} == SETTINGS_BY_COMMAND
    assert defaults["fetch"]["url"] == defaults["update"]["url"] == "<listing_url>"
    assert all(given == f"<{name}>" for name, given in defaults["build"].items())
    assert command_defaults({"limit": 7}, parameters) == {"build": {"limit": 7}, "update": {"limit": 7}}


class TestSettingsReachEveryCommand:
    def test_update_fetches_the_listing_url_of_the_settings_file(self, home: Path) -> None:
        (home / "feedgen-unodc.toml").write_text(
            'listing_url = "http://127.0.0.1:9/nowhere.html"\nretries = 0\ntimeout = 1\n'
        )
        result = run("update", cwd=home)
        assert result.exit_code == 1
        assert result.stderr.startswith("feedgen-unodc: error: http://127.0.0.1:9/nowhere.html: cannot connect")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("limit = true\n", "feedgen-unodc.toml: error: limit: must be a whole number, not True"),
            ("limit = 2.7\n", "feedgen-unodc.toml: error: limit: must be a whole number, not 2.7"),
            ('limit = "5"\n', "feedgen-unodc.toml: error: limit: must be a number, not '5'"),
            ("source = 5\n", "feedgen-unodc.toml: error: source: must be a path, not 5"),
            ('timeout = "x"\n', "feedgen-unodc.toml: error: timeout: must be a number, not 'x'"),
        ],
    )
    def test_a_setting_of_the_wrong_kind_is_named_with_its_file(self, home: Path, text: str, message: str) -> None:
        (home / "feedgen-unodc.toml").write_text(text)
        result = run("build", cwd=home)
        assert result.exit_code == 2
        assert message in result.stderr
        assert "feedgen-unodc.toml" in result.stderr


def test_a_run_holding_the_lock_removes_the_temporary_files_earlier_runs_left(home: Path) -> None:
    stale = [home / "output" / ".all.atom.xml.k3j4_x9a.tmp", home / "source" / "archive" / ".index.json.zz__zz99.tmp"]
    kept = [home / "output" / ".notes.tmp", home / "output" / "all.atom.xml.k3j4_x9a.tmp", home / "output" / "x.tmp"]
    for path in stale + kept:
        path.write_bytes(b"half a file")
    edit_source(home)
    assert run("build", "-q", cwd=home).exit_code == 0
    assert [path.exists() for path in stale] == [False, False]
    assert [path.exists() for path in kept] == [True, True, True]  # only the names a build gives its own


def test_a_symlinked_archive_is_written_through_to_its_target(home: Path) -> None:
    archive = home / "source" / "archive"
    target = home / "elsewhere" / "archive"
    target.parent.mkdir()
    archive.rename(target)
    archive.symlink_to(target)
    (target / "2021.json").rename(target / "kept-2021.json")
    (target / "2021.json").symlink_to(target / "kept-2021.json")  # a year's file, too
    edit_source(home)
    assert run("build", "-q", cwd=home).exit_code == 0
    assert archive.is_symlink()  # the links stay; their targets change
    assert (target / "2021.json").is_symlink()
    assert b"worldwide" in b"".join(path.read_bytes() for path in target.glob("*.json"))
    assert not list(target.glob(".*.tmp"))


@pytest.mark.parametrize(
    "command", [["check"], ["build", "--output", "out", "--archive", "a.json"]], ids=["check", "build"]
)
def test_a_pipe_as_the_source_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "latest-news.txt"
    os.mkfifo(fifo)
    result = run(*command, "--source", fifo, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{fifo}: error: cannot read the listing: not a regular file (a pipe or a device would hang the run)\n"
    )
