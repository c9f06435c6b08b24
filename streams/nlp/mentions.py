"""Mentions: the model's spans, their edges mended, cleaned into items to group.

The first step from NER output to canonical entities. A model cuts some names
wrongly on agency copy (hyphenated Korean given names, company legal forms,
pieces of longer names the gazetteer knows); :func:`repair` mends the edges,
:func:`korean_names` adds Korean names the model missed, and
:func:`mention_items` drops what is not a name (dateline agencies, sentence
openers, wire markup) and splits titles off people's names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from streams.nlp import canonical, cues
from streams.nlp.gazetteer import gazetteer
from streams.nlp.geo import is_compass_name, resolve_place
from streams.nlp.ner import ONTONOTES_KEY

PARAGRAPH_SEPARATOR = "\n\n"

Section = Literal["headline", "body"]


@dataclass(frozen=True)
class Span:
    label: str
    text: str
    section: Section
    start: int
    end: int


def spans_of(
    doc: Any, section: Section, labels: frozenset[str], *, lexicon: frozenset[str] = frozenset()
) -> list[Span]:
    out: list[Span] = []
    confirmed = [(s.start, s.end) for s in doc.spans.get(ONTONOTES_KEY, [])]
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        if lexicon and _common_word_place(ent, confirmed, lexicon):
            continue
        tokens = list(ent)
        # "the United States" and "United States" are one entity; the article
        # is not part of the name, so drop it from the span.
        while len(tokens) > 1 and tokens[0].lower_ == "the":
            tokens = tokens[1:]
        start = tokens[0].idx
        end = tokens[-1].idx + len(tokens[-1].text)
        text = doc.text[start:end]
        if text.endswith(("'s", "’s")):
            text, end = text[:-2], end - 2
        if text.strip():
            out.append(Span(ent.label_, text, section, start, end))
    return out


def _common_word_place(
    ent: Any, confirmed: Sequence[tuple[int, int]], lexicon: frozenset[str]
) -> bool:
    """ "Logistics" of "Head of Logistics and Manpower", "Photo" of a caption's credit: a
    one-word "place" that is an ordinary word of ``lexicon``, that the spaCy model found no
    entity in (``confirmed``: its spans) and that no gazetteer knows. "Tuscany" is in the
    lexicon too, but the spaCy model finds it."""
    text = ent.text
    return (
        ent.label_ in ("GPE", "LOC")
        and len(ent) == 1
        and text.isalpha()
        and not text.isupper()
        and not any(s < ent.end and ent.start < e for s, e in confirmed)
        and cues.is_common_word(text, lexicon)
        and not is_compass_name(text)  # "the West"
        and resolve_place(text) is None
        and not gazetteer().matches(text)
    )


def paragraph_of(offset: int, starts: Sequence[int]) -> int:
    return max(bisect_right(starts, offset) - 1, 0)


def paragraph_starts(body: str) -> list[int]:
    starts = [0]
    pos = body.find(PARAGRAPH_SEPARATOR)
    while pos != -1:
        starts.append(pos + len(PARAGRAPH_SEPARATOR))
        pos = body.find(PARAGRAPH_SEPARATOR, pos + len(PARAGRAPH_SEPARATOR))
    return starts


@dataclass
class Item:
    """One cleaned mention on its way to an entity."""

    label: str  # the model's label, or PERSON when a title was split off
    model_label: str  # the model's label as given
    text: str
    section: Section
    start: int
    end: int
    paragraph: int | None
    order: int
    title: str | None = None
    acronym: str | None = None
    ambiguous: bool = False
    cue: str | None = None  # the label the surrounding words give it (streams.nlp.cues)

    @property
    def key(self) -> str:
        return canonical.name_key(canonical.strip_corporate_suffix(self.text))

    @property
    def tokens(self) -> list[str]:
        return self.text.split()


def is_sentence_junk(
    span: Span, text: str, lexicon: frozenset[str] = frozenset(), *, story: str = ""
) -> bool:
    """A span that is not a name: a currency prefix ("US$"), or a one-word
    sentence opener that is an ordinary word ("Specifically," "Building").

    Sentence openers ending in -ly, -ed or -ing, or followed by a comma, that
    the gazetteer does not know and the text never repeats, are not names; nor
    is an ordinary word of ``lexicon`` ("Courts", "Carmakers", "Compensation")
    that the text (or the whole ``story``: headline and body) never writes
    capitalised inside a sentence ("Lions" in a story about the "Samsung Lions",
    or "Lee" opening a headline over "President Lee Jae Myung", is a name).
    """
    if text[span.end : span.end + 1] == "$":
        return True
    if " " in span.text or not span.text[:1].isupper():
        return False
    before = text[: span.start].rstrip(" \"'“‘")
    if before and before[-1] not in ".!?:\n" and not _after_wire_tag(text, span.start):
        return False
    if resolve_place(span.text) is not None or gazetteer().matches(span.text):
        return False
    word = span.text.casefold()
    if len(word) > 4 and word.endswith(("ly", "ed", "ing")):
        return True
    followed_by_comma = text[span.end : span.end + 1] == ","
    if followed_by_comma and text.count(span.text) == 1:
        return True
    if cues.word_after(text, span.end) in cues.SECTOR_HEADS:
        return True  # "Bio giant Samsung Biologics", "Chip giant SK hynix"
    return cues.is_common_word(span.text, lexicon) and not _capitalised_inside(
        span.text, story or text
    )


#: A version tag opening a headline ("(LEAD)", "(2nd LD)") or the end of a dateline
#: ("(Yonhap) --"): what follows opens a sentence.
_WIRE_TAG = re.compile(r"\((?:LEAD|URGENT|\d+(?:st|nd|rd|th) LD)[^)]*\)$|\(\w+\) --$")


def _after_wire_tag(text: str, pos: int) -> bool:
    return _WIRE_TAG.search(text[max(0, pos - 30) : pos].rstrip()) is not None


def _capitalised_inside(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` capitalised after another word of its sentence."""
    pattern = re.compile(r"(?<=[\w,;)’'\-] )" + re.escape(word) + r"(?!\w)")
    return any(not _after_wire_tag(text, m.start()) for m in pattern.finditer(text))


