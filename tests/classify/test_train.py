"""The training script's data preparation: wire stories, pseudo-labels, extra IPTC texts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from streams.classify import ClassifyError, build, train
from streams.classify.model import MODEL_FILE, classify, load_model, read_model

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
    docs = train.load_conll(_conll(tmp_path), n_topics=17)
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
        train.load_conll(bad, n_topics=17)
    with pytest.raises(ClassifyError):
        train.load_conll(tmp_path / "missing.conll", n_topics=17)


def test_lead_keeps_the_headline_and_the_first_full_sentences(tmp_path: Path) -> None:
    story = train.load_conll(_conll(tmp_path), n_topics=17)[0]
    short = train.lead(story, sentences=2)
    assert short.headline == "Harbour strike ends ."
    assert short.body == (
        "Dock workers voted to return on Monday .\n\nShips began unloading cargo again soon ."
    )
    assert short.source == "lead"


def test_pseudo_labels_keep_only_confident_stories_with_their_top_topic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(train, "PSEUDO_MAX_PER_TOPIC", 1e9)
    docs = train.load_conll(_conll(tmp_path), n_topics=3)
    log_probs = np.log(np.asarray([[0.2, 0.7, 0.1], [0.4, 0.35, 0.25]], dtype=np.float32))
    kept = train.pseudo_label(docs, log_probs, min_confidence=0.5)
    assert [(d.category, d.label) for d in kept] == [("tiny.conll#0", 1)]
    assert kept[0].weight == train.PSEUDO_WEIGHT


def test_pseudo_labels_of_a_crowded_topic_share_a_capped_weight(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(train, "PSEUDO_MAX_PER_TOPIC", 1.0)
    docs = train.load_conll(_conll(tmp_path), n_topics=2)
    log_probs = np.log(np.asarray([[0.9, 0.1], [0.8, 0.2]], dtype=np.float32))
    kept = train.pseudo_label(docs, log_probs, min_confidence=0.5)
    assert [d.label for d in kept] == [0, 0]
    assert sum(d.weight for d in kept) == pytest.approx(train.PSEUDO_WEIGHT)


def test_wire_holdout_is_exactly_the_hand_labelled_bench_sample() -> None:
    lines = BENCH_SAMPLE.read_text(encoding="utf-8").splitlines()
    sample = {int(line.split("\t")[0]) for line in lines if line and not line.startswith("#")}
    assert sample == train.wire_holdout(946)
    assert train.wire_holdout(946) == train.wire_holdout(946)


def test_held_out_wire_stories_are_never_pseudo_labelled_for_training(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(train, "WIRE_HOLDOUT", 2)
    monkeypatch.setattr(train, "PSEUDO_MIN_CONFIDENCE", 0.0)
    monkeypatch.setattr(train, "LONG_PER_TOPIC", 2)
    sport, economy = 14, 3  # positions of medtop:15000000 and medtop:04000000
    labelled = [
        train.Doc("Striker scores twice in cup final", "The team won the match.", sport),
        train.Doc("Goalkeeper saves penalty in league game", "The club drew.", sport),
        train.Doc("Shares fall as bank profits drop", "Investors sold stocks.", economy),
        train.Doc("Central bank raises interest rates", "Markets and bonds slid.", economy),
    ]
    wires = [
        train.Doc(f"Club wins match number {i}", "The team scored.", -1, category=f"w#{i}")
        for i in range(6)
    ]
    trained = train.train_model(labelled * 3, [], n_classes=17, seed=1, wires=wires)
    held_out = {f"w#{i}" for i in train.wire_holdout(len(wires))}
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
    assert train.subject_code_texts(path) == [
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
    texts = train.media_topics_2019_texts(path, active={"medtop:03000000", "medtop:20000162"})
    assert texts == [("railway incident", "About railway incident", "medtop:03000000")]


def test_a_model_file_read_by_path_scores_like_the_packaged_model() -> None:
    packaged = Path(train.__file__).parent / "data" / MODEL_FILE
    other = read_model(packaged)
    assert other.version == load_model().version
    headline, body = "Central bank raises rates", "The bank lifted its key interest rate."
    assert classify(headline=headline, body=body, model=other) == classify(
        headline=headline, body=body
    )


def test_training_refuses_the_conll_sets_the_ner_evaluation_holds_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model.npz"
    assert train.main(["--conll", str(tmp_path / "eng.testa"), "--out", str(out)]) == 1
    assert "only CoNLL-2003 eng.train" in capsys.readouterr().err
    assert not out.exists()
