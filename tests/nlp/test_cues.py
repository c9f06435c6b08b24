"""Types and non-names from the words around a mention, the way agency copy writes them.

Spans are written by hand (what the CoNLL model gives on such sentences), so the rules
are tested apart from the model.
"""

from __future__ import annotations

import re

import pytest

from schemas import Entity
from streams.nlp import cues
from streams.nlp.entities import group_mentions
from streams.nlp.mentions import Span

LEXICON = frozenset({"court", "carmaker", "compensation", "defense", "lion", "giant"})


def entities(body: str, *spans: tuple[str, str], lexicon: frozenset[str] = LEXICON) -> list[Entity]:
    """Entities of ``body`` from (label, text) spans, each at its first free occurrence."""
    found: list[Span] = []
    for label, text in spans:
        m = next(
            m
            for m in re.finditer(rf"\b{re.escape(text)}(?!\w)", body)
            if not any(s.start < m.end() and m.start() < s.end for s in found)
        )
        found.append(Span(label, text, "body", m.start(), m.end()))
    return group_mentions(found, body=body, lexicon=lexicon)


def types(found: list[Entity]) -> dict[str, str]:
    return {e.name: e.type for e in found}


def test_a_descriptor_before_a_company_makes_it_an_organisation_whatever_its_shape() -> None:
    body = (
        "Defense giant Hanwha Aerospace rose, and nuclear power plant builder Doosan "
        "Enerbility fell. Hanwha Aerospace said more orders would come."
    )
    found = entities(
        body,
        ("PERSON", "Hanwha Aerospace"),
        ("PERSON", "Doosan Enerbility"),
        ("PERSON", "Hanwha Aerospace"),
    )
    assert types(found) == {"Hanwha Aerospace": "ORG", "Doosan Enerbility": "ORG"}


def test_a_descriptor_covers_every_name_of_a_list_and_makes_people() -> None:
    body = "The members Haerin and Hyein will return, the label said. Haerin thanked fans."
    found = entities(body, ("GPE", "Haerin"), ("GPE", "Hyein"), ("GPE", "Haerin"))
    assert types(found) == {"Haerin": "PERSON", "Hyein": "PERSON"}


def test_a_descriptor_does_not_pass_to_a_name_of_another_kind_in_the_list() -> None:
    body = "He joined founder Kim Il-sung, Chinese founder Mao Zedong and others."
    found = entities(body, ("PERSON", "Kim Il-sung"), ("NORP", "Chinese"), ("PERSON", "Mao Zedong"))
    assert types(found)["Chinese"] == "NORP"


def test_a_person_named_before_a_car_body_is_a_product() -> None:
    body = "Kim rode the black Maybach sedan. He later arrived in a Maybach with his sister."
    found = entities(body, ("PERSON", "Maybach"), ("PERSON", "Maybach"))
    assert types(found) == {"Maybach": "PRODUCT"}
    assert found[0].kind == "other"


def test_an_airline_before_jet_is_still_the_airline() -> None:
    body = "The Jeju Air jet from Bangkok crashed. Jeju Air apologised."
    found = entities(body, ("NORP", "Jeju Air"), ("ORG", "Jeju Air"), ("GPE", "Bangkok"))
    assert types(found)["Jeju Air"] == "ORG"


@pytest.mark.parametrize("opener", ["Courts", "Carmakers", "Compensation", "Defense"])
def test_an_ordinary_word_opening_a_sentence_is_not_a_name(opener: str) -> None:
    body = f"The ruling stood. {opener} rejected the appeal on Monday."
    assert entities(body, ("ORG", opener)) == []


def test_an_ordinary_word_the_story_also_writes_inside_a_sentence_stays_a_name() -> None:
    body = "Lions won again. The Samsung Lions lead the league."
    found = entities(body, ("ORG", "Lions"), ("ORG", "Samsung Lions"))
    assert [e.name for e in found] == ["Samsung Lions"]
    assert found[0].mention_count == 2


def test_without_a_lexicon_sentence_openers_are_kept() -> None:
    body = "The ruling stood. Courts rejected the appeal on Monday."
    assert [e.name for e in entities(body, ("ORG", "Courts"), lexicon=frozenset())] == ["Courts"]


@pytest.mark.parametrize(
    ("span", "kept"),
    [
        (("ORG", "Hybe. The"), "Hybe"),  # a sentence break inside the span
        (("PERSON", "Gen. Xavier Brunson"), "Xavier Brunson"),  # an abbreviation is not one
    ],
)
def test_a_span_stops_at_a_sentence_break_but_not_at_an_abbreviation(
    span: tuple[str, str], kept: str
) -> None:
    body = f"The dispute with {span[1]} members went on."
    assert [e.name for e in entities(body, span)] == [kept]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        (("ORG", "LLC"), []),  # a legal form alone
        (("PERSON", "Museum Director"), []),  # only a title
        (("ORG", "ADOR Chief Executive"), ["ADOR"]),  # a company and its officer's title
    ],
)
def test_legal_forms_and_titles_alone_are_not_names(
    span: tuple[str, str], expected: list[str]
) -> None:
    body = f"Shares of {span[1]} Min rose."
    assert [e.name for e in entities(body, span)] == expected


