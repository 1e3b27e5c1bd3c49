"""What each command does once it has work: read the inputs, run the pure core, say what was found, publish.

Called by `app.py` behind its seam. Each function holds the run lock while it
reads and writes the archive; whatever stops a run raises `Failure`.
Importing this module imports the core (`pipeline`), and with it
python-feedgen and lxml: that is why `app.py` imports it only when there is
work. The modules that need the network or a web server, or only serve one
command (`extract`, `fetch`, `serve`), are imported by the one function
that uses each.
"""

from __future__ import annotations

import errno
import signal
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from . import inputs, pagestore, pipeline, reports, stamp
from .app import BuildRequest, FetchRequest, Output
from .archive import Archive, ArchiveError, dumps, loads
from .archive import remove as remove_story
from .archive import restore as restore_story
from .catalog import catalog
from .errors import EXIT_DATA, EXIT_OK, EXIT_USAGE, PROG, Failure
from .files import read_bytes
from .lock import LockTimeout, locked
from .model import has_errors, warning
from .pagestore import KeptPage
from .publish import Outcome, PublishError, publish, stale
from .removals import RemovalsError
from .removals import dumps as removals_dumps
from .removals import loads as removals_loads
from .settings import DEFAULT_ARCHIVE, LISTING_URL, REMOVED_NAME, FeedSettings, pages_beside, removals_beside
from .topics import Topic, VocabularyError, load_vocabulary

# Errors of the environment that say the operator's settings are wrong, not the data.
_SETTINGS_ERRNOS = {errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}


# --- the inputs, the run lock and publishing ---------------------------------------------------


def _topics(data: bytes, path: Path | None) -> tuple[Topic, ...]:
    """The topics of the vocabulary `data`, read from `path` (None: the shipped one)."""
    try:
        topics = load_vocabulary(data)
        catalog(topics)  # no slug that would overwrite another file
        return topics
    except VocabularyError as exc:
        raise Failure(f"{path or 'topics.toml'}: error: {exc}", EXIT_USAGE) from exc


def _archive(path: Path) -> Archive:
    """The archive at `path` with the removals beside it; an empty one when there is none yet."""
    return _archive_and_legacy(path)[0]


def _archive_and_legacy(path: Path) -> tuple[Archive, bool]:
    """The archive at `path` with the removals beside it, and whether it holds removals of its own.

    An archive of an earlier version holds removals; the next build moves them
    to the removals file. A damaged archive or removals file is left as it is.
    """
    removals = removals_beside(path)
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        raise Failure(f"{path}: error: cannot read the archive: {exc.strerror or exc}", EXIT_USAGE) from exc
    try:
        archive = loads(data) if data else Archive()
    except ArchiveError as exc:
        raise Failure(f"{path}: error: {exc}; left as it is", EXIT_DATA) from exc
    decided = inputs.read_optional(removals, "removals")
    try:
        removed = {**archive.removed, **removals_loads(decided)} if decided else archive.removed
    except RemovalsError as exc:
        raise Failure(f"{removals}: error: {exc}; left as it is", EXIT_DATA) from exc
    return replace(archive, removed=removed), bool(archive.removed)


def _archive_files(path: Path, archive: Archive, removals: bool) -> dict[Path, bytes]:
    """The archive's files: with `removals`, the removals file first (a run killed between the two
    renames must not leave the removals in neither file), then the archive, which never holds them."""
    files = {removals_beside(path): removals_dumps(archive.removed)} if removals else {}
    files[path] = dumps(archive)
    return files


@contextmanager
def _locked(archive: Path, timeout: float) -> Iterator[None]:
    """Hold the run lock beside `archive`, or fail with one line."""
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(archive.with_name(archive.name + ".lock"), timeout))
        except LockTimeout as exc:
            raise Failure(f"{PROG}: error: {exc}", EXIT_DATA) from exc
        except OSError as exc:
            raise Failure(f"{exc.filename}: error: cannot lock: {exc.strerror}", EXIT_USAGE) from exc
        yield


