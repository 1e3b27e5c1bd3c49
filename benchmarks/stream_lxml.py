"""Baseline: the serialization floor, an lxml.etree.xmlfile streaming writer of the same six files.

Entries go to the file as they are made; no document is ever held whole.
Usage: python benchmarks/stream_lxml.py LISTING OUTPUT_FOLDER
"""

from __future__ import annotations

import sys
from email.utils import format_datetime
from pathlib import Path

from lxml import etree
from naive import FILES, entries, selected

ATOM = "http://www.w3.org/2005/Atom"


def main() -> None:
    listing, output = Path(sys.argv[1]), Path(sys.argv[2])
    output.mkdir(parents=True, exist_ok=True)
    everything = entries(listing)
    for name in FILES:
        chosen = selected(everything, name)
        with etree.xmlfile(str(output / f"{name}.atom.xml"), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("feed", nsmap={None: ATOM}):
                for tag, text in (("id", f"urn:example:{name}"), ("title", name)):
                    element = etree.Element(f"{{{ATOM}}}{tag}")
                    element.text = text
                    xf.write(element, pretty_print=True)
                for entry in chosen:
                    item = etree.Element(f"{{{ATOM}}}entry")
                    for tag, text in (("id", entry.id), ("title", entry.title),
                                      ("updated", entry.published.isoformat()),
                                      ("published", entry.published.isoformat())):  # fmt: skip
                        etree.SubElement(item, f"{{{ATOM}}}{tag}").text = text
                    etree.SubElement(item, f"{{{ATOM}}}summary", type="html").text = entry.html
                    xf.write(item, pretty_print=True)
        with etree.xmlfile(str(output / f"{name}.rss.xml"), encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("rss", version="2.0"), xf.element("channel"):
                for entry in chosen:
                    item = etree.Element("item")
                    etree.SubElement(item, "title").text = entry.title
                    etree.SubElement(item, "description").text = entry.html
                    etree.SubElement(item, "guid", isPermaLink="false").text = entry.id
                    etree.SubElement(item, "pubDate").text = format_datetime(entry.published)
                    xf.write(item, pretty_print=True)


if __name__ == "__main__":
    main()
