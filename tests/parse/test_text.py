"""Decoding wires in the encodings senders use, and text normalisation."""

from __future__ import annotations

import pytest

from streams.parse import UndecodableWireError, parse_wire
from streams.parse.text import (
    FramedMessage,
    collapse_whitespace,
    decode_wire,
    guess_language,
    join_wrapped_lines,
    looks_like_korean_text,
    normalise_text,
    repair_mojibake,
    split_framed,
    split_paragraphs,
    strip_control_chars,
)
from tests.parse.wires import LEAD, fixture_bytes, fixture_text, raw_wire


def test_utf8_byte_order_mark_is_dropped() -> None:
    article = parse_wire(raw_wire(b"\xef\xbb\xbf" + fixture_bytes(LEAD)))
    assert article.byline_native == "김하늘"
    assert article.headline.startswith("S. Korea's")


def test_cp1252_smart_quotes_decode_to_typographic_quotes() -> None:
    text = "Minister says \u201cno delay\u201d\nThe minister\u2019s remarks came Tuesday.\n"
    article = parse_wire(raw_wire(text.encode("cp1252")))
    assert article.headline == "Minister says \u201cno delay\u201d"
    assert article.body == ["The minister\u2019s remarks came Tuesday."]


def test_cp1252_apostrophe_is_not_mistaken_for_korean() -> None:
    # b"Korea\x92s" is also valid CP949 (a rare Hangul syllable); it must stay English.
    data = "Korea\u2019s exports\nKorea\u2019s exports rose.\n".encode("cp1252")
    assert decode_wire(data) == "Korea\u2019s exports\nKorea\u2019s exports rose.\n"


def test_cp1252_accented_letters_decode() -> None:
    assert decode_wire("Café in Zürich\n".encode("cp1252")) == "Café in Zürich\n"


def test_euc_kr_korean_decodes() -> None:
    text = "수출 5개월 연속 증가\n산업통상자원부는 1일 수출이 늘었다고 밝혔다.\n"
    article = parse_wire(raw_wire(text.encode("euc_kr")))
    assert article.headline == "수출 5개월 연속 증가"
    assert article.body == ["산업통상자원부는 1일 수출이 늘었다고 밝혔다."]
    assert article.language == "ko"


def test_cp949_only_syllables_in_korean_text_decode() -> None:
    # "똠" exists only in the CP949 extension; one rare syllable in Korean copy is fine.
    text = "똠양꿍 식당 인기\n서울 시내 식당이 늘었다고 밝혔다. 관계자는 말했다.\n"
    assert decode_wire(text.encode("cp949")) == text


def test_korean_check_rejects_hanja_and_symbol_soup() -> None:
    assert not looks_like_korean_text("丁七乃九了二人儿入八冂几凵刀力勹匕十卜")
    assert not looks_like_korean_text("abc")
    assert looks_like_korean_text("서울 (Yonhap) 수출")


def test_invalid_utf8_that_is_no_other_encoding_is_refused() -> None:
    data = b"Headline\n" + bytes(range(0x80, 0x100)) * 4
    with pytest.raises(UndecodableWireError, match="not valid UTF-8") as info:
        decode_wire(data)
    assert "offset 9" in str(info.value)


def test_newlines_are_normalised() -> None:
    assert normalise_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"


def test_control_chars_are_stripped_except_newline_and_tab() -> None:
    assert strip_control_chars("\x01a\tb\x7f\nc\x1b\ufeff") == "a\tb\nc"


def test_text_is_nfc_normalised() -> None:
    assert normalise_text("Cafe\u0301") == "Caf\u00e9"


def test_html_entities_are_decoded() -> None:
    assert normalise_text("&quot;Hi,&quot; Kim&#39;s aide &amp; Lee&#x27;s") == (
        "\"Hi,\" Kim's aide & Lee's"
    )


def test_entity_for_a_control_char_does_not_survive() -> None:
    assert normalise_text("a&#1;b&#13;c") == "ab\nc"


def test_trailing_spaces_are_trimmed_per_line() -> None:
    assert normalise_text("a  \nb\t") == "a\nb"


