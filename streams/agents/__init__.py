"""Faust agents, one module per stage. Importing this package registers them.

raw -> parse -> parsed -> entities -> entities -> topics -> enriched; failures -> dlq.
"""

from streams.agents import entities, parse, topics

__all__ = ["entities", "parse", "topics"]
