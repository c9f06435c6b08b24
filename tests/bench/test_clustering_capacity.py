"""The clustering-capacity bench runs both sides on a handful of invented articles."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest

from streams.settings import Settings

BENCH = Path(__file__).resolve().parents[2] / "bench"

FILLING = [
    ("Harbour city opens new ferry line", "The city council opened a ferry line to the islands."),
    ("Storm closes mountain pass", "Snow and wind closed the northern pass for two days."),
    ("Bakery wins regional prize", "A family bakery won the regional bread prize on Sunday."),
    ("Library extends opening hours", "The central library will open until ten at night."),
]
MEASURED = [
    (
        "Rivertown mayor Ada Brandt resigns after budget vote",
        "Rivertown mayor Ada Brandt resigned on Tuesday after the council rejected her budget "
        "for the new bridge, the school repairs and the harbour dredging.",
    ),
    (
        "Mayor of Rivertown quits over rejected budget",
        "Ada Brandt, mayor of Rivertown, resigned on Tuesday after the council rejected her "
        "budget for the new bridge, the school repairs and the harbour dredging.",
    ),
    ("Chess club marks fiftieth year", "The chess club celebrated fifty years with a tournament."),
    ("Farmers expect early harvest", "Warm weather means the apple harvest will start early."),
    ("Rail strike called off", "The union called off Friday's rail strike after new talks."),
    ("Museum shows Viking coins", "A museum put two hundred Viking silver coins on display."),
]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "clustering_capacity", BENCH / "clustering_capacity.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["clustering_capacity"] = module
    spec.loader.exec_module(module)
    return module


def test_measures_the_full_index_evicting_and_matching_beside_the_nlp(bench: ModuleType) -> None:
    settings = Settings()
    figures = bench.measure(
        bench.articles_from_texts(MEASURED),
        bench.articles_from_texts(FILLING),
        batch_size=4,
        max_stories=3,
        window=timedelta(hours=48),
        models=settings.nlp_models,
        ner=settings.nlp_ner,
    )
    clusters, nlp = figures.clusters, figures.nlp
    assert (clusters.articles, nlp.articles) == (6, 6)
    assert clusters.transactions == 2, "one transaction per batch of 4"
    assert clusters.index_size == 3, "the table is held at max_stories"
    assert clusters.evicted == 6, "every measured story pushed the oldest out"
    assert clusters.matched == 1, "the rewritten resignation story joined the first one"
    assert clusters.assign > 0 and clusters.fingerprint > 0 and nlp.entities > 0
    assert figures.capacity == pytest.approx(clusters.index_rate / nlp.rate)
    assert figures.capacity_with_fingerprint < figures.capacity
