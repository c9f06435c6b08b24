"""Language detection on sentences written for these tests, and when it may overrule a wire."""

from __future__ import annotations

import pytest

from streams.lang import detect_language, resolve_language
from streams.lang.detect import UNDETERMINED

SENTENCES = [
    ("en", "The government announced a new plan to build affordable housing on Tuesday."),
    ("fr", "Le gouvernement a annoncé mardi un nouveau plan pour construire des logements."),
    ("de", "Die Regierung hat am Dienstag einen neuen Plan für günstige Wohnungen vorgestellt."),
    ("es", "El gobierno anunció el martes un nuevo plan para construir viviendas asequibles."),
    ("it", "Il governo ha annunciato martedì un nuovo piano per costruire case popolari."),
    ("pt", "O governo anunciou na terça-feira um novo plano para construir habitação barata."),
    (
        "nl",
        "De regering heeft dinsdag een nieuw plan aangekondigd om betaalbare woningen te bouwen.",
    ),
    ("ko", "정부는 화요일 서민을 위한 새로운 주택 공급 계획을 발표했다."),
    ("ja", "政府は火曜日、手頃な価格の住宅を建設する新たな計画を発表した。"),
    ("ru", "Правительство во вторник объявило о новом плане строительства доступного жилья."),
    ("zh", "政府周二宣布了一项建造经济适用房的新计划。"),
    ("ar", "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة لبناء مساكن ميسورة التكلفة."),
]


@pytest.mark.parametrize(("code", "text"), SENTENCES, ids=[c for c, _ in SENTENCES])
def test_each_sentence_is_recognised(code: str, text: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert guess.confidence >= 50


@pytest.mark.parametrize("text", ["", "   ", "1234 -- 5678", "(END)"[:0]])
def test_text_without_letters_is_undetermined(text: str) -> None:
    assert detect_language(text).code == UNDETERMINED
    assert detect_language(text).confidence == 0


def test_detection_is_deterministic() -> None:
    text = SENTENCES[1][1]
    assert detect_language(text) == detect_language(text)


def test_an_undeclared_language_is_detected() -> None:
    assert resolve_language(declared=None, text=SENTENCES[2][1])[0] == "de"


def test_a_declared_language_stands_against_a_short_text() -> None:
    code, guess = resolve_language(declared="en", text=SENTENCES[1][1])
    assert guess.code == "fr"
    assert code == "en", "one sentence is not enough to overrule the wire"


def test_a_long_confident_text_overrules_a_wrong_declaration() -> None:
    long_french = " ".join(text for code, text in SENTENCES if code == "fr") * 4
    assert resolve_language(declared="en", text=long_french)[0] == "fr"


def test_a_declared_regional_variant_is_kept_when_detection_agrees() -> None:
    english = SENTENCES[0][1] * 5
    assert resolve_language(declared="en-GB", text=english)[0] == "en-GB"


def test_no_text_keeps_the_declaration_or_falls_back_to_english() -> None:
    assert resolve_language(declared="ko", text="")[0] == "ko"
    assert resolve_language(declared=None, text="")[0] == "en"
