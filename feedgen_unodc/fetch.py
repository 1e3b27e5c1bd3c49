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
import re
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
        """The validators saved in `data`; none when it is damaged (one unconditional fetch, nothing more)."""
        try:
            document = json.loads(data)
            values = [document.get("etag"), document.get("last_modified")]
        except (ValueError, AttributeError):
            return cls()
        # Only what can go back into a header line: a string of printable Latin-1.
        if not all(v is None or (isinstance(v, str) and re.fullmatch(r"[\x20-\x7e\xa0-\xff]*", v)) for v in values):
            return cls()
        return cls(*values)


@dataclass(frozen=True)
class Page:
    status: int  # 200, or 304 (not modified: no text)
    text: str
    validators: Validators


class _Truncated(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _read_within(response: http.client.HTTPResponse, deadline: float) -> bytes:
    # The socket timeout bounds each read; this bounds the whole body, so that a
    # server trickling a byte at a time cannot hold the run (and its lock) for ever.
    chunks = []
    while chunk := response.read(65536):
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError("the page took too long to arrive")
    body = b"".join(chunks)
    if response.length:  # bytes the Content-Length announced that never came
        raise http.client.IncompleteRead(body, response.length)
    return body


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(body: bytes, declared: str | None) -> str:
    """The text of an HTML page: by the charset the response declares, else the page's <meta>, else UTF-8."""
    if declared is None:
        found = _META_CHARSET.search(body[:4096])
        declared = found.group(1).decode("ascii") if found else None
    for charset in (declared, "utf-8"):
        if charset:
            try:
                return body.decode(charset, errors="replace")
            except (LookupError, UnicodeError, ValueError):
                continue  # an unknown or unusable charset ("idna"): fall back to UTF-8
    return body.decode("utf-8", errors="replace")


def _get(url: str, validators: Validators, timeout: float) -> Page:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
    if validators.etag:
        request.add_header("If-None-Match", validators.etag)
    if validators.last_modified:
        request.add_header("If-Modified-Since", validators.last_modified)
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in HTML_TYPES:
                raise FetchError(f"{url}: the answer is {content_type}, not an HTML page")
            try:
                body = _read_within(response, deadline)
            except http.client.IncompleteRead as exc:
                raise _Truncated(f"the page is cut short after {len(exc.partial)} bytes") from exc
            charset = response.headers.get_content_charset()
            new = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Page(304, "", validators)
        raise
    if not body.strip():
        raise FetchError(f"{url}: the page is empty")
    text = decode_html(body, charset)
    lowered = text.lower()
    if "<html" in lowered and "</html>" not in lowered:
        raise _Truncated(f"the page stops before its end (no </html> after {len(body)} bytes)")
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
            if 300 <= exc.code < 400:  # urllib follows redirects; one it gives back is a loop or a dead end
                raise FetchError(f"{url}: HTTP {exc.code}: too many redirects, or one without a target") from exc
            reason = f"HTTP {exc.code} {' '.join(str(exc.reason).split())}"
            if exc.code < 500:
                raise FetchError(f"{url}: {reason} (a client error: not retried)") from exc
        except _Truncated as exc:
            reason = exc.why
        except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            cause = getattr(exc, "reason", exc)
            reason = "timed out" if isinstance(cause, TimeoutError) else f"cannot connect: {cause}"
            reason = " ".join(reason.split())
        except (UnicodeError, ValueError) as exc:  # a host name IDNA refuses, a URL urllib cannot use
            raise FetchError(f"{url}: not a usable URL ({exc})") from exc
        attempt += 1
        if attempt > retries:
            tries = "try" if attempt == 1 else "tries"
            raise FetchError(f"{url}: {reason} ({attempt} {tries})")
        sleep(backoff * 2 ** (attempt - 1))
