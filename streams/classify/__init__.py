"""Topic classification: IPTC Media Topics of an article, and its key phrases.

:func:`classify` is the trained model (:mod:`streams.classify.model`, level 1
and strong level 2); :func:`classify_lexicon` is the lexicon baseline it is
measured against (:mod:`streams.classify.iptc`). Pure functions; no Kafka or
Faust here, so the stage can be tested and reused outside the stream.
"""

from schemas.enriched import Keyword
from streams.classify.errors import ClassifyError, MappingError, ModelError, VocabularyError
from streams.classify.iptc import classify as classify_lexicon
from streams.classify.iptc import topic_names
from streams.classify.keywords import keywords
from streams.classify.model import classify, model_version

__all__ = [
    "ClassifyError",
    "Keyword",
    "MappingError",
    "ModelError",
    "VocabularyError",
    "classify",
    "classify_lexicon",
    "keywords",
    "model_version",
    "topic_names",
]
