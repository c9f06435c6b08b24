"""Errors of the NLP stage (codes W2xx)."""

from __future__ import annotations

from streams.errors import WirestreamError


class NlpError(WirestreamError):
    """Something went wrong running the language model."""

    code = "W200"


class ModelNotFoundError(NlpError):
    """None of the configured spaCy packages is installed.

    Wirestream never downloads a model at run time, so this is an install problem.
    """

    code = "W201"


class ExtractionError(NlpError):
    """The model failed on one article."""

    code = "W202"
