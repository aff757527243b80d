"""Semantic search over a catalog's item store, with metadata filters.

Two interchangeable indexes answer :func:`semantic_search`: :class:`ChromaIndex` (the query
runs in Chroma: HNSW plus a ``where`` filter) and :class:`VectorIndex` (exact, every vector
in memory). ``Settings.engine_for`` is the one rule choosing between them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .catalog import Catalog, Item
from .embedding import Embedder
from .errors import EmptyQueryError, TastebudError, UnknownGenreError
from .store import ItemStore, build_where

__all__ = [
    "ChromaIndex",
    "FilterMask",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "VectorIndex",
    "matched_terms",
    "semantic_search",
]

_STOP = frozenset("""a an and are as at be but by for from has have i i'm im in is it its like me movie movies
film films my of on or show something some that the this to want with you your about any very really
want wanna would looking watch watching""".split())


@dataclass
class SearchFilters:
    """Filters a search must honour; genre names are resolved against the catalog."""

    genres: list[str] = field(default_factory=list)
    exclude_genres: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def resolved(self, catalog: Catalog) -> SearchFilters:
        """Copy with genre names mapped to the catalog vocabulary (raises on unknown ones)."""
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise TastebudError(f"year range is empty: {self.year_from} > {self.year_to}")
        return SearchFilters([catalog.resolve_genre(g) for g in self.genres],
                             [catalog.resolve_genre(g) for g in self.exclude_genres], self.year_from, self.year_to)

    def where(self) -> dict | None:
        """Chroma ``where`` clause."""
        return build_where(self.genres, self.exclude_genres, self.year_from, self.year_to)

    def passes(self, item: Item) -> bool:
        """Whether an item satisfies the filters (same semantics as :meth:`where`)."""
        if any(g not in item.genres for g in self.genres) or any(g in item.genres for g in self.exclude_genres):
            return False
        if (self.year_from is not None or self.year_to is not None) and not item.year:
            return False
        return not ((self.year_from and item.year < self.year_from) or (self.year_to and item.year > self.year_to))

    def describe(self) -> list[str]:
        """Human-readable list of active filters (used as evidence)."""
        out = [f"genre {g}" for g in self.genres] + [f"not {g}" for g in self.exclude_genres]
        if self.year_from and self.year_to:
            out.append(f"released {self.year_from}–{self.year_to}")
        elif self.year_from:
            out.append(f"released {self.year_from} or later")
        elif self.year_to:
            out.append(f"released {self.year_to} or earlier")
        return out


@dataclass
class SearchHit:
    """One search result: the item, its cosine similarity, and the query words it contains."""

    item: Item
    score: float
    matched_terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form used by ``tastebud search --json``."""
        it = self.item
        return {"item_id": it.item_id, "title": it.title, "year": it.year, "genres": it.genres,
                "score": round(self.score, 4), "popularity": it.popularity, "matched_terms": self.matched_terms}


def matched_terms(query: str, item: Item) -> list[str]:
    """Query words (no stop words) that occur in the item's title, genres, tags or overview."""
    words = [w for w in re.findall(r"[^\W_][\w'-]+", query.lower()) if w not in _STOP]  # "café", not "caf"
    text = item.document().lower()
    return list(dict.fromkeys(w for w in words if re.search(rf"\b{re.escape(w)}", text)))


