"""The `feedgen-unodc` command: the only place that touches the environment.

It reads the files, the options, the settings file and the clock, calls the
pure core, prints the report and writes the results. Exit status: 0 ok; 1 the
data or the page has a problem, or a run could not finish (nothing was
published); 2 a usage error (a bad option, value or setting, a source that
cannot be read, a folder that cannot be used).

Imports are kept light until a command needs more: a build that finds nothing
changed must cost little more than starting Python and click.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__, values
from .files import read_bytes
from .settings import (
    BASE_URL_ENV,
    DEFAULT_ARCHIVE,
    DEFAULT_BASE_URL,
    DEFAULT_LIMIT,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_OUTPUT,
    DEFAULT_REGRESSION_THRESHOLD,
    DEFAULT_SETTINGS_FILE,
    DEFAULT_SOURCE,
    LISTING_URL,
    SETTINGS_ENV,
    SHIPPED_VOCABULARY,
    SettingsError,
    normalize_base_url,
    read_settings_file,
)
from .text import excerpt

if TYPE_CHECKING:
    from .model import Item, Problem, Sink
    from .publish import Content

PROG = "feedgen-unodc"
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
STAMP = ".feedgen-unodc-stamp"  # in the output folder: what the last build was made from

# Errors of the environment that say the operator's settings are wrong, not the data.
_SETTINGS_ERRNOS = {errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}

F = TypeVar("F", bound=Callable[..., Any])


class _Fail(Exception):
    """Stop a command with one line on stderr and an exit status."""

    def __init__(self, line: str, code: int) -> None:
        super().__init__(line)
        self.line = line
        self.code = code


class Stopped(Exception):
    """The run was told to stop (SIGTERM, SIGHUP): it ends as a failure does, removing what it was writing."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.name = signal.Signals(signum).name


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


class _Cli(click.Group):
    """A group whose errors are one line on stderr, as cron mail should be."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(args, prog_name or PROG, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            code = EXIT_USAGE
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else PROG
            click.echo(f"{PROG}: error: {exc.format_message()} (see '{command} --help')", err=True)
            code = EXIT_USAGE
        except click.ClickException as exc:
            click.echo(f"{PROG}: error: {exc.format_message()}", err=True)
            code = exc.exit_code
        except _Fail as fail:
            click.echo(fail.line, err=True)
            code = fail.code
        except Stopped as stopped:
            click.echo(f"{PROG}: error: stopped by {stopped.name}; no file was left half-written", err=True)
            code = EXIT_DATA
        except click.Abort:
            click.echo(f"{PROG}: aborted", err=True)
            code = EXIT_DATA
        code = code if isinstance(code, int) else EXIT_OK
        if standalone_mode:
            sys.exit(code)
        return code


def entry() -> None:
    """The `feedgen-unodc` command and `python -m feedgen_unodc`: `main`, then a quick exit.

    The process ends here, so it skips the interpreter's teardown: releasing
    every module (lxml, feedgen, click) and object one by one costs a cron run
    more than an unchanged build does. Every file is closed by then; standard
    output and error are flushed first.
    """
    # systemd stops a unit with SIGTERM, a closed terminal sends SIGHUP: a run ends cleanly on either.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    code = main(prog_name=PROG, standalone_mode=False)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when the command was started with it closed
                stream.flush()
        except OSError:  # a reader that went away (`| head`): nothing more can be said
            pass
    os._exit(code if isinstance(code, int) else EXIT_OK)


# --- options shared by several commands -------------------------------------------------------


def _base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return normalize_base_url(value)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


class _Path(click.Path):
    """A path that may not be empty: an unset $OUTPUT in a cron line must not mean the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("must not be empty", param, ctx)
        return super().convert(value, param, ctx)


def _http_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from .urls import http_url_problem

    problem = http_url_problem(value)
    if problem is not None:
        raise click.BadParameter(f"{excerpt(value)} {problem}", ctx=ctx, param=param)
    return value


