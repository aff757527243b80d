"""Semantic search over a catalog's item store, with metadata filters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .catalog import Catalog, Item
from .embedding import Embedder
from .errors import EmptyQueryError, TastebudError
from .store import ItemStore, build_where

__all__ = ["SearchFilters", "SearchHit", "semantic_search", "matched_terms"]

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
        if self.year_from or self.year_to:
            out.append(f"years {self.year_from or '…'}–{self.year_to or '…'}")
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
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9'-]+", query.lower()) if w not in _STOP]
    text = item.document().lower()
    return list(dict.fromkeys(w for w in words if re.search(rf"\b{re.escape(w)}", text)))


def semantic_search(store: ItemStore, catalog: Catalog, embedder: Embedder, query: str, *, k: int = 10,
                    filters: SearchFilters | None = None) -> list[SearchHit]:
    """Rank catalog items by embedding similarity to ``query`` within ``filters``.

    Raises:
        EmptyQueryError: ``query`` is empty or whitespace.
        UnknownGenreError: A filter names a genre the catalog lacks.
    """
    if not query or not query.strip():
        raise EmptyQueryError("the search query is empty; say what you are looking for")
    filters = (filters or SearchFilters()).resolved(catalog)
    hits = store.query(embedder.encode_query(query.strip()), k=max(1, k), where=filters.where())
    out = []
    for item_id, score in hits:
        item = catalog.get(item_id)
        if item is not None:
            out.append(SearchHit(item, score, matched_terms(query, item)))
    return out
