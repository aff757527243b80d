"""Dialogue model: the conversation so far → scores of the movies a recommender names next.

Learned from ReDial *train* dialogues (see :mod:`tastebud.recommenders.dialogue_train`).
Inference is numpy only; the one model call per turn is the sentence encoder
(all-MiniLM-L6-v2) on the messages not embedded before (kept in a per-instance cache).

Features of a conversation (each block a 384-d vector, zero when empty):

* ``user_last``: the latest user (seeker) message;
* ``user_pool`` / ``assistant_pool``: recency-weighted means of the user's / the assistant's
  messages (each earlier message counts ``decay`` times less);
* ``liked`` / ``disliked``: means of the item vectors of the mentioned movies with a positive /
  negative weight, weighted by ``|weight|``;

plus ``log(1 + messages)`` and a bias. An adapter (linear, or one hidden ReLU layer) maps them
to a query vector ``q``; the score of catalog row ``j`` is ``q · (v_j + u_j) + b_j`` where ``v_j`` is
the item's shipped content vector, ``u_j`` a learned item offset (optional) and ``b_j`` a learned
bias. Artifacts: ``dialogue.npz`` (float16 arrays) + ``dialogue.json`` (meta), tied to the
catalog version.
"""

from __future__ import annotations

import json
import zipfile
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from ..embedding import Embedder
from ..errors import ArtifactError

__all__ = [
    "ARTIFACT_STEM",
    "BLOCKS",
    "FORMAT",
    "DialogueModel",
    "artifact_paths",
    "context_features",
    "default_artifact",
    "load_dialogue_model",
    "trained_artifact",
]

ARTIFACT_STEM = "dialogue"
FORMAT = 1
#: Feature blocks in order (each ``dim`` wide), then the scalar features.
BLOCKS = ("user_last", "user_pool", "assistant_pool", "liked", "disliked")
_ARRAYS = ("w1", "b1", "w2", "b2", "item_bias", "item_offset")


def default_artifact() -> Path:
    """The shipped artifact (``core/data/dialogue.npz``; its json sits next to it)."""
    return Path(__file__).resolve().parent.parent / "data" / f"{ARTIFACT_STEM}.npz"


def trained_artifact(settings, name: str) -> Path:
    """Where ``tastebud train`` saves a catalog's dialogue model (next to its CF models)."""
    from .training import models_dir

    return models_dir(settings, name) / f"{ARTIFACT_STEM}.npz"


def artifact_paths(path: str | Path) -> tuple[Path, Path]:
    """``(npz, json)`` paths of an artifact given either file or its stem."""
    npz = Path(path)
    npz = npz if npz.suffix == ".npz" else npz.with_name(npz.name + ".npz")
    return npz, npz.with_suffix(".json")


