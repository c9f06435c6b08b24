"""Names as a newsroom writes them: normalised keys, titles, acronyms, junk.

Pure string functions over one mention at a time (plus the text around it);
:mod:`streams.nlp.mentions` and :mod:`streams.nlp.grouping` use them to clean and group mentions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that head a title or role written before a name ("Speaker", "leader").
#: Lower case; matched on the token without a trailing period.
TITLE_HEADS: frozenset[str] = _words(
    """
    president president-elect vice-president premier chancellor minister ministers
    secretary secretary-general undersecretary speaker chairman chairwoman chairperson chair
    ceo cfo coo cto chief executive leader head director commissioner governor mayor ambassador
    envoy spokesman spokeswoman spokesperson commander general gen adm admiral lt col maj capt cmdr
    sgt marshal rep sen senator congressman congresswoman representative lawmaker legislator
    judge justice prosecutor prosecutor-general attorney counsel king queen prince princess
    emperor empress pope founder co-founder dr mr mrs ms prof professor coach manager
    nominee auditor official officer sister brother wife husband daughter son aide adviser
    advisor analyst researcher economist candidate anchor
    """
)
#: Words that may stand inside a title before its head ("former", "Vice").
TITLE_MODIFIERS: frozenset[str] = _words(
    "former acting deputy vice first then interim prime supreme senior top late"
)
#: Capitalised words that start a sentence or a date, never a title.
_NOT_TITLE_WORDS: frozenset[str] = _words(
    """
    on in at the a an and but or as by for from of to with meanwhile earlier later also
    however after before when while since during monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec said says told
    """
)
#: Last words of organisation names: a name ending in one is not a person.
ORG_WORDS: frozenset[str] = _words(
    """
    ministry party association committee commission company co corp corporation inc ltd llc
    bank council assembly office agency service services foundation court department forces
    force army navy group university institute center centre organization organisation
    union federation league airlines air club team fund board bureau authority cooperation
    embassy consulate
    administration government command exchange securities electronics motor motors
    holdings industries energy chemical entertainment news times post daily church
    newspaper magazine journal herald tribune broadcasting research
    """
)
#: First words of Korean business groups and firms: a name of two or more words that
#: starts with one is a company ("Hanwha Ocean", "Yonhap Infomax", "LG Uplus"), not
#: a place or a person, whatever its last word.
BUSINESS_GROUPS: frozenset[str] = _words(
    """
    samsung hyundai sk lg lotte hanwha doosan hd cj gs posco kt hanjin kumho shinsegae hyosung
    kolon naver kakao coupang yonhap kia celltrion hybe amorepacific
    """
)
#: Market and economic indexes: not organisations ("KOSPI", "Composite Business
#: Sentiment Index"); wires write them like names.
MARKET_INDEXES: frozenset[str] = _words("kospi kosdaq nikkei nasdaq") | {
    "kospi 200",
    "nikkei 225",
    "s&p 500",
    "hang seng",
    "dow jones industrial average",
}
#: Last words of names of natural places: a name ending in one is a location.
GEO_WORDS: frozenset[str] = _words(
    "peninsula sea strait island islands river mountain mountains ocean gulf bay lake valley "
    "desert coast"
)
#: Words that make a name an EVENT: an unconfirmed MISC name ("U.S. Open", "Asian Games"), a
#: quoted one ("'Tour Down Under'").
EVENT_WORDS: frozenset[str] = frozenset(
    {
        "championship",
        "championships",
        "conference",
        "cup",
        "day",
        "festival",
        "forum",
        "games",
        "grand",
        "league",
        "marathon",
        "olympic",
        "olympics",
        "open",
        "prix",
        "rally",
        "slam",
        "summit",
        "tour",
        "tournament",
        "trophy",
        "war",
        "wimbledon",
        "world",
    }
)

#: Legal forms, as single words (case-folded, without the full stop). A company's name ends
#: at its legal form, so "Daniels Pharmaceuticals Inc of St. Petersburg" is a company and a
#: city, not one name; and the name without it is the company's short name ("Gencor").
CORPORATE_SUFFIXES: frozenset[str] = frozenset(
    {"co", "corp", "inc", "ltd", "plc", "llc", "ag", "sa", "nv", "bv", "gmbh", "spa", "bhd"}
    | {"pte", "kk"}
)
#: Name keys of legal forms written alone: never a name by themselves.
CORPORATE_FORMS: frozenset[str] = frozenset(
    {"co", "corp", "corporation", "inc", "ltd", "llc", "llp", "plc", "co ltd", "gmbh", "ag"}
)
#: Company suffixes that do not change which company is meant.
_CORPORATE_SUFFIX = re.compile(
    r",?\s+(Co\.|Corp\.|Corporation|Inc\.|Ltd\.|LLC|LLP|Plc|PLC|AG|SE|GmbH|S\.A\.|N\.V\.)$"
)
#: Slugs, version tags and notes of wire copy; never an entity.
WIRE_MARKUP: frozenset[str] = _words(
    "lead adds attn urgent roundup update updates ld corrected repeat flash bulletin eds end "
    "newsline editorial interview feature profile obituary factbox backgrounder"
) | {"1st ld", "2nd ld", "3rd ld", "4th ld", "5th ld"}
#: Section tags that open Yonhap headlines: "(News Focus)", "(Yonhap Interview)".
SECTION_TAGS: frozenset[str] = frozenset(
    {"news focus", "news analysis", "yonhap interview", "yonhap feature", "photo news"}
)
#: Common nouns wires write as acronyms: never an entity ("LNG carriers", "a new SUV").
COMMON_ACRONYMS: frozenset[str] = _words(
    """
    suv suvs ev evs lng ceo ceos cfo gdp cpi ppi ipo ipos etf etfs ai tv mou fta hbm dram
    oled lcd icbm icbms slbm slbms irbm pm vip vips sns pc pcs gpu gpus cpu cpus oem oems roi
    tb gb mb ssd ssds hdd usb led leds api apis
    """
)
#: Agencies whose name in parentheses before "--" is a dateline, not a mention.
AGENCIES: frozenset[str] = _words("yonhap ap reuters afp dpa xinhua kyodo ansa efe tass ria")

#: Capitalised words a model may take for a one-word name at a sentence start.
NOT_NAMES: frozenset[str] = _words(
    """
    please aboard following despite according under amid although because if once some many
    several these those this that there here it its his her their our we they he she you
    photos wearing shortly meanwhile earlier later also however after before when while
    since during then thus still yet today yesterday tomorrow more most less much new next
    last other another such
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    january february march april july september october november december
    """
)
# Months are dates, not actors: alone, a month (or its wire abbreviation, "Jan. 2")
# is never a name. May, June and August are left out: they are names as well.
#: "U.S.-led", "Seoul-based": the place is the entity, the suffix is not.
_COMPOUND_SUFFIX = re.compile(
    r"-(?:led|based|backed|born|made|owned|run|linked|allied|style|bound|funded|centered"
    r"|centric|friendly|controlled|headquartered)$"
)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&.\-]{1,11})\)")
_PAREN_ACRONYM_IN = re.compile(r"^(?P<name>.+?)\s*\((?P<acr>[A-Z][A-Za-z0-9&.\-]{1,11})\)$")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_TRAILING_JUNK = "-–—,;:/ "
_LEADING_JUNK = "\"'“‘(-–— "


def fold(text: str) -> str:
    """Accents off, curly quotes straight: the spelling-insensitive form of a string."""
    text = text.replace("’", "'").replace("‘", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The comparison key of a name: case, accents, periods, hyphens and "the" do not count.

    ``Kim Jong-un``, ``Kim Jong Un`` and ``KIM JONG UN`` share a key, and so do
    ``U.S.`` and ``US``, and ``Natl Assembly`` and ``National Assembly``.
    """
    text = fold(name).casefold().replace(".", "")
    text = re.sub(r"[\-–—_/]+", " ", text)
    text = re.sub(r"[^\w&' ]+", " ", text)
    words = [_HEADLINE_ABBREVIATIONS.get(w, w) for w in text.split()]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


