"""Independent re-implementation of a subset of the W3C Feed Validation Service's rules.

The live service (https://validator.w3.org/feed/) cannot be reached from CI, so this module re-states, in our own
code, the rules it applies to the kind of Atom 1.0 / RSS 2.0 documents feedgen-unodc emits. No validator code is
copied; the rule names (the validator's message class names) and English message texts are reproduced so findings
can be compared with what the service prints.

Validator sources read (behaviour reference only):
  w3c/feedvalidator   src/feedvalidator/validators.py              cf10564d466411bdab8ae42b0d9f6535ebedc51b
                      src/feedvalidator/channel.py, item.py        afec223a6c7f7a8ae8af57345acfdd21e7cbf213
                      src/feedvalidator/content.py                 0b130bd5d76e411af0c0b9886a2a8272c78e95f2
                      src/feedvalidator/link.py, i18n/en.py        525b150d0bb498d66d3ac4d00fee56d930bc7433
                      src/feedvalidator/uri.py                     3114001a310ae8d1ed2ce5babe3e283159a7f431
                      src/feedvalidator/logging.py                 47a1572c89f600d3abbbf732938405675283bc50
                      src/feedvalidator/base.py, __init__.py       2e70417236aacd93332a4c09ba0b6edaad2c70db
  rubys/feedvalidator (upstream of w3c; the w3c index lacks these files)
                      src/feedvalidator/feed.py, entry.py, author.py, category.py, generator.py, rss.py
                                                                   ad976c6c6a30228b05b0c9a5d659738629864a50
                      src/feedvalidator/root.py                    807f28d1db698ab4c2079adfb625c0da72384530
                      src/feedvalidator/iso639codes.py             26cb194ff1ffb5a39e3cd37bdfaa9a4b1404868e

Rules covered (levels as in logging.py; "Info" events such as MissingDCLanguage are never reported):
  document    SAXError MissingNamespace InvalidNamespace UndefinedElement UnexpectedText UnknownNamespace
              AvoidNamespacePrefix BadCharacters InvalidLanguage (xml:lang)
  Atom feed   MissingElement(title/id/updated) MissingSelf DuplicateElement MisplacedMetadata DuplicateAtomLink
              DuplicateEntries DuplicateIds DuplicateUpdated NonCanonicalURI UnexpectedWhitespace NotBlank
  Atom entry  MissingElement(title/author/id/updated) MissingTextualContent MissingContentOrAlternate MissingSummary
  text        ContainsHTML ContainsUndeclaredHTML CharacterData AttrNotBlank InvalidTextType InvalidMIMEType
              MissingXhtmlDiv NotHtml SecurityRisk SecurityRiskAttr DangerousStyleAttr ContainsRelRef ContainsEmail
  links, URIs InvalidIRI InvalidFullLink InvalidLink InvalidURIAttribute InvalidUriChar UriNotIri InvalidURN
              InvalidUUID InvalidTAG SchemeNotIANARegistered MissingHref AtomLinkNotEmpty UnregisteredAtomLinkRel
              SelfNotAtom FeedHistoryRelInEntry RelativeSelf SelfDoesntMatchLocation InvalidNonNegativeInteger
  person etc. MissingElement(name) InvalidAddrSpec; category MissingAttribute(term); generator uri/blank/HTML
  dates       InvalidRFC3339Date InvalidRFC2822Date IncorrectDOW ProblematicalRFC822Date ImplausibleDate
  RSS         MissingAttribute(version) InvalidRSSVersion MissingElement(channel) MissingTitle MissingLink
              MissingDescription MissingAtomSelfLink MisplacedItem AvoidTextInput ItemMustContainTitleOrDescription
              MissingGuid InvalidHttpGUID InvalidPermalink InvalidBooleanAttribute NotSufficientlyUnique DuplicateValue
              NeedDescriptionBeforeContent InvalidPositiveInteger MissingAttribute InvalidIntegerAttribute
              DuplicateEnclosure (enclosure)
NOT covered: HTTP, media-type and encoding checks (the service fetches the URL); RSS 0.9x/1.0; Atom content with
src= or non-text media types (MissingTypeAttr, NotBase64, HtmlFragment); UnexpectedAttribute, UseOfExtensionAttr;
xhtml content internals (NotInline); atom:source metadata; RSS author/managingEditor/webMaster e-mail rules;
enclosure media types, image/cloud/textInput/skipHours internals; iTunes, Media RSS, Dublin Core and other extension
vocabularies (DuplicateSemantics etc.); RFC 5005 archive rules; ReservedPrefix/NonstdPrefix; the feedburner special
case of SelfDoesntMatchLocation; DNS look-ups.
Approximations: the HTML check imitates html5lib's strict fragment parser (stray/unclosed tags, bad character
references, bare "<") and the CSS check only whitelists property names, so NotHtml "Invalid HTML" and
DangerousStyleAttr may differ in corner cases; ISO 639 two-letter codes are checked fully, three-letter codes
are accepted when alphabetic; URI canonical form is RFC 3986 syntax normalisation; an empty `location` skips
SelfDoesntMatchLocation. The service folds repeated
messages into "(N occurrences)"; here each occurrence is its own Finding, and an element gets at most one
ContainsHTML-type finding.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from html.entities import html5 as html5_entities
from html.entities import name2codepoint
from html.parser import HTMLParser
from typing import TypeAlias
from urllib.parse import urljoin, urlsplit

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"

_MISSING = "Missing %(parent)s element: %(element)s"
_SELF = 'Missing atom:link with rel="self"'
_GUID = "guid must be a full URL, unless isPermaLink attribute is false"
MESSAGES: dict[str, str] = {
    "SAXError": "XML parsing error: %(exception)s",
    "UnexpectedText": "Unexpected Text",
    "UndefinedElement": "Undefined %(parent)s element: %(element)s",
    "MissingNamespace": "Missing namespace for %(element)s",
    "InvalidNamespace": "%(element)s is in an invalid namespace: %(namespace)s",
    "MissingElement": _MISSING,
    "MissingTitle": _MISSING,
    "MissingLink": _MISSING,
    "MissingDescription": _MISSING,
    "MissingAttribute": "Missing %(element)s attribute: %(attr)s",
    "InvalidIntegerAttribute": "%(attr)s attribute of %(element)s must be a positive integer",
    "DuplicateEnclosure": "item contains more than one enclosure",
    "UnexpectedWhitespace": "Whitespace not permitted here",
    "NotBlank": "%(element)s should not be blank",
    "AttrNotBlank": "The %(attr)s attribute of %(element)s should not be blank",
    "DuplicateElement": "%(parent)s contains more than one %(element)s",
    "DuplicateValue": "%(element)s values must not be duplicated within a feed",
    "InvalidAddrSpec": "%(element)s must be an email address",
    "InvalidLink": "%(element)s must be a valid URI",
    "InvalidIRI": "%(element)s must be a valid IRI",
    "InvalidFullLink": "%(element)s must be a full and valid URL",
    "InvalidUriChar": "Invalid character in a URI",
    "UriNotIri": "IRI found where URL expected",
    "InvalidURIAttribute": "%(attr)s attribute of %(element)s must be a valid URI",
    "InvalidURN": "%(element)s is not a valid URN",
    "InvalidUUID": "%(element)s is not a valid UUID",
    "InvalidTAG": "%(element)s is not a valid TAG",
    "SchemeNotIANARegistered": "URI scheme not IANA registered",
    "NonCanonicalURI": 'Identifier "%(uri)s" is not in canonical form (the canonical form would be "%(curi)s")',
    "InvalidRFC2822Date": "%(element)s must be an RFC-822 date-time",
    "IncorrectDOW": "Incorrect day of week",
    "InvalidRFC3339Date": "%(element)s must be an RFC-3339 date-time",
    "ImplausibleDate": "Implausible date",
    "ProblematicalRFC822Date": "Problematical RFC 822 date-time value",
    "InvalidLanguage": "%(element)s must be an ISO-639 language code",
    "InvalidNonNegativeInteger": "%(element)s must be a non-negative integer",
    "InvalidPositiveInteger": "%(element)s must be a positive integer",
    "InvalidBooleanAttribute": "%(attr)s attribute of %(element)s must be 'true' or 'false'",
    "InvalidHttpGUID": _GUID,
    "InvalidPermalink": _GUID,
    "NotSufficientlyUnique": "The specified guid is not sufficiently unique",
    "ItemMustContainTitleOrDescription": "item must contain either title or description",
    "MissingGuid": "%(parent)s should contain a %(element)s element",
    "ContainsHTML": "%(element)s should not contain HTML",
    "ContainsUndeclaredHTML": "%(element)s should not contain HTML unless declared in the type attribute",
    "CharacterData": 'Encode "&" and "<" in plain text using hexadecimal character references.',
    "ContainsEmail": "%(element)s should not include email address",
    "ContainsRelRef": "%(element)s should not contain relative URL references",
    "SecurityRisk": "%(element)s should not contain %(tag)s tag",
    "SecurityRiskAttr": "%(element)s should not contain %(attr)s attribute",
    "DangerousStyleAttr": "style attribute contains potentially dangerous content",
    "NotHtml": "%(message)s",
    "InvalidTextType": 'type attribute must be "text", "html", or "xhtml"',
    "InvalidMIMEType": "Not a valid MIME type",
    "MissingXhtmlDiv": "Missing xhtml:div element",
    "BadCharacters": "%(element)s contains bad characters",
    "DuplicateAtomLink": "Duplicate alternate links with the same type and hreflang",
    "MissingHref": "%(element)s must have an href attribute",
    "AtomLinkNotEmpty": "%(element)s should not have text (all data is in attributes)",
    "UnregisteredAtomLinkRel": "Unregistered link relationship",
    "SelfNotAtom": '"self" link references a non-Atom representation',
    "FeedHistoryRelInEntry": "%(rel)s link relation found in entry",
    "RelativeSelf": "Relative href value on self link",
    "SelfDoesntMatchLocation": "Self reference doesn't match document location",
    "MissingSelf": _SELF,
    "MissingAtomSelfLink": _SELF,
    "DuplicateEntries": "Two entries with the same id",
    "DuplicateIds": "All entries have the same id",
    "DuplicateUpdated": "Two entries with the same value for atom:updated",
    "MisplacedMetadata": "%(element)s must appear before all entries",
    "MissingSummary": "Missing summary",
    "MissingTextualContent": "Missing textual content",
    "MissingContentOrAlternate": "Missing content or alternate link",
    "UnknownNamespace": "Use of unknown namespace: %(namespace)s",
    "AvoidNamespacePrefix": "Avoid Namespace Prefix: %(prefix)s",
    "InvalidRSSVersion": "Invalid RSS Version",
    "MisplacedItem": "Misplaced Item",
    "AvoidTextInput": "Avoid Text Input",
    "NeedDescriptionBeforeContent": "Ensure description precedes content:encoded",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Subclasses of logging.Warning; every other rule above is an Error.
WARNINGS = _words(
    "NotBlank AttrNotBlank SchemeNotIANARegistered NonCanonicalURI ProblematicalRFC822Date"
    " ImplausibleDate NotSufficientlyUnique MissingGuid ContainsHTML ContainsUndeclaredHTML CharacterData ContainsEmail"
    " ContainsRelRef SecurityRisk SecurityRiskAttr DangerousStyleAttr NotHtml BadCharacters AtomLinkNotEmpty"
    " UnregisteredAtomLinkRel SelfNotAtom FeedHistoryRelInEntry RelativeSelf SelfDoesntMatchLocation MissingSelf"
    " MissingAtomSelfLink DuplicateEntries DuplicateUpdated MissingTextualContent UnknownNamespace AvoidNamespacePrefix"
    " MisplacedItem AvoidTextInput NeedDescriptionBeforeContent DuplicateEnclosure"
)
# Namespaces the validator knows, with their usual prefixes (a partial copy of base.py's table).
KNOWN_NS: dict[str, str] = {
    ATOM_NS: "atom",
    XHTML_NS: "xhtml",
    XML_NS: "xml",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://search.yahoo.com/mrss/": "media",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://wellformedweb.org/CommentAPI/": "wfw",
    "http://purl.org/syndication/thread/1.0": "thr",
    "http://purl.org/syndication/history/1.0": "fh",
    "http://www.georss.org/georss": "georss",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://webns.net/mvcb/": "admin",
    "http://www.w3.org/2007/app": "app",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://a9.com/-/spec/opensearch/1.1/": "opensearch",
    "http://www.w3.org/2000/svg": "svg",
    "http://www.w3.org/1998/Math/MathML": "mathml",
    "http://www.w3.org/1999/xlink": "xlink",
}
ISO639_1 = _words(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el"
    " en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu"
    " ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my"
    " na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm"
    " sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh"
    " zu x xx"
)
IANA_SCHEMES = _words(
    "aaa aaas acap cap cid crid data dav dict dns fax file ftp go gopher h323 http https iax icap im imap info ipp"
    " iris iris.beep iris.lwz iris.xpc iris.xpcs ldap mailto mid modem msrp msrps mtqp mupdate news nfs nntp"
    " opaquelocktoken pop pres prospero rtsp service shttp sip sips snmp soap.beep soap.beeps tag tel telnet tftp"
    " thismessage tip tv urn vemmi wais xmlrpc.beep xmlrpc.beeps xmpp z39.50r z39.50s"
)
LINK_RELS = _words(
    "alternate current describedby edit edit-media enclosure first hub last license next next-archive payment"
    " prev-archive previous related replies search self service up via"
)
HISTORY_RELS = _words("current first last next next-archive prev-archive previous")
# HTML elements: SAFE ones pass, RISKY ones give SecurityRisk, anything else is a "Non-html tag".
SAFE_TAGS = _words(
    "a abbr acronym address area article aside audio b bdi big blockquote br button canvas caption center cite code"
    " col colgroup command data datagrid datalist dd del details dfn dialog dir div dl dt em eventsource fieldset"
    " figcaption figure footer font form header h1 h2 h3 h4 h5 h6 hgroup hr i img input ins keygen kbd label legend"
    " li m main map mark menu meter multicol nav nextid ol output optgroup option p picture pre progress q rp rt"
    " ruby s samp section select small sound source spacer span strike strong sub summary sup table tbody td"
    " template textarea time tfoot th thead tr track tt u ul var video noscript wbr"
)
RISKY_TAGS = _words(
    "applet base basefont bdo body embed frame frameset head html iframe isindex link meta noframes object param"
    " script slot style title xmp plaintext comment listing"
)
SAFE_ATTRS = _words(
    "abbr accept accept-charset accesskey action align allow allowfullscreen allowpaymentrequest alt as autoplay"
    " autocapitalize autocomplete autofocus axis background balance bgcolor bgproperties border bordercolor"
    " bordercolordark bordercolorlight bottompadding cellpadding cellspacing ch challenge char charoff choff charset"
    " checked cite class clear color cols colspan compact contenteditable coords crossorigin data datafld"
    " datapagesize datasrc datetime decoding default delay dir dirname disabled download draggable dynsrc enctype"
    " end enterkeyhint face for form formenctype frame galleryimg gutter headers height hidefocus hidden high href"
    " hreflang hspace icon id inputmode is ismap itemid itemprop itemref itemscope itemtype kind keytype label lang"
    " leftspacing loading list longdesc loop loopcount loopend loopstart low lowsrc max maxlength media method min"
    " minlength multiple muted name nohref nonce noshade nowrap open optimum pattern ping placeholder playsinline"
    " point-size poster preload prompt pqg radiogroup readonly referrerpolicy rel repeat-max repeat-min replace"
    " required rev reversed rightspacing rows rowspan rules scope selected shape size sizes span spellcheck src"
    " srclang srcset start step summary suppress tabindex target template title toppadding translate type"
    " unselectable usemap urn valign value variable volume vspace vrml width wrap xml:lang xmlns"
)
SAFE_CSS = _words(
    "azimuth background background-color border border-bottom border-bottom-color border-bottom-style"
    " border-bottom-width border-collapse border-color border-left border-left-color border-left-style"
    " border-left-width border-right border-right-color border-right-style border-right-width border-spacing"
    " border-style border-top border-top-color border-top-style border-top-width border-width clear color cursor"
    " direction display elevation float font font-family font-size font-style font-variant font-weight height"
    " letter-spacing line-height list-style-type margin margin-bottom margin-left margin-right margin-top overflow"
    " padding padding-bottom padding-left padding-right padding-top pause pause-after pause-before pitch pitch-range"
    " richness speak speak-header speak-numeral speak-punctuation speech-rate stress text-align text-decoration"
    " text-indent unicode-bidi vertical-align voice-family volume white-space width"
)
VOID_TAGS = _words(
    "area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr"
)
IMPLIED_END = _words("dd dt li optgroup option p rb rp rt rtc")
EOF_OK = IMPLIED_END | _words("tbody td tfoot th thead tr body html")

URI_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ;/?:@&=+$.-_!~*'()%,#")
_C = r"[0-9A-Za-z;/?:@&=+$.\-_!~*'()%,#]"
REL_URI_RE = re.compile(r"(?:[A-Za-z][0-9A-Za-z+.\-]*:)?/{0,2}(?:\[[0-9A-Fa-f:]+\])?" + _C + r"*\Z")
FULL_URI_RE = re.compile(r"[A-Za-z][0-9A-Za-z+.\-]*:(?://)?" + _C + r"+\Z")
URN_RE = re.compile(r"urn:[a-z0-9][a-z0-9-]{1,31}:(?:[a-z0-9()+,.:=@;$_!*'\-]|%[0-9a-f]{2})+\Z", re.I)
UUID_URN_RE = re.compile(r"urn:uuid:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\Z", re.I)
_T = r"[0-9a-zA-Z;/?:@&=+$.\-_!~*'()%,]"
TAG_URI_RE = re.compile(r"tag:(?:[a-z0-9\-._]+?@)?[a-z0-9.\-]+?,\d{4}(?:-\d\d(?:-\d\d)?)?:" + _T + f"*(?:#{_T}*)?\\Z")
_TOKEN = r'[^\s()<>,;:\\"/\[\]?=]+'
MIME_RE = re.compile(rf'{_TOKEN}/{_TOKEN}(?:\s*;\s*{_TOKEN}=(?:"(?:\\"|[^"])*"|{_TOKEN}))*\Z')
RFC3339_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d(?:\.\d*)?)(?:Z|[+-]\d\d:\d\d)\Z")
_DAYS, _MONTHS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun", "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
RFC2822_STRICT_RE = re.compile(
    rf"(?:(?:{_DAYS}), )?\d\d? (?:{_MONTHS}) \d{{4}} \d\d:\d\d(?::\d\d)? "
    r"(?:[+-]?\d\d[03]0|UT|GMT|[ECMP][SD]T|Z)\Z"
)
RFC822_LOOSE_RE = re.compile(
    rf"(?:(?:{_DAYS.lower()})\s*,\s*)?\d\d?\s+(?:{_MONTHS.lower()})\s+\d\d(?:\d\d)?\s+"
    r"\d\d:\d\d(?::\d\d)?\s+(?:[+-]\d{4}|ut|gmt|[ecmp][sd]t|[a-ik-z])?\Z"
)
REL_REF_RES = (
    re.compile(r"""<img\s+[^>]*src=(?:"([^"\n]*?)"|'([^'\n]*?)'|([\w-]+))[\s>]""", re.I),
    re.compile(r"""<a\s+href=(?:"([^"\n]*?)"|'([^'\n]*?)'|([\w-]+))[\s>]""", re.I),
)
_ADDR = r"[A-Z0-9_\-+.']+@(?:(?:[0-9]{1,3}\.){3}|(?:[A-Z0-9\-]+\.)+)[A-Z0-9][-A-Z0-9]*"
ADDR_RE, EMAIL_IN_TEXT_RE = re.compile(_ADDR + r"\Z", re.I), re.compile(f"<{_ADDR}>", re.I)
SIMPLE_ADDR_RE = re.compile(r"[\w.%+-]+@[A-Za-z][\w.-]+\Z")
DEFAULT_PORTS = {"ftp": 21, "telnet": 23, "http": 80, "gopher": 70, "news": 119, "nntp": 119, "https": 443}


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    rule: str  # the validator's message class name, e.g. "MissingAtomSelfLink"
    where: str  # an XPath-ish locator
    message: str  # the validator's English message text, filled in


