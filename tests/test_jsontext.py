"""JSON documents: one member per line, one row per line, the same data as json.dumps."""

from __future__ import annotations

import json

from feedgen_unodc.jsontext import document, encode


def test_a_document_has_its_members_and_each_row_on_a_line_of_its_own() -> None:
    rows = [encode({"id": 1, "title": "Traite des êtres humains"}), encode({"id": 2, "title": "a\nb"})]
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
    assert json.loads(document(head, "items", map(encode, rows))) == {**head, "items": rows}
    assert json.loads(document(head, "items", [])) == {**head, "items": []}
