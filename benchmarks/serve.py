"""`feedgen-unodc serve` beside nginx serving the same folder, under the same load, in one run.

    python benchmarks/serve.py [--requests 1000] [--concurrency 50] [--idle 300] [--rounds 3]

Needs Debian's nginx and wrk (`apt-get install nginx-light wrk`). For each
round, each server in turn: wrk for 10 s at the given concurrency on the
all-items Atom feed (requests per second, latency percentiles); then a
Python client's fixed number of requests at the same concurrency (failures,
p50 and p99 latency); then, with `--idle` connections held open (a third of
them with a request begun and never finished), the time a GET takes. Both
servers serve a fresh build of the shipped listing, on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = """
worker_processes 1;
daemon off;
error_log {folder}/nginx-error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    server {{
        listen 127.0.0.1:{port} backlog=1024;
        root {site};
        etag on;
        add_header Cache-Control "public, max-age=300";
        location ~ /\\. {{ return 404; }}
        location ~ \\.atom\\.xml$ {{ types {{ }} default_type "application/atom+xml; charset=utf-8"; }}
        location ~ \\.rss\\.xml$ {{ types {{ }} default_type "application/rss+xml; charset=utf-8"; }}
        location ~ \\.json$ {{ types {{ }} default_type "application/feed+json; charset=utf-8"; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def ours(site: Path, folder: Path) -> Iterator[int]:
    command = shutil.which("feedgen-unodc") or str(Path(sys.executable).parent / "feedgen-unodc")
    port = free_port()
    with (folder / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [command, "serve", "--output", str(site), "--port", str(port)], stdout=log, stderr=log
        )
    try:
        wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def nginx(site: Path, folder: Path) -> Iterator[int]:
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(NGINX.format(folder=folder, port=port, site=site))
    process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(folder)], stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(port: int, concurrency: int) -> tuple[float, str, str]:
    """Requests per second, and the 50th and 99th percentile latencies, from wrk."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", "-d10s", "--latency", f"http://127.0.0.1:{port}/all.atom.xml"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:  # a server that answers 403 or 404 fast is not serving the files
        raise RuntimeError(f"wrk got errors from port {port}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)  # type: ignore[union-attr]
    return rps, p50, p99


def fixed_load(port: int, requests: int, concurrency: int) -> tuple[int, float, float]:
    """Failures, and the p50 and p99 latency in seconds, of `requests` GETs `concurrency` at a time."""

    def get(n: int) -> float | None:
        start = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", ["/", "/all.atom.xml", "/all.json", "/feeds.opml"][n % 4])
            response = connection.getresponse()
            response.read()
            connection.close()
        except OSError:
            return None
        return time.perf_counter() - start if response.status == 200 else None

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        times = list(pool.map(get, range(requests)))
    done = sorted(t for t in times if t is not None)
    if not done:
        return requests, float("nan"), float("nan")
    return requests - len(done), statistics.median(done), done[min(len(done) - 1, int(0.99 * len(done)))]


def with_idle(port: int, idle: int) -> float:
    """Seconds a GET takes while `idle` connections are held open, a third with a request half-sent."""
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(idle)]
    try:
        for sock in held[::3]:
            sock.sendall(b"GET /all.atom.xml HTTP/1.1\r\n")
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/all.atom.xml")
        connection.getresponse().read()
        connection.close()
        return time.perf_counter() - start
    finally:
        for sock in held:
            sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        folder.chmod(0o755)  # nginx's workers run as another user, who must read the files
        site = folder / "site"
        command = shutil.which("feedgen-unodc") or str(Path(sys.executable).parent / "feedgen-unodc")
        subprocess.run(
            [command, "build", "--source", ROOT / "source" / "latest-news.txt", "--archive", folder / "a.json",
             "--output", site, "--quiet"],
            check=True,
        )  # fmt: skip
        rows: dict[str, list[tuple[float, str, str, int, float, float, float]]] = {
            "feedgen-unodc serve": [],
            "nginx": [],
        }
        for _ in range(args.rounds):
            for name, server in (("feedgen-unodc serve", ours), ("nginx", nginx)):
                with server(site, folder) as port:
                    rows[name].append(
                        (*wrk(port, args.concurrency), *fixed_load(port, args.requests, args.concurrency),
                         with_idle(port, args.idle))
                    )  # fmt: skip
    print(
        f"{args.rounds} rounds; wrk -t2 -c{args.concurrency} -d10s on all.atom.xml; {args.requests} requests "
        f"at concurrency {args.concurrency}; a GET with {args.idle} idle connections"
    )
    print("| server | requests/s (wrk, median) | wrk p50 | wrk p99 | failures | p50 | p99 | GET beside idle |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, runs in rows.items():
        rps = statistics.median(r[0] for r in runs)
        worst = max(runs, key=lambda r: r[5])
        print(
            f"| {name} | {rps:,.0f} | {runs[0][1]} | {runs[0][2]} | {sum(r[3] for r in runs)} | "
            f"{statistics.median(r[4] for r in runs) * 1000:.1f} ms | {worst[5] * 1000:.1f} ms | "
            f"{max(r[6] for r in runs) * 1000:.1f} ms |"
        )


if __name__ == "__main__":
    main()
