"""Faust agents, one module per stage. Importing this package registers them.

raw -> parse -> parsed -> entities -> entities -> tagging -> clustering -> clusters -> enriched
-> release -> released;
kills: parse -> kills -> release; failures -> dlq;
released + kills -> alerts -> alerts.matches -> webhooks (alerts.dlq).
"""

from streams.agents import alerts, clusters, entities, parse, release, tagging

__all__ = ["alerts", "clusters", "entities", "parse", "release", "tagging"]
