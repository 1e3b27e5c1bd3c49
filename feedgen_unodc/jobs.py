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
import json
import re
import signal
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, nullcontext, suppress
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

from . import inputs, pagestore, pipeline, reports, stamp, websub
from .app import BuildRequest, FetchRequest, Output, StatusRequest, clock
from .archive import Archive, ArchiveError, Removal, loads
from .archive import remove as remove_story
from .archive import restore as restore_story
from .archivestore import (
    INDEX,
    Index,
    archive_of,
    by_year,
    dumps_index,
    dumps_year,
    fits,
    index_of,
    loads_index,
    loads_year,
    year_file,
)
from .catalog import ATOM, CSV, JSON_DATA, JSON_FEED, RSS, catalog
from .catalog import feeds as feeds_of
from .errors import EXIT_DATA, EXIT_OK, EXIT_USAGE, PROG, Failure
from .lock import LockTimeout, locked
from .model import Item, Problem, has_errors, warning
from .pagestore import KeptPage
from .publish import Outcome, PublishError, publish, stale
from .removals import RemovalsError
from .removals import dumps as removals_dumps
from .removals import loads as removals_loads
from .settings import (
    DEFAULT_ARCHIVE,
    LISTING_URL,
    REMOVED_NAME,
    FeedSettings,
    legacy_archive,
    pages_beside,
    pings_beside,
    removals_beside,
)
from .topics import Topic, VocabularyError, load_vocabulary
from .years import years_of

FEED_FORMATS = (ATOM, RSS, JSON_FEED)  # the subscription documents of each feed, which announce the hubs

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


class _Stored(NamedTuple):
    """The archive folder as found: its index, its year files' bytes, and an earlier version's archive."""

    folder: Path
    summary: Index
    years: dict[int, bytes]
    legacy: Archive | None  # archive.json beside the folder, not moved in yet
    fits: bool  # the index describes the year files as they are


def _stored(folder: Path, files: dict[str, bytes], shas: dict[str, str] | None = None) -> _Stored:
    """What the archive `folder` holds (`files`, by `inputs.archive_files`, and their `shas`, by
    `stamp.digests`); a damaged file fails the run."""
    legacy = legacy_archive(folder)
    years = {int(name[:4]): data for name, data in files.items() if name not in (INDEX, legacy.name)}
    shas = shas or stamp.digests(files)
    if INDEX not in files:
        if legacy.name in files and not years:
            try:
                return _Stored(folder, Index(), {}, loads(files[legacy.name]), False)
            except ArchiveError as exc:
                raise Failure(f"{legacy}: error: {exc}; left as it is", EXIT_DATA) from exc
        return _Stored(folder, Index(), years, None, not years)  # a lost index: every year is read
    try:
        index = loads_index(files[INDEX])
    except ArchiveError as exc:
        raise Failure(f"{folder / INDEX}: error: {exc}; left as it is", EXIT_DATA) from exc
    return _Stored(
        folder, index, years, None, fits(index, {int(name[:4]): shas[name] for name in files if name[:4].isdigit()})
    )


def _read_years(stored: _Stored, years: Iterable[int]) -> dict[int, tuple[Item, ...]]:
    result = {}
    for year in sorted(years, reverse=True):
        try:
            result[year] = loads_year(stored.years[year], year)
        except ArchiveError as exc:
            raise Failure(f"{stored.folder / year_file(year)}: error: {exc}; left as it is", EXIT_DATA) from exc
    return result


def _whole(stored: _Stored, removed: Mapping[str, Removal]) -> Archive:
    """Every story of the archive, with the removals."""
    if stored.legacy is not None:
        return replace(stored.legacy, removed={**stored.legacy.removed, **removed})
    # Every year read: the index gives the last listing alone (it may not fit the files).
    listed = Index(on_page=stored.summary.on_page)
    try:
        return archive_of(listed, _read_years(stored, stored.years), removed)
    except ArchiveError as exc:
        raise Failure(f"{stored.folder}: error: {exc}; left as it is", EXIT_DATA) from exc


