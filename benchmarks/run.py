"""What a build costs as the archive grows, against the floors, side by side in one run.

For each listing size (made by generate.py), times whole processes, after one
warm-up run, as the median of --runs runs taken in rounds (one run of each
command per round, so that all see the same load): wall time, CPU time (user + system)
and peak resident memory, read per process from wait4(2):

    import click          python -c "import click": the start-up floor of an unchanged build
    stack                 python -c "import feedgen.feed, click, dateutil.parser": the floor of a build
    build cold            feedgen-unodc build into an empty output folder (the archive in place)
    build unchanged       the same build again: nothing changed
    feedgen plain         benchmarks/plain_feedgen.py: feedgen alone, the same entries, the same six files
    lxml stream           benchmarks/stream_lxml.py: the serialization floor

Builds run with --limit equal to the size, so that every feed holds every
story, like the baselines. Prints one table, and the ratios the targets are
stated in. Run by hand: python benchmarks/run.py [--sizes 30 1000 10000 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak: int  # kibibytes


def measure(command: list[str], cwd: Path, before: list[str] | None = None) -> Sample:
    """One run of `command`: its own wall time, CPU time and peak memory (not its siblings')."""
    if before:
        subprocess.run(before, cwd=cwd, check=True)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        int(statistics.median(s.peak for s in samples)),
    )


Task = tuple[list[str], Path, list[str] | None]  # command, folder, what to run before each run (untimed)


def round_robin(runs: int, tasks: dict[str, Task]) -> dict[str, Sample]:
    """Each task once to warm up, then `runs` rounds of one run of each: all see the same machine load."""
    for command, cwd, before in tasks.values():
        measure(command, cwd, before)
    samples: dict[str, list[Sample]] = {name: [] for name in tasks}
    for _ in range(runs):
        for name, (command, cwd, before) in tasks.items():
            samples[name].append(measure(command, cwd, before))
    return {name: median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    python = sys.executable
    cli = str(Path(python).with_name("feedgen-unodc"))
    rows: dict[int, dict[str, Sample]] = {}
    for size in arguments.sizes:
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder)
            (home / "source").mkdir()
            source = home / "source" / "latest-news.txt"
            # Written by a child process: a large listing held by this process would count in every
            # child's peak memory, which includes what a child inherits before it execs.
            with source.open("wb") as file:
                subprocess.run([python, str(HERE / "generate.py"), str(size)], stdout=file, check=True)
            build = [cli, "build", "--quiet", "--limit", str(size)]
            subprocess.run(build, cwd=home, check=True, stderr=subprocess.DEVNULL)  # the archive, in place
            empty = [python, "-c", "import shutil; shutil.rmtree('output', ignore_errors=True)"]
            rows[size] = round_robin(
                arguments.runs,
                {
                    "import click": ([python, "-c", "import click"], home, None),
                    "stack": ([python, "-c", "import feedgen.feed, click, dateutil.parser"], home, None),
                    "build cold": (build, home, empty),
                    "build unchanged": (build, home, None),
                    "feedgen plain": ([python, str(HERE / "plain_feedgen.py"), str(source), "p"], home, None),
                    "lxml stream": ([python, str(HERE / "stream_lxml.py"), str(source), "s"], home, None),
                },
            )
            shutil.rmtree(home, ignore_errors=True)
        print(f"  {size} items done", file=sys.stderr, flush=True)
    report(rows, arguments.runs)


def report(rows: dict[int, dict[str, Sample]], runs: int) -> None:
    machine = f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}"
    print(f"{machine}, {os.cpu_count()} cores; median of {runs} interleaved runs after a warm-up")
    print("each cell: wall s, CPU s, peak memory")
    columns = ["import click", "stack", "build cold", "build unchanged", "feedgen plain", "lxml stream"]
    print(f"{'items':>7} | " + " | ".join(f"{c:>23}" for c in columns) + " | cold/plain | cold/stream | unch/click")
    for size, row in rows.items():
        cells = " | ".join(f"{row[c].wall:6.3f} {row[c].cpu:6.3f} {row[c].peak / 1024:6.0f}M" for c in columns)
        print(
            f"{size:>7} | {cells} | {row['build cold'].wall / row['feedgen plain'].wall:10.2f} |"
            f" {row['build cold'].wall / row['lxml stream'].wall:11.2f} |"
            f" {row['build unchanged'].wall / row['import click'].wall:10.2f}"
        )
    smallest = min(rows)
    cold = rows[smallest]["build cold"].wall / rows[smallest]["stack"].wall
    print(f"\n{smallest} items, cold / stack floor: {cold:.2f} x")
    big = sorted(rows)
    if len(big) >= 2:
        first, last = big[-2], big[-1]
        for c in ("build cold", "feedgen plain"):
            slope = (rows[last][c].wall - rows[first][c].wall) / (last - first)
            memory = (rows[last][c].peak - rows[first][c].peak) / (last - first)
            print(f"{c}: {slope * 1e6:.1f} us and {memory:.2f} KiB per item (from {first} to {last} items)")


if __name__ == "__main__":
    main()
