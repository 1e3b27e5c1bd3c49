"""What a deployment may change, and the defaults that build the committed `output/`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

LISTING_URL = "https://www.unodc.org/unodc/en/human-trafficking/latest-news.html"
DEFAULT_BASE_URL = "http://localhost:8000/"
DEFAULT_SOURCE = "source/latest-news.txt"
DEFAULT_OUTPUT = "output"
BASE_URL_ENV = "FEEDGEN_UNODC_BASE_URL"


class SettingsError(ValueError):
    """A setting that cannot work (say, a base URL that is not an absolute http URL)."""


def normalize_base_url(url: str) -> str:
    """`url` as the folder URL the feeds are published under, ending in '/'.

    >>> normalize_base_url("https://example.org/feeds")
    'https://example.org/feeds/'
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url.strip():
        raise SettingsError(f"base URL {url!r} is not an absolute http(s) URL")
    if parts.query or parts.fragment:
        raise SettingsError(f"base URL {url!r} must not have a query or fragment")
    base = url.strip()
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class FeedSettings:
    """What the feeds say about themselves."""

    base_url: str = DEFAULT_BASE_URL  # the public folder the files are served from
    listing_url: str = LISTING_URL  # the page the items come from
    author: str = "UNODC Human Trafficking and Migrant Smuggling Section"
    language: str = "en"
