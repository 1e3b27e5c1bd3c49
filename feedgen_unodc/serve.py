"""Serving the output folder over HTTP, with the caching readers rely on, on a production server.

The server is waitress: pure Python and made for production, it keeps idle
and slow connections in one event loop (poll, not select: no limit of 1,024
sockets) and hands whole requests to a small pool of threads, so that a
client holding connections open, or sending a byte at a time, keeps no one
else waiting. This module is the application it runs:

- only regular files inside the folder are served: no listings, no hidden
  files, nothing a `..`, an encoded `%2e%2e`, an absolute path or a symlink
  could reach outside, and no file named as a folder (`/all.atom.xml/`);
- GET and HEAD; anything else is 405 with `Allow`;
- `ETag` and `Last-Modified` from the file's size and modification time
  (a build leaves an unchanged file untouched), `Cache-Control`, and 304 to a
  matching `If-None-Match`, or to an `If-Modified-Since` not older than the
  file and not in the future (RFC 9110, 13.1.3: such a date is invalid);
- one line per request on stderr, control characters in it escaped, so that
  a request line cannot forge or garble the log.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import waitress
from waitress import wasyncore

from .catalog import media_type_of

CACHE_CONTROL = "public, max-age=300"  # readers poll often; five minutes of freshness, then a cheap 304
ALLOW = "GET, HEAD"
# Production settings for a small public deployment. Idle connections wait in
# the event loop, not in a thread; each is dropped after a minute of silence.
THREADS = 8
CONNECTION_LIMIT = 2000
CHANNEL_TIMEOUT = 60
BACKLOG = 1024

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
_Response = tuple[str, list[tuple[str, str]], Iterable[bytes], int]  # status, headers, body, its length
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def resolve(root: Path, request_path: str) -> Path | None:
    """The file under `root` that `request_path` (percent-encoded) names, or None when it names nothing servable."""
    path = unquote(request_path)
    if "\x00" in path or not path.startswith("/"):
        return None
    relative = path.lstrip("/") or "index.html"
    if any(part.startswith(".") for part in relative.split("/")):
        return None  # "..", and hidden files such as the build stamp
    if relative.endswith("/"):
        return None  # a folder's name: none is listed, and a file followed by "/" is no file
    candidate = (root / relative).resolve()  # follows symlinks: where they really lead is what counts
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _etag(stat: os.stat_result) -> str:
    # The file's size and modification time, as nginx does: a build leaves an unchanged file untouched.
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'


def _not_modified(environ: dict[str, Any], stat: os.stat_result, etag: str, now: float) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:  # it takes precedence over If-Modified-Since (RFC 9110, 13.2.2)
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False  # not an HTTP date: ignored
        if since > now:
            return False  # a date in the future is invalid, and ignored (RFC 9110, 13.1.3)
        return int(stat.st_mtime) <= since
    return False


def escaped(text: str) -> str:
    """`text` with control characters written as escapes: one log line stays one honest line."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def application(root: Path, log: Callable[[str], None]) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application serving `root`; `log` takes one line per request."""
    root = root.resolve()

    def answer(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        status, headers, body, length = _respond(root, environ, method)
        start_response(status, headers)
        line = f"{method} {environ.get('REQUEST_URI', '')} {environ.get('SERVER_PROTOCOL', '')}"
        log(
            f"{environ.get('REMOTE_ADDR', '-')} - [{time.strftime('%d/%b/%Y:%H:%M:%S %z')}] "
            f'"{escaped(line)}" {status.split()[0]} {length}'
        )
        return body

    def _respond(root: Path, environ: dict[str, Any], method: str) -> _Response:
        if method not in ("GET", "HEAD"):
            return "405 Method Not Allowed", [("Allow", ALLOW), ("Content-Length", "0")], [], 0
        path = resolve(root, environ.get("REQUEST_URI", "/").split("?", 1)[0])
        if path is None:
            body = b"Not Found\n"
            headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
            return "404 Not Found", headers, [body] if method == "GET" else [], len(body)
        stat = path.stat()
        etag = _etag(stat)
        headers = [
            ("ETag", etag),
            ("Last-Modified", formatdate(stat.st_mtime, usegmt=True)),
            ("Cache-Control", CACHE_CONTROL),
        ]
        if _not_modified(environ, stat, etag, time.time()):
            return "304 Not Modified", headers, [], 0
        headers += [("Content-Type", media_type_of(path.name)), ("Content-Length", str(stat.st_size))]
        if method == "HEAD":
            return "200 OK", headers, [], 0
        wrapper = environ.get("wsgi.file_wrapper")
        file = path.open("rb")
        return "200 OK", headers, wrapper(file) if wrapper else iter(lambda: file.read(65536), b""), stat.st_size

    return answer


class Server:
    """waitress serving `root` on `host` and `port` (0: any free one), until `stop`."""

    def __init__(self, root: Path, host: str, port: int, log: Callable[[str], None] | None = None) -> None:
        self._sockets: dict[int, Any] = {}  # waitress's map of open sockets: ours, so that `stop` can close them

        # waitress says "Serving on..." and, for every client that hangs up early, a line of its own: we say
        # what we serve ourselves, and a client that goes away is no error of the server's.
        logging.getLogger("waitress").setLevel(logging.CRITICAL)
        self._server = waitress.create_server(
            application(root, log or (lambda line: print(line, file=sys.stderr, flush=True))),
            map=self._sockets,
            host=host,
            port=port,
            threads=THREADS,
            connection_limit=CONNECTION_LIMIT,
            channel_timeout=CHANNEL_TIMEOUT,
            backlog=BACKLOG,
            asyncore_use_poll=True,
            ident="feedgen-unodc",
            expose_tracebacks=False,
        )

    @property
    def address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    def run(self) -> None:
        """Serve until `stop`: the event loop runs while a socket is open."""
        self._server.run()

    def stop(self) -> None:
        """Close every socket, the listener's and each client's, so that `run` returns; safe in a signal handler.

        An exception raised from a signal handler would be caught by the
        loop's own handlers of the connection it interrupted: closing the
        sockets is what ends the loop, whatever it was doing.
        """
        wasyncore.close_all(self._sockets, ignore_all=True)

    def close(self) -> None:
        self.stop()
        self._server.task_dispatcher.shutdown(timeout=5)
