"""Writing files safely: the feeds, the archive, the listing. The only module that writes files.

- A file whose bytes would not change is not touched: its modification time,
  and so every HTTP cache validator derived from it, stays.
- A changed file is written beside its final name, flushed to disk, then
  renamed over it: a reader (a web server, a CDN) sees the old file or the new
  one, never half of one.
- Documents are compared with the published file as they are made, one at a
  time, and written into a temporary file only from their first difference:
  a build never holds a whole document in memory, and an unchanged document
  creates no file.
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
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple

from .files import open_regular
from .model import Sink, Writer


class PublishError(OSError):
    """Files could not be written; they are left as they were."""


class Outcome(NamedTuple):
    written: list[Path]
    unchanged: list[Path]


Content = bytes | Writer  # the bytes, or what writes them into a file


def _put(content: Content, sink: Sink) -> None:
    if isinstance(content, bytes):
        sink.write(content)
    else:
        content(sink)


_CHUNK = 1 << 20


class _Beside:
    """A sink that compares what it is given with the file at `path`, as it comes.

    From the first difference on, it writes a temporary file beside `path`,
    starting with a copy of the equal part: a document equal to the published
    file creates no file at all, and a changed one is written once, never held
    in memory. With `write=False` it only compares.
    """

    def __init__(self, path: Path, *, write: bool = True) -> None:
        self.path = path
        self._write = write
        self._old: BinaryIO | None
        try:
            self._old = os.fdopen(open_regular(path), "rb")  # a pipe put in its place must not hang the run
        except FileNotFoundError:
            self._old = None
        self.differs = self._old is None
        self._equal = 0  # bytes given so far, all equal to the published file's
        self._file: BinaryIO | None = None
        self.temporary: Path | None = None

    def write(self, data: bytes, /) -> int:
        if not self.differs:
            assert self._old is not None
            if self._old.read(len(data)) == data:
                self._equal += len(data)
                return len(data)
            self.differs = True
        if self._write:
            self._start().write(data)
        return len(data)

    def _start(self) -> BinaryIO:
        if self._file is not None:
            return self._file
        fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        self.temporary = Path(name)
        self._file = os.fdopen(fd, "wb")
        if self._equal:
            assert self._old is not None
            self._old.seek(0)
            left = self._equal
            while left:
                chunk = self._old.read(min(_CHUNK, left))
                if not chunk:
                    raise OSError(errno.EIO, "the published file changed while it was read", str(self.path))
                self._file.write(chunk)
                left -= len(chunk)
        return self._file

    def finish(self) -> Path | None:
        """The temporary file, on disk, when the document differs; None when it equals the published file."""
        if not self.differs:
            assert self._old is not None
            self.differs = self._old.read(1) != b""  # a longer published file differs too
        if not self.differs or not self._write:
            self._close()
            return None
        file = self._start()  # already started, unless the document is a prefix of the published file
        file.flush()
        os.fsync(file.fileno())
        self._close()
        assert self.temporary is not None
        os.chmod(self.temporary, _new_file_mode(self.path))
        return self.temporary

    def _close(self) -> None:
        for file in (self._old, self._file):
            if file is not None:
                file.close()

    def discard(self) -> None:
        self._close()
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


def stale(files: Mapping[Path, Content]) -> dict[Path, str]:
    """The files that differ from their content: path -> "missing" or "differs". Writes no file."""
    result = {}
    for path, content in files.items():
        sink = _Beside(path, write=False)
        try:
            _put(content, sink)
            sink.finish()
        finally:
            sink.discard()
        if sink.differs:
            result[path] = "missing" if not path.exists() else "differs"
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


def _write_beside(path: Path, content: Content) -> Path | None:
    """A temporary file beside `path` with `content`, ready to replace it; None when `path` holds it already."""
    sink = _Beside(path)
    try:
        _put(content, sink)
        return sink.finish()
    except BaseException:
        sink.discard()
        raise


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


_TEMPORARY = "[a-z0-9_]{8}"  # the random part mkstemp gives a temporary file's name


def _temporary_names(path: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(path.name)}\.{_TEMPORARY}\.tmp")


def _remove_stale(targets: list[Path]) -> None:
    """Remove the temporary files that earlier runs, killed before they could, left beside `targets`.

    Only the names this module gives its temporary files are touched, and
    only by a run that holds the lock (the caller's duty): no other run can
    be writing them.
    """
    by_folder: dict[Path, list[re.Pattern[str]]] = {}
    for target in targets:
        by_folder.setdefault(target.parent, []).append(_temporary_names(target))
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


def publish(files: Mapping[Path, Content]) -> Outcome:
    """Make each path hold its content, changing only what differs, in the order given.

    Each content is written once (a writer is called once), into a temporary
    file, and kept only when it differs from the published file. A path that
    is a symlink is written through to its target. The caller holds the run
    lock: temporary files that earlier runs left beside the paths are
    removed first.

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
    targets = {path: _target(path) for path in files}
    _remove_stale(list(targets.values()))
    written: dict[Path, Path] = {}
    try:
        for path, content in files.items():
            temporary = _write_beside(targets[path], content)
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
            os.replace(temporary, targets[path])
    except BaseException as exc:
        # A rename within a folder does not fail short of a broken disk (or a
        # stop signal between two renames); if one does, every file is still
        # whole, old or new, and no temporary file is left.
        for temporary in written.values():
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PublishError(exc.errno, f"cannot rename: {exc.strerror or exc}", str(path)) from exc
        raise
    for folder in {targets[path].parent for path in written}:
        _sync_folder(folder)
    return Outcome(written=list(written), unchanged=[path for path in files if path not in written])
