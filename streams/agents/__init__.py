"""Faust agents, one module per stage. Importing this package registers them.

raw -> parse -> parsed -> entities -> entities -> topics -> enriched -> release -> released;
kills: parse -> kills -> release; failures -> dlq.
"""

from streams.agents import entities, parse, release, topics

__all__ = ["entities", "parse", "release", "topics"]
