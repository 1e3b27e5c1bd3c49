"""A scripted HTTP server on 127.0.0.1 that plays the UNODC site in the tests.

Each path has a list of answers, served in turn (the last one again and
again). An answer may be a page, an HTTP error, a slow page, a truncated
body, and honours If-None-Match for 304s. Requests are recorded, and the
bodies of POSTs (a WebSub hub's pings, a monitor's failure reports).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    delay: float = 0.0  # seconds before answering: longer than the client's timeout is a timeout
    truncate_to: int | None = None  # send only this many bytes of a body announced whole
    trickle: float = 0.0  # seconds between kibibytes of the body: a server that is slow but never silent
    location: str | None = None  # for a redirect


@dataclass
class Site:
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    posts: list[tuple[str, bytes]] = field(default_factory=list)  # (path, body) of each POST
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers)))
            queue = site.answers.get(self.path) or [Answer(404, b"<html><body>Not found</body></html>")]
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            time.sleep(answer.delay)
            if answer.etag and self.headers.get("If-None-Match") == answer.etag:
                self.send_response(304)
                self.send_header("ETag", answer.etag)
                self.end_headers()
                return
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            if answer.etag:
                self.send_header("ETag", answer.etag)
            if answer.location:
                self.send_header("Location", answer.location)
            self.end_headers()
            body = answer.body[: answer.truncate_to]
            if answer.trickle:
                for start in range(0, len(body), 1024):
                    self.wfile.write(body[start : start + 1024])
                    self.wfile.flush()
                    time.sleep(answer.trickle)
            else:
                self.wfile.write(body)
            if answer.truncate_to is not None:
                self.close_connection = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 1 << 20))
            site.requests.append((self.path, dict(self.headers)))
            site.posts.append((self.path, body))
            queue = site.answers.get(self.path) or [Answer(404)]
            answer = queue.pop(0) if len(queue) > 1 else queue[0]
            time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Length", str(len(answer.body)))
            if answer.location:
                self.send_header("Location", answer.location)
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, format: str, *args: object) -> None:  # quiet in test output
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler still trickling to a client that gave up does not hold the test
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) is expected, not news


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Serve `site` on a free port of 127.0.0.1 while the block runs."""
    server = _QuietServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
