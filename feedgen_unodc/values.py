"""The values an option or a setting may take, each checked the same way wherever it comes from.

Each is a click parameter type, so that `--timeout inf` is a usage error
naming the option, and the settings file runs its values through the same
types, so that `timeout = nan` is a usage error naming the file and the key.
Numbers must be finite and within bounds that make sense for an hourly job:
a timeout of 1e300 seconds is no timeout, a backoff of a day is a hang.
"""

from __future__ import annotations

import math
import re
from typing import Any

import click

from .text import excerpt

_SIZE = re.compile(r"\s*(\d+)\s*(k|kb|kib|m|mb|mib)?\s*", re.IGNORECASE)
_UNITS = {None: 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2, "mib": 1024**2}


class Seconds(click.ParamType[float]):
    """A finite number of seconds within bounds."""

    name = "seconds"

    def __init__(self, minimum: float, maximum: float) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, bool):
            self.fail(f"must be a number of seconds, not {excerpt(value)}", param, ctx)
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"must be a number of seconds, not {excerpt(value)}", param, ctx)
        if not math.isfinite(seconds) or not self.minimum <= seconds <= self.maximum:
            self.fail(f"must be from {self.minimum:g} to {self.maximum:g} seconds, not {excerpt(value)}", param, ctx)
        return seconds


class Share(click.ParamType[float]):
    """A share: a finite number from 0 to 1."""

    name = "share"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, bool):
            self.fail(f"must be a number from 0 to 1, not {excerpt(value)}", param, ctx)
        try:
            share = float(value)
        except (TypeError, ValueError):
            self.fail(f"must be a number from 0 to 1, not {excerpt(value)}", param, ctx)
        if not math.isfinite(share) or not 0 <= share <= 1:
            self.fail(f"must be a number from 0 to 1, not {excerpt(value)}", param, ctx)
        return share


class Count(click.ParamType[int]):
    """A whole number within bounds."""

    name = "count"

    def __init__(self, minimum: int, maximum: int) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, bool | float):
            self.fail(f"must be a whole number, not {excerpt(value)}", param, ctx)
        try:
            count = int(value)
        except (TypeError, ValueError):
            self.fail(f"must be a whole number, not {excerpt(value)}", param, ctx)
        if not self.minimum <= count <= self.maximum:
            self.fail(f"must be from {self.minimum} to {self.maximum}, not {excerpt(value)}", param, ctx)
        return count


class Size(click.ParamType[int]):
    """A number of bytes, perhaps with a unit: 4194304, 4096K, 4M (K and M are 1024 and 1024²)."""

    name = "size"

    def __init__(self, minimum: int, maximum: int) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            size = value
        else:
            match = _SIZE.fullmatch(value) if isinstance(value, str) else None
            if match is None:
                self.fail(f"must be a size in bytes, such as 4194304, 4096K or 4M, not {excerpt(value)}", param, ctx)
            size = int(match[1]) * _UNITS[match[2].lower() if match[2] else None]
        if not self.minimum <= size <= self.maximum:
            self.fail(
                f"must be from {_shown(self.minimum)} to {_shown(self.maximum)}, not {excerpt(value)}", param, ctx
            )
        return size


def _shown(size: int) -> str:
    for unit, factor in (("M", 1024**2), ("K", 1024)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


# The bounds of each number, for the options and the settings alike.
TIMEOUT = Seconds(0.1, 3600)
BACKOFF = Seconds(0, 600)
LOCK_TIMEOUT = Seconds(0, 86400)
SHARE = Share()
RETRIES = Count(0, 10)
LIMIT = Count(1, 1_000_000)
PAGE_SIZE = Size(1024, 16 * 1024**2)
PAGES_PER_RUN = Count(0, 1000)
PAUSE = Seconds(0, 600)
DAYS = Count(1, 36_500)
