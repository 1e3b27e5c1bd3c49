"""Helpers the tests share: the seed, inline listings, and ways to run the command."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from feedgen_unodc.cli import main
from feedgen_unodc.model import Item, Problem, by_line
from feedgen_unodc.pipeline import read_listing
from feedgen_unodc.settings import LISTING_URL
from feedgen_unodc.topics import default_topics

ROOT = Path(__file__).resolve().parent.parent
OUR_VARIABLES = ("FEEDGEN_UNODC_BASE_URL", "FEEDGEN_UNODC_CONFIG")
SEED = ROOT / "source" / "latest-news.txt"
FEED_FILES = [
    "all.atom.xml",
    "all.rss.xml",
    "trafficking.atom.xml",
    "trafficking.rss.xml",
    "smuggling.atom.xml",
    "smuggling.rss.xml",
]
# Everything a build publishes: the feeds, JSON Feed, the pages and the OPML list.
OUTPUT_FILES = [
    *FEED_FILES,
    *(f"{slug}.json" for slug in ("all", "trafficking", "smuggling")),
    *(f"{page}.html" for page in ("index", "trafficking", "smuggling")),
    "feeds.opml",
]


def listing(text: str) -> bytes:
    """A listing written inline in a test, indentation removed."""
    return textwrap.dedent(text).lstrip("\n").encode("utf-8")


def read(data: bytes) -> tuple[list[Item], list[Problem]]:
    """The core's reading half, with the shipped vocabulary and no clock."""
    return read_listing(data, listing_url=LISTING_URL, topics=default_topics())


def messages(problems: list[Problem]) -> list[str]:
    return [problem.format("in.txt") for problem in problems]


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Result:
    """Run `feedgen-unodc ARGS` in-process, in `cwd` or else in a new empty folder; stdout and stderr apart.

    The empty folder keeps the default paths (source/archive.json...) away from the project's own.
    """
    runner = CliRunner(catch_exceptions=False)
    environment: dict[str, str | None] = dict.fromkeys(OUR_VARIABLES)  # the host's settings do not reach a test
    environment.update(env or {})
    with tempfile.TemporaryDirectory() as empty, contextlib.chdir(cwd or empty):
        return runner.invoke(main, [str(a) for a in args], env=environment)


def run_process(args: Sequence[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed console script in a real process, without the host's settings."""
    command = shutil.which("feedgen-unodc") or str(Path(sys.executable).parent / "feedgen-unodc")
    environment = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    return subprocess.run(
        [command, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60, env=environment
    )


def normalized(data: bytes) -> tuple[list[Item], list[Problem]]:
    """Decode, parse and normalize, without topics: the problems of those stages only."""
    from feedgen_unodc.listing import parse
    from feedgen_unodc.normalize import assign_links, normalize
    from feedgen_unodc.source import decode

    lines, problems = decode(data)
    raw, found = parse(lines)
    items, more = normalize(raw)
    items, links = assign_links(items, LISTING_URL)
    return items, by_line(problems + found + more + links)
