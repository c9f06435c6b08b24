"""HTML and XHTML fragments (wire bodies, captions, headlines) to clean text.

Wire formats carry story text as markup: ninjs ``body_html`` and ``bodies``,
NITF ``body.content``, NewsML-G2 ``inlineXML``. Every parser needs the same
thing from them, paragraphs of plain text, so it is done once here, on the
standard library's lenient :class:`html.parser.HTMLParser` (it never raises
on broken markup, which wire HTML often is).

    html_to_paragraphs("<p>One &amp; two</p><p>Three<br>Four</p>")
    # -> ["One & two", "Three", "Four"]
    strip_tags("Fed <b>raises</b> rates")
    # -> "Fed raises rates"
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Collection
from html.parser import HTMLParser

from streams.parse.text import collapse_whitespace, repair_mojibake, strip_control_chars

#: Elements that end the paragraph before them and start a new one after them.
#: Besides HTML, the NITF block elements (hl1, hl2, bq, block, note, fn ...) are
#: here so that NITF and NewsML-G2 inline XML read the same way.
BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "center",
        "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "tfoot", "thead", "tr", "ul",
        # NITF / NewsML-G2 inline XML
        "block", "body.content", "body.end", "body.head", "bq", "credit", "dateline",
        "fn", "hedline", "hl1", "hl2", "media-caption", "note", "tagline",
    }
)  # fmt: skip

#: Elements whose content is never story text.
DROPPED_ELEMENTS = frozenset(
    {
        "head", "iframe", "math", "noscript", "object", "script", "select", "style",
        "svg", "template", "textarea", "title",
    }
)  # fmt: skip

# What HTMLParser accepts as a tag name; anything else after '<' is text.
_TAG_NAME_RE = re.compile(r"[A-Za-z][^\s/>\x00]*")

# Table cells are inline, but the text of neighbouring cells must not run together.
_SPACED_ELEMENTS = frozenset({"td", "th"})


class _ParagraphCollector(HTMLParser):
    """Collects text, cutting a paragraph at every block boundary."""

    def __init__(self, *, drop: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self._drop = drop
        self._dropping: list[str] = []
        self._current: list[str] = []
        self.paragraphs: list[str] = []

    # -- tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body" and "head" in self._dropping:
            # HTML lets </head> be left out: the body start ends the head.
            del self._dropping[self._dropping.index("head") :]
        if self._dropping or tag in self._drop:
            if tag in self._drop:
                self._dropping.append(tag)
            return
        self._boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <p/>, <script/>: an empty element, so nothing to drop.
        if not self._dropping:
            self._boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._dropping:
            if tag in self._dropping:
                # Close the innermost open element of that name; any unclosed
                # elements opened inside it close with it, as in a browser.
                index = len(self._dropping) - 1 - self._dropping[::-1].index(tag)
                del self._dropping[index:]
            return
        self._boundary(tag)

    def _boundary(self, tag: str) -> None:
        if tag in BLOCK_ELEMENTS:
            self.flush()
        elif tag in _SPACED_ELEMENTS:
            self._current.append(" ")

    # -- text

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._current.append(data)

    def unknown_decl(self, data: str) -> None:
        # XHTML bodies may wrap text in <![CDATA[ ... ]]>; it is text like any other.
        if data.startswith("CDATA["):
            self.handle_data(data[len("CDATA[") :])

    def flush(self) -> None:
        if not self._current:
            return
        paragraph = clean_inline("".join(self._current))
        self._current = []
        if paragraph:
            self.paragraphs.append(paragraph)


class _NextFinder:
    """``text.find(needle, start)`` for non-decreasing ``start``, amortised linear.

    The pre-pass below asks "where is the next '>'?" once per '<'; caching the
    last answer keeps a run of '<' with no '>' after them linear, not quadratic.
    """

    def __init__(self, text: str, needle: str) -> None:
        self._text = text
        self._needle = needle
        self._found = -2  # -2: not searched yet; -1: none left in the text

    def at_or_after(self, start: int) -> int:
        if self._found == -1 or self._found >= start:
            return self._found
        self._found = self._text.find(self._needle, start)
        return self._found


def _simplify(fragment: str) -> str:
    """Rewrite markup so that HTMLParser only ever meets text and bare tags.

    Python 3.11's HTMLParser rescans the rest of the input for every '<' that
    opens an unfinished construct (and its attribute pattern can run across
    tags), so a few hundred KiB of hostile text ('<a<a<a...', '<a b="<a b="...',
    '<!--<!--...') takes minutes. This single linear pass keeps only what the
    collector uses: a tag becomes ``<name>``, ``</name>`` or ``<name/>`` without
    its attributes, CDATA becomes escaped text, comments, declarations and
    processing instructions go, and a '<' that opens nothing complete (no '>'
    before the next '<') becomes ``&lt;``. The cost: a '>' inside a quoted
    attribute value ends the tag early, which never touches story text.
    """
    if "<" not in fragment:
        return fragment
    next_lt = _NextFinder(fragment, "<")
    next_gt = _NextFinder(fragment, ">")
    comment_end = _NextFinder(fragment, "-->")
    cdata_end = _NextFinder(fragment, "]]>")
    out: list[str] = []
    pos = 0
    while True:
        lt = next_lt.at_or_after(pos)
        if lt < 0:
            out.append(fragment[pos:])
            return "".join(out)
        out.append(fragment[pos:lt])
        pos = lt + 1
        if fragment.startswith("<!--", lt):
            end = comment_end.at_or_after(lt + 4)
            if end >= 0:
                pos = end + 3
                continue
        elif fragment.startswith("<![CDATA[", lt):
            end = cdata_end.at_or_after(lt + 9)
            if end >= 0:
                out.append(html.escape(fragment[lt + 9 : end], quote=False))
                pos = end + 3
                continue
        else:
            gt = next_gt.at_or_after(lt + 1)
            inner = next_lt.at_or_after(lt + 1)
            if gt >= 0 and not 0 <= inner < gt:
                tag = _bare_tag(fragment[lt + 1 : gt])
                if tag is not None:
                    out.append(tag)
                    pos = gt + 1
                    continue
        out.append("&lt;")


def _bare_tag(inside: str) -> str | None:
    """``<name>``, ``</name>``, ``<name/>`` or "" for what stood between '<' and '>'."""
    if inside[:1] in ("!", "?"):
        return ""  # declaration or processing instruction: no text in it
    closing = inside.startswith("/")
    rest = inside[1:].lstrip() if closing else inside
    match = _TAG_NAME_RE.match(rest)
    if match is None:
        return None
    name = match[0].lower()
    if closing:
        return f"</{name}>"
    return f"<{name}/>" if inside.rstrip().endswith("/") else f"<{name}>"


def clean_inline(text: str) -> str:
    """One line of clean text: double-encoded UTF-8 repaired, NFC, no control characters,
    whitespace collapsed."""
    return collapse_whitespace(
        strip_control_chars(unicodedata.normalize("NFC", repair_mojibake(text)))
    )


def html_to_paragraphs(fragment: str, *, drop: Collection[str] = ()) -> list[str]:
    """Paragraphs of plain text from an HTML/XHTML fragment (or a whole document).

    Block elements (``p``, ``div``, ``li``, ``h1``-``h6``, ``blockquote``, ``br``
    ... see :data:`BLOCK_ELEMENTS`) separate paragraphs; inline elements do not
    (``<b>Hel</b>lo`` is ``Hello``). Scripts, styles, the document head and the
    other :data:`DROPPED_ELEMENTS` are left out, plus any element named in
    ``drop`` (lower-case names, e.g. ``{"media-caption"}``). Character references
    are decoded, control characters removed, whitespace collapsed and text
    NFC-normalised; empty paragraphs are dropped. Never raises on bad markup.
    """
    collector = _ParagraphCollector(drop=DROPPED_ELEMENTS | {name.lower() for name in drop})
    collector.feed(_simplify(fragment))
    collector.close()
    collector.flush()
    return collector.paragraphs


def strip_tags(fragment: str, *, drop: Collection[str] = ()) -> str:
    """The text of a fragment on one line, e.g. a headline that carries ``<i>`` or ``&amp;``.

    Same rules as :func:`html_to_paragraphs`, with paragraphs joined by a space.
    """
    return " ".join(html_to_paragraphs(fragment, drop=drop))


__all__ = [
    "BLOCK_ELEMENTS",
    "DROPPED_ELEMENTS",
    "clean_inline",
    "html_to_paragraphs",
    "strip_tags",
]
