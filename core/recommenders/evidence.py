"""Machine-readable evidence attached to every recommendation.

Evidence is the only material an explanation may use: nothing in it is generated, every
field is read off the models, the catalog and the filters that produced the item.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..catalog import Item

__all__ = ["Evidence", "Recommendation"]


@dataclass
class Evidence:
    """Why an item was recommended.

    Attributes:
        cf_neighbours: The user's items that drove the collaborative score, as
            ``(item_id, contribution)``, largest first (only positive contributions).
        content_neighbours: The user's liked items closest in content, ``(item_id, cosine)``.
        matched_terms: Words of the stated query found in the item's title/genres/tags/overview.
        matched_genres: Item genres that were asked for, or shared with the liked items.
        constraints_met: Human-readable filters the item passed (e.g. ``"genre Sci-Fi"``).
        popularity_rank: 1 = the most-liked item of the catalog.
        sources: Normalised score (0–1) of each model that contributed, plus ``"mmr"``
            (the final re-ranked score) when diversity re-ranking was applied.
    """

    cf_neighbours: list[tuple[str, float]] = field(default_factory=list)
    content_neighbours: list[tuple[str, float]] = field(default_factory=list)
    matched_terms: list[str] = field(default_factory=list)
    matched_genres: list[str] = field(default_factory=list)
    constraints_met: list[str] = field(default_factory=list)
    popularity_rank: int | None = None
    sources: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-able dict (tuples become two-element lists)."""
        data = asdict(self)
        data["cf_neighbours"] = [list(p) for p in self.cf_neighbours]
        data["content_neighbours"] = [list(p) for p in self.content_neighbours]
        return data


@dataclass
class Recommendation:
    """One recommended item with its score and evidence."""

    item: Item
    score: float
    evidence: Evidence = field(default_factory=Evidence)

    def to_dict(self) -> dict:
        """JSON form: item fields, score and evidence."""
        it = self.item
        return {"item_id": it.item_id, "title": it.title, "year": it.year, "genres": list(it.genres),
                "score": round(self.score, 4), "evidence": self.evidence.to_dict()}