source_option = click.option(
    "--source",
    type=_Path(dir_okay=False, path_type=Path),
    default=DEFAULT_SOURCE,
    show_default=True,
    help="The listing in its text format (see the README).",
)
archive_option = click.option(
    "--archive",
    type=_Path(dir_okay=False, path_type=Path),
    default=DEFAULT_ARCHIVE,
    show_default=True,
    help="The archive of every story published (created if missing).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: publish nothing when there are any."
)
topics_option = click.option(
    "--topics",
    type=_Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="A topic vocabulary file (TOML) instead of the shipped one.",
)
lock_timeout_option = click.option(
    "--lock-timeout",
    type=values.LOCK_TIMEOUT,
    default=DEFAULT_LOCK_TIMEOUT,
    show_default=True,
    help="Seconds to wait for another run to finish.",
)
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say what happened, on stdout.")


def build_options(function: F) -> F:
    """The options of `build`, which `update` shares."""
    for option in reversed(
        [
            source_option,
            archive_option,
            click.option(
                "--output",
                type=_Path(file_okay=False, path_type=Path),
                default=DEFAULT_OUTPUT,
                show_default=True,
                help="The folder the feed files are written to (created if missing).",
            ),
            click.option(
                "--base-url",
                envvar=BASE_URL_ENV,
                show_envvar=True,
                default=DEFAULT_BASE_URL,
                show_default=True,
                callback=_base_url,
                help="The public URL of the output folder, for each feed's rel=self link.",
            ),
            click.option(
                "--listing-url",
                default=LISTING_URL,
                show_default=True,
                callback=_http_url,
                help="The page the stories come from: the feeds' alternate link.",
            ),
            click.option(
                "--limit",
                type=values.LIMIT,
                default=DEFAULT_LIMIT,
                show_default=True,
                help="Entries per feed, newest first; the archive keeps every story.",
            ),
            topics_option,
            click.option(
                "--regression-threshold",
                type=values.SHARE,
                default=DEFAULT_REGRESSION_THRESHOLD,
                show_default=True,
                help="Refuse a listing that drops more than this share of the last listing's stories.",
            ),
            click.option(
                "--force",
                is_flag=True,
                help="Build even when nothing changed, and publish even a listing that drops most stories.",
            ),
            strict_option,
            lock_timeout_option,
            click.option("--quiet", "-q", is_flag=True, help="Print errors only, not warnings (for cron)."),
            verbose_option,
        ]
    ):
        function = option(function)
    return function


# --- helpers ----------------------------------------------------------------------------------


def _read(path: Path, what: str) -> bytes:
    try:
        return read_bytes(path)
    except OSError as exc:
        raise _Fail(f"{path}: error: cannot read the {what}: {exc.strerror or exc}", EXIT_USAGE) from exc


def _report(problems: list[Problem], source: Path | str, *, quiet: bool = False) -> None:
    from .model import Level

    for problem in problems:
        if not quiet or problem.level is Level.ERROR:
            click.echo(problem.format(str(source)), err=True)


def _vocabulary(path: Path | None) -> bytes:
    try:
        return read_bytes(path or SHIPPED_VOCABULARY)
    except OSError as exc:
        raise _Fail(f"{path}: error: cannot read the vocabulary: {exc.strerror or exc}", EXIT_USAGE) from exc


def _topics(data: bytes, path: Path | None) -> Any:
    from .topics import VocabularyError, load_vocabulary

    try:
        return load_vocabulary(data)
    except VocabularyError as exc:
        raise _Fail(f"{path or 'topics.toml'}: error: {exc}", EXIT_USAGE) from exc


def _load_archive(path: Path) -> Any:
    from .archive import Archive, ArchiveError, loads

    try:
        data = read_bytes(path)
    except FileNotFoundError:
        return Archive()
    except OSError as exc:
        raise _Fail(f"{path}: error: cannot read the archive: {exc.strerror or exc}", EXIT_USAGE) from exc
    try:
        return loads(data)
    except ArchiveError as exc:
        raise _Fail(f"{path}: error: {exc}; left as it is", EXIT_DATA) from exc