#: Abbreviations of headline style: "Natl Assembly" is the National Assembly.
_HEADLINE_ABBREVIATIONS: dict[str, str] = {
    "natl": "national",
    "nat'l": "national",
    "intl": "international",
    "int'l": "international",
    "gov't": "government",
    "govt": "government",
    "dept": "department",
    "univ": "university",
}


def has_corporate_suffix(name: str) -> bool:
    return _CORPORATE_SUFFIX.search(name) is not None


def strip_corporate_suffix(name: str) -> str:
    """``Hanwha Aerospace Co.`` -> ``Hanwha Aerospace``."""
    stripped = _CORPORATE_SUFFIX.sub("", name)
    return stripped if stripped.strip() else name


def _word(token: str) -> str:
    return token.strip(".,;:\"'()").casefold()


def is_title_word(token: str) -> bool:
    word = _word(token)
    return word in TITLE_HEADS or word in TITLE_MODIFIERS


def is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and " " not in name


def acronym_matches(acronym: str, name: str) -> bool:
    """Could ``acronym`` abbreviate ``name``? First letters agree and the rest follow in order.

    Loose on purpose: Korean and US agencies abbreviate freely (``USFK`` for
    "U.S. Forces Korea", ``KRX`` for "Korea Exchange").
    """
    letters = [c for c in acronym.casefold() if c.isalnum()]
    text = [c for c in fold(name).casefold() if c.isalnum()]
    if not letters or not text or letters[0] != text[0]:
        return False
    pos = 0
    for letter in letters:
        try:
            pos = text.index(letter, pos) + 1
        except ValueError:
            return False
    return True