def reading_order(section: Section, start: int) -> int:
    """Position in reading order: the headline, then the body."""
    return start if section == "headline" else BODY_ORDER + start


BODY_ORDER = 1 << 24
_HYPHEN_TAIL = re.compile(r"-[a-z]+\b")
_EDGE_WORDS = re.compile(r"^(?:and|or|of|with|to)\s+|\s+(?:and|or|of|with|to)$")


def repair(span: Span, text: str) -> Span:
    """Mend span edges a model may cut wrongly.

    "Kim Yo-" or "Kim Jong" before "-un" get their hyphenated syllable back,
    a lone Korean family name its given name ("Min" + " Joong-ki"), a piece of
    a gazetteer name ("Great Hall", "Forces Korea", "Cheong") the whole name
    the text writes (and that name's type), and "Xi and" loses its "and".
    """
    label, start, end = span.label, span.start, span.end
    if end > start and text[end - 1] == "-":
        end -= 1
    tail = _HYPHEN_TAIL.match(text, end)
    if tail and end > start and text[end - 1].isalpha():
        end = tail.end()
    company = _COMPANY_TAIL.match(text, end)
    if company and text[start:end][:1].isupper():
        label, end = "ORG", company.end()  # "Korean" + " Air Co."
    given = _KOREAN_GIVEN_AFTER.match(text, end)
    if given and text[start:end].casefold() in canonical.KOREAN_SURNAMES:
        label, end = "PERSON", given.end()
    family = _KOREAN_FAMILY_BEFORE.search(text, max(0, start - 12), start)
    if (
        family is not None
        and family.group(1).casefold() in canonical.KOREAN_SURNAMES
        and _HYPHENATED_GIVEN.fullmatch(text[start:end])
    ):
        label, start = "PERSON", family.start(1)  # "Son" + " Heung-min"
    for name, name_type in gazetteer().names_containing(text[start:end]):
        offset = name.find(text[start:end])
        begin = start - offset
        if begin >= 0 and text.startswith(name, begin):
            after = text[begin + len(name) : begin + len(name) + 1]
            before = text[begin - 1 : begin] if begin else ""
            if not after.isalnum() and not before.isalnum():
                label, start, end = name_type, begin, begin + len(name)
                break
    if _CAPS_WORD.match(text[start:end]):
        while (caps := _CAPS_BEFORE.search(text, max(0, start - 30), start)) is not None:
            start = caps.start(1)  # "LOTTE" + " CHEMICAL Corp", "9,700LS" + " ELECTRIC"
    inner = text[start:end]
    while (m := _EDGE_WORDS.search(inner)) is not None:
        if m.start() == 0:
            start += m.end()
        else:
            end = start + m.start()
        inner = text[start:end]
    if (label, start, end) == (span.label, span.start, span.end):
        return span
    return Span(label, inner, span.section, start, end)