def _publish(files: Mapping[Path, Content]) -> Any:
    from .publish import PublishError, publish

    try:
        return publish(files)
    except PublishError as exc:
        code = EXIT_USAGE if exc.errno in _SETTINGS_ERRNOS else EXIT_DATA
        raise _Fail(f"{exc.filename}: error: {exc.strerror}; nothing was published", code) from exc


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """No cyclic garbage collection while the pipeline runs.

    A build makes millions of small objects (items, strings, feed entries) and no
    reference cycles; the collector's passes over them, each over everything
    still alive, cost a large build a tenth of its time for nothing.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _locked(archive: Path, timeout: float) -> Iterator[None]:
    """Hold the run lock beside `archive`, or fail with one line."""
    from .lock import LockTimeout, locked

    with ExitStack() as stack:
        try:
            stack.enter_context(locked(archive.with_name(archive.name + ".lock"), timeout))
        except LockTimeout as exc:
            raise _Fail(f"{PROG}: error: {exc}", EXIT_DATA) from exc
        except OSError as exc:
            raise _Fail(f"{exc.filename}: error: cannot lock: {exc.strerror}", EXIT_USAGE) from exc
        yield


def _program() -> bytes:
    """The program's own code: a build made by other code (an upgrade, an edit) is not the same build."""
    package = Path(__file__).parent
    return b"".join(path.read_bytes() for path in sorted(package.glob("*.py")))


def _stamp(settings: str, vocabulary: bytes, inputs: str) -> str:
    """What a build was made from, in one line: a digest of the program, its settings and its inputs."""
    return _digest(__version__.encode(), _program(), settings.encode(), vocabulary, inputs.encode())


def _cache(archive: Path) -> Path:
    """Beside the archive, not committed: the inputs' digest, by their sizes and modification times."""
    return archive.with_name(archive.name + ".digest")


