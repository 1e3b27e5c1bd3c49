"""Each story's link: its own page when the listing gives it, else the listing page with a fragment of its own.

Links are unique: readers that key entries by link (some do) would otherwise
merge stories.
"""

from __future__ import annotations

from collections.abc import Collection
from urllib.parse import urldefrag

from .model import Item, Problem, warning
from .text import fingerprint, short, slug


def links_of(
    items: list[Item], listing_url: str, reserved: Collection[str] = frozenset()
) -> tuple[list[str], list[Problem]]:
    """Each item's link: its own URL, else the listing page; never two alike, nor one of `reserved`.

    A fragment keeps links unique: readers that key entries by link (some do)
    would otherwise merge stories. `items` are newest first; on a clash the
    older story's link gets the fragment. `reserved` are the fingerprints
    (`text.fingerprint`) of the links of stories not among `items`: those of
    the years a build did not read, which the archive's index keeps.
    """
    problems: list[Problem] = []
    result: list[str] = []
    # Story URLs first: a fragment link made for one story must not be another's own URL.
    used = {item.story_url for item in items if item.story_url is not None}

    def taken(link: str) -> bool:
        return link in used or (bool(reserved) and fingerprint(link) in reserved)

    url_owner: dict[str, Item] = {}
    for item in items:
        base = listing_url
        if item.story_url is not None:
            if item.story_url not in url_owner and not (reserved and fingerprint(item.story_url) in reserved):
                url_owner[item.story_url] = item
                result.append(item.story_url)
                continue
            other = url_owner.get(item.story_url)
            if other is not None:
                where = f" (line {other.line})" if other.line is not None else ""
                problems.append(warning(item.line, f"the story URL is also given for {short(other.title)}{where}"))
            base = urldefrag(item.story_url).url
        fragment = f"{item.day.isoformat()}-{slug(item.title)}".rstrip("-")
        link, n = f"{base}#{fragment}", 1
        while taken(link):
            n += 1
            link = f"{base}#{fragment}-{n}"
        used.add(link)
        result.append(link)
    return result, problems
