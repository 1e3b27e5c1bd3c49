"""The whole record as data: stories.csv (RFC 4180) and stories.json, every published story, newest first.

For people who load the record into a spreadsheet, pandas or Datasette.
Both files have the same columns (the README lists them); both are UTF-8
without a byte-order mark, so that Python's `csv` module and `json` read
them as they are. A story's text is the listing's, plain: no markup.

Each is written as blocks of rows, a block per year of stories, so that a
build keeps the rows of the years it did not read from the files the last
build wrote (`csv_blocks`, `json_blocks`: the stamp vouches that they hold
what it wrote), and makes only the others.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from .jsontext import encode
from .model import Item

Block = bytes | memoryview  # rows, made or kept of the last build's file
COLUMNS = ("id", "date", "title", "topics", "link", "story_url", "summary", "first_seen", "updated")
_ABOUT = (
    "Every story published by feedgen-unodc from the UNODC news listing, newest first: one row per story."
    " The stories and their text are UNODC's; see the README for the columns."
)


def _time(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _values(item: Item) -> dict[str, object]:
    return {
        "id": item.id,
        "date": item.day.isoformat(),
        "title": item.title,
        "topics": list(item.topics),
        "link": item.link,
        "story_url": item.story_url,
        "summary": "\n\n".join(item.paragraphs),  # "" when the listing gives none, or another story's
        "first_seen": _time(item.first_seen),
        "updated": _time(item.updated),
    }


def csv_rows(stories: Iterable[Item]) -> bytes:
    """The CSV rows of `stories`, each ending in CRLF (RFC 4180); topics are slugs separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for item in stories:
        values = _values(item)
        values["topics"] = " ".join(item.topics)
        writer.writerow("" if values[c] is None else values[c] for c in COLUMNS)
    return out.getvalue().encode()


def csv_document(blocks: Iterable[Block]) -> bytes:
    """stories.csv: the header row, then the blocks of `csv_rows`, in order."""
    return b"".join([(",".join(COLUMNS) + "\r\n").encode(), *blocks])


def json_rows(stories: Iterable[Item]) -> bytes:
    """The JSON rows of `stories`, one object per line, separated as stories.json separates them."""
    return _JSON_SEPARATOR.join(encode(_values(item)).encode() for item in stories)


def json_document(blocks: Iterable[Block], listing_url: str) -> bytes:
    """stories.json: an object with what it is and its stories, the rows of the blocks of `json_rows`."""
    rows = [block for block in blocks if block]
    head = f'{{\n  "about": {encode(_ABOUT)},\n  "source": {encode(listing_url)},\n  "columns": {encode(COLUMNS)},\n'
    if not rows:
        return head.encode() + b'  "stories": []\n}\n'
    parts: list[Block] = [head.encode(), b'  "stories": [\n    ']
    for block in rows:
        parts += [block, _JSON_SEPARATOR]
    parts[-1] = _JSON_END
    return b"".join(parts)


# A row of either file begins with the story's id, then its date: where a year's rows begin is read there.
_CSV_ROW = re.compile(rb"\r\n(urn:uuid:[0-9a-f-]{36},(\d{4})-)")  # the header ends in CRLF too
_JSON_ROW = re.compile(rb'\n    (\{"id": "urn:uuid:[0-9a-f-]{36}", "date": "(\d{4})-)')
_JSON_SEPARATOR = b",\n    "
_JSON_END = b"\n  ]\n}\n"


def _blocks(document: bytes, row: re.Pattern[bytes], end: int, separator: bytes, below: int | None) -> dict[int, Block]:
    """The blocks of rows of `document`, by year: from where a year's first row begins to where the next
    year's does (or `end`), less the `separator` between two rows. Rows are newest first. The block of the
    first year `below` the one given holds the rows of every older year too: the file is read no further."""
    starts: list[tuple[int, int]] = []  # (year, where its first row begins)
    for found in row.finditer(document):
        year = int(found.group(2))
        if not starts or starts[-1][0] != year:
            if starts and year > starts[-1][0]:
                raise ValueError("not a file of stories newest first")
            starts.append((year, found.start(1)))
            if below is not None and year < below:
                break
    ends = [start for _, start in starts[1:]] + ([end] if starts else [])
    view = memoryview(document)  # the blocks are views of the file, copied once, into the file made of them
    return {year: view[start : stop - (len(separator) if stop != end else 0)]
            for (year, start), stop in zip(starts, ends, strict=True)}  # fmt: skip


def csv_blocks(document: bytes, below: int | None = None) -> dict[int, Block]:
    """The rows of a stories.csv this module wrote, a block by year (the first `below` the year given
    holding every older one's rows too); raises `ValueError` for another file.

    A row ends at a CRLF: no value holds a CR (a summary's paragraphs are separated by LF).
    """
    head = (",".join(COLUMNS) + "\r\n").encode()
    if not document.startswith(head) or not document.endswith(b"\r\n"):
        raise ValueError("not a stories.csv of these columns")
    return _blocks(document, _CSV_ROW, len(document), b"", below)


def json_blocks(document: bytes, below: int | None = None) -> dict[int, Block]:
    """The rows of a stories.json this module wrote, a block by year (each block its rows, separated as the
    file separates them; the first `below` the year given holding every older one's rows too); raises
    `ValueError` for another file."""
    if document.endswith(b'"stories": []\n}\n'):
        return {}
    if not document.endswith(_JSON_END):
        raise ValueError("not a stories.json")
    return _blocks(document, _JSON_ROW, len(document) - len(_JSON_END), _JSON_SEPARATOR, below)
