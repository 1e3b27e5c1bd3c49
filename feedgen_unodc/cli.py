"""The `feedgen-unodc` command: options, one call into the application per command (`app.py`).

One place, `_Cli.main`, turns what stops a run into one line on stderr and
an exit status (see `errors.py`): 0 ok; 1 the data or the page has a
problem, or a run could not finish (nothing was published); 2 a usage error.
`entry` adds the signals that stop a run and a reader that goes away
(a broken pipe: exit 1, no traceback).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, app, options
from .errors import EXIT_DATA, EXIT_OK, EXIT_USAGE, PROG, Failure, Stopped

R = TypeVar("R")


class _Terminal:
    """The application's output: what was asked on stdout, problems on stderr."""

    def say(self, line: str) -> None:
        click.echo(line)

    def warn(self, line: str) -> None:
        click.echo(line, err=True)

    def progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty():  # under cron, silence
            click.echo(f"\rstory pages: {done} of {total}", nl=done == total, err=True)


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
        except Failure as failure:
            click.echo(failure.line, err=True)
            code = failure.code
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


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def entry() -> None:
    """The `feedgen-unodc` command and `python -m feedgen_unodc`."""
    # systemd stops a unit with SIGTERM, a closed terminal sends SIGHUP: a run ends cleanly on either.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    try:
        code = main.main(prog_name=PROG, standalone_mode=False)
        if sys.stdout is not None:  # None when the command was started with it closed
            sys.stdout.flush()
    except BrokenPipeError:
        # A reader that went away (`| head`): Python's documented recipe (the signal module's
        # "Note on SIGPIPE"), so that the interpreter's own last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_DATA
    sys.exit(code)


def _request(kind: type[R], given: dict[str, Any]) -> R:
    """The request of type `kind` (a NamedTuple) made of the options it has fields for."""
    return kind(**{name: given[name] for name in kind._fields if name in given})  # type: ignore[attr-defined]


# --- commands ----------------------------------------------------------------------------------


settings_option = options.settings_option(options.this_command_settings, from_environment=False)


@click.group(PROG, cls=_Cli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name=PROG, message="%(prog)s %(version)s")
@options.settings_option(options.every_command_settings, from_environment=True)
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
@settings_option
@options.build_options
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 naming the files a build would change."
)
def build(**given: Any) -> int:
    """Build the feeds from the listing and the archive into the output folder.

    Merges the listing into the archive (a file per year in archive/ beside
    the listing; an earlier version's archive.json moves in), with what fetch
    read of the story pages (pages.json beside the archive), then writes the
    Atom, RSS and JSON feeds of every story and of each topic (trafficking,
    smuggling), the pages index.html, trafficking.html and smuggling.html, a
    page and an Atom archive document per year (all-2021.html,
    all-2021.atom.xml...), feeds.opml, and stories.csv and stories.json. A
    file whose content would not change is not rewritten; a changed file is
    replaced atomically. When the source has an error, nothing is written.
    When nothing changed since the last build (program, settings, listing,
    archive, removals, story pages) and its files hold what it wrote, it
    returns at once; a published file edited since is written again. After
    the listing changed, it reads only the years it touches and keeps the
    other years' files (--force reads and makes everything). Prints nothing
    on success but the warnings, and a line when it starts a new archive.
    $SOURCE_DATE_EPOCH, if set, is the time it records as now. With --hub,
    every feed names the hubs, and each hub is pinged for the feeds whose
    bytes changed; with --healthcheck-url, a monitor hears how the run ended.

    \b
    Example, for feeds served from https://example.org/unodc/:
        feedgen-unodc build --base-url https://example.org/unodc/ --quiet
    """
    return app.build(app.BuildRequest(**options.with_archive(given)), _Terminal())


@main.command()
@settings_option
@options.source_option
@options.strict_option
@options.topics_option
def check(source: Path, strict: bool, topics: Path | None) -> int:
    """Read and normalize the listing, print its anomalies, write nothing.

    Each anomaly goes to stderr as FILE:LINE: warning|error: message; a
    summary goes to stdout. Exit status 1 when there is an error (or, with
    --strict, a warning).

    \b
    Example:
        feedgen-unodc check --source source/latest-news.txt
    """
    return app.check(source, topics, strict, _Terminal())


