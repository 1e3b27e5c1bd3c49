"""What a deployment may change, and the defaults that build the committed `output/`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import click

from . import values
from .text import excerpt
from .urls import http_url_problem

LISTING_URL = "https://www.unodc.org/unodc/en/human-trafficking/latest-news.html"
DEFAULT_BASE_URL = "http://localhost:8000/"
DEFAULT_SOURCE = "source/latest-news.txt"
DEFAULT_OUTPUT = "output"
SHIPPED_VOCABULARY = Path(__file__).with_name("topics.toml")
# Beside the listing, whichever folder it is in: a trial build of another listing never touches this one's.
ARCHIVE_NAME = "archive"  # machine-written: every story published, a folder of a file per year
REMOVED_NAME = "removed.toml"  # the operator's: the stories not to publish, beside the archive
PAGES_NAME = "pages.json"  # machine-written: what was read of each story's own page, beside the archive
DEFAULT_ARCHIVE = f"source/{ARCHIVE_NAME}"
DEFAULT_LIMIT = 50  # entries per feed; the archive keeps every story
DEFAULT_PAGES_PER_RUN = 10  # story pages read a run: a first run over a large archive spreads its load
DEFAULT_PAGE_PAUSE = 1.0  # seconds between two requests for story pages, unless robots.txt asks more
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a run waits for another to finish
DEFAULT_REGRESSION_THRESHOLD = 0.5  # share of the last listing's stories a new listing may drop
DEFAULT_STALE_AFTER_DAYS = 90  # `status`: a newest story older than this may mean the extractor broke
PINGS_NAME = "pings.json"  # machine-written: the hub pings not yet delivered, beside the archive
BASE_URL_ENV = "FEEDGEN_UNODC_BASE_URL"
HEALTHCHECK_ENV = "FEEDGEN_UNODC_HEALTHCHECK_URL"  # a secret: an environment variable keeps it out of files


class SettingsError(ValueError):
    """A setting that cannot work (say, a base URL that is not an absolute http URL)."""


def normalize_base_url(url: str) -> str:
    """`url` as the folder URL the feeds are published under, ending in '/'.

    >>> normalize_base_url("https://example.org/feeds")
    'https://example.org/feeds/'
    """
    problem = http_url_problem(url)
    if problem is not None:
        raise SettingsError(f"base URL {excerpt(url)} {problem}")
    if "?" in url or "#" in url:
        raise SettingsError(f"base URL {excerpt(url)} must not have a query or fragment")
    last = url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") > 2 else ""
    if not url.endswith("/") and PurePosixPath(last).suffix:
        raise SettingsError(
            f"base URL {excerpt(url)} names a file ({excerpt(last)}): give the folder the files are served"
            f" from, such as {excerpt(url[: -len(last)])} (end it with '/' if {excerpt(last)} is a folder)"
        )
    return url if url.endswith("/") else url + "/"


class FeedSettings(NamedTuple):
    """What the feeds say about themselves."""

    base_url: str = DEFAULT_BASE_URL  # the public folder the files are served from
    listing_url: str = LISTING_URL  # the page the items come from
    author: str = "UNODC Human Trafficking and Migrant Smuggling Section"
    language: str = "en"
    hubs: tuple[str, ...] = ()  # the WebSub hubs the subscription feeds announce (`websub.py`)


def archive_beside(source: Path) -> Path:
    """The archive of the listing `source` when none is named: in the listing's folder."""
    return source.with_name(ARCHIVE_NAME)


def archive_folder(path: Path) -> Path:
    """The archive folder `path` names: itself, or for an earlier version's archive file (`archive.json`),
    the folder its stories move to (`archive`), so that settings naming that file go on working."""
    return path.with_suffix("") if path.suffix == ".json" else path


def legacy_archive(archive: Path) -> Path:
    """Where an earlier version kept the archive `archive` (a folder) in one file: `archive.json`."""
    return archive.with_name(f"{archive.name}.json")


def removals_beside(archive: Path) -> Path:
    """The file of the stories an operator removed, kept beside the archive (and kept when it is lost).

    `removed.toml` beside `archive/`; `trial.removed.toml` beside `trial/`: each archive has its
    own, under its own run lock.
    """
    return archive.with_name(REMOVED_NAME if archive.stem == ARCHIVE_NAME else f"{archive.stem}.{REMOVED_NAME}")


def pages_beside(archive: Path) -> Path:
    """The file of what was read of the story pages, beside the archive: `pages.json`, `trial.pages.json`."""
    return archive.with_name(PAGES_NAME if archive.stem == ARCHIVE_NAME else f"{archive.stem}.{PAGES_NAME}")


def pings_beside(archive: Path) -> Path:
    """The file of the WebSub pings not yet delivered, beside the archive: `pings.json`, `trial.pings.json`."""
    return archive.with_name(PINGS_NAME if archive.stem == ARCHIVE_NAME else f"{archive.stem}.{PINGS_NAME}")


SETTINGS_ENV = "FEEDGEN_UNODC_CONFIG"
DEFAULT_SETTINGS_FILE = "feedgen-unodc.toml"

