"""Where a cold build's time goes: its stages, and python-feedgen's share, from one profiled build.

Makes a listing of N items (generate.py) in a temporary folder, builds once
(the archive in place), empties the output folder, then runs the build again
in this process under cProfile and prints the cumulative time of each stage
and the time spent inside python-feedgen and lxml. Times are the profiler's,
larger than a plain run's; the shares are what to read.

Usage: python benchmarks/profile_build.py [N]   (default 10000)
"""

from __future__ import annotations

import contextlib
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import listing  # noqa: E402

from feedgen_unodc.cli import main  # noqa: E402

# (what a reader calls it, the module, the function): the stages of a build, in order.
STAGES = [
    ("read the archive", "cli.py", "_load_archive"),
    ("decode, parse and normalize the listing", "pipeline.py", "_normalized"),
    ("summaries copied from archived stories", "normalize.py", "settle_against_archive"),
    ("merge it into the archive", "archive.py", "merge"),
    ("links and topics", "pipeline.py", "_finished"),
    ("Atom and RSS files (6)", "feeds.py", "write"),
    ("JSON Feed files (3)", "jsonfeed.py", "write"),
    ("pages (3)", "site.py", "_page"),
    ("the archive file", "archive.py", "write"),
    ("publishing: temporary files, fsync, renames", "publish.py", "publish"),
]


# The stages that run inside publishing: each document is made as its file is written.
WRITERS = ("Atom and RSS files (6)", "JSON Feed files (3)", "pages (3)", "the archive file")


def _ours(filename: str) -> bool:
    return f"feedgen_unodc{os.sep}" in filename


def _feedgen(filename: str) -> bool:
    return f"{os.sep}feedgen{os.sep}" in filename


def main_(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        Path("source").mkdir()
        Path("source/latest-news.txt").write_text(listing(count), encoding="utf-8")
        arguments = ["build", "--quiet", "--limit", str(count)]
        main(arguments, standalone_mode=False)  # the archive, in place
        shutil.rmtree("output")
        profile = cProfile.Profile()
        profile.runcall(main, arguments, standalone_mode=False)
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    total = max(cumulative for _, _, _, cumulative, _ in stats.values())
    print(f"cold build of {count:,} items, profiled: {total:.2f} s")
    stages = {}
    for label, module, function in STAGES:
        stages[label] = sum(
            cumulative
            for (filename, _, name), (_, _, _, cumulative, _) in stats.items()
            if filename.endswith(f"feedgen_unodc{os.sep}{module}") and name == function
        )
    # Publishing calls the writers: its own share is what is left.
    stages["publishing: temporary files, fsync, renames"] -= sum(stages[label] for label in WRITERS)
    stages["the rest: start-up, settings, the stamp"] = total - sum(stages.values())
    for label, seconds in stages.items():
        print(f"  {label:<46} {seconds:6.2f} s  {seconds / total:4.0%}")
    # python-feedgen's time: every call our code makes into it, with all it calls (lxml included),
    # but for the calls it makes back into ours (the shared entries), already inside it.
    callbacks = {key for key, row in stats.items() if _ours(key[0]) and any(_feedgen(c[0]) for c in row[4])}
    inside = sum(
        edge[3]
        for (filename, _, _), (_, _, _, _, callers) in stats.items()
        if _feedgen(filename)
        for caller, edge in callers.items()
        if _ours(caller[0]) and caller not in callbacks
    )
    print(f"  {'of all these, inside python-feedgen and lxml':<46} {inside:6.2f} s  {inside / total:4.0%}")


if __name__ == "__main__":
    main_(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