def _publish(files: dict[Path, bytes]) -> Outcome:
    try:
        return publish(files)
    except PublishError as exc:
        code = EXIT_USAGE if exc.errno in _SETTINGS_ERRNOS else EXIT_DATA
        raise Failure(f"{exc.filename}: error: {exc.strerror}; nothing was published", code) from exc


# --- build and check ---------------------------------------------------------------------------


def build(request: BuildRequest, out: Output, now: datetime | None = None) -> int:
    """Merge the listing into the archive and publish every document; the exit status.

    With `check_only`, writes nothing and names the files a build would change.
    """
    vocabulary = inputs.vocabulary(request.topics)
    # --check writes nothing, so it takes no lock: it works in a read-only checkout.
    with nullcontext() if request.check_only else _locked(request.archive, request.lock_timeout):
        started = not request.archive.exists()
        data = inputs.read(request.source, "listing")
        archive, legacy = _archive_and_legacy(request.archive)
        pages_path = pages_beside(request.archive)
        pages = _pages(pages_path)
        result, problems = pipeline.plan_build(
            data,
            archive,
            pages=pages,
            full_text=request.full_text,
            topics=_topics(vocabulary, request.topics),
            settings=FeedSettings(base_url=request.base_url, listing_url=request.listing_url),
            limit=request.limit,
            regression_threshold=request.regression_threshold,
            force=request.force,
            now=now or datetime.now(UTC),
            strict=request.strict,
        )
        reports.problems(out, problems, str(request.source), quiet=request.quiet and not request.strict)
        if result is None:
            raise Failure(f"{request.source}: error: nothing was published (see above)", EXIT_DATA)
        # The build writes the removals file only to move an earlier version's removals into it:
        # otherwise it is the operator's, comments and all.
        removals = removals_beside(request.archive)
        files = _archive_files(request.archive, result.archive, removals=legacy)
        decided = files[removals] if legacy else inputs.read_optional(removals, "removals")
        made_of = stamp.inputs_digest(
            data, files[request.archive], decided, inputs.read_optional(pages_path, "story pages")
        )
        files.update({request.output / name: document for name, document in result.documents.items()})
        # Last: the stamp names the inputs of this build, and a run killed before it builds again.
        files[request.output / stamp.STAMP] = stamp.stamp(
            stamp.build_digest(request.settings_key(), vocabulary, made_of), result.documents
        )
        if request.check_only:
            outdated = stale(files)
            for path, state in outdated.items():
                out.warn(f"{path}: error: {state}; run '{PROG} build' to update it")
            return EXIT_DATA if outdated else EXIT_OK
        made_before = stamp.names(request.output)
        outcome = _publish(files)
    # Said even with --quiet, which leaves out the listing's warnings: a stamp names them once only.
    dropped = [name for name in made_before if name not in result.documents]
    if dropped:
        out.warn(
            f"{request.output}: warning: this build no longer makes {', '.join(dropped)} (a topic left the"
            " vocabulary?); left in place: see the README, 'Retiring a topic'"
        )
    if started and not request.quiet:
        out.say(f"{request.archive}: started a new archive, which keeps every story from now on")
    earlier = Path(DEFAULT_ARCHIVE)
    if started and earlier.is_file() and earlier.resolve() != request.archive.resolve():
        out.warn(
            f"{request.archive}: warning: started beside the listing while {earlier} exists, where earlier"
            f" versions kept the archive of every listing: to go on with it, move it (and {REMOVED_NAME}) beside"
            " the listing, or name it with --archive"
        )
    if request.verbose:
        out.say(reports.built(result.changes, len(outcome.written), len(outcome.unchanged)))
    return EXIT_OK


def check(source: Path, topics: Path | None, strict: bool, out: Output, now: datetime | None = None) -> int:
    """Read and normalize the listing, report its anomalies and a summary; write nothing. The exit status."""
    topic_list = _topics(inputs.vocabulary(topics), topics)
    today = (now or datetime.now(UTC)).date()
    items, problems = pipeline.read_listing(
        inputs.read(source, "listing"), listing_url=LISTING_URL, topics=topic_list, today=today
    )
    reports.problems(out, problems, str(source))
    out.say(f"{source}: {reports.summary(items, problems, topic_list)}")
    return EXIT_DATA if has_errors(problems, strict=strict) else EXIT_OK


