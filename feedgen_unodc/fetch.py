"""Downloading the listing page, politely and defensively.

- A timeout on every request, and a few retries with exponential backoff on
  connection errors, timeouts, truncated bodies and 5xx answers; none on 4xx,
  which will not get better by asking again.
- A User-Agent that names the project, so that the site's operators know who
  is calling.
- Conditional GET: the ETag and Last-Modified of the last good fetch are sent
  back, and a 304 answer means there is nothing to do.
- The body is decoded with the charset the response declares (UTF-8 when it
  declares none), and refused when it is not HTML or is cut short.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from . import __version__

USER_AGENT = f"feedgen-unodc/{__version__} (unofficial feeds of the UNODC human trafficking news listing)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class FetchError(Exception):
    """The page could not be fetched, or what came back is not the listing page."""


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the version we have (for conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None

    def dumps(self) -> bytes:
        return (json.dumps({"etag": self.etag, "last_modified": self.last_modified}, indent=1) + "\n").encode()

    @classmethod
    def loads(cls, data: bytes) -> Validators:
        try:
            document = json.loads(data)
            return cls(document.get("etag"), document.get("last_modified"))
        except (ValueError, AttributeError):
            return cls()  # a damaged state file costs one unconditional fetch, nothing more


@dataclass(frozen=True)
class Page:
    status: int  # 200, or 304 (not modified: no text)
    text: str
    validators: Validators


def _get(url: str, validators: Validators, timeout: float) -> Page:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    if validators.etag:
        request.add_header("If-None-Match", validators.etag)
    if validators.last_modified:
        request.add_header("If-Modified-Since", validators.last_modified)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in HTML_TYPES:
                raise FetchError(f"{url}: the answer is {content_type}, not an HTML page")
            body = response.read()
            charset = response.headers.get_content_charset() or "utf-8"
            new = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Page(304, "", validators)
        raise
    if not body.strip():
        raise FetchError(f"{url}: the page is empty")
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    lowered = text.lower()
    if "<html" in lowered and "</html>" not in lowered:
        raise http.client.IncompleteRead(body)  # the document stops before its end
    return Page(200, text, new)


def fetch(
    url: str,
    validators: Validators = Validators(),
    *,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Page:
    """GET `url`; raise `FetchError` with one line saying why when there is no usable page."""
    attempt = 0
    while True:
        try:
            return _get(url, validators, timeout)
        except urllib.error.HTTPError as exc:
            reason = f"HTTP {exc.code} {exc.reason}"
            if exc.code < 500:
                raise FetchError(f"{url}: {reason} (a client error: not retried)") from exc
        except http.client.IncompleteRead as exc:
            reason = f"the page is cut short after {len(exc.partial)} bytes"
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            cause = getattr(exc, "reason", exc)
            reason = "timed out" if isinstance(cause, TimeoutError) else f"cannot connect: {cause}"
        attempt += 1
        if attempt > retries:
            tries = "try" if attempt == 1 else "tries"
            raise FetchError(f"{url}: {reason} ({attempt} {tries})")
        sleep(backoff * 2 ** (attempt - 1))
