"""What a build costs as the archive grows, against the floors, side by side in one run.

For each listing size (made by generate.py), times whole processes, after one
warm-up run, as the median of --runs runs (five times as many for sizes up to
1,000, whose commands last milliseconds, about as long as the machine's noise)
taken in rounds (one run of each command per round, so that all see the same
load): wall time, CPU time (user + system) and peak resident memory, read per
process from wait4(2):

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


@dataclass(frozen=True)
class Row:
    """The samples of one listing size: per command, one per round."""

    samples: dict[str, list[Sample]]

    def median(self, name: str) -> Sample:
        return median(self.samples[name])

    def ratio(self, name: str, baseline: str) -> float:
        """The median of the ratios of the two commands' wall times, round by round.

        Paired runs a moment apart see the same machine; the ratio of each pair
        cancels a slow phase that a ratio of medians would keep.
        """
        pairs = zip(self.samples[name], self.samples[baseline], strict=True)
        return statistics.median(run.wall / base.wall for run, base in pairs)


def round_robin(runs: int, tasks: dict[str, Task]) -> Row:
    """Each task once to warm up, then `runs` rounds of one run of each: all see the same machine load."""
    for command, cwd, before in tasks.values():
        measure(command, cwd, before)
    samples: dict[str, list[Sample]] = {name: [] for name in tasks}
    for _ in range(runs):
        for name, (command, cwd, before) in tasks.items():
            samples[name].append(measure(command, cwd, before))
    return Row(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    python = sys.executable
    cli = str(Path(python).with_name("feedgen-unodc"))
    rows: dict[int, Row] = {}
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
                runs_for(size, arguments.runs),
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
    report(rows, {size: runs_for(size, arguments.runs) for size in rows})


def runs_for(size: int, runs: int) -> int:
    return runs * 5 if size <= SMALL else runs


SMALL = 1_000  # sizes whose runs take milliseconds: more of them, for a steady median


def report(rows: dict[int, Row], runs: dict[int, int]) -> None:
    machine = f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}"
    counts = ", ".join(f"{runs[size]} at {size:,} items" for size in rows)
    print(f"{machine}, {os.cpu_count()} cores; medians of interleaved runs after a warm-up ({counts})")
    print("each cell: wall s, CPU s, peak memory; ratios: medians of the ratios of runs of one round")
    columns = ["import click", "stack", "build cold", "build unchanged", "feedgen plain", "lxml stream"]
    print(f"{'items':>7} | " + " | ".join(f"{c:>23}" for c in columns) + " | cold/plain | cold/stream | unch/click")
    for size, row in rows.items():
        cells = " | ".join(
            f"{row.median(c).wall:6.3f} {row.median(c).cpu:6.3f} {row.median(c).peak / 1024:6.0f}M" for c in columns
        )
        print(
            f"{size:>7} | {cells} | {row.ratio('build cold', 'feedgen plain'):10.2f} |"
            f" {row.ratio('build cold', 'lxml stream'):11.2f} |"
            f" {row.ratio('build unchanged', 'import click'):10.2f}"
        )
    smallest = min(rows)
    print(f"\n{smallest} items, cold / stack floor: {rows[smallest].ratio('build cold', 'stack'):.2f} x")
    big = sorted(rows)
    if len(big) >= 2:
        first, last = big[-2], big[-1]
        for c in ("build cold", "feedgen plain"):
            slope = (rows[last].median(c).wall - rows[first].median(c).wall) / (last - first)
            memory = (rows[last].median(c).peak - rows[first].median(c).peak) / (last - first)
            print(f"{c}: {slope * 1e6:.1f} us and {memory:.2f} KiB per item (from {first} to {last} items)")


if __name__ == "__main__":
    main()
