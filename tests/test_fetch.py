"""The fetcher against servers that misbehave: deadlines, sizes, schemes, charsets."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import CERTIFICATE, answer, endless_body, endless_continue, hostile, slow_body, slow_headers, trickled_body
from support import run

from feedgen_unodc.fetch import FetchError, fetch

PAGES = Path(__file__).parent / "pages"


@pytest.mark.parametrize(
    "script",
    [slow_headers(), endless_continue(), slow_body(), trickled_body()],
    ids=["headers a byte at a time", "endless 100 Continue", "body a byte at a time", "body trickled, HTTP/1.0"],
)
@pytest.mark.parametrize("retries", [0, 2])
def test_a_hostile_server_never_holds_a_fetch_past_its_deadline(script: object, retries: int) -> None:
    with hostile(script) as url:  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch(url, timeout=0.25, retries=retries, backoff=0.1)
        elapsed = time.monotonic() - started
    # The whole fetch, every retry included, ends at the deadline; a second per try is the README's allowance.
    assert elapsed < 0.25 + (retries + 1) * 1.0
    assert "timed out" in str(caught.value)


def test_a_hostile_server_is_one_line_and_exit_1_from_the_command(tmp_path: Path) -> None:
    with hostile(slow_headers()) as url:
        result = run("fetch", "--url", url, "--timeout", "0.25", "--retries", "1", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"feedgen-unodc: error: {url}: timed out (1 try); source/latest-news.txt not written\n"


def test_a_page_over_the_size_limit_is_refused_in_one_line(tmp_path: Path) -> None:
    page = (PAGES / "cms.html").read_bytes()
    with hostile(answer("200 OK", {"Content-Type": "text/html"}, page)) as url:
        result = run("fetch", "--url", url, "--max-page-size", "16K", "--retries", "0", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"feedgen-unodc: error: {url}: the page is {len(page)} bytes, more than the limit of 16384; "
        "source/latest-news.txt not written\n"  # there was none
    )
    assert not (tmp_path / "source").exists()


# The command, then its peak memory on the last line of stderr: the high-water mark of its own memory
# (the kernel's VmHWM), not the rusage maximum, which counts the test process it was forked from.
PEAK_MEMORY = """
import sys
from feedgen_unodc.cli import main
try:
    main.main(prog_name="feedgen-unodc")
finally:
    print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM:")), file=sys.stderr, end="")