def _pool(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    total = float(np.abs(weights).sum())
    if not vectors.shape[0] or total <= 0:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    return (np.abs(weights) @ vectors / total).astype(np.float32)


def context_features(roles: Sequence[str], message_vectors: np.ndarray, mentioned_rows: np.ndarray,
                     mentioned_weights: np.ndarray, item_vectors: np.ndarray, decay: float) -> np.ndarray:
    """The feature vector of one conversation (module docstring).

    Args:
        roles: ``"user"`` / ``"assistant"`` per message, oldest first.
        message_vectors: ``(len(roles), dim)`` embeddings of the messages.
        mentioned_rows: Catalog rows of the mentioned movies.
        mentioned_weights: Their weights (positive liked / neutral, negative disliked).
        item_vectors: ``(n_items, dim)`` catalog item vectors.
        decay: Weight ratio of a message to the one after it in the pools.

    Returns:
        ``(len(BLOCKS) * dim + 1,)`` float32 features.
    """
    dim = item_vectors.shape[1]
    n = len(roles)
    user = np.array([r == "user" for r in roles], dtype=bool)
    age = (n - 1 - np.arange(n)).astype(np.float32)
    recency = np.power(np.float32(decay), age)
    blocks = [message_vectors[np.flatnonzero(user)[-1]] if user.any() else np.zeros(dim, np.float32),
              _pool(message_vectors[user], recency[user]), _pool(message_vectors[~user], recency[~user])]
    rows, w = np.asarray(mentioned_rows, dtype=np.int64), np.asarray(mentioned_weights, dtype=np.float32)
    for keep in (w > 0, w < 0):
        blocks.append(_pool(item_vectors[rows[keep]], w[keep]))
    return np.concatenate(blocks + [np.array([np.log1p(n)], np.float32)]).astype(np.float32)


class DialogueModel:
    """The trained adapter plus item biases over one catalog's rows.

    Args:
        arrays: ``w1`` ``(n_features, hidden)``, ``b1``, ``w2`` ``(hidden, dim)`` (or ``w1`` maps
            straight to ``dim`` and ``w2`` is empty for a linear adapter), ``b2``, ``item_bias``
            ``(n_items,)``, ``item_offset`` ``(n_items, dim)`` or empty.
        meta: Training metadata (``decay``, ``catalog``, ``catalog_version``, ``dim``, …).
        item_vectors: ``(n_items, dim)`` catalog item vectors (``Services.item_vectors``).
        ids: Catalog ids in row order (maps ``mentioned`` ids to rows).
        embedder: Sentence encoder of the messages.
        cache_size: Message embeddings kept per instance.
    """

    def __init__(self, arrays: Mapping[str, np.ndarray], meta: dict, item_vectors: np.ndarray,
                 ids: Sequence[str], embedder: Embedder | None = None, cache_size: int = 2048) -> None:
        self.meta = dict(meta)
        self.arrays = {k: np.asarray(arrays[k], dtype=np.float32) for k in _ARRAYS}
        self.item_vectors = np.asarray(item_vectors, dtype=np.float32)
        if self.arrays["item_offset"].size:
            self.item_vectors = self.item_vectors + self.arrays["item_offset"]
        self.ids = list(ids)
        self.rows = {item_id: row for row, item_id in enumerate(self.ids)}
        self.embedder = embedder or Embedder()
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._base_vectors = np.asarray(item_vectors, dtype=np.float32)
        if self.arrays["item_bias"].shape[0] != len(self.ids) or self._base_vectors.shape[0] != len(self.ids):
            raise ArtifactError("dialogue model does not match the catalog size")

    @property
    def decay(self) -> float:
        """Recency ratio of the message pools."""
        return float(self.meta.get("decay", 0.9))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of message texts, one encoder call for the ones not cached."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            for text, vec in zip(todo, self.embedder.encode(todo), strict=True):
                self._cache[text] = vec
                if len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        out = np.zeros((len(texts), self._base_vectors.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            vec = self._cache.get(text)
            out[i] = vec if vec is not None else self.embedder.encode([text])[0]
        return out

    def features(self, history: Sequence[tuple[str, str]], mentioned: Mapping[str, float]) -> np.ndarray:
        """Feature vector of a conversation (unknown mentioned ids are ignored)."""
        roles = ["user" if role == "user" else "assistant" for role, _ in history]
        vectors = self.embed([text or "" for _, text in history])
        known = [(self.rows[i], w) for i, w in mentioned.items() if i in self.rows and w]
        rows = np.array([r for r, _ in known], dtype=np.int64)
        weights = np.array([w for _, w in known], dtype=np.float32)
        return context_features(roles, vectors, rows, weights, self._base_vectors, self.decay)

    def query(self, features: np.ndarray) -> np.ndarray:
        """The adapter: features ``(..., n_features)`` → query vectors ``(..., dim)``."""
        a = self.arrays
        h = features @ a["w1"] + a["b1"]
        if a["w2"].size:
            h = np.maximum(h, 0.0) @ a["w2"] + a["b2"]
        return h

    def scores_from_features(self, features: np.ndarray) -> np.ndarray:
        """Scores over catalog rows for features ``(n_features,)`` or a batch ``(b, n_features)``."""
        return (self.query(features) @ self.item_vectors.T + self.arrays["item_bias"]).astype(np.float32)

    def scores(self, history: Sequence[tuple[str, str]], mentioned: Mapping[str, float] | None = None) -> np.ndarray:
        """Scores of every catalog row for the recommender's next message.

        Args:
            history: The conversation so far as ``(role, text)``, role ``"user"`` (the person
                asking) or ``"assistant"``, oldest first; titles written out.
            mentioned: Movies mentioned so far, ``{item_id: weight}``: positive for liked,
                neutral or recommended ones, negative for disliked ones; recent mentions may
                weigh more (training used ``polarity · 0.8 ** messages_since``).

        Returns:
            ``(n_items,)`` float32 scores (higher is better); mentioned items are *not* removed.
        """
        return self.scores_from_features(self.features(history, mentioned or {}))

    def save(self, path: str | Path) -> Path:
        """Write ``.npz`` (float16) and ``.json``; returns the npz path."""
        npz, meta = artifact_paths(path)
        npz.parent.mkdir(parents=True, exist_ok=True)
        tmp = npz.with_name(npz.stem + ".tmp.npz")
        np.savez_compressed(tmp, **{k: self.arrays[k].astype(np.float16) for k in _ARRAYS})
        tmp.replace(npz)
        meta.write_text(json.dumps(self.meta, indent=2, sort_keys=True))
        return npz

    @classmethod
    def load(cls, path: str | Path | None, item_vectors: np.ndarray, ids: Sequence[str], *,
             catalog_version: str | None = None, embedder: Embedder | None = None) -> DialogueModel:
        """Read an artifact saved by :meth:`save`.

        Args:
            path: The npz (or its stem); ``None`` for the shipped one.
            item_vectors: Catalog item vectors in row order.
            ids: Catalog ids in row order.
            catalog_version: When given, the artifact must have been trained for it.
            embedder: Sentence encoder (default all-MiniLM-L6-v2).

        Raises:
            ArtifactError: Missing, unreadable, stale or not matching the catalog.
        """
        npz, meta_path = artifact_paths(path if path is not None else default_artifact())
        try:
            meta = json.loads(meta_path.read_text())
            with np.load(npz) as data:
                arrays = {k: np.array(data[k]) for k in _ARRAYS}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise ArtifactError(f"cannot load dialogue model {npz}: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ArtifactError(f"dialogue model {npz} has format {meta.get('format')}, expected {FORMAT}")
        if catalog_version is not None and meta.get("catalog_version") != catalog_version:
            raise ArtifactError(f"dialogue model {npz} is stale (catalog changed); run `tastebud train`")
        return cls(arrays, meta, item_vectors, ids, embedder)


def load_dialogue_model(services, name: str | None = None) -> DialogueModel:
    """The dialogue model of a catalog: the one ``tastebud train`` saved, else the shipped one.

    Args:
        services: :class:`tastebud.services.Services` (catalog, item vectors, embedder).
        name: Catalog name (default: the settings' catalog).

    Raises:
        ArtifactError: No artifact trained for this catalog version (only ``redial`` ships one).
    """
    catalog = services.catalog(name)
    vectors = services.item_vectors(name)
    errors = []
    for path in (trained_artifact(services.settings, catalog.name), default_artifact()):
        if not artifact_paths(path)[0].is_file():
            continue
        try:
            model = DialogueModel.load(path, vectors, catalog.ids, catalog_version=catalog.version(),
                                       embedder=services.embedder)
        except ArtifactError as exc:
            errors.append(str(exc))
            continue
        if model.meta.get("catalog") == catalog.name:
            return model
    raise ArtifactError(f"no dialogue model for catalog {catalog.name!r}"
                        + (f" ({'; '.join(errors)})" if errors else "; run `tastebud train --catalog redial`"))
