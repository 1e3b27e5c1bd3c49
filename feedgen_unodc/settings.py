"""What a deployment may change, and the defaults that build the committed `output/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LISTING_URL = "https://www.unodc.org/unodc/en/human-trafficking/latest-news.html"
DEFAULT_BASE_URL = "http://localhost:8000/"
DEFAULT_SOURCE = "source/latest-news.txt"
DEFAULT_OUTPUT = "output"
SHIPPED_VOCABULARY = Path(__file__).with_name("topics.toml")
DEFAULT_ARCHIVE = "source/archive.json"
DEFAULT_LIMIT = 50  # entries per feed; the archive keeps every story
DEFAULT_LOCK_TIMEOUT = 60.0  # seconds a run waits for another to finish
DEFAULT_REGRESSION_THRESHOLD = 0.5  # share of the last listing's stories a new listing may drop
BASE_URL_ENV = "FEEDGEN_UNODC_BASE_URL"


class SettingsError(ValueError):
    """A setting that cannot work (say, a base URL that is not an absolute http URL)."""


def normalize_base_url(url: str) -> str:
    """`url` as the folder URL the feeds are published under, ending in '/'.

    >>> normalize_base_url("https://example.org/feeds")
    'https://example.org/feeds/'
    """
    from .urls import http_url_problem

    problem = http_url_problem(url)
    if problem is not None:
        raise SettingsError(f"base URL {url!r} {problem}")
    if "?" in url or "#" in url:
        raise SettingsError(f"base URL {url!r} must not have a query or fragment")
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class FeedSettings:
    """What the feeds say about themselves."""

    base_url: str = DEFAULT_BASE_URL  # the public folder the files are served from
    listing_url: str = LISTING_URL  # the page the items come from
    author: str = "UNODC Human Trafficking and Migrant Smuggling Section"
    language: str = "en"


SETTINGS_ENV = "FEEDGEN_UNODC_CONFIG"
DEFAULT_SETTINGS_FILE = "feedgen-unodc.toml"

# Each setting of the settings file, and the option it gives a default to in
# each command (by parameter name). Options and environment variables win.
SETTINGS: dict[str, dict[str, str]] = {
    "base_url": {"build": "base_url", "update": "base_url"},
    "listing_url": {"build": "listing_url", "update": "listing_url", "fetch": "url"},
    "source": {"build": "source", "update": "source", "fetch": "source", "check": "source"},
    "archive": {"build": "archive", "update": "archive", "remove": "archive", "restore": "archive"},
    "output": {"build": "output", "update": "output"},
    "limit": {"build": "limit", "update": "limit"},
    "topics": {"build": "topics", "update": "topics", "check": "topics"},
    "lock_timeout": {c: "lock_timeout" for c in ("build", "update", "fetch", "remove", "restore")},
    "regression_threshold": {"build": "regression_threshold", "update": "regression_threshold"},
    "timeout": {"fetch": "timeout", "update": "timeout"},
    "retries": {"fetch": "retries", "update": "retries"},
    "backoff": {"fetch": "backoff", "update": "backoff"},
}


def read_settings_file(data: bytes, name: str) -> dict[str, dict[str, object]]:
    """The settings of a TOML settings file, as click defaults per command.

    Raises `SettingsError` for a file that is not TOML or names an unknown setting.
    """
    import tomllib

    try:
        document = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{name}: not a TOML file ({exc})") from exc
    unknown = sorted(set(document) - set(SETTINGS))
    if unknown:
        raise SettingsError(f"{name}: unknown setting {unknown[0]!r} (known: {', '.join(SETTINGS)})")
    defaults: dict[str, dict[str, object]] = {}
    for key, value in document.items():
        for command, parameter in SETTINGS[key].items():
            defaults.setdefault(command, {})[parameter] = value
    return defaults
