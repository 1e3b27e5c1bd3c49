"""Putting documents into the output folder safely. The only module that writes files.

- A file whose bytes would not change is not touched: its modification time,
  and so every HTTP cache validator derived from it, stays.
- A changed file is written beside its final name, flushed to disk, then
  renamed over it: a reader (a web server, a CDN) sees the old file or the new
  one, never half of one.
- Every new file is written before the first rename, so that a failure while
  writing (disk full, permission denied) leaves the folder exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class PublishError(OSError):
    """The output folder could not be updated; it is left as it was."""


@dataclass(frozen=True)
class Outcome:
    written: list[str]
    unchanged: list[str]


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def stale(documents: Mapping[str, bytes], output: Path) -> dict[str, str]:
    """The files of `output` that differ from `documents`: name -> "missing" or "differs"."""
    result = {}
    for name, data in documents.items():
        current = _current(output / name)
        if current != data:
            result[name] = "missing" if current is None else "differs"
    return result


def _new_file_mode(path: Path) -> int:
    # mkstemp creates files readable by their owner only; a web server running
    # as another user must read them. Keep an existing file's mode, else use
    # what the umask gives an ordinary new file.
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_beside(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _new_file_mode(path))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _sync_folder(folder: Path) -> None:
    # Make the renames themselves durable. Not every platform can open a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def publish(documents: Mapping[str, bytes], output: Path) -> Outcome:
    """Make the files of `output` hold `documents`, changing only what differs.

    Raises `PublishError` (an `OSError`, with the errno of the cause) and leaves
    the folder as it was when any new file cannot be written.
    """
    try:
        output.mkdir(parents=True, exist_ok=True)
        changed = stale(documents, output)
    except OSError as exc:
        raise PublishError(exc.errno, f"cannot use output folder: {exc.strerror or exc}", str(output)) from exc
    written: dict[str, Path] = {}
    try:
        for name in changed:
            written[name] = _write_beside(output / name, documents[name])
    except BaseException as exc:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PublishError(exc.errno, f"cannot write: {exc.strerror or exc}", str(output)) from exc
        raise
    try:
        for name, temporary in written.items():
            os.replace(temporary, output / name)
    except OSError as exc:
        # A rename on one file system does not fail short of a broken disk;
        # if one does, every file is still whole, old or new.
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        raise PublishError(exc.errno, f"cannot rename: {exc.strerror or exc}", str(output)) from exc
    if written:
        _sync_folder(output)
    return Outcome(written=list(written), unchanged=[name for name in documents if name not in changed])