#: An all-capitals word (price lists write "LS ELECTRIC", "SAMSUNG C&T") and one
#: right before a span, standing alone or glued to a number cell ("9,700LS").
_CAPS_WORD = re.compile(r"[A-Z][A-Z&]+\b")
_CAPS_BEFORE = re.compile(r"(?<![A-Za-z.&'])([A-Z][A-Z&]+) $")
_COMPANY_TAIL = re.compile(r"(?:\s+[A-Z][\w&'\-]*){0,3}\s+(?:Co|Corp|Inc|Ltd)\.")
_KOREAN_GIVEN_AFTER = re.compile(r" [A-Z][a-z]+-[a-z]+\b")
_KOREAN_FAMILY_BEFORE = re.compile(r"(?<![\w\-])([A-Z][a-z]+) $")
_HYPHENATED_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+")
_KOREAN_NAME = re.compile(r"(?<![\w\-])([A-Z][a-z]+) [A-Z][a-z]+-[a-z]+(?![\w\-])")


_LEGAL_NAME = re.compile(r"(?<![\w\-.])((?:[A-Z][\w&'\-]*|&) ){1,4}(?:Co|Corp|Inc|Ltd)\.(?!\w)")


def company_names(text: str, section: Section, taken: Sequence[tuple[int, int]]) -> list[Span]:
    """Companies the model missed, written with their legal form ("Huawei Technologies
    Co."), as wires name a company the first time. Leading sentence words that are not
    names ("Meanwhile", "The") are left out."""
    out = []
    for m in _LEGAL_NAME.finditer(text):
        start = m.start()
        words = m.group(0).split()
        while len(words) > 2 and canonical.name_key(words[0]) in _NOT_NAME_OPENERS:
            start += len(words[0]) + 1
            words = words[1:]
        if len(words) < 2 or any(s < m.end() and start < e for s, e in taken):
            continue
        out.append(Span("ORG", text[start : m.end()], section, start, m.end()))
    return out


_NOT_NAME_OPENERS: frozenset[str] = canonical.NOT_NAMES | {"the", "and", "but", "meanwhile"}


#: A run of capitalised words (joined by "of", "and", "for" ...) written right before an
#: acronym in parentheses: "Australian Sports Anti-Doping Authority (ASADA)".
_DEFINED = re.compile(
    r"((?:[A-Z][\w'’\-]*|&)(?: (?:[A-Z][\w'’\-]*|of|and|for|the|on|&))*) \(([A-Z][A-Z&\-]{1,9})\)"
)


