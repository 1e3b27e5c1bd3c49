"""robots.txt (RFC 9309): whether a story's page may be read, and how long to wait between two requests.

The rules are parsed by protego, a kept parser of today's conventions
(groups by product token, `Allow` against `Disallow` by the longest match,
wildcards, `Crawl-delay`). What this module adds is RFC 9309's reading of an
answer that is not a robots.txt: a 4xx (none there) allows every page, a 5xx
or no answer at all disallows every page until a later run asks again.
Bytes and statuses in, a decision out; the fetcher does the asking.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

from .fetch import USER_AGENT

AGENT = USER_AGENT.split("/", 1)[0]  # the product token a robots.txt names: feedgen-unodc
# RFC 9309, 2.5: a crawler must parse at least the first 500 KiB.
MAX_BYTES = 500 * 1024
# A delay a robots.txt asks beyond this is a page that does not want to be read hourly: it is capped,
# and the per-run limit of story pages keeps the load small anyway.
MAX_DELAY = 60.0


@dataclass(frozen=True)
class Robots:
    """A site's robots.txt, as this tool reads it."""

    rules: Protego | None  # None: every page allowed (no robots.txt), or none (`everything=False`)
    everything: bool = True
    unread: str = ""  # with `everything=False`: why the robots.txt could not be read

    @classmethod
    def of(cls, status: int | None, body: bytes = b"", why: str = "") -> Robots:
        """The robots.txt answered with `status` (None: no answer: refused, timed out, a broken connection,
        `why`). Any body of a 200 is read as rules, whatever its media type; an empty one has none."""
        if status is None or status >= 500:
            # Unreachable: assume complete disallow (RFC 9309, 2.3.1.4).
            return cls(None, everything=False, unread=why or f"HTTP {status}")
        if 400 <= status < 500:
            return cls(None)  # unavailable: no rules (RFC 9309, 2.3.1.3)
        text = body[:MAX_BYTES].decode("utf-8", "replace")  # RFC 9309, 2.5: the first 500 KiB, the rest cut
        return cls(Protego.parse(text))

    def refusal(self, url: str) -> str:
        """Why `url` may not be read: what a warning says."""
        if self.unread:
            return f"robots.txt could not be read ({self.unread}), so nothing is read from {url} this run"
        return f"robots.txt does not allow reading {url}"

    def allows(self, url: str) -> bool:
        """Whether this tool may read `url`."""
        if self.rules is None:
            return self.everything
        return bool(self.rules.can_fetch(url, AGENT))

    def delay(self, default: float) -> float:
        """Seconds between two requests: the robots.txt's Crawl-delay for this tool, at least `default`."""
        asked = self.rules.crawl_delay(AGENT) if self.rules is not None else None
        return min(max(default, float(asked or 0.0)), max(default, MAX_DELAY))
