from __future__ import annotations

from typing import Any

import pytest

from streams.nlp import load_model
from streams.settings import Settings


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_model(Settings().nlp_models, ner=Settings().nlp_ner)
