"""Faust agents, one module per stage. Importing this package registers them.

raw -> parse -> parsed (routine) or parsed.urgent (urgency 1-2) -> entities (entities and
tags; an agent per lane) -> clustering -> clusters -> enriched -> release -> released;
entities (left by older versions) -> tagging -> clustering;
kills: parse -> kills -> release; failures -> dlq;
released + kills + lookback -> alerts -> alerts.matches -> webhooks (alerts.dlq).
"""

from streams.agents import alerts, clusters, entities, parse, release, tagging

__all__ = ["alerts", "clusters", "entities", "parse", "release", "tagging"]