# --- fetch and update --------------------------------------------------------------------------


def fetch(request: FetchRequest, out: Output) -> None:
    """Fetch the page into the source, then the story pages due; raise `Failure` when the page gives nothing usable.

    The downloads happen before the run lock is taken: a slow site must not
    make other runs wait. The lock covers the regression guard and the
    writes. The page's warnings are printed when the listing it gives differs
    from the source, as the build prints the listing's: not at every hourly run.
    Story pages are read after the listing, even when it did not change: a
    first run over a large archive spreads its reads over several runs.
    """
    _fetch_listing(request, out)
    if request.html is None and request.story_pages_per_run:
        _read_story_pages(request, out)


def _fetch_listing(request: FetchRequest, out: Output) -> None:
    from . import extract  # lxml
    from .fetch import FetchError, Validators, decode_html
    from .fetch import fetch as download  # the network

    source = request.source
    where = str(request.html or request.url)
    untouched = f"{source} left as it was" if source.exists() else f"{source} not written"
    validators: Validators | None = None
    saved = b""  # the fetch state: each URL's validators
    if request.html is not None:
        text, doubt = decode_html(inputs.read(request.html, "page"), None)
        doubts = [doubt] if doubt else []
    else:
        # Without a source, the last fetch's validators would only bring a 304 and nothing to build.
        saved = inputs.read_optional(request.validators, "fetch state")
        try:
            page = download(
                request.url,
                Validators.loads(saved, request.url) if source.exists() else Validators(),
                timeout=request.timeout,
                retries=request.retries,
                backoff=request.backoff,
                max_bytes=request.max_page_size,
            )
        except FetchError as exc:
            raise Failure(f"{PROG}: error: {exc}; {untouched}", EXIT_DATA) from exc
        if page.status == 304:
            if request.verbose:
                out.say(f"fetch: {request.url} not modified since the last fetch")
            return
        text, validators, doubts = page.text, page.validators, list(page.warnings)

    items, problems = extract.extract(text, request.url)
    problems = [warning(None, doubt) for doubt in doubts] + problems
    listing = extract.to_listing(items).encode("utf-8")
    refused = has_errors(problems, strict=request.strict)
    if refused or listing != inputs.read_optional(source, "listing"):
        reports.problems(out, problems, where, quiet=request.quiet and not request.strict)
    if refused:
        raise Failure(f"{where}: error: the page's stories cannot be told apart; {untouched}", EXIT_DATA)
    if not items:
        raise Failure(f"{PROG}: error: {where}: no dated items on the page; {untouched}", EXIT_DATA)
    with _locked(request.archive, request.lock_timeout):
        current = inputs.read_optional(source, "listing")  # again: another run may have written it meanwhile
        if not request.force and listing != current:
            _guard(listing, current, request)
        files = {source: listing}
        if validators is not None:
            files[request.validators] = validators.dumps(request.url, saved)
        outcome = _publish(files)
    if request.verbose:
        written = "written" if source in outcome.written else "unchanged"
        out.say(f"fetch: {len(items)} items from {where}; {source} {written}")


def _pages(path: Path) -> dict[str, KeptPage]:
    """What was kept of the story pages at `path`; none when there is no file yet."""
    data = inputs.read_optional(path, "story pages")
    try:
        return pagestore.loads(data) if data else {}
    except pagestore.PagesError as exc:
        raise Failure(f"{path}: error: {exc}; left as it is", EXIT_DATA) from exc