class FilterMask:
    """:class:`SearchFilters` evaluated over a whole catalog at once, as a boolean row mask.

    Same semantics as :meth:`SearchFilters.passes` and Chroma's :func:`build_where`; genre
    names are resolved like :meth:`SearchFilters.resolved` (any case, aliases). Shared by
    :class:`VectorIndex` and the recommenders.

    Args:
        catalog: The items, in row order.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.years = np.array([item.year or 0 for item in catalog], dtype=np.int32)
        self.genre_index = {g: j for j, g in enumerate(catalog.genres())}
        self._by_lower = {g.lower(): g for g in self.genre_index}
        self.genre_matrix = np.zeros((len(catalog), len(self.genre_index)), dtype=bool)
        for row, item in enumerate(catalog):
            for g in item.genres:
                self.genre_matrix[row, self.genre_index[g]] = True

    def column(self, genre: str) -> np.ndarray:
        """Rows having ``genre`` (resolved against the catalog vocabulary).

        Raises:
            UnknownGenreError: The catalog has no such genre.
        """
        name = genre if genre in self.genre_index else self._by_lower.get(genre.lower())
        if name is None:
            name = self.catalog.resolve_genre(genre)
            if name not in self.genre_index:  # pragma: no cover - resolve_genre uses the same vocabulary
                raise UnknownGenreError(genre, list(self.genre_index))
        return self.genre_matrix[:, self.genre_index[name]]

    def mask(self, filters: SearchFilters | None) -> np.ndarray:
        """Boolean row mask of the items passing ``filters`` (all ``True`` when ``None``).

        Raises:
            UnknownGenreError: A filter names a genre the catalog lacks.
            TastebudError: The year range is empty.
        """
        ok = np.ones(len(self.catalog), dtype=bool)
        if filters is None:
            return ok
        SearchFilters([], [], filters.year_from, filters.year_to).resolved(self.catalog)  # validates years
        for g in filters.genres:
            ok &= self.column(g)
        for g in filters.exclude_genres:
            ok &= ~self.column(g)
        if filters.year_from is not None or filters.year_to is not None:
            ok &= self.years >= max(1, filters.year_from or 1)
        if filters.year_to is not None:
            ok &= self.years <= filters.year_to
        return ok


class VectorIndex:
    """Exact, filtered nearest-neighbour search over a catalog's vectors held in memory.

    The option for small catalogs (and for the recommenders, which score every item anyway):
    one matrix product over the cached vectors, filters evaluated on precomputed arrays
    (:class:`FilterMask`) with the same semantics as :func:`build_where`.

    Args:
        catalog: The items, in the row order of ``matrix``.
        matrix: ``(len(catalog), dim)`` unit vectors.
    """

    def __init__(self, catalog: Catalog, matrix: np.ndarray) -> None:
        self.catalog, self.matrix = catalog, np.ascontiguousarray(matrix, dtype=np.float32)
        self.filters = FilterMask(catalog)

    def mask(self, filters: SearchFilters | None) -> np.ndarray:
        """Boolean row mask of items passing ``filters`` (see :meth:`FilterMask.mask`)."""
        return self.filters.mask(filters)

    def top(self, scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best ``k`` rows of ``scores`` among ``mask``: ``[(row, score)]``, best first."""
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        rows = np.argpartition(-scores, k - 1)[:k]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        return [(int(r), float(scores[r])) for r in rows]

    def search(self, vector: np.ndarray, k: int = 10, filters: SearchFilters | None = None,
               exclude: Iterable[str] = ()) -> list[tuple[Item, float]]:
        """Nearest items to ``vector`` that pass ``filters`` and are not in ``exclude``."""
        mask = self.mask(filters)
        for item_id in exclude:
            pos = self.catalog.position(item_id)
            if pos is not None:
                mask[pos] = False
        return [(self.catalog.items[r], s) for r, s in self.top(self.matrix @ vector, k, mask)]


