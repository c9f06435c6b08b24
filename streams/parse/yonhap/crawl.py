"""Parser for Yonhap stories saved by a web crawler from a portal page (Markdown + front matter).

The layout::

    ---
    id: 001_0015818850                       front matter: the crawler's fields
    title: "(3rd LD) Coupang unveils ..."     HTML entities left in (&#x27; &quot;)
    publisher: 연합뉴스
    author: 강윤승(reporter@yna.co.kr)        may run over several indented lines
    published_at: 2025-12-29 00:00            Seoul time
    url: https://n.news.naver.com/mnews/article/001/0015818850
    oid: 001
    aid: 0015818850
    ---
    # (3rd LD) Coupang unveils ...             the title again
    **연합뉴스** | 2025-12-29 00:00 |          a metadata line
    ---
    (3rd LD) Coupang-compensation(3rd LD) Coupang unveils ...(ATTN: ...)By Kim
    Ha-neul SEOUL, Dec. 29 (Yonhap) -- E-commerce giant ... first paragraph. Second
    paragraph ...

    reporter@yna.co.kr(END)
    ---
    *Crawled at: ...*                          footer

The crawler ran the slug, the headline, the ATTN note, the byline and the
dateline together, often without spaces, and merged most paragraphs. What is
recovered and how:

* headline: the front matter ``title`` (else the ``#`` line), version tags split off;
* slug: what precedes the headline in the story text, tags stripped
  ("weather forecast" in "weather forecastSunday's weather forecast SEOUL ...");
* ATTN note, byline: what stands between the headline and the dateline;
* dateline: the cities and date before ``(Yonhap) --`` (or ``(서울=연합뉴스)``);
* body: from the dateline to ``(END)``/``(MORE)``, reporter e-mails dropped;
* paragraphs: blank lines the crawler kept are paragraph breaks. Inside a merged
  block a break is made only where a paragraph obviously begins: a sentence end
  (``.?!``, optionally a closing quote) run directly into a capital letter or a
  Hangul syllable with no space ("Sunday.Temperature"), unless the word before
  the full stop is an initialism ("U.S.", "R.LUX"); and a closing quote followed
  by a space and an opening quote (a new quotation paragraph, Yonhap style).
  Sentences separated by a single space stay in one paragraph: nothing tells a
  paragraph break from a sentence break there. Tables the crawler flattened
  ("60Incheon 06/01") are left as they are.
* published_at: front matter ``published_at`` (Seoul time) in UTC;
* source_item_id: front matter ``id``, else ``oid_aid``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from schemas.article import Article, Copyright
from streams.parse.credits import parse_copyright, read_byline
from streams.parse.errors import FrontMatterError, LayoutError
from streams.parse.text import collapse_whitespace, parse_text_wire, sniff_text
from streams.parse.yonhap.base import (
    YonhapStory,
    add_tags,
    attn_note,
    build_yonhap_article,
    kst_datetime,
    split_version_tags,
)

SOURCE_FORMAT = "yonhap-crawl"

_MAX_FRONT_MATTER_LINES = 200
# The cities and date run into the agency: only this much text before it is searched.
_MAX_DATELINE_LEAD = 160
# Reporter e-mails are looked for only at the very end of the story.
_MAX_TRAILER_CHARS = 400

_KEY_RE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]{0,40}):(?:[ \t]+(?P<value>.*))?$")
_YONHAP_FM_RE = re.compile(
    r"^(?:publisher|source|agency|press):.*(?:연합뉴스|yonhap)"
    r"|^url:.*(?:n\.news\.naver\.com|news\.naver\.com|yna\.co\.kr)"
    r"|^oid:[ \t]*\"?001\"?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_STAMP_RE = re.compile(
    r"^(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})[ T]"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2}))?"
)
_AGENCY_RE = re.compile(
    r"\(\s*Yonhap\s*\)\s*(?:--|[\u2013\u2014\u2015])|\(\s*[^()=\n]{1,30}=\s*연합뉴스\s*\)"
)
_CITY_DATE_TAIL_RE = re.compile(
    r"(?P<cities>[A-Z][A-Z.'’/ -]{0,60}[A-Z.])"
    r"(?:,[ \t]*[A-Z][a-z]{2,4}\.?[ \t]+[0-9]{1,2})?[ \t]*$"
)
_END_RE = re.compile(r"\((?:END|MORE)\)")
_KO_TRAILER_RE = re.compile(r"(?m)^[ \t]*(?:<?저작권자|▶?[ \t]*제보는[ \t]*(?:카카오톡|카톡))")
_TRAILING_EMAIL_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}[ \t\n]*$")
_TAG_RE = re.compile(r"^\((?P<tag>[^()\n]{1,60})\)")
_AUTHOR_RE = re.compile(r"^(?P<name>[^()]{1,40}?)[ \t]*\((?P<email>[^()]*)\)$")
# A paragraph obviously begins: sentence end run into a capital or Hangul with no space.
_GLUED_RE = re.compile(r"[.?!](?P<quote>[\"”’]?)(?=[\"“]?[A-Z\uac00-\ud7a3])")
# ...or a quotation closes and the next one opens: `said." "We ...`.
_QUOTE_RUN_RE = re.compile(r"[.?!,][\"”] (?=[\"“][A-Z\uac00-\ud7a3])")
_INITIALISM_RE = re.compile(r"(?:[A-Za-z]\.)*[A-Z]$")


def looks_like_crawl(text: str) -> bool:
    """True for a crawled page: front matter naming Yonhap/연합뉴스, a Naver or yna.co.kr URL."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("---"):
        return False
    lines = stripped.split("\n", _MAX_FRONT_MATTER_LINES + 1)
    if lines[0].strip() != "---":
        return False
    block: list[str] = []
    for line in lines[1:_MAX_FRONT_MATTER_LINES]:
        if line.strip() == "---":
            break
        block.append(line)
    return _YONHAP_FM_RE.search("\n".join(block)) is not None


