"""The NLP stage: spaCy named entities, run in a process pool."""

from streams.nlp.entities import NAMED_LABELS, EntityInput, entity_input, extract_entities
from streams.nlp.errors import ExtractionError, ModelNotFoundError, NlpError
from streams.nlp.model import installed_model, load_model, model_tag

__all__ = [
    "NAMED_LABELS",
    "EntityInput",
    "ExtractionError",
    "ModelNotFoundError",
    "NlpError",
    "entity_input",
    "extract_entities",
    "installed_model",
    "load_model",
    "model_tag",
]
