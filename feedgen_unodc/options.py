"""The command line's options: their types, checks, defaults and help, shared by the commands that take them.

Click only: each option's parameter name is the field of the application's
request it fills (`app.BuildRequest`, `app.FetchRequest`) and the key of the
settings file that gives it a default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from . import inputs, values
from .settings import (
    ARCHIVE_NAME,
    BASE_URL_ENV,
    DEFAULT_ARCHIVE,
    DEFAULT_BASE_URL,
    DEFAULT_LIMIT,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_OUTPUT,
    DEFAULT_PAGE_PAUSE,
    DEFAULT_PAGES_PER_RUN,
    DEFAULT_REGRESSION_THRESHOLD,
    DEFAULT_SETTINGS_FILE,
    DEFAULT_SOURCE,
    DEFAULT_STALE_AFTER_DAYS,
    HEALTHCHECK_ENV,
    LISTING_URL,
    PINGS_NAME,
    REMOVED_NAME,
    SETTINGS_ENV,
    SettingsError,
    archive_beside,
    archive_folder,
    command_defaults,
    normalize_base_url,
)
from .text import UNFIT, excerpt
from .urls import http_url_problem

F = TypeVar("F", bound=Callable[..., Any])


class FromEnvironment(click.Option):
    """An option that an environment variable may give: an error names the variable only when it gave the value."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        hint = " / ".join(f"'{name}'" for name in self.opts)
        given_by = ctx.get_parameter_source(self.name) if ctx is not None and self.name else None
        if given_by is click.core.ParameterSource.ENVIRONMENT:
            hint += f" (from ${self.envvar})"
        return hint


def _base_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return normalize_base_url(value)
    except SettingsError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


def _http_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    problem = http_url_problem(value)
    if problem is not None:
        raise click.BadParameter(f"{excerpt(value)} {problem}", ctx=ctx, param=param)
    return value


