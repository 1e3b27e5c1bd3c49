"""The whole record over a generated archive of N stories: what issue 14's "done when" asks, measured.

Builds, in a temporary folder, an archive of N stories (generate.py) whose last
listing was the page's 30, then prints: the size of index.html and of the
largest page; whether every year page is linked from the pages and present;
for each subscription feed, how many entries its prev-archive chain holds,
against the stories the feed holds, and whether any is there twice; and how
many rows stories.csv has as Python's csv module reads it, against the
published stories. Exits 1 when one of them does not hold.

Usage: python benchmarks/record.py [N]   (default 10000)
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import feedparser  # noqa: E402
from generate import listing  # noqa: E402

from feedgen_unodc.cli import main  # noqa: E402

BASE = "http://localhost:8000/"


def build(arguments: list[str]) -> None:
    try:
        main(["build", "--quiet", *arguments], standalone_mode=False)
    except SystemExit as stop:  # click's exit for a status other than 0
        if stop.code:
            raise


def chain(output: Path, feed: str) -> list[str]:
    """The ids of the entries of `feed`'s subscription Atom document and of every archive document its
    prev-archive links lead to."""
    ids: list[str] = []
    name, seen = f"{feed}.atom.xml", set()
    while name and name not in seen:
        seen.add(name)
        parsed = feedparser.parse((output / name).read_bytes())
        ids += [entry.id for entry in parsed.entries]
        links = {link.rel: link.href for link in parsed.feed.links}
        name = links.get("prev-archive", "").removeprefix(BASE)
    return ids


def main_(count: int) -> int:
    good = True
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        Path("source").mkdir()
        source = Path("source/latest-news.txt")
        source.write_text(listing(count, start=0), encoding="utf-8")  # the archive
        build(["--force"])
        source.write_text(listing(count, start=0, stop=30), encoding="utf-8")  # the page
        build(["--force"])
        output = Path("output")
        stories = [
            row for path in sorted(Path("source/archive").glob("[0-9]*.json"), reverse=True)
            for row in json.loads(path.read_bytes())["stories"]
        ]  # fmt: skip
        print(f"an archive of {len(stories):,} stories")
        index = (output / "index.html").stat().st_size
        largest = max(output.glob("*.html"), key=lambda p: p.stat().st_size)
        print(f"index.html: {index / 1000:.0f} KB (under 300 KB: {index < 300_000}); the largest page,"
              f" {largest.name}: {largest.stat().st_size / 1000:.0f} KB")  # fmt: skip
        good &= index < 300_000
        for feed, page in (("all", "index.html"), ("trafficking", "trafficking.html"), ("smuggling", "smuggling.html")):
            linked = set(re.findall(rf'href="({feed}-\d{{4}}\.html)"', (output / page).read_text()))
            years = {f"{feed}-{row['date'][:4]}.html" for row in stories if feed == "all" or feed in row["topics"]}
            present = all((output / name).is_file() for name in years)
            held = [row["id"] for row in stories if feed == "all" or feed in row["topics"]]
            ids = chain(output, feed)
            once = len(ids) == len(set(ids)) and sorted(ids) == sorted(held)
            print(f"{feed}: {len(years)} year pages, every one linked from {page}: {linked == years}, present:"
                  f" {present}; the prev-archive chain holds {len(ids):,} entries, {len(set(ids)):,} distinct,"
                  f" of the {len(held):,} stories the feed holds: each exactly once: {once}")  # fmt: skip
            good &= linked == years and present and once
        rows = list(csv.DictReader(io.StringIO((output / "stories.csv").read_text(encoding="utf-8"), newline="")))
        one_each = [row["id"] for row in rows] == [row["id"] for row in stories]
        print(f"stories.csv: {len(rows):,} rows read by the csv module, one per published story: {one_each}")
        good &= one_each
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main_(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
