"""Mentions to canonical entities: names, titles, acronyms, grouping, on our invented stories.

The stories in ``fixtures/`` come with the spans an NER model returns for them,
so grouping is tested on its own, whatever the model's accuracy.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemas import Entity
from streams.nlp import canonical, entity_input, extract_entities
from streams.nlp.entities import group_mentions
from tests.nlp.fixtures.stories import Story, all_stories, load


def entities_of(story: Story) -> list[Entity]:
    return group_mentions(
        story.spans(), body=story.body, headline=story.headline, dateline=story.dateline
    )


def by_name(entities: list[Entity], name: str) -> Entity:
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, f"{name!r} is {len(found)} entities: {[e.name for e in entities]}"
    return found[0]


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kim Jong-un", "Kim Jong Un"),
        ("Kim Jong-un", "KIM JONG UN"),
        ("U.S.", "US"),
        ("the United States", "United States"),
        ("São Paulo", "Sao Paulo"),
    ],
)
def test_spelling_variants_share_a_name_key(a: str, b: str) -> None:
    assert canonical.name_key(a) == canonical.name_key(b)


def test_different_names_of_one_family_keep_different_keys() -> None:
    keys = {canonical.name_key(n) for n in ("Kim Jong-un", "Kim Jong-il", "Kim Il-sung")}
    assert len(keys) == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South Korea's", "South Korea"),
        ("North Korea-", "North Korea"),
        ("the National Assembly", "National Assembly"),
        ("Koreas'", "Koreas"),
        ("U.S.-led", "U.S."),
    ],
)
def test_clean_mention_strips_what_is_not_part_of_the_name(text: str, expected: str) -> None:
    cleaned = canonical.clean_mention(text, 10)
    assert cleaned is not None
    assert cleaned.text == expected
    assert cleaned.start + len(cleaned.text) == cleaned.end
    assert text[cleaned.start - 10 : cleaned.end - 10] == expected


@pytest.mark.parametrize(
    "text",
    [
        "President",
        "Vice Minister",
        "LEAD",
        "ATTN",
        "2nd LD",
        "4,221.87",
        "a@yna.co.kr",
        "Jan.",
        "Sept.",
        "December",
    ],
)
def test_clean_mention_drops_lone_titles_markup_and_noise(text: str) -> None:
    assert canonical.clean_mention(text, 0) is None


def test_clean_mention_splits_a_trailing_acronym_off() -> None:
    cleaned = canonical.clean_mention("National Intelligence Service (NIS)", 0)
    assert cleaned is not None
    assert (cleaned.text, cleaned.acronym) == ("National Intelligence Service", "NIS")


@pytest.mark.parametrize(
    ("acronym", "name", "expected"),
    [
        ("NIS", "National Intelligence Service", True),
        ("USFK", "U.S. Forces Korea", True),
        ("KRX", "Korea Exchange", True),
        ("BAI", "Board of Audit and Inspection", True),
        ("NIS", "Korea Exchange", False),
    ],
)
def test_acronyms_match_their_expansions_only(acronym: str, name: str, expected: bool) -> None:
    assert canonical.acronym_matches(acronym, name) is expected


def test_a_title_glued_to_a_name_is_split_off() -> None:
    assert canonical.split_title("National Assembly Speaker Woo Won-shik") == (
        "National Assembly Speaker",
        "Woo Won-shik",
    )
    assert canonical.split_title("Chief Executive Kang Min-jun") == (
        "Chief Executive",
        "Kang Min-jun",
    )


def test_company_names_that_start_with_a_title_word_are_not_split() -> None:
    assert canonical.split_title("General Electric") == (None, "General Electric")
    assert canonical.split_title("General Motors") == (None, "General Motors")
    assert canonical.split_title("President Lee") == (None, "President Lee")
    assert canonical.split_title("President Lee", allow_single=True) == ("President", "Lee")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Leaders met. North Korean leader Kim", "North Korean leader"),
        (
            "the war, said former Soviet Union Prime Minister Nikita",
            "former Soviet Union Prime Minister",
        ),
        ("and former Soviet Union Prime Minister Nikita", "former Soviet Union Prime Minister"),
        ("at a time when U.S. President Donald", "U.S. President"),
        ("It was North Korea. Foreign Minister Cho", "Foreign Minister"),
        ("standing with Russia's Vladimir", None),
        ("accompanied by his daughter, Ju", None),
    ],
)
def test_title_written_before_a_name(text: str, expected: str | None) -> None:
    name_start = text.rindex(" ") + 1
    assert canonical.title_before(text, name_start) == expected


def test_dateline_agency_is_recognised_only_in_dateline_position() -> None:
    text = "SEOUL, Jan. 9 (Yonhap) -- Yonhap reported"
    first = text.index("Yonhap")
    second = text.rindex("Yonhap")
    assert canonical.is_dateline_agency(text, first, first + 6)
    assert not canonical.is_dateline_agency(text, second, second + 6)


# --- grouping on the invented stories ---------------------------------------------------


def test_short_kim_mentions_go_to_the_right_member_of_the_family() -> None:
    story = load("kim_family")
    entities = entities_of(story)
    leader = by_name(entities, "Kim Jong-un")
    founder = by_name(entities, "Kim Il-sung")
    sister = by_name(entities, "Kim Yo-jong")
    # Headline "Kim", the lead, "Kim toured" (before the founder is named in that
    # paragraph), "Kim Jong Un" and the last paragraph's "Kim".
    assert leader.mention_count == 5
    assert set(leader.surface_forms) == {"Kim", "Kim Jong-un", "Kim Jong Un"}
    # "Kim led it until his death": the founder named just before in the paragraph.
    assert founder.mention_count == 3
    # "Kim said the North would respond": the sister named just before.
    assert sister.mention_count == 2
    assert [e.name for e in entities if e.name == "Kim"] == []


def test_two_different_full_names_never_merge() -> None:
    entities = entities_of(load("kim_family"))
    people = {e.name for e in entities if e.type == "PERSON"}
    assert {"Kim Jong-un", "Kim Il-sung", "Kim Yo-jong"} <= people


def test_surnames_of_foreign_leaders_resolve_to_their_full_names() -> None:
    entities = entities_of(load("summit_leaders"))
    xi = by_name(entities, "Xi Jinping")
    putin = by_name(entities, "Vladimir Putin")
    assert set(xi.surface_forms) == {"Xi", "Xi Jinping"}
    assert set(putin.surface_forms) == {"Putin", "Vladimir Putin"}
    assert not {"Xi", "Putin"} & {e.name for e in entities}


def test_a_name_seen_as_person_elsewhere_is_a_person() -> None:
    # The headline's "Putin" is labelled ORG by the model.
    entities = entities_of(load("summit_leaders"))
    putin = by_name(entities, "Vladimir Putin")
    assert putin.type == "PERSON"
    assert putin.in_headline
    kang = by_name(entities_of(load("shipyard_companies")), "Kang Min-jun")
    assert kang.type == "PERSON"
    assert kang.mention_count == 3


def test_title_is_split_from_a_person_the_model_labelled_as_organisation() -> None:
    entities = entities_of(load("speaker_titles"))
    woo = by_name(entities, "Woo Won-shik")
    assert woo.type == "PERSON"
    assert woo.kind == "person"
    assert woo.title == "National Assembly Speaker"
    assert set(woo.surface_forms) == {"Woo Won-shik", "Woo"}
    assert "National Assembly Speaker Woo Won-shik" not in {e.name for e in entities}


def test_titles_come_from_the_words_before_a_name() -> None:
    assert by_name(entities_of(load("speaker_titles")), "Cho Hyun").title == "Foreign Minister"
    summit = entities_of(load("summit_leaders"))
    assert by_name(summit, "Xi Jinping").title == "Chinese President"


def test_acronym_joins_its_expansion() -> None:
    nis = by_name(entities_of(load("speaker_titles")), "National Intelligence Service")
    assert set(nis.surface_forms) == {"National Intelligence Service", "NIS"}
    assert nis.mention_count == 3
    krx = by_name(entities_of(load("shipyard_companies")), "Korea Exchange")
    assert set(krx.surface_forms) == {"Korea Exchange", "KRX"}


def test_possessive_trailing_hyphen_and_lone_title_are_cleaned() -> None:
    entities = entities_of(load("speaker_titles"))
    names = {e.name for e in entities}
    assert "South Korea's" not in names and "South Korea" in names
    assert "North Korea-" not in names
    assert by_name(entities, "North Korea").mention_count == 2
    assert "President" not in names


def test_country_aliases_merge_into_one_country() -> None:
    entities = entities_of(load("kim_family"))
    assert by_name(entities, "United States").wikidata == "Q30"
    speaker = entities_of(load("speaker_titles"))
    us = by_name(speaker, "United States")
    assert "U.S. State Department" in {e.name for e in speaker}
    assert us.mention_count == 1


def test_company_suffix_does_not_make_another_company() -> None:
    entities = entities_of(load("shipyard_companies"))
    hanwha = by_name(entities, "Hanwha Ocean")
    assert set(hanwha.surface_forms) == {"Hanwha Ocean", "Hanwha Ocean Co."}
    assert hanwha.type == "ORG"


def test_compound_place_adjective_links_to_the_place() -> None:
    seoul = by_name(entities_of(load("shipyard_companies")), "Seoul")
    assert seoul.surface_forms == ["Seoul"]
    assert seoul.in_dateline


def test_wire_markup_and_the_dateline_agency_never_become_entities() -> None:
    story = load("wire_markup")
    names = {e.name for e in entities_of(story)}
    assert not names & set(story.gold["absent"])
    assert "Yonhap News Agency" in names


def test_dateline_city_not_named_in_the_text_is_a_place_without_mentions() -> None:
    seoul = by_name(entities_of(load("speaker_titles")), "Seoul")
    assert seoul.in_dateline
    assert seoul.mentions == []
    assert seoul.geo is not None and seoul.geo.country_code == "KR"


@pytest.mark.parametrize("story", all_stories(), ids=lambda s: s.id)
def test_every_gold_entity_is_found_with_its_kind_link_and_title(story: Story) -> None:
    entities = entities_of(story)
    for gold in story.gold["entities"]:
        keys = {canonical.name_key(n) for n in [gold["name"], *gold.get("aliases", [])]}
        found = [e for e in entities if canonical.name_key(e.name) in keys]
        assert len(found) == 1, f"{gold['name']}: {[e.name for e in entities]}"
        entity = found[0]
        assert entity.kind == gold["kind"], gold["name"]
        if "wikidata" in gold:
            assert entity.wikidata == gold["wikidata"], gold["name"]
        if "title" in gold:
            assert entity.title == gold["title"], gold["name"]
        if "country_code" in gold:
            code = entity.geo.country_code if entity.geo else None
            assert code == gold["country_code"], gold["name"]
    for name, count in story.gold.get("mention_counts", {}).items():
        assert by_name(entities, name).mention_count == count, name


@pytest.mark.parametrize("story", all_stories(), ids=lambda s: s.id)
def test_mention_offsets_point_at_the_text_they_name(story: Story) -> None:
    for entity in entities_of(story):
        for m in entity.mentions:
            source = story.headline if m.section == "headline" else story.body
            assert source[m.start : m.end] == m.text


@pytest.mark.parametrize("story", all_stories(), ids=lambda s: s.id)
def test_grouping_is_deterministic_and_sorted(story: Story) -> None:
    first, second = entities_of(story), entities_of(story)
    assert first == second
    assert [(-e.relevance, e.name) for e in first] == sorted((-e.relevance, e.name) for e in first)
    for e in first:
        if e.wikidata is None:
            assert e.local_id is not None and e.local_id.startswith("ws:")
            assert len(e.local_id) == 15
        else:
            assert e.uri == f"http://www.wikidata.org/entity/{e.wikidata}"


def test_local_id_depends_on_type_and_name_only() -> None:
    kim = by_name(entities_of(load("kim_family")), "Kim Yo-jong")
    again = by_name(entities_of(load("kim_family")), "Kim Yo-jong")
    assert kim.local_id == again.local_id
    other = by_name(entities_of(load("kim_family")), "Kim Il-sung")
    assert kim.local_id != other.local_id


def test_entity_model_derives_summary_fields_from_mentions() -> None:
    entity = Entity.model_validate(
        {
            "name": "Kim",
            "type": "PERSON",
            "mentions": [
                {"text": "Kim", "section": "headline", "start": 0, "end": 3},
                {"text": "Kim", "section": "body", "paragraph": 0, "start": 4, "end": 7},
            ],
        }
    )
    assert (entity.kind, entity.mention_count, entity.surface_forms) == ("person", 2, ["Kim"])
    assert entity.in_headline and entity.in_lead


# --- with the real model ------------------------------------------------------------------


def test_dateline_agency_in_a_body_never_reaches_the_entities(nlp: Any) -> None:
    story = load("wire_markup")
    (entities,) = extract_entities(
        nlp,
        [entity_input(headline=story.headline, paragraphs=story.paragraphs, dateline=["JEJU"])],
    )
    names = {e.name for e in entities}
    assert not names & {"Yonhap", "LEAD", "ATTN", "ADDS", "JEJU"}


@pytest.mark.parametrize("text", ["May", "June", "Theresa May", "Jan Egeland", "March First"])
def test_clean_mention_keeps_names_that_are_also_months(text: str) -> None:
    cleaned = canonical.clean_mention(text, 0)
    assert cleaned is not None and cleaned.text == text
