"""The recommender contract shared by every model, in the spirit of ``implicit``.

A model is fitted once on an :class:`Interactions` matrix (users × catalog items) and then
answers :meth:`Recommender.recommend` for a *fold-in* user given only as
``{item_id: weight}`` (positive = liked, negative = disliked), so it works in the first
turn of a chat. Every model returns catalog ids, never an excluded, filtered-out or input
item, with scores sorted descending; ties are broken by popularity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..catalog import Catalog
from ..retrieval import FilterMask, SearchFilters

__all__ = ["Interactions", "Recommender", "UserItems"]

#: A fold-in user: item id → weight (positive liked, negative disliked).
UserItems = Mapping[str, float]


@dataclass
class Interactions:
    """Implicit feedback: a users × items matrix whose columns follow catalog order.

    Attributes:
        catalog: The catalog; column ``j`` is ``catalog.items[j]``.
        matrix: CSR matrix (float32), ``matrix[u, j] > 0`` when user ``u`` liked item ``j``
            (the positives: popularity, evaluation targets and inputs).
        watched: Optional CSR matrix with the same rows, ``> 0`` for *every* item the user
            interacted with (rated at all, mentioned), liked or not. Models trained on the
            ``"watched"`` signal learn from it; ``None`` means "same as ``matrix``".
    """

    catalog: Catalog
    matrix: sparse.csr_matrix
    watched: sparse.csr_matrix | None = None

    def __post_init__(self) -> None:
        self.matrix = sparse.csr_matrix(self.matrix, dtype=np.float32)
        if self.matrix.shape[1] != len(self.catalog):
            raise ValueError(f"interactions have {self.matrix.shape[1]} columns, catalog has {len(self.catalog)} items")
        if self.watched is not None:
            self.watched = sparse.csr_matrix(self.watched, dtype=np.float32)
            if self.watched.shape != self.matrix.shape:
                raise ValueError(f"watched matrix {self.watched.shape} does not match positives {self.matrix.shape}")

    def signal(self, kind: str = "positive") -> sparse.csr_matrix:
        """Training matrix of a kind: ``"positive"`` (liked) or ``"watched"`` (any interaction).

        ``"watched"`` falls back to the positives when no watched matrix is known.
        """
        if kind not in ("positive", "watched"):
            raise ValueError(f"unknown training signal {kind!r} (positive or watched)")
        return self.watched if kind == "watched" and self.watched is not None else self.matrix

    def rows(self, index: np.ndarray) -> Interactions:
        """The interactions of the users at ``index`` (positives and watched alike)."""
        watched = self.watched[index] if self.watched is not None else None
        return Interactions(self.catalog, self.matrix[index], watched)

    @property
    def item_counts(self) -> np.ndarray:
        """Number of users with a positive interaction per item."""
        return np.asarray((self.matrix > 0).sum(axis=0)).ravel().astype(np.float32)

    @classmethod
    def from_pairs(cls, catalog: Catalog, pairs: Iterable[tuple[int, str]], weight: float = 1.0) -> Interactions:
        """Build from ``(user_index, item_id)`` pairs; unknown item ids are ignored."""
        rows, cols = [], []
        for user, item_id in pairs:
            pos = catalog.position(item_id)
            if pos is not None:
                rows.append(user)
                cols.append(pos)
        n_users = max(rows, default=-1) + 1
        data = np.full(len(rows), weight, dtype=np.float32)
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n_users, len(catalog)), dtype=np.float32)
        matrix.data[:] = np.minimum(matrix.data, weight)  # duplicates count once
        return cls(catalog, matrix)


class Recommender:
    """Base class: subclasses implement :meth:`fit` (calling ``super().fit``) and :meth:`scores`.

    Attributes:
        name: Short model name used in evidence and reports.
        catalog: The catalog the model was fitted on.
        popularity: Positive interactions per item (tie-breaker and cold start).
    """

    name = "base"

    def __init__(self) -> None:
        self.catalog: Catalog | None = None
        self.popularity = np.zeros(0, dtype=np.float32)
        self._filter_index: FilterMask | None = None

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, interactions: Interactions) -> Recommender:
        """Learn from ``interactions``; returns ``self``."""
        self.catalog = interactions.catalog
        self.popularity = interactions.item_counts
        if not self.popularity.any():  # no interactions at all: fall back to catalog popularity
            self.popularity = np.array([it.popularity for it in self.catalog.items], dtype=np.float32)
        self._filter_index = None
        return self

    @property
    def n_items(self) -> int:
        """Number of catalog items."""
        return len(self.catalog) if self.catalog is not None else 0

    def filter_index(self) -> FilterMask:
        """The (cached) vectorised filters of the catalog (shared with :class:`VectorIndex`)."""
        if self._filter_index is None:
            self._filter_index = FilterMask(self._require_catalog())
        return self._filter_index

    def _require_catalog(self) -> Catalog:
        if self.catalog is None:
            raise RuntimeError(f"{type(self).__name__} is not fitted; call fit() first")
        return self.catalog

    # -- scoring ---------------------------------------------------------------------------
    def user_vector(self, user_items: UserItems) -> tuple[np.ndarray, np.ndarray]:
        """Positions and weights of the known items in ``user_items`` (unknown ids dropped)."""
        catalog = self._require_catalog()
        pos, w = [], []
        for item_id, weight in user_items.items():
            p = catalog.position(item_id)
            if p is not None and weight:
                pos.append(p)
                w.append(float(weight))
        return np.array(pos, dtype=np.int64), np.array(w, dtype=np.float32)

    def scores(self, user_items: UserItems, query: str | None = None) -> np.ndarray | None:
        """Score every catalog item for a fold-in user; ``None`` when the model has no signal.

        Args:
            user_items: Item id → weight.
            query: Optional free-text request (only content-aware models use it).
        """
        raise NotImplementedError

    def coverage(self) -> np.ndarray:
        """Mask of the items this model can score (all items unless a subclass says otherwise)."""
        return np.ones(self.n_items, dtype=bool)

    def allowed(self, user_items: UserItems, *, exclude: Iterable[str] = (), candidates: Iterable[str] | None = None,
                filters: SearchFilters | None = None) -> np.ndarray:
        """Mask of items that may be returned: filters, candidates, minus exclusions and inputs."""
        catalog = self._require_catalog()
        mask = self.filter_index().mask(filters)
        if candidates is not None:
            keep = np.zeros(len(catalog), dtype=bool)
            keep[[p for p in (catalog.position(c) for c in candidates) if p is not None]] = True
            mask &= keep
        for item_id in list(exclude) + list(user_items):
            p = catalog.position(item_id)
            if p is not None:
                mask[p] = False
        return mask

    def rank(self, scores: np.ndarray, mask: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Top ``n`` allowed positions by score, ties broken by popularity (descending)."""
        idx = np.flatnonzero(mask)
        if n <= 0 or idx.size == 0:
            return []
        s = scores[idx]
        if idx.size > 4 * n + 64:  # shortlist, keeping every item tied with the n-th score
            kth = np.partition(s, idx.size - n)[idx.size - n]
            keep = s >= kth
            idx, s = idx[keep], s[keep]
        order = np.lexsort((-self.popularity[idx], -s))[:n]
        ids = self.catalog.items
        return [(ids[idx[o]].item_id, float(s[o])) for o in order]

    def recommend(self, user_items: UserItems, n: int = 10, *, exclude: Iterable[str] = (),
                  candidates: Iterable[str] | None = None, filters: SearchFilters | None = None,
                  query: str | None = None) -> list[tuple[str, float]]:
        """Recommend ``n`` items for a fold-in user.

        Args:
            user_items: Item id → weight (positive liked, negative disliked); unknown ids ignored.
            n: Number of items wanted.
            exclude: Item ids never to return (seen, already shown).
            candidates: When given, only these item ids may be returned.
            filters: Genre / year filters every returned item passes.
            query: Optional free-text request (used by content-aware models).

        Returns:
            ``(item_id, score)`` pairs, best first. Without any usable signal the model
            falls back to popularity within the filters (cold start).
        """
        mask = self.allowed(user_items, exclude=exclude, candidates=candidates, filters=filters)
        scores = self.scores(user_items, query=query)
        if scores is None:
            scores = self.popularity
        return self.rank(scores, mask, n)