def read_front_matter(text: str) -> tuple[dict[str, str], str]:
    """The front matter fields (lower-case keys, unquoted values) and the text after it.

    Text without front matter gives ``({}, text)``. An opened block that is
    never closed raises :class:`FrontMatterError`.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    lines = stripped.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    key = ""
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return fields, "\n".join(lines[index + 1 :])
        if index > _MAX_FRONT_MATTER_LINES:
            break
        found = _KEY_RE.match(line)
        if found is not None and not line[:1].isspace():
            key = found["key"].casefold()
            fields[key] = _unquote(found["value"] or "")
        elif key and line.strip():
            # A value run over indented lines (the crawler's "author" field).
            joined = f"{fields[key]} {line.strip()}".strip()
            fields[key] = _unquote(joined)
    raise FrontMatterError(
        "crawled story's front matter is opened with '---' but never closed: "
        f"no closing '---' line within {_MAX_FRONT_MATTER_LINES} lines"
    )


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace('\\"', '"').replace("\\\\", "\\") if value[0] == '"' else inner
    return value


def parse_crawl(
    text: str, *, wire_id: str, received_at: datetime, source_encoding: str | None = None
) -> Article:
    """Parse a normalised crawled page into an :class:`Article`.

    Raises :class:`FrontMatterError` for an unclosed front matter block and
    :class:`LayoutError` when no headline or no body is found.
    """
    fields, rest = read_front_matter(text)
    lines = rest.split("\n")
    title_index = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    title = fields.get("title") or (
        lines[title_index][2:].strip() if title_index is not None else ""
    )
    title_tags, headline = split_version_tags(collapse_whitespace(title))
    if not headline:
        raise LayoutError(
            "crawled Yonhap story has no headline: neither a front matter 'title' "
            "nor a '# ' title line"
        )
    story_text = _story_text(lines, title_index)
    story_text, copyright_ = _cut_trailer(story_text)
    head = _read_head(story_text, headline)

    tags = list(title_tags)
    add_tags(tags, head.tags)
    story = YonhapStory(
        headline=headline,
        paragraphs=split_merged_paragraphs(story_text[head.body_start :]),
        slug=head.slug,
        tags=tags,
        notes=head.notes,
        byline=head.byline,
        byline_native=_author_name(fields.get("author", "")),
        published_at=_published_at(fields.get("published_at", "")),
        copyright=copyright_,
        source_item_id=_item_id(fields),
    )
    return build_yonhap_article(
        story,
        source_format=SOURCE_FORMAT,
        wire_id=wire_id,
        received_at=received_at,
        source_encoding=source_encoding,
    )


def _story_text(lines: list[str], title_index: int | None) -> str:
    start = 0 if title_index is None else title_index + 1
    rules = [i for i in range(start, len(lines)) if lines[i].strip() == "---"]
    if len(rules) >= 2:
        story = lines[rules[0] + 1 : rules[-1]]
    elif rules:
        story = lines[rules[0] + 1 :]
    else:
        story = lines[start:]
    kept = [
        line
        for line in story
        if not line.startswith(("*Crawled at", "*Source:", "**")) and line.strip() != "---"
    ]
    return "\n".join(kept).strip()


def _cut_trailer(text: str) -> tuple[str, Copyright | None]:
    end = _END_RE.search(text)
    copyright_: Copyright | None = None
    if end is not None:
        text = text[: end.start()]
    else:
        trailer = _KO_TRAILER_RE.search(text)
        if trailer is not None:
            for line in text[trailer.start() :].split("\n"):
                copyright_ = copyright_ or parse_copyright(line.strip())
            text = text[: trailer.start()]
    text = text.rstrip()
    # Reporter e-mails (one or several) close the story: "... said. jeeho@yna.co.kr".
    while True:
        cut = max(0, len(text) - _MAX_TRAILER_CHARS)
        found = _TRAILING_EMAIL_RE.search(text, cut)
        if found is None:
            break
        text = text[: found.start()].rstrip()
    return text, copyright_


@dataclass
class _Head:
    body_start: int = 0
    slug: str | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    byline: str | None = None


def _read_head(text: str, headline: str) -> _Head:
    """Slug, tags, notes and byline before the dateline, and where the body starts."""
    head = _Head()
    agency = _AGENCY_RE.search(text)
    region_end = agency.start() if agency is not None else len(text)
    position = _find_headline(text[:region_end], headline)
    head_end = 0
    if position is not None:
        start, head_end = position
        slug_tags, slug = _strip_tags(text[:start])
        head.tags.extend(slug_tags)
        head.slug = slug or None
    if agency is None:
        # No dateline: the body follows the headline and any notes after it.
        head.body_start = _read_between(text, head_end, len(text), head, byline=False)
        return head
    if "=" in agency.group():
        start_of_dateline = agency.start()  # "(서울=연합뉴스)" opens the Korean dateline
    else:
        lead_start = max(head_end, agency.start() - _MAX_DATELINE_LEAD)
        tail = _CITY_DATE_TAIL_RE.search(text, lead_start, agency.start())
        start_of_dateline = tail.start() if tail is not None else agency.start()
    _read_between(text, head_end, start_of_dateline, head, byline=True)
    head.body_start = start_of_dateline
    return head


def _find_headline(region: str, headline: str) -> tuple[int, int] | None:
    # The last occurrence: when the slug repeats the headline, the first one is the slug.
    index = region.rfind(headline)
    if index < 0 and len(region.casefold()) == len(region):
        index = region.casefold().rfind(headline.casefold())
    if index < 0:
        return None
    return index, index + len(headline)


def _strip_tags(text: str) -> tuple[list[str], str]:
    """Version tags off both ends of the slug: "(3rd LD) Coupang-compensation(3rd LD) "."""
    tags, rest = split_version_tags(collapse_whitespace(text))
    while True:
        rest = rest.rstrip()
        if not rest.endswith(")"):
            break
        opening = rest.rfind("(")
        tag = rest[opening + 1 : -1].strip() if opening >= 0 else ""
        if opening < 0 or not tag or attn_note(rest[opening:]) is not None:
            break
        add_tags(tags, [tag])
        rest = rest[:opening]
    return tags, rest.strip()


def _read_between(text: str, start: int, end: int, head: _Head, *, byline: bool) -> int:
    """Tags, ATTN notes and the byline between headline and dateline; returns where they end."""
    position = start
    while True:
        while position < end and text[position].isspace():
            position += 1
        rest = text[position:end]
        if not rest:
            return position
        if attn_note(rest[:12]) is not None:
            closing = _closing_paren(text, position, end)
            note = attn_note(text[position:closing])
            if note:
                head.notes.append(note)
            position = closing
            continue
        tag = _TAG_RE.match(rest)
        if tag is not None:
            head.tags.append(collapse_whitespace(tag["tag"]))
            position += tag.end()
            continue
        if byline and rest.startswith("By "):
            head.byline = read_byline(collapse_whitespace(rest))
            return end
        return position


def _closing_paren(text: str, start: int, end: int) -> int:
    depth = 0
    for index in range(start, end):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return end


def split_merged_paragraphs(text: str) -> list[str]:
    """Paragraphs of crawled story text (see the module docstring for the heuristic)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        block = collapse_whitespace(block)
        if block:
            paragraphs.extend(_split_block(block))
    return paragraphs


