"""Helpers the tests share, each written once: the seed, inline listings, rendering, reading feeds back,
folder snapshots, and ways to run the command."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import feedparser
from click.testing import CliRunner, Result

from feedgen_unodc.archive import Archive
from feedgen_unodc.catalog import ATOM, RSS, feeds
from feedgen_unodc.cli import main
from feedgen_unodc.dates import format_date
from feedgen_unodc.links import links_of
from feedgen_unodc.listing import format_listing, parse
from feedgen_unodc.model import Item, Problem, by_line
from feedgen_unodc.normalize import normalize
from feedgen_unodc.pipeline import documents, read_listing
from feedgen_unodc.settings import LISTING_URL, SHIPPED_VOCABULARY, FeedSettings
from feedgen_unodc.source import decode
from feedgen_unodc.topics import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
OUR_VARIABLES = ("FEEDGEN_UNODC_BASE_URL", "FEEDGEN_UNODC_CONFIG")
SEED = ROOT / "source" / "latest-news.txt"
# The seed's archive as the version before this one kept it, in one file (format 1), for the upgrade's tests.
EARLIER = ROOT / "tests" / "data" / "archive-1.json"
# The topics of the vocabulary the package ships.
SHIPPED_TOPICS = load_vocabulary(SHIPPED_VOCABULARY.read_bytes())
# The Atom and RSS files, feed by feed.
FEED_FILES = [feed.file(fmt) for feed in feeds(SHIPPED_TOPICS) for fmt in (ATOM, RSS)]
# Everything a build of the seed publishes: the feeds, JSON Feed, the pages, the year pages (the seed's 30
# stories are fewer than a feed holds: no archive document), the OPML list and the dataset.
OUTPUT_FILES = [
    *FEED_FILES,
    *(f"{slug}.json" for slug in ("all", "trafficking", "smuggling")),
    *(f"{page}.html" for page in ("index", "trafficking", "smuggling")),
    *(f"{slug}-{year}.html" for slug in ("all", "trafficking") for year in (2020, 2021, 2022)),
    "smuggling-2020.html",
    "smuggling-2021.html",
    "feeds.opml",
    "stories.csv",
    "stories.json",
]


def listing(text: str) -> bytes:
    """A listing written inline in a test, indentation removed."""
    return textwrap.dedent(text).lstrip("\n").encode("utf-8")


def read(data: bytes) -> tuple[list[Item], list[Problem]]:
    """The core's reading half, with the shipped vocabulary and no clock."""
    return read_listing(data, listing_url=LISTING_URL, topics=SHIPPED_TOPICS)


SEED_ITEMS, _ = read(SEED.read_bytes())  # the seed's 30 stories, finished, newest first


def render(items: list[Item], limit: int = 50) -> dict[str, bytes]:
    """Every document a build publishes of finished `items`, by file name, with the default settings."""
    return {
        name: doc
        for name, doc in documents(Archive(tuple(items)), SHIPPED_TOPICS, FeedSettings(), limit).items()
        if doc
    }


def render_feeds(items: list[Item], limit: int = 50) -> dict[str, bytes]:
    """The Atom and RSS documents of finished `items`, by file name."""
    return {name: document for name, document in render(items, limit).items() if name in FEED_FILES}


def format_items(items: list[Item]) -> str:
    """`items` in the listing format, newest first, so that the parser reads them back."""
    return format_listing((format_date(i.day), i.title, i.story_url, i.paragraphs) for i in items)


def parsed(feed: Path | bytes) -> feedparser.FeedParserDict:
    """A feed (a file or its bytes) as feedparser reads it, which must read it without a complaint."""
    result = feedparser.parse(feed.read_bytes() if isinstance(feed, Path) else feed)
    assert not result.bozo, result.get("bozo_exception")
    return result


def entries(path: Path) -> list[feedparser.FeedParserDict]:
    """The entries of the feed file `path`, as feedparser reads them."""
    return list(parsed(path).entries)


def snapshot(*folders: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of `folders` with its bytes and modification time, by name; not the record that every fetch,
    failed or not, leaves of itself beside the source (`*.fetch.json`, for `status`)."""
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for f in folders
        for p in sorted(f.iterdir())
        if p.is_file() and not p.name.endswith(".fetch.json")
    }


def contents(*folders: Path) -> dict[str, bytes]:
    """Every file of `folders` with its bytes, by name."""
    return {name: data for name, (data, _) in snapshot(*folders).items()}


def archived(folder: Path) -> list[dict[str, Any]]:
    """The stories the archive `folder` holds, as its year files write them, newest first."""
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9].json"), reverse=True):
        rows += json.loads(path.read_text())["stories"]
    return rows


def archive_bytes(folder: Path) -> dict[str, bytes]:
    """Each file of the archive `folder`, by its name in the folder's parent (archive/2021.json...)."""
    return {f"{folder.name}/{path.name}": path.read_bytes() for path in sorted(folder.iterdir())}


def messages(problems: list[Problem]) -> list[str]:
    return [problem.format("in.txt") for problem in problems]


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    """Run `feedgen-unodc ARGS` in-process, in `cwd` or else in a new empty folder; stdout and stderr apart.

    The empty folder keeps the default paths (source/archive.json...) away from the project's own. A fetch
    or update reads no story page unless the test says how many (`--story-pages-per-run`).
    """
    words = _without_story_pages(args)
    runner = CliRunner(catch_exceptions=False)
    environment: dict[str, str | None] = dict.fromkeys(OUR_VARIABLES)  # the host's settings do not reach a test
    environment.update(env or {})
    with tempfile.TemporaryDirectory() as empty, contextlib.chdir(cwd or empty):
        return runner.invoke(main, [str(a) for a in words], env=environment)


def _without_story_pages(args: Sequence[str | Path]) -> list[str | Path]:
    """`args` of a fetch or update that reads no story page unless it says how many: only the tests about
    story pages read them (tests/test_storypages.py)."""
    words = [str(a) for a in args]
    command = next((n for n, word in enumerate(words) if word in ("fetch", "update")), None)
    if command is None or any(w.startswith("--story-pages-per-run") for w in words):
        return list(args)
    return [*args[: command + 1], "--story-pages-per-run", "0", *args[command + 1 :]]


def seeded(folder: Path, listing: str = "source/latest-news.txt") -> Path:
    """`folder` with the seed as its listing (at `listing`, relative to it); the listing's path."""
    path = folder / listing
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(SEED.read_bytes())
    return path


def deployment(folder: Path) -> Path:
    """`folder` as a deployment with the seed built and published."""
    seeded(folder)
    assert run("build", "-q", cwd=folder).exit_code == 0
    return folder


def run_process(args: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a real process, without the host's settings."""
    command = shutil.which("feedgen-unodc") or str(Path(sys.executable).parent / "feedgen-unodc")
    environment = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    return subprocess.run(
        [command, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60, env=environment
    )


def normalized(data: bytes) -> tuple[list[Item], list[Problem]]:
    """Decode, parse and normalize, then links, without topics: the problems of those stages only."""
    lines, problems = decode(data)
    raw, found = parse(lines)
    items, more = normalize(raw)
    links, unlinked = links_of(items, LISTING_URL)
    items = [replace(item, link=link) for item, link in zip(items, links, strict=True)]
    return items, by_line(problems + found + more + unlinked)
