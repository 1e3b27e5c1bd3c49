"""Reading the listing's bytes: encodings, line ends and forbidden characters."""

from __future__ import annotations

import pytest
from support import messages, read

from feedgen_unodc.source import decode


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"a\nb\n", ["a", "b"]),
        (b"a\nb", ["a", "b"]),  # no final line end
        (b"a\r\nb\r\n", ["a", "b"]),  # Windows line ends
        (b"a\rb\r", ["a", "b"]),  # old Mac line ends
        (b"\xef\xbb\xbfa\nb\n", ["a", "b"]),  # a UTF-8 byte-order mark
        (b"a\n\nb\n", ["a", "", "b"]),  # blank lines count for line numbers
        ("caf\u00e9\u00a0\n".encode(), ["caf\u00e9\u00a0"]),  # UTF-8 text stays as it is
        (b"", []),
    ],
)
def test_lines_are_read_whatever_the_line_ends(data: bytes, lines: list[str]) -> None:
    assert decode(data) == (lines, [])


def test_bytes_that_are_not_utf8_are_an_error_at_their_line() -> None:
    lines, problems = decode(b"20 January 2022\nCaf\xe9 au lait\n")
    assert messages(problems) == [
        "in.txt:2: error: byte 0xE9 at column 4 is not UTF-8; save the listing as UTF-8",
    ]
    assert lines == ["20 January 2022", "Caf\ufffd au lait"]  # the line count stays right


def test_characters_xml_forbids_are_removed_with_a_warning() -> None:
    lines, problems = decode(b"Title\x07 with a bell\nand\x00 a \x1b[0m nul\x0c\n")
    assert lines == ["Title with a bell", "and a [0m nul"]
    assert messages(problems) == [
        "in.txt:1: warning: removed 1 control character (U+0007)",
        "in.txt:2: warning: removed 3 control characters (U+0000, U+000C, U+001B)",
    ]


def test_tabs_are_kept_for_the_white_space_rules() -> None:
    assert decode(b"a\tb\n") == (["a\tb"], [])


def test_c1_controls_and_non_characters_are_removed() -> None:
    lines, problems = decode("x\u0085y\ufffez\n".encode())
    assert lines == ["xyz"]
    assert messages(problems) == ["in.txt:1: warning: removed 2 control characters (U+0085, U+FFFE)"]


# Format characters and their kin, invisible in any reader, each of which once hid a date line from the
# parser and glued two stories into one.
INVISIBLE = [
    "\u200e", "\u200f", "\u200c", "\u200d", "\u00ad", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\u180e", "\u034f", "\u2060", "\ufeff", "\u200b",
]  # fmt: skip


@pytest.mark.parametrize("mark", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_an_invisible_character_never_hides_a_date_line(mark: str) -> None:
    data = (
        f"20 January 2022\nFirst story\nOn human trafficking.\n"
        f"{mark}18 December 2021{mark}\nSecond story\nOn migrant smuggling.\n"
    )
    items, problems = read(data.encode())
    assert [(i.day.isoformat(), i.title) for i in items] == [
        ("2022-01-20", "First story"),
        ("2021-12-18", "Second story"),
    ]
    assert messages(problems) == [f"in.txt:4: warning: removed 2 invisible characters (U+{ord(mark):04X})"]


def test_invisible_characters_inside_text_go_too_and_are_reported() -> None:
    lines, problems = decode("traf\u00adficking and smug\u200bgling\n".encode())
    assert lines == ["trafficking and smuggling"]
    assert messages(problems) == ["in.txt:1: warning: removed 2 invisible characters (U+00AD, U+200B)"]