"""


def test_an_endless_body_is_cut_at_the_limit_in_bounded_memory(tmp_path: Path) -> None:
    with hostile(endless_body()) as url:
        process = subprocess.run(
            [sys.executable, "-c", PEAK_MEMORY, "fetch", "--retries", "0", "--timeout", "20", "--url", url],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    *messages, peak = process.stderr.splitlines()
    assert process.returncode == 1
    assert "the page is more than the limit of 4194304 bytes" in "\n".join(messages)
    assert int(peak.split()[1]) < 200 * 1024  # kibibytes: under 200 MB whatever the server sends


def test_a_gzip_bomb_is_cut_at_the_limit() -> None:
    import gzip

    bomb = gzip.compress(b"<p>" + b"x" * (64 * 1024 * 1024))  # 64 MiB that send as 64 KiB
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    with hostile(answer("200 OK", headers, bomb)) as url, pytest.raises(FetchError) as caught:
        fetch(url, retries=0)
    assert "more than the limit of 4194304 bytes" in str(caught.value)


def test_a_gzip_page_is_read() -> None:
    import gzip

    page = (PAGES / "cms.html").read_bytes()
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    with hostile(answer("200 OK", headers, gzip.compress(page))) as url:
        assert fetch(url, retries=0).text == page.decode()


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/latest-news.html", "file:///etc/passwd", "gopher://x/"])
def test_a_redirect_to_another_scheme_than_http_is_refused(target: str) -> None:
    with hostile(answer("302 Found", {"Location": target})) as url, pytest.raises(FetchError) as caught:
        fetch(url, retries=0)
    assert str(caught.value) == f"{target}: only http and https URLs are fetched"


def test_utf8_declared_as_latin1_is_read_as_utf8_with_a_warning(tmp_path: Path) -> None:
    page = (PAGES / "cms.html").read_text(encoding="utf-8").replace("Supports", "Soutient les r\u00e9seaux")
    headers = {"Content-Type": "text/html; charset=ISO-8859-1"}
    with hostile(answer("200 OK", headers, page.encode())) as url:
        result = run("fetch", "--url", url, "--retries", "0", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stderr == f"{url}: warning: the page declares iso-8859-1, but its bytes are UTF-8: read as UTF-8\n"
    listing = (tmp_path / "source" / "latest-news.txt").read_text(encoding="utf-8")
    assert "Soutient les r\u00e9seaux" in listing
    assert "\u00c3" not in listing  # no mojibake


def test_every_address_of_a_host_shares_the_one_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # A name with four addresses, none of which answers: each try gets the time left, not a timeout of its own.
    import socket
    import types

    from feedgen_unodc import fetch as module

    tried: list[float] = []

    class Unanswered:
        def __init__(self, *arguments: object) -> None:
            self.timeout = 0.0

        def settimeout(self, seconds: float) -> None:
            self.timeout = seconds

        def connect(self, address: object) -> None:
            tried.append(self.timeout)
            time.sleep(min(self.timeout, 0.2))  # each address a fifth of a second of silence, then given up
            raise TimeoutError("timed out")

        def shutdown(self, how: int) -> None:
            pass

        def close(self) -> None:
            pass

    addresses = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (f"192.0.2.{n}", 80)) for n in range(1, 5)]
    fake = types.SimpleNamespace(
        socket=Unanswered, getaddrinfo=lambda *arguments, **options: addresses, SHUT_RDWR=socket.SHUT_RDWR,
        SOCK_STREAM=socket.SOCK_STREAM, IPPROTO_TCP=socket.IPPROTO_TCP, TCP_NODELAY=socket.TCP_NODELAY,
    )  # fmt: skip
    monkeypatch.setattr(module, "socket", fake)
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch("http://four.example/latest-news.html", timeout=0.5, retries=0)
    assert time.monotonic() - started < 0.5 + 0.25
    assert "timed out" in str(caught.value)
    # each address tried with the time left, until there was none: not four full timeouts
    assert 2 <= len(tried) <= 3
    assert tried == sorted(tried, reverse=True)
    assert tried[0] <= 0.5


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test certificate of localhost trusted, as a system's CA bundle would trust a real one."""
    monkeypatch.setenv("SSL_CERT_FILE", str(CERTIFICATE))


@pytest.mark.usefixtures("trusted")
def test_an_https_page_is_fetched_and_its_certificate_checked() -> None:
    page = (PAGES / "cms.html").read_bytes()
    with hostile(answer("200 OK", {"Content-Type": "text/html; charset=utf-8"}, page), tls=True) as url:
        assert fetch(url, timeout=5, retries=0).text == page.decode()


def test_an_https_server_whose_certificate_is_not_trusted_is_refused() -> None:
    page = (PAGES / "cms.html").read_bytes()
    with (
        hostile(answer("200 OK", {"Content-Type": "text/html"}, page), tls=True) as url,
        pytest.raises(FetchError) as caught,
    ):
        fetch(url, timeout=5, retries=0)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize(("script", "handshake"), [(trickled_body(), True), (answer("200 OK", {}), False)],
                         ids=["body trickled", "no handshake"])  # fmt: skip
def test_an_https_server_never_holds_a_fetch_past_its_deadline(script: object, handshake: bool) -> None:
    with hostile(script, tls=True, handshake=handshake) as url:  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch(url, timeout=0.25, retries=0)
        assert time.monotonic() - started < 0.25 + 1.0
    assert "timed out" in str(caught.value)
