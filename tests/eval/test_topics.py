"""Topic evaluation on tiny hand-computed examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.eval.topics import (
    NO_TOPIC,
    EvalInputError,
    LabelledText,
    evaluate,
    format_report,
    parse_labelled,
    read_labelled,
)

POL, WAR, SPORT, ECON = "medtop:11000000", "medtop:16000000", "medtop:15000000", "medtop:04000000"
MAPPING = {"World": (POL, WAR), "Sports": (SPORT,), "Business": (ECON,)}


def _items(*pairs: tuple[str, str]) -> list[LabelledText]:
    return [LabelledText(headline=text, body="", label=label) for label, text in pairs]


def test_accuracy_macro_f1_and_confusion_by_hand() -> None:
    # text -> predicted topic
    predicted = {"w1": WAR, "w2": SPORT, "s1": SPORT, "s2": SPORT, "b1": ECON, "b2": None}
    items = _items(
        ("World", "w1"), ("World", "w2"), ("Sports", "s1"), ("Sports", "s2"),
        ("Business", "b1"), ("Business", "b2"),
    )  # fmt: skip
    report, unmapped = evaluate(items, MAPPING, lambda item: predicted[item.headline])
    assert not unmapped
    assert report.total == 6
    assert report.correct == 4  # w1 (war is acceptable for World), s1, s2, b1
    assert report.accuracy == pytest.approx(4 / 6)
    # gold: w1 -> WAR (hit), w2 -> POL (miss, FP sport), s1/s2 -> SPORT, b1 -> ECON, b2 -> ECON
    # F1: WAR 1, POL 0, SPORT 2*2/(4+1+0) = 0.8, ECON 2*1/(2+0+1) = 2/3
    assert report.f1(WAR) == 1.0
    assert report.f1(POL) == 0.0
    assert report.f1(SPORT) == pytest.approx(0.8)
    assert report.f1(ECON) == pytest.approx(2 / 3)
    assert report.macro_f1 == pytest.approx((1 + 0 + 0.8 + 2 / 3) / 4)
    assert report.confusion["World"] == {WAR: 1, SPORT: 1}
    assert report.confusion["Business"] == {ECON: 1, NO_TOPIC: 1}
    assert report.single_total == 4 and report.single_correct == 3


def test_labels_missing_from_the_mapping_are_counted_not_scored() -> None:
    report, unmapped = evaluate(_items(("Weird", "x"), ("Sports", "y")), MAPPING, lambda _: SPORT)
    assert report.total == 1
    assert unmapped == {"Weird": 1}


def test_report_shows_both_taggers_and_a_confusion_row_per_label() -> None:
    items = _items(("Sports", "a"), ("Business", "b"))
    ours, _ = evaluate(items, MAPPING, lambda _: SPORT)
    base, _ = evaluate(items, MAPPING, lambda _: ECON)
    text = format_report(
        {"model": ours, "lexicon": base},
        names={SPORT: "sport", ECON: "economy, business and finance"},
        mapping=MAPPING,
    )
    assert "top-1 accuracy (n=2)" in text
    assert "0.500" in text
    assert "confusion, model" in text and "confusion, lexicon" in text
    assert "Business" in text and "Sports" in text


def test_json_lines_with_headline_description_and_category() -> None:
    text = '{"headline": "H", "short_description": "D", "category": "SPORTS"}\n'
    assert parse_labelled(text) == [LabelledText("H", "D", "SPORTS")]


def test_csv_with_header_and_integer_labels() -> None:
    text = 'text,label\n"Stocks fell, dollar rose",2\n'
    assert parse_labelled(text) == [LabelledText("", "Stocks fell, dollar rose", "2")]


def test_headerless_csv_is_read_as_label_title_description() -> None:
    text = '"3","Wall St. Bears Claw Back","Short-sellers are seeing green again.\\"'
    [item] = parse_labelled(text)
    assert item.label == "3"
    assert item.headline == "Wall St. Bears Claw Back"
    assert item.body.startswith("Short-sellers")


def test_chosen_fields_override_detection() -> None:
    text = '{"title": "T", "content": "C", "topic": "x", "label": "y"}\n'
    [item] = parse_labelled(text, text_fields=["title", "content"], label_field="topic")
    assert item == LabelledText("T", "C", "x")


def test_a_record_without_label_is_an_error_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"headline": "H", "category": "A"}\n{"headline": "H2"}\n')
    with pytest.raises(EvalInputError, match=r"bad.jsonl:2: no label"):
        read_labelled(path)


CRIME, DISASTER = "medtop:02000000", "medtop:03000000"


def test_ranked_predictions_score_the_first_two_and_each_outlet() -> None:
    items = [
        LabelledText("a", "", "Sports", outlet="x"),
        LabelledText("b", "", "Business", outlet="x"),
        LabelledText("c", "", "Business", outlet="y"),
    ]
    ranked = {"a": [SPORT, ECON], "b": [POL, ECON], "c": [POL, SPORT, ECON]}
    report, _ = evaluate(items, MAPPING, lambda item: ranked[item.headline])
    assert report.ranked
    assert (report.correct, report.first_two) == (1, 2)  # c has economy third only
    assert (report.by_outlet["x"].total, report.by_outlet["x"].correct) == (2, 1)
    assert report.by_outlet["x"].first_two == 2
    assert (report.by_outlet["y"].correct, report.by_outlet["y"].first_two) == (0, 0)
    text = format_report({"model": report}, names={}, mapping=MAPPING)
    assert "label's topic in first two" in text and "0.667" in text
    assert "per outlet" in text and "0.500 / 1.000" in text


def test_alert_classes_get_their_own_confusion_from_one_topic_labels() -> None:
    mapping = {"Crime": (CRIME,), "Disaster": (DISASTER,), "War": (WAR,), "World": (POL, WAR)}
    items = _items(("Crime", "1"), ("Crime", "2"), ("Disaster", "3"), ("War", "4"), ("World", "5"))
    predicted = {"1": CRIME, "2": WAR, "3": SPORT, "4": None, "5": WAR}
    report, _ = evaluate(items, mapping, lambda item: predicted[item.headline])
    assert report.alert_confusion == {
        CRIME: {CRIME: 1, WAR: 1},
        DISASTER: {"other": 1},
        WAR: {NO_TOPIC: 1},
    }, "World accepts two topics, so it has no single gold alert class"
    assert "alert classes, model" in format_report({"model": report}, names={}, mapping=mapping)


def test_a_top_one_tagger_is_not_scored_on_the_first_two() -> None:
    report, _ = evaluate(_items(("Sports", "a")), MAPPING, lambda _: SPORT)
    assert not report.ranked
    assert "first two" not in format_report({"model": report}, names={}, mapping=MAPPING)


def test_an_outlet_field_is_read_with_the_record() -> None:
    text = '{"headline": "H", "category": "politics", "outlet": "tass.com"}\n'
    assert parse_labelled(text) == [LabelledText("H", "", "politics", "tass.com")]
