"""Where the hourly run's time goes: its stages, and python-feedgen's share, from one profiled build.

Makes, in a temporary folder, an archive of N stories (generate.py) whose
last listing was the page's 30, then the next hour's page (one new story),
and runs that build in this process under cProfile. Prints the cumulative
time of each stage and the time spent inside python-feedgen and lxml. Times
are the profiler's, larger than a plain run's; the shares are what to read.

Usage: python benchmarks/profile_build.py [N]   (default 10000)
"""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import listing  # noqa: E402

from feedgen_unodc.cli import main  # noqa: E402

# (what a reader calls it, the module, the function): the stages of a build, in order.
STAGES = [
    ("read the archive's files and index", "inputs.py", "archive_files"),
    ("", "jobs.py", "_stored"),
    ("which years to read, and reading them", "pipeline.py", "years_to_read"),
    ("", "jobs.py", "_read_years"),
    ("", "jobs.py", "_whole"),
    ("", "archivestore.py", "archive_of"),
    ("decode, parse and normalize the listing", "pipeline.py", "listing_items"),
    ("the archive's ids, copied summaries, merge", "archive.py", "identify"),
    ("", "archive.py", "settle_copied_summaries"),
    ("", "archive.py", "merge"),
    ("links and topics of the stories read", "pipeline.py", "finished"),
    ("the Atom and RSS files (6)", "feeds.py", "render"),
    ("the JSON Feed files (3)", "jsonfeed.py", "render"),
    ("the pages (3) and the OPML list", "site.py", "page"),
    ("", "site.py", "opml"),
    ("the year pages and archive documents of the years read", "site.py", "year_page"),
    ("", "feeds.py", "archive"),
    ("the dataset (stories.csv, stories.json)", "pipeline.py", "_data"),
    ("the archive's files of the years read, and its index", "jobs.py", "_archive_files"),
    ("the last build's files checked against its stamp", "stamp.py", "kept"),
    ("publishing: temporary files, fsync, renames", "publish.py", "publish"),
]


def _ours(filename: str) -> bool:
    return f"feedgen_unodc{os.sep}" in filename


def _feedgen(filename: str) -> bool:
    return f"{os.sep}feedgen{os.sep}" in filename


def main_(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        Path("source").mkdir()
        source = Path("source/latest-news.txt")
        source.write_text(listing(count + 1, start=1), encoding="utf-8")  # the archive
        main(["build", "--quiet", "--force"], standalone_mode=False)
        source.write_text(listing(count + 1, start=1, stop=31), encoding="utf-8")  # last hour's page
        main(["build", "--quiet", "--force"], standalone_mode=False)
        source.write_text(listing(count + 1, start=0, stop=30), encoding="utf-8")  # this hour's: one new story
        profile = cProfile.Profile()
        profile.runcall(main, ["build", "--quiet"], standalone_mode=False)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = max(cumulative for _, _, _, cumulative, _ in stats.values())
    print(f"the hourly run with a new story, over an archive of {count:,} stories, profiled: {total:.2f} s")
    stages: dict[str, float] = {}
    label = ""
    for name, module, function in STAGES:
        label = name or label
        stages[label] = stages.get(label, 0.0) + sum(
            cumulative
            for (filename, _, called), (_, _, _, cumulative, _) in stats.items()
            if filename.endswith(f"feedgen_unodc{os.sep}{module}") and called == function
        )
    stages["the rest: start-up, the up-to-date check, reports, the stamp"] = total - sum(stages.values())
    for label, seconds in stages.items():
        print(f"  {label:<62} {seconds:6.2f} s  {seconds / total:4.0%}")
    # python-feedgen's time: every call our code makes into it, with all it calls (lxml included).
    inside = sum(
        edge[3]
        for (filename, _, _), (_, _, _, _, callers) in stats.items()
        if _feedgen(filename)
        for caller, edge in callers.items()
        if _ours(caller[0])
    )
    print(f"  {'of all these, inside python-feedgen and lxml':<62} {inside:6.2f} s  {inside / total:4.0%}")


if __name__ == "__main__":
    main_(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
