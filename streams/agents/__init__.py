"""Faust agents, one module per stage. Importing this package registers them.

raw -> parse -> parsed -> entities -> entities -> tagging -> clustering -> clusters -> enriched
-> release -> released;
kills: parse -> kills -> release; failures -> dlq.
"""

from streams.agents import clusters, entities, parse, release, tagging

__all__ = ["clusters", "entities", "parse", "release", "tagging"]