def _removals(folder: Path) -> tuple[bytes, dict[str, Removal]]:
    """The removals file beside the archive `folder`: its bytes and the removals it holds."""
    path = removals_beside(folder)
    decided = inputs.read_optional(path, "removals")
    try:
        return decided, removals_loads(decided) if decided else {}
    except RemovalsError as exc:
        raise Failure(f"{path}: error: {exc}; left as it is", EXIT_DATA) from exc


def _archive(folder: Path) -> Archive:
    """The whole archive `folder`, with the removals beside it; an empty one when there is none yet."""
    _, removed = _removals(folder)
    return _whole(_stored(folder, inputs.archive_files(folder)), removed)


def _archive_files(
    folder: Path, archive: Archive, before: _Stored, derived: str, topics: tuple[Topic, ...], same: frozenset[int]
) -> dict[Path, bytes | None]:
    """The archive's files after a build: with an earlier version's removals, the removals file first (a
    run killed between two renames must not leave the removals in neither file), the files of the years
    read but those whose stories are as they were (`same`), the index; an earlier version's archive file
    is removed once its stories are in the folder."""
    files: dict[Path, bytes | None] = {}
    if before.legacy is not None and before.legacy.removed:
        files[removals_beside(folder)] = removals_dumps(archive.removed)
    years = by_year(archive.stories)
    made = {year: dumps_year(year, stories) for year, stories in years.items() if year not in same}
    for year in sorted(set(before.years) - archive.unread.years - set(years), reverse=True):
        files[folder / year_file(year)] = None  # its every story moved to another year
    files.update({folder / year_file(year): data for year, data in made.items()})
    kept = before.summary if before.fits and before.legacy is None else Index()
    index = index_of(archive, made, kept, derived, feeds_of(topics))
    files[folder / INDEX] = dumps_index(index)
    if before.legacy is not None:
        files[legacy_archive(folder)] = None
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


def _publish(files: Mapping[Path, bytes | None]) -> Outcome:
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
    topics = _topics(vocabulary, request.topics)
    folder = request.archive
    # --check writes nothing, so it takes no lock: it works in a read-only checkout.
    with nullcontext() if request.check_only else _locked(folder, request.lock_timeout):
        archived = inputs.archive_files(folder)
        shas = stamp.digests(archived)
        started = not archived
        data = inputs.read(request.source, "listing")
        decided, removed = _removals(folder)
        stored = _stored(folder, archived, shas)
        pages_path = pages_beside(folder)
        pages_data = inputs.read_optional(pages_path, "story pages")
        context = stamp.context_digest(request.settings_key(), vocabulary, decided)
        derived = stamp.derivation_digest(vocabulary, request.listing_url)
        kept = (
            {}
            if request.check_only or request.force
            else stamp.kept(request.output, context, stamp.archive_digest(shas))
        )
        result, problems = _plan(request, data, stored, removed, _pages(pages_path, pages_data), topics, now, kept,
                                 derived)  # fmt: skip
        reports.problems(out, problems, str(request.source), quiet=request.quiet and not request.strict)
        if result is None:
            raise Failure(f"{request.source}: error: nothing was published (see above)", EXIT_DATA)
        files = _archive_files(folder, result.archive, stored, derived, topics, result.same)
        if removals_beside(folder) in files:  # an earlier version's removals, moved out of its archive
            decided = files[removals_beside(folder)] or b""
            context = stamp.context_digest(request.settings_key(), vocabulary, decided)
        made_before = stamp.names(request.output)
        written = {
            name: stamp.written(doc) if doc is not None else kept[name] for name, doc in result.documents.items()
        }
        files.update({request.output / name: doc for name, doc in result.documents.items() if doc is not None})
        # Year pages and archive documents no longer made (their every story removed, or moved): removed.
        files.update({request.output / name: None for name in made_before if _of_a_year(name, topics, result)})
        # Last: the stamp names the inputs of this build, and a run killed before it builds again.
        after = _archive_after(shas, files, folder)
        digest = stamp.build_digest(context, data, after, pages_data)
        files[request.output / stamp.STAMP] = stamp.stamp(digest, context, data, stamp.archive_digest(after), written)
        if request.check_only:
            outdated = stale({path: content for path, content in files.items() if content is not None})
            for path, state in outdated.items():
                out.warn(f"{path}: error: {state}; run '{PROG} build' to update it")
            return EXIT_DATA if outdated else EXIT_OK
        outcome = _publish(files)
        _hub_pings(request, [request.output / feed.file(fmt) for feed in feeds_of(topics) for fmt in FEED_FORMATS
                             if request.output / feed.file(fmt) in outcome.written], out)  # fmt: skip
    # Said even with --quiet, which leaves out the listing's warnings: a stamp names them once only.
    dropped = [name for name in made_before if name not in result.documents and not _of_a_year(name, topics, result)]
    if dropped:
        out.warn(
            f"{request.output}: warning: this build no longer makes {', '.join(dropped)} (a topic left the"
            " vocabulary?); left in place: see the README, 'Retiring a topic'"
        )
    if started and not request.quiet:
        out.say(f"{folder}: started a new archive, which keeps every story from now on")
    if stored.legacy is not None and not request.quiet:
        out.say(f"{legacy_archive(folder)}: moved into {folder}/, a file per year")
    earlier = Path(DEFAULT_ARCHIVE)
    if started and _exists(earlier) and earlier.resolve() != folder.resolve():
        out.warn(
            f"{folder}: warning: started beside the listing while {earlier} exists, where earlier"
            f" versions kept the archive of every listing: to go on with it, move it (and {REMOVED_NAME}) beside"
            " the listing, or name it with --archive"
        )
    if request.verbose:
        out.say(reports.built(result.changes, len(outcome.written), len(outcome.unchanged)))
    return EXIT_OK


