"""The shipped NER: merging rules, offline loading, and what it finds in our own sentence."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from streams.nlp import ModelNotFoundError, load_model, model_tag
from streams.nlp.geo import nationality_of
from streams.nlp.model import BARE
from streams.nlp.ner import NER_DIR, ONTONOTES_KEY, merge_spans, widened_to_events
from streams.settings import Settings

SENTENCE = (
    "Maria Okafor, the chief executive of Harbourline Shipping, told reporters in Busan "
    "that the company would open an office in Brazil next year."
)


def test_a_conll_span_takes_the_ontonotes_label_with_the_same_coarse_type() -> None:
    conll = [(0, 2, "LOC"), (5, 6, "MISC")]
    ontonotes = [(0, 2, "LOC"), (5, 6, "NORP")]
    assert merge_spans(conll, ontonotes) == [(0, 2, "LOC"), (5, 6, "NORP")]


def test_conll_boundaries_win_and_an_identical_span_is_preferred() -> None:
    # OntoNotes includes the article ("the United States"); CoNLL does not.
    conll = [(1, 3, "LOC")]
    ontonotes = [(0, 3, "GPE"), (1, 3, "FAC")]
    assert merge_spans(conll, ontonotes) == [(1, 3, "FAC")]
    assert merge_spans(conll, [(0, 3, "GPE")]) == [(1, 3, "GPE")]


def test_a_disagreeing_ontonotes_type_never_changes_the_conll_type() -> None:
    # A club named after its city: CoNLL says ORG, OntoNotes says GPE.
    assert merge_spans([(0, 1, "ORG")], [(0, 1, "GPE")]) == [(0, 1, "ORG")]
    assert merge_spans([(0, 1, "LOC")], []) == [(0, 1, "GPE")]
    assert merge_spans([(0, 1, "PER")], [(0, 1, "ORG")]) == [(0, 1, "PERSON")]


def test_numeric_entities_stay_where_no_name_is_and_unconfirmed_names_go() -> None:
    conll = [(0, 2, "PER")]
    ontonotes = [(1, 3, "DATE"), (4, 5, "DATE"), (6, 7, "ORG")]
    assert merge_spans(conll, ontonotes) == [(0, 2, "PERSON"), (4, 5, "DATE")]


@pytest.fixture(scope="module")
def shipped(request: pytest.FixtureRequest) -> Any:
    monkeypatch = pytest.MonkeyPatch()

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    try:
        return load_model(Settings().nlp_models, ner="conll")
    finally:
        monkeypatch.undo()


def test_shipped_pipeline_loads_offline_and_finds_person_org_and_places(shipped: Any) -> None:
    doc = shipped(SENTENCE)
    found = {(e.text, e.label_) for e in doc.ents}
    assert ("Maria Okafor", "PERSON") in found
    assert ("Harbourline Shipping", "ORG") in found
    assert ("Busan", "GPE") in found
    assert ("Brazil", "GPE") in found


def test_shipped_pipeline_keeps_the_spacy_models_own_entities_on_the_doc(shipped: Any) -> None:
    doc = shipped(SENTENCE)
    assert any(s.label_ == "GPE" for s in doc.spans[ONTONOTES_KEY])
    assert "DATE" in {e.label_ for e in doc.ents}  # "next year": kept from the spaCy model


def test_model_tag_names_the_spacy_package_and_the_shipped_ner(shipped: Any) -> None:
    tag = model_tag(shipped)
    assert tag.startswith("en_core_web_sm")
    assert tag.endswith("+conll_ner-1.0.0")


def test_bare_model_is_the_spacy_ner_alone() -> None:
    bare = load_model(Settings().nlp_models, ner=BARE)
    assert bare.pipe_names == ["ner"]
    assert "+" not in model_tag(bare)


def test_unknown_shipped_ner_is_an_install_error_that_says_what_to_do() -> None:
    for name in ("no_such_ner", "../conll"):
        with pytest.raises(ModelNotFoundError, match="WIRESTREAM_NLP_NER=none"):
            load_model(Settings().nlp_models, ner=name)


def test_shipped_weights_carry_no_training_vocabulary() -> None:
    import spacy

    strings = json.loads((NER_DIR / "conll" / "vocab" / "strings.json").read_text("utf-8"))
    extra = set(strings) - set(spacy.blank("en").vocab.strings)
    assert extra <= {"PER", "ORG", "LOC", "MISC"}


def test_the_shipped_ner_is_the_default_setting() -> None:
    assert Settings().nlp_ner == "conll"


def test_an_unconfirmed_misc_name_is_an_event_by_its_words_else_a_nationality() -> None:
    words = ["Kenyan", "runners", "won", "the", "Seoul", "Marathon", "and", "Euro", "2024"]
    conll = [(0, 1, "MISC"), (4, 6, "MISC"), (7, 9, "MISC")]
    assert merge_spans(conll, [], words=words) == [
        (0, 1, "NORP"),
        (4, 6, "EVENT"),
        (7, 9, "EVENT"),
    ]


def test_a_person_the_ontonotes_model_calls_a_place_on_the_same_tokens_is_that_place() -> None:
    assert merge_spans([(3, 4, "PER")], [(3, 4, "GPE")]) == [(3, 4, "GPE")]
    # Different boundaries are not the same disagreement: the CoNLL span stays a person.
    assert merge_spans([(3, 5, "PER")], [(3, 4, "GPE")]) == [(3, 5, "PERSON")]


def test_an_organisation_the_ontonotes_model_calls_a_facility_is_that_facility() -> None:
    assert merge_spans([(0, 3, "ORG")], [(0, 3, "FAC")]) == [(0, 3, "FAC")]
    assert merge_spans([(0, 3, "ORG")], [(0, 2, "FAC")]) == [(0, 3, "ORG")]


def test_a_person_name_runs_to_the_end_of_a_hyphenated_given_name() -> None:
    # "Speaker Woo Won-shik said" as spaCy tokenises it.
    words = ["Speaker", "Woo", "Won", "-", "shik", "said"]
    spaces = [True, True, False, False, True, False]
    assert merge_spans([(1, 3, "PER")], [], words=words, spaces=spaces) == [(1, 5, "PERSON")]
    # Not across a space, not onto a capitalised word, not for other types.
    assert merge_spans([(1, 3, "ORG")], [], words=words, spaces=spaces) == [(1, 3, "ORG")]
    words2 = ["Seoul", "-", "Busan", "line"]
    spaces2 = [False, False, True, False]
    assert merge_spans([(0, 1, "PER")], [], words=words2, spaces=spaces2) == [(0, 1, "PERSON")]


# Token lists below are our own sentences as spaCy tokenises them.
MINISTRY = ["by", "the", "Ministry", "of", "Oceans", "and", "Fisheries", "."]


def test_an_organisation_cut_at_its_joining_words_is_rejoined_without_the_article() -> None:
    conll = [(2, 5, "ORG"), (6, 7, "ORG")]  # "Ministry of Oceans" + "Fisheries"
    ontonotes = [(1, 7, "ORG")]  # "the Ministry of Oceans and Fisheries"
    assert merge_spans(conll, ontonotes, words=MINISTRY) == [(2, 7, "ORG")]


def test_a_lone_legal_form_is_completed_to_the_company_name() -> None:
    words = ["HMM", "Co.", ",", "the", "shipping", "line", ",", "said"]
    assert merge_spans([(1, 2, "ORG")], [(0, 2, "ORG")], words=words) == [(0, 2, "ORG")]


def test_a_truncated_ministry_gets_the_rest_of_its_coordinated_name() -> None:
    words = ["the", "Ministry", "of", "Agriculture", ",", "Food", "and", "Rural", "Affairs", "said"]
    assert merge_spans([(1, 4, "ORG")], [(0, 9, "ORG")], words=words) == [(1, 9, "ORG")]
    # Not past the end of the name: the tail must end on a name word.
    assert merge_spans([(1, 4, "ORG")], [(0, 7, "ORG")], words=words) == [(1, 4, "ORG")]


def test_two_names_joined_by_and_outside_an_of_phrase_stay_two() -> None:
    words = ["Samsung", "Electronics", "and", "Hyundai", "Motor", "warned"]
    conll = [(0, 2, "ORG"), (3, 5, "ORG")]
    assert merge_spans(conll, [(0, 5, "ORG")], words=words) == conll


def test_a_company_name_ends_at_its_legal_form() -> None:
    words = ["Daewang", "Shipping", "Inc", "of", "Mokpo", "said"]
    conll = [(0, 3, "ORG"), (4, 5, "ORG")]
    assert merge_spans(conll, [(0, 5, "ORG")], words=words) == conll


def test_pieces_of_another_type_or_people_are_not_rejoined() -> None:
    words = ["University", "of", "Busan", "and", "Ian", "and", "Mary", "Lee"]
    # The CoNLL model calls "Busan" a place: its decision stands.
    assert merge_spans([(0, 1, "ORG"), (2, 3, "LOC")], [(0, 3, "ORG")], words=words) == [
        (0, 1, "ORG"),
        (2, 3, "GPE"),
    ]
    # "Ian and Mary Lee" are two people even when OntoNotes has one PERSON.
    people = [(4, 5, "PER"), (6, 8, "PER")]
    assert merge_spans(people, [(4, 8, "PERSON")], words=words) == [
        (4, 5, "PERSON"),
        (6, 8, "PERSON"),
    ]


def test_a_name_is_not_completed_with_a_title_or_a_full_name_extended() -> None:
    words = ["Hanwha", "Group", "Chairman", "Kim", "said"]
    # "Group" alone is a fragment, but "Chairman" is a title, not part of the name.
    assert merge_spans([(1, 2, "ORG")], [(0, 3, "ORG")], words=words) == [(1, 2, "ORG")]
    # A CoNLL span that is a name on its own keeps its boundaries.
    assert merge_spans([(0, 2, "ORG")], [(0, 3, "ORG")], words=words) == [(0, 2, "ORG")]


def test_shipped_pipeline_keeps_ministry_and_company_names_whole(shipped: Any) -> None:
    # On these sentences of ours the CoNLL model alone cuts each name in pieces.
    sentences = [
        "A spokesman for the Ministry of Agriculture, Food and Rural Affairs declined to comment.",
        "The Ministry of Trade, Industry and Energy said exports rose.",
        "HMM Co., the country's biggest shipping line, said it expected the backlog to clear.",
    ]
    found = [{(e.text, e.label_) for e in doc.ents} for doc in shipped.pipe(sentences)]
    assert ("Ministry of Agriculture, Food and Rural Affairs", "ORG") in found[0]
    assert ("Ministry of Trade, Industry and Energy", "ORG") in found[1]
    assert ("HMM Co.", "ORG") in found[2]


def test_a_name_after_an_organisation_descriptor_or_ending_in_bank_is_an_organisation() -> None:
    words = ["shares", "of", "carmaker", "Volvo", "rose", "while", "Indusind", "Bank", "fell"]
    assert merge_spans([(3, 4, "PER"), (6, 8, "PER")], [], words=words) == [
        (3, 4, "ORG"),
        (6, 8, "ORG"),
    ]
    people = ["talks", "with", "lawyer", "Smith", "and", "Ian", "Banks"]
    assert merge_spans([(3, 4, "PER"), (5, 7, "PER")], [], words=people) == [
        (3, 4, "PERSON"),
        (5, 7, "PERSON"),
    ]


def test_places_on_either_side_of_a_fixture_are_clubs_but_countries_and_players_stay() -> None:
    words = ["Grimsby", "v", "Portsmouth", ",", "England", "v", "Poland", ",", "Graf", "v", "Seles"]
    conll = [(0, 1, "LOC"), (2, 3, "LOC"), (4, 5, "LOC"), (6, 7, "LOC"), (8, 9, "PER")]
    conll.append((10, 11, "PER"))
    assert [label for *_, label in merge_spans(conll, [], words=words)] == [
        "ORG",
        "ORG",
        "GPE",
        "GPE",
        "PERSON",
        "PERSON",
    ]
    prose = ["the", "letter", "v", "in", "Seoul"]
    assert merge_spans([(4, 5, "LOC")], [], words=prose) == [(4, 5, "GPE")]


def test_a_country_stem_before_a_common_noun_is_a_nationality_not_a_place() -> None:
    words = ["a", "deal", "with", "a", "Kazakh", "company", "and", "Serb", "forces"]
    assert merge_spans([(4, 5, "LOC"), (7, 8, "LOC")], [], words=words) == [
        (4, 5, "NORP"),
        (7, 8, "NORP"),
    ]
    # Alone or before a name it stays the country, as CoNLL writes it ("( Czech )").
    listed = ["Bohdan", "Ulihrach", "(", "Czech", ")"]
    assert merge_spans([(3, 4, "LOC")], [], words=listed) == [(3, 4, "GPE")]
    titled = ["Philippine", "President", "Ramos"]
    assert merge_spans([(0, 1, "LOC")], [], words=titled) == [(0, 1, "GPE")]


def test_only_a_stem_that_is_no_place_itself_names_a_nationality() -> None:
    assert nationality_of("Kazakh") == "Kazakhstan"
    assert nationality_of("Uzbek") == "Uzbekistan"
    assert nationality_of("Niger") is None  # a country itself, not Nigeria's people
    assert nationality_of("Surinam") is None  # a spelling of Suriname
    assert nationality_of("Seoul") is None


def test_a_piece_of_a_named_day_is_widened_to_the_whole_event() -> None:
    words = ["such", "as", "Black", "Friday", "sales"]
    assert merge_spans([(2, 3, "LOC")], [(2, 4, "EVENT")], words=words) == [(2, 4, "EVENT")]
    assert widened_to_events([(2, 3, "LOC")], [(2, 4, "EVENT")], words=words) == [(2, 4, "MISC")]
    # In capitals the rest may be any word: "WORLD CUP QUALIFIER" keeps "WORLD CUP".
    caps = ["WORLD", "CUP", "QUALIFIER", "."]
    assert widened_to_events([(0, 2, "MISC")], [(0, 3, "EVENT")], words=caps) == [(0, 2, "MISC")]
    # The event's other words must be names: "Friday sales" is no name.
    lower = ["Black", "Friday", "sales"]
    assert widened_to_events([(0, 1, "LOC")], [(0, 3, "EVENT")], words=lower) == [(0, 1, "LOC")]


def test_a_club_alone_between_commas_in_a_list_of_fixtures_is_a_club() -> None:
    words = [
        "Ipswich",
        ",",
        "Port",
        "Vale",
        "v",
        "Oxford",
        ",",
        "Reading",
        "v",
        "Stoke",
        ",",
        "Southend",
        "v",
    ]
    conll = [(0, 1, "LOC"), (2, 4, "ORG"), (5, 6, "LOC"), (7, 8, "LOC"), (9, 10, "LOC")]
    conll.append((11, 12, "LOC"))
    assert {label for *_, label in merge_spans(conll, [], words=words)} == {"ORG"}
    one = ["Fans", "in", "Seoul", ",", "Busan", "v", "Ulsan", "."]
    assert merge_spans([(2, 3, "LOC")], [], words=one) == [(2, 3, "GPE")]


def test_training_adds_static_vectors_to_the_embedding_only_when_asked() -> None:
    from streams.nlp.train import NER_MODEL, ner_model

    assert ner_model(static_vectors=True)["tok2vec"]["embed"]["include_static_vectors"] is True
    assert ner_model(static_vectors=False)["tok2vec"]["embed"]["include_static_vectors"] is False
    assert NER_MODEL["tok2vec"]["embed"]["include_static_vectors"] is False  # not mutated


def test_training_defaults_reproduce_the_shipped_weights_architecture() -> None:
    from thinc.api import Config

    from streams.nlp.train import ner_model

    shipped = Config().from_disk(NER_DIR / "conll" / "config.cfg")
    assert dict(shipped["components"]["ner"]["model"]) == ner_model(static_vectors=False)


def test_training_architecture_sets_widths_depth_and_hash_rows_together() -> None:
    from streams.nlp.train import Architecture, ner_model

    arch = Architecture(width=128, depth=6, window=2, hidden_width=96, rows=(9, 8, 7, 6))
    config = ner_model(static_vectors=False, architecture=arch)
    embed, encode = config["tok2vec"]["embed"], config["tok2vec"]["encode"]
    assert (embed["width"], encode["width"], encode["depth"]) == (128, 128, 6)
    assert (encode["window_size"], config["hidden_width"]) == (2, 96)
    assert embed["rows"] == [9, 8, 7, 6]


def test_training_refuses_row_counts_that_do_not_match_the_attributes() -> None:
    from streams.nlp.train import Architecture, ner_model

    with pytest.raises(ValueError, match="3 row counts for 4 attributes"):
        ner_model(static_vectors=False, architecture=Architecture(rows=(1, 2, 3)))
