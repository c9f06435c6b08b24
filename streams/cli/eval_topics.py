"""`wirestream eval topics`: IPTC level-1 accuracy on labelled news, model beside the lexicon."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from streams.cli.common import fail, warn
from streams.errors import WirestreamError

HELP = (
    "Score IPTC Media Topics level 1 against a labelled news file: top-1 accuracy, macro-F1 "
    "and a confusion table, for Wirestream's topic model and for the lexicon baseline side by "
    "side, in one run.\n\n"
    "FILE is JSON lines (or a JSON array) or CSV/TSV with a header. The text is the headline "
    "or title field plus the description, body or text field(s); the label is the label, "
    "category or class field (override with --text-field/--label-field). A CSV without a "
    "header is read as label,title,description (the AG News layout).\n\n"
    '--mapping maps each label to one or more IPTC level-1 topics: TOML or JSON ({"LABEL": '
    '"medtop:11000000", "OTHER": ["medtop:16000000", "politics"]}) or lines '
    '"LABEL,CODE[,CODE...]". Codes may be written medtop:11000000, 11000000, 11 or by English '
    "name. A story is correct when the top topic is one of its label's topics.\n\n"
    "Example, the held-out HuffPost split (see README): wirestream eval topics "
    "/tmp/huffpost-heldout.jsonl --mapping streams/classify/data/huffpost_iptc.toml"
)


def topics(
    file: Annotated[Path, typer.Argument(help="Labelled news: JSON lines, JSON or CSV/TSV.")],
    mapping: Annotated[
        Path,
        typer.Option("--mapping", "-m", help="Label -> IPTC level-1 topic(s): TOML, JSON or CSV."),
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
) -> None:
    """Top-1 accuracy, macro-F1 and confusion of IPTC level-1 topics on labelled news."""
    from streams.classify import classify, classify_lexicon, model_version, topic_names
    from streams.classify.iptc import vocabulary_version
    from streams.classify.mapping import load_mapping
    from streams.eval.topics import LabelledText, evaluate, format_report, read_labelled

    try:
        labels = load_mapping(mapping)
        items = read_labelled(file, text_fields=text_field, label_field=label_field)
        if limit is not None:
            items = items[:limit]

        def model_top(item: LabelledText) -> str | None:
            tags = classify(
                headline=item.headline, body=item.body, top_k=1, min_relevance=0, level2=False
            )
            return tags[0].qcode if tags else None

        def lexicon_top(item: LabelledText) -> str | None:
            tags = classify_lexicon(
                headline=item.headline, body=item.body, top_k=1, min_relevance=0
            )
            return tags[0].qcode if tags else None

        model_report, unmapped = evaluate(items, labels, model_top)
        lexicon_report, _ = evaluate(items, labels, lexicon_top)
        names = topic_names()
        versions = f"model {model_version()}, lexicon {vocabulary_version()}"
    except WirestreamError as exc:
        fail(exc)
    if unmapped:
        shown = ", ".join(f"{label!r} ({n})" for label, n in unmapped.most_common(10))
        warn(f"skipped {sum(unmapped.values())} records whose label is not in the mapping: {shown}")
    if model_report.total == 0:
        fail(f"no record of {file} has a label in {mapping}")
    typer.echo(f"{file}: {model_report.total} labelled stories; {versions}")
    typer.echo(
        format_report(
            {"model": model_report, "lexicon": lexicon_report}, names=names, mapping=labels
        )
    )


topics.__doc__ = HELP