def _exists(archive: Path) -> bool:
    return archive.is_dir() or legacy_archive(archive).is_file()


def _archive_after(shas: dict[str, str], files: Mapping[Path, bytes | None], folder: Path) -> dict[str, str]:
    """The SHA-256 of the archive's files (`shas`, of those `inputs.archive_files` gave) once `files` are
    published, in the order `inputs.archive_files` gives them."""
    legacy = legacy_archive(folder)
    paths: dict[Path, str | None] = {
        (legacy if name == legacy.name else folder / name): sha for name, sha in shas.items()
    }
    for path, data in files.items():
        if path == legacy or path.parent == folder:
            paths[path] = None if data is None else stamp.written(data).sha256
    present = {path: sha for path, sha in paths.items() if sha is not None}
    first = {legacy.name: present.pop(legacy)} if legacy in present else {}
    return first | {path.name: present[path] for path in sorted(present)}


def _of_a_year(name: str, topics: tuple[Topic, ...], result: pipeline.Build) -> bool:
    """True when `name` is a year page or archive document of a feed that this build does not make."""
    return name not in result.documents and any(
        re.fullmatch(rf"{re.escape(feed.slug)}-\d{{4}}\.(html|atom\.xml)", name) for feed in feeds_of(topics)
    )


def _plan(
    request: BuildRequest,
    data: bytes,
    stored: _Stored,
    removed: dict[str, Removal],
    pages: dict[str, KeptPage],
    topics: tuple[Topic, ...],
    now: datetime | None,
    kept: dict[str, stamp.Written],
    derived: str,
) -> tuple[pipeline.Build | None, list[Problem]]:
    """Plan the build: reading the years it needs, keeping what the last build made of the others (`kept`)
    when it may; else reading every year and making every document."""
    settings = FeedSettings(base_url=request.base_url, listing_url=request.listing_url, hubs=request.hubs)
    plan = partial(
        pipeline.plan_build,
        data,
        pages=pages,
        full_text=request.full_text,
        topics=topics,
        settings=settings,
        limit=request.limit,
        regression_threshold=request.regression_threshold,
        force=request.force,
        now=now or datetime.now(UTC),
        strict=request.strict,
    )
    # --force reads every year and derives every link and topic again: the plain version of a build.
    whole = request.force or stored.legacy is not None or not stored.fits or stored.summary.derived != derived
    if kept and not whole:
        slugs = [feed.slug for feed in feeds_of(topics)]
        read = _read_years(stored, pipeline.years_to_read(data, stored.summary, slugs, request.limit))
        counts = {year: s.feeds for year, s in stored.summary.years.items()}
        # The data files' rows of the years not read are kept: they hold what the stamp says (`stamp.kept`).
        output = {name: inputs.read_optional(request.output / name, name) for name in (CSV, JSON_DATA) if name in kept}
        # And the entries of the archive documents of the years read, from bytes still as the stamp says.
        for name in (feed.archive(year) for feed in feeds_of(topics) for year in read):
            document = inputs.read_optional(request.output / name, name) if name in kept else b""
            if document and stamp.written(document) == kept[name]:
                output[name] = document
        previous = pipeline.Previous(frozenset(kept), years_of(counts, slugs, request.limit), output)
        try:
            some = archive_of(stored.summary, read, removed)
        except ArchiveError as exc:
            raise Failure(f"{stored.folder}: error: {exc}; left as it is", EXIT_DATA) from exc
        try:
            return plan(some, previous=previous)
        except pipeline.EveryYear:
            pass  # a document of a year not read would change: every year is read
    return plan(_whole(stored, removed), rederive=whole and stored.legacy is None)


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
    try:
        result = _fetch_listing(request, out)
    except Failure as failure:
        _record_fetch(request, "failed", failure.line)
        raise
    _record_fetch(request, "ok", result)
    if request.html is None and request.story_pages_per_run:
        _read_story_pages(request, out)


