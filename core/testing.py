"""Test doubles shared by tastebud's tests and by apps that embed tastebud.

:class:`HashingEmbedder` is a deterministic bag-of-words embedder: texts sharing words get
similar vectors, no model is loaded, and it is fast enough for unit tests.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from .embedding import Embedder

__all__ = ["HashingEmbedder"]


class HashingEmbedder(Embedder):
    """Embeds a text as the normalised sum of one random vector per lower-cased word.

    Args:
        dim: Vector size.
    """

    def __init__(self, dim: int = 64) -> None:
        super().__init__()
        self.dim = dim
        self.calls = 0
        self._words: dict[str, np.ndarray] = {}  # a word's vector is drawn once (ingest benchmarks embed 100k texts)

    def _word(self, word: str) -> np.ndarray:
        vec = self._words.get(word)
        if vec is None:
            seed = int.from_bytes(hashlib.sha1(word.encode()).digest()[:8], "little")
            vec = self._words[word] = np.random.default_rng(seed).standard_normal(self.dim)
        return vec

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Deterministic unit vectors; counts texts embedded in :attr:`calls`."""
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            vec = sum((self._word(w) for w in re.findall(r"[a-z0-9]+", text.lower())), np.zeros(self.dim))
            norm = np.linalg.norm(vec)
            out[row] = vec / norm if norm else np.eye(self.dim)[0]
        return out