def _signature(*paths: Path) -> str:
    """The files' sizes and modification times: what changes whenever a program writes them."""
    parts = []
    for path in paths:
        try:
            status = path.stat()
            parts.append(f"{status.st_size}:{status.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return " ".join(parts)


def _inputs_digest(source: Path, archive: Path, cache: Path) -> str:
    """The digest of the listing and the archive, read from the cache while their sizes and times hold.

    Hashing a large archive at every cron run would make an unchanged build
    cost more as the archive grows; make(1) trusts modification times too.
    """
    try:
        cached = _read_optional(cache).decode("utf-8", "replace").splitlines()
    except _Fail:
        cached = []
    if len(cached) == 2 and cached[0] == _signature(source, archive):
        return cached[1]
    from .digests import sha256

    return _inputs(sha256(_read(source, "listing")), sha256(_read_optional(archive)))


def _inputs(listing: Any, archive: Any) -> str:
    """The digest of the inputs, from the SHA-256 of the listing and of the archive."""
    return _digest(listing.digest(), archive.digest())


class _Hashing:
    """A sink that hashes what it passes on."""

    def __init__(self, sink: Sink, digest: Any) -> None:
        self._sink, self._digest = sink, digest

    def write(self, data: bytes, /) -> object:
        self._digest.update(data)
        return self._sink.write(data)


def _remember(source: Path, archive: Path, cache: Path, digest: str) -> None:
    # Best effort: without the cache the next build hashes the inputs again, nothing worse.
    text = f"{_signature(source, archive)}\n{digest}\n"
    with contextlib.suppress(OSError, _Fail):  # _Fail: a cache path that is a folder, say
        if _read_optional(cache).decode("utf-8", "replace") != text:
            cache.write_text(text, encoding="utf-8")


def _digest(*parts: bytes) -> str:
    from .digests import sha256

    digest = sha256()
    for data in parts:
        digest.update(len(data).to_bytes(8, "big") + data)
    return str(digest.hexdigest())


def _unchanged(stamp_path: Path, stamp: str) -> bool:
    """True when the last build was made from the same inputs and its files are all still there.

    The stamp file holds the digest, then the names of the files the build wrote.
    """
    digest, *names = _read_optional(stamp_path).decode("utf-8", "replace").splitlines() or [""]
    return digest == stamp and bool(names) and all((stamp_path.parent / name).is_file() for name in names)


# --- the build --------------------------------------------------------------------------------


def _build(
    *,
    source: Path,
    archive: Path,
    output: Path,
    base_url: str,
    listing_url: str,
    limit: int,
    topics: Path | None,
    regression_threshold: float,
    force: bool,
    strict: bool,
    lock_timeout: float,
    quiet: bool,
    verbose: bool,
    check_only: bool = False,
) -> int:
    settings_key = repr((base_url, listing_url, limit, regression_threshold, strict))
    stamp_path = output / STAMP
    vocabulary = _vocabulary(topics)
    if not check_only and not force:
        # The cheap path of most cron runs: nothing changed since the last build.
        stamp = _stamp(settings_key, vocabulary, _inputs_digest(source, archive, _cache(archive)))
        if _unchanged(stamp_path, stamp):
            if verbose:
                click.echo("build: nothing changed since the last build")
            return EXIT_OK

    # --check writes nothing, so it takes no lock: it works in a read-only checkout.
    with nullcontext() if check_only else _locked(archive, lock_timeout), _without_cycle_collection():
        from datetime import UTC, datetime

        from .archive import write
        from .digests import sha256
        from .pipeline import plan_build
        from .publish import stale
        from .settings import FeedSettings

        data = _read(source, "listing")
        topic_list = _topics(vocabulary, topics)
        result, problems = plan_build(
            data,
            _load_archive(archive),
            topics=topic_list,
            settings=FeedSettings(base_url=base_url, listing_url=listing_url),
            limit=limit,
            regression_threshold=regression_threshold,
            force=force,
            now=datetime.now(UTC),
            today=datetime.now(UTC).date(),
            strict=strict,
        )
        _report(problems, source, quiet=quiet and not strict)
        if result is None:
            raise _Fail(f"{source}: error: nothing was published (see above)", EXIT_DATA)
        # The archive is written a story at a time, and hashed as it is written: the
        # stamp, written last, names the inputs of this build.
        archive_hash = sha256()

        def write_archive(sink: Sink) -> None:
            write(result.archive, _Hashing(sink, archive_hash))

        def write_stamp(sink: Sink) -> None:
            stamp = _stamp(settings_key, vocabulary, _inputs(listing_hash, archive_hash))
            sink.write("\n".join([stamp, *result.documents]).encode() + b"\n")

        listing_hash = sha256(data)
        files: dict[Path, Content] = {archive: write_archive}
        files.update({output / name: document for name, document in result.documents.items()})
        files[stamp_path] = write_stamp
        if check_only:
            outdated = stale(files)
            for path, state in outdated.items():
                click.echo(f"{path}: error: {state}; run '{PROG} build' to update it", err=True)
            return EXIT_DATA if outdated else EXIT_OK
        outcome = _publish(files)
        _remember(source, archive, _cache(archive), _inputs(listing_hash, archive_hash))
        if verbose:
            changes = result.changes
            click.echo(
                f"build: {len(changes.added)} added, {len(changes.changed)} changed, {changes.kept} kept; "
                f"{_count(len(outcome.written), 'file')} written, {len(outcome.unchanged)} unchanged"
            )
    return EXIT_OK


def _read_optional(path: Path) -> bytes:
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise _Fail(f"{path}: error: cannot read: {exc.strerror or exc}", EXIT_USAGE) from exc


# --- commands ---------------------------------------------------------------------------------


def _settings_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    path = value if value is not None else Path(DEFAULT_SETTINGS_FILE)
    if value is None and not path.exists():
        return None
    try:
        ctx.default_map = read_settings_file(read_bytes(path))
    except OSError as exc:
        raise _Fail(f"{path}: error: cannot read the settings file: {exc.strerror or exc}", EXIT_USAGE) from exc
    except SettingsError as exc:
        raise _Fail(f"{path}: error: {exc}", EXIT_USAGE) from exc
    return path


@click.group(PROG, cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name=PROG, message="%(prog)s %(version)s")
@click.option(
    "--settings",
    type=_Path(dir_okay=False, path_type=Path),
    envvar=SETTINGS_ENV,
    show_envvar=True,
    callback=_settings_file,
    is_eager=True,
    expose_value=False,
    help=f"A TOML settings file [default: {DEFAULT_SETTINGS_FILE}, when it exists].",
)
def main() -> None:
    """Atom and RSS feeds of the UNODC human trafficking and migrant smuggling news.

    Fetches the news listing of
    https://www.unodc.org/unodc/en/human-trafficking/latest-news.html into a
    text file, fixes what the page gets wrong, keeps every story in an archive,
    reports each anomaly as FILE:LINE: warning|error: message, and writes an
    Atom, an RSS and a JSON feed of every story and of each topic, web pages
    and an OPML list. For cron: update.

    Exit status: 0 ok; 1 the data or the page has a problem, or the run could
    not finish (nothing was published); 2 usage error.
    """


@main.command()
@build_options
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 naming the files a build would change."
)
def build(**options: Any) -> int:
    """Build the feeds from the listing and the archive into the output folder.

    Merges the listing into the archive, then writes the Atom, RSS and JSON
    feeds of every story and of each topic (trafficking, smuggling), the
    pages index.html, trafficking.html and smuggling.html, and feeds.opml. A
    file whose content would not change is not rewritten; a changed file is
    replaced atomically. When the source has an error, nothing is written.
    When nothing changed since the last build (program, settings, listing,
    archive), it returns at once. Prints nothing on success but the warnings.

    \b
    Example, for feeds served from https://example.org/unodc/:
        feedgen-unodc build --base-url https://example.org/unodc/ --quiet
    """
    return _build(**options)


