"""Training and held-out evaluation of the polarity classifier (:mod:`tastebud.nlu.polarity`).

Examples come from ReDial: every seeker message that mentions a movie gives one example per
mention (the :func:`~tastebud.nlu.polarity.mention_context` of that mention, the message's
other mentions replaced by a neutral placeholder), labelled by the seeker's questionnaire
answer for that movie in that dialogue (``liked`` 1 → liked, 0 → disliked, 2 → neutral).
Training reads only ``split_of(id) == "train"`` dialogues; evaluation only ``dev`` ones.
scikit-learn is used here (training), never at inference.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tastebud.embedding import MODEL_NAME, Embedder
from tastebud.nlu.polarity import (CLASSES, CUE_NAMES, MAX_WORDS, OTHER_PLACEHOLDER, PLACEHOLDER, PolarityModel,
                                   mention_context)
from tastebud.redial import TRAIN_FILES as REDIAL_FILES
from tastebud.redial import default_redial_dir, read_dialogues, redial_files

__all__ = ["REDIAL_FILES", "LABELS", "Example", "TrainConfig", "default_redial_dir", "redial_files",
           "examples_from_dialogues", "load_examples", "train_model", "evaluate", "save_artifact",
           "vader_baseline"]

_MENTION_RE = re.compile(r"@(\d+)")
#: Questionnaire ``liked`` answer → class.
LABELS = {1: "liked", 0: "disliked", 2: "neutral"}


@dataclass
class Example:
    """One labelled mention: its context, its class and where it came from."""

    context: str
    label: str
    conversation_id: str


@dataclass
class TrainConfig:
    """Knobs of the model and of its training (the chosen values are written to the meta).

    Attributes:
        placeholder: Word standing for the classified mention.
        other_placeholder: Word standing for the message's other mentions.
        max_words: Context words kept each side of the mention.
        features: Feature blocks, in order (``embedding``, ``vader``, ``cues``); the cue flags
            did not improve cross-validated macro-F1 on train, so they are off by default.
        cs: Inverse regularisation strengths tried by cross-validation on train.
        weight_powers: Class weights ``(n / (k · n_c)) ** p`` tried (0 none, 1 "balanced").
        folds: Cross-validation folds (grouped by dialogue).
        select_by: CV criterion, ``macro_f1`` or ``balanced_accuracy`` (mean per-class recall).
        seed: Seed of the fold assignment.
    """

    placeholder: str = PLACEHOLDER
    other_placeholder: str = OTHER_PLACEHOLDER
    max_words: int = MAX_WORDS
    features: list[str] = field(default_factory=lambda: ["embedding", "vader"])
    cs: tuple[float, ...] = (0.0005, 0.001, 0.002, 0.005, 0.01)
    weight_powers: tuple[float, ...] = (0.5, 0.75)
    folds: int = 3
    seed: int = 0
    select_by: str = "balanced_accuracy"


def examples_from_dialogues(dialogues: Iterable, config: TrainConfig | None = None) -> list[Example]:
    """One example per seeker mention of a movie that the seeker's questionnaire labels."""
    config = config or TrainConfig()
    out = []
    for dialogue in dialogues:
        for message in dialogue.messages:
            if message.sender != dialogue.initiator:
                continue
            matches = list(_MENTION_RE.finditer(message.text))
            spans = [m.span() for m in matches]
            for match in matches:
                answer = dialogue.seeker_answers.get(int(match.group(1)), {}).get("liked")
                if answer not in LABELS:
                    continue
                context = mention_context(message.text, *match.span(), [s for s in spans if s != match.span()],
                                          placeholder=config.placeholder, other_placeholder=config.other_placeholder,
                                          max_words=config.max_words)
                out.append(Example(context, LABELS[answer], dialogue.conversation_id))
    return out


def load_examples(split: str, data: Path | None = None, config: TrainConfig | None = None) -> list[Example]:
    """Examples of one side (``train`` or ``dev``) of the ReDial split, from every file."""
    if split not in ("train", "dev"):
        raise ValueError("split must be 'train' or 'dev'")
    out = []
    for path in redial_files(data):
        out += examples_from_dialogues(read_dialogues(path, split), config)
    return out


