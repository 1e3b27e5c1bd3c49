"""Extraction by text structure, in markups other than the fixture pages'."""

from __future__ import annotations

from feedgen_unodc.extract import extract

PAGE = "https://www.unodc.org/unodc/en/human-trafficking/latest-news.html"

HTML5 = """<!DOCTYPE html><html><body>
<header><p>UNODC</p><p>12 March 2023</p></header>
<main>
<article>
  <header><time datetime="2022-01-20">Thu 20 Jan</time><h2><a href="/story-1.html">Securing Evidence</a></h2></header>
  <p>Human trafficking is a global crime.</p>
  <p><a href="/story-1.html">Read more &raquo;</a></p>
</article>
<article>
  <p><span>14 December 2021</span> - <a href="2021/story-2.html">Good Use and Abuse</a></p>
  <p>Human traffickers who trick people.</p>
</article>
</main>
<footer><p>1 January 2020</p></footer>
</body></html>"""


def test_an_html5_page_with_article_headers_and_time_elements() -> None:
    items = extract(HTML5, PAGE)
    assert [(i.date_line, i.title, i.story_url, i.paragraphs) for i in items] == [
        (
            "2022-01-20",
            "Securing Evidence",
            "https://www.unodc.org/story-1.html",
            ("Human trafficking is a global crime.", "Read more »"),
        ),
        (
            "14 December 2021",
            "Good Use and Abuse",
            "https://www.unodc.org/unodc/en/human-trafficking/2021/story-2.html",
            ("Human traffickers who trick people.",),
        ),
    ]


def test_the_page_header_and_footer_stay_out() -> None:
    dates = [i.date_line for i in extract(HTML5, PAGE)]
    assert "12 March 2023" not in dates
    assert "1 January 2020" not in dates