@main.command()
@source_option
@strict_option
@topics_option
def check(source: Path, strict: bool, topics: Path | None) -> int:
    """Read and normalize the listing, print its anomalies, write nothing.

    Each anomaly goes to stderr as FILE:LINE: warning|error: message; a
    summary goes to stdout. Exit status 1 when there is an error (or, with
    --strict, a warning).

    \b
    Example:
        feedgen-unodc check --source source/latest-news.txt
    """
    from datetime import UTC, datetime

    from .model import has_errors
    from .pipeline import read_listing

    topic_list = _topics(_vocabulary(topics), topics)
    today = datetime.now(UTC).date()
    with _without_cycle_collection():
        items, problems = read_listing(
            _read(source, "listing"), listing_url=LISTING_URL, topics=topic_list, today=today
        )
    _report(problems, source)
    click.echo(f"{source}: {_summary(items, problems, topic_list)}")
    return EXIT_DATA if has_errors(problems, strict=strict) else EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _summary(items: list[Item], problems: list[Problem], topics: Any) -> str:
    """`30 items (trafficking 21, smuggling 16); 0 errors, 3 warnings`"""
    from .model import Level

    counts = [(t.slug, sum(t.slug in i.topics for i in items)) for t in topics]
    counts.append(("no topic", sum(not i.topics for i in items)))
    by_topic = ", ".join(f"{name} {n}" for name, n in counts if n or name != "no topic")
    errors = sum(p.level is Level.ERROR for p in problems)
    return (
        f"{_count(len(items), 'item')} ({by_topic}); "
        f"{_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}"
    )


# --- fetching ---------------------------------------------------------------------------------


def fetch_options(function: F) -> F:
    """The options of `fetch`, which `update` shares."""
    for option in reversed(
        [
            click.option(
                "--url",
                default=LISTING_URL,
                show_default=True,
                callback=_http_url,
                help="The listing page to fetch.",
            ),
            click.option(
                "--html",
                type=_Path(dir_okay=False, exists=True, path_type=Path),
                default=None,
                help="Read a saved copy of the page instead of fetching it (links resolve against --url).",
            ),
            click.option(
                "--timeout",
                type=values.TIMEOUT,
                default=30.0,
                show_default=True,
                help="Seconds the whole fetch may take: the body, redirects and retries included.",
            ),
            click.option(
                "--retries",
                type=values.RETRIES,
                default=3,
                show_default=True,
                help="Retries after a connection error, a timeout or a server error (5xx).",
            ),
            click.option(
                "--backoff",
                type=values.BACKOFF,
                default=1.0,
                show_default=True,
                help="Seconds before the first retry; each next retry waits twice as long.",
            ),
            click.option(
                "--max-page-size",
                type=values.PAGE_SIZE,
                default="4M",
                show_default=True,
                help="Refuse a page longer than this many bytes (K and M: 1024 and 1024\u00b2).",
            ),
        ]
    ):
        function = option(function)
    return function


def _validators_path(source: Path) -> Path:
    return source.with_name(source.stem + ".http.json")