def _read_story_pages(request: FetchRequest, out: Output) -> None:
    """Read the story pages due, and keep what they gave beside the archive. A page never fails the run."""
    from .storyfetch import read_pages  # trafilatura, the network

    path = pages_beside(request.archive)
    listed, _ = pipeline.listing_items(inputs.read_optional(request.source, "listing"))
    archived = _archive(request.archive).published()
    # The listing's stories first (they are the newest), then the archive's: each page is read once.
    reading = read_pages(
        listed + archived,
        _pages(path),
        datetime.now(UTC),
        limit=request.story_pages_per_run,
        pause=request.story_page_pause,
        timeout=request.timeout,
        retries=request.retries,
        backoff=request.backoff,
        max_bytes=request.max_page_size,
        progress=None if request.quiet else out.progress,
    )
    reports.problems(out, reading.warnings, str(request.source), quiet=request.quiet)
    if not reading.pages:
        return
    with _locked(request.archive, request.lock_timeout):
        kept = _pages(path)  # again: another run may have written it meanwhile
        _publish({path: pagestore.dumps({**kept, **reading.pages})})
    if request.verbose:
        read = sum(1 for page in reading.pages.values() if not page.failures)
        out.say(f"fetch: {len(reading.pages)} story pages asked for, {read} read; kept in {path}")


def _guard(listing: bytes, current: bytes, request: FetchRequest) -> None:
    """Refuse a listing that drops most of the stories the last listing had: the build's own guard.

    The last listing is the one the last build published; before any build
    (no archive yet, or a deployment that only fetches), the current source.
    """
    known = _archive(request.archive)
    if not known.on_page:
        items, _ = pipeline.listing_items(current)
        known = Archive(on_page=tuple(item.id for item in items))
    dropped = pipeline.regression_of(listing, known, request.regression_threshold)
    if dropped is not None:
        raise Failure(f"{request.source}: error: {dropped.message}", EXIT_DATA)


# --- editing the archive -----------------------------------------------------------------------


def _edit_archive(archive: Path, lock_timeout: float, edit: Callable[[Archive], Archive]) -> tuple[Archive, Archive]:
    """Apply `edit` to the archive's removals under the run lock; the archive before and after."""
    with _locked(archive, lock_timeout):
        before, legacy = _archive_and_legacy(archive)
        after = edit(before)
        files = _archive_files(archive, after, removals=True)
        if not legacy:  # the removals alone: the archive is the builds' to write
            del files[archive]
        _publish(files)
    return before, after


def _story(archive: Archive, story_id: str) -> str:
    story = next((s for s in archive.stories if s.id == story_id), None)
    if story is not None:
        return f"{story.day.isoformat()} {story.title!r}"
    return repr(archive.removed[story_id].title) if archive.removed[story_id].title else "not in the archive"


def remove(archive: Path, lock_timeout: float, story_id: str, reason: str, out: Output) -> int:
    """Mark a story removed, with the time and the reason: no feed shows it again until `restore`."""
    now = datetime.now(UTC)
    try:
        before, after = _edit_archive(archive, lock_timeout, lambda a: remove_story(a, story_id, reason, now))
    except KeyError as exc:
        raise Failure(f"{archive}: error: no such story: {story_id}", EXIT_USAGE) from exc
    where = removals_beside(archive)
    out.say(f"removed {story_id} ({_story(after, story_id)}): {reason}; kept in {where}")
    earlier = before.removed.get(story_id)
    if earlier is not None:
        out.say(f"{where}: it was removed already; this reason replaced the earlier one: {earlier.reason}")
    return EXIT_OK


def restore(archive: Path, lock_timeout: float, story_id: str, out: Output) -> int:
    """Publish again a story `remove` took out."""
    try:
        before, _ = _edit_archive(archive, lock_timeout, lambda a: restore_story(a, story_id))
    except KeyError as exc:
        raise Failure(f"{removals_beside(archive)}: error: no removed story: {story_id}", EXIT_USAGE) from exc
    out.say(f"restored {story_id} ({_story(before, story_id)})")
    return EXIT_OK


# --- serving -----------------------------------------------------------------------------------


def serve(output: Path, host: str, port: int, out: Output) -> int:
    """Serve `output` until Ctrl-C, SIGTERM or SIGHUP, each of which stops it cleanly: exit 0."""
    from .serve import Server  # waitress

    try:
        server = Server(output, host, port)
    except OSError as exc:
        raise Failure(f"{PROG}: error: cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_USAGE) from exc
    address, bound = server.address
    out.say(f"Serving {output} at http://{address}:{bound}/ (Ctrl-C stops)")
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: server.stop())
    try:
        server.run()
    finally:
        server.close()
    return EXIT_OK
