"""CoNLL reading, tag schemes, label mapping and exact-span scoring, on hand-made examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.eval.ner import (
    ConllFormatError,
    Counts,
    Sentence,
    Span,
    iob1_to_iob2,
    iob2_to_iob1,
    micro,
    parse_conll,
    read_conll,
    score_spans,
    sentences,
    tag_spans,
    to_conll_label,
)

# Invented sentences in the original four-column IOB1 layout.
IOB1_FILE = """\
-DOCSTART- -X- O O

Mayor NNP I-NP O
Ana NNP I-NP I-PER
Lopes NNP I-NP I-PER
visited VBD I-VP O
Porto NNP I-NP I-LOC
. . O O

Ana NNP I-NP I-PER
Bruno NNP I-NP B-PER
spoke VBD I-VP O

-DOCSTART- -X- O O

Harbour NNP I-NP I-ORG
Trust NNP I-NP I-ORG
rose VBD I-VP O
"""

IOB2_FILE = """\
Harbour B-ORG
Trust I-ORG
met O
Ana B-PER
Bruno B-PER
"""


def test_iob1_file_reads_into_documents_and_sentences() -> None:
    docs = parse_conll(IOB1_FILE.splitlines())
    assert [len(d.sentences) for d in docs] == [2, 1]
    first = docs[0].sentences[0]
    assert first.tokens == ("Mayor", "Ana", "Lopes", "visited", "Porto", ".")
    assert first.spans == [Span(1, 3, "PER"), Span(4, 5, "LOC")]


def test_iob1_b_tag_separates_two_touching_entities_of_one_type() -> None:
    second = parse_conll(IOB1_FILE.splitlines())[0].sentences[1]
    assert second.spans == [Span(0, 1, "PER"), Span(1, 2, "PER")]


def test_iob2_file_with_two_columns_reads_the_same_way() -> None:
    (doc,) = parse_conll(IOB2_FILE.splitlines())
    assert doc.sentences[0].spans == [Span(0, 2, "ORG"), Span(3, 4, "PER"), Span(4, 5, "PER")]


def test_a_file_without_docstart_is_one_document() -> None:
    assert len(parse_conll(IOB2_FILE.splitlines())) == 1


def test_read_conll_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "tiny.conll"
    path.write_text(IOB1_FILE, encoding="utf-8")
    assert sum(1 for _ in sentences(read_conll(path))) == 3


def test_a_line_without_a_tag_is_a_format_error_with_its_line_number() -> None:
    with pytest.raises(ConllFormatError, match="line 2"):
        parse_conll(["Ana I-PER", "Lopes"])
    with pytest.raises(ConllFormatError, match="not an IOB tag"):
        parse_conll(["Ana PERSON"])


def test_tag_spans_starts_a_span_at_i_after_o_or_another_type() -> None:
    assert tag_spans(["O", "I-LOC", "I-ORG", "I-ORG"]) == [Span(1, 2, "LOC"), Span(2, 4, "ORG")]
    assert tag_spans(["B-MISC", "I-MISC", "O"]) == [Span(0, 2, "MISC")]


def test_iob_conversions_round_trip() -> None:
    iob1 = ["I-PER", "B-PER", "O", "I-LOC", "I-LOC", "I-ORG"]
    iob2 = ["B-PER", "B-PER", "O", "B-LOC", "I-LOC", "B-ORG"]
    assert iob1_to_iob2(iob1) == iob2
    assert iob2_to_iob1(iob2) == iob1


def test_char_spans_index_the_space_joined_text() -> None:
    s = Sentence(
        ("Mayor", "Ana", "Lopes", "visited", "Porto"), ("O", "I-PER", "I-PER", "O", "I-LOC")
    )
    assert s.text == "Mayor Ana Lopes visited Porto"
    assert s.char_spans() == [(6, 15, "PER"), (24, 29, "LOC")]
    assert [s.text[a:b] for a, b, _ in s.char_spans()] == ["Ana Lopes", "Porto"]


@pytest.mark.parametrize(
    ("ontonotes", "conll"),
    [
        ("PERSON", "PER"),
        ("ORG", "ORG"),
        ("GPE", "LOC"),
        ("LOC", "LOC"),
        ("FAC", "LOC"),
        ("NORP", "MISC"),
        ("EVENT", "MISC"),
        ("LAW", "MISC"),
        ("DATE", None),
        ("CARDINAL", None),
    ],
)
def test_ontonotes_labels_map_to_conll_types(ontonotes: str, conll: str | None) -> None:
    assert to_conll_label(ontonotes) == conll


def test_scoring_counts_only_exact_spans_of_the_same_type() -> None:
    gold = [[(0, 5, "PER"), (10, 15, "LOC")], [(0, 3, "MISC")]]
    pred = [[(0, 5, "PER"), (10, 14, "LOC"), (20, 25, "ORG")], [(0, 3, "ORG")]]
    counts = score_spans(gold, pred)
    assert counts["PER"] == Counts(tp=1, fp=0, fn=0)
    assert counts["LOC"] == Counts(tp=0, fp=1, fn=1)  # a boundary miss is both
    assert counts["ORG"] == Counts(tp=0, fp=2, fn=0)
    assert counts["MISC"] == Counts(tp=0, fp=0, fn=1)
    total = micro(counts)  # PER + ORG + LOC: tp 1, fp 3, fn 1
    assert total == Counts(tp=1, fp=3, fn=1)
    assert total.precision == pytest.approx(1 / 4)
    assert total.recall == pytest.approx(1 / 2)
    assert total.f1 == pytest.approx(2 * 0.25 * 0.5 / 0.75)


def test_scores_of_nothing_are_zero_not_an_error() -> None:
    assert Counts().f1 == 0.0
    assert score_spans([[]], [[]])["PER"] == Counts()


def test_gold_and_predictions_must_be_parallel() -> None:
    with pytest.raises(ValueError):
        score_spans([[]], [[], []])
