"""JSON documents: one member per line, one row per line, the same data as json.dumps."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from feedgen_unodc.jsontext import document, encode

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def test_a_document_has_its_members_and_each_row_on_a_line_of_its_own() -> None:
    rows = [{"id": 1, "title": "Traite des êtres humains"}, {"id": 2, "title": "a\nb"}]
    assert document({"version": 1, "tags": ["x"]}, "items", rows) == (
        b"{\n"
        b'  "version": 1,\n'
        b'  "tags": ["x"],\n'
        b'  "items": [\n'
        b'    {"id": 1, "title": "Traite des \xc3\xaatres humains"},\n'
        b'    {"id": 2, "title": "a\\nb"}\n'
        b"  ]\n"
        b"}\n"
    )


def test_a_document_reads_back_as_what_was_written_even_with_no_rows() -> None:
    head = {"title": 'quotes " and \\ and \u2028', "n": None}
    rows = [{"id": i, "tags": []} for i in range(3)]
    assert json.loads(document(head, "items", rows)) == {**head, "items": rows}
    assert json.loads(document(head, "items", [])) == {**head, "items": []}


@given(st.dictionaries(st.text(), JSON, max_size=4), st.text(), st.lists(JSON, max_size=5))
def test_any_document_reads_back_as_json_dumps_would_write_it(
    head: dict[str, object], key: str, rows: list[object]
) -> None:
    # The layout is ours, the encoding the standard library's C encoder: the data is json.dumps's.
    head.pop(key, None)
    assert json.loads(document(head, key, rows)) == json.loads(json.dumps({**head, key: rows}))
    assert all(json.loads(encode(row)) == json.loads(json.dumps(row)) for row in rows)
