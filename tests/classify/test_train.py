"""Training the topic model: data readers, wire stories, pseudo-labels, IPTC texts, the run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from streams.classify import ClassifyError, build
from streams.classify.model import MODEL_FILE, classify, load_model, read_model
from streams.classify.training import (
    TrainOptions,
    all_data,
    artefact,
    corpus,
    run,
    selftrain,
    sources,
)

BENCH_SAMPLE = Path(__file__).resolve().parents[2] / "bench" / "conll_topics_sample.tsv"

# Invented stories in the CoNLL-2003 column layout (token POS chunk NER).
CONLL = """-DOCSTART- -X- -X- O

Harbour -NN- I-NP O
strike -NN- I-NP O
ends -VBZ- I-VP O
. . O O

Anna -NNP- I-NP I-PER
Berg -NNP- I-NP I-PER

PORTVILLE -NNP- I-NP I-LOC
2031-05-04 -CD- I-NP O

Dock -NN- I-NP O
workers -NNS- I-NP O
voted -VBD- I-VP O
to -TO- I-VP O
return -VB- I-VP O
on -IN- I-PP O
Monday -NNP- I-NP O
. . O O

Ships -NNS- I-NP O
began -VBD- I-VP O
unloading -VBG- I-VP O
cargo -NN- I-NP O
again -RB- I-ADVP O
soon -RB- I-ADVP O
. . O O

Talks -NNS- I-NP O
resume -VBP- I-VP O
. . O O

-DOCSTART- -X- -X- O

