"""Writing files safely: the feeds, the pages, the archive, the listing. The only module that writes them.

- A file whose bytes would not change is not touched, not even by a
  temporary file: its modification time, and every HTTP cache validator
  derived from it, stays.
- A changed file is written beside its final name, flushed to disk, then
  renamed over it: a reader (a web server, a CDN) sees the old file or the new
  one, never half of one.
- Every new file is written before the first rename, so that a failure while
  writing (disk full, permission denied) leaves every file exactly as it was.
  The files are renamed in the order given: the archive before the feeds, the
  build stamp last, so that a run killed between two renames leaves files that
  are each whole, and a stamp that makes the next run build again.
- A path that is a symlink is written through to its target, the link kept.
- Temporary files that killed runs left beside the files are removed first:
  the caller holds the run lock, so no other run is writing them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from .files import read_bytes


class PublishError(OSError):
    """Files could not be written; they are left as they were."""


class Outcome(NamedTuple):
    written: list[Path]
    unchanged: list[Path]
    removed: list[Path]


_TEMPORARY = "[a-z0-9_]{8}"  # the random part mkstemp gives a temporary file's name


def _published(path: Path) -> bytes | None:
    """The bytes `path` holds now, or None when there is no such file."""
    try:
        return read_bytes(path)  # a regular file only: a pipe put in its place must not hang the run
    except FileNotFoundError:
        return None


def _size(path: Path) -> int | None:
    """The size of the file `path` holds now (a file of another size holds other bytes: it is not read)."""
    try:
        return path.stat().st_size
    except OSError:
        return None


def stale(files: Mapping[Path, bytes | None]) -> dict[Path, str]:
    """The files whose bytes differ from `files`: path -> "missing" or "differs". Writes nothing."""
    result = {}
    for path, content in files.items():
        published = _published(path)
        if published != content:
            result[path] = "missing" if published is None else "differs" if content is not None else "no longer made"
    return result


def _remove_stale(targets: list[Path]) -> None:
    """Remove the temporary files that earlier runs, killed before they could, left beside `targets`.

    Only the names this module gives its temporary files are touched.
    """
    by_folder: dict[Path, list[re.Pattern[str]]] = {}
    for target in targets:
        by_folder.setdefault(target.parent, []).append(re.compile(rf"\.{re.escape(target.name)}\.{_TEMPORARY}\.tmp"))
    for folder, patterns in by_folder.items():
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(".tmp") and any(p.fullmatch(name) for p in patterns):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)


def _target(path: Path) -> Path:
    """Where `path`'s content goes: the file a symlink names (written through, the link kept), else `path`."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


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


def _write_beside(path: Path, content: bytes) -> Path:
    """A temporary file beside `path` holding `content`, on disk, ready to replace it."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
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


def _made_folders(paths: list[Path]) -> list[Path]:
    """Create the folders `paths` need; return those this call made, the shallowest first."""
    created: list[Path] = []
    try:
        for folder in dict.fromkeys(path.parent for path in paths):
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
            missing = [f for f in (folder, *folder.parents) if not f.exists()]
            folder.mkdir(parents=True, exist_ok=True)
            created += reversed(missing)
    except OSError as exc:
        _remove_folders(created)
        raise PublishError(exc.errno, f"cannot use the folder: {exc.strerror or exc}", exc.filename) from exc
    return created


def _remove_folders(folders: list[Path]) -> None:
    for folder in reversed(folders):  # the deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def publish(files: Mapping[Path, bytes | None]) -> Outcome:
    """Make each path hold its bytes, changing only what differs, in the order given; a path given None is
    removed, at its place in that order.

    Folders are created as needed. Raises `PublishError` (an `OSError`, with
    the errno and file name of the cause) and changes no file when any new
    file cannot be written.
    """
    created = _made_folders([path for path, content in files.items() if content is not None])
    targets = {path: _target(path) for path in files}
    _remove_stale(list(targets.values()))
    written: dict[Path, Path] = {}
    path = next(iter(files), Path())
    try:
        for path, content in files.items():
            if content is not None and (_size(targets[path]) != len(content) or _published(targets[path]) != content):
                written[path] = _write_beside(targets[path], content)
    except BaseException as exc:
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        _remove_folders(created)
        if isinstance(exc, OSError):
            raise PublishError(exc.errno, f"cannot write: {exc.strerror or exc}", str(path)) from exc
        raise
    replaced: list[Path] = []
    removed: list[Path] = []
    try:
        for path, content in files.items():
            if path in written:
                os.replace(written[path], targets[path])
                del written[path]
                replaced.append(path)
            elif content is None and os.path.lexists(path):
                os.unlink(path)  # a symlink itself, not what it names
                removed.append(path)
    except BaseException as exc:
        # A rename within a folder does not fail short of a broken disk (or a
        # stop signal between two renames); if one does, every file is still
        # whole, old or new, and no temporary file is left.
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PublishError(exc.errno, f"cannot rename: {exc.strerror or exc}", str(path)) from exc
        raise
    for folder in {targets[path].parent for path in replaced + removed}:
        _sync_folder(folder)
    changed = set(replaced) | set(removed)
    return Outcome(
        written=replaced, unchanged=[path for path in files if path not in changed and files[path] is not None],
        removed=removed,
    )  # fmt: skip