def test_the_lexicon_comes_from_the_installed_model(nlp: object) -> None:
    words = cues.common_words(nlp)
    assert {"court", "compensation", "giant"} <= words
    assert "hanwha" not in words
    assert cues.is_common_word("Courts", words) and not cues.is_common_word("Hybe", words)


def test_a_model_without_lemma_tables_gives_no_lexicon() -> None:
    from types import SimpleNamespace

    blank = SimpleNamespace(meta={"lang": "xx", "name": "not_installed"})
    assert cues.common_words(blank) == frozenset()


def test_roles_after_a_name_make_it_an_organisation_but_not_a_nationality() -> None:
    body = (
        "Coupang founder Kim Bom-suk apologised. South Korean stocks fell as Coupang shares slid."
    )
    found = entities(
        body, ("PERSON", "Coupang"), ("PERSON", "Kim Bom-suk"), ("NORP", "South Korean")
    )
    assert types(found) == {"Coupang": "ORG", "Kim Bom-suk": "PERSON", "South Korean": "NORP"}


@pytest.mark.parametrize(
    ("body", "span", "expected"),
    [
        ("The label sued Danielle, whom it dropped.", ("GPE", "Danielle"), "PERSON"),
        ("Lee will meet Zhao Leji, chairman of the body.", ("GPE", "Zhao Leji"), "PERSON"),
        ("The label's parent company, Hybe, said so.", ("PERSON", "Hybe"), "ORG"),
    ],
)
def test_an_apposition_or_a_descriptor_with_a_comma_types_the_name(
    body: str, span: tuple[str, str], expected: str
) -> None:
    assert types(entities(body, span)) == {span[1]: expected}


@pytest.mark.parametrize(
    ("body", "acronym"),
    [
        ("It runs a 3,000 twenty-foot equivalent unit (TEU) ship.", "TEU"),
        ("Indexes such as PER (price-to-earnings ratio) rose.", "PER"),
    ],
)
def test_the_acronym_of_lowercase_words_is_not_a_name(body: str, acronym: str) -> None:
    assert entities(body, ("ORG", acronym)) == []


def test_an_acronym_of_a_name_still_is_one() -> None:
    body = "The Bank of Korea (BOK) held rates. The BOK said so."
    found = entities(body, ("ORG", "Bank of Korea"), ("ORG", "BOK"), ("ORG", "BOK"))
    assert [e.name for e in found] == ["Bank of Korea"]


def test_places_written_together_as_a_modifier_are_not_a_place() -> None:
    body = "Korea-China relations improved, Seoul said."
    assert [e.name for e in entities(body, ("GPE", "Korea-China"), ("GPE", "Seoul"))] == ["Seoul"]


def test_a_sector_word_before_a_descriptor_is_not_a_name() -> None:
    body = "Prices rose. Bio giant Samsung Biologics shed 0.6 percent."
    found = entities(body, ("ORG", "Bio"), ("PERSON", "Samsung Biologics"))
    assert types(found) == {"Samsung Biologics": "ORG"}


def test_a_name_the_gazetteer_knows_is_not_a_person_for_its_shape() -> None:
    body = "Cheong Wa Dae said the trip was set."
    assert types(entities(body, ("PERSON", "Cheong Wa Dae"))) == {"Cheong Wa Dae": "FAC"}


def test_services_named_after_a_company_of_the_story_are_not_people() -> None:
    body = (
        "E-commerce giant Coupang Inc. will pay customers. Paid Coupang Wow members get "
        "coupons, Coupang said. Coupang Eats users get 5,000 won, and Coupang apologised."
    )
    found = entities(
        body,
        ("ORG", "Coupang Inc."),
        ("PERSON", "Coupang Wow"),
        ("PERSON", "Coupang"),
        ("PERSON", "Coupang Eats"),
        ("PERSON", "Coupang"),
    )
    assert types(found) == {"Coupang": "ORG", "Coupang Wow": "ORG", "Coupang Eats": "ORG"}
    assert by_name(found, "Coupang").mention_count == 3


def test_a_known_place_stays_a_place_after_a_word_that_reads_as_a_title() -> None:
    body = "Russia sent gifts to the leader's sister N. Korea set to mark New Year."
    found = entities(body, ("PERSON", "N. Korea"))
    assert types(found) == {"North Korea": "GPE"}


