"""The W3C rules module checks itself: each case is a valid feed, one edit, and exactly the rules that edit fires.

A rule that stopped firing, or fired where it should not, would let the feed tests pass on broken feeds.
"""

from __future__ import annotations

import pytest
from w3c_rules import check_feed

A_AT, R_AT = "http://localhost:8000/all.atom.xml", "http://localhost:8000/all.rss.xml"
S1 = '<summary type="html">&lt;p&gt;Human Rights &amp;amp; Gender&lt;/p&gt;</summary>'
L1 = '<link href="https://www.unodc.org/news.html#s1" rel="alternate"/>'
ENTRY = (
    """<entry><id>urn:uuid:63bc7475-920a-5a73-aaf2-d4bc28bb347{n}</id><title type="text">Story {n}</title>
<updated>2022-01-2{n}T12:00:00+00:00</updated><published>2022-01-2{n}T12:00:00Z</published>
<category term="t" label="Human trafficking"/>"""
    + L1.replace("s1", "s{n}")
    + S1
    + "</entry>"
)
A = f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><id>urn:uuid:d60c41b0-c9b1-5251-ba55-258071df157f</id>
  <title>Human Rights &amp; Gender</title><subtitle>News</subtitle><updated>2022-01-20T12:00:00+00:00</updated>
  <author><name>UNODC</name><uri>https://www.unodc.org/</uri></author>
  <link href="{A_AT}" rel="self" type="application/atom+xml"/>
  <link href="https://www.unodc.org/news.html" rel="alternate" type="text/html"/><generator>feedgen-unodc</generator>
  {ENTRY.format(n=1)}
  {ENTRY.format(n=2)}