def _class_weights(y: np.ndarray, power: float) -> dict[int, float]:
    counts = np.bincount(y, minlength=len(CLASSES)).astype(float)
    return {k: float((len(y) / (len(CLASSES) * max(c, 1.0))) ** power) for k, c in enumerate(counts)}


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for k in range(len(CLASSES)):
        tp = np.sum((pred == k) & (y == k))
        denom = np.sum(pred == k) + np.sum(y == k)
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores))


def _balanced(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean([np.mean(pred[y == k] == k) for k in range(len(CLASSES)) if np.any(y == k)]))


def _fit(x: np.ndarray, y: np.ndarray, c: float, power: float):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, class_weight=_class_weights(y, power), max_iter=2000)
    return clf.fit(x, y)


def train_model(examples: Sequence[Example], embedder: Embedder, config: TrainConfig | None = None,
                *, vectors: np.ndarray | None = None, log=None) -> PolarityModel:
    """Fit the classifier; C and the class-weight power are chosen by grouped CV on train.

    Args:
        examples: Training examples (train dialogues only).
        embedder: Sentence embedder (the real one for the shipped artifact).
        config: Model and search knobs.
        vectors: Embeddings of the contexts, if already computed.
        log: ``log(str)`` for progress lines (optional).

    Returns:
        The model; ``meta`` holds the chosen values, counts and CV score.
    """
    from sklearn.model_selection import GroupKFold

    config = config or TrainConfig()
    start = time.perf_counter()
    contexts = [e.context for e in examples]
    y = np.array([CLASSES.index(e.label) for e in examples])
    meta = {"classes": list(CLASSES), "placeholder": config.placeholder,
            "other_placeholder": config.other_placeholder, "max_words": config.max_words,
            "features": list(config.features), "embedding_model": MODEL_NAME, "dim": 0}
    probe = PolarityModel(np.zeros((3, 1)), np.zeros(3), np.zeros(1), np.ones(1), meta, embedder)
    if vectors is None and "embedding" in config.features:
        unique = sorted(set(contexts))  # short contexts repeat a lot ("i love it")
        index = {c: i for i, c in enumerate(unique)}
        vectors = embedder.encode(unique)[[index[c] for c in contexts]]
    x = probe.featurize(contexts, vectors)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    xs = (x - mean) / scale
    groups = [e.conversation_id for e in examples]
    folds = list(GroupKFold(n_splits=config.folds).split(xs, y, groups))
    grid = {}
    for c in config.cs:
        for power in config.weight_powers:
            pred = np.empty_like(y)
            for tr, te in folds:
                pred[te] = _fit(xs[tr], y[tr], c, power).predict(xs[te])
            grid[(c, power)] = _macro_f1(y, pred) if config.select_by == "macro_f1" else _balanced(y, pred)
            if log:
                log(f"C={c:g} weight power={power:g}: CV {config.select_by} {grid[(c, power)]:.4f}")
    best_c, best_power = max(grid, key=lambda key: (grid[key], -key[0]))
    clf = _fit(xs, y, best_c, best_power)
    meta.update({
        "dim": int(x.shape[1]),
        "feature_layout": _layout(config.features, x.shape[1]),
        "C": best_c, "class_weight_power": best_power,
        "class_weights": {CLASSES[k]: round(w, 4) for k, w in _class_weights(y, best_power).items()},
        "cv_criterion": config.select_by, "cv_score": round(grid[(best_c, best_power)], 4),
        "cv_grid": [{"C": c, "power": p, config.select_by: round(f, 4)} for (c, p), f in grid.items()],
        "train_counts": {label: int(n) for label, n in sorted(Counter(e.label for e in examples).items())},
        "train_dialogues": len(set(groups)),
        "train_seconds": round(time.perf_counter() - start, 1),
    })
    return PolarityModel(clf.coef_, clf.intercept_, mean, scale, meta, embedder)


