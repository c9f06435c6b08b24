"""Train the CoNLL-2003 NER that ships in ``streams/nlp/ner/conll``.

    python -m streams.nlp.train [--data DIR] [--out DIR] [--max-minutes 40] [--seed 0]

Reads ``eng.train`` (CoNLL-2003, IOB1) from ``--data`` (default: ``../shared/data/conll2003``
beside the checkout). A seeded tenth of its *documents* is held back as the development set
used for early stopping, so ``eng.testa`` stays unseen and can be reported as held-out.
The text is never copied anywhere: only the trained weights are written.

The model is spaCy's standard transition-based NER with its own tok2vec, the same
architecture and size as the NER of ``en_core_web_sm`` (hash embeddings of NORM, PREFIX,
SUFFIX and SHAPE, width 96, four CNN layers). Sentences are given to spaCy's own tokenizer
as space-joined text and the gold entities aligned to its tokens, so the model is trained on
the tokenisation it meets at run time.

``--vectors DIR`` adds static word vectors (a spaCy pipeline folder, e.g. made by
``python -m spacy init vectors en VECTORS.txt DIR --attr LOWER``) to the embedding. Tried
with the 50,000 most frequent words of GloVe 6B 50d (PDDL), 22 minutes on the shared cores:
held-out tenth of eng.train PER+ORG+LOC 0.865 -> 0.875 (CoNLL model alone), but eng.testa
only 0.875 -> 0.877 and ORG 0.818 -> 0.817, so the shipped weights stay without vectors
(which would add 10 MB and a step to load them into the spaCy model's vocab).

Deterministic for a given seed and number of steps (``fix_random_seed``, a seeded shuffle);
the wall-clock limit can only cut a run short, and the log says at which step the kept
weights were taken (rerun with ``--max-steps`` to repeat it exactly). Progress goes to
``--log`` (tail it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from streams.eval.ner import Document, read_conll, sentences

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "conll2003"
DEFAULT_OUT = Path(__file__).resolve().parent / "ner" / "conll"
MODEL_NAME = "conll_ner"
MODEL_VERSION = "1.0.0"

#: The NER of en_core_web_sm 3.8, so the shipped model is the same size class.
NER_MODEL: dict[str, Any] = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 96,
            "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
            "rows": [5000, 1000, 2500, 2500],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 96,
            "depth": 4,
            "window_size": 1,
            "maxout_pieces": 3,
        },
    },
}


@dataclass(frozen=True)
class Architecture:
    """The sizes of the NER model that training may change (defaults: :data:`NER_MODEL`)."""

    width: int = 96
    depth: int = 4
    window: int = 1
    hidden_width: int = 64
    rows: tuple[int, ...] = (5000, 1000, 2500, 2500)
    attrs: tuple[str, ...] = ("NORM", "PREFIX", "SUFFIX", "SHAPE")

    def describe(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "depth": self.depth,
            "window": self.window,
            "hidden_width": self.hidden_width,
            "rows": list(self.rows),
            "attrs": list(self.attrs),
        }


def ner_model(*, static_vectors: bool, architecture: Architecture | None = None) -> dict[str, Any]:
    """The NER architecture; with ``static_vectors`` the embedding adds the vocab's vectors."""
    arch = architecture or Architecture()
    if len(arch.rows) != len(arch.attrs):
        raise ValueError(f"{len(arch.rows)} row counts for {len(arch.attrs)} attributes")
    config: dict[str, Any] = json.loads(json.dumps(NER_MODEL))
    config["hidden_width"] = arch.hidden_width
    embed = config["tok2vec"]["embed"]
    embed.update(width=arch.width, attrs=list(arch.attrs), rows=list(arch.rows))
    embed["include_static_vectors"] = static_vectors
    config["tok2vec"]["encode"].update(width=arch.width, depth=arch.depth, window_size=arch.window)
    return config


def split_documents(
    documents: Sequence[Document], *, dev_fraction: float, seed: int
) -> tuple[list[Document], list[Document]]:
    """(train, dev): a seeded random ``dev_fraction`` of whole documents goes to dev."""
    order = list(range(len(documents)))
    random.Random(seed).shuffle(order)
    n_dev = max(1, round(len(documents) * dev_fraction))
    dev = set(order[:n_dev])
    return (
        [d for i, d in enumerate(documents) if i not in dev],
        [d for i, d in enumerate(documents) if i in dev],
    )


