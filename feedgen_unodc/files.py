"""Reading the inputs: regular files only, so that no path can hang a run; and folders that cannot be.

A FIFO opened for reading waits for a writer for ever, a device may never
end; an unattended run must not hang on a settings mistake. Every input is
opened without blocking and read only when it is a regular file (a symlink
to one is one).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def open_regular(path: Path) -> int:
    """A file descriptor of `path`, opened for reading; raises `OSError` unless it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe or a device would hang the run)", str(path))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path) -> bytes:
    """The bytes of the regular file `path`; raises `OSError` (FileNotFoundError, not a regular file...)."""
    with os.fdopen(open_regular(path), "rb") as file:
        return file.read()


def unusable(folder: Path) -> OSError | None:
    """Why `folder` cannot be made a folder (it, or one above it, is a file); None when it can."""
    for path in (folder, *folder.parents):
        if path.exists():
            return None if path.is_dir() else NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    return None
