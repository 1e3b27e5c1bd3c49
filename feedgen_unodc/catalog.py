"""What is published, and how each kind of file is served."""

from __future__ import annotations

# The type each kind of published file is served with: the types the W3C
# validator and readers expect (nginx, for one, would call every feed
# text/xml by its last extension alone).
MEDIA_TYPES = {
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".rss.xml": "application/rss+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}


def media_type_of(name: str) -> str:
    """The Content-Type a published file of this name is served with."""
    return next((media for suffix, media in MEDIA_TYPES.items() if name.endswith(suffix)), "application/octet-stream")
