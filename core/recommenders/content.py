"""Content-based recommender: embedding similarity to liked items and to a stated query.

The user profile is ``mean(liked vectors) − penalty · mean(disliked vectors)`` plus the
query vector; an item's score is the dot product of its unit vector with that profile.
Every item with a vector is reachable, rated or not (item cold start).
"""

from __future__ import annotations

import numpy as np

from ..embedding import Embedder
from .base import Interactions, Recommender, UserItems

__all__ = ["ContentRecommender", "catalog_vectors"]


def catalog_vectors(services, name: str | None = None) -> np.ndarray:
    """Unit item vectors in catalog order for ``services.catalog(name)`` (see ``Services.item_vectors``)."""
    return services.item_vectors(name)


class ContentRecommender(Recommender):
    """Rank by cosine similarity between item embeddings and the user's profile.

    Args:
        vectors: ``(n_items, dim)`` unit vectors, row ``i`` = catalog item ``i``.
        embedder: Encodes a free-text query; without it queries are ignored.
        dislike_penalty: Weight of the disliked-items centroid subtracted from the profile.
        query_weight: Weight of the query vector relative to the liked-items centroid.
    """

    name = "content"

    def __init__(self, vectors: np.ndarray, embedder: Embedder | None = None, *, dislike_penalty: float = 0.5,
                 query_weight: float = 1.0) -> None:
        super().__init__()
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.embedder = embedder
        self.dislike_penalty = dislike_penalty
        self.query_weight = query_weight
        self._query_cache: dict[str, np.ndarray] = {}

    def fit(self, interactions: Interactions) -> ContentRecommender:
        """Record the catalog (content needs no training); checks the vector count."""
        if self.vectors.shape[0] != len(interactions.catalog):
            raise ValueError(f"{self.vectors.shape[0]} vectors for {len(interactions.catalog)} catalog items")
        super().fit(interactions)
        return self

    def query_vector(self, query: str | None) -> np.ndarray | None:
        """Embedding of ``query`` (cached), or ``None`` without a query or an embedder."""
        if not query or not query.strip() or self.embedder is None:
            return None
        key = query.strip()
        if key not in self._query_cache:
            if len(self._query_cache) > 256:
                self._query_cache.clear()
            self._query_cache[key] = np.asarray(self.embedder.encode_query(key), dtype=np.float32)
        return self._query_cache[key]

    def profile(self, user_items: UserItems, query: str | None = None) -> np.ndarray | None:
        """The user's profile vector, or ``None`` when there is nothing to go on."""
        pos, w = self.user_vector(user_items)
        parts = []
        liked, disliked = w > 0, w < 0
        if liked.any():
            parts.append(w[liked] @ self.vectors[pos[liked]] / w[liked].sum())
        if disliked.any():
            parts.append(-self.dislike_penalty * (-w[disliked]) @ self.vectors[pos[disliked]] / -w[disliked].sum())
        qv = self.query_vector(query)
        if qv is not None:
            parts.append(self.query_weight * qv)
        return np.sum(parts, axis=0) if parts else None

    def scores(self, user_items: UserItems, query: str | None = None) -> np.ndarray | None:
        """Dot product of every item vector with :meth:`profile`."""
        prof = self.profile(user_items, query)
        return None if prof is None else self.vectors @ prof

    def similar_liked(self, user_items: UserItems, item_id: str, k: int = 2) -> list[tuple[str, float]]:
        """The user's liked items most similar in content to ``item_id``: ``[(item_id, cosine)]``."""
        target = self.catalog.position(item_id) if self.catalog is not None else None
        pos, w = self.user_vector(user_items)
        pos = pos[w > 0]
        if target is None or pos.size == 0:
            return []
        sims = self.vectors[pos] @ self.vectors[target]
        order = np.argsort(-sims)[:k]
        return [(self.catalog.items[pos[o]].item_id, round(float(sims[o]), 4)) for o in order if sims[o] > 0]
