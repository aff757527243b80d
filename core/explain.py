"""Grounded reasons: turn a recommendation's :class:`Evidence` into short sentences.

Every reason names the evidence source it comes from (``cf``, ``content``, ``query``,
``genre``, ``constraint``, ``popularity``) and uses only item titles from the catalog and
values recorded in the evidence — nothing is invented here or later. The words are the
catalog's domain's ("readers who liked *Dune* also liked it", "widely read").
"""

from __future__ import annotations

from .catalog import Catalog
from .recommenders import Recommendation

__all__ = ["POPULAR_RANKS", "POPULAR_SHARE", "join_names", "reasons", "recommendation_payload"]

#: "Widely read" means among the catalog's most popular POPULAR_SHARE of items, and at most
#: POPULAR_RANKS of them (MovieLens: the top 194 of 9,742; a 300-game catalog: the top 6).
POPULAR_SHARE = 0.02
POPULAR_RANKS = 200


def _titles(catalog: Catalog, pairs: list[tuple[str, float]], limit: int = 2) -> list[str]:
    out = []
    for item_id, _ in pairs[:limit]:
        item = catalog.get(item_id)
        if item is not None:
            out.append(item.label)
    return out


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reasons(rec: Recommendation, catalog: Catalog) -> list[dict[str, str]]:
    """Reasons for one recommendation, strongest evidence first.

    Returns:
        ``[{"source": ..., "text": ...}]``; never empty (popularity is always known).
    """
    ev, out, domain = rec.evidence, [], catalog.domain
    cf = _titles(catalog, ev.cf_neighbours)
    if cf:
        out.append({"source": "cf", "text": f"{domain.people} who liked {join_names(cf)} also liked it"})
    content = [t for t in _titles(catalog, ev.content_neighbours) if t not in cf]
    if content:
        out.append({"source": "content", "text": f"close in story and themes to {join_names(content)}"})
    if ev.matched_terms:
        terms = ", ".join(f"“{t}”" for t in ev.matched_terms[:4])
        out.append({"source": "query", "text": f"its description matches {terms}"})
    asked = [g for g in ev.matched_genres if f"genre {g}" in ev.constraints_met]
    shared = [g for g in ev.matched_genres if g not in asked]
    if asked:
        out.append({"source": "genre", "text": f"{join_names(asked)}, as you asked"})
    if shared:
        out.append({"source": "genre", "text": f"{join_names(shared)}, like {domain.plural} you liked"})
    if ev.constraints_met:
        out.append({"source": "constraint", "text": "fits your filters: " + ", ".join(ev.constraints_met)})
    rank, size = ev.popularity_rank, len(catalog)
    if rank is not None and rank <= min(POPULAR_RANKS, max(1, round(size * POPULAR_SHARE))):
        out.append({"source": "popularity", "text": f"{domain.popular} (#{rank} of {size:,} here)"})
    elif rank is not None and not out:  # the only thing known about it: its rank, not "widely read"
        out.append({"source": "popularity", "text": f"#{rank} of {size:,} by popularity here"})
    return out


def recommendation_payload(rec: Recommendation, catalog: Catalog) -> dict:
    """The structured form of a recommendation shared by tools, CLI, UI and evals."""
    item = rec.item
    data = rec.to_dict()
    data.update({"overview": item.overview[:400], "reasons": reasons(rec, catalog)})
    return data
