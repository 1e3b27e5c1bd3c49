"""What an hourly run costs on the real workload, side by side with the floors, in one run.

The real workload: a page of about 30 stories, feeds of 50 entries (the
default --limit), an archive that grows by about 50 stories a year (planned
for 10,000), one run an hour. Whole processes are timed (wall time, CPU time
and peak memory, read per process from wait4(2)), after one warm-up run of
each, in rounds: one run of every command per round, so that all see the same
machine load. Cells are medians; each ratio is the median of the ratios of
the two commands' runs of one round.

    import click              python -c "import click": the floor of an unchanged run
    stack                     python -c "import feedgen.feed, click, dateutil.parser": the floor of a build
    seed, cold                the shipped source and archive into an empty output folder
    seed, unchanged           the same build again: nothing changed
    N stories, a new one      the page's 30 stories, one of them new, over an archive of N stories
                              (100, 1,000, 10,000), the previous hour's output in place, the archive
                              restored before each run: the hourly run that finds news; set against
                              the same run over 100 stories (the target: at most 1.5 x at 10,000)
    N stories, unchanged      the hourly run that finds nothing, most runs

and the optimizations kept, each beside its plain version on the 10,000-story archive:

    unchanged, forced         the unchanged run with --force: what the up-to-date check saves
    a new one, forced         the hourly run with news, with --force: every year read and every file
                              made, the plain version of the build of what changed
    import jobs, and more     python -c "import feedgen_unodc.jobs", and the same with the modules only
                              fetch and serve use: what importing those per command saves a build
    plain_versions.py         the topic needles and the C JSON encoder beside the plain rule and
                              json.dumps(indent=2), in one process, set beside the hourly run

With --stress, also a listing of 100,000 stories in every feed (--limit
100000), cold, beside python-feedgen alone writing the same six Atom and RSS
files (plain_feedgen.py): a stress figure, not a target.

Run by hand: python benchmarks/run.py [--rounds 15] [--stress]
"""

from __future__ import annotations

import argparse
import json
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
ROOT = HERE.parent
ARCHIVES = (100, 1_000, 10_000)
PAGE = 30


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak: int  # kibibytes


@dataclass(frozen=True)
class Task:
    command: list[str]
    cwd: Path
    before: list[str] | None = None  # run, untimed, before each timed run


def measure(task: Task) -> Sample:
    """One run of the task's command: its own wall time, CPU time and peak memory (not its siblings')."""
    if task.before:
        subprocess.run(task.before, check=True)
    start = time.perf_counter()
    process = subprocess.Popen(task.command, cwd=task.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({os.waitstatus_to_exitcode(status)}): {' '.join(task.command)} in {task.cwd}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def rounds(count: int, tasks: dict[str, Task]) -> dict[str, list[Sample]]:
    """Each task once to warm up, then `count` rounds of one run of each."""
    for task in tasks.values():
        measure(task)
    samples: dict[str, list[Sample]] = {name: [] for name in tasks}
    for number in range(count):
        for name, task in tasks.items():
            samples[name].append(measure(task))
        print(f"  round {number + 1} of {count}", file=sys.stderr, flush=True)
    return samples


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        int(statistics.median(s.peak for s in samples)),
    )


def ratio(samples: dict[str, list[Sample]], name: str, baseline: str) -> float:
    """The median of the ratios of two commands' wall times, round by round: a slow moment slows both."""
    pairs = zip(samples[name], samples[baseline], strict=True)
    return statistics.median(run.wall / base.wall for run, base in pairs)


def run(command: list[str], cwd: Path) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def write_listing(path: Path, count: int, start: int = 0, stop: int | None = None) -> None:
    # Written by a child: a large listing held by this process would count in the children's peak memory.
    path.parent.mkdir(parents=True, exist_ok=True)
    extra = ["--start", str(start)] + (["--stop", str(stop)] if stop is not None else [])
    with path.open("wb") as file:
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(count), *extra], stdout=file, check=True)


def restore(pristine: Path, work: Path) -> list[str]:
    """A command that makes `work` a fresh copy of `pristine`, its files as the last build left them.

    A copy gives every file a new ctime; the build stamp, touched last, is again the newest, as the build
    that wrote it left it: the up-to-date check reads only the files changed since the stamp.
    """
    script = 'rm -rf "$2" && cp -a "$1" "$2" && touch "$2/output/.feedgen-unodc-stamp"'
    return ["sh", "-c", script, "restore", str(pristine), str(work)]


