"""Health checks: a push ping to a monitor (healthchecks.io, and the services that follow its convention)
after each run, so that a job that stops or fails is noticed although cron mail is not read.

    URL        the run succeeded
    URL/fail   the run failed; the body is its error lines
    URL/start  the run starts (with healthcheck_start): the monitor then times it

A URL with a query keeps it after the added path (`.../fail?key=value`). A
ping that fails is a warning line, and never changes the run's outcome or
exit status. The URL is a secret (whoever has it can report the job as
healthy): the warnings name its host alone.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from .fetch import FetchError, notify

TIMEOUT = 10.0  # seconds a ping may take
BODY_LIMIT = 10_000  # bytes of error lines sent: healthchecks.io keeps the first 10 KB by default


def address(url: str, event: str) -> str:
    """Where the ping of `event` ("start", "fail", or "" for success) goes.

    >>> address("https://hc-ping.com/0f7a", "fail")
    'https://hc-ping.com/0f7a/fail'
    >>> address("https://kuma.example/api/push/t?status=up", "start")
    'https://kuma.example/api/push/t/start?status=up'
    """
    if not event:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{event}"))


def ping(url: str, event: str = "", lines: list[str] | None = None, timeout: float = TIMEOUT) -> str | None:
    """Ping the monitor at `url` for `event`, with `lines` as the body (a failure's); None when it took the
    ping, else the warning line to print."""
    body = None
    if lines is not None:  # cut at the limit, never inside a character
        body = "\n".join(lines).encode("utf-8")[:BODY_LIMIT].decode("utf-8", "ignore").encode("utf-8")
    try:
        notify(address(url, event), body, content_type="text/plain; charset=utf-8", timeout=timeout)
    except FetchError as exc:
        return f"{host(url)}: warning: the health check ping{' of ' + event if event else ''} failed ({exc})"
    return None


def host(url: str) -> str:
    """The monitor's scheme and host, for a warning: never its path or user, which may hold the secret.

    >>> host("https://user:pw@hc-ping.com:8443/0f7a")
    'https://hc-ping.com:8443'
    """
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"
