"""Write the fixture pages: the seed listing as two plausible HTML markups of the UNODC page.

Run by hand when the seed changes: `python tests/pages/make_pages.py`. The
pages are committed; the tests serve them from a local server.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from feedgen_unodc.dates import format_date
from feedgen_unodc.listing import parse
from feedgen_unodc.model import RawItem
from feedgen_unodc.source import decode
from feedgen_unodc.text import slug

HERE = Path(__file__).parent
SEED = HERE.parent.parent / "source" / "latest-news.txt"


def story_path(day: date, title: str) -> str:
    return f"/unodc/en/human-trafficking/{day:%Y/%B}/{slug(title, 40)}.html"


def cms_page(items: list[RawItem]) -> str:
    """Markup A: a CMS page with header, navigation, script, footer; one div per story."""
    stories = []
    for item in items:
        url = story_path(item.day, item.title)
        paragraphs = [html.escape(text) for _, text in item.paragraphs]
        last = paragraphs[-1] if paragraphs else ""
        # the trailer becomes a link, as on the page: "...... read more"
        for trailer in ("read more", "more"):
            if last.endswith(trailer):
                last = last[: -len(trailer)] + f'<a href="{url}" class="more">{trailer}</a>'
                break
        body = "".join(f"<p>{p}</p>" for p in paragraphs[:-1]) + (f"<p>{last}</p>" if paragraphs else "")
        stories.append(
            f'<div class="newsItem">\n  <p class="date"><strong>{format_date(item.day)}&nbsp;</strong></p>\n'
            f'  <h3><a href="{url}">{html.escape(item.title)}</a></h3>\n  {body}\n</div>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Latest news</title>\n'
        "<script>var lastUpdate = '20 January 2022'; document.write('<p>1 January 2020</p>');</script>\n"
        "<style>.date { font-weight: bold }</style></head>\n<body>\n"
        '<header><p>United Nations Office on Drugs and Crime</p>\n<nav><ul><li><a href="/unodc/en/">Home</a></li>'
        '<li><a href="/unodc/en/human-trafficking/">Human Trafficking &amp; Migrant Smuggling</a></li></ul></nav>'
        "</header>\n<main>\n<h1>Latest news</h1>\n" + "\n".join(stories) + "\n</main>\n"
        "<footer><p>3 March 2022</p><p>Contact us &middot; Terms of use</p></footer>\n</body></html>\n"
    )


def table_page(items: list[RawItem]) -> str:
    """Markup B: an older table layout, relative links, <br> between the parts, ISO-8859-1 free text."""
    rows = []
    for item in items:
        url = story_path(item.day, item.title).removeprefix("/unodc/en/human-trafficking/")
        text = "<br>\n".join(
            html.escape(t).replace("read more", f"<a href='{url}'>read more</a>") for _, t in item.paragraphs
        )
        rows.append(
            f"<tr><td valign=top><b>{item.date_text}</b><br>\n<a href='{url}'><b>{html.escape(item.title)}</b></a>"
            f"<br>\n{text}</td></tr>"
        )
    return (
        "<html><head><title>UNODC - Latest news</title></head><body>\n"
        "<div role=navigation><a href='../index.html'>Back</a> | 12 May 2020</div>\n"
        "<table>\n" + "\n".join(rows) + "\n</table>\n</body></html>\n"
    )


def main() -> None:
    lines, _ = decode(SEED.read_bytes())
    items, _ = parse(lines)
    (HERE / "cms.html").write_text(cms_page(items), encoding="utf-8")
    (HERE / "table.html").write_text(table_page(items), encoding="utf-8")


if __name__ == "__main__":
    main()
