"""Parser for ANPA-1312 wire messages, AP flavour.

One message, byte by byte (``<SYN>`` etc. are the ASCII control characters)::

    <SYN><SYN><SOH>a0456<US>apw                      service level, story number, selector
    u i<DC3><DC1> BC-Kim-Parade 1stLd-Writethru 09-03 0641
    │ │ └ format (DC3 DC1 text, DC3 DC2 tabular)  keyword, version, filing date, words
    │ └ category (i international, a domestic ...)
    └ priority (f flash, b bulletin, u urgent, r regular ...)
    <STX>^BC-Kim-Parade, 1st Ld-Writethru,0641<       the slug line again
    ^Eds: UPDATES with parade details.<              note to editors
    ^Kim watches missiles roll through Pyongyang<    headline ("^" marks a header line,
    ^By KIM HA-NEUL<                                 "<" ends a typeset line)
    ^Associated Press<
    <TAB>PYONGYANG, North Korea (AP) _ North ...     body: a tab or indent opens a
    hard-wrapped continuation line                   paragraph, other lines continue it
    <TAB>(END)
    AP-WF-09-03-25 1434EDT<                          transmission stamp
    Copyright 2025 The Associated Press. ...
    <ETX>

A wire may hold several messages; each becomes an Article.

Mappings:

* priority -> urgency: f 1, b 2, u 3, r 5, a 6, s 7, d 8; anything else 5;
  the letter is kept as ``urgency.source_value``.
* category -> ``source_subjects`` (scheme ``anpa-category``), with a name for
  the codes AP documents widely.
* version field (or the slug line echo) -> version: none 1; Bulletin, Flash,
  Urgent, APNewsAlert 0; Bjt (the first full story after a bulletin) 1;
  "Nth Ld" or "Nth Writethru" N + 1. Signals: Ld ``update``, Writethru
  ``writethru``, Correction ``correction``, Kill/Elimination/Withdrawal ``kill``
  (``pub_status`` canceled). The version field is kept in ``version_tags``.
* story id: AP, the filing date (month-day of the header, year from the
  transmission stamp or the receipt time), the keyword without its cycle
  prefix (BC-, AM-, PM-): so all writethrus of one keyword on one filing day
  share it.
* advances ("Adv28" in the version, "For release ...", "HOLD FOR RELEASE",
  "Advance for use ..." notes): ``embargoed_until`` is the release time the
  note gives (US Eastern unless a zone is named; the "Adv" day at 00:00 when
  only that is known) and the signal ``embargo``; an advance with no time
  that can be read is ``pub_status`` withheld.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from schemas.article import Article, Copyright, SourceSubject, Urgency
from streams.parse.credits import parse_copyright, read_byline
from streams.parse.dateline import (
    find_release_time,
    offset_text,
    parse_dateline,
    split_dateline,
    zone_for_abbreviation,
)
from streams.parse.errors import LayoutError, WireHeaderError
from streams.parse.ids import article_id, story_id
from streams.parse.story import NORMAL_URGENCY
from streams.parse.text import (
    FRAMED_MAX_CONTROL_SHARE,
    SOH,
    SYN,
    FramedMessage,
    collapse_whitespace,
    decode_wire_as,
    framed_messages,
    guess_language,
    is_indented,
    is_number,
    join_wrapped_lines,
    normalise_text,
    require_complete,
)

SOURCE_FORMAT = "anpa-1312"
DEFAULT_AGENCY = "AP"

_PRIORITY_URGENCY = {"f": 1, "b": 2, "u": 3, "r": 5, "a": 6, "s": 7, "d": 8}
_CATEGORY_NAMES = {
    "a": "domestic news",
    "e": "entertainment",
    "f": "business and finance",
    "i": "international news",
    "k": "commentary",
    "l": "lifestyle",
    "n": "state and regional",
    "p": "politics",
    "q": "sports results",
    "s": "sports",
    "t": "travel",
    "v": "advisories",
    "w": "Washington",
}

_LINE1_RE = re.compile(
    r"^(?P<service>[A-Za-z])?(?P<number>[0-9]{4})(?P<upi>[^\x1f\n]{0,16}?)"
    r"(?:\x1f|[ \t]+|$)(?P<selector>[A-Za-z0-9-]{0,10})[ \t]*$"
)
_LINE2_RE = re.compile(
    r"^(?P<priority>[A-Za-z])[ \t]+(?P<category>[A-Za-z])(?P<format>[\x13\x14][\x11\x12])?"
    r"(?:[ \t]+(?P<rest>[^\n]*))?$"
)
_ONE_LINE_RE = re.compile(
    r"^(?P<service>[A-Za-z])?(?P<number>[0-9]{4})[\x1f \t]+"
    r"(?:(?P<selector>[A-Za-z0-9-]{2,10})[ \t]+)?"
    r"(?P<line2>[A-Za-z][ \t]+[A-Za-z](?:[\x13\x14][\x11\x12])?(?:[ \t][^\n]*)?)$"
)
_FILING_DATE_RE = re.compile(r"^(?P<a>[0-9]{1,2})-(?P<b>[0-9]{1,2})$")
_VERSION_WORD_RE = re.compile(
    r"Ld|Lead|Writethru|Write-thru|Add|Bjt|Adv|Correct|Corrn|Urgent|Bulletin|Flash|Alert|"
    r"Kill|Elimination|Withdraw|Sub|Insert|Update|Takes?|Part|Precede",
    re.IGNORECASE,
)
_LEAD_RE = re.compile(r"(?P<n>[0-9]{1,2})(?:st|nd|rd|th)[ -]?(?:Ld|Lead)\b", re.IGNORECASE)
_NTH_WRITETHRU_RE = re.compile(r"(?P<n>[0-9]{1,2})(?:st|nd|rd|th)[ -]?Write-?thru", re.IGNORECASE)
_WRITETHRU_RE = re.compile(r"Write-?thru", re.IGNORECASE)
_CORRECTION_RE = re.compile(r"Correct(?:ion|ed|ive|s)?\b|Corrn\b", re.IGNORECASE)
_BULLETIN_RE = re.compile(r"\b(?:Bulletin|Flash|Urgent|AP ?News ?Alert|NewsAlert)\b", re.IGNORECASE)
_BJT_RE = re.compile(r"\bBjt\b", re.IGNORECASE)
_ADV_RE = re.compile(r"(?:^|[\s,-])Adv(?P<day>[0-9]{1,2})?(?![a-z])", re.IGNORECASE)
_KILL_RE = re.compile(r"\b(?:Kill|Elimination|Withdrawal|Withdrawn)\b", re.IGNORECASE)
_CYCLE_PREFIX_RE = re.compile(r"^(?:BC|AM|PM|AP)-", re.IGNORECASE)

_NOTE_RE = re.compile(r"^\(?(?:Eds?|Editors?|EDITOR'?S NOTE|Editor'?s Note)\b[ \t]*[:_-]*[ \t]*")
# Photo and graphics notes between the title and the byline: "AP Photo NY123, NY124".
_PHOTO_NOTE_RE = re.compile(r"^(?:AP (?:Photos?|Video|Graphics?|Audio)|With AP Photos?)\b")
# AP headline packages: "^AP-Top-News-Headlines<", keyword "BC-AP-Top-Headlines".
# The header squeezes the keyword ("AP-Top-Entertainment-Hea"): its start is enough.
_PACKAGE_RE = re.compile(r"^(?:(?:BC|AM|PM)-)?AP-Top-", re.IGNORECASE)
_FORMAT_CODE_RE = re.compile(r"^[ \t]*(?:\^?\*[0-9A-Za-z]{1,6}<[ \t]*)+")
# "BC-WEA--", "BC-", "AP-": the cycle and desk before the words of a keyword.
_KEYWORD_PREFIX_RE = re.compile(r"^(?:(?:BC|AM|PM|AP)-)?(?:[A-Z]{1,4}--)?")
_ALERT_RE = re.compile(r"\b(?:AP ?News ?Alert|NewsAlert)\b", re.IGNORECASE)
_NON_ALNUM_RE = re.compile(r"[\W_]+")
# A first title line in AP's keyword shape is the echo even when the header has none.
_ECHO_RE = re.compile(r"^(?:BC|AM|PM)-\S")
_MIN_ECHO_CHARS = 6
_RELEASE_RE = re.compile(
    r"^(?:For release|For use|HOLD FOR RELEASE|Hold for release|Advance for|ADVANCE FOR|"
    r"Embargoed|EMBARGOED|Not for (?:publication|release) (?:before|until)|Adv[0-9]{1,2}\b)",
)
# Inside an editor's note: words that announce a release time, not a news release.
_RELEASE_PHRASE_RE = re.compile(
    r"\b(?:for release|hold for release|release (?:at|time)|embargo(?:ed)?|advance for|"
    r"not for (?:publication|release) (?:before|until))\b",
    re.IGNORECASE,
)
_HEADLINE_LABEL_RE = re.compile(r"^HL:[ \t]*")
_AFFILIATION_RE = re.compile(
    r"^(?:The )?Associated Press\b|^AP\b.{0,60}\b(?:Writers?|Correspondents?|Editors?)\b"
)
_END_MARK_RE = re.compile(r"^\(?(?:END|MORE)\)?$|\((?:END|MORE)\)$")
_END_TEXT_RE = re.compile(r"\(?(?:END|MORE)\)?$")
_END_ADV_RE = re.compile(r"^End (?:Adv|Advance)\b", re.IGNORECASE)
_STAMP_RE = re.compile(
    r"\bAP-[A-Z]{2}-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})-(?P<y>[0-9]{2}(?:[0-9]{2})?)[ \t]+"
    r"(?P<h>[0-9]{2}):?(?P<mi>[0-9]{2})[ \t]*(?P<zone>[A-Z]{2,4})\b"
)
_RULE_RE = re.compile(r"^[-_=*. ]+$")


@dataclass(frozen=True)
class AnpaHeader:
    """The fields of an ANPA-1312 message header."""

    service: str | None
    number: str
    selector: str | None
    priority: str
    category: str
    tabular: bool
    keyword: str | None
    version: str | None
    reference: str | None
    filing_date: str | None
    word_count: int | None


def parse_header(header: str) -> AnpaHeader:
    """Read the header between SOH and STX; raises :class:`WireHeaderError` if it is not one."""
    cleaned = header.replace("\r", "").strip(SYN + " \n")
    lines = [line for line in cleaned.split("\n") if line.strip()]
    first = _LINE1_RE.match(lines[0]) if lines else None
    second = _LINE2_RE.match(lines[1].strip()) if first is not None and len(lines) > 1 else None
    one = _ONE_LINE_RE.match(lines[0]) if lines and second is None else None
    if second is None and one is not None:
        first, second = one, _LINE2_RE.match(one["line2"])
    if first is None or second is None:
        shown = collapse_whitespace(_visible(cleaned))[:80]
        raise WireHeaderError(
            f"ANPA-1312 header is unreadable: {shown!r}; expected e.g. 'a0456<US>apw' then "
            "'r i BC-Keyword Version 09-03 0641' (priority, category, keyword, version, "
            "filing date, word count)"
        )
    tokens = (second["rest"] or "").split()
    word_count: int | None = None
    filing: str | None = None
    if tokens and is_number(tokens[-1]) and len(tokens[-1]) <= 5:
        word_count = int(tokens.pop())
    if tokens and _FILING_DATE_RE.match(tokens[-1]):
        filing = tokens.pop()
    keyword = tokens.pop(0) if tokens and any(c.isalpha() for c in tokens[0]) else None
    version_words = [t for t in tokens if _VERSION_WORD_RE.search(t)]
    references = [t for t in tokens if t not in version_words]
    return AnpaHeader(
        service=first["service"],
        number=first["number"],
        selector=first["selector"] or None,
        priority=second["priority"],
        category=second["category"],
        tabular=second["format"] is not None and second["format"].endswith("\x12"),
        keyword=keyword,
        version=" ".join(version_words) or None,
        reference=" ".join(references) or None,
        filing_date=filing,
        word_count=word_count,
    )


def _visible(text: str) -> str:
    return "".join(c if c.isprintable() or c in "\n\t" else f"<{ord(c):02X}>" for c in text)


@dataclass
class _Story:
    headline: str | None = None
    byline: str | None = None
    notes: list[str] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)
    body_lines: list[str] = field(default_factory=list)
    copyright: Copyright | None = None
    stamp: re.Match[str] | None = None
    echo_version: str | None = None
    echo_seen: bool = False
    echo_keyword: str | None = None
    package_title: str | None = None
    caret_titles: bool = False


def parse_message(
    message: FramedMessage,
    *,
    wire_id: str,
    received_at: datetime,
    source_encoding: str | None = None,
) -> Article:
    """One framed ANPA-1312 message as an :class:`Article`."""
    require_complete(
        message,
        format_name="ANPA-1312",
        shown_header=collapse_whitespace(_visible(message.header)),
    )
    header = parse_header(message.header)
    story = _read_text(normalise_text(message.text), header)
    for line in normalise_text(message.trailer).split("\n"):
        story.stamp = story.stamp or _STAMP_RE.search(line)
        story.copyright = story.copyright or _copyright(line)
    if header.tabular:
        # Tabular copy (format DC3 DC2): every line is a row, never joined to the next.
        rows = [collapse_whitespace(line) for line in story.body_lines]
        paragraphs = [row for row in rows if row and not _RULE_RE.match(row)]
    else:
        paragraphs = [p for p in join_wrapped_lines(story.body_lines) if not _RULE_RE.match(p)]
    paragraphs = _take_notes(paragraphs, story)
    dateline, paragraphs = split_dateline(paragraphs)
    if story.headline is None and paragraphs and _is_alert(header, story):
        # An AP News Alert has no title line: its one sentence is headline and body.
        story.headline = paragraphs[0]
    elif story.headline is None and paragraphs and story.echo_keyword:
        # Tables and agate often carry no title line: the keyword is what names them
        # ("BC-WEA--Global Weather-Fahrenheit" -> "Global Weather-Fahrenheit").
        story.headline = _KEYWORD_PREFIX_RE.sub("", story.echo_keyword) or None
    if story.headline is None:
        raise LayoutError(
            f"ANPA-1312 message {header.keyword or header.number!r} has no headline: "
            "no title line between STX and the first body paragraph"
        )
    if not paragraphs:
        raise LayoutError(
            f"ANPA-1312 message {story.headline[:60]!r} has a headline but no body "
            "paragraphs before the end marks"
        )

    version_text = header.version or story.echo_version or ""
    version, signals, status = _version(version_text)
    published_at, offset = _published(story.stamp)
    local_day = _filing_day(header.filing_date, published_at, received_at)
    embargo = _embargo(story, version_text, local_day)
    if embargo is not None or (story.releases or _ADV_RE.search(version_text)):
        signals.append("embargo")
        if embargo is None and status == "usable":
            status = "withheld"

    agency = (dateline.agency if dateline else None) or DEFAULT_AGENCY
    key = _CYCLE_PREFIX_RE.sub("", header.keyword) if header.keyword else None
    if _is_alert(header, story):
        # Every alert is filed under the same keyword; each is its own story.
        key = None
        version = min(version, 0)
    sid = story_id(agency=agency, local_date=local_day, slug=key, headline=story.headline)
    return Article(
        article_id=article_id(story_id=sid, wire_id=f"{wire_id}#{header.number}"),
        story_id=sid,
        version=version,
        version_tags=[version_text] if version_text else [],
        wire_id=wire_id,
        source_format=SOURCE_FORMAT,
        source_agency=agency,
        language=guess_language(" ".join([story.headline, *paragraphs[:3]]), default="en"),
        headline=story.headline,
        slug=header.keyword,
        byline=story.byline,
        dateline=dateline,
        body=paragraphs,
        editorial_notes=story.notes,
        urgency=Urgency(
            value=_PRIORITY_URGENCY.get(header.priority.lower(), NORMAL_URGENCY),
            source_value=header.priority,
        ),
        copyright=story.copyright,
        published_at=published_at,
        published_offset=offset,
        received_at=received_at.astimezone(UTC),
        source_item_id=f"{header.service or ''}{header.number}",
        pub_status=status,
        embargoed_until=embargo,
        signals=signals,
        source_subjects=[
            SourceSubject(
                code=header.category,
                scheme="anpa-category",
                name=_CATEGORY_NAMES.get(header.category.lower()),
            )
        ],
        source_encoding=source_encoding,
    )


def _read_text(text: str, header: AnpaHeader) -> _Story:
    story = _Story()
    in_body = False
    ended = False
    package = header.keyword is not None and bool(_PACKAGE_RE.match(header.keyword))
    for raw in text.split("\n"):
        # Typesetting codes may open the first line: "*9006< ^AP-Top-...,0176<".
        raw = _FORMAT_CODE_RE.sub("", raw) if not in_body else raw
        caret = raw.lstrip(" ").startswith("^")
        content = raw.lstrip(" ").removeprefix("^") if caret else raw
        content = _strip_line_end_mark(content, caret=caret)
        line = content.strip()
        if ended:
            story.stamp = story.stamp or _STAMP_RE.search(line)
            story.copyright = story.copyright or _copyright(line)
            continue
        # An indented line opens the body once there is a headline; before that an
        # indented line is a centred title line, unless it is the dateline.
        # Copy whose titles are "^" lines starts its body at the first line without one.
        if (
            not in_body
            and line
            and not caret
            and (
                _opens_body(line)
                or (story.headline is not None and (is_indented(content) or story.caret_titles))
            )
        ):
            in_body = True
        if not in_body:
            if line:
                story.caret_titles = story.caret_titles or caret
                _header_line(line, header, story, package=package)
                # A headline package lists its items as "^" lines under the package title.
                in_body = story.package_title is not None
            continue
        if _END_MARK_RE.search(line) or _END_ADV_RE.match(line):
            before = _END_TEXT_RE.sub("", line).strip()
            if before and not _END_ADV_RE.match(line):
                indent = content[: len(content) - len(content.lstrip())]
                story.body_lines.append(indent + before)
            ended = True
            continue
        stamp = _STAMP_RE.search(line)
        found = _copyright(line)
        if stamp is not None or found is not None:
            story.stamp = story.stamp or stamp
            story.copyright = story.copyright or found
            ended = True
            continue
        # A "^" line inside the body is a subhead: a paragraph of its own.
        story.body_lines.extend(["", content, ""] if caret else [content])
    return story


def _strip_line_end_mark(line: str, *, caret: bool = False) -> str:
    # "<" (quad left) ends a typeset line, sometimes after "@" or "=" codes; on a
    # "^" title line a bare "=" ends it too ("^By JANE DOE=", "^Wild Card Glance=").
    line = line.rstrip()
    if line.endswith("<"):
        line = line[:-1].rstrip("@=").rstrip()
    elif caret and line.endswith("="):
        line = line.rstrip("=").rstrip()
    return line


def _normalised(text: str) -> str:
    return _NON_ALNUM_RE.sub("", text).casefold()


def _is_echo(line: str, header: AnpaHeader, story: _Story) -> bool:
    """The slug line that repeats the header's keyword, however it is spelled there.

    The header squeezes the keyword ("BC-US--GiantLobsterDeath", cut at 24
    characters); the echo spells it out ("BC-US--Giant Lobster Death, 1st
    Ld-Writethru,127"). Only the first title line can be the echo.
    """
    if story.echo_seen or story.headline is not None:
        return False
    first = _normalised(line.split(",")[0])
    key = _normalised(header.keyword or "")
    if key and len(first) >= _MIN_ECHO_CHARS and (first.startswith(key) or key.startswith(first)):
        return True
    return bool(_ECHO_RE.match(line))


def _is_alert(header: AnpaHeader, story: _Story) -> bool:
    texts = (header.keyword or "", header.version or "", story.echo_version or "")
    return any(_ALERT_RE.search(text) for text in texts)


def _package_title(line: str) -> str:
    # "AP-Top-News-At-9:12-a.m.-EST" is written with hyphens for spaces.
    return line.replace("-", " ") if " " not in line.strip() else line


def _opens_body(line: str) -> bool:
    return parse_dateline(line) is not None


def _header_line(line: str, header: AnpaHeader, story: _Story, *, package: bool = False) -> None:
    if _is_echo(line, header, story):
        # The slug line echoes the header: "BC-Kim-Parade, 1st Ld-Writethru,0641".
        story.echo_seen = True
        parts = [p.strip() for p in line.split(",")[1:]]
        words = [p for p in parts if p and not p.isdigit()]
        story.echo_version = story.echo_version or (" ".join(words) or None)
        story.echo_keyword = line.split(",")[0].strip()
        return
    if story.headline is None and (package or _PACKAGE_RE.match(line)):
        story.package_title = story.headline = collapse_whitespace(_package_title(line))
        return
    if _PHOTO_NOTE_RE.match(line):
        story.notes.append(collapse_whitespace(line))
        return
    note = _NOTE_RE.match(line)
    if note is not None:
        text = line[note.end() :].strip()
        if line.startswith("(") and text.endswith(")"):
            text = text[:-1].strip()
        if text:
            story.notes.append(text)
            if _RELEASE_RE.match(text) or _RELEASE_PHRASE_RE.search(text):
                story.releases.append(text)
        return
    if _RELEASE_RE.match(line):
        story.notes.append(line)
        story.releases.append(line)
        return
    labelled = _HEADLINE_LABEL_RE.match(line)
    if labelled is not None:
        story.headline = collapse_whitespace(line[labelled.end() :]) or story.headline
        return
    names = read_byline(line)
    if names is not None and story.byline is None:
        story.byline = names
        return
    if story.byline is not None and _AFFILIATION_RE.match(line):
        return
    if story.headline is None:
        story.headline = collapse_whitespace(line)
    else:
        story.notes.append(f"Deck: {collapse_whitespace(line)}")


def _take_notes(paragraphs: list[str], story: _Story) -> list[str]:
    kept: list[str] = []
    for paragraph in paragraphs:
        note = _NOTE_RE.match(paragraph)
        if note is not None and not kept:
            text = paragraph[note.end() :].strip()
            if text:
                story.notes.append(text)
                if _RELEASE_RE.match(text) or _RELEASE_PHRASE_RE.search(text):
                    story.releases.append(text)
            continue
        kept.append(paragraph)
    return kept


def _copyright(line: str) -> Copyright | None:
    if not line.startswith(("Copyright", "(c)", "(C)", "©")):
        return None
    found = parse_copyright(line)
    if found is None or found.holder is None:
        return found
    # "Copyright 2025 The Associated Press. All rights reserved. ..."
    return Copyright(holder=found.holder, notice=found.notice)


def _version(text: str) -> tuple[int, list[str], str]:
    signals: list[str] = []
    status = "usable"
    leads = [int(m["n"]) for m in _LEAD_RE.finditer(text)]
    rewrites = [int(m["n"]) for m in _NTH_WRITETHRU_RE.finditer(text)]
    if leads or rewrites:
        version = max([*leads, *rewrites]) + 1
    elif _BULLETIN_RE.search(text):
        version = 0
    else:
        version = 1  # also Bjt: the first full story after a bulletin
    if leads:
        signals.append("update")
    if _WRITETHRU_RE.search(text):
        signals.append("writethru")
    if _CORRECTION_RE.search(text):
        signals.append("correction")
    if _KILL_RE.search(text):
        signals.append("kill")
        status = "canceled"
    return version, signals, status


def _published(stamp: re.Match[str] | None) -> tuple[datetime | None, str | None]:
    if stamp is None:
        return None, None
    year = int(stamp["y"])
    year = year + 2000 if year < 100 else year
    try:
        day = date(year, int(stamp["mo"]), int(stamp["d"]))
        hour, minute = int(stamp["h"]), int(stamp["mi"])
        zone = zone_for_abbreviation(stamp["zone"], day)
        if zone is None or hour > 23 or minute > 59:
            return None, None
        local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
    except ValueError:
        return None, None
    return local.astimezone(UTC), offset_text(local)


def _filing_day(filing: str | None, published_at: datetime | None, received_at: datetime) -> date:
    anchor = (published_at or received_at).astimezone(UTC).date()
    found = _FILING_DATE_RE.match(filing or "")
    if found is None:
        return anchor
    first, second = int(found["a"]), int(found["b"])
    # AP writes month-day; a first number over 12 can only be a day (day-month senders).
    month, day = (second, first) if first > 12 else (first, second)
    best: date | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs(candidate - anchor) < abs(best - anchor):
            best = candidate
    return best or anchor


def _embargo(story: _Story, version_text: str, filing_day: date) -> datetime | None:
    adv = _ADV_RE.search(version_text)
    day_of_month = int(adv["day"]) if adv and adv["day"] else None
    for note in story.releases:
        found = find_release_time(
            note, reference=filing_day, zone="us-eastern", day_of_month=day_of_month
        )
        if found is not None:
            return found
    if day_of_month is not None:
        return find_release_time(
            "", reference=filing_day, zone="us-eastern", day_of_month=day_of_month
        )
    return None


# ----------------------------------------------------------------------- detection

_SNIFF_7901_RE = re.compile(
    rb"^[A-Za-z][A-Za-z-]{1,9}[0-9]{1,6}[ \t]+[0-9][ \t]+[A-Za-z]{1,5}[ \t]"
)
_SNIFF_LINE1_RE = re.compile(rb"^[A-Za-z]?[0-9]{4}[^\n\x02]{0,20}\x1f")
_SNIFF_LINE2_RE = re.compile(rb"\n[A-Za-z][ \t]+[A-Za-z][\x13\x14][\x11\x12]")


def looks_like_anpa(head: bytes) -> bool:
    """SOH near the start with an ANPA header: after SYN fill, or with its US/DC codes."""
    start = len(head) - len(head.lstrip(b"\x16\r\n \t"))
    if head[start : start + 1] != SOH.encode():
        return False
    after = head[start + 1 : start + 200]
    if _SNIFF_7901_RE.match(after):
        return False
    synced = b"\x16" in head[:start]
    return synced or bool(_SNIFF_LINE1_RE.match(after) or _SNIFF_LINE2_RE.search(after))


__all__ = ["DEFAULT_AGENCY", "SOURCE_FORMAT", "AnpaHeader", "parse_header", "parse_message"]


def sniff(head: bytes, text: str) -> bool:
    """Registry hook: see :mod:`streams.parse.formats`."""
    return looks_like_anpa(head)


def parse(data: bytes, *, wire_id: str, received_at: datetime) -> list[Article]:
    """Registry hook: decode the wire and parse every message in it."""
    decoded = decode_wire_as(data, max_control_share=FRAMED_MAX_CONTROL_SHARE)
    messages = framed_messages(decoded.text, format_name="ANPA-1312")
    return [
        parse_message(
            message,
            wire_id=wire_id,
            received_at=received_at,
            source_encoding=decoded.encoding,
        )
        for message in messages
    ]