def acronym_after(text: str, end: int) -> str | None:
    """The ``(NIS)`` written right after a name ending at ``end``, if any."""
    m = _ACRONYM_AFTER.match(text, end)
    return m.group(1) if m else None


@dataclass(frozen=True)
class Cleaned:
    """A mention after clean-up: the name part, its offsets, and what was split off."""

    text: str
    start: int
    end: int
    title: str | None = None
    acronym: str | None = None


def clean_mention(text: str, start: int) -> Cleaned | None:
    """Trim what is not part of the name; None for junk (no letters, markup, a lone title).

    Strips leading "the", quotes and dashes, a trailing possessive, a trailing
    hyphen ("North Korea-"), and splits a trailing "(ACRONYM)" off.
    """
    end = start + len(text)
    # Leading junk and "the".
    while text and text[0] in _LEADING_JUNK:
        text, start = text[1:], start + 1
    m = re.match(r"(?i)the\s+", text)
    if m and len(text) > m.end():
        text, start = text[m.end() :], start + m.end()
    acronym = None
    paren = _PAREN_ACRONYM_IN.match(text)
    if paren and acronym_matches(paren.group("acr"), paren.group("name")):
        acronym = paren.group("acr")
        text = paren.group("name")
        end = start + len(text)
    changed = True
    while changed and text:
        changed = False
        if text[-1] in _TRAILING_JUNK:
            text, end, changed = text[:-1], end - 1, True
        pm = _POSSESSIVE.search(text)
        if pm and len(text) > 3:
            cut = 2 if text.endswith(("'s", "’s")) else 1
            text, end, changed = text[:-cut], end - cut, True
        if text.endswith(")") and "(" not in text:
            text, end, changed = text[:-1], end - 1, True
        suffix = _COMPOUND_SUFFIX.search(text)
        if suffix:
            text, end, changed = text[: suffix.start()], end - len(suffix.group()), True
    if not _is_name_like(text):
        return None
    return Cleaned(text=text, start=start, end=end, acronym=acronym)


def _is_name_like(text: str) -> bool:
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return False
    if any(mark in text for mark in ("@", "://", "_", "\n", "$")):
        return False
    # A proper name starts with a capital (or a digit: "3M"); "eBay" style is fine too.
    if text[0].islower() and not (len(text) > 1 and text[1].isupper()):
        return False
    words = text.split()
    if all(is_title_word(w) for w in words):
        return False
    if len(words) == 1 and text.casefold() in NOT_NAMES:
        return False
    key = name_key(text)
    if key in WIRE_MARKUP or key in SECTION_TAGS or key in COMMON_ACRONYMS:
        return False
    # Latin-script English text: a span without Latin letters is noise from the model.
    return any("a" <= c.lower() <= "z" for c in fold(text))


def looks_like_person_name(tokens: list[str]) -> bool:
    """1-4 capitalised name words, none of them a title, an org word or a function word."""
    if not 1 <= len(tokens) <= 4:
        return False
    for tok in tokens:
        word = _word(tok)
        if not tok[:1].isupper() or not re.fullmatch(r"[A-Za-z][A-Za-z.'\-]*", fold(tok)):
            return False
        if word in TITLE_HEADS or word in _NOT_TITLE_WORDS or word in ORG_WORDS:
            return False
    return not (len(tokens) == 1 and tokens[0].isupper())


