"""Errors of the classify stage (codes W3xx)."""

from __future__ import annotations

from streams.errors import WirestreamError


class ClassifyError(WirestreamError):
    """Something went wrong assigning topics to an article."""

    code = "W300"


class VocabularyError(ClassifyError):
    """The packaged topic vocabulary is missing or malformed.

    The data file is generated and committed, so this is a build or install
    problem rather than something to retry.
    """

    code = "W301"
