"""A small static file server for the output folder, with the HTTP caching readers rely on.

For a local preview (the default --base-url points at it) and small
deployments. It serves only regular files inside the folder: no listings, no
dotfiles, nothing a `..`, an encoded `%2e%2e`, an absolute path or a symlink
could reach outside. It answers GET and HEAD, sends ETag and Last-Modified,
and answers 304 to a matching If-None-Match, or to an If-Modified-Since not
older than the file.
"""

from __future__ import annotations

import os
import sys
from email.message import Message
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Types the W3C validator and readers expect for each kind of file.
CONTENT_TYPES = {
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
CACHE_CONTROL = "public, max-age=300"  # readers poll often; five minutes of freshness, then a cheap 304


def content_type(name: str) -> str:
    for suffix, media_type in CONTENT_TYPES.items():
        if name.endswith(suffix):
            return media_type
    return "application/octet-stream"


def resolve(root: Path, request_path: str) -> Path | None:
    """The file under `root` that `request_path` names, or None when it names nothing servable."""
    path = unquote(urlsplit(request_path).path)
    if "\x00" in path or not path.startswith("/"):
        return None
    relative = path.lstrip("/") or "index.html"
    if any(part.startswith(".") for part in relative.split("/")):
        return None  # "..", and hidden files such as the build stamp
    candidate = (root / relative).resolve()  # follows symlinks: where they really lead is what counts
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _etag(stat: os.stat_result) -> str:
    # The file's size and modification time, as nginx does: a build leaves an unchanged file untouched.
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'


def _not_modified(headers: Message, stat: os.stat_result, etag: str) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:  # it takes precedence over If-Modified-Since (RFC 9110, 13.2.2)
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return int(stat.st_mtime) <= since
    return False


def handler_for(root: Path) -> type[BaseHTTPRequestHandler]:
    root = root.resolve()

    class Handler(BaseHTTPRequestHandler):
        server_version = "feedgen-unodc"
        sys_version = ""

        def _answer(self, with_body: bool) -> None:
            path = resolve(root, self.path)
            if path is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            stat = path.stat()
            etag = _etag(stat)
            status = HTTPStatus.NOT_MODIFIED if _not_modified(self.headers, stat, etag) else HTTPStatus.OK
            self.send_response(status)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(stat.st_mtime, usegmt=True))
            self.send_header("Cache-Control", CACHE_CONTROL)
            if status is HTTPStatus.NOT_MODIFIED:
                self.end_headers()
                return
            self.send_header("Content-Type", content_type(path.name))
            self.send_header("Content-Length", str(stat.st_size))
            self.end_headers()
            if with_body:
                with path.open("rb") as file:
                    self.wfile.write(file.read())

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _not_allowed(self) -> None:
            self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

        def log_error(self, format: str, *args: object) -> None:
            pass  # the request's own line already has its status: one line per request

        def log_message(self, format: str, *args: object) -> None:
            # One line per request on stderr, in the common log format's spirit.
            sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {format % args}\n")

    return Handler


def make_server(root: Path, host: str, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), handler_for(root))
    server.daemon_threads = True
    return server