</feed>"""
D0 = "<description>&lt;p&gt;Human Rights &amp;amp; Gender&lt;/p&gt;</description>"
ITEM = (
    "<item><title>Story {n}: R&amp;D</title>"
    + D0
    + """<link>https://www.unodc.org/news.html#s{n}</link>
  <guid isPermaLink="false">urn:uuid:63bc7475-920a-5a73-aaf2-d4bc28bb347{n}</guid><category>Smuggling</category>
  <pubDate>Thu, 2{n} Jan 2022 12:00:00 +0000</pubDate></item>"""
)
R = f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel><title>UNODC news</title><link>https://www.unodc.org/news.html</link><description>News</description>
<atom:link href="{R_AT}" rel="self" type="application/rss+xml"/>
<docs>http://www.rssboard.org/rss-specification</docs><generator>feedgen-unodc</generator><language>en</language>
<lastBuildDate>Thu, 20 Jan 2022 12:00:00 +0000</lastBuildDate><ttl>60</ttl>
{ITEM.format(n=0)}
{ITEM.format(n=7)}
  </channel>
</rss>"""
PUB, T0 = "<pubDate>Thu, 20 Jan 2022 12:00:00 +0000</pubDate>", "<title>Story 0: R&amp;D</title>"
GUID = '<guid isPermaLink="false">urn:uuid:63bc7475-920a-5a73-aaf2-d4bc28bb3470</guid>'
U1, P1, ID1 = "2022-01-21T12:00:00+00:00", "2022-01-21T12:00:00Z", "urn:uuid:63bc7475-920a-5a73-aaf2-d4bc28bb3471"
ENCLOSURE = '<enclosure url="https://www.unodc.org/images/1.jpg" length="677" type="image/jpeg"/>'
A_ENCLOSURE = (
    '<link rel="enclosure" href="https://www.unodc.org/images/1.jpg" type="image/jpeg" length="677" title="A"/>'
)
SELF_LINK = f'<atom:link href="{R_AT}" rel="self" type="application/rss+xml"/>'
# (template, first occurrence of `old` replaced by `new`, location, the rules that must fire: exactly these)
CASES: list[tuple[str, str, str, str, set[str]]] = [
    (A, "", "", A_AT, set()),
    (R, "", "", R_AT, set()),
    (A, "", "", "https://example.org/feed.xml", {"SelfDoesntMatchLocation"}),
    (A, "", "", "http://localhost/all.atom.xml", {"SelfDoesntMatchLocation"}),
    (A, "", "", "HTTP://LOCALHOST:8000/all.atom.xml", set()),
    (A, f'href="{A_AT}"', 'href="all.atom.xml"', A_AT, {"RelativeSelf"}),
    (A, 'rel="self"', 'rel="related"', A_AT, {"MissingSelf"}),
    (A, 'type="application/atom+xml"', 'type="text/html"', A_AT, {"SelfNotAtom"}),
    (A, "2022-01-22T12", "2022-01-21T12", A_AT, {"DuplicateUpdated"}),
    (A, "bb3472<", "bb3471<", A_AT, {"DuplicateEntries"}),
    (A, S1, "", A_AT, {"MissingTextualContent"}),
    (A, L1 + S1, "", A_AT, {"MissingTextualContent", "MissingContentOrAlternate"}),
    (A, L1 + S1, '<content type="html">&lt;p&gt;x&lt;/p&gt;</content>', A_AT, set()),
    (A, L1 + S1, '<content type="application/pdf">QUJD</content>', A_AT, {"MissingSummary"}),
    (A, U1, U1[:19], A_AT, {"InvalidRFC3339Date"}),
    (A, U1, "2022-02-30T12:00:00Z", A_AT, {"InvalidRFC3339Date"}),
    (A, P1, "2999" + P1[4:], A_AT, {"ImplausibleDate"}),
    (A, P1, "1989-12-31T23:00:00Z", A_AT, {"ImplausibleDate"}),
    (A, "<id>urn:uuid:d60c", "<id> urn:uuid:d60c", A_AT, {"UnexpectedWhitespace", "NonCanonicalURI"}),
    (A, "Rights &amp; Gender</title>", "Rights &amp;amp; Gender</title>", A_AT, {"ContainsUndeclaredHTML"}),
    (A, "Story 1<", "&lt;b&gt;Story&lt;/b&gt;<", A_AT, {"ContainsUndeclaredHTML"}),
    (A, "&lt;/p&gt;</summary>", "&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</summary>", A_AT, {"SecurityRisk"}),
    (A, "&lt;p&gt;Human", '&lt;p onclick="x()"&gt;Human', A_AT, {"SecurityRiskAttr"}),
    (A, "&lt;p&gt;Human", '&lt;p style="background: url(x)"&gt;Human', A_AT, {"DangerousStyleAttr"}),
    (A, "&lt;/p&gt;</summary>", "&lt;div&gt;</summary>", A_AT, {"NotHtml"}),
    (A, "&lt;p&gt;Human", "&lt;p&gt;&lt;blink&gt;x&lt;/blink&gt;Human", A_AT, {"NotHtml"}),
    (A, "&amp;amp; Gender", "&amp; Gender", A_AT, set()),
    (A, "&amp;amp; Gender", "&amp;nbsp Gender", A_AT, {"NotHtml"}),
    (A, ID1, ID1[:17], A_AT, {"InvalidUUID"}),
    (A, ID1, "urn:x", A_AT, {"InvalidURN"}),
    (A, ID1, "http://Example.org", A_AT, {"NonCanonicalURI"}),
    (A, ID1, "foo:bar", A_AT, {"SchemeNotIANARegistered"}),
    (A, "<author><name>UNODC</name><uri>https://www.unodc.org/</uri></author>", "", A_AT, {"MissingElement"}),
    (A, "<name>UNODC</name>", "", A_AT, {"MissingElement"}),
    (A, "https://www.unodc.org/<", "http:/x y<", A_AT, {"InvalidUriChar"}),
    (A, "<title>Human Rights &amp; Gender</title>", "", A_AT, {"MissingElement"}),
    (A, "<subtitle>News</subtitle>", "<title>x</title>", A_AT, {"DuplicateElement"}),
    (A, ">Story 1<", "><", A_AT, {"NotBlank"}),
    (A, '<title type="text">', '<title type="text/plain">', A_AT, {"InvalidTextType"}),
    (A, L1, L1 + '<link href="https://x.org/"/>', A_AT, {"DuplicateAtomLink"}),
    (A, L1, L1.replace("alternate", "bogus"), A_AT, {"UnregisteredAtomLinkRel", "MissingContentOrAlternate"}),
    (A, L1, L1.replace("alternate", "next"), A_AT, {"FeedHistoryRelInEntry", "MissingContentOrAlternate"}),
    (A, L1, "<link/>", A_AT, {"MissingHref"}),
    (A, 'xml:lang="en"', 'xml:lang="english"', A_AT, {"InvalidLanguage"}),
    (A, 'term="t" ', "", A_AT, {"MissingAttribute"}),
    (A, "Human trafficking", "&lt;b&gt;x&lt;/b&gt;", A_AT, {"ContainsHTML"}),
    (A, "\n</feed>", "<rights>x</rights></feed>", A_AT, {"MisplacedMetadata"}),
    (A, "<subtitle>", "<description>x</description><subtitle>", A_AT, {"UndefinedElement"}),
    (A, 'xml:lang="en"', 'xml:lang="en" xmlns:x="http://example.org/x"', A_AT, {"UnknownNamespace"}),
    (A, "</feed>", "", A_AT, {"SAXError"}),
    (R, "", "", "https://example.org/rss", {"SelfDoesntMatchLocation"}),
    (R, SELF_LINK, "", R_AT, {"MissingAtomSelfLink"}),
    (R, D0, "", R_AT, set()),
    (R, T0, "", R_AT, set()),
    (R, T0 + D0, "", R_AT, {"ItemMustContainTitleOrDescription"}),
    (R, "R&amp;D", "R&amp;amp;D", R_AT, {"ContainsHTML"}),
    (R, "R&amp;D", "&lt;b&gt;D&lt;/b&gt;", R_AT, {"ContainsHTML"}),
    (R, "R&amp;D", "&lt;b", R_AT, {"CharacterData"}),
    (R, "R&amp;D", "&#x26;amp; &amp;amp;", R_AT, set()),
    (R, "<description>News<", "<description>&lt;p&gt;News&lt;/p&gt;<", R_AT, {"ContainsHTML"}),
    (R, PUB, "<pubDate>2022-01-20</pubDate>", R_AT, {"InvalidRFC2822Date"}),
    (R, PUB, "<pubDate>Thu, 20 Jan 22 12:00:00 GMT</pubDate>", R_AT, {"ProblematicalRFC822Date"}),
    (R, PUB, PUB.replace("+0000", "+0545"), R_AT, {"ProblematicalRFC822Date"}),
    (R, PUB, PUB.replace("Thu", "Wed"), R_AT, {"IncorrectDOW"}),
    (R, PUB, "<pubDate>20 Jan 2999 12:00:00 +0000</pubDate>", R_AT, {"ImplausibleDate"}),
    (R, PUB, "<pubDate>30 Dec 1989 12:00:00 GMT</pubDate>", R_AT, {"ImplausibleDate"}),
    (R, ' isPermaLink="false"', "", R_AT, {"InvalidPermalink"}),
    (R, GUID, "<guid>/1</guid>", R_AT, {"InvalidHttpGUID"}),
    (R, 'isPermaLink="false"', 'isPermaLink="no"', R_AT, {"InvalidBooleanAttribute"}),
    (R, GUID, '<guid isPermaLink="false">42</guid>', R_AT, {"NotSufficientlyUnique"}),
    (R, "bb3477<", "bb3470<", R_AT, {"DuplicateValue"}),
    (R, GUID, "", R_AT, {"MissingGuid"}),
    (R, "&lt;p&gt;Human", "&lt;p&gt;&lt;a href='/x'&gt;x&lt;/a&gt; Human", R_AT, {"ContainsRelRef"}),
    (R, "<ttl>60</ttl>", "<ttl>0</ttl>", R_AT, {"InvalidPositiveInteger"}),
    (R, "<language>en</language>", "<language>en_GB</language>", R_AT, {"InvalidLanguage"}),
    (R, "<description>News</description>", "", R_AT, {"MissingDescription"}),
    (R, "<link>https://www.unodc.org/news.html</link>", "<link>/news.html</link>", R_AT, {"InvalidFullLink"}),
    (R, "\n  </channel>", "<ttl>5</ttl></channel>", R_AT, {"MisplacedItem", "DuplicateElement"}),
    (R, PUB, PUB + PUB, R_AT, {"DuplicateElement"}),
    (R, PUB, PUB + "<updated>x</updated>", R_AT, {"UndefinedElement"}),
    (R, D0, "<content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded>" + D0, R_AT, {"NeedDescriptionBeforeContent"}),
    (R, 'version="2.0"', 'version="3.0"', R_AT, {"InvalidRSSVersion"}),
    (R, PUB, PUB + ENCLOSURE, R_AT, set()),
    (R, PUB, PUB + ENCLOSURE + ENCLOSURE, R_AT, {"DuplicateEnclosure"}),
    (R, PUB, PUB + ENCLOSURE.replace(' length="677"', ""), R_AT, {"MissingAttribute"}),
    (R, PUB, PUB + ENCLOSURE.replace('"677"', '"-1"'), R_AT, {"InvalidIntegerAttribute"}),
    (R, PUB, PUB + ENCLOSURE.replace("https://www.unodc.org", ""), R_AT, {"InvalidFullLink"}),
    (A, L1, L1 + A_ENCLOSURE, A_AT, set()),
    (A, L1, L1 + A_ENCLOSURE.replace('"677"', '"many"'), A_AT, {"InvalidNonNegativeInteger"}),
]


def label(case: tuple[str, str, str, str, set[str]]) -> str:
    template, old, new, location, _ = case
    return f"{'Atom' if template is A else 'RSS'} {old[:30]!r} -> {new[:30]!r}" if old else location


@pytest.mark.parametrize("case", CASES, ids=[label(c) for c in CASES])
def test_an_edit_fires_exactly_its_rules(case: tuple[str, str, str, str, set[str]]) -> None:
    template, old, new, location, expected = case
    assert old in template
    findings = check_feed(template.replace(old, new, 1).encode("utf-8"), location)
    assert {f.rule for f in findings} == expected, [(f.rule, f.where, f.message) for f in findings]
