"""Downloading the listing page, politely and defensively.

- **One deadline** for the whole fetch: connecting (each address in turn),
  the TLS handshake, the headers, the body, every redirect and every retry
  end when `timeout` seconds have passed since the fetch began. A watchdog
  shuts the connection at the deadline, so that a server that trickles its
  headers, sends `100 Continue` for ever or drips its body a byte at a time
  cannot hold a run (and its lock) any longer. Only resolving the host name
  is left to the system resolver's own timeouts.
- **A size limit**: a body longer than `max_bytes` (counted after any gzip
  decoding) is refused as soon as it is; nothing more is read or held.
- A few **retries** with exponential backoff, within the deadline, on
  connection errors, timeouts, truncated bodies and 5xx answers; none on 4xx,
  which will not get better by asking again.
- **Redirects** are followed to http and https URLs only, five at most.
- A **User-Agent** that names the project, and **conditional GET**: the ETag
  and Last-Modified of the last good fetch are sent back, and a 304 answer
  means there is nothing to do.
- **Charset**: the bytes decide when they disagree with what the response or
  the page declares (UTF-8 bytes declared ISO-8859-1 would publish "RÃ©seaux");
  the decision is a warning.
"""

from __future__ import annotations

import codecs
import http.client
import json
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from charset_normalizer import from_bytes

from . import __version__
from .urls import as_uri

USER_AGENT = f"feedgen-unodc/{__version__} (unofficial feeds of the UNODC human trafficking news listing)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
ANY_TYPE = "*/*"  # among `types`: an answer of any media type is usable (robots.txt, whatever it is served as)
DEFAULT_TIMEOUT = 30.0  # seconds for the whole fetch, retries included
DEFAULT_MAX_BYTES = 4 * 1024 * 1024  # the real page is about 100 KB
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The page could not be fetched, or what came back is not the listing page.

    `status` is the HTTP status of a client error (4xx), which is not retried; None otherwise.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _Retry(Exception):
    """A failure that asking again may mend: a connection error, a timeout, a truncated body, a 5xx."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Validators:
    """What the server said identifies the version we have (for conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None

    def dumps(self, url: str, saved: bytes = b"") -> bytes:
        """The fetch state `saved` with these validators as those of `url`: each URL keeps its own."""
        document = {u: {"etag": v.etag, "last_modified": v.last_modified} for u, v in _state(saved).items()}
        document[url] = {"etag": self.etag, "last_modified": self.last_modified}
        return (json.dumps(dict(sorted(document.items())), indent=1) + "\n").encode()

    @classmethod
    def loads(cls, data: bytes, url: str) -> Validators:
        """The validators saved in `data` for `url`; none for a URL never fetched, or when `data` is damaged.

        Validators are never sent to another URL than the one that gave them:
        another server could answer 304 for a page never fetched.
        """
        return _state(data).get(url, cls())


def _state(data: bytes) -> dict[str, Validators]:
    """The validators of each URL in a fetch state file; what is damaged is left out (one unconditional fetch)."""
    try:
        document = json.loads(data) if data.strip() else {}
    except (ValueError, RecursionError):
        return {}
    if not isinstance(document, dict):
        return {}
    state = {}
    for url, saved in document.items():
        if not isinstance(saved, dict):
            continue
        values = [saved.get("etag"), saved.get("last_modified")]
        # Only what can go back into a header line: a string of printable Latin-1.
        if all(v is None or (isinstance(v, str) and re.fullmatch(r"[\x20-\x7e\xa0-\xff]*", v)) for v in values):
            state[url] = Validators(*values)
    return state


@dataclass(frozen=True)
class Page:
    status: int  # 200, or 304 (not modified: no text)
    text: str
    validators: Validators
    warnings: tuple[str, ...] = ()  # what was doubtful but not fatal (the charset)
    body: bytes = b""  # the answer's bytes, of an answer that is not text (an image)


class _Deadline:
    """The moment the fetch must end, and a watchdog that enforces it on a connection."""

    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.end = clock() + seconds

    def left(self) -> float:
        return self.end - self.clock()

    @contextmanager
    def watching(self, target: _Target) -> Iterator[http.client.HTTPConnection]:
        """A connection to `target`, shut when the deadline passes: any read blocked on it then fails at once.

        Each address the host name resolves to is tried in turn, each with the
        time left, until the deadline. The socket is held here from the moment
        it exists, so that the watchdog can shut it during the TLS handshake
        too, and after http.client lets go of it (`connection.sock` is None
        once an answer says the connection closes after it, while its body is
        still being read). Resolving the name is the one step not bounded: the
        system's resolver has its own timeouts.
        """
        expired = threading.Event()
        held: list[socket.socket] = []

        def shut() -> None:
            expired.set()
            for sock in held:
                with suppress(OSError):  # closed already
                    sock.shutdown(socket.SHUT_RDWR)

        timer = threading.Timer(max(self.left(), 0.0), shut)
        timer.daemon = True
        timer.start()
        connection = target.connection()
        try:
            raw = self._connect(target, held)
            if expired.is_set():
                raise _Retry("timed out")
            connection.sock = self._secured(raw, target, held) if target.tls else raw
            yield connection
        except Exception as exc:  # whatever a shut connection made of the answer: what a half-read said
            if expired.is_set() or self.left() <= 0:
                raise _Retry("timed out") from exc
            raise
        finally:
            timer.cancel()
            connection.close()
            for sock in held:
                sock.close()
        if expired.is_set():
            raise _Retry("timed out")

    def _connect(self, target: _Target, held: list[socket.socket]) -> socket.socket:
        """A socket connected to one of the target's addresses, tried in turn with the time left."""
        failure: OSError = TimeoutError("timed out")
        for family, kind, protocol, _, address in socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM):
            left = self.left()
            if left <= 0:
                break
            sock = socket.socket(family, kind, protocol)
            held.append(sock)
            sock.settimeout(left)
            try:
                sock.connect(address)
            except OSError as exc:
                failure = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as http.client does
            return sock
        raise failure

    def _secured(self, raw: socket.socket, target: _Target, held: list[socket.socket]) -> ssl.SSLSocket:
        """`raw` wrapped in TLS, its certificate checked against the system's authorities and the host name.

        Wrapping takes `raw`'s file descriptor over, so the TLS socket is held
        before the handshake starts: the watchdog shuts that one from then on.
        """
        secured = ssl.create_default_context().wrap_socket(
            raw, server_hostname=target.host, do_handshake_on_connect=False
        )
        held.append(secured)
        if self.left() <= 0:
            raise _Retry("timed out")
        secured.do_handshake()
        return secured


