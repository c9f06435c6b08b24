"""Mentions and types on agency copy: tables, codes, defined common nouns, cut names."""

from __future__ import annotations

import pytest

from schemas import Entity
from streams.nlp.entities import group_mentions
from streams.nlp.mentions import (
    Span,
    is_table_fragment,
    lowercase_acronyms,
    repair,
    table_paragraphs,
)

LEXICON = frozenset({"aviation", "railway", "condition"})


def spans_for(text: str, names: list[tuple[str, str]]) -> list[Span]:
    """Body spans for each (label, name), at the name's first place after the previous one."""
    out, at = [], 0
    for label, name in names:
        start = text.index(name, at)
        out.append(Span(label, name, "body", start, start + len(name)))
        at = start + len(name)
    return out


def entities(body: str, names: list[tuple[str, str]]) -> list[Entity]:
    return group_mentions(spans_for(body, names), body=body, lexicon=LEXICON)


@pytest.mark.parametrize(
    "name", ["Seoul -3/-8 Sunny", "Sunny 0Busan", "DN 5,200GCH Corp", "Seoul 06/-1"]
)
def test_cells_of_a_table_are_table_fragments(name: str) -> None:
    assert is_table_fragment(name)


@pytest.mark.parametrize("name", ["3M", "7-Eleven", "Euro 96", "KOSPI 200", "2NE1", "G20"])
def test_names_with_digits_are_not_table_fragments(name: str) -> None:
    assert not is_table_fragment(name)


def test_weather_table_cells_and_weather_words_are_not_entities() -> None:
    body = "Seoul -3/-8 Sunny 0Incheon -4/-8 Sunny 0Jeju 06/04 Cloudy 30"
    found = entities(body, [("GPE", "Seoul -3/-8 Sunny"), ("PERSON", "Sunny"), ("ORG", "Cloudy")])
    assert found == []


def test_currency_codes_and_treasury_bonds_are_not_entities() -> None:
    body = "Closing prices (KRW) rose. Treasury bonds fell, and Treasurys gained."
    found = entities(body, [("ORG", "KRW"), ("ORG", "Treasury"), ("ORG", "Treasurys")])
    assert found == []


def test_the_treasury_as_a_department_stays() -> None:
    body = "The Treasury said it would act."
    assert [e.name for e in entities(body, [("ORG", "Treasury")])] == ["Treasury"]


def test_an_acronym_of_lowercase_words_is_never_an_entity_later_either() -> None:
    body = "A government task force (TF) met. The TF, chaired by Bae, vowed action."
    assert lowercase_acronyms(body) == {"TF"}
    second = body.index("TF,")
    found = group_mentions([Span("GPE", "TF", "body", second, second + 2)], body=body)
    assert found == []


def test_an_acronym_of_a_name_stays() -> None:
    assert lowercase_acronyms("the Korea Exchange (KRX) said") == frozenset()


def test_an_all_capitals_company_name_is_taken_whole_from_a_price_list() -> None:
    text = "DN 9,700LS ELECTRIC 492,500 UP 32,500 DN 500SAMSUNG LIFE 156,300"
    start = text.index("ELECTRIC")
    assert repair(Span("ORG", "ELECTRIC", "body", start, start + 8), text).text == "LS ELECTRIC"
    start = text.index("LIFE")
    assert repair(Span("ORG", "LIFE", "body", start, start + 4), text).text == "SAMSUNG LIFE"


def test_an_acronym_after_a_dotted_abbreviation_is_not_extended() -> None:
    text = "the U.S. FDA said"
    start = text.index("FDA")
    assert repair(Span("ORG", "FDA", "body", start, start + 3), text).text == "FDA"


def test_a_name_cut_at_its_and_is_joined() -> None:
    body = "the Aviation and Railway Accident Investigation Board under the ministry"
    found = entities(body, [("ORG", "Aviation"), ("ORG", "Railway Accident Investigation Board")])
    assert [e.name for e in found] == ["Aviation and Railway Accident Investigation Board"]


def test_two_companies_joined_by_and_stay_two() -> None:
    body = "Samsung and LG Electronics rose."
    found = entities(body, [("ORG", "Samsung"), ("ORG", "LG Electronics")])
    assert sorted(e.name for e in found) == ["LG Electronics", "Samsung"]