def archive_of(size: int, folder: Path, cli: str) -> tuple[Path, Path]:
    """A deployment whose archive holds `size` stories, the page's 30 on it, the output of their build;
    then the page of the next hour, with one new story. Returns (the folder before the hour, settled)."""
    home = folder / f"archive-{size}"
    source = home / "source" / "latest-news.txt"
    write_listing(source, size + 1, start=1)  # every story but the newest: the archive
    run([cli, "build", "--quiet", "--force"], home)
    write_listing(source, size + 1, start=1, stop=1 + PAGE)  # the page as it was last hour
    run([cli, "build", "--quiet", "--force"], home)
    write_listing(source, size + 1, start=0, stop=PAGE)  # this hour: one new story, the oldest gone
    settled = folder / f"settled-{size}"
    shutil.copytree(home, settled, symlinks=True)
    run([cli, "build", "--quiet"], settled)  # the hour's build done: the next run finds nothing
    return home, settled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--stress", action="store_true", help="also 100,000 stories in every feed")
    arguments = parser.parse_args()
    python = sys.executable
    cli = str(Path(python).with_name("feedgen-unodc"))
    build = [cli, "build", "--quiet"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        seed = folder / "seed"
        shutil.copytree(ROOT / "source", seed / "source")
        run(build, seed)
        tasks = {
            "import click": Task([python, "-c", "import click"], folder),
            "stack": Task([python, "-c", "import feedgen.feed, click, dateutil.parser"], folder),
            "seed, cold": Task(build, seed, ["rm", "-rf", str(seed / "output")]),
            "seed, unchanged": Task(build, seed),
        }
        for size in ARCHIVES:
            home, settled = archive_of(size, folder, cli)
            tasks[f"{size:,} stories, a new one"] = Task(build, folder / "work", restore(home, folder / "work"))
            tasks[f"{size:,} stories, unchanged"] = Task(build, settled)
        largest = f"{ARCHIVES[-1]:,} stories"
        tasks[f"{largest}, unchanged, forced"] = Task([*build, "--force"], settled)
        # The plain version of the build of what changed: every year read, every file made.
        tasks[f"{largest}, a new one, forced"] = Task(
            [*build, "--force"], folder / "work-forced", restore(home, folder / "work-forced")
        )
        tasks["import jobs"] = Task([python, "-c", "import feedgen_unodc.jobs"], folder)
        every = "import feedgen_unodc.jobs, feedgen_unodc.fetch, feedgen_unodc.extract, feedgen_unodc.serve"
        tasks["import jobs, fetch, extract, serve"] = Task([python, "-c", every], folder)
        samples = rounds(arguments.rounds, tasks)
        plain = json.loads(
            subprocess.run(
                [python, str(HERE / "plain_versions.py"), str(settled / "source" / "archive")],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        stress = stress_rows(folder, cli, python) if arguments.stress else None
    report(samples, plain, stress, arguments.rounds, time.monotonic() - started)


def stress_rows(folder: Path, cli: str, python: str) -> dict[str, list[Sample]]:
    size = 100_000
    home = folder / "stress"
    source = home / "source" / "latest-news.txt"
    write_listing(source, size)
    build = [cli, "build", "--quiet", "--limit", str(size)]
    run([*build, "--force"], home)  # the archive, in place
    return rounds(
        3,
        {
            "stack": Task([python, "-c", "import feedgen.feed, click, dateutil.parser"], home),
            "100,000 in every feed, cold": Task(build, home, ["rm", "-rf", str(home / "output")]),
            "feedgen alone, the same six files": Task([python, str(HERE / "plain_feedgen.py"), str(source), "p"], home),
        },
    )


def cell(sample: Sample) -> str:
    return f"{sample.wall:.3f} s | {sample.cpu:.3f} s | {sample.peak / 1024:.0f} MiB"


def report(
    samples: dict[str, list[Sample]],
    plain: dict[str, object],
    stress: dict[str, list[Sample]] | None,
    count: int,
    seconds: float,
) -> None:
    print(
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores; {count} rounds; {seconds / 60:.1f} minutes in all\n"
    )
    print("| run | wall | CPU | peak memory | against | ratio |\n| --- | ---: | ---: | ---: | --- | ---: |")
    for name in samples:
        baseline = "import click" if "unchanged" in name and "forced" not in name else "stack"
        if name.endswith("a new one") and not name.startswith(f"{ARCHIVES[0]:,} "):
            baseline = f"{ARCHIVES[0]:,} stories, a new one"  # the cost target: against the smallest archive
        against = "" if name in ("import click", "stack") or name.startswith("import ") else baseline
        shown = f"{ratio(samples, name, baseline):.2f}" if against else ""
        print(f"| {name} | {cell(median(samples[name]))} | {against} | {shown} |")
    largest = f"{ARCHIVES[-1]:,} stories"
    hourly = median(samples[f"{largest}, a new one"]).wall
    unchanged = median(samples[f"{largest}, unchanged"]).wall
    print(f"\nThe optimizations kept, on the {largest} archive:")
    forced = ratio(samples, f"{largest}, unchanged, forced", f"{largest}, unchanged")
    print(f"- the up-to-date check: a forced run takes {forced:.1f} x the unchanged run's time")
    everything = ratio(samples, f"{largest}, a new one, forced", f"{largest}, a new one")
    print(f"- the build of what changed: the build of everything (--force) takes {everything:.1f} x its time")
    for key, what, plain_name in (
        ("topics", "the topic needles", "the plain rule"),
        ("json", "the C encoder", "indent=2"),
        ("fulltext", "full text made safe for the feeds' entries only", "every story's"),
    ):
        pair = plain[key]
        assert isinstance(pair, list)
        ours, theirs = float(pair[0]), float(pair[1])
        print(
            f"- {what}: {ours * 1000:.0f} ms, {plain_name} {theirs * 1000:.0f} ms for {plain['stories']:,} stories: "
            f"{(theirs - ours) / hourly:.0%} of the hourly run with a new story ({hourly:.3f} s)"
        )
    extra = median(samples["import jobs, fetch, extract, serve"]).wall - median(samples["import jobs"]).wall
    for name in ("seed, cold", f"{ARCHIVES[0]:,} stories, a new one", f"{largest}, a new one"):
        share = extra / median(samples[name]).wall
        print(f"- per-command imports: a build spared {extra * 1000:.0f} ms, {share:.0%} of {name}")
    print(f"(the unchanged run: {unchanged:.3f} s)")
    if stress:
        print("\nStress (not a target):\n| run | wall | CPU | peak memory |\n| --- | ---: | ---: | ---: |")
        for name in stress:
            print(f"| {name} | {cell(median(stress[name]))} |")
        ours = ratio(stress, "100,000 in every feed, cold", "feedgen alone, the same six files")
        print(f"a cold build of 100,000 in every feed / feedgen alone: {ours:.2f}")


if __name__ == "__main__":
    main()
