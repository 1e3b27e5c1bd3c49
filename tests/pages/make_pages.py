"""Write the fixture pages: the seed listing in each markup of `tests/markups.py`, and what each must give.

Run by hand when the seed or a markup changes: `python tests/pages/make_pages.py`.
The pages and their expected listings (`NAME.html`, `NAME.expected.txt`)
are committed; the tests serve the pages from a local server and compare
what `fetch` makes of them with the expected listings.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from markups import MARKUPS, Clutter, expected_listing, seed_stories  # noqa: E402


def main() -> None:
    stories = seed_stories()
    for markup in MARKUPS:
        (HERE / f"{markup.name}.html").write_text(markup.render(stories, Clutter()), encoding="utf-8")
        (HERE / f"{markup.name}.expected.txt").write_text(expected_listing(markup, stories), encoding="utf-8")


if __name__ == "__main__":
    main()
