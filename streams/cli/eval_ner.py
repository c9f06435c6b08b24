"""`wirestream eval ner`: entity F1 on a CoNLL file, Wirestream beside the bare spaCy model."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from streams.cli.common import fail, settings, stderr_is_tty
from streams.errors import WirestreamError
from streams.eval.ner import (
    CONLL_TYPES,
    MAIN_TYPES,
    ConllFormatError,
    Counts,
    Labelled,
    Sentence,
    micro,
    read_conll,
    score_spans,
    to_conll_label,
)

HELP = (
    "Score named entities against a CoNLL-2003 style file (IOB1 or IOB2, tag in the last "
    "column): precision, recall and F1 per type on exact spans, for Wirestream and for the "
    "bare spaCy model side by side, in one run.\n\n"
    "Each sentence is given to both pipelines as its tokens joined by spaces; a prediction "
    "counts only when its characters, start to end, and its type match a gold entity. "
    "Wirestream then reads the sentences of each document together, as the entity stage "
    "reads an article: a surname alone is the person the document names in full "
    "('Edberg' after 'Stefan Edberg'), a company's name without its legal form the company "
    "('Lonrho' after 'Lonrho Plc'). The bare model is scored a sentence at a time.\n\n"
    "Both pipelines answer in OntoNotes labels, mapped to CoNLL types: PERSON -> PER; "
    "ORG -> ORG; GPE, LOC, FAC -> LOC; NORP, EVENT, PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> "
    "MISC. Numeric and temporal labels (DATE, MONEY, CARDINAL ...) are not scored.\n\n"
    "The headline figure is the micro average over PER, ORG and LOC.\n\n"
    "With --baseline-ner NAME the baseline column is the Wirestream pipeline with the "
    "shipped NER weights NAME (a folder under streams/nlp/ner/) instead of the bare model, "
    "so two NER weights are compared in one run (the first column uses WIRESTREAM_NLP_NER).\n\n"
    "Example: wirestream eval ner ../shared/data/conll2003/eng.testa"
)


def predict(
    nlp: Any,
    items: Sequence[tuple[int, Sentence]],
    *,
    desc: str,
    batch_size: int,
    story: bool = True,
) -> list[list[Labelled]]:
    """Predicted spans of each sentence; ``items`` pairs a sentence with its document's index.

    The model reads a sentence at a time. With ``story`` the sentences of one document
    are then read together as the entity stage reads an article's headline and body:
    a lone surname of a person the document names in full is that person, a company's
    name without its legal form that company (:func:`streams.nlp.ner.read_as_story`).
    """
    from tqdm import tqdm

    from streams.nlp.ner import read_as_story

    def texts() -> Iterator[str]:
        # Always shown (on stderr): an evaluation takes minutes even when logged to a file.
        bar = tqdm(items, desc=desc, unit="sent", mininterval=0.2 if stderr_is_tty() else 5.0)
        for _, s in bar:
            yield s.text

    docs = list(nlp.pipe(texts(), batch_size=batch_size))
    if story:
        by_document: dict[int, list[Any]] = {}
        for (document, _), doc in zip(items, docs, strict=True):
            by_document.setdefault(document, []).append(doc)
        for story_docs in by_document.values():
            read_as_story(story_docs)
    out: list[list[Labelled]] = []
    for doc in docs:
        spans: list[Labelled] = []
        for ent in doc.ents:
            label = to_conll_label(ent.label_)
            if label is not None:
                spans.append((ent.start_char, ent.end_char, label))
        out.append(spans)
    return out


def _cells(c: Counts) -> str:
    return f"{c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"


def report(
    ours: dict[str, Counts],
    bare: dict[str, Counts],
    *,
    ours_name: str,
    bare_name: str,
    gold_total: Iterable[int] = (),
) -> str:
    """The side-by-side table `eval ner` prints."""
    width = 22
    head = f"{'type':<12} {ours_name[:width]:>{width}} {bare_name[:width]:>{width}} {'dF1':>7}"
    sub = f"{'':<12} {'P      R      F1':>{width}} {'P      R      F1':>{width}}"
    lines = [head, sub]
    rows = [(t, ours[t], bare[t]) for t in CONLL_TYPES]
    rows.append(("PER+ORG+LOC", micro(ours, MAIN_TYPES), micro(bare, MAIN_TYPES)))
    for name, a, b in rows:
        lines.append(f"{name:<12} {_cells(a):>{width}} {_cells(b):>{width}} {a.f1 - b.f1:+7.3f}")
    return "\n".join(lines)


def ner(
    file: Annotated[Path, typer.Argument(help="CoNLL file (token ... NER-tag per line).")],
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="Score only the first N sentences."),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Sentences per nlp.pipe batch.")
    ] = 256,
    baseline_ner: Annotated[
        str | None,
        typer.Option(
            "--baseline-ner",
            help="Shipped NER weights for the baseline column instead of the bare model "
            "(e.g. 'conll'); 'none' is the bare model.",
        ),
    ] = None,
) -> None:
    from streams.nlp.model import BARE, load_model, model_tag

    try:
        documents = read_conll(file)
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    except (ConllFormatError, UnicodeDecodeError) as exc:
        fail(f"{file} is not a CoNLL NER file: {exc}")
    items = [(i, s) for i, document in enumerate(documents) for s in document.sentences][:limit]
    if not items:
        fail(f"{file} has no sentences")
    cfg = settings()
    try:
        wirestream = load_model(cfg.nlp_models, ner=cfg.nlp_ner)
        bare = load_model(cfg.nlp_models, ner=baseline_ner or BARE)
    except WirestreamError as exc:
        fail(exc)
    bare_name = "bare model" if (baseline_ner or BARE) == BARE else f"ner {baseline_ner}"
    gold = [s.char_spans() for _, s in items]
    ours = score_spans(gold, predict(wirestream, items, desc="wirestream", batch_size=batch_size))
    # The bare model is scored as published, a sentence at a time; a shipped NER as the
    # entity stage runs it.
    base = score_spans(
        gold,
        predict(
            bare, items, desc=bare_name, batch_size=batch_size, story=bare_name != "bare model"
        ),
    )
    n_gold = sum(len(g) for g in gold)
    typer.echo(
        f"{file}: {len(documents)} documents, {len(items)} sentences, {n_gold} entities "
        f"(exact spans)"
    )
    ours_name = "wirestream" if bare_name == "bare model" else f"ner {cfg.nlp_ner}"
    typer.echo(report(ours, base, ours_name=ours_name, bare_name=bare_name))
    typer.echo(f"{ours_name}: {model_tag(wirestream)} ({', '.join(wirestream.pipe_names)})")
    typer.echo(f"{bare_name}: {model_tag(bare)} ({', '.join(bare.pipe_names)})")


# typer takes a command's help from its docstring; HELP is also shown in the README.
ner.__doc__ = HELP
