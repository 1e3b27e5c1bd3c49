"""Checking the URLs that end up in the feeds: absolute http(s), and nothing feed validators refuse."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# RFC 3986: unreserved and reserved characters, and percent escapes. Anything
# else (a space, quotes, <>, {}|\\^`) is invalid in a feed's links.
_URI = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def http_url_problem(url: str) -> str | None:
    """Why `url` cannot be a link in a feed, or None when it can."""
    if not _URI.fullmatch(url):
        return "has characters a URL cannot hold"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port out of range
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an absolute http(s) URL"
    try:
        parts.hostname.encode("idna")  # what the resolver will be asked: empty or over-long labels fail
    except UnicodeError as exc:
        return f"has a host name no resolver accepts ({exc})"
    return None


def as_uri(url: str) -> str:
    """`url` with its non-ASCII characters percent-encoded (an IRI made a URI, as RSS needs)."""
    return quote(url, safe="".join(chr(c) for c in range(33, 127)))
