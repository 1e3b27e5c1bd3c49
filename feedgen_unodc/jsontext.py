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


def document(head: Mapping[str, Any], key: str, rows: Iterable[Any]) -> bytes:
    """A JSON object: the members of `head`, then `key` holding `rows`, a row per line."""
    members = "".join(f"  {encode(name)}: {encode(value)},\n" for name, value in head.items())
    lines = [encode(row) for row in rows]
    listed = "[" + ",".join(f"\n    {line}" for line in lines) + ("\n  ]" if lines else "]")
    return f"{{\n{members}  {encode(key)}: {listed}\n}}\n".encode()
