"""Writing files safely: the feeds, the archive, the listing. The only module that writes files.

- A file whose bytes would not change is not touched: its modification time,
  and so every HTTP cache validator derived from it, stays.
- A changed file is written beside its final name, flushed to disk, then
  renamed over it: a reader (a web server, a CDN) sees the old file or the new
  one, never half of one.
- Documents are written straight into their temporary files, one at a time,
  and compared with the published file there: a build never holds every
  document in memory.
- Every new file is written before the first rename, so that a failure while
  writing (disk full, permission denied) leaves every file exactly as it was.
  The files are renamed in the order given: the archive before the feeds, the
  build stamp last, so that a run killed between two renames leaves files that
  are each whole, and a stamp that makes the next run build again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Mapping
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .model import Writer


class PublishError(OSError):
    """Files could not be written; they are left as they were."""


class Outcome(NamedTuple):
    written: list[Path]
    unchanged: list[Path]


Content = bytes | Writer  # the bytes, or what writes them into a file


def _put(content: Content, file: BinaryIO) -> None:
    if isinstance(content, bytes):
        file.write(content)
    else:
        content(file)


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def stale(files: Mapping[Path, Content]) -> dict[Path, str]:
    """The files that differ from their content: path -> "missing" or "differs". Writes no file."""
    result = {}
    for path, content in files.items():
        buffer = BytesIO()
        _put(content, buffer)
        current = _current(path)
        if current != buffer.getvalue():
            result[path] = "missing" if current is None else "differs"
    return result


def _same_file(path: Path, other: Path) -> bool:
    """True when `path` exists and holds the bytes `other` holds."""
    try:
        with path.open("rb") as one, other.open("rb") as two:
            if os.fstat(one.fileno()).st_size != os.fstat(two.fileno()).st_size:
                return False
            while True:
                a, b = one.read(_CHUNK), two.read(_CHUNK)
                if a != b:
                    return False
                if not a:
                    return True
    except FileNotFoundError:
        return False


_CHUNK = 1 << 20


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


def _write_beside(path: Path, content: Content) -> Path | None:
    """A temporary file beside `path` with `content`, ready to replace it; None when `path` holds it already."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            _put(content, file)
            file.flush()
            if _same_file(path, temporary):
                temporary.unlink()
                return None
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


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):  # the deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def publish(files: Mapping[Path, Content]) -> Outcome:
    """Make each path hold its content, changing only what differs, in the order given.

    Each content is written once (a writer is called once), into a temporary
    file, and kept only when it differs from the published file.

    Folders are created as needed. Raises `PublishError` (an `OSError`, with the
    errno and file name of the cause) and changes no file when any new file
    cannot be written.
    """
    created: list[Path] = []  # folders made for this run, removed again if it fails
    try:
        for folder in dict.fromkeys(path.parent for path in files):
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
            missing = [f for f in (folder, *folder.parents) if not f.exists()]
            folder.mkdir(parents=True, exist_ok=True)
            created += reversed(missing)
    except OSError as exc:
        _remove_folders(created)
        raise PublishError(exc.errno, f"cannot use the folder: {exc.strerror or exc}", exc.filename) from exc
    written: dict[Path, Path] = {}
    try:
        for path, content in files.items():
            temporary = _write_beside(path, content)
            if temporary is not None:
                written[path] = temporary
    except BaseException as exc:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        _remove_folders(created)
        if isinstance(exc, OSError):
            raise PublishError(exc.errno, f"cannot write: {exc.strerror or exc}", str(path)) from exc
        raise
    try:
        for path, temporary in written.items():
            os.replace(temporary, path)
    except OSError as exc:
        # A rename within a folder does not fail short of a broken disk; if one
        # does, every file is still whole, old or new.
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        raise PublishError(exc.errno, f"cannot rename: {exc.strerror or exc}", str(path)) from exc
    for folder in {path.parent for path in written}:
        _sync_folder(folder)
    return Outcome(written=list(written), unchanged=[path for path in files if path not in written])
