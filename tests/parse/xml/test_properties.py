"""Property tests: whatever arrives, the XML parsers return articles or raise ParseError."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.article import Article
from streams.parse import ParseError, parse_items
from tests.parse.wires import raw_wire
from tests.parse.xml.xmlwires import ALL_FIXTURES, fixture

HINTS = st.sampled_from([None, "nitf", "newsml-g2", "newsml-1.2", "atom"])
G2 = "http://iptc.org/std/nar/2006-10-01/"
NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"

ROOT_OPENINGS = st.sampled_from(
    [
        b"<nitf>",
        b'<?xml version="1.0" encoding="ISO-8859-1"?><nitf><head><docdata>',
        b'<newsItem xmlns="' + G2.encode() + b'" guid="g" version="2"><contentSet><inlineXML>',
        b'<newsMessage xmlns="' + G2.encode() + b'"><itemSet>',
        b'<NewsML Version="1.2"><NewsItem><NewsComponent>',
        b'<!DOCTYPE nitf SYSTEM "nitf.dtd"><nitf><body><body.content><p>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><x:body xmlns:x="u">',
    ]
)

VALUES = st.one_of(
    st.sampled_from(
        [
            "stat:usable", "stat:canceled", "stat:withheld", "usable", "withheld", "embargoed",
            "Embargoed", "Canceled", "ninat:text", "ninat:picture", "medtop:04000000",
            "sig:update", "hld:main", "3", "0", "9", "12", "-1", "99999999999",
            "2025-03-04T08:30:00+09:00", "20250304T083000Z", "2025-99-99T99:99:99Z", "text/html",
            "text/plain", "application/nitf+xml", "Body", "Photo", "StyleSheet", "IPTC",
            "urn:newsml:x:1", "", " ", "By ",
        ]
    ),
    st.text(max_size=12),
)  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(
        [
            "SEOUL, March 4 (Yonhap) -- Body.", "By Jane Doe", "20250304T083000+0900", "7",
            "LONDON, July 11 (Northwind)", "ab-cd/ef", "___", "&lt;p&gt;x&lt;/p&gt;", "", " ",
        ]
    ),
    st.text(max_size=40),
)  # fmt: skip


def _xml_text(text: str) -> str:
    # Only characters XML 1.0 allows; the rest would make every document malformed.
    allowed = "".join(
        c for c in text if c in "\t\n\r" or 0x20 <= ord(c) <= 0xD7FF or 0xE000 <= ord(c) <= 0xFFFD
    )
    return escape(allowed)


class _Filler:
    """Draws the variable parts of a document template: values, texts, optional pieces."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def value(self) -> str:
        return quoteattr(_xml_text(self.draw(VALUES)))

    def text(self) -> str:
        return _xml_text(self.draw(TEXTS))

    def maybe(self, piece: str) -> str:
        # Mostly present, so that most documents get as far as building articles.
        return piece if self.draw(st.integers(min_value=0, max_value=3)) else ""

    def paragraphs(self, tag: str = "p") -> str:
        count = self.draw(st.integers(min_value=0, max_value=3))
        return "".join(f"<{tag}>{self.text()}</{tag}>" for _ in range(count))


def _nitf(f: _Filler) -> str:
    v, t, m = f.value, f.text, f.maybe
    namespace = m(f' xmlns="{NITF_NS}"')
    docdata = (
        m(f"<doc-id regsrc={v()} id-string={v()}/>")
        + m(f"<urgency ed-urg={v()}/>")
        + m(f"<date.issue norm={v()}/>")
        + m(f"<date.release norm={v()}/>")
        + m(f"<du-key key={v()} version={v()}/>")
        + m(f"<ed-msg info={v()}/>")
        + m(f"<correction info={v()}/>")
        + m(f"<doc.copyright holder={v()}/>")
        + m(f"<key-list><keyword key={v()}/></key-list>")
    )
    head = (
        m(f"<title>{t()}</title>")
        + m(f"<docdata management-status={v()}>{docdata}</docdata>")
        + m(
            f"<tobject tobject.type={v()}><tobject.subject tobject.subject.refnum={v()} "
            f"tobject.subject.ipr={v()}/></tobject>"
        )
    )
    body_head = (
        m(f"<hedline>{m(f'<hl1>{t()}</hl1>')}{m(f'<hl2>{t()}</hl2>')}</hedline>")
        + m(f"<byline>{t()}{m(f'<person>{t()}</person>')}{m(f'<byttl>{t()}</byttl>')}</byline>")
        + m(f"<dateline>{m(f'<city>{t()}</city>')}<story.date>{t()}</story.date></dateline>")
        + m(f"<abstract>{f.paragraphs()}</abstract>")
    )
    content = f.paragraphs() + m(f"<block>{f.paragraphs()}</block>") + m("<p>ab/cd</p>")
    return (
        f"<nitf{namespace}>{m(f'<head>{head}</head>')}<body>{m(f'<body.head>{body_head}</body.head>')}"
        f"{m(f'<body.content>{content}</body.content>')}</body></nitf>"
    )


