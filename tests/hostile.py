"""A raw TCP server on 127.0.0.1 that misbehaves as a script says, for the fetcher's tests.

Each connection runs the script with a socket; every script loop is bounded
and ends when the client hangs up or the server stops.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

Script = Callable[[socket.socket, threading.Event], None]


# A certificate for localhost and 127.0.0.1, valid until 2126, with its key: trusted by a test that says so
# (SSL_CERT_FILE), by no one else. Made with:
#   openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=localhost \
#       -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout key.pem -out cert.pem; cat cert.pem key.pem
CERTIFICATE = Path(__file__).parent / "tls" / "localhost.pem"


@contextmanager
def hostile(script: Script, *, tls: bool = False, handshake: bool = True) -> Iterator[str]:
    """Serve `script` on a free port while the block runs; yields the server's URL.

    With `tls`, over TLS with the localhost certificate (https://localhost:PORT/...), and, but for
    `handshake`, never answering the client's TLS greeting.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(CERTIFICATE)

    def serve(conn: socket.socket) -> None:
        with conn, suppress(OSError):
            conn.settimeout(5)
            if not tls:
                conn.recv(65536)  # the request
                script(conn, stop)
            elif not handshake:
                stop.wait(5)
            else:
                with context.wrap_socket(conn, server_side=True) as secured:
                    secured.recv(65536)
                    script(secured, stop)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        yield f"https://localhost:{port}/latest-news.html" if tls else f"http://127.0.0.1:{port}/latest-news.html"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def drip(parts: Iterator[bytes], pause: float) -> Script:
    """Send `parts` one at a time, `pause` seconds apart."""

    def script(conn: socket.socket, stop: threading.Event) -> None:
        for part in parts:
            if stop.is_set():
                return
            conn.sendall(part)
            time.sleep(pause)

    return script


def slow_headers() -> Script:
    """A status line, then a header one byte every half second: a run held for ever by a byte at a time."""
    return drip(iter([b"HTTP/1.1 200 OK\r\n"] + [b"X"] * 400), 0.5)


def endless_continue() -> Script:
    """`100 Continue`, again and again: http.client reads each and waits for the next."""
    return drip(iter([b"HTTP/1.1 100 Continue\r\n\r\n"] * 100_000), 0.01)


def slow_body() -> Script:
    """Headers at once, then the body one byte every half second."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    return drip(iter([head] + [b"<"] * 400), 0.5)


def trickled_body() -> Script:
    """An HTTP/1.0 answer, its connection closed after it, its body a byte every twentieth of a second:
    never silent long enough for a socket timeout, and http.client lets go of the connection's socket."""
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
    return drip(iter([head] + [b"<"] * 2000), 0.05)


def endless_body(chunk: int = 64 * 1024) -> Script:
    """Headers, then a body without end, as fast as the client reads it."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>"
    return drip(iter([head] + [b"<p>" + b"x" * chunk + b"</p>"] * 100_000), 0)


def answer(status: str, headers: dict[str, str], body: bytes = b"") -> Script:
    """One ordinary answer."""
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    return drip(iter([head.encode() + body]), 0)
