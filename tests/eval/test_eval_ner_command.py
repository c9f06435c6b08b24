"""`wirestream eval ner` on a tiny CoNLL file of our own sentences."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span
from typer.testing import CliRunner

from streams.cli.eval_ner import predict
from streams.cli.main import app
from streams.eval.ner import parse_conll

TINY = """\
-DOCSTART- -X- O O

Maria B-PER
Okafor I-PER
flew O
to O
Brazil B-LOC
. O

The O
Harbourline B-ORG
Shipping I-ORG
board O
met O
in O
Busan B-LOC
. O
"""


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.conll"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_eval_ner_prints_both_pipelines_per_type_and_the_micro_average(tiny: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "ner", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "1 documents, 2 sentences, 4 entities" in result.output
    for row in ("PER ", "ORG ", "LOC ", "MISC ", "PER+ORG+LOC"):
        assert row in result.output
    assert "wirestream" in result.output and "bare model" in result.output


def test_eval_ner_limit_scores_only_the_first_sentences(tiny: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "ner", str(tiny), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "1 sentences, 2 entities" in result.output


def test_eval_ner_says_what_is_wrong_with_a_file_that_is_not_conll(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Maria PERSON\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "ner", str(path)])
    assert result.exit_code == 2
    assert "not a CoNLL NER file" in result.output


def test_eval_ner_baseline_ner_puts_two_shipped_weights_side_by_side(tiny: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "ner", str(tiny), "--baseline-ner", "conll"])
    assert result.exit_code == 0, result.output
    assert "ner conll" in result.output
    assert "bare model" not in result.output


def test_eval_ner_baseline_ner_that_is_not_shipped_is_an_error(tiny: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "ner", str(tiny), "--baseline-ner", "nosuch"])
    assert result.exit_code != 0
    assert "nosuch" in result.output


class _Stub:
    """A pipeline that finds only the full name "Ada Brook" (a model reading one sentence)."""

    def __init__(self) -> None:
        import spacy

        self.blank = spacy.blank("en")

    def pipe(self, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
        for text in texts:
            doc = self.blank(text)
            words = [t.text for t in doc]
            doc.ents = [
                Span(doc, i, i + 2, label="PERSON")
                for i in range(len(words) - 1)
                if words[i : i + 2] == ["Ada", "Brook"]
            ]
            yield doc


def test_eval_ner_reads_a_documents_sentences_together_for_lone_surnames() -> None:
    documents = parse_conll(
        "-DOCSTART- -X- O O\n\nAda B-PER\nBrook I-PER\nwon O\n\nBrook B-PER\nsmiled O\n\n"
        "-DOCSTART- -X- O O\n\nBrook B-PER\nlost O\n".splitlines()
    )
    items = [(i, s) for i, d in enumerate(documents) for s in d.sentences]
    together = predict(_Stub(), items, desc="t", batch_size=8)
    alone = predict(_Stub(), items, desc="t", batch_size=8, story=False)
    assert together == [[(0, 9, "PER")], [(0, 5, "PER")], []]
    # Another document's Brook is not this one's; without the story step neither is found.
    assert alone == [[(0, 9, "PER")], [], []]
