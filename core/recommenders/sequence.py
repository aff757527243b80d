"""Next-mention model: which films a recommender names after the films already mentioned.

In ReDial a recommender's next suggestion depends strongly on the films mentioned so far
in the dialogue. :class:`TransitionRecommender` keeps a sparse item × item count matrix
``T[a, b]`` = how often ``b`` was named for the first time by a recommender after ``a``
had been mentioned earlier in the same (train-split) dialogue; a fold-in user's score is
``Σ_a w_a · T[a, :] / rowsum(a)^α``. Fitted on plain :class:`Interactions` (no order) it
falls back to co-occurrence counts, so it honours the shared recommender contract.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .base import Interactions, Recommender, UserItems

__all__ = ["TransitionRecommender"]


class TransitionRecommender(Recommender):
    """Sparse "next mention" transitions (or co-occurrences) between items.

    Args:
        alpha: Row normalisation exponent (0 = raw counts, 1 = transition probabilities).
            Raw counts ranked best on tastebud's ReDial dev tuning part.
        sharpen: Each fold-in weight ``w`` counts as ``sign(w)·|w|^sharpen``; with recency-decayed
            weights a value above 1 lets the latest mentions drive the transitions (1 = as given).
        second_order: Weight of the two-step scores ``T^T (T^T w)`` (each step max-normalised)
            added to the one-step scores (0 = off).

    Attributes:
        transitions: ``(n_items, n_items)`` CSR matrix of source → next-item weights.
    """

    name = "sequence"

    def __init__(self, alpha: float = 0.0, sharpen: float = 1.0, second_order: float = 0.0) -> None:
        super().__init__()
        self.alpha = float(alpha)
        self.sharpen = float(sharpen)
        self.second_order = float(second_order)
        self.transitions = sparse.csr_matrix((0, 0), dtype=np.float32)

    def fit(self, interactions: Interactions, transitions: sparse.spmatrix | None = None) -> TransitionRecommender:
        """Learn from ``transitions`` when given, else from co-occurrences in ``interactions``.

        Args:
            interactions: Users × items (popularity; co-occurrences without ``transitions``).
            transitions: Optional item × item counts in catalog order (source rows, next-item columns).
        """
        super().fit(interactions)
        if transitions is None:
            X = interactions.signal("watched").astype(np.float32)
            X.data[:] = 1.0
            transitions = (X.T @ X).tocsr()
            transitions.setdiag(0.0)
            transitions.eliminate_zeros()
        self.set_transitions(transitions)
        return self

    def set_transitions(self, transitions: sparse.spmatrix) -> None:
        """Install item × item counts (row-normalised with :attr:`alpha`)."""
        T = sparse.csr_matrix(transitions, dtype=np.float32)
        if T.shape != (self.n_items, self.n_items):
            raise ValueError(f"transitions {T.shape} do not match {self.n_items} catalog items")
        rows = np.asarray(T.sum(axis=1)).ravel()
        rows[rows <= 0] = 1.0
        self.transitions = (sparse.diags((1.0 / rows ** self.alpha).astype(np.float32)) @ T).tocsr()

    def scores(self, user_items: UserItems, query: str | None = None) -> np.ndarray | None:
        """``Σ_a w_a T[a, :]``; ``None`` when no known item has a transition."""
        pos, w = self.user_vector(user_items)
        if pos.size == 0:
            return None
        if self.sharpen != 1.0:
            w = (np.sign(w) * np.abs(w) ** self.sharpen).astype(np.float32)
        out = np.asarray(self.transitions[pos].T @ w, dtype=np.float32).ravel()
        if self.second_order and out.any():
            first = out / float(np.abs(out).max())
            two = np.asarray(self.transitions.T @ first, dtype=np.float32).ravel()
            if two.any():
                out = first + self.second_order * two / float(np.abs(two).max())
        return out if out.any() else None