def test_firms_of_korean_business_groups_are_organisations() -> None:
    body = "Its rival Hanwha Ocean lost, while Yonhap Infomax reported it."
    found = entities(body, [("LOC", "Hanwha Ocean"), ("GPE", "Yonhap Infomax")])
    assert {e.name: e.type for e in found} == {"Hanwha Ocean": "ORG", "Yonhap Infomax": "ORG"}


def test_market_indexes_are_not_organisations_or_people() -> None:
    body = "The KOSPI rose, and the Composite Business Sentiment Index fell."
    found = entities(body, [("PERSON", "KOSPI"), ("ORG", "Composite Business Sentiment Index")])
    assert {e.kind for e in found} == {"other"}


def test_a_band_the_model_calls_a_nationality_is_an_organisation_by_its_members() -> None:
    body = "label ADOR said NewJeans member Hanni will stay, unlike Korean members of the team."
    found = entities(body, [("ORG", "ADOR"), ("NORP", "NewJeans"), ("NORP", "Korean")])
    assert {e.name: e.kind for e in found if e.name != "ADOR"} == {
        "NewJeans": "organisation",
        "Korean": "other",
    }


def test_a_newspaper_is_an_organisation_not_a_person() -> None:
    body = "according to The Art Newspaper, which ranks museums."
    found = entities(body, [("PERSON", "The Art Newspaper")])
    assert [(e.name, e.type) for e in found] == [("Art Newspaper", "ORG")]


def test_a_name_alone_in_quotation_marks_is_a_title() -> None:
    body = 'It ran faster than Disney\'s sequel "Zootopia 2." Disney said so.'
    found = entities(body, [("ORG", "Disney"), ("ORG", "Zootopia"), ("ORG", "Disney")])
    assert {e.name: e.kind for e in found} == {"Disney": "organisation", "Zootopia": "other"}


def test_laws_and_published_rates_are_not_organisations() -> None:
    body = "He broke the Capital Market Act, as the Korea Interbank Offered Rates rose."
    found = entities(
        body, [("ORG", "Capital Market Act"), ("ORG", "Korea Interbank Offered Rates")]
    )
    assert {e.name: e.type for e in found} == {
        "Capital Market Act": "LAW",
        "Korea Interbank Offered Rates": "PRODUCT",
    }


def test_a_phrase_in_single_quotes_is_not_a_place_but_a_possessive_name_stays() -> None:
    body = "The market should overcome the 'Korea Discount' soon, Korea's regulator said."
    found = entities(body, [("GPE", "Korea Discount"), ("GPE", "Korea")])
    assert {e.name: e.kind for e in found} == {"Korea Discount": "other", "South Korea": "place"}


def test_a_ministry_cut_at_its_and_or_comma_is_joined_but_not_with_a_person() -> None:
    body = "The Ministry of Trade, Industry and Energy met the Ministry of Unification, Kim Yo-han."
    found = entities(
        body,
        [
            ("ORG", "Ministry of Trade"),
            ("ORG", "Industry"),
            ("ORG", "Energy"),
            ("ORG", "Ministry of Unification"),
            ("PERSON", "Kim Yo-han"),
        ],
    )
    assert sorted(e.name for e in found) == [
        "Kim Yo-han",
        "Ministry of Trade, Industry and Energy",
        "Ministry of Unification",
    ]


@pytest.mark.parametrize("name", ["News Focus", "Yonhap Interview", "EDITORIAL", "SUV", "LNG"])
def test_section_tags_and_acronyms_of_common_nouns_are_not_entities(name: str) -> None:
    body = f"({name}) Hyundai Motor said it would ship more cars."
    found = entities(body, [("ORG", name), ("ORG", "Hyundai Motor")])
    assert [e.name for e in found] == ["Hyundai Motor"]


def test_an_acronym_is_not_a_place_whose_name_only_folds_to_it() -> None:
    body = "The NIS said the new SUV was sold out."
    found = entities(body, [("GPE", "NIS")])
    assert [(e.name, e.kind) for e in found] == [("National Intelligence Service", "organisation")]


def test_a_club_short_name_and_its_legal_form_join_the_full_name() -> None:
    body = "Ulsan HD FC beat Jeonbuk Hyundai Motors. Ulsan HD led, and Jeonbuk fell."
    found = entities(
        body,
        [
            ("ORG", "Ulsan HD FC"),
            ("ORG", "Jeonbuk Hyundai Motors"),
            ("ORG", "Ulsan HD"),
            ("ORG", "Jeonbuk"),
        ],
    )
    assert sorted(e.name for e in found) == ["Jeonbuk Hyundai Motors", "Ulsan HD FC"]