def defined_names(text: str, section: Section, taken: Sequence[tuple[int, int]]) -> list[Span]:
    """Organisations the model missed that the text defines with their acronym.

    A wire spells a body out once, its acronym after it in parentheses, and uses the
    acronym after that: the words before "(ASADA)" whose initials give the acronym are
    the organisation, even when the model found only the acronym (and took it for a
    place). The name is cut at the first word from which the acronym still matches
    ("The Australian ..." loses "The"); spans inside it ("Australian") give way to it.
    """
    out = []
    for m in _DEFINED.finditer(text):
        name, acronym = m.group(1), m.group(2)
        start = m.start(1)
        words = name.split(" ")
        while len(words) > 1 and (
            words[0][:1].islower()
            or canonical.name_key(words[0]) in _NOT_NAME_OPENERS
            or not canonical.acronym_matches(acronym, " ".join(words))
        ):
            start += len(words[0]) + 1
            words = words[1:]
        name = " ".join(words)
        if (
            len(words) < 2
            or words[-1][:1].islower()
            or not canonical.acronym_matches(acronym, name)
            or resolve_place(name) is not None
            or any(
                s < start + len(name) and start < e and (s < start or e > start + len(name))
                for s, e in taken
            )
        ):
            continue  # a span across its edge: the model read the words otherwise
        out.append(Span("ORG", name, section, start, start + len(name)))
    return out


def korean_names(text: str, section: Section, taken: Sequence[tuple[int, int]]) -> list[Span]:
    """Korean names the model missed: a family name and a hyphenated given name ("Min Joong-ki").

    Yonhap romanises given names with a hyphen, which makes the pattern reliable.
    """
    out = []
    for m in _KOREAN_NAME.finditer(text):
        if m.group(1).casefold() not in canonical.KOREAN_SURNAMES:
            continue
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        out.append(Span("PERSON", m.group(0), section, m.start(), m.end()))
    return out


#: Abbreviations a name may hold before a space ("Gen. Xavier Brunson", "St. Louis").
_ABBREVIATIONS: frozenset[str] = canonical.CORPORATE_FORMS | {
    *("gen", "lt", "col", "maj", "sgt", "adm", "capt", "cmdr", "rep", "sen", "gov", "mr"),
    *("mrs", "ms", "dr", "prof", "jr", "sr", "st", "mt", "ft", "no", "vol", "dept", "univ"),
    *("bros", "ave", "blvd"),
}
_LIST_GAP = re.compile(r",? (?:and |or )?|, ")
_SENTENCE_BREAK = re.compile(r"(\w+)\. (?=[A-Z])")


def _first_sentence(span: Span) -> Span:
    """A span cut at a sentence break inside it ("Hybe. The" -> "Hybe")."""
    for m in _SENTENCE_BREAK.finditer(span.text):
        word = m.group(1)
        if len(word) > 1 and not word.isupper() and word.casefold() not in _ABBREVIATIONS:
            end = span.start + m.end(1)
            return Span(span.label, span.text[: m.end(1)], span.section, span.start, end)
    return span


_PAREN_BEFORE = re.compile(r"((?:[a-z][\w\-]* )+)\($")
_PAREN_AFTER = re.compile(r" \(([a-z][\w\-]*(?: [a-z][\w\-]*)*)\)")


def _spells_lowercase_words(acronym: str, text: str, start: int) -> bool:
    """Whether the acronym at ``start`` abbreviates lowercase words written beside it in
    parentheses: "equivalent unit (TEU)", "PER (price-to-earnings ratio)"."""
    end = start + len(acronym)
    after = _PAREN_AFTER.match(text, end)
    if after is not None:
        return canonical.acronym_matches(acronym, after.group(1).replace("-", " "))
    if text[start - 1 : start] != "(" or text[end : end + 1] != ")":
        return False
    before = _PAREN_BEFORE.search(text, max(0, start - 100), start)
    if before is None:
        return False
    words = before.group(1).replace("-", " ").split()
    return any(canonical.acronym_matches(acronym, " ".join(words[i:])) for i in range(len(words)))


