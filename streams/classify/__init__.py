"""Topic classification: IPTC Media Topics level-1 tags from a lexicon baseline.

Pure functions; no Kafka or Faust here, so the stage can be tested and reused
outside the stream.
"""

from streams.classify.errors import ClassifyError, VocabularyError
from streams.classify.iptc import classify, topic_names

__all__ = ["ClassifyError", "VocabularyError", "classify", "topic_names"]
