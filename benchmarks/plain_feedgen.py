"""Baseline: python-feedgen by itself, writing the same entries into the same six Atom and RSS files.

No normalizing, no archive, no pages: what our dependency costs on its own.
Usage: python benchmarks/plain_feedgen.py LISTING OUTPUT_FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

from feedgen.feed import FeedGenerator
from naive import FILES, entries, selected


def main() -> None:
    listing, output = Path(sys.argv[1]), Path(sys.argv[2])
    output.mkdir(parents=True, exist_ok=True)
    everything = entries(listing)
    for name in FILES:
        chosen = selected(everything, name)
        for kind in ("atom", "rss"):
            fg = FeedGenerator()
            fg.id(f"urn:example:{name}")
            fg.title(name)
            fg.description(name)
            fg.link(href=f"http://localhost:8000/{name}.{kind}.xml", rel="self")
            fg.link(href="https://www.unodc.org/", rel="alternate")
            fg.updated(chosen[0].published if chosen else everything[0].published)
            for entry in chosen:
                item = fg.add_entry(order="append")
                item.id(entry.id)
                item.title(entry.title)
                item.link(href="https://www.unodc.org/")
                item.summary(entry.html, type="html")
                item.published(entry.published)
                item.updated(entry.published)
            if kind == "atom":
                fg.atom_file(str(output / f"{name}.atom.xml"), pretty=True)
            else:
                fg.rss_file(str(output / f"{name}.rss.xml"), pretty=True)


if __name__ == "__main__":
    main()
