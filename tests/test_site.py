"""For subscribers: the pages, JSON Feed, OPML, and `serve` with HTTP caching, read by real clients."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import feedparser
import jsonschema
import listparser
import pytest
from support import FEED_FILES, SEED_ITEMS, listing, read, render

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text())
JSON_FILES = ["all.json", "trafficking.json", "smuggling.json"]
CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.parametrize("name", JSON_FILES)
def test_json_feeds_validate_and_match_the_atom_feeds(seed_output: Path, name: str) -> None:
    document = json.loads((seed_output / name).read_text())
    jsonschema.validate(document, SCHEMA)
    atom = feedparser.parse((seed_output / name.replace(".json", ".atom.xml")).read_bytes())
    assert [i["id"] for i in document["items"]] == [e.id for e in atom.entries]
    assert [i["title"] for i in document["items"]] == [e.title for e in atom.entries]
    assert [i["url"] for i in document["items"]] == [e.link for e in atom.entries]
    assert [i["content_html"] for i in document["items"]] == [e.summary for e in atom.entries]
    assert [i["tags"] for i in document["items"]] == [[t.term for t in e.tags] for e in atom.entries]
    assert [i["date_published"] for i in document["items"]] == [
        e.published.replace("+00:00", "Z") for e in atom.entries
    ]
    assert document["feed_url"] == f"http://localhost:8000/{name}"


def test_the_opml_list_names_every_feed_for_a_real_opml_client(seed_output: Path) -> None:
    result = listparser.parse((seed_output / "feeds.opml").read_bytes())
    assert not result.bozo, result.get("bozo_exception")
    urls = sorted(feed.url for feed in result.feeds)
    assert urls == sorted(f"http://localhost:8000/{name}" for name in [*FEED_FILES, *JSON_FILES])
    assert {feed.categories[0][0] for feed in result.feeds} == {"All news", "Human trafficking", "Migrant smuggling"}
    assert all(feed.title for feed in result.feeds)


def test_pages_escape_listing_text() -> None:
    items, _ = read(listing("1 May 2021\nHuman trafficking & <script>alert(1)</script>\n<b>bold</b> & more.\n"))
    page = render(items)["index.html"].decode()
    assert "<script>alert" not in page
    assert "Human trafficking &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more." in page
    assert not re.search(r"(src|href)=\"(https?:)?//(?!www\.unodc\.org)", page)  # nothing from other hosts


# --- serve ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(seed_output: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed's output folder, with a symlink that leads out of it and a subfolder."""
    folder = tmp_path_factory.mktemp("served") / "output"
    shutil.copytree(seed_output, folder)
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("secret")
    (folder / "escape.html").symlink_to(outside)
    (folder / "sub").mkdir()
    return folder