@main.command(name="fetch")
@settings_option
@options.fetch_options
@options.fetch_only_options
def fetch_command(**given: Any) -> int:
    """Fetch the listing page into the source file, with each story's own URL.

    The source is replaced (atomically) only by a page that yields items: an
    error page, an empty or truncated answer, a non-HTML answer or a page
    without items exits 1 and leaves it as it was. A page not modified since
    the last fetch (HTTP 304) changes nothing. A page that drops most of the
    stories the last build published (before any build: most of the source's
    stories) is refused as the build would refuse it.

    Then the story pages due are read (not with --html): each story's own
    page once, again when the listing changes the story, a page that fails
    later and later; at most --story-pages-per-run a run. What they give is
    kept in pages.json beside the archive; a page never fails the run.

    \b
    Example, from a page saved by a browser:
        feedgen-unodc fetch --html latest-news.html
    """
    app.fetch(app.FetchRequest(**options.with_archive(given)), _Terminal())
    return EXIT_OK


@main.command()
@settings_option
@options.fetch_options
@options.build_options
def update(**given: Any) -> int:
    """Fetch the listing page and the story pages due, then build the feeds: the command for cron.

    Quiet when nothing changed or all went well; one line per problem on
    stderr. The listing's warnings are printed when it changes, not at every
    run; --quiet leaves them out. Exit status as for build. --verbose says what
    happened. The page's URL (--url) is also the feeds' listing URL, unless
    --listing-url says otherwise. The health check monitor, if any, hears how
    the whole run (fetch and build) ended.

    \b
    Example, hourly from cron:
        17 * * * * cd /srv/feedgen-unodc && .venv/bin/feedgen-unodc update
    """
    context = click.get_current_context()
    if context.get_parameter_source("listing_url") is click.core.ParameterSource.DEFAULT:
        given["listing_url"] = given["url"]
    given = options.with_archive(given)
    return app.update(_request(app.FetchRequest, given), _request(app.BuildRequest, given), _Terminal())


@main.command()
@settings_option
@click.argument("story_id", metavar="ID")
@click.option("--reason", required=True, callback=options.reason, help="Why, for the record: kept in removed.toml.")
@options.edited_archive_option
@options.lock_timeout_option
def remove(story_id: str, reason: str, archive: Path | None, lock_timeout: float) -> int:
    """Stop publishing a story: the next build leaves it out of every feed.

    The decision is kept in removed.toml beside the archive (commit it with
    the listing), with the time and the reason: the story does not come back
    when the page lists it again, nor when the archive is lost, and `restore`
    undoes it. ID is the story's id, as in the feeds (urn:uuid:...).

    \b
    Example:
        feedgen-unodc remove urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557 --reason "withdrawn by UNODC"
    """
    return app.remove(options.edited_archive(archive), lock_timeout, story_id, reason, _Terminal())


@main.command()
@settings_option
@click.argument("story_id", metavar="ID")
@options.edited_archive_option
@options.lock_timeout_option
def restore(story_id: str, archive: Path | None, lock_timeout: float) -> int:
    """Publish again a story that `remove` took out of the feeds.

    \b
    Example:
        feedgen-unodc restore urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557
    """
    return app.restore(options.edited_archive(archive), lock_timeout, story_id, _Terminal())


@main.command()
@settings_option
@options.ping_options
def ping(archive: Path | None, lock_timeout: float, verbose: bool) -> int:
    """Send the WebSub pings that builds kept: those a hub did not take, and all of them with --defer-pings.

    For a deployment that copies the output elsewhere before it is live (a
    CDN, GitHub Pages): build with --defer-pings, copy, then ping, so that
    the hubs fetch the feeds once readers can. A hub that fails is a warning
    line and keeps its pings for the next run; the exit status stays 0.

    \b
    Example, after copying output/ to the web server:
        feedgen-unodc ping --verbose
    """
    return app.ping(options.edited_archive(archive), lock_timeout, verbose, _Terminal())


@main.command()
@settings_option
@options.status_options
def status(**given: Any) -> int:
    """Say in a few lines how the deployment is: what an operator asks first.

    When the page was last fetched and what came of it, when the feeds last
    changed, how many stories the archive holds and the page lists, the
    newest story's date and the story pages still to read. Exit status 1,
    with a line on stderr, when the newest story is older than
    --stale-after-days (the page may have moved, or the extractor broken) or
    there is none; --json prints the same as one JSON object.

    \b
    Example, from a monitoring script:
        feedgen-unodc status --json
    """
    return app.status(app.StatusRequest(**options.with_archive(given)), _Terminal())


@main.command()
@settings_option
@options.serve_options
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
    return app.serve(output, host, port, _Terminal())
