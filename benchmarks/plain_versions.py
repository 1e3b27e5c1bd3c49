"""Two kept optimizations beside their plain versions, in one process, on one archive: seconds, as JSON.

    topics   the topic needles (`topics.topics_of`) against the plain rule, each topic's terms
             one case-insensitive expression, compiled once, its excluded phrases removed first:
             the rule tests/test_topics.py holds the needles to
    json     the archive's layout, written by the C encoder a row at a time (`jsontext.document`),
             against `json.dumps(indent=2)`, which switches to the pure-Python encoder
    fulltext with full text on, the kept articles made safe for the feeds' entries only
             (`pagestore.attach` as `pipeline.plan_build` calls it) against every story's:
             the same documents, as tests/test_pagestore.py holds it

Each figure is the median of --runs runs. `run.py` reads the output and sets
each saving beside the time of the run it belongs to.

Usage: python benchmarks/plain_versions.py ARCHIVE [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from feedgen_unodc.archivestore import loads_year
from feedgen_unodc.catalog import feeds
from feedgen_unodc.feeds import entries_of
from feedgen_unodc.jsontext import document
from feedgen_unodc.model import Item
from feedgen_unodc.pagestore import KeptPage, attach, listed
from feedgen_unodc.pipeline import finished
from feedgen_unodc.settings import DEFAULT_LIMIT, LISTING_URL, SHIPPED_VOCABULARY
from feedgen_unodc.topics import Topic, load_vocabulary, topics_of


def timed(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    parts = (
        r"[\s-]+".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in term.split())
        for term in terms
    )
    return re.compile("|".join(rf"\b{part}\b" for part in parts), re.IGNORECASE)


def plain_topics(stories: list[Item], topics: tuple[Topic, ...]) -> list[tuple[str, ...]]:
    """Each story's topics by the plain rule."""
    rules = [(t.slug, _pattern(t.terms), _pattern(t.exclude) if t.exclude else None) for t in topics]
    result = []
    for story in stories:
        text = "\n".join((story.title, *story.paragraphs))
        result.append(
            tuple(slug for slug, terms, exclude in rules if terms.search(exclude.sub(" ", text) if exclude else text))
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path, help="an archive folder")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    years = sorted(arguments.archive.glob("[0-9][0-9][0-9][0-9].json"), reverse=True)
    stories = [story for path in years for story in loads_year(path.read_bytes(), int(path.stem))]
    topics = load_vocabulary(SHIPPED_VOCABULARY.read_bytes())
    assert [t for t in topics_of(stories, topics)[0]] == plain_topics(stories, topics), "not the same topics"
    # Every year's rows in one document, as the archive's files write them a year each.
    head, key = {"format": 2}, "stories"
    rows = [row for path in years for row in json.loads(path.read_bytes())["stories"]]
    plain_json = json.dumps({**head, key: rows}, ensure_ascii=False, indent=2)
    assert json.loads(document(head, key, rows)) == json.loads(plain_json), "not the same data"
    result = {
        "stories": len(stories),
        "topics": [
            timed(lambda: topics_of(stories, topics), arguments.runs),
            timed(lambda: plain_topics(stories, topics), arguments.runs),
        ],
        "json": [
            timed(lambda: document(head, key, rows), arguments.runs),
            timed(lambda: json.dumps({**head, key: rows}, ensure_ascii=False, indent=2).encode(), arguments.runs),
        ],
        "fulltext": full_text(stories, topics, arguments.runs),
    }
    print(json.dumps(result))


def full_text(stories: list[Item], topics: tuple[Topic, ...], runs: int) -> list[float]:
    """Seconds to attach every story's kept article (about 5 KB, a few links, as UNODC's stories are)
    made safe for the feeds' entries only, and for every story."""
    stories = [
        replace(s, story_url=s.story_url or f"https://www.unodc.org/story/{n}.html") for n, s in enumerate(stories)
    ]
    stories, _ = finished(stories, LISTING_URL, topics)
    paragraph = "".join(
        f"<p>{p} <a href='https://www.unodc.org/more.html'>More</a>.</p>" for p in stories[0].paragraphs
    )
    article = (paragraph * (5000 // max(len(paragraph), 1) + 1))[:5000] + "</p>"
    pages = {s.story_url or "": KeptPage(read_for=listed(s), article=article) for s in stories}
    shown = {s.id for feed in feeds(topics) for s in entries_of(feed, stories, DEFAULT_LIMIT)}
    return [
        timed(lambda: attach(stories, pages, shown), runs),
        timed(lambda: attach(stories, pages, {s.id for s in stories}), runs),
    ]


if __name__ == "__main__":
    main()
