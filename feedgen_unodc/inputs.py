"""Reading a run's input files: the listing, the topic vocabulary, the archive, a settings file, a saved page.

Each function returns the bytes (the settings, checked) or raises `Failure`
with one line naming the file: a file that cannot be read is a usage error
(exit 2). Reading what the bytes hold is the core's work.
"""

from __future__ import annotations

from pathlib import Path

from .errors import EXIT_USAGE, Failure
from .files import read_bytes
from .settings import SHIPPED_VOCABULARY, SettingsError, read_settings_file


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


def vocabulary(path: Path | None) -> bytes:
    """The topic vocabulary's bytes: the file given, or the shipped one."""
    return read(path or SHIPPED_VOCABULARY, "vocabulary")


def settings(path: Path) -> dict[str, object]:
    """The settings of the settings file at `path`, by key, checked; its relative paths are of its folder."""
    try:
        return read_settings_file(read(path, "settings file"), path.parent)
    except SettingsError as exc:
        raise Failure(f"{path}: error: {exc}", EXIT_USAGE) from exc