def examples(nlp: Any, documents: Sequence[Document]) -> list[Any]:
    from spacy.training import Example

    out = []
    for sentence in sentences(documents):
        doc = nlp.make_doc(sentence.text)
        out.append(Example.from_dict(doc, {"entities": sentence.char_spans()}))
    return out


class Log:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO = path.open("a", encoding="utf-8")
        self._start = time.monotonic()

    def __call__(self, message: str) -> None:
        line = f"[{time.monotonic() - self._start:7.0f}s] {message}"
        print(line, file=sys.stderr, flush=True)
        self._file.write(line + "\n")
        self._file.flush()

    def elapsed(self) -> float:
        return time.monotonic() - self._start


def train(
    *,
    data: Path,
    out: Path,
    log: Log,
    vectors: Path | None = None,
    max_minutes: float = 40.0,
    max_steps: int = 0,
    seed: int = 0,
    dev_fraction: float = 0.1,
    eval_every: int = 500,
    patience: int = 10,
    dropout: float = 0.1,
    learn_rate: float = 0.001,
    architecture: Architecture | None = None,
) -> dict[str, Any]:
    """Train, keep the best development-set weights in ``out``; returns the training meta."""
    import spacy
    from spacy.util import minibatch
    from thinc.api import Adam, compounding, fix_random_seed

    fix_random_seed(seed)
    documents = read_conll(data / "eng.train")
    train_docs, dev_docs = split_documents(documents, dev_fraction=dev_fraction, seed=seed)
    nlp = spacy.load(vectors) if vectors is not None else spacy.blank("en")
    arch = architecture or Architecture()
    nlp.add_pipe(
        "ner",
        config={"model": ner_model(static_vectors=vectors is not None, architecture=arch)},
    )
    train_examples = examples(nlp, train_docs)
    dev_examples = examples(nlp, dev_docs)
    log(
        f"{len(train_docs)} train documents ({len(train_examples)} sentences), "
        f"{len(dev_docs)} dev documents ({len(dev_examples)} sentences), seed {seed}, "
        f"{arch.describe()}, dropout {dropout}, learn rate {learn_rate}"
    )
    optimizer = Adam(
        learn_rate=learn_rate, L2=0.01, L2_is_weight_decay=True, grad_clip=1.0, use_averages=True
    )
    nlp.initialize(lambda: train_examples, sgd=optimizer)
    rng = random.Random(seed)
    best_f, best_step, since_best, step, epoch = -1.0, 0, 0, 0, 0
    scores: dict[str, Any] = {}
    done = False
    while not done:
        epoch += 1
        rng.shuffle(train_examples)
        losses: dict[str, float] = {}
        batches = minibatch(train_examples, size=compounding(4.0, 32.0, 1.001))  # type: ignore[no-untyped-call]
        for batch in batches:
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
            step += 1
            if step % eval_every == 0:
                with nlp.use_params(optimizer.averages):
                    scores = nlp.evaluate(dev_examples)
                f = float(scores["ents_f"])
                per_type = {k: round(v["f"], 3) for k, v in scores["ents_per_type"].items()}
                log(
                    f"epoch {epoch} step {step} loss {losses.get('ner', 0.0):.1f} "
                    f"dev F1 {f:.4f} {per_type}"
                )
                losses = {}
                if f > best_f:
                    best_f, best_step, since_best = f, step, 0
                    with nlp.use_params(optimizer.averages):
                        nlp.meta.update(
                            _meta(
                                seed=seed,
                                step=step,
                                dev_f=f,
                                per_type=per_type,
                                data=data,
                                training={
                                    **arch.describe(),
                                    "dropout": dropout,
                                    "learn_rate": learn_rate,
                                },
                            )
                        )
                        nlp.to_disk(out)
                    ner: Any = nlp.get_pipe("ner")
                    _strip_strings(out, labels=ner.labels)
                    log(f"  kept (best so far) -> {out}")
                else:
                    since_best += 1
                if since_best >= patience:
                    log(f"no improvement in {patience} evaluations: stop")
                    done = True
                elif max_minutes and log.elapsed() > max_minutes * 60:
                    log(f"time limit of {max_minutes} minutes reached: stop")
                    done = True
                elif max_steps and step >= max_steps:
                    log(f"{max_steps} steps: stop")
                    done = True
                if done:
                    break
    log(f"best dev F1 {best_f:.4f} at step {best_step}; weights in {out}")
    meta: dict[str, Any] = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    return meta


