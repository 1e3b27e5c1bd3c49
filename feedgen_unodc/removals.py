"""The removals: the stories an operator decided not to publish, in a small TOML file beside the archive.

Editorial decisions, kept apart from the machine-written archive (and
committed with the listing), so that losing or rebuilding the archive never
brings a removed story back. `remove` and `restore` write the file; a hand
edit is read and checked as strictly as the archive is. One removal per
`[[removed]]` table, oldest first:

    [[removed]]
    id = "urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557"
    title = "UNODC launches ..."
    at = 2026-12-02T18:00:00Z
    reason = "withdrawn by UNODC"

The title is there for people reading the file; the id decides.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .archive import STORY_ID, Removal
from .text import UNFIT, excerpt

HEADER = (
    "# The stories feedgen-unodc does not publish: an operator's decisions, oldest first.\n"
    "# Written by 'feedgen-unodc remove' and 'restore'; commit it with the listing.\n"
    "# The title is for people reading this file; the id decides.\n"
)
_KEYS = {"id", "title", "at", "reason"}


class RemovalsError(ValueError):
    """A removals file that cannot be read; it must not be overwritten."""


def _string(value: str) -> str:
    """`value` as a TOML basic string: quotes, backslashes and every control character escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{ord(c):04X}" if c < " " or c == "\x7f" else c for c in escaped) + '"'


def _time(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def dumps(removed: Mapping[str, Removal]) -> bytes:
    """The file's canonical bytes: the header, then one table per removal, oldest first."""
    tables = [
        f"\n[[removed]]\nid = {_string(story_id)}\n"
        + (f"title = {_string(removal.title)}\n" if removal.title else "")
        + f"at = {_time(removal.at)}\nreason = {_string(removal.reason)}\n"
        for story_id, removal in sorted(removed.items(), key=lambda pair: (pair[1].at, pair[0]))
    ]
    return (HEADER + "".join(tables)).encode("utf-8")


def _line(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or UNFIT.search(value):
        raise RemovalsError(f"{what} must be a line of text, not {excerpt(value)}")
    return value


def _removal(table: Any, number: int) -> tuple[str, Removal]:
    where = f"removal {number}"
    if not isinstance(table, dict):
        raise RemovalsError(f"{where} must be a [[removed]] table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise RemovalsError(f"{where}: unknown key {excerpt(unknown[0])} (known: id, title, at, reason)")
    story_id = table.get("id")
    if not isinstance(story_id, str) or not STORY_ID.fullmatch(story_id):
        raise RemovalsError(f"{where}: id must be a story id (urn:uuid:...), not {excerpt(story_id)}")
    at = table.get("at")
    if not isinstance(at, datetime) or at.tzinfo is None or not 1990 <= at.year <= 2999:
        raise RemovalsError(
            f"{where}: at must be a time with its time zone, from 1990 on (2026-12-02T18:00:00Z), not {excerpt(at)}"
        )
    title = _line(table["title"], f"{where}: title") if "title" in table else ""
    return story_id, Removal(at.astimezone(UTC), _line(table.get("reason"), f"{where}: reason"), title)


def loads(data: bytes) -> dict[str, Removal]:
    """The removals of a removals file, by story id; raises `RemovalsError` saying what is wrong."""
    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RemovalsError(f"not a TOML file ({exc})") from exc
    unknown = sorted(set(document) - {"removed"})
    if unknown:
        raise RemovalsError(f"unknown key {excerpt(unknown[0])}: removals are [[removed]] tables")
    tables = document.get("removed", [])
    if not isinstance(tables, list):
        raise RemovalsError("removed must be [[removed]] tables")
    removed: dict[str, Removal] = {}
    for number, table in enumerate(tables, start=1):
        story_id, removal = _removal(table, number)
        if story_id in removed:
            raise RemovalsError(f"removal {number}: {story_id} is removed twice")
        removed[story_id] = removal
    return removed
