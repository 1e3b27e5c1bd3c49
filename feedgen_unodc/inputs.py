"""Reading a run's input files: the listing, the topic vocabulary, the archive, a settings file, a saved page.

Each function returns the bytes (the settings, checked) or raises `Failure`
with one line naming the file: a file that cannot be read is a usage error
(exit 2). Reading what the bytes hold is the core's work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import EXIT_USAGE, Failure
from .files import read_bytes
from .settings import SHIPPED_VOCABULARY, SettingsError, legacy_archive, read_settings_file

_ARCHIVED = re.compile(r"index\.json|\d{4}\.json")  # the files of an archive folder


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


class ArchiveFiles(Mapping[str, bytes]):
    """The files of an archive folder, by name: an earlier version's archive file beside it first (while it
    has not moved in), then its index and years, sorted. Each is read when first asked for: a build over
    a large archive reads only the years it needs."""

    def __init__(self, folder: Path, names: list[str], legacy: dict[str, bytes]) -> None:
        self.folder = folder
        self._names = [*legacy, *names]
        self._read = dict(legacy)

    def path(self, name: str) -> Path:
        """Where the file `name` of the folder is."""
        return self.folder / name

    def __getitem__(self, name: str) -> bytes:
        if name not in self._read:
            if name not in self._names:
                raise KeyError(name)
            self._read[name] = read(self.path(name), "archive")
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def archive_files(folder: Path) -> ArchiveFiles:
    """The files of the archive `folder` (`ArchiveFiles`): named now, each read when first asked for."""
    legacy = legacy_archive(folder)
    files = {legacy.name: data} if (data := read_optional(legacy, "archive")) else {}
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if _ARCHIVED.fullmatch(entry.name))
    except FileNotFoundError:
        names = []
    except OSError as exc:
        raise Failure(f"{folder}: error: cannot read the archive: {exc.strerror or exc}", EXIT_USAGE) from exc
    return ArchiveFiles(folder, names, files)


def vocabulary(path: Path | None) -> bytes:
    """The topic vocabulary's bytes: the file given, or the shipped one."""
    return read(path or SHIPPED_VOCABULARY, "vocabulary")


def settings(path: Path) -> dict[str, object]:
    """The settings of the settings file at `path`, by key, checked; its relative paths are of its folder."""
    try:
        return read_settings_file(read(path, "settings file"), path.parent)
    except SettingsError as exc:
        raise Failure(f"{path}: error: {exc}", EXIT_USAGE) from exc