#: A token of a table row, not of a name: a signed or slashed number ("-3/-8", "06/-1"),
#: a comma-grouped one ("5,200"), or a number glued to the next cell ("0Suwon", "5,200GCH").
_TABLE_TOKEN = re.compile(r"^[-+]\d|^\d+/-?\d|^\d{1,3}(?:,\d{3})+|^\d[\d,.]*[A-Z][a-z]")


def is_table_fragment(name: str) -> bool:
    """Whether a span holds a cell of a table (weather, prices, rates) rather than a name.
    Names with digits stay ("3M", "7-Eleven", "Euro 96", "KOSPI 200")."""
    return any(_TABLE_TOKEN.match(token) for token in name.split())


#: Codes and ordinary words that table headers and market copy capitalise.
_NOT_ENTITIES: frozenset[str] = frozenset(
    {
        *("krw", "usd", "eur", "jpy", "cny", "rmb"),  # currency codes
        *("treasurys", "treasuries"),  # the bonds
        *("sunny", "cloudy", "rainy", "snowy", "windy", "foggy", "overcast", "showers"),
        *("new year", "lunar new year", "new year's day", "chuseok", "seollal", "christmas"),
        *("christmas day", "thanksgiving", "easter", "ramadan"),  # holidays: dates, not actors
    }
)
#: Nouns after "Treasury" that make it the bonds, not the department.
_SECURITIES_AFTER: frozenset[str] = frozenset(
    {"bond", "bonds", "bill", "bills", "note", "notes", "yield", "yields", "futures"}
)


_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b")


def _title_fragment(name: str, text: str, start: int, lexicon: frozenset[str]) -> bool:
    """ "Defense" in "former Defense Minister Kim": an ordinary word that is the first
    half of a title, not a place or an organisation."""
    if not name.isalpha() or not cues.is_common_word(name, lexicon):
        return False
    if resolve_place(name) is not None:
        return False  # "U.S. Secretary of State", "China envoy"
    after = _NEXT_WORD.match(text, start + len(name))
    return after is not None and canonical.name_key(after.group(1)) in _TITLE_NOUNS


_TITLE_NOUNS: frozenset[str] = frozenset(
    {"minister", "secretary", "chief", "commander", "envoy", "ambassador", "spokesperson"}
)


#: Share of a paragraph's tokens that are table cells above which it is a table.
TABLE_SHARE = 0.15


def table_paragraphs(body: str, starts: Sequence[int]) -> frozenset[int]:
    """Paragraphs that are tables (weather, prices, rates): at least :data:`TABLE_SHARE`
    of their tokens are cells such as "-3/-8" or "5,200GCH". Prose with figures
    ("rose 2.2 percent to 4,220.56") stays far below."""
    out = set()
    ends = [*starts[1:], len(body)]
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        tokens = body[start:end].split()
        cells = sum(1 for t in tokens if _TABLE_TOKEN.match(t))
        if tokens and cells / len(tokens) >= TABLE_SHARE:
            out.add(index)
    return frozenset(out)


def lowercase_acronyms(story: str) -> frozenset[str]:
    """Acronyms the story defines as lowercase words ("task force (TF)"): every later
    "TF" is that common noun too."""
    out = set()
    for m in re.finditer(r"\(([A-Z]{2,8})\)", story):
        if _spells_lowercase_words(m.group(1), story, m.start(1)):
            out.add(m.group(1))
    return frozenset(out)


