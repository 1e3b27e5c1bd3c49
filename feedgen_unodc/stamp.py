"""The up-to-date check: what the last build was made from, so that an hourly run with nothing new costs little.

A build writes, last of all, a stamp into the output folder: a digest of what
it was made from (the program's version and code, its settings, the topic
vocabulary and the removals: its context; the listing, the archive's files
and the story pages), and the SHA-256, size and name of each file it wrote or
kept. The next build with the same digest, whose files all still hold what
it wrote, has nothing to do, and sees it without importing feedgen or lxml.
A file edited by hand (or deleted) since is seen, and the build writes it
again, as `build --check` advises. A build after the listing changed, in the
same context and on the archive the last one left, keeps the files of the
years it does not read (`kept`); one whose listing differs from the stamp's
goes to work without hashing the archive.

The inputs are read and hashed at every run. A published file is read only
when its ctime is not older than the stamp's, or its size is not the one
written (`_holds`): the kernel sets a file's ctime to the clock's whenever
it is written, renamed or given other times, and no call sets it back, so an
edit since the stamp was written is always seen, even one that keeps the size
and sets the modification time back; the stamp's own ctime is the mark, and
no time is written in any file. At 10,000 stories the published files are
52 MB: reading them all took most of an unchanged run (README, Benchmarks).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from . import __version__
from .files import read_bytes

STAMP = ".feedgen-unodc-stamp"  # in the output folder; hidden, so that no server shows it


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for data in parts:
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@functools.cache
def _program() -> bytes:
    """The program's own code: a build made by other code (an upgrade, an edit) is not the same build.
    Read once a run: the code does not change while it runs."""
    package = Path(__file__).parent
    return b"".join(read_bytes(path) for path in sorted(package.glob("*.py")))


def context_digest(settings: str, vocabulary: bytes, removals: bytes) -> str:
    """What every document of a build depends on: the program, its settings, its vocabulary and the removals.

    A build in the same context as the last one may keep the documents of the
    years it does not read (`pipeline.documents`); in another, it makes them all.
    """
    return _digest(__version__.encode(), _program(), settings.encode(), vocabulary, removals)


def derivation_digest(vocabulary: bytes, listing_url: str) -> str:
    """What the links and topics kept in the archive were derived from: the program, the vocabulary and
    the listing's URL; when it changes, every story's are derived again."""
    return _digest(__version__.encode(), _program(), vocabulary, listing_url.encode())


def build_digest(context: str, listing: bytes, archive: Mapping[str, str], pages: bytes) -> str:
    """What a build is made from, in one line: its context, the listing, the archive's files (their names
    and SHA-256, `digests`), the story pages."""
    files = archive_digest(archive).encode()
    return _digest(context.encode(), hashlib.sha256(listing).digest(), files, hashlib.sha256(pages).digest())


def archive_digest(archive: Mapping[str, str]) -> str:
    """One digest of the archive's files (their names and SHA-256, `digests`)."""
    return hashlib.sha256("".join(f"{name}\0{sha}\n" for name, sha in archive.items()).encode()).hexdigest()


def digests(files: Mapping[str, bytes]) -> dict[str, str]:
    """The SHA-256 of each of `files`, by name, in their order."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


class Written(NamedTuple):
    """What the stamp says of a file a build wrote: its SHA-256 and its size in bytes."""

    sha256: str
    size: int | None = None  # None in a stamp of an earlier version


def _files(output: Path) -> tuple[str, list[tuple[Written, str]]]:
    """The stamp in `output`: its first line (the digests of the build, its context and its listing), and each file's
    (what was written, name); raises `OSError` without one.

    A stamp of an earlier version names each file with its digest alone, or names it alone (digest "").
    """
    recorded, *lines = read_bytes(output / STAMP).decode("utf-8", "replace").splitlines() or [""]
    files = []
    for line in lines:
        parts = line.split(" ", 2)
        if len(parts) == 3 and _SIZE.fullmatch(parts[1]):
            files.append((Written(parts[0], int(parts[1])), parts[2]))
        else:
            digest, space, name = line.partition(" ")
            files.append((Written(digest), name) if space else (Written(""), line))
    return recorded, files


_SIZE = re.compile(r"[0-9]{1,15}")  # bytes, as the stamp writes them


def _holds(path: Path, written: Written, before: int | None) -> bool:
    """True when the file `path` holds what the stamp says it was written with.

    A file of that size whose status last changed before the stamp was written (`before`: the stamp's
    ctime, in nanoseconds) holds it, unread: writing a file, renaming one into place or setting its
    times changes its ctime to the clock's, which nothing can set back; a file changed since, or at the
    same tick, is read and its SHA-256 compared.
    """
    if not written.sha256:
        return False
    if written.size is not None:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size != written.size:
            return False
        if before is not None and status.st_ctime_ns < before:
            return True
    return written.sha256 == hashlib.sha256(read_bytes(path)).hexdigest()


def _written_at(output: Path) -> int | None:
    """The stamp's ctime: when the last build wrote it (or a later one found it holding what it would)."""
    try:
        return os.stat(output / STAMP).st_ctime_ns
    except OSError:
        return None


def unchanged(output: Path, digest: str) -> bool:
    """True when the last build into `output` was made from `digest` and its files still hold what it wrote."""
    try:
        before = _written_at(output)
        recorded, files = _files(output)
        if recorded.split(" ")[0] != digest or not files:
            return False
        return all(_holds(output / name, written, before) for written, name in files)
    except (OSError, ValueError):  # no stamp, a file gone, a name no file can have
        return False


def kept(output: Path, context: str, archive: str) -> dict[str, Written]:
    """The files the last build into `output` wrote that still hold what it wrote, when it was made in the
    same `context` and left the archive's files as they are (`archive`, by `archive_digest`); none otherwise:
    files made of another archive (a run killed between the archive's renames and the stamp's, another
    output folder, one put back from a backup) are made again."""
    before = _written_at(output)
    try:
        recorded, files = _files(output)
    except (OSError, ValueError):
        return {}
    if recorded.split(" ")[1:2] != [context] or recorded.split(" ")[3:4] != [archive]:
        return {}
    result = {}
    for written, name in files:
        try:
            if _holds(output / name, written, before):
                result[name] = written
        except (OSError, ValueError):
            continue
    return result


def recorded(output: Path) -> tuple[str, str]:
    """The digest the last build into `output` was made from and the SHA-256 of its listing, by its
    stamp; ("", "") without one (a stamp of an earlier version gives no listing's)."""
    try:
        first = _files(output)[0].split(" ")
    except (OSError, ValueError):
        return "", ""
    return first[0], first[2] if len(first) > 2 else ""


def names(output: Path) -> list[str]:
    """The names of the files the last build into `output` wrote, by its stamp; none without one."""
    try:
        return [name for _, name in _files(output)[1] if name.strip()]
    except (OSError, ValueError):
        return []


def stamp(digest: str, context: str, listing: bytes, archive: str, files: Mapping[str, Written]) -> bytes:
    """The stamp's bytes: the build's digest, its context's, its listing's SHA-256 (a run whose listing
    differs has work, and sees it without reading the archive) and the digest of the archive's files it
    left (`archive_digest`), then the SHA-256, size and name of each file it wrote or kept."""
    head = f"{digest} {context} {hashlib.sha256(listing).hexdigest()} {archive}"
    lines = [head, *(f"{w.sha256} {w.size} {name}" for name, w in files.items())]
    return "\n".join(lines).encode() + b"\n"


def written(data: bytes) -> Written:
    """What the stamp says of a file that holds `data`."""
    return Written(hashlib.sha256(data).hexdigest(), len(data))
