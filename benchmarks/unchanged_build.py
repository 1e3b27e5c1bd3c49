"""How much an unchanged build costs, against starting Python and importing click.

Most cron runs find nothing new: `feedgen-unodc build` must then decide so
without importing feedgen or lxml, at close to the interpreter's start-up
cost. This times, side by side and interleaved (so that both see the same
machine load), whole processes of:

    python -c "pass"                  the interpreter alone
    python -c "import click"          the floor: Python and the CLI library
    feedgen-unodc build               on a folder built a moment before

Usage: python benchmarks/unchanged_build.py [--runs 30]
Prints the medians and their ratio. Run by hand; not part of the tests.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each command (after one warm-up)")
    runs = parser.parse_args().runs
    python = sys.executable
    build = [str(Path(python).with_name("feedgen-unodc")), "build"]  # the console script, as cron runs it
    commands = {
        "python": [python, "-c", "pass"],
        "import click": [python, "-c", "import click"],
        "unchanged build": build,
    }
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        shutil.copytree(ROOT / "source", home / "source")
        subprocess.run([*build, "--quiet"], cwd=home, check=True)  # the build before: now nothing changed
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs + 1):  # the first round warms the file cache and is dropped
            for name, command in commands.items():
                times[name].append(timed(command, home))
    medians = {name: statistics.median(values[1:]) for name, values in times.items()}
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {runs} runs each")
    for name, value in medians.items():
        print(f"{name:>16}: {value * 1000:6.1f} ms (median wall time)")
    print(f"{'ratio':>16}: {medians['unchanged build'] / medians['import click']:.2f} x  (target: at most 1.3)")


if __name__ == "__main__":
    main()
