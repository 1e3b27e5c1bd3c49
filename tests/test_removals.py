"""The removals file: what `remove` writes reads back the same, whatever the reason holds."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from feedgen_unodc.archive import Removal
from feedgen_unodc.removals import HEADER, dumps, loads

ID = "urn:uuid:bc2740a8-05e8-5b03-be8c-b1ae43121557"
OTHER = "urn:uuid:63bc7475-920a-5a73-aaf2-d4bc28bb3476"
AT = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)


def test_one_table_per_removal_oldest_first() -> None:
    removed = {
        ID: Removal(AT, "withdrawn by UNODC", "A title"),
        OTHER: Removal(datetime(2025, 1, 1, tzinfo=UTC), "duplicate of another story"),
    }
    assert dumps(removed).decode() == HEADER + (
        "\n[[removed]]\n"
        f'id = "{OTHER}"\n'
        "at = 2025-01-01T00:00:00Z\n"
        'reason = "duplicate of another story"\n'
        "\n[[removed]]\n"
        f'id = "{ID}"\n'
        'title = "A title"\n'
        "at = 2026-12-02T18:00:00Z\n"
        'reason = "withdrawn by UNODC"\n'
    )
    assert loads(dumps(removed)) == removed


def test_no_removals_is_the_header_alone() -> None:
    assert dumps({}) == HEADER.encode()
    assert loads(dumps({})) == {}


# Any line of text (the archive refuses control characters in a reason; the file must still hold them safely).
_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1).filter(str.strip)


@given(reason=_TEXT, title=_TEXT)
def test_any_text_is_escaped_so_that_it_reads_back(reason: str, title: str) -> None:
    data = dumps({ID: Removal(AT, reason, title)})
    (table,) = tomllib.loads(data.decode())["removed"]
    assert (table["reason"], table["title"]) == (reason, title)
    assert data.decode().count("\n[[removed]]\n") == 1  # no text breaks out of its string
