"""`wirestream eval`: accuracy figures, each printed for Wirestream and its baseline."""

from __future__ import annotations

import typer

from streams.cli import eval_clusters, eval_ner, eval_topics

app = typer.Typer(
    help="Measure accuracy: NER against CoNLL files, topics against labelled news, clusters.",
    no_args_is_help=True,
)
app.command("ner")(eval_ner.ner)
app.command("topics")(eval_topics.topics)
app.command("clusters")(eval_clusters.clusters)
