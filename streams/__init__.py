"""Wirestream: news agency wires through Apache Kafka, parsed and enriched by Faust agents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wirestream")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
