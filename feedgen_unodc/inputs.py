"""Reading a run's input files: the listing, the topic vocabulary, the archive, a settings file, a saved page.

Each function returns the bytes (the settings, checked) or raises `Failure`
with one line naming the file: a file that cannot be read is a usage error
(exit 2). Reading what the bytes hold is the core's work.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import EXIT_USAGE, Failure
from .files import read_bytes
from .settings import SHIPPED_VOCABULARY, SettingsError, legacy_archive, read_settings_file

_ARCHIVED = re.compile(r"index\.json|[0-9]{4}\.json")  # the files of an archive folder


def read(path: Path, what: str) -> bytes:
    """The bytes of the regular file `path`, which the run needs (`what` names it in the message)."""
    try:
        return read_bytes(path)
    except OSError as exc:
        raise Failure(f"{path}: error: cannot read the {what}: {exc.strerror or exc}", EXIT_USAGE) from exc


def read_optional(path: Path, what: str) -> bytes:
    """The bytes of `path`, or nothing when there is no such file yet."""
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise Failure(f"{path}: error: cannot read the {what}: {exc.strerror or exc}", EXIT_USAGE) from exc


def archive_files(folder: Path) -> dict[str, bytes]:
    """The files of the archive `folder` (its index and years, by name, sorted), and an earlier version's
    archive file beside it (`archive.json`, under its own name) while it has not moved in yet."""
    legacy = legacy_archive(folder)
    files = {legacy.name: data} if (data := read_optional(legacy, "archive")) else {}
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if _ARCHIVED.fullmatch(entry.name))
    except FileNotFoundError:
        return files
    except OSError as exc:
        raise Failure(f"{folder}: error: cannot read the archive: {exc.strerror or exc}", EXIT_USAGE) from exc
    for name in names:
        files[name] = read(folder / name, "archive")
    return files


def vocabulary(path: Path | None) -> bytes:
    """The topic vocabulary's bytes: the file given, or the shipped one."""
    return read(path or SHIPPED_VOCABULARY, "vocabulary")


def settings(path: Path) -> dict[str, object]:
    """The settings of the settings file at `path`, by key, checked; its relative paths are of its folder."""
    try:
        return read_settings_file(read(path, "settings file"), path.parent)
    except SettingsError as exc:
        raise Failure(f"{path}: error: {exc}", EXIT_USAGE) from exc