def _not_a_name(label: str, name: str, text: str, start: int) -> bool:
    """A lone legal form ("LLC"), a "person" that is only a title ("Museum Director"),
    the acronym of lowercase words ("twenty-foot equivalent unit (TEU)"), places
    written together as a modifier ("Korea-China relations"), a table's cells
    ("Seoul -3/-8 Sunny") or a currency code, bonds or a weather word."""
    words = name.split()
    key = canonical.name_key(name)
    if key in canonical.CORPORATE_FORMS or key in _NOT_ENTITIES:
        return True
    if is_table_fragment(name):
        return True
    if key == "treasury" and cues.word_after(text, start + len(name)) in _SECURITIES_AFTER:
        return True
    if label == "PERSON" and canonical.is_title_word(words[-1]):
        return True
    if canonical.is_acronym(name) and _spells_lowercase_words(name, text, start):
        return True
    parts = name.split("-")
    return len(parts) > 1 and all(
        p and p[:1].isupper() and resolve_place(p) is not None for p in parts
    )


def _without_full_stop(name: str) -> str:
    """ "Ministry of Data and Statistics." -> without the sentence's full stop; "Co." and
    "U.S." keep theirs."""
    last = name.split()[-1]
    word = last[:-1]
    if (
        last.endswith(".")
        and len(word) > 3
        and "." not in word
        and word.casefold() not in _ABBREVIATIONS
    ):
        return name[:-1]
    return name


def _without_trailing_title(label: str, name: str) -> str:
    """ "ADOR Chief Executive" -> "ADOR": an organisation's name before its officer's title."""
    words = name.split()
    if label != "ORG" or len(words) < 2 or not canonical.is_title_word(words[-1]):
        return name
    cut = len(words)
    while cut > 1 and canonical.is_title_word(words[cut - 1]):
        cut -= 1
    return words[0] if cut == 1 else name


#: A government body named by its remit, which wires may cut at its "and": "Ministry of
#: Economy" + "Finance", "Ministry of Science" + "ICT".
_BODY_OF = re.compile(r"^(?:Ministry|Department|Committee|Commission|Office) of ")


#: A nationality written before a formal "Ministry of ..." name, which is not part of it.
_DEMONYM_BEFORE_BODY = re.compile(
    r"^(?:(?:South|North|S\.|N\.) )?[A-Z][a-z]+(?:an|ese|ish|i|ch) "
    r"(?=(?:Ministry|Department|Office|Embassy) of )"
)


def _joined(spans: list[Span], *, headline: str, body: str, lexicon: frozenset[str]) -> list[Span]:
    """One name the model cut at its "and": "Aviation" + "Railway Accident Investigation
    Board" is the "Aviation and Railway Accident Investigation Board". Only an ordinary
    word before "and" joins an organisation's name whose last word heads such names, so
    "Samsung and LG Electronics" stay two; and a ministry's remit goes on after "and" or
    a comma ("Ministry of Economy and Finance", "Ministry of Trade, Industry and Energy")."""
    ordered = sorted(spans, key=lambda s: (reading_order(s.section, s.start), s.end))
    out: list[Span] = []
    for span in ordered:
        previous = out[-1] if out else None
        text = headline if span.section == "headline" else body
        gap = text[previous.end : span.start] if previous is not None else ""
        if (
            previous is not None
            and previous.section == span.section
            and (
                (
                    gap == " and "
                    and " " not in previous.text
                    and cues.is_common_word(previous.text, lexicon)
                    and span.label == "ORG"
                    and len(span.text.split()) > 1
                    and canonical.name_key(span.text.split()[-1]) in canonical.ORG_WORDS
                )
                or (
                    gap in (" and ", ", ")
                    and _BODY_OF.match(previous.text) is not None
                    and len(span.text.split()) <= 2
                    and span.label not in ("PERSON", "GPE", "LOC")
                    and span.text[:1].isupper()
                    and resolve_place(span.text) is None
                )
            )
        ):
            out[-1] = Span(
                "ORG", text[previous.start : span.end], span.section, previous.start, span.end
            )
            continue
        out.append(span)
    return out