# Each setting of the settings file, and the kind of value it takes. A setting
# gives its value to every option of the same name, of every command (see
# `command_defaults`); options and environment variables win.
_URL, _URLS, _PATH = "a URL", "a list of URLs", "a path"
SETTINGS: dict[str, str | click.ParamType[Any]] = {
    "base_url": _URL,
    "listing_url": _URL,
    "source": _PATH,
    "archive": _PATH,
    "output": _PATH,
    "limit": values.LIMIT,
    "topics": _PATH,
    "lock_timeout": values.LOCK_TIMEOUT,
    "regression_threshold": values.SHARE,
    "timeout": values.TIMEOUT,
    "retries": values.RETRIES,
    "backoff": values.BACKOFF,
    "max_page_size": values.PAGE_SIZE,
    "story_pages_per_run": values.PAGES_PER_RUN,
    "story_page_pause": values.PAUSE,
    "full_text": click.BOOL,
    "hubs": _URLS,
    "defer_pings": click.BOOL,
    "healthcheck_url": _URL,
    "healthcheck_start": click.BOOL,
    "stale_after_days": values.DAYS,
}
# Options that take the value of a setting of another name: fetch's page is the listing.
SETTING_OF = {"url": "listing_url"}


def _checked(value: object, kind: str | click.ParamType[Any]) -> object:
    """The setting's value as its options take it; raises `ValueError` saying why it cannot be.

    A number is a TOML number (`limit = 5`), not text (`limit = "5"`); a size may be either (`"4M"`).
    """
    if kind is click.BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {excerpt(value)}")
        return value
    if isinstance(kind, click.ParamType):
        if isinstance(value, str) and not isinstance(kind, values.Size):
            raise ValueError(f"must be a number, not {excerpt(value)}")
        try:
            return kind.convert(value, None, None)
        except click.BadParameter as exc:
            raise ValueError(exc.message) from exc
    if kind == _URLS:
        if not isinstance(value, list):
            raise ValueError(f'must be a list of URLs, such as ["https://hub.example/"], not {excerpt(value)}')
        return tuple(_checked(url, _URL) for url in value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be {kind}, not {excerpt(value)}")
    if kind == _URL:
        problem = http_url_problem(value)
        if problem is not None:
            raise ValueError(f"{excerpt(value)} {problem}")
    return value


def read_settings_file(data: bytes, folder: Path) -> dict[str, object]:
    """The settings of a TOML settings file in `folder`, by key, checked; its relative paths are of `folder`.

    A settings file names the files of its deployment, wherever the command
    runs from: `source = "listing.txt"` is the listing beside it. Raises
    `SettingsError` for a file that is not TOML, names an unknown setting or
    gives a setting a value of the wrong kind. The values are then
    checked as the options' own are (a URL must be an http(s) URL...).
    """
    import tomllib  # only with a settings file: most hourly runs have nothing to do, and do it in 60 ms

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"not a TOML file ({exc})") from exc
    unknown = sorted(set(document) - set(SETTINGS))
    if unknown:
        raise SettingsError(f"unknown setting {excerpt(unknown[0])} (known: {', '.join(SETTINGS)})")
    checked: dict[str, object] = {}
    for key, given in document.items():
        try:
            value = _checked(given, SETTINGS[key])
            checked[key] = _path(folder, str(value), key) if SETTINGS[key] == _PATH else value
        except ValueError as exc:
            raise SettingsError(f"{key}: {exc}") from exc
    # The files of a settings file's deployment are beside it, named or not.
    checked.setdefault("source", folder / DEFAULT_SOURCE)
    checked.setdefault("output", folder / DEFAULT_OUTPUT)
    return checked


def _path(folder: Path, value: str, key: str) -> Path:
    """A path setting's value, of `folder` when relative; raises `ValueError` for one no file can have."""
    if "\0" in value:
        raise ValueError(f"{excerpt(value)} holds a NUL character")
    try:
        path = Path(value).expanduser()
    except RuntimeError as exc:  # "~nosuchuser/x"
        raise ValueError(f"{excerpt(value)}: {exc}") from exc
    if key not in ("output", "archive") and (value.endswith("/") or path.name in ("", "..")):
        raise ValueError(f"{excerpt(value)} names a folder: it must name a file")
    return folder / path


def command_defaults(
    settings: Mapping[str, object], parameters: Mapping[str, Iterable[str]]
) -> dict[str, dict[str, object]]:
    """The settings as click's default map: each command's parameters (by name) that a setting gives a value.

    Without an `archive` setting, the archive is beside the listing: a
    command that takes `--source` finds it beside the one it is given, one that
    does not (`remove`, `restore`) beside the `source` setting's.
    """
    defaults: dict[str, dict[str, object]] = {}
    for command, names in parameters.items():
        names = list(names)
        for name in names:
            key = SETTING_OF.get(name, name)
            value = settings.get(key)
            if key == "archive" and value is None and "source" in settings and "source" not in names:
                value = archive_beside(Path(str(settings["source"])))
            if value is not None:
                defaults.setdefault(command, {})[name] = value
    return defaults
