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
from io import BytesIO
from typing import Any

from .model import Sink

_ENCODER = json.JSONEncoder(ensure_ascii=False)  # UTF-8 text as it is, not \u escapes


def encode(value: Any) -> str:
    """One value as compact one-line JSON (the C encoder)."""
    text: str = _ENCODER.encode(value)
    return text


def write_document(sink: Sink, head: Mapping[str, Any], key: str, rows: Iterable[str]) -> None:
    """Write a JSON object: the members of `head`, then `key` holding `rows`, each an `encode`d value.

    The rows come already encoded, so that a caller writing one row into several
    documents encodes it once, and are written as they come: the document is
    never held whole.
    """
    members = "".join(f"  {encode(name)}: {encode(value)},\n" for name, value in head.items())
    sink.write(f"{{\n{members}  {encode(key)}: [".encode())
    separator = "\n    "
    for row in rows:
        sink.write(f"{separator}{row}".encode())
        separator = ",\n    "
    sink.write(b"]\n}\n" if separator == "\n    " else b"\n  ]\n}\n")


def document(head: Mapping[str, Any], key: str, rows: Iterable[str]) -> bytes:
    """`write_document` into bytes."""
    buffer = BytesIO()
    write_document(buffer, head, key, rows)
    return buffer.getvalue()