@dataclass(frozen=True)
class _Target:
    """Where a URL's request goes: its host (IDNA-encoded), port and path, over TLS or not."""

    host: str
    port: int
    path: str
    tls: bool

    @classmethod
    def of(cls, url: str) -> _Target:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http and https URLs are fetched")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        tls = parts.scheme == "https"
        return cls(parts.hostname.encode("idna").decode("ascii"), parts.port or (443 if tls else 80), path, tls)

    def connection(self) -> http.client.HTTPConnection:
        """An unconnected connection, for its Host header and its reading of the answer: `watching` connects it."""
        if self.tls:
            return http.client.HTTPSConnection(self.host, self.port)
        return http.client.HTTPConnection(self.host, self.port)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    """The codec `name` stands for, or None for a name no decoder has."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, declared: str | None) -> tuple[str, str | None]:
    """The text of an HTML page, and a warning when the bytes and the declared charset disagree.

    The charset is the one the response declares, else the page's `<meta
    charset>`, else UTF-8. Bytes that are valid UTF-8 and not plain ASCII are
    UTF-8 whatever the declaration says: text in a single-byte charset is
    almost never valid UTF-8 by chance. Bytes that the declared charset
    cannot decode are read by charset-normalizer's best guess.
    """
    name = declared
    if name is None:
        found = _META_CHARSET.search(body[:4096])
        name = found.group(1).decode("ascii") if found else None
    codec = _codec(name)
    try:
        utf8: str | None = body.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and (codec in (None, "utf-8") or not body.isascii()):
        if codec not in (None, "utf-8") and name is not None:
            return utf8, f"the page declares {name}, but its bytes are UTF-8: read as UTF-8"
        return utf8, None
    if codec is not None and codec != "utf-8":
        try:
            return body.decode(codec), None
        except (UnicodeError, LookupError, ValueError):  # the wrong charset, or a codec for no text ("base64")
            pass
    best = from_bytes(body[: 1024 * 1024]).best()
    guess = best.encoding if best is not None else "utf-8"
    said = f"declares {name}" if name else "declares no charset"
    return body.decode(guess, errors="replace"), f"the page {said}, but its bytes are not that: read as {guess}"


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The whole body, decoded from gzip or deflate if so sent, refused as soon as it passes `max_bytes`."""
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes and not response.getheader("Content-Encoding"):
        raise FetchError(f"the page is {int(length)} bytes, more than the limit of {max_bytes}")
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchError(f"the page is sent in a content encoding this program does not read ({encoding})")
    inflate = None if encoding == "identity" else zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in encoding else 0)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(_CHUNK):
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as exc:
                raise FetchError(f"the page's {encoding} encoding is damaged ({exc})") from exc
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"the page is more than the limit of {max_bytes} bytes")
        chunks.append(chunk)
    if response.length:  # bytes the Content-Length announced that never came
        raise http.client.IncompleteRead(b"".join(chunks), response.length)
    return b"".join(chunks)


def _get(
    url: str, validators: Validators, deadline: _Deadline, max_bytes: int, types: Collection[str], empty_ok: bool
) -> Page:
    """One try: the request and its redirects, within the deadline."""
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(sorted(types)), "Accept-Encoding": "gzip"}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    for _ in range(MAX_REDIRECTS + 1):
        if deadline.left() <= 0:
            raise _Retry("timed out")
        target = _Target.of(url)
        response: http.client.HTTPResponse | None = None
        try:
            with deadline.watching(target) as connection:
                connection.request("GET", target.path, headers=headers)
                response = connection.getresponse()
                status = response.status
                if status in (301, 302, 303, 307, 308):
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(f"{url}: HTTP {status} without a Location to go to")
                    url = as_uri(urljoin(url, location.strip()))
                    continue
                if status == 304:
                    return Page(304, "", validators)
                reason = " ".join(str(response.reason).split())
                if status >= 500:
                    raise _Retry(f"HTTP {status} {reason}")
                if status != 200:
                    raise FetchError(f"{url}: HTTP {status} {reason} (a client error: not retried)", status)
                content_type = response.headers.get_content_type()
                if content_type not in types and ANY_TYPE not in types:
                    what = "an HTML page" if types is HTML_TYPES else " or ".join(sorted(types))
                    raise FetchError(f"{url}: the answer is {content_type}, not {what}")
                try:
                    body = _read_body(response, max_bytes)
                except http.client.IncompleteRead as exc:
                    raise _Retry(f"the page is cut short after {len(exc.partial)} bytes") from exc
                except FetchError as exc:
                    raise FetchError(f"{url}: {exc}") from exc
                charset = response.headers.get_content_charset()
                new = Validators(response.getheader("ETag"), response.getheader("Last-Modified"))
        except (OSError, http.client.HTTPException) as exc:
            raise _Retry(f"cannot connect: {' '.join(str(exc).split()) or type(exc).__name__}") from exc
        finally:
            if response is not None:
                response.close()
        if not body.strip() and not empty_ok:
            raise FetchError(f"{url}: the page is empty")
        if not content_type.startswith("text/"):
            return Page(200, "", new, body=body)
        text, warning = decode_html(body, charset)
        lowered = text.lower()
        if "<html" in lowered and "</html>" not in lowered:
            raise _Retry(f"the page stops before its end (no </html> after {len(body)} bytes)")
        return Page(200, text, new, (warning,) if warning else ())
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def fetch(
    url: str,
    validators: Validators = Validators(),
    *,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    types: Collection[str] = HTML_TYPES,
    empty_ok: bool = False,
) -> Page:
    """GET `url`; raise `FetchError` with one line saying why when there is no usable page.

    Everything, retries and their pauses included, ends `timeout` seconds
    after the call. Only an answer of one of the media `types` is usable
    (an HTML page, unless told otherwise; `ANY_TYPE` among them: any), and,
    unless `empty_ok`, only one with something in it.
    """
    deadline = _Deadline(timeout, clock)
    attempt = 0
    while True:
        try:
            return _get(url, validators, deadline, max_bytes, types, empty_ok)
        except _Retry as exc:
            reason = exc.why
        except (UnicodeError, ValueError) as exc:  # a host name IDNA refuses, a URL no parser takes
            raise FetchError(f"{url}: not a usable URL ({exc})") from exc
        attempt += 1
        pause = backoff * 2 ** (attempt - 1)
        if attempt > retries or pause >= deadline.left():
            tries = "try" if attempt == 1 else "tries"
            raise FetchError(f"{url}: {reason} ({attempt} {tries})")
        sleep(pause)


NOTICE_BYTES = 64 * 1024  # what is read of the answer to a notice: a hub or a monitor says little


def notify(url: str, body: bytes | None = None, *, content_type: str = "", timeout: float = 10.0) -> int:
    """Tell `url` something, once: POST `body` (of `content_type`), or GET without one; the HTTP status of
    an answer 2xx. A hub's ping and a monitor's are notices: no retry (the caller keeps what was not
    taken for its next run) and no redirect followed (a notice that moved should be set to its new URL).

    Raises `FetchError` with one line saying why otherwise: refused, timed out (everything ends `timeout`
    seconds after the call), a redirect, a 4xx or a 5xx.
    """
    deadline = _Deadline(timeout, time.monotonic)
    headers = {"User-Agent": USER_AGENT}
    if body is not None:
        headers["Content-Type"] = content_type or "application/octet-stream"
    try:
        target = _Target.of(url)
        with deadline.watching(target) as connection:
            connection.request("GET" if body is None else "POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(NOTICE_BYTES)
            status, reason = response.status, " ".join(str(response.reason).split())
            location = response.getheader("Location")
    except _Retry as exc:
        raise FetchError(exc.why) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"cannot connect: {' '.join(str(exc).split()) or type(exc).__name__}") from exc
    except (UnicodeError, ValueError) as exc:
        raise FetchError(f"not a usable URL ({exc})") from exc
    if 300 <= status < 400:
        raise FetchError(f"HTTP {status} {reason}, to {location or 'nowhere'}: set that URL instead", status)
    if not 200 <= status < 300:
        raise FetchError(f"HTTP {status} {reason}", status)
    return status
