"""The `feedgen-unodc` command: the only place that touches the environment.

It reads the source, the options and the clock, calls the pure core, prints
the report and writes the output folder. Exit status: 0 ok, 1 the source has
an error (or a warning, with --strict), the output is stale (--check) or could
not be written; 2 a usage error (a bad option or value, a source that cannot
be read, an output folder that cannot be used).
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import __version__
from .model import Item, Level, Problem, has_errors
from .pipeline import read_listing
from .settings import (
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_OUTPUT,
    DEFAULT_SOURCE,
    LISTING_URL,
    FeedSettings,
    SettingsError,
    normalize_base_url,
)
from .topics import Topic, default_topics

PROG = "feedgen-unodc"
EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

# Errors of the environment that say the operator's settings are wrong, not the data.
_SETTINGS_ERRNOS = {errno.ENOENT, errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}


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
        except click.Abort:
            click.echo(f"{PROG}: aborted", err=True)
            code = EXIT_DATA
        code = code if isinstance(code, int) else EXIT_OK
        if standalone_mode:
            sys.exit(code)
        return code


class _Fail(Exception):
    """Stop a command with one line on stderr and an exit status."""

    def __init__(self, line: str, code: int) -> None:
        super().__init__(line)
        self.line = line
        self.code = code


def _base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return normalize_base_url(value)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


def _read_source(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _Fail(f"{path}: error: cannot read the listing: {exc.strerror or exc}", EXIT_USAGE) from exc


def _report(problems: list[Problem], source: Path, *, quiet: bool = False) -> None:
    for problem in problems:
        if not quiet or problem.level is Level.ERROR:
            click.echo(problem.format(str(source)), err=True)


def _load(source: Path, topics: tuple[Topic, ...], *, quiet: bool = False) -> tuple[list[Item], list[Problem]]:
    # The clock only tells which dates lie in the future; it never reaches an item.
    items, problems = read_listing(_read_source(source), listing_url=LISTING_URL, topics=topics, today=date.today())
    _report(problems, source, quiet=quiet)
    return items, problems


source_option = click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_SOURCE,
    show_default=True,
    help="The listing in its text format (see the README).",
)
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: publish nothing when there are any."
)


@click.group(PROG, cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name=PROG, message="%(prog)s %(version)s")
def main() -> None:
    """Atom and RSS feeds of the UNODC human trafficking and migrant smuggling news.

    Reads the news listing of
    https://www.unodc.org/unodc/en/human-trafficking/latest-news.html (kept as a
    text file), fixes what the page gets wrong, reports each anomaly as
    FILE:LINE: warning|error: message, and writes one Atom and one RSS feed of
    every item and of each topic.

    Exit status: 0 ok; 1 the source has an error, nothing was published;
    2 usage error.
    """


@main.command()
@source_option
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="The folder the feed files are written to (created if missing).",
)
@click.option(
    "--base-url",
    envvar=BASE_URL_ENV,
    show_envvar=True,
    default=DEFAULT_BASE_URL,
    show_default=True,
    callback=_base_url,
    help="The public URL of the output folder, for each feed's rel=self link.",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 naming the files a build would change.")
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, not warnings (for cron).")
def build(source: Path, output: Path, base_url: str, check: bool, strict: bool, quiet: bool) -> int:
    """Build the feeds from the listing into the output folder.

    Writes all.atom.xml, all.rss.xml and one Atom and one RSS file per topic
    (trafficking, smuggling). A file whose content would not change is not
    rewritten; a changed file is replaced atomically. When the source has an
    error, nothing is written. Prints nothing on success but the warnings.

    \b
    Example, for feeds served from https://example.org/unodc/:
        feedgen-unodc build --base-url https://example.org/unodc/ --quiet
    """
    # feedgen and lxml take most of the start-up time: imported only when a build needs them.
    from .feeds import render_all
    from .publish import PublishError, publish, stale

    topics = default_topics()
    try:
        items, problems = _load(source, topics, quiet=quiet and not strict)
        if has_errors(problems, strict=strict):
            raise _Fail(f"{source}: error: nothing was published to {output} (see above)", EXIT_DATA)
        documents = render_all(items, topics, FeedSettings(base_url=base_url, listing_url=LISTING_URL))
        if check:
            outdated = stale(documents, output)
            for name, state in outdated.items():
                click.echo(f"{output / name}: error: {state}; run '{PROG} build' to update it", err=True)
            return EXIT_DATA if outdated else EXIT_OK
        try:
            publish(documents, output)
        except PublishError as exc:
            code = EXIT_USAGE if exc.errno in _SETTINGS_ERRNOS else EXIT_DATA
            raise _Fail(f"{exc.filename}: error: {exc.strerror}; nothing was published", code) from exc
    except _Fail as fail:
        click.echo(fail.line, err=True)
        return fail.code
    return EXIT_OK


@main.command()
@source_option
@strict_option
def check(source: Path, strict: bool) -> int:
    """Read and normalize the listing, print its anomalies, write nothing.

    Each anomaly goes to stderr as FILE:LINE: warning|error: message; a
    summary goes to stdout. Exit status 1 when there is an error (or, with
    --strict, a warning).

    \b
    Example:
        feedgen-unodc check --source source/latest-news.txt
    """
    topics = default_topics()
    try:
        items, problems = _load(source, topics)
    except _Fail as fail:
        click.echo(fail.line, err=True)
        return fail.code
    click.echo(f"{source}: {_summary(items, problems, topics)}")
    return EXIT_DATA if has_errors(problems, strict=strict) else EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _summary(items: list[Item], problems: list[Problem], topics: tuple[Topic, ...]) -> str:
    """`30 items (trafficking 21, smuggling 16); 0 errors, 3 warnings`"""
    counts = [(t.slug, sum(t.slug in i.topics for i in items)) for t in topics]
    counts.append(("no topic", sum(not i.topics for i in items)))
    by_topic = ", ".join(f"{name} {n}" for name, n in counts if n or name != "no topic")
    errors = sum(p.level is Level.ERROR for p in problems)
    return (
        f"{_count(len(items), 'item')} ({by_topic}); "
        f"{_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}"
    )
