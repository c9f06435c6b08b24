"""`wirestream eval topics`: IPTC level-1 accuracy on labelled news, model beside the lexicon."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from streams.cli.common import fail, warn
from streams.errors import WirestreamError

HELP = (
    "Score IPTC Media Topics level 1 against labelled news files: top-1 accuracy (lenient: "
    "any topic the label accepts; strict: labels with one topic only), the label's topic among "
    "the first two published tags, macro-F1, per-outlet figures, a confusion table and the "
    "confusion among politics / conflict / crime / disaster, for Wirestream's topic model beside "
    "the lexicon baseline (and, with --baseline-model, an earlier model file), in one run.\n\n"
    "FILE is JSON lines (or a JSON array) or CSV/TSV with a header. The text is the headline "
    "or title field plus the description, body or text field(s); the label is the label, "
    "category or class field (override with --text-field/--label-field); an outlet, source or "
    "site field gives per-outlet figures. A CSV without a header is read as "
    "label,title,description (the AG News layout). Several FILEs take one --mapping each, "
    "in order.\n\n"
    '--mapping maps each label to one or more IPTC level-1 topics: TOML or JSON ({"LABEL": '
    '"medtop:11000000", "OTHER": ["medtop:16000000", "politics"]}) or lines '
    '"LABEL,CODE[,CODE...]". Codes may be written medtop:11000000, 11000000, 11 or by English '
    "name.\n\n"
    "Example, the held-out splits `wirestream train topics --heldout-dir /tmp/ws` writes: "
    "wirestream eval topics /tmp/ws/huffpost-heldout.jsonl /tmp/ws/wikipedia-heldout.jsonl "
    "-m streams/classify/data/huffpost_iptc.toml -m streams/classify/data/wikipedia_iptc.toml"
)


def topics(
    files: Annotated[
        list[Path], typer.Argument(help="Labelled news: JSON lines, JSON or CSV/TSV.")
    ],
    mapping: Annotated[
        list[Path],
        typer.Option(
            "--mapping",
            "-m",
            help="Label -> IPTC level-1 topic(s): TOML, JSON or CSV; one per FILE, in order.",
        ),
    ],
    text_field: Annotated[
        list[str] | None,
        typer.Option(
            "--text-field",
            help="Field(s) holding the text, headline first (repeat the option); "
            "default: detected.",
        ),
    ] = None,
    label_field: Annotated[
        str | None,
        typer.Option("--label-field", help="Field holding the label; default: detected."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N records.")
    ] = None,
    baseline_model: Annotated[
        Path | None,
        typer.Option(
            "--baseline-model", help="Also score this topic model file (an earlier model)."
        ),
    ] = None,
) -> None:
    """Top-1, first-two, per-outlet and alert-class confusion of IPTC topics on labelled news."""
    from streams.classify import classify, classify_lexicon, model_version, topic_names
    from streams.classify.iptc import vocabulary_version
    from streams.classify.mapping import load_mapping
    from streams.classify.model import TopicModel, read_model
    from streams.eval.topics import (
        LabelledText,
        Prediction,
        TopicReport,
        evaluate,
        format_report,
        read_labelled,
    )

    if len(mapping) != len(files):
        fail(f"give one --mapping per FILE ({len(files)} files, {len(mapping)} mappings)")

    def model_tagger(model: TopicModel | None) -> Callable[[LabelledText], Prediction]:
        def ranked(item: LabelledText) -> Prediction:
            # The level-1 tags the stage publishes with its default settings.
            tags = classify(headline=item.headline, body=item.body, level2=False, model=model)
            return [t.qcode for t in tags]

        return ranked

    def lexicon_tagger(item: LabelledText) -> Prediction:
        return [t.qcode for t in classify_lexicon(headline=item.headline, body=item.body)]

    try:
        taggers: dict[str, Callable[[LabelledText], Prediction]] = {"model": model_tagger(None)}
        versions = f"model {model_version()}, lexicon {vocabulary_version()}"
        if baseline_model is not None:
            earlier = read_model(baseline_model)
            taggers["baseline model"] = model_tagger(earlier)
            versions += f", baseline model {earlier.version}"
        taggers["lexicon"] = lexicon_tagger
        names = topic_names()
        typer.echo(versions)
        for file, mapping_file in zip(files, mapping, strict=True):
            labels = load_mapping(mapping_file)
            items = read_labelled(file, text_fields=text_field, label_field=label_field)
            if limit is not None:
                items = items[:limit]
            reports: dict[str, TopicReport] = {}
            unmapped: Counter[str] = Counter()
            for name, tagger in taggers.items():
                reports[name], unmapped = evaluate(items, labels, tagger)
            if unmapped:
                shown = ", ".join(f"{label!r} ({n})" for label, n in unmapped.most_common(10))
                warn(
                    f"{file}: skipped {sum(unmapped.values())} records whose label is not in "
                    f"the mapping: {shown}"
                )
            if reports["model"].total == 0:
                fail(f"no record of {file} has a label in {mapping_file}")
            typer.echo(f"\n== {file}: {reports['model'].total} labelled stories")
            typer.echo(format_report(reports, names=names, mapping=labels))
    except WirestreamError as exc:
        fail(exc)


topics.__doc__ = HELP