#: Common Korean family names in their usual romanisations.
KOREAN_SURNAMES: frozenset[str] = _words(
    """
    kim lee yi rhee park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im
    han oh seo suh shin sin kwon hwang ahn an song yoo yu ryu jeon chun hong ko go moon mun
    yang son bae baek paik heo huh nam sim shim noh roh ha kwak sung cha joo ju woo koo ku min
    na jin ji eom um chae won bang gong hyun ham byun yeom yeo chu do seok sun seol ma gil
    yeon wi pyo myung ki ban wang geum ok yook maeng tak kook you seong
    """
)
_KOREAN_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$|^[A-Z][a-z]+ [A-Z][a-z]+$")


def looks_like_korean_name(text: str) -> bool:
    """A family name and a two-syllable given name: "Kim Yo-jong", "Lee Jae Myung"."""
    words = text.split(maxsplit=1)
    return (
        len(words) == 2
        and words[0].casefold() in KOREAN_SURNAMES
        and words[0][:1].isupper()
        and bool(_KOREAN_GIVEN.match(words[1]))
    )


def split_title(text: str, *, allow_single: bool = False) -> tuple[str | None, str]:
    """``"National Assembly Speaker Woo Won-shik"`` -> ``("National Assembly Speaker", ...)``.

    Returns ``(None, text)`` unless the text is a title ending in a title word
    followed by something that looks like a personal name: two or three name
    words, or one ("President Lee") when ``allow_single`` (the model already
    called the span a person; "General Electric" must stay a company).
    """
    tokens = text.split()
    for j in range(1, len(tokens)):
        head, name = tokens[:j], tokens[j:]
        if len(name) > 3 and _word(name[-1]) not in {"jr", "sr", "ii", "iii"}:
            continue
        if _word(head[-1]) not in TITLE_HEADS:
            continue
        if not looks_like_person_name(name):
            continue
        if len(name) == 1 and (not allow_single or len(head) > 2):
            continue
        return " ".join(head), " ".join(name)
    return None, text


def title_before(text: str, start: int) -> str | None:
    """The title written just before a name that starts at ``start``, if any.

    Walks back over title words and capitalised words ("former Soviet Union
    Prime Minister", "U.S. President", "North Korean leader") on the same line,
    stopping at punctuation or an ordinary word. The word next to the name
    must be a title word.
    """
    line_start = max(text.rfind("\n", 0, start) + 1, start - 80)
    before = text[line_start:start]
    if not before.endswith(" "):
        return None
    tokens = before.split()
    taken: list[str] = []
    for tok in reversed(tokens):
        word = _word(tok)
        if tok.endswith((",", ";", ":", '"', "”")) or word in _NOT_TITLE_WORDS:
            break
        if tok.endswith(".") and "." not in tok[:-1] and word not in TITLE_HEADS:
            break  # the end of the previous sentence, not an abbreviation like "U.S."
        if word in TITLE_HEADS or word in TITLE_MODIFIERS:
            taken.append(tok)
            continue
        if tok[:1].isupper() or re.fullmatch(r"\([A-Z]{2,8}\)", tok):
            if not taken:
                break
            taken.append(tok)
            continue
        break
    if not taken or _word(taken[0]) not in TITLE_HEADS:
        return None
    # Drop capitalised words at the far end that lead into nothing ("Seoul's").
    while taken and taken[-1].endswith(("'s", "’s")):
        taken.pop()
    return " ".join(reversed(taken)) or None


_PHOTO_CREDIT = re.compile(r"(?:'s)? (?:file )?(?:photo|photos|graphic|image)\b", re.IGNORECASE)


def is_dateline_agency(text: str, start: int, end: int) -> bool:
    """``(Yonhap) --``, ``(Yonhap)`` or ``Yonhap photo``: an agency named as a dateline's
    source or a credit, not mentioned in the story."""
    if name_key(text[start:end]) not in AGENCIES:
        return False
    before = text[max(0, start - 1) : start]
    after = text[end : end + 5]
    if before == "(" and after.startswith(")"):
        return True  # "(Yonhap) --" or a credit: "... in Seoul. (Yonhap)"
    return _PHOTO_CREDIT.match(text, end) is not None  # "Yonhap photo shows ..."