def _split_block(block: str) -> list[str]:
    cuts: set[int] = set()
    for found in _GLUED_RE.finditer(block):
        stop = found.start()
        if _is_initialism(block, stop):
            continue
        quote = found["quote"]
        if quote == '"' and block.count('"', 0, stop) % 2 == 0:
            # An even count before it: this quote opens the next paragraph.
            cuts.add(stop + 1)
        else:
            cuts.add(found.end())
    for found in _QUOTE_RUN_RE.finditer(block):
        closing = found.start() + 1
        if block[closing] != '"' or block.count('"', 0, closing) % 2 == 1:
            cuts.add(found.end())
    pieces: list[str] = []
    previous = 0
    for cut in sorted(cuts):
        piece = block[previous:cut].strip()
        if piece:
            pieces.append(piece)
        previous = cut
    last = block[previous:].strip()
    if last:
        pieces.append(last)
    return pieces


def _is_initialism(block: str, stop: int) -> bool:
    # "U.S.", "N.K.", "R.LUX": the word before the full stop is single letters and dots.
    word_start = stop
    while word_start > 0 and not block[word_start - 1].isspace() and stop - word_start < 12:
        word_start -= 1
    return block[stop] == "." and _INITIALISM_RE.fullmatch(block[word_start:stop]) is not None


def _author_name(value: str) -> str | None:
    # "강윤승(reporter@yna.co.kr)"; a desk ("영문뉴스", English news) is not a reporter.
    found = _AUTHOR_RE.match(collapse_whitespace(value))
    name = found["name"].strip() if found else collapse_whitespace(value)
    if not name or "@" in name or "뉴스" in name or name.isascii():
        return None
    return name


def _published_at(value: str) -> datetime | None:
    found = _STAMP_RE.match(value.strip())
    return kst_datetime(found) if found is not None else None


def _item_id(fields: dict[str, str]) -> str | None:
    if fields.get("id"):
        return fields["id"]
    if fields.get("oid") and fields.get("aid"):
        return f"{fields['oid']}_{fields['aid']}"
    return None


__all__ = [
    "SOURCE_FORMAT",
    "looks_like_crawl",
    "parse_crawl",
    "read_front_matter",
    "split_merged_paragraphs",
]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_crawl(sniff_text(head, text))


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode, normalise and parse one crawled page."""
    return parse_text_wire(data, parse_crawl, wire_id=wire_id, received_at=received_at)
