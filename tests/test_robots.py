"""robots.txt as RFC 9309 reads it: this tool's own group, the others', and answers that are no robots.txt."""

from __future__ import annotations

import pytest

from feedgen_unodc.robots import MAX_BYTES, MAX_DELAY, Robots

SITE = "https://www.unodc.org"
RULES = b"""\
User-agent: *
Disallow: /unodc/en/private/
Crawl-delay: 30

User-agent: feedgen-unodc
Disallow: /unodc/en/human-trafficking/drafts/
Allow: /unodc/en/human-trafficking/drafts/published.html
Crawl-delay: 2
"""


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/unodc/en/human-trafficking/2022/January/story.html", True),
        ("/unodc/en/human-trafficking/drafts/story.html", False),  # our own group disallows it
        ("/unodc/en/human-trafficking/drafts/published.html", True),  # the longest match wins
        ("/unodc/en/private/story.html", True),  # only the group of other crawlers disallows it
    ],
)
def test_this_tool_follows_its_own_group(path: str, allowed: bool) -> None:
    assert Robots.of(200, RULES).allows(SITE + path) is allowed


def test_the_group_of_every_crawler_applies_when_none_names_this_tool() -> None:
    robots = Robots.of(200, b"User-agent: *\nDisallow: /unodc/en/private/\n")
    assert not robots.allows(SITE + "/unodc/en/private/story.html")
    assert robots.allows(SITE + "/unodc/en/human-trafficking/story.html")


def test_the_delay_is_the_one_asked_of_this_tool_at_least_the_default_and_capped() -> None:
    assert Robots.of(200, RULES).delay(1.0) == 2.0
    assert Robots.of(200, RULES).delay(5.0) == 5.0
    assert Robots.of(200, b"User-agent: *\nCrawl-delay: 86400\n").delay(1.0) == MAX_DELAY
    assert Robots.of(404).delay(1.0) == 1.0


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(404, True), (410, True), (403, True), (500, False), (503, False), (None, False)],
    ids=["not found", "gone", "forbidden", "server error", "unavailable", "no answer"],
)
def test_an_answer_that_is_no_robots_txt_allows_all_or_nothing(status: int | None, allowed: bool) -> None:
    assert Robots.of(status).allows(SITE + "/unodc/en/human-trafficking/story.html") is allowed


def test_only_the_first_500_kib_are_read() -> None:
    padding = b"# " + b"x" * MAX_BYTES + b"\n"
    robots = Robots.of(200, padding + b"User-agent: *\nDisallow: /\n")
    assert robots.allows(SITE + "/anything.html")  # the rule past the limit is never seen


def test_a_robots_txt_of_garbage_disallows_nothing() -> None:
    assert Robots.of(200, b"\x00\xff<html>not robots</html>\n\n\n").allows(SITE + "/a.html")
