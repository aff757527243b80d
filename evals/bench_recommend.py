"""Benchmark: ``recommend()`` latency for a fold-in user next to a raw numpy mat-vec.

Run ``python -m tastebud.evals.bench_recommend [--catalog movies] [--runs 200]``. Prints
p50/p95 in milliseconds of EASE and hybrid ``recommend`` (with and without a genre filter)
for a user given as a handful of liked/disliked items, next to a dense ``vector @ W`` over
EASE's item × item matrix (the floor any CF scoring of that size pays), and their ratios.
A benchmark, never a test assertion.
"""

from __future__ import annotations

import argparse

import numpy as np

from .timing import time_calls

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table."""
    from tastebud.recommenders import get_models, load_hybrid
    from tastebud.retrieval import SearchFilters
    from tastebud.services import Services
    from tastebud.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default="movies")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    services = Services(Settings())
    models = get_models(services, args.catalog)
    hybrid = load_hybrid(services, args.catalog, models=models)
    catalog = services.catalog(args.catalog)
    liked = [catalog.items[p].item_id for p in models.ease.support[:: max(1, models.ease.support.size // 6)][:5]]
    user = {i: 1.0 for i in liked[:4]} | {liked[4]: -1.0}
    W = models.ease.weights
    dense_user = np.zeros(W.shape[0], dtype=np.float32)
    dense_user[:5] = 1.0
    filters = SearchFilters(genres=[catalog.genres()[0]])
    rows = [("numpy vector @ W", lambda: dense_user @ W),
            ("ease.recommend", lambda: models.ease.recommend(user, n=20)),
            ("hybrid.recommend", lambda: hybrid.recommend(user, n=20)),
            ("hybrid.recommend + filter", lambda: hybrid.recommend(user, n=20, filters=filters)),
            ("hybrid + evidence", lambda: hybrid.recommend_with_evidence(user, n=10))]
    print(f"catalog {catalog.name}: {len(catalog)} items, W {W.shape[0]}×{W.shape[1]} float32, "
          f"fold-in user with {len(user)} items, {args.runs} runs")
    base = None
    print(f"{'operation':<28}{'p50 ms':>9}{'p95 ms':>9}{'p50 ×':>8}{'p95 ×':>8}")
    for label, fn in rows:
        stats = time_calls(lambda _i, fn=fn: fn(), args.runs)
        p50, p95 = stats["p50_ms"], stats["p95_ms"]
        base = base or (p50, p95)
        print(f"{label:<28}{p50:>9.2f}{p95:>9.2f}{p50 / base[0]:>8.1f}{p95 / base[1]:>8.1f}")


if __name__ == "__main__":
    main()