@contextmanager
def serving(folder: Path, log: Path) -> Iterator[str]:
    """`feedgen-unodc serve` of `folder` on a free port of 127.0.0.1 while the block runs, its stderr in `log`."""
    with log.open("w") as errors:  # a file, not a pipe: a pipe nobody reads would fill and stop the server
        process = subprocess.Popen(
            [sys.executable, "-m", "feedgen_unodc", "serve", "--output", str(folder), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        yield match.group(0)
    finally:
        process.terminate()
        code = process.wait(timeout=10)
        process.stdout.close()
    assert code == 0  # SIGTERM is how a server is told to stop: no failure


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's server writes its log."""
    return tmp_path_factory.mktemp("log") / "serve.log"


@pytest.fixture(scope="module")
def server(served: Path, server_log: Path) -> Iterator[str]:
    """`feedgen-unodc serve` on a free port of 127.0.0.1, serving a copy of the seed's output folder."""
    with serving(served, server_log) as url:
        yield url


def request(base: str, path: str, method: str = "GET", **headers: str) -> http.client.HTTPResponse:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("all.atom.xml", "application/atom+xml; charset=utf-8"),
        ("trafficking.rss.xml", "application/rss+xml; charset=utf-8"),
        ("smuggling.json", "application/feed+json; charset=utf-8"),
        ("feeds.opml", "text/x-opml; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("", "text/html; charset=utf-8"),
    ],
)
def test_serve_gives_each_file_its_type_and_cache_validators(server: str, name: str, media_type: str) -> None:
    response = request(server, f"/{name}")
    assert response.status == 200
    assert response.getheader("Content-Type") == media_type
    assert response.getheader("ETag")
    assert response.getheader("Last-Modified")


@pytest.mark.parametrize("name", [*FEED_FILES, *JSON_FILES])
def test_a_reader_polling_twice_gets_304_the_second_time(server: str, name: str) -> None:
    first = feedparser.parse(server + name)
    assert first.status == 200
    if name.endswith(".xml"):  # feedparser 6 does not read JSON Feed: it is the HTTP client here, jsonschema the reader
        assert not first.bozo
        assert first.entries
    second = feedparser.parse(server + name, etag=first.etag, modified=first.modified)
    assert second.status == 304
    by_date = feedparser.parse(server + name, modified=first.modified)
    assert by_date.status == 304


def test_head_answers_without_a_body_and_conditions_are_honoured(server: str) -> None:
    head = request(server, "/all.atom.xml", "HEAD")
    assert head.status == 200
    assert int(head.getheader("Content-Length") or 0) > 0
    etag = head.getheader("ETag") or ""
    assert request(server, "/all.atom.xml", **{"If-None-Match": f'"other", {etag}'}).status == 304
    assert request(server, "/all.atom.xml", **{"If-None-Match": '"other"'}).status == 200
    assert request(server, "/all.atom.xml", **{"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}).status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "//etc/passwd",
        "/output/../../etc/passwd",
        "/escape.html",  # a symlink that leads outside the folder
        "/.feedgen-unodc-stamp",  # hidden files
        "/nothing-here.xml",
        "/all.atom.xml%00.html",
    ],
)
def test_nothing_outside_the_folder_is_served(server: str, path: str) -> None:
    assert request(server, path).status == 404


def test_folders_are_not_listed_and_other_methods_are_refused(server: str) -> None:
    assert request(server, "/sub/").status == 404
    for method in ("POST", "PUT", "DELETE"):
        response = request(server, "/all.atom.xml", method)
        assert response.status == 405
        assert response.getheader("Allow") == "GET, HEAD"


# --- a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once for the module's pages."""
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("needs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield launched
        launched.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_a_browser_shows_every_story_discovers_every_feed_and_filters_by_topic(
    server: str, browser: Browser, tmp_path: Path, javascript: bool
) -> None:
    with browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844}) as context:
        page = context.new_page()
        response = page.goto(server)
        assert response is not None
        assert response.status == 200
        assert page.locator("main article").count() == len(SEED_ITEMS)
        assert page.locator("main article h3").all_inner_texts() == [i.title for i in SEED_ITEMS]

        discovered = page.eval_on_selector_all(
            'head link[rel="alternate"]', "links => links.map(l => [l.type, l.href])"
        ) if javascript else [
            (link.get_attribute("type"), server + (link.get_attribute("href") or ""))
            for link in page.locator('head link[rel="alternate"]').all()
        ]  # fmt: skip
        assert len(discovered) == 9
        for media_type, href in discovered:
            assert media_type
            answer = page.request.get(href)
            assert answer.status == 200
            assert answer.headers["content-type"].startswith(media_type)

        page.get_by_role("navigation", name="Topics").get_by_role("link", name="Human trafficking").click()
        assert page.url.endswith("/trafficking.html")
        trafficking = [i.title for i in SEED_ITEMS if "trafficking" in i.topics]
        assert page.locator("main article h3").all_inner_texts() == trafficking
        page.screenshot(path=str(tmp_path / "trafficking.png"), full_page=True)
        assert (tmp_path / "trafficking.png").stat().st_size > 10_000


# --- serve under load and abuse ------------------------------------------------------------------


def test_a_file_name_followed_by_a_slash_is_not_a_file(server: str) -> None:
    assert request(server, "/all.atom.xml/").status == 404


def test_if_modified_since_in_the_future_is_ignored(server: str) -> None:
    future = "Fri, 01 Jan 2100 00:00:00 GMT"  # RFC 9110, 13.1.3: a date later than the server's is invalid
    assert request(server, "/all.atom.xml", **{"If-Modified-Since": future}).status == 200


def test_each_request_is_one_log_line_with_control_characters_escaped(server: str, server_log: Path) -> None:
    import socket

    host, port = server.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /all.atom.xml?\x1b[31mred\x1b[0m\x07\x7f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while sock.recv(65536):
            pass
    time.sleep(0.2)
    log = server_log.read_text()
    line = next(line for line in log.splitlines() if "red" in line)
    assert "\\x1b[31mred\\x1b[0m\\x07\\x7f" in line  # what a terminal would obey is shown, not obeyed
    assert "\x1b" not in log


def test_a_client_that_hangs_up_leaves_no_traceback(served: Path, tmp_path: Path) -> None:
    import socket

    log = tmp_path / "serve.log"
    with serving(served, log) as server:  # its own server: its log holds this test's requests alone
        host, port = server.removeprefix("http://").rstrip("/").split(":")
        for _ in range(20):
            with socket.create_connection((host, int(port)), timeout=5) as sock:
                sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")  # and goes, before reading a byte
        assert request(server, "/index.html").status == 200
    assert "Traceback" not in log.read_text()
    assert log.read_text().count("GET /index.html") == 21


def test_idle_connections_keep_no_one_waiting(server: str) -> None:
    import socket

    host, port = server.removeprefix("http://").rstrip("/").split(":")
    idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(300)]
    try:
        for sock in idle[::3]:
            sock.sendall(b"GET /all.atom.xml HTTP/1.1\r\n")  # a request begun and never finished
        connection = http.client.HTTPConnection(host, int(port), timeout=1)  # answered within a second
        connection.request("GET", "/all.atom.xml")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        for sock in idle:
            sock.close()


def test_a_thousand_requests_fifty_at_a_time_all_succeed(server: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["/", "/all.atom.xml", "/trafficking.rss.xml", "/smuggling.json", "/feeds.opml"]

    def fetch(n: int) -> int:
        return request(server, names[n % len(names)]).status

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(fetch, range(1000)))
    assert statuses.count(200) == 1000
