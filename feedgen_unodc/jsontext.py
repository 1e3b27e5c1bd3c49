"""JSON documents written for people and for `diff`: one member per line, one list row per line.

The standard library's `indent` switches to its pure-Python encoder, several
times slower than the C one; this layout keeps the C encoder and stays
readable: the document's members each on a line, and the rows of its one long
list (feed items, archived stories) each on a line of their own, so that a
changed story is a changed line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False)  # UTF-8 text as it is, not \u escapes


def encode(value: Any) -> str:
    """One value as compact one-line JSON (the C encoder)."""
    text: str = _ENCODER.encode(value)
    return text


def document(head: Mapping[str, Any], key: str, rows: Iterable[str]) -> bytes:
    """A JSON object: the members of `head`, then `key` holding `rows`, each an `encode`d value.

    The rows come already encoded so that a caller writing one row into several
    documents encodes it once.
    """
    members = [f"  {encode(name)}: {encode(value)}," for name, value in head.items()]
    body = ",\n".join(f"    {row}" for row in rows)
    listing = f"  {encode(key)}: [\n{body}\n  ]" if body else f"  {encode(key)}: []"
    return "\n".join(["{", *members, listing, "}", ""]).encode("utf-8")
