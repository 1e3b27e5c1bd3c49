"""An article made safe to publish: nh3's allowlist of tags and attributes, absolute http(s) URLs only.

No script, style, iframe, object, form, event attribute, `javascript:` or
`data:` URL passes. Used when a story's page is read (`storypage`) and
again whenever kept text is published (`pagestore`): a hand edit of the kept
pages cannot put anything unsafe in a feed.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import nh3

from .urls import http_url_problem

# What an article may hold once safe: its text's structure, links and images, nothing that runs or asks.
_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "em", "strong", "i", "b", "a", "br",
         "img", "figure", "figcaption"}  # fmt: skip
_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height"}}
# Removed with their content: the title is the entry's own, the rest is never an article's text.
_DROPPED = {"script", "style", "h1", "iframe", "object", "embed", "form", "template", "noscript", "svg", "math",
            "textarea", "select", "button", "title"}  # fmt: skip
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def absolute(url: str | None, base: str) -> str | None:
    """`url` made absolute against `base`, when it is then an http(s) URL; else None."""
    if not url or not url.strip():
        return None
    absolute = urljoin(base, url.strip())
    return absolute if http_url_problem(absolute) is None else None


def safe_html(fragment: str, base: str) -> str:
    """`fragment` through nh3's allowlist: relative URLs made absolute, any URL not http(s) dropped."""

    def url_only(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src"):
            return absolute(value, base)
        return value

    cleaned = nh3.clean(
        fragment,
        tags=_TAGS,
        clean_content_tags=_DROPPED,
        attributes=_ATTRIBUTES,
        attribute_filter=url_only,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned).strip()