def test_inner_whitespace_of_a_paragraph_collapses() -> None:
    assert collapse_whitespace("  a \t b\u00a0\u00a0c  ") == "a b c"


def test_paragraph_split_on_blank_lines_or_per_line() -> None:
    assert split_paragraphs(["", "a", "b", "", "", "c", ""]) == ["a b", "c"]
    assert split_paragraphs(["a", "b ", "  c"]) == ["a", "b", "c"]
    assert split_paragraphs(["", "  ", ""]) == []


def test_fixture_round_trips_through_normalisation_unchanged() -> None:
    text = fixture_text(LEAD)
    assert normalise_text(text) == text


# ------------------------------------------------------------------- hard-wrapped text


def test_wrapped_lines_join_and_indented_or_blank_lines_start_paragraphs() -> None:
    lines = [
        "   SEOUL, Jan. 2 (Yonhap) -- Exports rose",
        "in December.",
        "   Imports fell, the North Korea-",
        "U.S. talks aside.",
        "",
        "Third paragraph",
        "continues.",
    ]
    assert join_wrapped_lines(lines) == [
        "SEOUL, Jan. 2 (Yonhap) -- Exports rose in December.",
        "Imports fell, the North Korea-U.S. talks aside.",
        "Third paragraph continues.",
    ]


def test_indentation_shared_by_every_line_is_not_a_paragraph_break() -> None:
    assert join_wrapped_lines(["    one", "    two", "", "    three"]) == ["one two", "three"]


def test_dash_at_a_line_end_keeps_its_space() -> None:
    assert join_wrapped_lines(["a sentence --", "then more"]) == ["a sentence -- then more"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The government said on Tuesday that it will raise the budget for the port.", "en"),
        ("Die Regierung hat am Dienstag gesagt, dass sie den Haushalt für den Hafen erhöht.", "de"),
        ("Le gouvernement a annoncé mardi que le budget pour le port sera relevé.", "fr"),
        ("정부는 화요일 항만 예산을 늘리겠다고 밝혔다.", "ko"),
        ("KOSPI 4,214.17", "en"),
    ],
)
def test_language_guess(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_framed_messages_are_split_at_each_soh() -> None:
    stream = "\x16\x01h1\x02t1\x03s1\x04\x01h2\x02t2\x03\x01h3\x02t3"
    assert split_framed(stream) == [
        FramedMessage(header="h1", text="t1", trailer="s1", complete=True),
        FramedMessage(header="h2", text="t2", trailer="", complete=True),
        FramedMessage(header="h3", text="t3", trailer="", complete=False),
    ]
    assert split_framed("no framing here") == []


def test_is_number_refuses_digits_that_int_cannot_read() -> None:
    from streams.parse.text import is_number

    assert is_number("42")
    assert not is_number("²")
    assert not is_number("٣")
    assert not is_number("")


@pytest.mark.parametrize(
    ("garbled", "meant"),
    [
        ("Dellâ€™s FireProâ„¢ W5000", "Dell’s FirePro™ W5000"),
        ("Citrix XenServerÂ® and a cafÃ© in ZÃ¼rich", "Citrix XenServer® and a café in Zürich"),
        ("서울 Dellâ€™s", "서울 Dell’s"),  # the Korean run is not touched
    ],
)
def test_utf8_read_as_windows_1252_is_repaired(garbled: str, meant: str) -> None:
    assert repair_mojibake(garbled) == meant


@pytest.mark.parametrize("text", ["SÃO PAULO, Brazil", "Café in Zürich", "Ã©tÃ© café", "plain"])
def test_text_that_is_not_double_encoded_stays(text: str) -> None:
    # Genuine Latin-1 capitals, ordinary accents, and a run that mixes both readings.
    assert repair_mojibake(text) == text


def test_normalise_text_and_clean_inline_repair_double_encoded_utf8() -> None:
    from streams.parse.markup import clean_inline

    assert normalise_text("AMD FireProâ„¢\nline two") == "AMD FirePro™\nline two"
    assert clean_inline("  Dellâ€™s   workstation ") == "Dell’s workstation"
