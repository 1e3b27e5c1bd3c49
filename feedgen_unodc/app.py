"""The application layer: one function per command, which the command line calls.

Each takes the command's options as values (a request, for the commands
with many) and an `Output`, and returns the exit status (`fetch` returns
nothing: it publishes no feed) or raises `Failure` (see `errors.py`). The work
itself is done in `jobs.py`: reading the inputs, running the pure core
(`pipeline`, `extract`), reporting, publishing.

The one seam: most cron runs are a build that finds nothing changed, and it
must cost little more than starting Python and click. This module imports
only what that up-to-date check needs (`stamp`, `inputs`, `files`); each
function imports `jobs`, and with it the archive, the pipeline, python-feedgen
and lxml, when it has work to do.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple, Protocol

from . import inputs, stamp
from .errors import EXIT_OK, EXIT_USAGE, PROG, Failure, Stopped
from .files import unusable
from .settings import pages_beside, pings_beside, removals_beside


class Output(Protocol):
    """Where a run's lines go: `say` for what was asked (stdout), `warn` for problems (stderr)."""

    def say(self, line: str) -> None: ...

    def warn(self, line: str) -> None: ...

    def progress(self, done: int, total: int) -> None:
        """`done` of `total` story pages read: shown on a terminal, nowhere else."""


class BuildRequest(NamedTuple):
    """What `build` is asked to do (the options of `build`, see its --help)."""

    source: Path
    archive: Path
    output: Path
    base_url: str
    listing_url: str
    limit: int
    topics: Path | None
    regression_threshold: float
    force: bool
    strict: bool
    lock_timeout: float
    quiet: bool
    verbose: bool
    full_text: bool = False  # publish the story pages' whole text (see the README: off by default)
    check_only: bool = False
    hubs: tuple[str, ...] = ()  # WebSub hubs, announced by the feeds and pinged when they change
    defer_pings: bool = False  # keep the pings for `ping`, the output not being live yet
    healthcheck_url: str | None = None  # a monitor pinged after the run (`health.py`)
    healthcheck_start: bool = False  # and when it starts

    def settings_key(self) -> str:
        """The settings a build's documents depend on, for the up-to-date check."""
        return repr((self.base_url, self.listing_url, self.limit, self.regression_threshold, self.strict,
                     self.full_text, self.hubs))  # fmt: skip


class FetchRequest(NamedTuple):
    """What `fetch` is asked to do (the options of `fetch`, see its --help)."""

    url: str
    html: Path | None
    timeout: float
    retries: int
    backoff: float
    max_page_size: int
    story_pages_per_run: int
    story_page_pause: float
    source: Path
    archive: Path
    regression_threshold: float
    force: bool
    strict: bool
    lock_timeout: float
    quiet: bool
    verbose: bool

    @property
    def validators(self) -> Path:
        """Beside the source, not committed: the last answer's ETag and Last-Modified."""
        return self.source.with_name(self.source.stem + ".http.json")

    @property
    def record(self) -> Path:
        return fetch_record(self.source)


def fetch_record(source: Path) -> Path:
    """Beside the source, not committed: when the page was last fetched and what came of it (`status`)."""
    return source.with_name(source.stem + ".fetch.json")


class StatusRequest(NamedTuple):
    """What `status` is asked (the options of `status`, see its --help)."""

    source: Path
    archive: Path
    output: Path
    topics: Path | None
    stale_after_days: int
    as_json: bool

    @property
    def record(self) -> Path:
        return fetch_record(self.source)


CLOCK_ENV = "SOURCE_DATE_EPOCH"  # https://reproducible-builds.org/specs/source-date-epoch/


