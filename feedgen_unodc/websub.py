"""WebSub (W3C Recommendation, 2018): the hubs each feed announces, and the pings that tell them it changed.

A subscriber's reader asks a hub for a feed; the feed names its hubs beside
its rel="self" link (`feeds.py`, `jsonfeed.py`). After a build has put
changed feeds in place, each hub gets a publish ping for each feed whose
bytes changed: a form POST of `hub.mode=publish` and `hub.url=` the feed's
public URL, the convention hubs take (WebSub leaves publishing to the hub;
one URL a ping, which every hub accepts). The hub then fetches the feed and
pushes it to the subscribers: a new story reaches them in seconds.

The pings not yet delivered (a hub refused, timed out, or answered 4xx or
5xx, or the build was told to defer them) are kept, as (hub, feed URL) pairs,
in `pings.json` beside the archive, and sent on the next run. A hub that
fails is asked nothing more in that run: one timeout a run, at most, for a
hub that is down.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlencode

from .text import excerpt
from .urls import http_url_problem

FORMAT = 1
TIMEOUT = 10.0  # seconds for one ping, connecting included
Ping = tuple[str, str]  # (hub URL, feed URL)
Send = Callable[..., int]  # `fetch.notify`


class PingsError(ValueError):
    """The file of pending pings is not one this module wrote."""


def dumps(pings: Iterable[Ping]) -> bytes:
    """The file of pending pings: each (hub, feed) once, sorted, so that the same pings give the same bytes."""
    rows = [{"hub": hub, "url": url} for hub, url in sorted(set(pings))]
    document = {
        "format": FORMAT,
        "about": "WebSub pings feedgen-unodc has not delivered yet; the next run sends them. Written by feedgen-unodc.",
        "pending": rows,
    }
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def loads(data: bytes) -> set[Ping]:
    """The pending pings of a file `dumps` wrote; raises `PingsError` saying what is wrong with another."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise PingsError(f"not a file of pending pings ({type(exc).__name__})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT or type(document.get("format")) is not int:
        raise PingsError("not a file of pending pings of format 1")
    rows = document.get("pending")
    if not isinstance(rows, list):
        raise PingsError("pending must be a list")
    pings = set()
    for row in rows:
        hub, url = (row.get("hub"), row.get("url")) if isinstance(row, dict) else (None, None)
        for value in (hub, url):
            problem = http_url_problem(value) if isinstance(value, str) else "is not text"
            if problem:
                raise PingsError(f"a pending ping's URL {excerpt(value)} {problem}")
        pings.add((str(hub), str(url)))
    return pings


def due(kept: Iterable[Ping], hubs: Iterable[str], changed: Iterable[str]) -> set[Ping]:
    """The pings to send now: those kept for hubs still named (a hub taken out of the settings is asked
    nothing more), and one per hub for each feed URL whose file `changed`."""
    named = list(hubs)
    return {ping for ping in kept if ping[0] in named} | {(hub, url) for hub in named for url in changed}


def deliver(pings: Iterable[Ping], send: Send, timeout: float = TIMEOUT) -> tuple[set[Ping], dict[str, str]]:
    """Send each ping (`send`: `fetch.notify`); the pings delivered, and why each hub that failed did.

    Hubs are asked in turn, their feeds in order; a hub that fails is asked
    nothing more this time, and all its pings not yet delivered stay due.
    """
    from .fetch import FetchError  # the network's module, imported by the runs that ping only

    by_hub: dict[str, list[str]] = {}
    for hub, url in sorted(set(pings)):
        by_hub.setdefault(hub, []).append(url)
    delivered: set[Ping] = set()
    failures: dict[str, str] = {}
    for hub, urls in by_hub.items():
        for url in urls:
            body = urlencode({"hub.mode": "publish", "hub.url": url}).encode("ascii")
            try:
                send(hub, body, content_type="application/x-www-form-urlencoded", timeout=timeout)
            except FetchError as exc:  # whatever the hub or the network did: a warning, never a failed run
                failures[hub] = str(exc) or type(exc).__name__
                break
            delivered.add((hub, url))
    return delivered, failures


def failure_lines(failures: Mapping[str, str], left: Iterable[Ping], kept_in: str) -> list[str]:
    """One warning line per hub that failed: what it said, and how many of its pings wait for the next run."""
    waiting = list(left)
    return [
        f"{hub}: warning: the WebSub hub did not take the pings ({why}); "
        f"{sum(1 for h, _ in waiting if h == hub)} kept in {kept_in} for the next run"
        for hub, why in sorted(failures.items())
    ]
