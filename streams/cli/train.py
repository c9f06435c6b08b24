"""`wirestream train`: build the models Wirestream ships, reproducibly, from their data files.

One sub-command per model (``topics``, ``ner``); add another with ``app.command("name")(fn)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from streams.cli.common import add_module_command, fail
from streams.errors import WirestreamError

app = typer.Typer(
    help="Train the models Wirestream ships (seeded: the same data gives the same bytes).",
    no_args_is_help=True,
)

TOPICS_HELP = (
    "Train the IPTC Media Topics model (streams/classify/data/topic_model.npz). With no "
    "options it writes the shipped model, byte for byte: the first 10,000 records of the "
    "HuffPost News Category Dataset in ../shared/data, the IPTC Media Topics texts and "
    "(self-training) CoNLL-2003 eng.train. --all-data adds the other HuffPost "
    "pieces and Wikipedia's Current events items (a model trained on those is CC BY-SA 4.0).\n\n"
    "A seeded share of every labelled source is held out before anything else and never "
    "trained on; --heldout-dir writes those splits (keep it outside the repository) for "
    "`wirestream eval topics`. The same data and seed write a byte-identical file.\n\n"
    "Example: wirestream train topics --all-data --out /tmp/ws/topic_model.npz --heldout-dir "
    "/tmp/ws"
)


def topics(
    all_data: Annotated[
        bool,
        typer.Option(
            "--all-data",
            help="All four HuffPost pieces and Wikipedia's current events, a tenth of each "
            "held out (options given as well override it).",
        ),
    ] = False,
    huffpost: Annotated[
        list[Path] | None,
        typer.Option(
            "--huffpost",
            help="HuffPost JSON-lines file (repeat the option); default: the first 10,000 "
            "records' file in ../shared/data/huffpost.",
        ),
    ] = None,
    huffpost_mapping: Annotated[
        Path | None,
        typer.Option("--huffpost-mapping", help="HuffPost section -> IPTC mapping (TOML)."),
    ] = None,
    wikipedia: Annotated[
        Path | None,
        typer.Option("--wikipedia", help="Wikipedia current events JSON lines."),
    ] = None,
    no_wikipedia: Annotated[
        bool, typer.Option("--no-wikipedia", help="Train without Wikipedia's current events.")
    ] = False,
    wikipedia_mapping: Annotated[
        Path | None,
        typer.Option("--wikipedia-mapping", help="Current events section -> IPTC mapping."),
    ] = None,
    iptc: Annotated[
        Path | None, typer.Option("--iptc", help="IPTC Media Topics JSON (2023-10-24 release).")
    ] = None,
    conll: Annotated[
        Path | None,
        typer.Option(
            "--conll",
            help="CoNLL-2003 eng.train, whose Reuters stories are pseudo-labelled; never "
            "eng.testa/testb, which the NER evaluation holds out.",
        ),
    ] = None,
    no_conll: Annotated[
        bool, typer.Option("--no-conll", help="Train without the pseudo-labelled wire stories.")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Split and sampling seed.")] = None,
    test_fraction: Annotated[
        float | None,
        typer.Option("--test-fraction", min=0.0, max=0.9, help="Held-out share of each source."),
    ] = None,
    sample: Annotated[
        float,
        typer.Option(
            "--sample",
            min=0.01,
            max=1.0,
            help="Train on this share of the training texts: a cheap run while exploring.",
        ),
    ] = 1.0,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            "--weight",
            help="SOURCE=W: training weight of a labelled source (wikipedia, "
            "huffpost:first10000, huffpost:fewshot_headlines_41x900 ...); repeat the option.",
        ),
    ] = None,
    balance: Annotated[
        float,
        typer.Option(
            "--balance",
            min=0.0,
            max=1.0,
            help="Even out the topics' total training weight: 1 equal, 0.5 square-root, 0 as "
            "the data has it.",
        ),
    ] = 0.0,
    cap: Annotated[
        list[str] | None,
        typer.Option(
            "--cap",
            help="SOURCE[:SECTION]=N: train on at most N texts of it, a seeded choice (e.g. "
            "'wikipedia:Armed conflicts and attacks=1200'); repeat the option.",
        ),
    ] = None,
    blend: Annotated[
        float | None,
        typer.Option(
            "--blend",
            min=0.0,
            help="Weight of the IPTC lexicon prior at inference, stored in the model "
            "(default 1.0; higher: a stronger prior).",
        ),
    ] = None,
    news_prior: Annotated[
        Path | None,
        typer.Option(
            "--news-prior",
            help="Store a news prior in the model (TOML: weight, [shares]; e.g. "
            "streams/classify/data/news_prior.toml, written by bench/topic_prior.py); "
            "default: none.",
        ),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate", help="Tune: score a validation part of the training split; no model."
        ),
    ] = False,
    heldout_dir: Annotated[
        Path | None,
        typer.Option("--heldout-dir", help="Write <source>-heldout.jsonl files here."),
    ] = None,
    pseudo_labels_out: Annotated[
        Path | None,
        typer.Option(
            "--pseudo-labels-out",
            help="Write each wire story's pseudo-label (number, topic, confidence; no text), "
            "for bench/topic_pseudo_labels.py.",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Model file; default: the packaged streams/classify/data one."),
    ] = None,
) -> None:
    from streams.classify.training import TrainOptions, run
    from streams.classify.training import all_data as with_all_data

    default = with_all_data(TrainOptions()) if all_data else TrainOptions()
    weights = dict(default.weights)
    for item in weight or []:
        name, _, value = item.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            fail(f"--weight {item!r}: expected SOURCE=NUMBER")
    caps: dict[str, int] = {}
    for item in cap or []:
        name, _, value = item.rpartition("=")
        try:
            caps[name.strip()] = int(value)
        except ValueError:
            fail(f"--cap {item!r}: expected SOURCE[:SECTION]=COUNT")
    options = TrainOptions(
        huffpost=tuple(huffpost) if huffpost else default.huffpost,
        huffpost_mapping=huffpost_mapping or default.huffpost_mapping,
        wikipedia=None if no_wikipedia else (wikipedia or default.wikipedia),
        wikipedia_mapping=wikipedia_mapping or default.wikipedia_mapping,
        iptc=iptc or default.iptc,
        conll=None if no_conll else (conll or default.conll),
        seed=default.seed if seed is None else seed,
        test_fraction=default.test_fraction if test_fraction is None else test_fraction,
        sample=sample,
        heldout_dir=heldout_dir,
        pseudo_labels_out=pseudo_labels_out,
        validate=validate,
        weights=weights,
        balance=balance,
        caps=caps,
        blend=blend,
        news_prior=news_prior or default.news_prior,
        out=out or default.out,
    )
    try:
        run(options, echo=typer.echo)
    except WirestreamError as exc:
        fail(exc)


topics.__doc__ = TOPICS_HELP
app.command("topics")(topics)


NER_HELP = (
    "Train the CoNLL-2003 NER weights (streams/nlp/ner/conll). Options as `wirestream train "
    "ner --help` lists them (--data, --out, --seed, --max-minutes, and the architecture: "
    "--width, --depth, --rows ...)."
)


add_module_command(app, "ner", group="train", module="streams.nlp.train", help=NER_HELP)