def _fetch(
    *,
    url: str,
    html: Path | None,
    timeout: float,
    retries: int,
    backoff: float,
    max_page_size: int,
    source: Path,
    regression_threshold: float,
    force: bool,
    lock_timeout: float,
    archive: Path,
    verbose: bool,
    quiet: bool = False,
    strict: bool = False,
) -> None:
    """Fetch the page into `source`; raise `_Fail` when there is nothing usable.

    The download happens before the run lock is taken: a slow site must not
    make other runs wait. The lock covers the check against the current
    source and the write. The page's warnings are printed when the listing it
    gives differs from the source, as the build prints the listing's: not at
    every hourly run.
    """
    from .extract import extract, to_listing
    from .fetch import FetchError, Validators, decode_html, fetch
    from .model import has_errors, warning

    state = _validators_path(source)
    where = str(html or url)
    if html is not None:
        text, doubt = decode_html(_read(html, "page"), None)
        validators, doubts = None, [doubt] if doubt else []
    else:
        # Without a source, the last fetch's validators would only bring a 304 and nothing to build.
        saved = Validators.loads(_read_optional(state)) if source.exists() else Validators()
        try:
            page = fetch(url, saved, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_page_size)
        except FetchError as exc:
            raise _Fail(f"{PROG}: error: {exc}; {source} left as it was", EXIT_DATA) from exc
        if page.status == 304:
            if verbose:
                click.echo(f"fetch: {url} not modified since the last fetch")
            return
        text, validators, doubts = page.text, page.validators, list(page.warnings)

    items, problems = extract(text, url)
    problems = [warning(None, doubt) for doubt in doubts] + problems
    listing = to_listing(items).encode("utf-8")
    if has_errors(problems, strict=strict) or listing != _read_optional(source):
        _report(problems, where, quiet=quiet and not strict)
    if has_errors(problems, strict=strict):
        raise _Fail(f"{where}: error: the page's stories cannot be told apart; {source} left as it was", EXIT_DATA)
    if not items:
        raise _Fail(f"{PROG}: error: {where}: no dated items on the page; {source} left as it was", EXIT_DATA)
    with _locked(archive, lock_timeout):
        if not force:
            _refuse_regression(listing, source, regression_threshold)
        files = {source: listing}
        if validators is not None:
            files[state] = validators.dumps()
        outcome = _publish(files)
    if verbose:
        written = "written" if source in outcome.written else "unchanged"
        click.echo(f"fetch: {len(items)} items from {html or url}; {source} {written}")


def _refuse_regression(listing: bytes, source: Path, threshold: float) -> None:
    """Refuse a page that drops more than `threshold` of the stories the current source has."""
    from .archive import Archive, regression
    from .pipeline import read_listing
    from .topics import default_topics

    def ids(data: bytes) -> list[Any]:
        items, _ = read_listing(data, listing_url=LISTING_URL, topics=default_topics())
        return items

    current = _read_optional(source)
    if not current:
        return
    problem = regression(Archive(on_page=tuple(i.id for i in ids(current))), ids(listing), threshold)
    if problem is not None:
        raise _Fail(f"{source}: error: {problem.message}", EXIT_DATA)


@main.command(name="fetch")
@fetch_options
@source_option
@archive_option
@click.option(
    "--regression-threshold",
    type=values.SHARE,
    default=DEFAULT_REGRESSION_THRESHOLD,
    show_default=True,
    help="Refuse a page that drops more than this share of the listed stories.",
)
@click.option("--force", is_flag=True, help="Accept even a page that drops most stories.")
@strict_option
@lock_timeout_option
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, not the page's warnings (for cron).")
@verbose_option
def fetch_command(**options: Any) -> int:
    """Fetch the listing page into the source file, with each story's own URL.

    The source is replaced (atomically) only by a page that yields items: an
    error page, an empty or truncated answer, a non-HTML answer or a page
    without items exits 1 and leaves it as it was. A page not modified since
    the last fetch (HTTP 304) changes nothing.

    \b
    Example, from a page saved by a browser:
        feedgen-unodc fetch --html latest-news.html
    """
    _fetch(**options)
    return EXIT_OK


