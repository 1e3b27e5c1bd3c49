"""The whole record as data: stories.csv and stories.json, and their blocks of rows by year, which a build
keeps for the years it does not read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

import pytest

from feedgen_unodc.archivestore import by_year
from feedgen_unodc.dataset import COLUMNS, csv_blocks, csv_document, csv_rows, json_blocks, json_document, json_rows
from feedgen_unodc.model import Item, SummaryGap

LISTING = "https://www.unodc.org/unodc/en/human-trafficking/latest-news.html"
HARD = [
    'A title, with "quotes", commas; and \u00e9t\u00e9',
    "urn:uuid:00000000-0000-5000-8000-000000000000,2020-01-01, a title that looks like a row",
    '\n    {"id": "urn:uuid:00000000-0000-5000-8000-000000000000", "date": "2019-',
]


def story(n: int, day: date, title: str) -> Item:
    when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return Item(
        id=f"urn:uuid:00000000-0000-5000-8000-{n:012d}", day=day, published=when, updated=when, title=title,
        paragraphs=("First paragraph, \"quoted\".", "Second\tone.") if n % 2 else (),
        summary_gap=None if n % 2 else SummaryGap.ABSENT, story_url=None, line=None,
        link=f"{LISTING}#{n}", topics=("trafficking", "smuggling") if n % 3 else (), first_seen=when if n else None,
    )  # fmt: skip


STORIES = [story(n, date(2022 - n // 3, 12 - n % 12, 1), HARD[n % 3] + f" {n}") for n in range(12)]


def test_the_csv_reads_back_with_the_csv_module_a_row_per_story() -> None:
    data = csv_document([csv_rows(STORIES)])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert [row["title"] for row in rows] == [s.title for s in STORIES]
    assert list(rows[1]) == list(COLUMNS)
    assert rows[1]["summary"] == 'First paragraph, "quoted".\n\nSecond\tone.'
    assert rows[1]["topics"] == "trafficking smuggling"
    assert rows[0]["first_seen"] == ""  # archived before builds recorded it
    assert rows[0]["story_url"] == ""
    assert data.count(b"\r\n") == len(STORIES) + 1  # CRLF ends the rows, never a value


def test_the_json_reads_back_a_row_per_story_with_the_same_values() -> None:
    document = json.loads(json_document([json_rows(STORIES)], LISTING))
    assert document["columns"] == list(COLUMNS)
    assert document["source"] == LISTING
    assert [row["title"] for row in document["stories"]] == [s.title for s in STORIES]
    assert document["stories"][1]["topics"] == ["trafficking", "smuggling"]
    assert document["stories"][0]["story_url"] is None


@pytest.mark.parametrize("below", [None, 2022, 2021, 2020, 2019, 2000])
@pytest.mark.parametrize(
    ("blocks_of", "rows_of", "document_of"),
    [
        (csv_blocks, csv_rows, csv_document),
        (json_blocks, json_rows, lambda blocks: json_document(blocks, LISTING)),
    ],
    ids=["csv", "json"],
)
def test_a_file_cut_into_its_years_blocks_is_made_again_of_them(
    blocks_of: Callable[[bytes, int | None], dict[int, bytes]],
    rows_of: Callable[[Iterable[Item]], bytes],
    document_of: Callable[[list[bytes]], bytes],
    below: int | None,
) -> None:
    years = by_year(STORIES)
    whole = document_of([rows_of(stories) for stories in years.values()])
    blocks = blocks_of(whole, below)
    if below is None:
        assert {year: blocks[year] for year in years} == {year: rows_of(s) for year, s in years.items()}
    # The years below `below` are in the block of the first of them, and it ends the file.
    kept = [blocks[year] for year in years if year >= (below or 0) or year == max(y for y in years if y < (below or 0))]
    assert document_of(kept) == whole


def test_an_empty_record_is_two_valid_files() -> None:
    assert csv_blocks(csv_document([])) == {}
    assert json.loads(json_document([], LISTING))["stories"] == []
    assert json_blocks(json_document([], LISTING)) == {}


@pytest.mark.parametrize("damage", [b"", b"id,date\r\n", b"not a dataset"])
def test_a_file_this_module_did_not_write_is_refused(damage: bytes) -> None:
    with pytest.raises(ValueError, match="not a stories"):
        csv_blocks(damage)
    with pytest.raises(ValueError, match="not a stories"):
        json_blocks(damage)


def test_rows_out_of_order_are_refused() -> None:
    older_first = list(reversed(STORIES))
    with pytest.raises(ValueError, match="newest first"):
        csv_blocks(csv_document([csv_rows(older_first)]))