def mention_items(
    spans: Iterable[Span], *, headline: str, body: str, lexicon: frozenset[str] = frozenset()
) -> list[Item]:
    """Cleaned mentions of the model's spans, in reading order.

    ``lexicon`` holds ordinary English words (:func:`streams.nlp.cues.common_words`);
    without it capitalised common nouns opening a sentence are kept.
    """
    starts = paragraph_starts(body)
    story = f"{headline}\n{body}"
    defined_lowercase = lowercase_acronyms(body)
    tables = table_paragraphs(body, starts)
    items: list[Item] = []
    repaired: list[Span] = []
    for span in spans:
        text = headline if span.section == "headline" else body
        if canonical.is_dateline_agency(text, span.start, span.end):
            continue
        repaired.append(repair(_first_sentence(span), text))
    repaired = _joined(repaired, headline=headline, body=body, lexicon=lexicon)
    for section, text in (("headline", headline), ("body", body)):
        taken = [(s.start, s.end) for s in repaired if s.section == section]
        repaired.extend(korean_names(text, section, taken))  # type: ignore[arg-type]
        taken = [(s.start, s.end) for s in repaired if s.section == section]
        repaired.extend(company_names(text, section, taken))  # type: ignore[arg-type]
        taken = [(s.start, s.end) for s in repaired if s.section == section]
        repaired.extend(defined_names(text, section, taken))  # type: ignore[arg-type]
    seen: set[tuple[str, int, int]] = set()
    for span in sorted(repaired, key=lambda s: (reading_order(s.section, s.start), -s.end)):
        text = headline if span.section == "headline" else body
        if (span.section, span.start, span.end) in seen or any(
            sec == span.section and start <= span.start and span.end <= end
            for sec, start, end in seen
        ):
            continue  # two spans repaired into the same name, or one inside another
        seen.add((span.section, span.start, span.end))
        if is_sentence_junk(span, text, lexicon, story=story):
            continue
        cleaned = canonical.clean_mention(span.text, span.start)
        if cleaned is None:
            continue
        label, name, start = span.label, cleaned.text, cleaned.start
        demonym = _DEMONYM_BEFORE_BODY.match(name)
        if demonym is not None:  # "(South Korean) Ministry of Foreign Affairs"
            label, name, start = "ORG", name[demonym.end() :], start + demonym.end()
        name = _without_trailing_title(label, _without_full_stop(name))
        title, rest = canonical.split_title(name, allow_single=span.label == "PERSON")
        if title is not None and canonical.looks_like_korean_name(name):
            title, rest = None, name  # "Son Heung-min": a family name, not a son
        if title is not None:
            label, start, name = "PERSON", cleaned.end - len(rest), rest
        elif span.label == "PERSON":
            title = canonical.title_before(text, start)
        acronym = cleaned.acronym or canonical.acronym_after(text, cleaned.end)
        if acronym is not None and not canonical.acronym_matches(acronym, name):
            acronym = None
        if _not_a_name(label, name, text, start) or name in defined_lowercase:
            continue
        if _title_fragment(name, text, start, lexicon):
            continue
        if (
            span.section == "body"
            and paragraph_of(start, starts) in tables
            and resolve_place(name) is None
            and not gazetteer().matches(name)
        ):
            continue  # a table's headers and rows: only names the gazetteer knows
        cue = cues.context_label(text, start, start + len(name), model_label=span.label)
        previous = items[-1] if items and items[-1].section == span.section else None
        if (
            cue is None
            and previous is not None
            and previous.model_label == span.label
            and _LIST_GAP.fullmatch(text[previous.end : start])
        ):
            cue = previous.cue  # "members Haerin and Hyein"
        items.append(
            Item(
                label=label,
                model_label=span.label,
                text=name,
                section=span.section,
                start=start,
                end=start + len(name),
                paragraph=paragraph_of(start, starts) if span.section == "body" else None,
                order=reading_order(span.section, start),
                title=title,
                acronym=acronym,
                cue=cue,
            )
        )
    return items