@main.command()
@fetch_options
@build_options
def update(**options: Any) -> int:
    """Fetch the listing page, then build the feeds: the command for cron.

    Quiet when nothing changed or all went well; one line per problem on
    stderr. The listing's warnings are printed when it changes, not at every
    run; --quiet leaves them out. Exit status as for build. --verbose says what
    happened. The page's URL (--url) is also the feeds' listing URL, unless
    --listing-url says otherwise.

    \b
    Example, hourly from cron:
        17 * * * * cd /srv/feedgen-unodc && .venv/bin/feedgen-unodc update
    """
    context = click.get_current_context()
    if context.get_parameter_source("listing_url") is click.core.ParameterSource.DEFAULT:
        options["listing_url"] = options["url"]
    fetch_keys = ("url", "html", "timeout", "retries", "backoff", "max_page_size")
    _fetch(
        **{key: options.pop(key) for key in fetch_keys},
        source=options["source"],
        regression_threshold=options["regression_threshold"],
        force=options["force"],
        lock_timeout=options["lock_timeout"],
        archive=options["archive"],
        verbose=options["verbose"],
        quiet=options["quiet"],
        strict=options["strict"],
    )
    return _build(**options)


# --- the archive ------------------------------------------------------------------------------


def _edit_archive(archive: Path, lock_timeout: float, story_id: str, edit: Callable[[Any], Any], unknown: str) -> Any:
    from .archive import dumps

    with _locked(archive, lock_timeout):
        current = _load_archive(archive)
        try:
            changed = edit(current)
        except KeyError as exc:
            raise _Fail(f"{archive}: error: {unknown}: {story_id}", EXIT_USAGE) from exc
        _publish({archive: dumps(changed)})
        return next(s for s in changed.stories if s.id == story_id)


@main.command()
@click.argument("story_id", metavar="ID")
@click.option("--reason", required=True, help="Why, for the record: kept in the archive.")
@archive_option
@lock_timeout_option
def remove(story_id: str, reason: str, archive: Path, lock_timeout: float) -> int:
    """Stop publishing a story: the next build leaves it out of every feed.

    The story stays in the archive, marked removed with the time and the
    reason, so that it does not come back when the page lists it again, and
    so that `restore` can undo it. ID is the story's id, as in the feeds
    (urn:uuid:...).

    \b
    Example:
        feedgen-unodc remove urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557 --reason "withdrawn by UNODC"
    """
    from datetime import UTC, datetime

    from .archive import remove as remove_story

    now = datetime.now(UTC)
    if not reason.strip():
        raise click.BadParameter("say why, for the record", param_hint="'--reason'")
    story = _edit_archive(
        archive, lock_timeout, story_id, lambda a: remove_story(a, story_id, reason, now), "no such story"
    )
    click.echo(f"removed {story_id} ({story.day.isoformat()} {story.title!r}): {reason}")
    return EXIT_OK


@main.command()
@click.argument("story_id", metavar="ID")
@archive_option
@lock_timeout_option
def restore(story_id: str, archive: Path, lock_timeout: float) -> int:
    """Publish again a story that `remove` took out of the feeds.

    \b
    Example:
        feedgen-unodc restore urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557
    """
    from .archive import restore as restore_story

    story = _edit_archive(archive, lock_timeout, story_id, lambda a: restore_story(a, story_id), "no removed story")
    click.echo(f"restored {story_id} ({story.day.isoformat()} {story.title!r})")
    return EXIT_OK


# --- serving ----------------------------------------------------------------------------------


@main.command()
@click.option(
    "--output",
    type=_Path(file_okay=False, exists=True, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The folder to serve.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port (0: any free one)."
)
def serve(output: Path, host: str, port: int) -> int:
    """Serve the output folder over HTTP, as a preview or a small deployment.

    Feeds get the types readers expect, every file an ETag and a
    Last-Modified, and a conditional request a 304. Only files inside the
    folder are served; no folder is listed. One line per request on stderr.
    The server is waitress, made for production: idle and slow connections
    keep no one waiting. Stops on Ctrl-C or SIGTERM.

    \b
    Example, then open http://127.0.0.1:8000/ in a browser:
        feedgen-unodc build && feedgen-unodc serve
    """
    from .serve import Server

    try:
        server = Server(output, host, port)
    except OSError as exc:
        raise _Fail(f"{PROG}: error: cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_USAGE) from exc
    address, bound = server.address
    click.echo(f"Serving {output} at http://{address}:{bound}/ (Ctrl-C stops)")
    sys.stdout.flush()
    # Ctrl-C, SIGTERM and SIGHUP are how a server is told to stop: each closes its sockets, and it ends, exit 0.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: server.stop())
    try:
        server.run()
    finally:
        server.close()
    return EXIT_OK