def clock() -> datetime:
    """The time a build records as now (a story first seen, a correction seen): the clock's, or for a
    reproducible build the one $SOURCE_DATE_EPOCH gives, in seconds since 1970."""
    given = os.environ.get(CLOCK_ENV)
    if given is None:
        return datetime.now(UTC)
    try:
        if not given.isdigit():
            raise ValueError(given)
        return datetime.fromtimestamp(int(given), UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise Failure(
            f"{PROG}: error: ${CLOCK_ENV} must be a whole number of seconds, not {given!r}", EXIT_USAGE
        ) from exc


def build(request: BuildRequest, out: Output, now: datetime | None = None) -> int:
    """Merge the listing into the archive and publish every document; the exit status.

    Returns at once when the last build was made from the same program,
    settings, vocabulary, listing and archive and its files are all there
    (sending the hub pings an earlier run could not). With `check_only`,
    writes nothing and names the files a build would change. With a health
    check URL, the monitor hears how the run ended.
    """
    return _watched(request, out, lambda seen: _build(request, seen, now))


def _build(request: BuildRequest, out: Output, now: datetime | None) -> int:
    problem = unusable(request.output)
    if problem is not None:
        raise Failure(f"{request.output}: error: cannot use the output folder: {problem.strerror}", EXIT_USAGE)
    listing = inputs.read(request.source, "listing")
    if not request.check_only and not request.force and stamp.recorded(request.output)[1] in ("", _sha(listing)):
        removals = inputs.read_optional(removals_beside(request.archive), "removals")
        context = stamp.context_digest(request.settings_key(), inputs.vocabulary(request.topics), removals)
        digest = stamp.build_digest(
            context,
            listing,
            stamp.digests(inputs.archive_files(request.archive)),
            inputs.read_optional(pages_beside(request.archive), "story pages"),
        )
        if stamp.unchanged(request.output, digest):
            if request.verbose:
                out.say("build: nothing changed since the last build")
            if pings_beside(request.archive).exists() and not request.defer_pings:
                from . import jobs  # the seam: pings an earlier run could not deliver

                jobs.ping_after_build(request, [], out)
            return EXIT_OK
    from . import jobs  # the seam

    return jobs.build(request, out, now or clock())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check(source: Path, topics: Path | None, strict: bool, out: Output, now: datetime | None = None) -> int:
    """Read and normalize the listing, report its anomalies and a summary; write nothing. The exit status."""
    from . import jobs  # the seam

    return jobs.check(source, topics, strict, out, now)


def fetch(request: FetchRequest, out: Output) -> None:
    """Fetch the page into the source; raise `Failure` when it gives nothing usable."""
    from . import jobs  # the seam

    jobs.fetch(request, out)


def update(fetch_request: FetchRequest, build_request: BuildRequest, out: Output) -> int:
    """Fetch the page, then build: the cron job. The exit status. With a health check URL, the monitor
    hears how the whole run ended."""

    def run(seen: Output) -> int:
        fetch(fetch_request, seen)
        return _build(build_request, seen, None)

    return _watched(build_request, out, run)


def ping(archive: Path, lock_timeout: float, verbose: bool, out: Output) -> int:
    """Send the WebSub pings that builds kept (deferred, or not taken by a hub); a hub that fails is a
    warning and keeps its pings. The exit status."""
    from . import jobs  # the seam

    return jobs.ping(archive, lock_timeout, verbose, out)


def status(request: StatusRequest, out: Output) -> int:
    """What an operator asks first, in a few lines; exit 1 when the newest story is stale."""
    from . import jobs  # the seam

    return jobs.status(request, out, clock())


class _Seen:
    """An `Output` that passes every line on and keeps the error lines, for a health check's failure."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.errors: list[str] = []

    def say(self, line: str) -> None:
        self.out.say(line)

    def warn(self, line: str) -> None:
        if ": error: " in line:
            self.errors.append(line)
        self.out.warn(line)

    def progress(self, done: int, total: int) -> None:
        self.out.progress(done, total)


def _watched(request: BuildRequest, out: Output, run: Callable[[Output], int]) -> int:
    """`run`, its end told to the health check monitor when there is one (not for `--check`, which is not
    a run of the job). A ping that fails is a warning line: the run's outcome and status stay its own."""
    url = request.healthcheck_url
    if not url or request.check_only:
        return run(out)
    from . import health  # the network

    def tell(event: str, lines: list[str] | None = None) -> None:
        problem = health.ping(url, event, lines)
        if problem is not None:
            out.warn(problem)

    if request.healthcheck_start:
        tell("start")
    seen = _Seen(out)
    try:
        code = run(seen)
    except Failure as failure:
        tell("fail", [*seen.errors, failure.line])
        raise
    except Stopped as stopped:
        tell("fail", [*seen.errors, f"{PROG}: error: stopped by {stopped.name}"])
        raise
    tell("" if code == EXIT_OK else "fail", seen.errors if code != EXIT_OK else None)
    return code


def remove(archive: Path, lock_timeout: float, story_id: str, reason: str, out: Output) -> int:
    """Mark a story removed, with the time and the reason: no feed shows it again until `restore`."""
    from . import jobs  # the seam

    return jobs.remove(archive, lock_timeout, story_id, reason, out)


def restore(archive: Path, lock_timeout: float, story_id: str, out: Output) -> int:
    """Publish again a story `remove` took out."""
    from . import jobs  # the seam

    return jobs.restore(archive, lock_timeout, story_id, out)


def serve(output: Path, host: str, port: int, out: Output) -> int:
    """Serve `output` until Ctrl-C, SIGTERM or SIGHUP, each of which stops it cleanly: exit 0."""
    from . import jobs  # the seam

    return jobs.serve(output, host, port, out)