def _g2_item(f: _Filler, *, namespace: str = "") -> str:
    v, t, m = f.value, f.text, f.maybe
    item_class = '"ninat:text"' if f.draw(st.integers(min_value=0, max_value=3)) else v()
    meta = (
        m(f"<itemClass qcode={item_class}/>")
        + m(f"<provider qcode={v()}>{m(f'<name>{t()}</name>')}</provider>")
        + m(f"<versionCreated>{t()}</versionCreated>")
        + m(f"<embargoed>{t()}</embargoed>")
        + m(f"<pubStatus qcode={v()}/>")
        + m(f"<signal qcode={v()}/>")
        + m(f"<edNote>{t()}</edNote>")
        + m(f"<title>{t()}</title>")
    )
    content_meta = (
        m(f"<urgency>{t()}</urgency>")
        + m(f"<located><name>{t()}</name></located>")
        + m(f"<creator><name>{t()}</name></creator>")
        + m(f"<language tag={v()}/>")
        + m(f"<subject qcode={v()} relevance={v()}><name>{t()}</name></subject>")
        + m(f"<genre qcode={v()}/>")
        + m(f"<slugline>{t()}</slugline>")
        + m(f"<headline role={v()}>{t()}</headline>")
        + m(f"<by>{t()}</by>")
        + m(f"<dateline>{t()}</dateline>")
        + m(f"<description>{t()}</description>")
    )
    renditions = (
        m(f"<inlineXML>{_nitf(f)}</inlineXML>")
        + m(
            f'<inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{f.paragraphs()}</body></html></inlineXML>'
        )
        + m(f"<inlineData contenttype={v()}>{t()}</inlineData>")
    )
    rights = m(f"<rightsInfo><copyrightHolder><name>{t()}</name></copyrightHolder></rightsInfo>")
    return (
        f"<newsItem{namespace} guid={v()} version={v()}>{rights}<itemMeta>{meta}</itemMeta>"
        f"<contentMeta>{content_meta}</contentMeta><contentSet>{renditions}</contentSet></newsItem>"
    )


def _newsml12_item(f: _Filler) -> str:
    v, t, m = f.value, f.text, f.maybe
    identifier = (
        m(f"<ProviderId>{t()}</ProviderId>")
        + m(f"<DateId>{t()}</DateId>")
        + m(f"<NewsItemId>{t()}</NewsItemId>")
        + m(f"<RevisionId PreviousRevision={v()}>{t()}</RevisionId>")
    )
    management = (
        m(f"<ThisRevisionCreated>{t()}</ThisRevisionCreated>")
        + m(f"<Status FormalName={v()}/>")
        + m(f"<StatusWillChange><DateAndTime>{t()}</DateAndTime></StatusWillChange>")
        + m(f"<Urgency FormalName={v()}/>")
    )
    lines = (
        m(f"<HeadLine>{t()}</HeadLine>")
        + m(f"<ByLine>{t()}</ByLine>")
        + m(f"<DateLine>{t()}</DateLine>")
        + m(f"<SlugLine>{t()}</SlugLine>")
        + m(f"<CopyrightLine>{t()}</CopyrightLine>")
        + m(
            f"<NewsLine><NewsLineType FormalName={v()}/>"
            f"<NewsLineText>{t()}</NewsLineText></NewsLine>"
        )
    )
    metadata = m(
        f"<DescriptiveMetadata><Language FormalName={v()}/><Genre FormalName={v()}/>"
        f"<SubjectCode><Subject FormalName={v()}/></SubjectCode></DescriptiveMetadata>"
    )
    data = f.draw(st.sampled_from([_nitf(f), t(), f"<html><body>{f.paragraphs()}</body></html>"]))
    content = m(
        f"<ContentItem><MediaType FormalName={v()}/><MimeType FormalName={v()}/>"
        f"<DataContent>{data}</DataContent></ContentItem>"
    )
    inner = m(f"<NewsComponent><Role FormalName={v()}/>{content}</NewsComponent>")
    return (
        f"<NewsItem><Identification><NewsIdentifier>{identifier}</NewsIdentifier></Identification>"
        f"<NewsManagement>{management}</NewsManagement><NewsComponent>"
        f"<NewsLines>{lines}</NewsLines>{metadata}{content}{inner}</NewsComponent></NewsItem>"
    )


