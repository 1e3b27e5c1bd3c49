"""One run at a time: an advisory lock beside the archive.

The lock is `flock(2)` on a lock file. The kernel releases it when its process
ends, however it ends (SIGKILL, a crash, a power cut), so a stale lock cannot
block later runs: the file may stay, the lock does not.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(Exception):
    """Another run held the lock for longer than we were willing to wait."""

    def __init__(self, path: Path, waited: float) -> None:
        super().__init__(f"another feedgen-unodc run holds {path}; gave up after {waited:g} s")
        self.path = path


@contextmanager
def locked(path: Path, timeout: float, poll: float = 0.1) -> Iterator[None]:
    """Hold the lock on `path` (created if missing) while the block runs; wait up to `timeout` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                if time.monotonic() >= deadline:
                    raise LockTimeout(path, timeout) from None
                time.sleep(poll)
        yield
    finally:
        os.close(fd)  # closing releases the lock