def _record_fetch(request: FetchRequest, result: str, detail: str) -> None:
    """Keep, beside the source, when the page was last fetched and what came of it, for `status`. Not an
    input of any build, nor committed: a record that cannot be written is left as it was."""
    if not request.record.parent.is_dir():
        return  # a fetch that wrote no source makes no folder for its record
    record = {"at": _iso(clock()), "url": str(request.html or request.url), "result": result, "detail": detail}
    with suppress(PublishError):
        publish({request.record: (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")})


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _fetch_listing(request: FetchRequest, out: Output) -> str:
    """Fetch the page into the source; what came of it, in a few words."""
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
            return "not modified since the last fetch (HTTP 304)"
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
    written = "written" if source in outcome.written else "unchanged"
    if request.verbose:
        out.say(f"fetch: {len(items)} items from {where}; {source} {written}")
    return f"{len(items)} items; the source {written}"


def _pages(path: Path, data: bytes | None = None) -> dict[str, KeptPage]:
    """What was kept of the story pages at `path` (which holds `data`, when read); none when there is no file yet."""
    data = inputs.read_optional(path, "story pages") if data is None else data
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
    """Apply `edit` to the archive's removals under the run lock; the archive before and after.

    Only the removals file is written: the archive is the builds' to write.
    """
    with _locked(archive, lock_timeout):
        before = _archive(archive)
        after = edit(before)
        _publish({removals_beside(archive): removals_dumps(after.removed)})
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


# --- WebSub pings ------------------------------------------------------------------------------


def _pending(path: Path, out: Output) -> set[websub.Ping]:
    """The pings kept in `path`; a damaged file is a warning, and its pings are lost (the feeds are not)."""
    data = inputs.read_optional(path, "pending pings")
    try:
        return websub.loads(data) if data else set()
    except websub.PingsError as exc:
        out.warn(f"{path}: warning: {exc}; its pings are dropped")
        return set()


def _hub_pings(request: BuildRequest, changed: list[Path], out: Output) -> None:
    """After a build (the run lock held): ping each hub for each feed whose file `changed`, and send the
    pings kept from earlier runs; keep, beside the archive, those not delivered (all, with --defer-pings)."""
    path = pings_beside(request.archive)
    if not request.hubs and not path.exists():
        return
    urls = [f"{request.base_url}{file.name}" for file in changed]
    pending = websub.due(_pending(path, out), request.hubs, urls)
    if pending and not request.defer_pings:
        from .fetch import notify  # the network

        delivered, failures = websub.deliver(pending, notify)
        pending -= delivered
        for line in websub.failure_lines(failures, pending, str(path)):
            out.warn(line)
    _publish({path: websub.dumps(pending) if pending else None})


def ping_after_build(request: BuildRequest, changed: list[Path], out: Output) -> None:
    """`_hub_pings` for a build that found nothing to do: the pings earlier runs kept, under the run lock."""
    with _locked(request.archive, request.lock_timeout):
        _hub_pings(request, changed, out)


def ping(archive: Path, lock_timeout: float, verbose: bool, out: Output) -> int:
    """Send every ping kept beside `archive`; keep those a hub did not take. The exit status: 0, a hub
    that fails being a warning (its pings wait for the next run or the next `ping`)."""
    from .fetch import notify  # the network

    path = pings_beside(archive)
    with _locked(archive, lock_timeout):
        pending = _pending(path, out)
        delivered, failures = websub.deliver(pending, notify)
        left = pending - delivered
        for line in websub.failure_lines(failures, left, str(path)):
            out.warn(line)
        _publish({path: websub.dumps(left) if left else None})
    if verbose:
        out.say(f"ping: {len(delivered)} delivered, {len(left)} kept in {path}" if pending else "ping: none kept")
    return EXIT_OK


# --- status ------------------------------------------------------------------------------------


def status(request: StatusRequest, out: Output, now: datetime) -> int:
    """What an operator asks first: the last fetch, the feeds' last change, the stories, the newest one's
    date, the story pages pending; exit 1 (a line on stderr) when the newest story is older than
    `stale_after_days`, or there is none."""
    from .storyplan import due

    record = _fetch_record(request.record)
    topics = _topics(inputs.vocabulary(request.topics), request.topics)
    feed_files = [request.output / feed.file(fmt) for feed in feeds_of(topics) for fmt in FEED_FORMATS]
    changed = max(((path.stat().st_mtime, path) for path in feed_files if path.is_file()), default=None)
    changed_at = _iso(datetime.fromtimestamp(changed[0], UTC)) if changed else None
    archive = _archive(request.archive)
    published = archive.published()
    listed, _ = pipeline.listing_items(inputs.read_optional(request.source, "listing"))
    newest = max((story.day for story in published), default=None)
    pending = len(due(listed + published, _pages(pages_beside(request.archive)), now, limit=len(published) + 1))
    age = (now.date() - newest).days if newest else None
    stale = age is None or age > request.stale_after_days
    facts = {
        "fetched": record,
        "feeds_changed": changed_at,
        "stories": len(published),
        "removed": len(archive.removed),
        "listed": len(listed),
        "newest": newest.isoformat() if newest else None,
        "story_pages_pending": pending,
        "stale_after_days": request.stale_after_days,
        "stale": stale,
    }
    if request.as_json:
        out.say(json.dumps(facts, ensure_ascii=False))
    else:
        fetched = (f"{record['at']}, {record['url']}: {record['result']}, {record['detail']}" if record
                   else "never (no record beside the source)")  # fmt: skip
        out.say(f"last fetch: {fetched}")
        out.say(f"feeds last changed: {f'{changed_at} ({changed[1].name})' if changed else 'never'}")
        out.say(f"archive: {len(published)} stories published, {len(archive.removed)} removed; the page lists"
                f" {len(listed)}")  # fmt: skip
        out.say(f"newest story: {facts['newest']} ({age} days ago)" if newest else "newest story: none")
        out.say(f"story pages pending: {pending}")
    if stale:
        why = (f"the newest story, of {newest.isoformat()}, is {age} days old (more than {request.stale_after_days})"
               if newest else "the archive holds no story")  # fmt: skip
        out.warn(f"{request.archive}: error: stale: {why}: the page may have moved, or the extractor broken")
        return EXIT_DATA
    return EXIT_OK


def _fetch_record(path: Path) -> dict[str, str] | None:
    """The last fetch's record (`_record_fetch`), or None without a readable one."""
    try:
        record = json.loads(inputs.read_optional(path, "fetch record") or b"null")
    except (ValueError, RecursionError):
        return None
    keys = ("at", "url", "result", "detail")
    if not isinstance(record, dict) or not all(isinstance(record.get(k), str) for k in keys):
        return None
    return {k: record[k] for k in keys}