@st.composite
def _document(draw: st.DrawFn) -> tuple[str, str | None]:
    """A document of one of the formats, and a hint: none, or the format's own."""
    f = _Filler(draw)
    kind = draw(st.sampled_from(["nitf", "g2-item", "g2-message", "newsml12"]))
    if kind == "nitf":
        document, hint = _nitf(f), "nitf"
    elif kind == "g2-item":
        document, hint = _g2_item(f, namespace=f' xmlns="{G2}"'), "newsml-g2"
    elif kind == "g2-message":
        items = "".join(_g2_item(f) for _ in range(draw(st.integers(1, 3))))
        document = f'<newsMessage xmlns="{G2}"><itemSet>{items}</itemSet></newsMessage>'
        hint = "newsml-g2"
    else:
        items = "".join(_newsml12_item(f) for _ in range(draw(st.integers(1, 3))))
        document, hint = f'<NewsML Version="1.2"><NewsEnvelope/>{items}</NewsML>', "newsml-1.2"
    return document, draw(st.sampled_from([None, hint]))


def _articles_or_parse_error(content: bytes, hint: str | None) -> None:
    try:
        articles = parse_items(raw_wire(content, hint=hint))
    except ParseError:
        return
    assert articles
    for article in articles:
        assert isinstance(article, Article)
        assert article.headline.strip()
        assert article.body and all(paragraph.strip() for paragraph in article.body)


@settings(deadline=None, max_examples=150)
@given(st.binary(max_size=1500), HINTS)
def test_arbitrary_bytes(data: bytes, hint: str | None) -> None:
    _articles_or_parse_error(data, hint)


@settings(deadline=None, max_examples=150)
@given(ROOT_OPENINGS, st.binary(max_size=800), HINTS)
def test_arbitrary_bytes_after_an_xml_root(opening: bytes, data: bytes, hint: str | None) -> None:
    _articles_or_parse_error(opening + data, hint)


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_document())
def test_generated_documents_of_each_format(case: tuple[str, str | None]) -> None:
    document, hint = case
    _articles_or_parse_error(document.encode("utf-8"), hint)


@st.composite
def _mutated_fixture(draw: st.DrawFn) -> bytes:
    data = bytearray(fixture(draw(st.sampled_from(ALL_FIXTURES))))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not data:
            break
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "duplicate"]))
        if kind == "truncate":
            del data[at:]
        elif kind == "flip":
            data[at] = draw(st.integers(min_value=0, max_value=255))
        elif kind == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=20),
                    st.sampled_from([b"<", b">", b"&", b"&nbsp;", b"]]>", b"<p>", b"</p>", b'"']),
                )
            )
        elif kind == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=40))]
        else:
            data[at:at] = data[at : at + draw(st.integers(min_value=1, max_value=200))]
    return bytes(data)


@settings(deadline=None, max_examples=300)
@given(_mutated_fixture(), HINTS)
def test_mutated_and_truncated_fixtures(data: bytes, hint: str | None) -> None:
    _articles_or_parse_error(data, hint)


@settings(deadline=None, max_examples=100)
@given(st.sampled_from(ALL_FIXTURES), st.data())
def test_every_truncation_of_a_fixture(name: str, data: st.DataObject) -> None:
    content = fixture(name)
    cut = data.draw(st.integers(min_value=0, max_value=len(content)))
    _articles_or_parse_error(content[:cut], None)
