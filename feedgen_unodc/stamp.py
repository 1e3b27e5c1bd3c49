"""The up-to-date check: what the last build was made from, so that an hourly run with nothing new costs little.

A build writes, last of all, a stamp into the output folder: a digest of what
it was made from (the program's version and code, its settings, the topic
vocabulary, the listing, the archive, the removals and the story pages) and the name and
SHA-256 of each file it wrote. The next build with the same digest, whose
files all still hold what it wrote, has nothing to do, and sees it without
importing feedgen or lxml. A file edited by hand (or deleted) since is seen,
and the build writes it again, as `build --check` advises.

The inputs and the published files are read and hashed at every run: for an
archive of 10,000 stories (6.6 MB, and 8 MB of pages) that is about 45 ms of
an unchanged run's 0.17 s (README, Benchmarks), and under 1 ms for the seed:
too little to pay for a cache of their sizes and modification times, which
would miss an edit that keeps both, and would put clock times in a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from . import __version__
from .files import read_bytes

STAMP = ".feedgen-unodc-stamp"  # in the output folder; hidden, so that no server shows it


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for data in parts:
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _program() -> bytes:
    """The program's own code: a build made by other code (an upgrade, an edit) is not the same build."""
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


def build_digest(context: str, listing: bytes, archive: Mapping[str, bytes], pages: bytes) -> str:
    """What a build is made from, in one line: its context, the listing, the archive's files, the story pages."""
    files = b"".join(name.encode() + b"\0" + hashlib.sha256(data).digest() for name, data in archive.items())
    return _digest(context.encode(), hashlib.sha256(listing).digest(), files, hashlib.sha256(pages).digest())


def _files(output: Path) -> tuple[str, list[tuple[str, str]]]:
    """The stamp in `output`: its first line (the build's digest and its context's), and each file's
    (SHA-256, name); raises `OSError` without one.

    A stamp of an earlier version names the files alone: their digests are "".
    """
    recorded, *lines = read_bytes(output / STAMP).decode("utf-8", "replace").splitlines() or [""]
    files = []
    for line in lines:
        digest, space, name = line.partition(" ")
        files.append((digest, name) if space else ("", line))
    return recorded, files


def unchanged(output: Path, digest: str) -> bool:
    """True when the last build into `output` was made from `digest` and its files still hold what it wrote."""
    try:
        recorded, files = _files(output)
        if recorded.partition(" ")[0] != digest or not files:
            return False
        for written, name in files:
            if not written or written != hashlib.sha256(read_bytes(output / name)).hexdigest():
                return False
    except (OSError, ValueError):  # no stamp, a file gone, a name no file can have
        return False
    return True


def names(output: Path) -> list[str]:
    """The names of the files the last build into `output` wrote, by its stamp; none without one."""
    try:
        return [name for _, name in _files(output)[1] if name.strip()]
    except OSError:
        return []


def kept(output: Path, context: str) -> dict[str, str]:
    """The files the last build into `output` wrote that still hold what it wrote (name -> SHA-256), when it
    was made in the same `context`; none otherwise."""
    try:
        recorded, files = _files(output)
    except (OSError, ValueError):
        return {}
    if recorded.partition(" ")[2] != context:
        return {}
    result = {}
    for written, name in files:
        try:
            if written and written == hashlib.sha256(read_bytes(output / name)).hexdigest():
                result[name] = written
        except (OSError, ValueError):
            continue
    return result


def stamp(digest: str, context: str, files: Mapping[str, str]) -> bytes:
    """The stamp's bytes: the build's digest and its context's, then the SHA-256 and name of each file it
    wrote or kept (`files`: name -> SHA-256)."""
    lines = [f"{digest} {context}", *(f"{sha} {name}" for name, sha in files.items())]
    return "\n".join(lines).encode() + b"\n"


def sha256(data: bytes) -> str:
    """The SHA-256 of `data`, as the stamp writes it."""
    return hashlib.sha256(data).hexdigest()
