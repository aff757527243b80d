"""Hybrid recommender: normalise and blend several models, then re-rank with MMR.

Each component's scores are normalised over the allowed items — min-max over the items it
covers (items it cannot score get 0), or standardised (``normalise="zscore"``: mean 0, unit
deviation over the allowed items) — a component with no signal for this user (no known items,
constant scores) is dropped and the remaining weights renormalised. The blended top ``pool``
items are re-ranked by Maximal Marginal Relevance: ``λ · relevance − (1 − λ) · max cosine to
the items already picked``; ``λ = 1`` keeps the blended order.

Wished genres (``filters.genres``) are a hard filter unless ``genre_bonus`` is set: then they
are soft, an item gaining ``genre_bonus`` times the share of the wished genres it has.
Unwanted genres and years always stay hard. Components named in ``conversation_components``
(e.g. a next-mention model) read every title of the conversation (``mentioned``), not only the
person's own items.

Cold start: a user with no items and no query gets popularity within the filters; an item
without ratings is still reachable through the content component.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from ..retrieval import SearchFilters, matched_terms
from .base import Interactions, Recommender, UserItems
from .cf import ItemItemRecommender
from .content import ContentRecommender
from .evidence import Evidence, Recommendation

__all__ = ["HybridRecommender", "mmr", "DEFAULT_WEIGHTS", "Context", "NORMALISATIONS"]

#: Scores made for one request: ``{name: (raw scores over the catalog, blend weight)}``.
Context = Mapping[str, tuple[np.ndarray, float]]

#: Blend of the served hybrid (and of the one ``tastebud eval cf`` reports): weights of the
#: min-max normalised component scores.
DEFAULT_WEIGHTS = {"ease": 0.6, "content": 0.35, "popularity": 0.05}
#: How component scores are put on one scale before blending.
NORMALISATIONS = ("minmax", "zscore")


def mmr(relevance: np.ndarray, vectors: np.ndarray, n: int, lam: float) -> list[int]:
    """Greedy Maximal Marginal Relevance.

    Args:
        relevance: Relevance of each candidate (any scale; min-max normalised here).
        vectors: Unit vectors of the candidates, same order.
        n: Number to pick.
        lam: Trade-off in ``[0, 1]``; 1 = relevance only, 0 = diversity only.

    Returns:
        Indices into the candidates, in picking order.
    """
    m = relevance.shape[0]
    if m == 0 or n <= 0:
        return []
    span = relevance.max() - relevance.min()
    rel = (relevance - relevance.min()) / span if span > 0 else np.ones(m)
    sim = vectors @ vectors.T
    picked: list[int] = []
    max_sim = np.full(m, -np.inf)
    free = np.ones(m, dtype=bool)
    for _ in range(min(n, m)):
        penalty = np.where(np.isfinite(max_sim), max_sim, 0.0)
        value = np.where(free, lam * rel - (1 - lam) * penalty, -np.inf)
        best = int(np.argmax(value))
        picked.append(best)
        free[best] = False
        max_sim = np.maximum(max_sim, sim[best])
    return picked


class HybridRecommender(Recommender):
    """Blend of component recommenders with MMR diversity re-ranking.

    Args:
        components: ``{name: (model, weight)}``; fitted models are used as they are.
        vectors: Unit item vectors (catalog order) used for MMR similarity.
        mmr_lambda: MMR trade-off (1 = no diversification).
        pool: Candidates re-ranked by MMR, at least ``3 · n``.
        normalise: ``minmax`` or ``zscore`` (see the module docstring).
        genre_bonus: ``None``: wished genres filter; a number: they are soft, worth this much
            (on the blend's scale) for an item with all of them.
        conversation_components: Components scoring the conversation's titles (``mentioned``).
    """

    name = "hybrid"

    def __init__(self, components: Mapping[str, tuple[Recommender, float]], vectors: np.ndarray, *,
                 mmr_lambda: float = 0.8, pool: int = 60, normalise: str = "minmax",
                 genre_bonus: float | None = None, conversation_components: Sequence[str] = ()) -> None:
        super().__init__()
        if not components:
            raise ValueError("a hybrid needs at least one component")
        if normalise not in NORMALISATIONS:
            raise ValueError(f"normalise must be one of {', '.join(NORMALISATIONS)}, not {normalise!r}")
        self.components = dict(components)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.mmr_lambda = mmr_lambda
        self.pool = pool
        self.normalise = normalise
        self.genre_bonus = genre_bonus
        self.conversation_components = tuple(conversation_components)
        self._pop_rank: np.ndarray | None = None
        first = next(iter(self.components.values()))[0]
        if first.catalog is not None:
            self._adopt(first)

    def _adopt(self, model: Recommender) -> None:
        self.catalog, self.popularity = model.catalog, model.popularity
        self._filter_index, self._pop_rank = None, None

    def fit(self, interactions: Interactions) -> HybridRecommender:
        """Fit every component on ``interactions``."""
        for model, _ in self.components.values():
            model.fit(interactions)
        super().fit(interactions)
        self._pop_rank = None
        return self

    def component_scores(self, user_items: UserItems, mask: np.ndarray, query: str | None = None,
                         context: Context | None = None, mentioned: UserItems | None = None) -> dict[str, np.ndarray]:
        """Normalised scores of each component with a signal, over allowed items.

        ``context`` adds scores made for this request only (``{name: (scores over the catalog,
        weight)}``, e.g. the dialogue model's reading of the conversation), blended the same way.
        ``mentioned``: the conversation's titles, read (with ``user_items`` on top) by the
        :attr:`conversation_components`.
        """
        out = {}
        talk = {**(mentioned or {}), **user_items}
        raws = [(name, model.scores(talk if name in self.conversation_components else user_items, query=query),
                 model.coverage()) for name, (model, weight) in self.components.items() if weight > 0]
        raws += [(name, np.asarray(raw, dtype=np.float32), np.ones(self.n_items, dtype=bool))
                 for name, (raw, weight) in (context or {}).items() if weight > 0]
        for name, raw, coverage in raws:
            if raw is None:
                continue
            covered = mask & coverage
            if not covered.any():
                continue
            norm = np.zeros(self.n_items, dtype=np.float32)
            if self.normalise == "zscore":
                vals = raw[mask]
                sd = float(vals.std())
                if sd <= 1e-12:
                    continue
                norm[mask] = (vals - float(vals.mean())) / sd
            else:
                vals = raw[covered]
                lo, hi = float(vals.min()), float(vals.max())
                if hi - lo <= 1e-12:
                    continue
                norm[covered] = (vals - lo) / (hi - lo)
            out[name] = norm
        return out

    def scores(self, user_items: UserItems, query: str | None = None) -> np.ndarray | None:
        """Weighted blend of the normalised component scores (``None`` if none has a signal)."""
        mask = np.ones(self.n_items, dtype=bool)
        return self._blend(self.component_scores(user_items, mask, query))

    def _blend(self, parts: dict[str, np.ndarray], context: Context | None = None) -> np.ndarray | None:
        signal = {k: v for k, v in parts.items() if k != "popularity"}
        if not signal:
            return None
        weights = {**{k: w for k, (_, w) in self.components.items()}, **{k: w for k, (_, w) in (context or {}).items()}}
        total = sum(weights[k] for k in parts)
        return sum(weights[k] / total * v for k, v in parts.items())

    def _hard(self, filters: SearchFilters | None) -> SearchFilters | None:
        """The filters that exclude: all of them, or all but the wished genres when those are soft."""
        if filters is None or self.genre_bonus is None or not filters.genres:
            return filters
        return replace(filters, genres=[])

    def _relevance(self, user_items: UserItems, mask: np.ndarray, query: str | None, context: Context | None = None,
                   filters: SearchFilters | None = None, mentioned: UserItems | None = None
                   ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Normalised component scores over ``mask`` and their blend (popularity on cold start),
        plus the soft wished genres of ``filters``."""
        parts = self.component_scores(user_items, mask, query, context, mentioned)
        blended = self._blend(parts, context)
        if blended is None:  # cold start: popularity within the filters
            parts = {"popularity": self.popularity / max(float(self.popularity.max()), 1.0)}
            blended = parts["popularity"]
        if self._hard(filters) is not filters:
            wished = set(filters.resolved(self._require_catalog()).genres)
            share = np.array([len(wished.intersection(i.genres)) for i in self.catalog.items], np.float32) / len(wished)
            blended = blended + np.float32(self.genre_bonus) * share
        return parts, blended

    def _ranked(self, user_items: UserItems, n: int, exclude: Iterable[str], candidates: Iterable[str] | None,
                filters: SearchFilters | None, query: str | None, context: Context | None = None,
                mentioned: UserItems | None = None) -> tuple[list[int], np.ndarray, dict]:
        mask = self.allowed(user_items, exclude=exclude, candidates=candidates, filters=self._hard(filters))
        parts, blended = self._relevance(user_items, mask, query, context, filters, mentioned)
        ranked = [self.catalog.position(i) for i, _ in self.rank(blended, mask, max(self.pool, 3 * n))]
        final = np.array(blended, dtype=np.float32, copy=True)
        if self.mmr_lambda < 1.0 and len(ranked) > 1:
            idx = np.array(ranked)
            order = mmr(blended[idx], self.vectors[idx], n, self.mmr_lambda)
            ranked = [ranked[o] for o in order]
            # report a strictly decreasing score that follows the MMR order
            top = [float(blended[p]) for p in ranked]
            for i, p in enumerate(ranked):
                final[p] = min(top[: i + 1]) - 1e-6 * i
        return ranked[:n], final, parts

    def recommend(self, user_items: UserItems, n: int = 10, *, exclude: Iterable[str] = (),
                  candidates: Iterable[str] | None = None, filters: SearchFilters | None = None,
                  query: str | None = None) -> list[tuple[str, float]]:
        """See :meth:`Recommender.recommend`; the order is the MMR re-ranked one."""
        ranked, final, _ = self._ranked(user_items, n, exclude, candidates, filters, query)
        return [(self.catalog.items[p].item_id, float(final[p])) for p in ranked]

    def recommend_with_evidence(self, user_items: UserItems, n: int = 10, *, exclude: Iterable[str] = (),
                                candidates: Iterable[str] | None = None, filters: SearchFilters | None = None,
                                query: str | None = None, context: Context | None = None,
                                mentioned: UserItems | None = None) -> list[Recommendation]:
        """Like :meth:`recommend`, returning :class:`Recommendation` objects with evidence
        (``context``: request-only scores, ``mentioned``: the conversation's titles, see
        :meth:`component_scores`)."""
        ranked, final, parts = self._ranked(user_items, n, exclude, candidates, filters, query, context, mentioned)
        if filters is not None:
            filters = filters.resolved(self.catalog)
        return [self._evidence(p, float(final[p]), parts, user_items, filters, query) for p in ranked]

    def explain(self, user_items: UserItems, item_id: str, *, filters: SearchFilters | None = None,
                query: str | None = None) -> Recommendation | None:
        """Evidence for one item, as a :meth:`recommend_with_evidence` call over all items would give it.

        Component scores are normalised over every allowed item (``filters`` applied, the
        user's own items left out, no candidate restriction), exactly as in a normal call,
        so a single item keeps its CF, content and popularity evidence even when it would
        not make the top ``n``. Unlike a normal call the item is explained even if it is one
        of ``user_items``.

        Args:
            user_items: Item id → weight, as for :meth:`recommend`.
            item_id: The item to explain.
            filters: The filters of the request; the item must pass them.
            query: Optional free-text request.

        Returns:
            The item with its blended relevance (before MMR re-ranking) and evidence, or
            ``None`` when the item is unknown or fails ``filters`` (call again without them
            to explain it anyway).
        """
        catalog = self._require_catalog()
        pos = catalog.position(item_id)
        if pos is None or not self.filter_index().mask(self._hard(filters))[pos]:
            return None
        mask = self.allowed(user_items, filters=self._hard(filters))
        mask[pos] = True
        parts, blended = self._relevance(user_items, mask, query, filters=filters)
        if filters is not None:
            filters = filters.resolved(catalog)
        return self._evidence(pos, float(blended[pos]), parts, user_items, filters, query)

    def popularity_rank(self, pos: int) -> int:
        """1-based rank of catalog position ``pos`` by popularity."""
        if self._pop_rank is None:
            order = np.lexsort((np.arange(self.n_items), -self.popularity))
            self._pop_rank = np.empty(self.n_items, dtype=np.int64)
            self._pop_rank[order] = np.arange(1, self.n_items + 1)
        return int(self._pop_rank[pos])

    def _evidence(self, pos: int, score: float, parts: dict[str, np.ndarray], user_items: UserItems,
                  filters: SearchFilters | None, query: str | None) -> Recommendation:
        item = self.catalog.items[pos]
        ev = Evidence(popularity_rank=self.popularity_rank(pos),
                      sources={k: round(float(v[pos]), 4) for k, v in parts.items()})
        for name, (model, _) in self.components.items():
            if isinstance(model, ItemItemRecommender) and name in parts and not ev.cf_neighbours:
                ev.cf_neighbours = model.contributions(user_items, item.item_id)
            if isinstance(model, ContentRecommender) and name in parts:
                ev.content_neighbours = model.similar_liked(user_items, item.item_id)
        if query:
            ev.matched_terms = matched_terms(query, item)
        wanted = set(filters.genres) if filters else set()
        for item_id, weight in user_items.items():
            liked = self.catalog.get(item_id) if weight > 0 else None
            wanted.update(liked.genres if liked else ())
        ev.matched_genres = [g for g in item.genres if g in wanted]
        ev.constraints_met = [c for c in filters.describe() if not c.startswith("genre ")
                              or c[len("genre "):] in item.genres] if filters else []
        return Recommendation(item, score, ev)