def _layout(features: Sequence[str], dim: int) -> list[dict]:
    sizes = {"vader": 4, "cues": len(CUE_NAMES)}
    sizes["embedding"] = dim - sum(sizes[f] for f in features if f != "embedding")
    names = {"vader": ["neg", "neu", "pos", "compound"], "cues": list(CUE_NAMES)}
    out, offset = [], 0
    for name in features:
        out.append({"block": name, "start": offset, "size": sizes[name], **({"names": names[name]} if name in names else {})})
        offset += sizes[name]
    return out


def _report(y: np.ndarray, pred: np.ndarray) -> dict:
    confusion = np.zeros((len(CLASSES), len(CLASSES)), dtype=int)
    np.add.at(confusion, (y, pred), 1)
    recall = {c: round(float(confusion[k, k] / max(confusion[k].sum(), 1)), 4) for k, c in enumerate(CLASSES)}
    precision = {c: round(float(confusion[k, k] / max(confusion[:, k].sum(), 1)), 4) for k, c in enumerate(CLASSES)}
    return {"accuracy": round(float(np.mean(y == pred)), 4) if len(y) else 0.0,
            "macro_f1": round(_macro_f1(y, pred), 4),
            "balanced_accuracy": round(_balanced(y, pred), 4) if len(y) else 0.0, "recall": recall, "precision": precision,
            "confusion": confusion.tolist()}


def vader_baseline(model: PolarityModel, contexts: Sequence[str], threshold: float = 0.05) -> np.ndarray:
    """VADER-only labels: compound ≥ threshold liked, ≤ −threshold disliked, else neutral."""
    compound = model.vader_scores(contexts)[:, 3]
    return np.where(compound >= threshold, 0, np.where(compound <= -threshold, 1, 2))


def evaluate(model: PolarityModel, examples: Sequence[Example]) -> dict:
    """Held-out figures of the model and of the majority-class and VADER-only baselines.

    Returns:
        ``{"model": {...}, "majority": {...}, "vader": {...}, "counts": {...}, "examples": n,
        "dialogues": n, "classes": [...], "seconds": s}``; each block has ``accuracy``,
        ``macro_f1``, per-class ``recall`` and ``precision`` and a ``confusion`` matrix (rows
        true, columns predicted, in ``classes`` order).
    """
    start = time.perf_counter()
    contexts = [e.context for e in examples]
    y = np.array([CLASSES.index(e.label) for e in examples], dtype=int)
    pred = model.predict_proba(contexts).argmax(axis=1) if contexts else y
    majority = CLASSES.index(model.meta.get("majority", "liked"))
    return {
        "classes": list(CLASSES), "examples": len(examples),
        "dialogues": len({e.conversation_id for e in examples}),
        "counts": {c: int(np.sum(y == k)) for k, c in enumerate(CLASSES)},
        "model": _report(y, pred),
        "majority": _report(y, np.full_like(y, majority)),
        "vader": _report(y, vader_baseline(model, contexts)) if contexts else _report(y, y),
        "seconds": round(time.perf_counter() - start, 1),
    }


def save_artifact(model: PolarityModel, path: Path, dev_metrics: dict | None = None) -> dict[str, Path]:
    """Write ``<stem>.npz`` (float32 weights) and ``<stem>.json`` (meta with held-out metrics)."""
    path = Path(path).with_suffix(".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(model.meta)
    if dev_metrics is not None:
        meta["dev_metrics"] = {k: dev_metrics[k] for k in ("examples", "dialogues", "counts", "model", "majority",
                                                           "vader") if k in dev_metrics}
    np.savez_compressed(path, weights=model.weights.astype(np.float32), bias=model.bias.astype(np.float32),
                        mean=model.mean.astype(np.float32), scale=model.scale.astype(np.float32))
    json_path = path.with_suffix(".json")
    json_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    model.meta = meta
    return {"npz": path, "json": json_path}