def test_a_nationality_before_a_formal_ministry_name_is_not_part_of_it() -> None:
    body = (
        "The South Korean Ministry of Foreign Affairs said so, as did the Chinese Foreign Ministry."
    )
    found = entities(
        body,
        [("NORP", "South Korean Ministry of Foreign Affairs"), ("ORG", "Chinese Foreign Ministry")],
    )
    assert {e.name: e.type for e in found} == {
        "Ministry of Foreign Affairs": "ORG",
        "Chinese Foreign Ministry": "ORG",
    }


def test_a_business_group_alone_is_a_company_and_joins_its_one_firm_in_the_story() -> None:
    body = "Samsung unveiled a phone. Samsung Electronics said sales would rise."
    found = entities(body, [("PERSON", "Samsung"), ("ORG", "Samsung Electronics")])
    assert [(e.name, e.type, e.mention_count) for e in found] == [("Samsung Electronics", "ORG", 2)]


def test_holidays_are_not_entities_roads_are_places_and_acronyms_not_people() -> None:
    body = "During Chuseok, traffic on the Gyeongbu Expressway was heavy, and TSMC said so."
    found = entities(body, [("GPE", "Chuseok"), ("ORG", "Gyeongbu Expressway"), ("PERSON", "TSMC")])
    assert {e.name: e.kind for e in found} == {
        "Gyeongbu Expressway": "place",
        "TSMC": "organisation",
    }


def test_the_agency_as_a_credit_is_not_a_mention_but_named_in_a_sentence_it_is() -> None:
    body = "Yonhap photo shows Kim in Seoul. (Yonhap) Yonhap News Agency reported the visit."
    found = entities(body, [("ORG", "Yonhap"), ("ORG", "Yonhap"), ("ORG", "Yonhap News Agency")])
    assert [(e.name, e.mention_count) for e in found] == [("Yonhap News Agency", 1)]


def test_the_first_word_of_a_title_is_not_a_place_but_a_country_before_one_is() -> None:
    body = "former Defense Minister Kim met U.S. Secretary of State Rubio."
    found = group_mentions(
        spans_for(body, [("GPE", "Defense"), ("GPE", "U.S.")]),
        body=body,
        lexicon=LEXICON | {"defense", "u.s."},
    )
    assert [e.name for e in found] == ["United States"]


def test_a_company_written_with_its_legal_form_is_found_when_the_model_misses_it() -> None:
    body = "Meanwhile Huawei Technologies Co. and Xiaomi Corp. gained share."
    found = entities(body, [("ORG", "Xiaomi Corp.")])
    assert sorted(e.name for e in found) == ["Huawei Technologies", "Xiaomi"]


def test_a_city_club_with_fc_is_not_the_city() -> None:
    body = "Los Angeles FC won in Los Angeles."
    found = entities(body, [("ORG", "Los Angeles FC"), ("GPE", "Los Angeles")])
    assert {e.name: e.kind for e in found} == {
        "Los Angeles FC": "organisation",
        "Los Angeles": "place",
    }


def test_a_korean_family_name_that_is_also_a_title_word_stays_in_the_name() -> None:
    body = (
        "Forward Son Heung-min scored. Son, who joined LAFC, beat the LA Galaxy. Galaxy fans left."
    )
    found = entities(
        body,
        [
            ("PERSON", "Son Heung-min"),
            ("ORG", "LAFC"),
            ("ORG", "LA Galaxy"),
            ("PERSON", "Galaxy"),
        ],
    )
    assert {e.name: (e.kind, e.mention_count) for e in found} == {
        "Son Heung-min": ("person", 1),
        "LAFC": ("organisation", 1),
        "LA Galaxy": ("organisation", 2),
    }


def test_a_european_legal_form_makes_a_company() -> None:
    body = "Mercedes-Benz AG signed the deal."
    found = entities(body, [("PERSON", "Mercedes-Benz AG")])
    assert [(e.name, e.type) for e in found] == [("Mercedes-Benz", "ORG")]


def test_a_headline_abbreviation_names_the_same_body() -> None:
    body = "Natl Assembly passes bill. The National Assembly passed it on Thursday."
    found = entities(body, [("ORG", "Natl Assembly"), ("ORG", "National Assembly")])
    assert [(e.name, e.mention_count) for e in found] == [("National Assembly", 2)]