Rain -NN- I-NP O
halts -VBZ- I-VP O
play -NN- I-NP O
. . O O
"""


def _conll(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    return path


def test_conll_documents_become_unlabelled_stories_headline_first(tmp_path: Path) -> None:
    docs = sources.load_conll(_conll(tmp_path), n_topics=17)
    assert [d.headline for d in docs] == ["Harbour strike ends .", "Rain halts play ."]
    assert docs[0].body.split("\n\n") == [
        "Dock workers voted to return on Monday .",
        "Ships began unloading cargo again soon .",
        "Talks resume .",
    ], "byline and dateline are dropped"
    assert docs[1].body == ""
    assert all(d.label == -1 and d.source == "conll" for d in docs)
    assert [d.category for d in docs] == ["tiny.conll#0", "tiny.conll#1"]
    assert docs[0].allowed == tuple(range(17))


def test_unreadable_conll_file_is_a_classify_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("-DOCSTART- -X- -X- O\n\nlonely\n", encoding="utf-8")
    with pytest.raises(ClassifyError, match="cannot read CoNLL data"):
        sources.load_conll(bad, n_topics=17)
    with pytest.raises(ClassifyError):
        sources.load_conll(tmp_path / "missing.conll", n_topics=17)


def test_lead_keeps_the_headline_and_the_first_full_sentences(tmp_path: Path) -> None:
    story = sources.load_conll(_conll(tmp_path), n_topics=17)[0]
    short = corpus.lead(story, sentences=2)
    assert short.headline == "Harbour strike ends ."
    assert short.body == (
        "Dock workers voted to return on Monday .\n\nShips began unloading cargo again soon ."
    )
    assert short.source == "lead"


def test_pseudo_labels_keep_only_confident_stories_with_their_top_topic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftrain, "PSEUDO_MAX_PER_TOPIC", 1e9)
    docs = sources.load_conll(_conll(tmp_path), n_topics=3)
    log_probs = np.log(np.asarray([[0.2, 0.7, 0.1], [0.4, 0.35, 0.25]], dtype=np.float32))
    kept = selftrain.pseudo_label(docs, log_probs, min_confidence=0.5)
    assert [(d.category, d.label) for d in kept] == [("tiny.conll#0", 1)]
    assert kept[0].weight == selftrain.PSEUDO_WEIGHT


def test_pseudo_labels_of_a_crowded_topic_share_a_capped_weight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selftrain, "PSEUDO_MAX_PER_TOPIC", 1.0)
    docs = sources.load_conll(_conll(tmp_path), n_topics=2)
    log_probs = np.log(np.asarray([[0.9, 0.1], [0.8, 0.2]], dtype=np.float32))
    kept = selftrain.pseudo_label(docs, log_probs, min_confidence=0.5)
    assert [d.label for d in kept] == [0, 0]
    assert sum(d.weight for d in kept) == pytest.approx(selftrain.PSEUDO_WEIGHT)


def test_wire_holdout_is_exactly_the_hand_labelled_bench_sample() -> None:
    lines = BENCH_SAMPLE.read_text(encoding="utf-8").splitlines()
    sample = {int(line.split("\t")[0]) for line in lines if line and not line.startswith("#")}
    assert sample == corpus.wire_holdout(946)
    assert corpus.wire_holdout(946) == corpus.wire_holdout(946)


def test_held_out_wire_stories_are_never_pseudo_labelled_for_training(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(corpus, "WIRE_HOLDOUT", 2)
    monkeypatch.setattr(selftrain, "PSEUDO_MIN_CONFIDENCE", 0.0)
    monkeypatch.setattr(corpus, "LONG_PER_TOPIC", 2)
    sport, economy = 14, 3  # positions of medtop:15000000 and medtop:04000000
    labelled = [
        corpus.Doc("Striker scores twice in cup final", "The team won the match.", sport),
        corpus.Doc("Goalkeeper saves penalty in league game", "The club drew.", sport),
        corpus.Doc("Shares fall as bank profits drop", "Investors sold stocks.", economy),
        corpus.Doc("Central bank raises interest rates", "Markets and bonds slid.", economy),
    ]
    wires = [
        corpus.Doc(f"Club wins match number {i}", "The team scored.", -1, category=f"w#{i}")
        for i in range(6)
    ]
    trained = selftrain.train_model(labelled * 3, [], n_classes=17, seed=1, wires=wires)
    held_out = {f"w#{i}" for i in corpus.wire_holdout(len(wires))}
    assert len(held_out) == 2
    assert {d.category for d in trained.pseudo} == {d.category for d in wires} - held_out
    assert trained.wire_log_probs is not None and trained.wire_log_probs.shape == (6, 17)
    assert {d.label for d in trained.pseudo} == {sport}
    assert "number" not in trained.vocabulary, "a term only wire stories have is not kept"
    assert "club" in trained.vocabulary


def test_computer_industry_and_video_games_teach_science_and_technology() -> None:
    computing = ["medtop:04000000", "medtop:20000209", "medtop:20000225", "medtop:20000231"]
    assert build.taught_topic(computing) == build.SCIENCE
    assert build.taught_topic(["medtop:10000000", "medtop:20000538", "medtop:20000548"]) == (
        build.SCIENCE
    )
    assert build.taught_topic(["medtop:04000000", "medtop:20000209"]) == "medtop:04000000"


def test_subject_codes_give_level_1_topics_and_drop_deprecated_ones(tmp_path: Path) -> None:
    path = tmp_path / "codes.json"
    path.write_text(
        json.dumps(
            {
                "15000000": "sport",
                "15001000": "aero and aviation sport",
                "04003005": "software",
                "04001000": "agriculture",
                "01018001": "institution-DEPRECATED",
            }
        ),
        encoding="utf-8",
    )
    assert sources.subject_code_texts(path) == [
        ("agriculture", "", "medtop:04000000"),
        ("software", "", build.SCIENCE),
        ("sport", "", "medtop:15000000"),
        ("aero and aviation sport", "", "medtop:15000000"),
    ]


def test_2019_concepts_not_in_the_release_follow_broader_links_to_level_1(
    tmp_path: Path,
) -> None:
    base = "http://cv.iptc.org/newscodes/mediatopic/"

    def concept(qcode: str, label: str, broader: str | None) -> dict[str, object]:
        item: dict[str, object] = {
            "qcode": f"medtop:{qcode}",
            "prefLabel": {"en-GB": label, "fr": "autre"},
            "definition": {"en-GB": f"About {label}"},
        }
        if broader:
            item["broader"] = [base + broader]
        return item

    path = tmp_path / "export.json"
    path.write_text(
        json.dumps(
            {
                "conceptSet": [
                    concept("03000000", "disaster", None),
                    concept("20000162", "transport incident", "03000000"),
                    concept("20000165", "railway incident", "20000162"),
                ]
            }
        ),
        encoding="utf-8",
    )
    texts = sources.media_topics_2019_texts(path, active={"medtop:03000000", "medtop:20000162"})
    assert texts == [("railway incident", "About railway incident", "medtop:03000000")]


def test_a_model_file_read_by_path_is_the_one_scored(tmp_path: Path) -> None:
    packaged = load_model()
    headline, body = "Central bank raises rates", "The bank lifted its key interest rate."
    economy = packaged.qcodes.index("medtop:04000000")
    sport = packaged.qcodes.index("medtop:15000000")
    assert classify(headline=headline, body=body)[0].qcode == "medtop:04000000"
    # A copy of the packaged model whose economy and sport columns are swapped (and
    # sharpened, so the lexicon prior cannot outvote it) must call the same story sport:
    # read_model really reads the file it is given.
    weights = packaged.weights.copy() * 10.0
    weights[:, [economy, sport]] = weights[:, [sport, economy]]
    level2 = np.zeros((len(packaged.level2_qcodes), len(packaged.vocabulary)), dtype=np.float32)
    path = tmp_path / MODEL_FILE
    version = artefact.save_model(
        path,
        meta={**packaged.meta, "trained_on": "test"},
        vocabulary=sorted(packaged.vocabulary, key=packaged.vocabulary.__getitem__),
        weights=weights,
        bias=packaged.bias,
        level2=level2,
        background=[("bank", 3)],
    )
    swapped = read_model(path)
    assert swapped.version == version != packaged.version
    assert classify(headline=headline, body=body, model=swapped)[0].qcode == "medtop:15000000"


def test_training_refuses_the_conll_sets_the_ner_evaluation_holds_out(tmp_path: Path) -> None:
    out = tmp_path / "model.npz"
    with pytest.raises(ClassifyError, match=r"only CoNLL-2003 eng\.train"):
        run(TrainOptions(conll=tmp_path / "eng.testa", out=out))
    assert not out.exists()


def test_tokenised_headlines_are_put_back_into_edited_form() -> None:
    assert sources.detokenise("nfl drops papa john 's , names pizza hut") == (
        "nfl drops papa john's, names pizza hut"
    )
    assert sources.detokenise("why we do n't vote ( yet )") == "why we don't vote (yet)"
    assert sources.detokenise("the `` big '' deal") == 'the " big " deal'


def test_only_a_lower_cased_huffpost_file_is_detokenised(tmp_path: Path) -> None:
    tokenised = tmp_path / "fewshot.jsonl"
    tokenised.write_text(
        json.dumps({"headline": "papa john 's sales fall", "category": "BUSINESS"}) + "\n",
        encoding="utf-8",
    )
    edited = tmp_path / "full.jsonl"
    edited.write_text(
        json.dumps({"headline": "Why It 's Here", "short_description": "A b .", "category": "TECH"})
        + "\n",
        encoding="utf-8",
    )
    assert sources.load_huffpost(tokenised) == [
        corpus.Record("papa john's sales fall", "", "BUSINESS", "huffpost:fewshot.jsonl")
    ]
    assert sources.load_huffpost(edited)[0].headline == "Why It 's Here", "edited copy is kept"


def test_wikipedia_items_split_into_headline_and_lead_and_drop_multi_section_ones(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.jsonl"
    items = [
        {"text": "A quake hits Xland. Ten people die.", "categories": ["Disasters and accidents"]},
        {"text": "Court jails a mayor.", "categories": ["Law and crime"]},
        {"text": "Both.", "categories": ["Law and crime", "Politics and elections"]},
    ]
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    assert sources.load_wikipedia(path) == [
        corpus.Record(
            "A quake hits Xland.", "Ten people die.", "Disasters and accidents", "wikipedia"
        ),
        corpus.Record("Court jails a mayor.", "", "Law and crime", "wikipedia"),
    ]


@pytest.mark.parametrize(
    ("mapping", "sections"),
    [
        (
            sources.DEFAULT_WIKIPEDIA_MAPPING,
            [
                "Armed conflicts and attacks",
                "Disasters and accidents",
                "Law and crime",
                "Politics and elections",
                "International relations",
                "Business and economy",
                "Sports",
                "Health and environment",
                "Arts and culture",
                "Science and technology",
            ],
        ),
        (
            sources.DEFAULT_HUFFPOST_MAPPING,
            [
                "ARTS",
                "ARTS & CULTURE",
                "BLACK VOICES",
                "BUSINESS",
                "COLLEGE",
                "COMEDY",
                "CRIME",
                "CULTURE & ARTS",
                "DIVORCE",
                "EDUCATION",
                "ENTERTAINMENT",
                "ENVIRONMENT",
                "FIFTY",
                "FOOD & DRINK",
                "GOOD NEWS",
                "GREEN",
                "HEALTHY LIVING",
                "HOME & LIVING",
                "IMPACT",
                "LATINO VOICES",
                "MEDIA",
                "MONEY",
                "PARENTING",
                "PARENTS",
                "POLITICS",
                "QUEER VOICES",
                "RELIGION",
                "SCIENCE",
                "SPORTS",
                "STYLE",
                "STYLE & BEAUTY",
                "TASTE",
                "TECH",
                "THE WORLDPOST",
                "TRAVEL",
                "U.S. NEWS",
                "WEDDINGS",
                "WEIRD NEWS",
                "WELLNESS",
                "WOMEN",
                "WORLD NEWS",
                "WORLDPOST",
            ],
        ),
    ],
)
def test_every_section_of_the_training_data_is_mapped(mapping: Path, sections: list[str]) -> None:
    from streams.classify.mapping import load_mapping

    assert sorted(load_mapping(mapping)) == sorted(sections)


def test_each_source_is_split_on_its_own_and_held_out_texts_are_never_trained_on() -> None:
    politics = {"P": ("medtop:11000000",)}
    records = [corpus.Record(f"story {i}", "", "P") for i in range(20)]
    made = corpus.make_corpus(
        [
            corpus.LabelledSource("a", records, politics),
            corpus.LabelledSource("b", records[:10], politics, weight=0.5),
        ],
        {},
        seed=3,
        test_fraction=0.2,
    )
    assert {name: len(docs) for name, docs in made.test.items()} == {"a": 4, "b": 2}
    trained_a = {d.headline for d in made.train if d.source == "a"}
    assert len(trained_a) == 16 and not trained_a & {d.headline for d in made.test["a"]}
    assert {d.weight for d in made.train if d.source == "b"} == {0.5}


def test_each_data_file_is_a_source_of_its_own_name() -> None:
    from streams.classify.training.recipe import SOURCE_WEIGHTS, source_name

    names = [source_name(path) for path in all_data(TrainOptions()).huffpost]
    assert names == [
        "huffpost:first10000",
        "huffpost:2018-02-28_to_2018-05-01",
        "huffpost:fewshot_headlines_41x900",
        "huffpost:sports_politics_descriptions",
    ]
    assert source_name(sources.DEFAULT_WIKIPEDIA) == "wikipedia"
    assert set(SOURCE_WEIGHTS) <= {*names, "wikipedia"}, "a weight names no source"


def test_the_default_recipe_is_the_shipped_models_and_all_data_adds_the_new_files() -> None:
    shipped = TrainOptions()
    assert [p.name for p in shipped.huffpost] == ["News_Category_Dataset_v3.first10000.jsonl"]
    assert shipped.wikipedia is None and shipped.test_fraction == 0.2
    assert load_model().meta["training"]["texts"] == {"huffpost:first10000": 8000}
    everything = all_data(shipped)
    assert len(everything.huffpost) == 4 and everything.wikipedia == sources.DEFAULT_WIKIPEDIA
    assert everything.test_fraction == corpus.ALL_DATA_TEST_FRACTION
