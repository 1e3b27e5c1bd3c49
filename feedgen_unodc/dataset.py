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


def csv_rows(stories: Iterable[Item]) -> str:
    """The CSV rows of `stories`, each ending in CRLF (RFC 4180); topics are slugs separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for item in stories:
        values = _values(item)
        values["topics"] = " ".join(item.topics)
        writer.writerow("" if values[c] is None else values[c] for c in COLUMNS)
    return out.getvalue()


def csv_document(blocks: Iterable[str]) -> bytes:
    """stories.csv: the header row, then the blocks of `csv_rows`, in order."""
    return (",".join(COLUMNS) + "\r\n" + "".join(blocks)).encode()


def json_rows(stories: Iterable[Item]) -> str:
    """The JSON rows of `stories`, one object per line, each line ending in "\\n"."""
    return "".join(f"{encode(_values(item))}\n" for item in stories)


def json_document(blocks: Iterable[str], listing_url: str) -> bytes:
    """stories.json: an object with what it is and its stories, the rows of the blocks of `json_rows`."""
    lines = "".join(blocks).splitlines()
    head = f'{{\n  "about": {encode(_ABOUT)},\n  "source": {encode(listing_url)},\n  "columns": {encode(COLUMNS)},\n'
    listed = "[" + ",".join(f"\n    {line}" for line in lines) + ("\n  ]" if lines else "]")
    return f'{head}  "stories": {listed}\n}}\n'.encode()


# A row of either file begins with the story's id, then its date: the year of a row is read there.
_CSV_YEAR = re.compile(r"urn:uuid:[0-9a-f-]{36},(\d{4})-")
_JSON_YEAR = re.compile(r'\{"id": "urn:uuid:[0-9a-f-]{36}", "date": "(\d{4})-')


def _blocks(rows: list[str], year: re.Pattern[str], end: str) -> dict[int, str]:
    blocks: dict[int, list[str]] = {}
    for row in rows:
        found = year.match(row)
        if found is None:
            raise ValueError(f"not a row of a story: {row[:60]!r}")
        blocks.setdefault(int(found.group(1)), []).append(row + end)
    return {y: "".join(rows) for y, rows in blocks.items()}


def csv_blocks(document: bytes) -> dict[int, str]:
    """The blocks of rows, by year, of a stories.csv this module wrote; raises `ValueError` for another file.

    A row ends at a CRLF: no value holds a CR (a summary's paragraphs are separated by LF).
    """
    rows = document.decode().split("\r\n")
    if rows[0] != ",".join(COLUMNS) or rows[-1] != "":
        raise ValueError("not a stories.csv of these columns")
    return _blocks(rows[1:-1], _CSV_YEAR, "\r\n")


def json_blocks(document: bytes) -> dict[int, str]:
    """The blocks of rows, by year, of a stories.json this module wrote; raises `ValueError` for another file."""
    lines = document.decode().split("\n")
    try:
        start = lines.index('  "stories": [') + 1
    except ValueError:
        start = len(lines)
    if start == len(lines) or lines[-3:] != ["  ]", "}", ""]:
        if '  "stories": []' in lines:
            return {}
        raise ValueError("not a stories.json")
    rows = [line.removeprefix("    ").removesuffix(",") for line in lines[start:-3]]
    return _blocks(rows, _JSON_YEAR, "\n")