def _http_urls(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    for url in value:
        _http_url(ctx, param, url)
    return tuple(dict.fromkeys(value))  # each hub once, in the order given


def _optional_http_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None or value == "" else _http_url(ctx, param, value)


def reason(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter("say why, for the record", ctx=ctx, param=param)
    if UNFIT.search(value):
        raise click.BadParameter("must be one line of text, without control characters", ctx=ctx, param=param)
    return value


class NonEmptyPath(click.Path):
    """A path that may not be empty: an unset $OUTPUT in a cron line must not mean the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("must not be empty", param, ctx)
        return super().convert(value, param, ctx)


def _file(name: str, default: str | None, help: str, exists: bool = False, folder: bool = False) -> Callable[[F], F]:
    """An option naming a file, which must not be a folder; or (`folder`) a folder (or an earlier version's file)."""
    return click.option(
        name,
        type=NonEmptyPath(dir_okay=folder, exists=exists, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )


def settings_option(callback: Callable[..., Any], from_environment: bool) -> Callable[[F], F]:
    """--settings, before the command name (`from_environment`: it also reads $FEEDGEN_UNODC_CONFIG) or after it."""
    return click.option(
        "--settings",
        cls=FromEnvironment,
        type=NonEmptyPath(dir_okay=False, path_type=Path),
        envvar=SETTINGS_ENV if from_environment else None,
        show_envvar=from_environment,
        callback=callback,
        is_eager=True,
        expose_value=False,
        help=(
            f"A TOML settings file [default: {DEFAULT_SETTINGS_FILE}, when it exists]; its paths are of its folder."
            if from_environment
            else "A TOML settings file; its paths are of its folder. It replaces one given before the command."
        ),
    )


source_option = _file("--source", DEFAULT_SOURCE, "The listing in its text format (see the README).")
archive_option = _file(
    "--archive",
    None,
    f"The archive of every story published, a folder of a file per year (created if missing) [default:"
    f" {ARCHIVE_NAME}/ beside the source]. A name ending in .json, an earlier version's archive file, names"
    " the folder without it, where the next build moves that file's stories.",
    folder=True,
)
# For the commands that do not read the listing: where the builds keep it.
edited_archive_option = _file(
    "--archive",
    None,
    f"The archive folder [default: {ARCHIVE_NAME}/ beside the settings' source, else {DEFAULT_ARCHIVE}]. The removals"
    f" ({REMOVED_NAME}) and the pending hub pings ({PINGS_NAME}) are kept beside it.",
    folder=True,
)
topics_option = _file("--topics", None, "A topic vocabulary file (TOML) instead of the shipped one.", exists=True)
strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: publish nothing when there are any."
)
lock_timeout_option = click.option(
    "--lock-timeout",
    type=values.LOCK_TIMEOUT,
    default=DEFAULT_LOCK_TIMEOUT,
    show_default=True,
    help="Seconds to wait for another run to finish.",
)
verbose_option = click.option("--verbose", "-v", is_flag=True, help="Say what happened, on stdout.")


def together(*options: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


def _guarded(what: str, force: str) -> list[Callable[[F], F]]:
    return [
        click.option(
            "--regression-threshold",
            type=values.SHARE,
            default=DEFAULT_REGRESSION_THRESHOLD,
            show_default=True,
            help=f"Refuse a {what} that drops more than this share of the last listing's stories.",
        ),
        click.option("--force", is_flag=True, help=force),
        strict_option,
        lock_timeout_option,
    ]


def _output(help: str) -> Callable[[F], F]:
    return click.option(
        "--output", type=NonEmptyPath(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT, show_default=True,
        help=help,
    )  # fmt: skip


build_options = together(
    source_option,
    archive_option,
    _output("The folder the feed files are written to (created if missing)."),
    click.option(
        "--base-url",
        cls=FromEnvironment,
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
        "--full-text/--no-full-text",
        default=False,
        show_default=True,
        help="Publish each story's whole text from its own page (UNODC's terms of use: see the README).",
    ),
    *_guarded(
        "listing",
        "Build even when nothing changed, reading every year of the archive and making every file, and publish"
        " even a listing that drops most stories.",
    ),
    click.option("--quiet", "-q", is_flag=True, help="Print errors only, not the listing's warnings (for cron)."),
    verbose_option,
    click.option(
        "--hub",
        "hubs",
        multiple=True,
        callback=_http_urls,
        help="A WebSub hub (repeat for more; none by default): every feed announces it, and after a build each"
        " hub is asked to fetch the feeds whose bytes changed. A hub that fails is a warning; its pings are"
        f" kept in {PINGS_NAME} beside the archive and sent on the next run.",
    ),
    click.option(
        "--defer-pings",
        is_flag=True,
        help="Keep the hub pings of the changed feeds without sending them, for a deployment that copies the"
        " output elsewhere before it is live: send them with 'feedgen-unodc ping' once it is.",
    ),
    click.option(
        "--healthcheck-url",
        cls=FromEnvironment,
        envvar=HEALTHCHECK_ENV,
        show_envvar=True,
        default=None,
        callback=_optional_http_url,
        help="A monitor to ping (healthchecks.io's convention): URL after a run that succeeds, URL/fail with"
        " the error lines after one that fails. A ping that fails never changes the run's exit status.",
    ),
    click.option(
        "--healthcheck-start/--no-healthcheck-start",
        default=False,
        show_default=True,
        help="Also ping URL/start when the run starts, so that the monitor times the run.",
    ),
)

fetch_options = together(
    click.option("--url", default=LISTING_URL, show_default=True, callback=_http_url, help="The page to fetch."),
    click.option(
        "--html",
        type=NonEmptyPath(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="Read a saved copy of the page instead of fetching it (links resolve against --url).",
    ),
    click.option(
        "--timeout",
        type=values.TIMEOUT,
        default=30.0,
        show_default=True,
        help="Seconds the fetch of the listing may take, its body, redirects and retries included;"
        " as long again for each story page, image and robots.txt.",
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
    click.option(
        "--story-pages-per-run",
        type=values.PAGES_PER_RUN,
        default=DEFAULT_PAGES_PER_RUN,
        show_default=True,
        help="Read at most this many story pages (each story's own page) a run; 0 reads none.",
    ),
    click.option(
        "--story-page-pause",
        type=values.PAUSE,
        default=DEFAULT_PAGE_PAUSE,
        show_default=True,
        help="Seconds between two requests for story pages, or the site's robots.txt Crawl-delay if longer.",
    ),
)


# `fetch` alone: where the page goes, and its own guard.
fetch_only_options = together(
    source_option,
    archive_option,
    *_guarded("page", "Accept even a page that drops most stories."),
    click.option("--quiet", "-q", is_flag=True, help="Print errors only, not the page's warnings (for cron)."),
    verbose_option,
)

serve_options = together(
    click.option(
        "--output",
        type=NonEmptyPath(file_okay=False, exists=True, path_type=Path),
        default=DEFAULT_OUTPUT,
        show_default=True,
        help="The folder to serve.",
    ),
    click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on."),
    click.option(
        "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port (0: any free one)."
    ),
)

ping_options = together(edited_archive_option, lock_timeout_option, verbose_option)

status_options = together(
    source_option,
    archive_option,
    _output("The folder the feed files are written to."),
    topics_option,
    click.option(
        "--stale-after-days",
        type=values.DAYS,
        default=DEFAULT_STALE_AFTER_DAYS,
        show_default=True,
        help="Exit 1 when the newest story is older than this many days: the extractor may have broken, or"
        " the page moved.",
    ),
    click.option("--json", "as_json", is_flag=True, help="Print one JSON object, for machines."),
)


# --- what the options resolve to: the settings file's defaults, the archive ----------------------------


def _defaults(path: Path, commands: Mapping[str, click.Command]) -> dict[str, dict[str, object]]:
    """The settings file at `path` as the defaults of the options of the same names, command by command."""
    parameters = {name: [p.name for p in command.params if p.name] for name, command in commands.items()}
    return command_defaults(inputs.settings(path), parameters)


def every_command_settings(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """--settings before the command name (or the default file, when it exists): the defaults of every command."""
    path = value if value is not None else Path(DEFAULT_SETTINGS_FILE)
    if value is None and not path.exists():
        return None
    commands = ctx.command.commands if isinstance(ctx.command, click.Group) else {}
    ctx.default_map = _defaults(path, commands)
    return path


def this_command_settings(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """--settings after the command name: this command's defaults, instead of those of the file before it."""
    if value is not None and ctx.command.name:
        ctx.default_map = _defaults(value, {ctx.command.name: ctx.command}).get(ctx.command.name, {})
    return value


def with_archive(given: dict[str, Any]) -> dict[str, Any]:
    """The options, the archive beside the listing unless named: a --source given beats a settings' archive.

    So a trial build of another listing (`build --source /tmp/x.txt`) never merges into the real archive.
    """
    context = click.get_current_context()
    named = context.get_parameter_source("archive") is click.core.ParameterSource.COMMANDLINE
    source_named = context.get_parameter_source("source") is click.core.ParameterSource.COMMANDLINE
    if given["archive"] is None or (source_named and not named):
        return given | {"archive": archive_beside(given["source"])}
    return given | {"archive": archive_folder(given["archive"])}


def edited_archive(archive: Path | None) -> Path:
    """The archive folder of a command that does not read the listing (`edited_archive_option`)."""
    return archive_folder(archive or Path(DEFAULT_ARCHIVE))