class ChromaIndex:
    """Filtered approximate nearest-neighbour search run by Chroma: no vector held in memory.

    A plain search is one HNSW query. A filtered one first asks Chroma for a wider unfiltered
    neighbour list, sized from the share of the catalog passing the filters (evaluated on the
    catalog's metadata, :class:`FilterMask`), and keeps the items passing: once ``k`` pass they
    are the filtered top ``k`` (a better passing item would be among them; only the first quarter
    of the list HNSW returns is used, its tail being less sure: with the first half, about one
    filtered query in a hundred missed a true neighbour on the shipped catalog, none with a
    quarter). The list widens 4× up to ``max_candidates``; past that the query is restricted to the passing ids when there are
    at most ``max_ids``, else runs with the filters as a ``where`` clause (:func:`build_where`).
    Why not always ``where``: Chroma resolves a ``where`` clause against its metadata before the
    graph search, at a cost growing with the collection (≈ 0.2–1 s at 100,000 items on a busy
    2-core machine); a list of ids costs ≈ 50 ms and a wider HNSW query a few milliseconds.
    Excluded ids are over-fetched and dropped (``where`` filters metadata, not ids).

    Args:
        catalog: The items (looked up by id for the hits and the filters).
        store: The catalog's ingested :class:`ItemStore`.
        overfetch: Smallest unfiltered list of a filtered search, in multiples of the results wanted.
        max_candidates: Widest unfiltered list before a restricted query (0: none).
        max_ids: Most passing ids sent as an id list; more are sent as the ``where`` clause.
    """

    def __init__(self, catalog: Catalog, store: ItemStore, overfetch: int = 10, max_candidates: int = 2000,
                 max_ids: int = 20_000) -> None:
        self.catalog, self.store = catalog, store
        self.overfetch, self.max_candidates, self.max_ids = overfetch, max_candidates, max_ids
        self._mask: FilterMask | None = None

    def search(self, vector: np.ndarray, k: int = 10, filters: SearchFilters | None = None,
               exclude: Iterable[str] = ()) -> list[tuple[Item, float]]:
        """Nearest items to ``vector`` that pass ``filters`` and are not in ``exclude``.

        Raises:
            UnknownGenreError: A filter names a genre the catalog lacks.
            TastebudError: The year range is empty.
        """
        filters = (filters or SearchFilters()).resolved(self.catalog)
        where = filters.where()
        skip = {i for i in exclude if i in self.catalog}
        want = k + len(skip)
        if where is None:
            return self._keep(self.store.query(vector, want), skip, None)[:k]
        if self._mask is None:
            self._mask = FilterMask(self.catalog)
        ok = self._mask.mask(filters)
        passing = int(ok.sum())
        if passing == 0:
            return []
        n = max(self.overfetch * want, -(-2 * want * len(self.catalog) // passing))
        while n <= self.max_candidates:
            wide = self.store.query(vector, 4 * n)  # HNSW's list is surest at its head: trust its first quarter
            whole = len(wide) < 4 * n  # the whole catalog seen
            hits = self._keep(wide if whole else wide[:n], skip, ok)
            if len(hits) >= k or whole:
                return hits[:k]
            n *= 4
        if passing <= self.max_ids:  # the passing ids themselves: cheaper for Chroma than its metadata filter
            allowed = [self.catalog.items[r].item_id for r in np.flatnonzero(ok)]
            return self._keep(self.store.query(vector, want, ids=allowed), skip, None)[:k]
        return self._keep(self.store.query(vector, want, where=where), skip, None)[:k]

    def _keep(self, hits: list[tuple[str, float]], skip: set[str], ok: np.ndarray | None) -> list[tuple[Item, float]]:
        out = []
        for item_id, score in hits:
            pos = self.catalog.position(item_id)
            if pos is not None and item_id not in skip and (ok is None or ok[pos]):
                out.append((self.catalog.items[pos], score))
        return out


#: What :func:`semantic_search` searches: the in-memory exact index or Chroma.
SearchIndex = VectorIndex | ChromaIndex


def semantic_search(index: SearchIndex, embedder: Embedder, query: str, *, k: int = 10,
                    filters: SearchFilters | None = None, exclude: Iterable[str] = ()) -> list[SearchHit]:
    """Rank catalog items by embedding similarity to ``query`` within ``filters``.

    Raises:
        EmptyQueryError: ``query`` is empty or whitespace.
        UnknownGenreError: A filter names a genre the catalog lacks.
    """
    if not query or not query.strip():
        raise EmptyQueryError("the search query is empty; say what you are looking for")
    filters = (filters or SearchFilters()).resolved(index.catalog)
    hits = index.search(embedder.encode_query(query.strip()), k=max(1, k), filters=filters, exclude=exclude)
    return [SearchHit(item, score, matched_terms(query, item)) for item, score in hits]