def test_a_company_the_gazetteer_knows_is_not_a_person_and_a_quoted_title_keeps_the() -> None:
    body = "She will star in HBO's 'The White Lotus,' and Netflix sought her."
    found = entities(body, [("ORG", "HBO"), ("GPE", "White Lotus"), ("PERSON", "Netflix")])
    assert {e.name: e.kind for e in found} == {
        "HBO": "organisation",
        "White Lotus": "other",
        "Netflix": "organisation",
    }


def test_a_one_word_name_before_a_weapon_is_the_product() -> None:
    body = "Hanwha Aerospace will export Chunmoo multiple rocket launchers to Poland."
    found = entities(body, [("ORG", "Hanwha Aerospace"), ("ORG", "Chunmoo"), ("GPE", "Poland")])
    assert {e.name: e.kind for e in found} == {
        "Hanwha Aerospace": "organisation",
        "Chunmoo": "other",
        "Poland": "place",
    }


def test_in_a_table_only_names_the_gazetteer_knows_are_kept_and_prose_is_no_table() -> None:
    prose = "The KOSPI rose 90.88 points, or 2.2 percent, to 4,220.56, as SK hynix rose 6 percent."
    table = (
        "Temperature (C) Condition Possibility High/Low Seoul -3/-8 Sunny 0Incheon -4/-8 Sunny 0"
    )
    body = f"{prose}\n\n{table}"
    assert table_paragraphs(body, [0, len(prose) + 2]) == {1}
    found = entities(
        body, [("ORG", "SK hynix"), ("ORG", "Condition Possibility High"), ("GPE", "Seoul")]
    )
    assert sorted(e.name for e in found) == ["SK hynix", "Seoul"]


def test_a_model_code_before_a_weapon_is_the_product_but_a_country_before_drones_stays() -> None:
    body = "The KF-21 Boramae fighter jet flew, while Ukraine drone attacks went on."
    found = entities(body, [("GPE", "KF-21 Boramae"), ("GPE", "Ukraine")])
    assert {e.name: e.kind for e in found} == {"KF-21 Boramae": "other", "Ukraine": "place"}


def test_a_quoted_title_that_looks_like_a_name_is_a_title() -> None:
    body = "Netflix's 'Squid Game' topped the chart, and Seong Gi-hun returned."
    found = entities(body, [("ORG", "Netflix"), ("PERSON", "Squid Game"), ("GPE", "Seong Gi-hun")])
    assert {e.name: e.kind for e in found} == {
        "Netflix": "organisation",
        "Squid Game": "other",
        "Seong Gi-hun": "person",
    }


def test_a_lone_city_the_model_took_for_a_person_is_the_city() -> None:
    body = "She denounced anti-Pyongyang leaflets."
    found = entities(body, [("PERSON", "Pyongyang")])
    assert [(e.name, e.kind) for e in found] == [("Pyongyang", "place")]


def test_a_club_nickname_typed_as_a_person_joins_a_club_named_like_a_person() -> None:
    body = "The Doosan Bears lost. The Bears have lost five straight."
    found = entities(body, [("PERSON", "Doosan Bears"), ("PERSON", "Bears")])
    assert [(e.name, e.kind, e.mention_count) for e in found] == [
        ("Doosan Bears", "organisation", 2)
    ]


def test_an_ordinary_word_only_the_conll_model_took_for_a_place_is_no_mention() -> None:
    import spacy
    from spacy.tokens import Span as DocSpan

    from streams.nlp.entities import NAMED_LABELS
    from streams.nlp.mentions import spans_of
    from streams.nlp.ner import ONTONOTES_KEY

    doc = spacy.blank("en")("Head of Logistics , in Tuscany , facing the West")
    doc.ents = [DocSpan(doc, i, i + 1, label="GPE") for i in (2, 5, 9)]
    doc.spans[ONTONOTES_KEY] = [DocSpan(doc, 5, 6, label="GPE")]  # spaCy found Tuscany
    lexicon = frozenset({"logistics", "tuscany", "west"})
    kept = [s.text for s in spans_of(doc, "body", NAMED_LABELS, lexicon=lexicon)]
    # "Tuscany" is confirmed by the spaCy model, "the West" is a compass place.
    assert kept == ["Tuscany", "West"]
    assert [s.text for s in spans_of(doc, "body", NAMED_LABELS)] == ["Logistics", "Tuscany", "West"]