def test_a_name_ending_a_sentence_loses_the_full_stop_but_not_its_abbreviation() -> None:
    body = "It cited the Ministry of Data and Statistics. Shares of Hyundai Motor Co. rose."
    found = entities(
        body, ("ORG", "Ministry of Data and Statistics."), ("ORG", "Hyundai Motor Co.")
    )
    assert {e.name for e in found} == {"Ministry of Data and Statistics", "Hyundai Motor"}
    assert "Hyundai Motor Co." in by_name(found, "Hyundai Motor").surface_forms


def by_name(found: list[Entity], name: str) -> Entity:
    return next(e for e in found if e.name == name)


def test_a_name_before_its_of_joins_the_longer_name() -> None:
    body = "The National Museum of Korea drew 6.5 million. The National Museum said so."
    found = entities(body, ("FAC", "National Museum of Korea"), ("ORG", "National Museum"))
    assert [e.name for e in found] == ["National Museum of Korea"]
    assert found[0].mention_count == 2


def test_llp_is_a_legal_form() -> None:
    body = "It signed with Restopark KZ LLP, a Kazakhstan-based operator."
    assert types(entities(body, ("PERSON", "Restopark KZ LLP"))) == {"Restopark KZ": "ORG"}


def test_a_headline_opener_the_body_writes_inside_a_name_is_kept() -> None:
    headline = "Lee departs for Beijing"
    body = "President Lee Jae Myung left for Beijing on Sunday."
    spans = [
        Span("GPE", "Lee", "headline", 0, 3),
        Span("PERSON", "Lee Jae Myung", "body", 10, 23),
    ]
    found = group_mentions(spans, body=body, headline=headline, lexicon=frozenset({"lee"}))
    assert [(e.name, e.in_headline) for e in found] == [("Lee Jae Myung", True)]


def test_an_unknown_place_before_a_vessel_noun_is_the_vessel() -> None:
    body = "The trial of the captain of the shipwrecked Costa Concordia cruise liner began."
    found = entities(body, ("GPE", "Costa Concordia"))
    assert types(found) == {"Costa Concordia": "PRODUCT"}
    assert found[0].kind == "other"
    # A place the gazetteer knows is where the ship sails from.
    known = entities("The Busan ferry left at noon.", ("GPE", "Busan"))
    assert types(known) == {"Busan": "GPE"}


def test_a_name_after_island_of_is_a_place_in_every_mention() -> None:
    body = "The ship ran aground near the island of Giglio. Giglio residents helped."
    found = entities(body, ("GPE", "Giglio"), ("PERSON", "Giglio"))
    assert types(found) == {"Giglio": "GPE"}
    assert (
        cues.context_label(
            body, body.index("Giglio"), body.index("Giglio") + 6, model_label="PERSON"
        )
        == "GPE"
    )


def test_a_body_spelt_out_before_its_acronym_is_that_organisation() -> None:
    body = (
        "The Australian Sports Anti-Doping Authority (ASADA) announced new tests. "
        "ASADA said samples would be stored."
    )
    found = entities(body, ("NORP", "Australian"), ("GPE", "ASADA"), ("GPE", "ASADA"))
    assert types(found) == {"Australian Sports Anti-Doping Authority": "ORG"}
    assert sorted(found[0].surface_forms) == ["ASADA", "Australian Sports Anti-Doping Authority"]


def test_a_dateline_city_with_its_country_is_the_city() -> None:
    found = group_mentions([], body="The trial began.", dateline=["GROSSETO, Italy"])
    assert [e.name for e in found] == ["Grosseto"]
    assert found[0].in_dateline


def test_wire_staples_the_model_mistypes_are_typed_by_the_curated_gazetteer() -> None:
    body = (
        "The strike hit the tower housing the Al Jazeera bureau, and Hamas and Islamic Jihad "
        "fired rockets. Clashes spread in the occupied West Bank."
    )
    found = entities(
        body,
        ("PERSON", "Al Jazeera"),
        ("ORG", "Hamas"),
        ("PERSON", "Islamic Jihad"),
        ("ORG", "West Bank"),
    )
    assert {e.name: e.kind for e in found} == {
        "Al Jazeera": "organisation",
        "Hamas": "organisation",
        "Islamic Jihad": "organisation",
        "West Bank": "place",
    }


def test_a_quoted_name_with_a_competitions_word_is_an_event_not_a_title() -> None:
    body = (
        "Tests at the 'Tour Down Under' will be the toughest. The 'Tour Down Under' starts today."
    )
    found = entities(body, ("WORK_OF_ART", "Tour Down Under"), ("ORG", "Tour Down Under"))
    assert types(found) == {"Tour Down Under": "EVENT"}
    titled = entities('He starred in "Squid Game" last year.', ("ORG", "Squid Game"))
    assert types(titled) == {"Squid Game": "WORK_OF_ART"}