Element: TypeAlias = etree._Element
Link: TypeAlias = tuple[str, str, str]  # (rel, type, hreflang) of an atom:link


def _split(tag: object) -> tuple[str, str]:
    tag = str(tag)  # lxml's tag is a str for elements (comments are skipped before)
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return ns, local


def _children(el: Element) -> list[Element]:
    return [c for c in el if isinstance(c.tag, str)]


def _text(el: Element) -> str:
    return (el.text or "") + "".join((_text(c) if isinstance(c.tag, str) else "") + (c.tail or "") for c in el)


def _own_text(el: Element) -> str:
    return (el.text or "") + "".join(c.tail or "" for c in el)


def _remove_dot_segments(path: str) -> str:
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        if seg in (".", ".."):
            if seg == ".." and len(out) > 1:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
        else:
            out.append(seg)
    return "/".join(out)


def canonical_uri(uri: str) -> str | None:
    """RFC 3986 syntax-based normalisation (what NonCanonicalURI and the self-link comparison rely on)."""
    m = re.match(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:(\?)([^#]*))?(?:(#)(.*))?\Z", uri, re.S)
    if m is None or (m.group(1) is None and m.group(2) is None and not m.group(3).startswith("/")):
        return None
    scheme, netloc, path = (m.group(1) or "").lower(), m.group(2), m.group(3)

    def pct(s: str) -> str:  # decode escaped unreserved characters, upper-case the other escapes
        def fix(e: re.Match[str]) -> str:
            ch = chr(int(e.group(1), 16))
            return ch if ch.isascii() and (ch.isalnum() or ch in "-._~") else e.group(0).upper()

        return re.sub(r"%([0-9A-Fa-f]{2})", fix, s)

    if netloc is not None:
        userinfo, at, host = netloc.rpartition("@")
        host, _, port = host.lower().partition(":") if not host.startswith("[") else (host.lower(), "", "")
        if port and (not port.isdigit() or int(port) != DEFAULT_PORTS.get(scheme)):
            host += f":{port}"
        netloc = (userinfo + at if userinfo not in ("", ":") else "") + host
        path = _remove_dot_segments(path) or "/"
    elif path.startswith("/"):
        path = _remove_dot_segments(path)
    return "".join(
        [
            f"{scheme}:" if scheme else "",
            f"//{netloc}" if netloc is not None else "",
            pct(path),
            (m.group(4) or "") + pct(m.group(5) or ""),
            (m.group(6) or "") + pct(m.group(7) or ""),
        ]
    )


class _HtmlScan(HTMLParser):
    """Collects start tags and (html5lib-style, strict) parse errors from an HTML fragment."""

    def __init__(self, value: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.errors: list[str] = []
        self.stack: list[str] = []
        for m in re.finditer(r"&(?:#([xX][0-9a-fA-F]+|[0-9]+)?|([A-Za-z][A-Za-z0-9]*))(;?)", value):
            if m.group(2) is not None and not (m.group(3) and m.group(2) + ";" in html5_entities):
                self.errors.append(f"bad named character reference {m.group(0)!r}")
            elif m.group(2) is None and not (m.group(1) and m.group(3)):
                self.errors.append(f"bad numeric character reference {m.group(0)!r}")
        if re.search(r"<(?![A-Za-z/!])|</(?![A-Za-z])|<!(?!--)", value):
            self.errors.append("expected-tag-name")
        self.feed(value)
        self.close()
        self.errors += [f"expected-closing-tag-but-got-eof {t}" for t in self.stack if t not in EOF_OK]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag not in VOID_TAGS:
            self.errors.append(f"non-void-element-with-trailing-solidus {tag}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            self.errors.append(f"unexpected-end-tag {tag}")
            return
        idx = len(self.stack) - 1 - self.stack[::-1].index(tag)
        if any(t not in IMPLIED_END for t in self.stack[idx + 1 :]):
            self.errors.append(f"end-tag-too-early {tag}")
        del self.stack[idx:]


class _Checker:
    def __init__(self, document: bytes, location: str) -> None:
        self.location = location
        self.findings: list[Finding] = []
        self.lines = document.decode("utf-8", "replace").replace("\r\n", "\n").split("\n")
        self.kind = ""  # "atom" or "rss"
        self.rss_version = ""
        self.now = time.time()

    def log(self, rule: str, where: str, **params: object) -> None:
        level = "warning" if rule in WARNINGS else "error"
        self.findings.append(Finding(level, rule, where, MESSAGES[rule] % defaultdict(str, params)))

    def name(self, el: Element) -> str:
        ns, local = _split(el.tag)
        if not ns or (ns == ATOM_NS and self.kind == "atom"):
            return local
        return f"{KNOWN_NS.get(ns, el.prefix or ns)}:{local}"

    def path(self, el: Element) -> str:
        steps = []
        for node in [el, *el.iterancestors()]:
            parent, step = node.getparent(), self.name(node)
            same = [c for c in parent if c.tag == node.tag] if parent is not None else [node]
            steps.append(step + (f"[{same.index(node) + 1}]" if len(same) > 1 else ""))
        return "/" + "/".join(reversed(steps))

    def hexref_line(self, el: Element) -> bool:
        """The validator's rssCharData: does the element's first source line contain a '&#x' reference?"""
        line = (el.sourceline or 0) - 1
        return 0 <= line < len(self.lines) and "&#x" in self.lines[line]

    # -- value rules (validators.py) -------------------------------------------------------------------------
    def uri(
        self, value: str, where: str, element: str, parent: str, *, full: bool, iri: bool, error: str, attr: str = ""
    ) -> bool:
        p = {"element": element, "parent": parent, "value": value, "attr": attr}
        ascii_form = "".join(c if c.isascii() else "%XX" for c in value)
        v = ascii_form if iri else value
        scheme = v.split(":")[0].lower()
        if scheme == "tag":
            if not TAG_URI_RE.match(v):
                self.log("InvalidTAG", where, **p)
            return bool(TAG_URI_RE.match(v))
        if scheme == "urn":
            rule = (
                "InvalidUUID"
                if v.lower().startswith("urn:uuid:") and not UUID_URN_RE.match(v)
                else ""
                if URN_RE.match(v)
                else "InvalidURN"
            )
            if rule:
                self.log(rule, where, **p)
            return not rule
        pattern = FULL_URI_RE if full else REL_URI_RE
        if not pattern.match(v):
            bad = next((c for c in v if c.isascii() and c not in URI_CHARS), None)
            if bad is not None:
                self.log("InvalidUriChar", where, char=repr(bad), **p)
            else:
                self.log("UriNotIri" if pattern.match(ascii_form) else error, where, **p)
            return False
        if scheme in ("http", "ftp") and not re.match(r"\w+://[^/]", v):
            self.log(error, where, **p)
            return False
        if ":" in v and scheme.isalpha() and scheme not in IANA_SCHEMES:
            self.log("SchemeNotIANARegistered", where, **{**p, "value": scheme})
            return False
        return True

    def language(self, value: str, where: str, element: str, parent: str) -> None:
        primary = value.split("-", 1)[0].lower()
        if not (primary.isalpha() if len(primary) == 3 else primary in ISO639_1):
            self.log("InvalidLanguage", where, element=element, parent=parent, value=value)

    def nonhtml(
        self, el: Element, value: str, where: str, element: str, parent: str, rule: str = "ContainsHTML"
    ) -> None:
        tags = [t for t in re.findall(r"</(\w+)>", value) if t.lower() in SAFE_TAGS | RISKY_TAGS]
        refs = re.findall(r"&(#?\w+)", value)
        if tags:
            self.log(rule, where, element=element, parent=parent, value=tags[0])
        elif refs:
            flagged = [r for r in refs if r in name2codepoint or r == "apos" or not r.isalpha()]
            if flagged and not self.hexref_line(el):
                self.log(rule, where, element=element, parent=parent, value=f"&{flagged[0]};")
        elif (
            self.kind == "rss"
            and self.rss_version.startswith("2.")
            and re.search(r"&#[x0-9]|<[/a-zA-Z]", value)
            and not self.hexref_line(el)
        ):
            self.log("CharacterData", where)

    def safe_html(self, value: str, where: str, element: str, parent: str) -> None:
        p = {"element": element, "parent": parent}
        if "<?import " in value.lower():
            self.log("SecurityRisk", where, tag="?import", **p)
        scan = _HtmlScan(value)
        if scan.errors:  # html5lib in strict mode stops at the first parse error
            self.log("NotHtml", where, message="Invalid HTML", value=scan.errors[0], **p)
            return
        for tag, attrs in scan.tags:
            if tag not in SAFE_TAGS | RISKY_TAGS:
                self.log("NotHtml", where, message="Non-html tag", value=tag, **p)
            elif tag in RISKY_TAGS:
                self.log("SecurityRisk", where, tag=tag, **p)
            for attr, attr_value in attrs if tag in SAFE_TAGS else []:
                style = attr_value or ""
                if attr == "style" and (
                    not re.fullmatch(r"""(?:[:,;#%.\sa-zA-Z0-9!]|\w-\w|'[\s\w]+'|"[\s\w]+"|\([\d,\s]+\))*""", style)
                    or any(prop not in SAFE_CSS for prop in re.findall(r"([-\w]+)\s*:", style.lower()))
                ):
                    self.log("DangerousStyleAttr", where, attr="style", value=style, **p)
                elif attr != "style" and attr not in SAFE_ATTRS and not attr.startswith("data-"):
                    self.log("SecurityRiskAttr", where, attr=attr, **p)

    def relative_refs(self, value: str, where: str, element: str, parent: str) -> None:
        for regex in REL_REF_RES:
            for groups in regex.findall(value):
                ref = html.unescape(next((g for g in groups if g), "")).strip()
                bad = next((c for c in ref if c.isascii() and c not in URI_CHARS), None)
                if re.match(r"\w+:", ref):
                    continue
                if bad is not None:
                    self.log("InvalidUriChar", where, value=ref, char=repr(bad))
                else:
                    self.log("ContainsRelRef", where, element=element, parent=parent, value=ref)

    def rfc3339(self, el: Element, parent: str) -> str:
        raw, where, element = _text(el), self.path(el), self.name(el)
        value = raw.strip()
        if raw != value:
            self.log("UnexpectedWhitespace", where, element=element, parent=parent)
        p = {"element": element, "parent": parent, "value": value}
        m = RFC3339_RE.match(value)
        try:
            if m is None or int(m.group(4)) > 23 or int(m.group(5)) > 60 or float(m.group(6)) > 60.0:
                raise ValueError(value)
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            self.log("InvalidRFC3339Date", where, **{**p, "value": str(exc)})
            return value
        # validators.implausible_8601: on Python 3 `xml.utils.iso8601` is missing, so its "granularity is a day"
        # branch runs: a *string* comparison against 1990-01-01 and against now+24h as UTC "YYYY-MM-DDTHH:MM:SSZ".
        if value < "1990-01-01" or value > time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.now + 86400)):
            self.log("ImplausibleDate", where, **p)
        return value

    def rfc822(self, el: Element, parent: str) -> None:
        value, where = _text(el).strip(), self.path(el)
        p = {"element": self.name(el), "parent": parent, "value": value}
        if not RFC2822_STRICT_RE.match(value):
            loose, previous = re.sub(r"\\.", "", value), ""
            while loose != previous:  # strip (nested) RFC 822 comments
                previous, loose = loose, re.sub(r"\([^(]*?\)", " ", loose)
            lenient = RFC822_LOOSE_RE.match(loose.strip().lower())
            self.log("ProblematicalRFC822Date" if lenient else "InvalidRFC2822Date", where, **p)
            return
        parsed = email.utils.parsedate_tz(value)
        assert parsed is not None
        try:
            if parsed[0] > 1900 and value.find(",") > 0:
                if dt.date(*parsed[:3]).strftime("%a").lower() != value[:3].lower():
                    self.log("IncorrectDOW", where, **{**p, "value": value[:3]})
                    return
            elif parsed[0] > 1900:
                dt.date(*parsed[:3])
        except ValueError as exc:
            self.log("InvalidRFC2822Date", where, **{**p, "value": str(exc)})
            return
        # validators.implausible_822: before 1990, or more than ten minutes in the future.
        try:
            implausible = email.utils.mktime_tz(parsed) > self.now + 600 or parsed[0] < 1990
        except (OverflowError, ValueError):
            implausible = True
        if implausible:
            self.log("ImplausibleDate", where, **p)

    # -- structural helpers --------------------------------------------------------------------------------
    def document_rules(self, root: Element) -> None:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            parent = el.getparent()
            inherited = parent.nsmap if parent is not None else {}
            for prefix, uri in el.nsmap.items():
                if inherited.get(prefix) == uri or not uri:
                    continue
                if prefix in ("atom", "xhtml") and self.kind == "atom":
                    self.log("AvoidNamespacePrefix", self.path(el), prefix=prefix)
                elif uri not in KNOWN_NS:
                    self.log("UnknownNamespace", self.path(el), namespace=uri)
            lang = el.get(f"{{{XML_NS}}}lang")
            if lang:
                self.language(lang, self.path(el) + "/@xml:lang", "xml:lang", self.name(el))
            if any(0x80 <= ord(c) <= 0x9F or c == "\ufffd" for t in [_own_text(el), *el.attrib.values()] for c in t):
                self.log("BadCharacters", self.path(el), element=self.name(el))

    def container(self, el: Element) -> None:
        """Rules for elements that hold only child elements."""
        if _own_text(el).strip():
            self.log("UnexpectedText", self.path(el), element=self.name(el))

    def undefined(self, el: Element, parent: Element) -> None:
        self.log("UndefinedElement", self.path(el), parent=self.name(parent), element=self.name(el))

    def duplicates(self, el: Element, names: list[str], single: frozenset[str]) -> None:
        seen: set[str] = set()
        for child, name in zip(_children(el), names, strict=True):
            if name in single and name in seen:
                self.log("DuplicateElement", self.path(child), parent=self.name(el), element=name)
            seen.add(name)

    def blank(self, el: Element, parent: str) -> None:
        if not _text(el).strip():
            self.log("NotBlank", self.path(el), element=self.name(el), parent=parent)

    # -- Atom (feed.py, entry.py, content.py, link.py, author.py, category.py, generator.py) -------------------
    def atom_link(self, el: Element, parent: str) -> Link:
        where, name = self.path(el), self.name(el)
        rel = el.get("rel", "alternate").removeprefix("http://www.iana.org/assignments/relation/")
        ltype, hreflang, href, length = el.get("type", ""), el.get("hreflang", ""), el.get("href"), el.get("length")
        if el.get("rel") is not None:
            if rel not in LINK_RELS and not FULL_URI_RE.match(rel):
                self.log("UnregisteredAtomLinkRel", where + "/@rel", value=rel)
            if not rel:
                self.log("AttrNotBlank", where + "/@rel", element=name, attr="rel")
            if rel in HISTORY_RELS and parent == "entry":
                self.log("FeedHistoryRelInEntry", where, rel=rel)
        if el.get("type") is not None and not MIME_RE.match(ltype):
            self.log("InvalidMIMEType", where + "/@type", element=name, attr="type", value=ltype)
        elif (
            rel == "self"
            and ltype
            and ltype.split(";")[0] not in ("application/atom+xml", "application/rss+xml", "application/rdf+xml")
        ):
            self.log("SelfNotAtom", where + "/@type", element=name, value=ltype)
        if el.get("title") is not None:
            if not el.get("title"):
                self.log("AttrNotBlank", where + "/@title", element=name, attr="title")
            self.nonhtml(el, el.get("title", ""), where + "/@title", "title", parent)
        if length is not None and not re.fullmatch(r"\s*\+?\d+\s*", length):
            self.log("InvalidNonNegativeInteger", where + "/@length", element="length", value=length)
        if el.get("hreflang") is not None:
            self.language(hreflang, where + "/@hreflang", "hreflang", name)
        if href is None:
            self.log("MissingHref", where, element=name, parent=parent)
        else:
            self.uri(href, where + "/@href", "href", name, full=False, iri=True, error="InvalidIRI")
            if rel == "self" and parent in ("feed", "channel"):
                self.self_link(el, href, where + "/@href")
        if _own_text(el).strip():
            self.log("AtomLinkNotEmpty", where, element=name, parent=parent)
        return rel, ltype, hreflang

    def self_link(self, el: Element, href: str, where: str) -> None:
        bases = [b for b in (n.get(f"{{{XML_NS}}}base") for n in [el, *el.iterancestors()]) if b is not None]
        if not any(urlsplit(v).netloc for v in [href, *bases]):
            self.log("RelativeSelf", where, value=href)
        if not self.location:
            return  # nothing to compare against
        base = self.location
        for b in reversed(bases):
            base = urljoin(base, b)
        joined = urljoin(base, href)
        if (
            joined != self.location
            and joined.split("#")[0] != base.split("#")[0]
            and canonical_uri(href) != canonical_uri(self.location)
        ):
            self.log("SelfDoesntMatchLocation", where)

    def text_construct(self, el: Element, parent: str, *, content: bool = False) -> None:
        where, name = self.path(el), self.name(el)
        p = {"element": name, "parent": parent}
        ctype = el.get("type", "text")
        if el.get("type") == "":
            self.log("AttrNotBlank", where + "/@type", attr="type", **p)
        if ("/" in ctype and not content) or ctype == "multipart/alternative":
            self.log("InvalidTextType" if not content else "InvalidMIMEType", where + "/@type", value=ctype, **p)
        elif ctype not in ("text", "html", "xhtml", "") and not MIME_RE.match(ctype):
            self.log("InvalidMIMEType", where + "/@type", value=ctype, **p)
        kids, value = _children(el), "" if ctype == "xhtml" else _text(el)
        if ctype == "xhtml":
            if not kids or kids[0].tag != f"{{{XHTML_NS}}}div" or (el.text or "").strip():
                self.log("MissingXhtmlDiv", where, **p)
        elif not ctype.endswith(("+xml", "/xml")):
            for kid in kids:
                self.undefined(kid, el)
        if ctype == "html" or ctype.endswith("/html"):
            self.safe_html(value, where, name, parent)
        elif ctype != "xhtml":
            self.nonhtml(el, value, where, name, parent, "ContainsUndeclaredHTML")
        if not value and not kids and el.get("src") is None:
            self.log("NotBlank", where, **p)

    def atom_id(self, el: Element, parent: str) -> str:
        raw, where, name = _text(el), self.path(el), self.name(el)
        if raw != raw.strip():
            self.log("UnexpectedWhitespace", where, element=name, parent=parent)
        if self.uri(raw.strip(), where, name, parent, full=True, iri=False, error="InvalidFullLink"):
            curi = canonical_uri(raw.strip())
            if curi != raw:
                self.log("NonCanonicalURI", where, uri=raw, curi=curi or "N/A")
        return raw.strip()

    def person(self, el: Element) -> None:
        self.container(el)
        names: list[str] = []
        for kid in _children(el):
            ns, local = _split(kid.tag)
            names.append(local if ns == ATOM_NS else self.name(kid))
            where, raw = self.path(kid), _text(kid)
            value = raw.strip()
            if ns != ATOM_NS:
                continue
            if local == "name":
                self.nonhtml(kid, value, where, local, self.name(el))
                if EMAIL_IN_TEXT_RE.search(value):
                    self.log("ContainsEmail", where, element=local)
                self.blank(kid, self.name(el))
            elif local == "email" and not (ADDR_RE.match(value) or SIMPLE_ADDR_RE.match(value)):
                self.log("InvalidAddrSpec", where, element=local, value=value)
            elif local == "uri":
                if raw != value:
                    self.log("UnexpectedWhitespace", where, element=local)
                self.blank(kid, self.name(el))
                self.uri(value, where, local, self.name(el), full=False, iri=True, error="InvalidIRI")
            elif local != "email":
                self.undefined(kid, el)
        self.duplicates(el, names, _words("name email uri"))
        if "name" not in names:
            self.log("MissingElement", self.path(el), parent=self.name(el), element="name")

    def atom_common(self, kid: Element, local: str, parent: str) -> bool:
        """Rules shared by atom:feed and atom:entry children; False if `kid` is not one of those elements."""
        where = self.path(kid)
        if local in ("title", "subtitle", "rights", "summary", "content"):
            self.text_construct(kid, parent, content=local == "content")
        elif local in ("author", "contributor"):
            self.person(kid)
        elif local == "category":
            if kid.get("term") is None:
                self.log("MissingAttribute", where, element="category", attr="term")
            elif not kid.get("term"):
                self.log("NotBlank", where + "/@term", element="term")
            if kid.get("scheme") is not None:
                self.uri(
                    kid.get("scheme", ""),
                    where + "/@scheme",
                    "scheme",
                    "category",
                    full=True,
                    iri=True,
                    error="InvalidFullLink",
                )
            if kid.get("label") is not None:
                self.nonhtml(kid, kid.get("label", ""), where + "/@label", "label", "category")
        elif local == "id":
            self.atom_id(kid, parent)
        elif local in ("updated", "published"):
            self.rfc3339(kid, parent)
        else:
            return False
        return True

    def atom_feed(self, feed: Element) -> None:
        self.container(feed)
        names: list[str] = []
        links: list[Link] = []
        entries, ids, updated = 0, set[str](), set[str]()
        repeated_ids = 0
        for kid in _children(feed):
            ns, local = _split(kid.tag)
            names.append(local if ns == ATOM_NS else self.name(kid))
            if ns != ATOM_NS:
                continue
            if local == "entry":
                if not entries:
                    self.feed_metadata(feed, names[:-1], links)
                entries += 1
                repeated_ids += self.atom_entry(kid, "author" in names, ids, updated)
                continue
            if entries:
                self.log("MisplacedMetadata", self.path(kid), parent="feed", element=local)
            if self.atom_common(kid, local, "feed"):
                continue
            if local == "link":
                links.append(self.atom_link(kid, "feed"))
            elif local == "generator":
                if kid.get("uri") is not None:
                    self.uri(
                        kid.get("uri", ""),
                        self.path(kid) + "/@uri",
                        "generator",
                        "feed",
                        full=False,
                        iri=False,
                        error="InvalidURIAttribute",
                        attr="uri",
                    )
                self.nonhtml(kid, _text(kid).strip(), self.path(kid), "generator", "feed")
                self.blank(kid, "feed")
            elif local in ("icon", "logo"):
                if _text(kid) != _text(kid).strip():
                    self.log("UnexpectedWhitespace", self.path(kid), element=local)
                self.blank(kid, "feed")
                self.uri(_text(kid).strip(), self.path(kid), local, "feed", full=False, iri=False, error="InvalidLink")
            else:
                self.undefined(kid, feed)
        self.duplicates(feed, names, _words("title subtitle rights updated id generator icon logo"))
        if not entries:
            self.feed_metadata(feed, names, links)
        if entries > 9 and repeated_ids == entries - 1:  # feed.py: every entry shares one id
            self.findings = [f for f in self.findings if f.rule != "DuplicateEntries"]
            self.log("DuplicateIds", self.path(feed))

    def feed_metadata(self, feed: Element, names: list[str], links: list[Link]) -> None:
        """feed.py validate_metadata: run when the first entry starts (or at the end of an empty feed)."""
        for required in ("title", "id", "updated"):
            if required not in names:
                self.log("MissingElement", self.path(feed), parent="feed", element=required)
        if not any(rel == "self" for rel, _, _ in links):
            self.log("MissingSelf", self.path(feed), parent="root", element="feed")
        self.alternate_duplicates(feed, links)

    def alternate_duplicates(self, el: Element, links: list[Link]) -> None:
        alternates = [(ltype, hreflang) for rel, ltype, hreflang in links if rel == "alternate"]
        for i, (ltype, hreflang) in enumerate(alternates):
            if (ltype, hreflang) in alternates[:i]:
                self.log("DuplicateAtomLink", self.path(el), element="link", type=ltype, hreflang=hreflang)

    def atom_entry(self, entry: Element, feed_has_author: bool, ids: set[str], updated: set[str]) -> int:
        """Check one atom:entry; returns 1 if its id repeats an earlier entry's id."""
        self.container(entry)
        names: list[str] = []
        links: list[Link] = []
        repeated = 0
        for kid in _children(entry):
            ns, local = _split(kid.tag)
            names.append(local if ns == ATOM_NS else self.name(kid))
            if ns != ATOM_NS:
                continue
            if local in ("id", "updated"):  # entry.py: unique('id', DuplicateEntries), unique('updated', ...)
                seen, rule = (ids, "DuplicateEntries") if local == "id" else (updated, "DuplicateUpdated")
                value = _text(kid).strip()
                self.blank(kid, "entry")
                if value and value in seen:
                    repeated = 1 if local == "id" else repeated
                    self.log(rule, self.path(kid), element=local, parent="entry", value=value)
                seen.add(value)
            if self.atom_common(kid, local, "entry"):
                continue
            if local == "link":
                links.append(self.atom_link(kid, "entry"))
            elif local != "source":
                self.undefined(kid, entry)
        self.duplicates(entry, names, _words("content id published source rights summary title updated"))
        where = self.path(entry)
        sources = entry.iterchildren(f"{{{ATOM_NS}}}source")
        source_author = any(s.find(f"{{{ATOM_NS}}}author") is not None for s in sources)
        for required in ("title", "author", "id", "updated"):
            if required not in names and not (required == "author" and (feed_has_author or source_author)):
                self.log("MissingElement", where, parent="entry", element=required)
        content = entry.find(f"{{{ATOM_NS}}}content")
        if content is not None:
            ctype = content.get("type", "text")
            non_textual = "/" in ctype and not (ctype.endswith(("+xml", "/xml")) or ctype.startswith("text/"))
            if "summary" not in names and (content.get("src") is not None or non_textual):
                self.log("MissingSummary", where, parent="feed", element="entry")
        else:
            if "summary" not in names:
                self.log("MissingTextualContent", where, parent="feed", element="entry")
            if not any(rel == "alternate" for rel, _, _ in links):
                self.log("MissingContentOrAlternate", where, parent="feed", element="entry")
        self.alternate_duplicates(entry, links)
        return repeated

    # -- RSS 2.0 (rss.py, channel.py, item.py) ------------------------------------------------------------------
    CHANNEL_META = _words(
        "title link description language copyright managingEditor webMaster pubDate lastBuildDate"
        " category generator docs cloud ttl image textInput textinput skipHours skipDays atom:link"
    )
    CHANNEL_SINGLE = _words(
        "title link description language copyright managingEditor webMaster pubDate"
        " lastBuildDate generator docs cloud ttl image textInput skipHours skipDays"
    )
    CHANNEL_OTHER = _words("rating item blink")
    ITEM_SINGLE = _words("title link description content:encoded comments pubDate author guid source")
    ITEM_OTHER = _words("category enclosure")

    def rss(self, rss: Element) -> None:
        self.container(rss)
        self.rss_version = rss.get("version", "2.0")
        if rss.get("version") is None:
            self.log("MissingAttribute", self.path(rss), parent="root", element="rss", attr="version")
        elif self.rss_version not in ("0.91", "0.92", "2.0"):
            self.log("InvalidRSSVersion", self.path(rss) + "/@version", value=self.rss_version)
        channels = list(rss.iterchildren("channel"))
        for kid in _children(rss):
            if kid.tag == "channel":
                self.channel(kid)
            elif not _split(kid.tag)[0]:
                self.undefined(kid, rss)
        self.duplicates(rss, [self.name(k) for k in _children(rss)], _words("channel"))
        if not channels:
            self.log("MissingElement", self.path(rss), parent="rss", element="channel")

    def channel(self, ch: Element) -> None:
        self.container(ch)
        names: list[str] = []
        unreported_items: list[Element] = []
        guids: set[str] = set()
        has_self = False
        for kid in _children(ch):
            name, where, value = self.name(kid), self.path(kid), _text(kid).strip()
            names.append(name)
            if name in self.CHANNEL_META:  # channel.py metadata(): items must come after the channel metadata
                for item in unreported_items:
                    self.log("MisplacedItem", self.path(item), parent="channel", element="item")
                unreported_items = []
            if name == "item":
                unreported_items.append(kid)
                self.item(kid, guids)
            elif name in ("title", "description", "copyright", "category"):
                self.nonhtml(kid, value, where, name, "channel")
                if name == "title":
                    self.blank(kid, "channel")
            elif name in ("link", "docs"):
                self.uri(value, where, name, "channel", full=True, iri=False, error="InvalidFullLink")
            elif name == "language":
                self.language(value, where, name, "channel")
            elif name in ("pubDate", "lastBuildDate"):
                self.rfc822(kid, "channel")
            elif name == "ttl":
                if not (value.lstrip("+").isdigit() and int(value) > 0):
                    self.log("InvalidPositiveInteger", where, element=name, parent="channel", value=value)
                self.blank(kid, "channel")
            elif name == "atom:link":
                has_self |= self.atom_link(kid, "channel")[0] == "self"
            elif name == "textInput":
                self.log("AvoidTextInput", where)
            elif not _split(kid.tag)[0] and (name == "textinput" or name not in self.CHANNEL_META | self.CHANNEL_OTHER):
                self.undefined(kid, ch)
        self.duplicates(ch, names, self.CHANNEL_SINGLE)
        for required in ("description", "link", "title"):
            rule = f"Missing{required.title()}"
            if required not in names:
                self.log(rule, self.path(ch), parent="channel", element=required)
        if self.rss_version == "2.0" and not has_self:
            self.log("MissingAtomSelfLink", self.path(ch))

    def item(self, item: Element, guids: set[str]) -> None:
        self.container(item)
        names: list[str] = []
        for kid in _children(item):
            name, where, value = self.name(kid), self.path(kid), _text(kid).strip()
            names.append(name)
            if name in ("title", "category"):
                self.nonhtml(kid, value, where, name, "item")
                self.blank(kid, "item")
            elif name in ("link", "comments"):
                self.uri(value, where, name, "item", full=True, iri=False, error="InvalidFullLink")
            elif name in ("description", "content:encoded"):
                if name == "content:encoded" and "description" not in names:
                    self.log("NeedDescriptionBeforeContent", where)
                self.safe_html(value, where, name, "item")
                self.relative_refs(value, where, name, "item")
            elif name == "guid":
                self.guid(kid, value, guids)
            elif name == "pubDate":
                self.rfc822(kid, "item")
            elif name == "atom:link":
                self.atom_link(kid, "item")
            elif name == "enclosure":
                self.enclosure(kid, enclosed="enclosure" in names[:-1])
            elif not _split(kid.tag)[0] and name not in self.ITEM_SINGLE | self.ITEM_OTHER:
                self.undefined(kid, item)
        self.duplicates(item, names, self.ITEM_SINGLE)
        if "title" not in names and "description" not in names:
            self.log("ItemMustContainTitleOrDescription", self.path(item))
        if "guid" not in names and self.rss_version.startswith("2."):
            self.log("MissingGuid", self.path(item), parent="item", element="guid")

    def enclosure(self, el: Element, *, enclosed: bool) -> None:
        """item.py's enclosure: url, length and type required; a length a non-negative integer; one a item."""
        where = self.path(el)
        if enclosed:
            self.log("DuplicateEnclosure", where)
        for attr in ("url", "length", "type"):
            if el.get(attr) is None:
                self.log("MissingAttribute", where, element="enclosure", attr=attr)
        length = el.get("length")
        if length is not None and not re.fullmatch(r"\+?\d+", length.strip()):
            self.log("InvalidIntegerAttribute", where + "/@length", element="enclosure", attr="length")
        if el.get("url") is not None:
            self.uri(el.get("url", ""), where + "/@url", "url", "enclosure", full=True, iri=False,
                     error="InvalidFullLink", attr="url")  # fmt: skip

    def guid(self, el: Element, value: str, guids: set[str]) -> None:
        where, flag = self.path(el), el.get("isPermaLink")
        if flag is not None and flag not in ("true", "false"):
            self.log("InvalidBooleanAttribute", where + "/@isPermaLink", element="guid", attr="isPermaLink")
        if flag is None or flag == "true":  # a permalink must be a full URL, and not a tag: or urn:uuid: one
            if self.uri(
                value, where, "guid", "item", full=True, iri=False, error="InvalidHttpGUID"
            ) and value.lower().startswith(("tag:", "urn:uuid:")):
                self.log("InvalidPermalink", where, parent="item", element="guid")
        elif len(value) < 9 and value.isdigit():
            self.log("NotSufficientlyUnique", where, parent="item", element="guid", value=value)
        self.blank(el, "item")
        if value and value in guids:
            self.log("DuplicateValue", where, element="guid", parent="item", value=value)
        guids.add(value)


def check_feed(document: bytes, location: str) -> list[Finding]:
    """Findings the W3C Feed Validation Service's rules give for an Atom 1.0 or RSS 2.0 document served at
    `location` (its URL)."""
    checker = _Checker(document, location)
    try:
        root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as exc:
        return [Finding("error", "SAXError", "/", MESSAGES["SAXError"] % {"exception": exc})]
    ns, local = _split(root.tag)
    checker.kind = {"feed": "atom", "rss": "rss"}.get(local, "")
    checker.document_rules(root)
    if local == "feed" and ns == ATOM_NS:
        checker.atom_feed(root)
    elif local == "feed":
        rule = "InvalidNamespace" if ns else "MissingNamespace"
        checker.log(rule, "/feed", parent="root", element="feed", namespace=ns)
    elif local == "rss":
        if ns:
            checker.log("InvalidNamespace", "/rss", parent="root", element="rss", namespace=ns)
        checker.rss(root)
    else:
        checker.log("UndefinedElement", "/" + local, parent="root", element=local)
    return checker.findings