def _strip_strings(out: Path, *, labels: Sequence[str]) -> None:
    """Keep only a blank English pipeline's strings and the labels in the shipped vocab.

    spaCy saves every string it met, i.e. the training corpus's word list. The model
    does not need it (its features are hashes) and the CoNLL text must not ship.
    """
    import spacy

    keep = set(spacy.blank("en").vocab.strings) | set(labels)
    path = out / "vocab" / "strings.json"
    path.write_text(json.dumps(sorted(keep), ensure_ascii=False), encoding="utf-8")


def _meta(
    *,
    seed: int,
    step: int,
    dev_f: float,
    per_type: dict[str, float],
    data: Path,
    training: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "description": "Wirestream NER: spaCy transition-based NER (en_core_web_sm size) "
        "trained on CoNLL-2003 eng.train (Reuters newswire 1996-97, RCV1 research terms) "
        "with a tenth of its documents held out for early stopping. Labels PER, ORG, LOC, MISC.",
        "license": "weights trained on CoNLL-2003 (Reuters RCV1): research terms",
        "sources": [{"name": "CoNLL-2003 eng.train (not included)"}],
        "wirestream_training": {
            "data": f"{data.name}/eng.train",
            "seed": seed,
            "step": step,
            "dev_ents_f": round(dev_f, 4),
            "dev_per_type_f": per_type,
            **(training or {}),
            "command": "wirestream train ner",
        },
    }


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m streams.nlp.train") -> int:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=(
            "Train the NER shipped in streams/nlp/ner/conll on CoNLL-2003 eng.train "
            "(a seeded tenth of its documents is the early-stopping dev set; eng.testa is "
            "not read and stays held out). The CoNLL text is read in place and never copied; "
            "only weights are written. Deterministic for a given --seed and step count."
        ),
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder with eng.train (CoNLL-2003)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the weights go")
    parser.add_argument(
        "--vectors",
        type=Path,
        default=None,
        help="a spaCy pipeline folder with static word vectors to add to the embedding",
    )
    parser.add_argument(
        "--log", type=Path, default=REPO / "var" / "train_ner.log", help="progress log to tail"
    )
    parser.add_argument(
        "--max-minutes", type=float, default=40.0, help="wall-clock limit (0: none)"
    )
    parser.add_argument(
        "--max-steps", type=int, default=0, help="stop after this many updates (0: none)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (split, shuffle, init)")
    parser.add_argument(
        "--dev-fraction", type=float, default=0.1, help="share of train documents held out"
    )
    parser.add_argument("--eval-every", type=int, default=500, help="updates between dev evals")
    parser.add_argument(
        "--patience", type=int, default=10, help="stop after this many evals without a new best"
    )
    defaults = Architecture()
    parser.add_argument("--width", type=int, default=defaults.width, help="embedding/CNN width")
    parser.add_argument("--depth", type=int, default=defaults.depth, help="CNN layers")
    parser.add_argument(
        "--window", type=int, default=defaults.window, help="CNN window (tokens each side)"
    )
    parser.add_argument(
        "--hidden-width", type=int, default=defaults.hidden_width, help="parser hidden width"
    )
    parser.add_argument(
        "--attrs",
        default=",".join(defaults.attrs),
        help="token attributes hashed into the embedding, comma-separated",
    )
    parser.add_argument(
        "--rows",
        default=",".join(map(str, defaults.rows)),
        help="hash-embedding rows per attribute, comma-separated",
    )
    parser.add_argument("--dropout", type=float, default=0.1, help="dropout rate")
    parser.add_argument("--learn-rate", type=float, default=0.001, help="Adam learning rate")
    args = parser.parse_args(argv)
    try:
        architecture = Architecture(
            width=args.width,
            depth=args.depth,
            window=args.window,
            hidden_width=args.hidden_width,
            rows=tuple(int(r) for r in args.rows.split(",")),
            attrs=tuple(a.strip().upper() for a in args.attrs.split(",")),
        )
        ner_model(static_vectors=False, architecture=architecture)
    except ValueError as exc:
        parser.error(f"--rows/--attrs: {exc}")
    if not (args.data / "eng.train").is_file():
        parser.error(f"no eng.train in {args.data}; pass --data DIR")
    log = Log(args.log)
    log(f"training {MODEL_NAME} {MODEL_VERSION} from {args.data / 'eng.train'}")
    train(
        data=args.data,
        out=args.out,
        log=log,
        vectors=args.vectors,
        max_minutes=args.max_minutes,
        max_steps=args.max_steps,
        seed=args.seed,
        dev_fraction=args.dev_fraction,
        eval_every=args.eval_every,
        patience=args.patience,
        dropout=args.dropout,
        learn_rate=args.learn_rate,
        architecture=architecture,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
