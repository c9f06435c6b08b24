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


class ModelError(ClassifyError):
    """The packaged topic model is missing, unreadable or of another format.

    Like the vocabulary, it is generated and committed: retrain or reinstall
    rather than retry.
    """

    code = "W302"


class MappingError(ClassifyError):
    """A label -> IPTC topic mapping file could not be read or names an unknown topic."""

    code = "W303"
