"""From the bytes of a listing file to clean lines of text.

The listing is UTF-8. A byte-order mark and CRLF or CR line ends are accepted
silently: editors on every platform write them. Characters that XML 1.0 forbids
(lxml refuses to serialize them) or that no text should hold are removed, and
so are invisible ones (a left-to-right mark before a date would hide it from
every parser): each line that lost some is reported.
"""

from __future__ import annotations

import re

from .model import Problem, error, warning
from .text import INVISIBLE

# XML 1.0 allows tab, LF and CR among the C0 controls and nothing else; U+FFFE
# and U+FFFF are not characters at all. DEL and the C1 controls are allowed by
# XML but are "discouraged" (XML 1.0, section 2.2) and in a scraped page they
# are always debris of a wrong encoding, so they go too.
_REMOVED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

_BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> tuple[list[str], list[Problem]]:
    """Split `data` into lines (without their ends) and report what was wrong.

    Lines with bytes that are not UTF-8 are errors: guessing another encoding
    would publish mojibake. They are kept, decoded with replacement characters,
    so that later stages still see the line count right.
    """
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.count(0) > len(data) // 4:
        # UTF-16 (with or without its byte-order mark) is every other byte NUL in English text.
        return [], [error(None, "the file is UTF-16, not UTF-8; save the listing as UTF-8")]
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _REMOVED.search(text) and (text.isascii() or not INVISIBLE.search(text)):
            # the common case: clean UTF-8, decoded at once
            lines = text.split("\n")
            if lines[-1] == "":
                lines.pop()  # the final line end does not start a line
            return lines, problems
    lines = []
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()  # the final line end does not start a line
    for number, raw in enumerate(raw_lines, start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                error(
                    number,
                    f"byte 0x{raw[exc.start]:02X} at column {exc.start + 1} is not UTF-8; save the listing as UTF-8",
                )
            )
            text = raw.decode("utf-8", errors="replace")
        for kind, pattern in (("control", _REMOVED), ("invisible", INVISIBLE)):
            found = pattern.findall(text)
            if found:
                text = pattern.sub("", text)
                codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
                noun = "character" if len(found) == 1 else "characters"
                problems.append(warning(number, f"removed {len(found)} {kind} {noun} ({codes})"))
        lines.append(text)
    return lines, problems
