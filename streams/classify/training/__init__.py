"""Training the IPTC topic model that :mod:`streams.classify.model` ships and loads.

By concern: :mod:`.sources` reads and normalises the data files, :mod:`.corpus`
makes labelled training texts and the held-out splits, :mod:`.optimiser` fits the
logistic regression, :mod:`.selftrain` routes mixed sections and pseudo-labels wire
copy, :mod:`.evaluation` gives the strict and lenient held-out figures,
:mod:`.artefact` writes the model file, and :mod:`.recipe` runs it all. The command
is ``wirestream train topics`` (:mod:`streams.cli.train`).
"""

from streams.classify.training.recipe import (
    TrainOptions,
    TrainResult,
    all_data,
    read_news_prior,
    run,
)

__all__ = ["TrainOptions", "TrainResult", "all_data", "read_news_prior", "run"]
