"""``tastebud bench``: every speed benchmark in one process, each figure next to its baseline.

* store: ingest throughput vs raw ``encode`` on a sample (ratio, goal ≥ 0.8); search p95 vs the
  query-encode p95 it cannot beat (:mod:`.bench_store`);
* recommend: hybrid ``recommend`` p95 vs a raw ``vector @ W`` over EASE's item × item matrix;
* agent: offline turn p50/p95 (goal p95 < 300 ms, :mod:`.bench_agent`).

Defaults keep the whole run within about three minutes on two cores; ``quick`` shrinks
every sample for a smoke run.
"""

from __future__ import annotations

import time
from typing import Any

from .timing import time_calls

__all__ = ["run_all", "bench_recommend", "format_results"]


def bench_recommend(services: Any, runs: int = 200, catalog: str | None = None) -> dict:
    """Hybrid ``recommend`` latency for a fold-in user of 5 items vs a dense ``vector @ W``."""
    import numpy as np

    from tastebud.recommenders import get_models

    models = get_models(services, catalog)
    hybrid = services.recommender(catalog)
    items = services.catalog(catalog).items
    support = models.ease.support
    liked = [items[p].item_id for p in support[:: max(1, support.size // 6)][:5]]
    user = {i: 1.0 for i in liked[:4]} | {liked[4]: -1.0}
    W = models.ease.weights
    dense = np.zeros(W.shape[0], dtype=np.float32)
    dense[:5] = 1.0
    raw = time_calls(lambda _i: dense @ W, runs)
    rec = time_calls(lambda _i: hybrid.recommend(user, n=20), runs)
    return {"matrix": list(W.shape), "raw_matvec": raw, "recommend": rec,
            "p95_ratio": round(rec["p95_ms"] / raw["p95_ms"], 2)}


def run_all(*, quick: bool = False) -> dict:
    """Run every benchmark; returns ``{"store": ..., "recommend": ..., "agent": ..., "seconds": ...}``."""
    from tastebud.services import Services
    from tastebud.settings import Settings

    from . import bench_agent, bench_store

    start = time.perf_counter()
    store = bench_store.run(sample=100 if quick else 300, queries=30 if quick else 100)
    services = Services(Settings(backend="offline"))
    services.store()
    recommend = bench_recommend(services, runs=50 if quick else 200)
    agent = bench_agent.run(services, turns=15 if quick else 50, warmup=3 if quick else 5)
    return {"store": store, "recommend": recommend, "agent": agent,
            "seconds": round(time.perf_counter() - start, 1)}


def _lat(stats: dict) -> str:
    return f"p50 {stats['p50_ms']:7.2f} ms  p95 {stats['p95_ms']:7.2f} ms"


def format_results(res: dict) -> str:
    """The figures as aligned text lines, each with its baseline and ratio."""
    s, r, a = res["store"], res["recommend"], res["agent"]
    enc = s["query_encode"]["p95_ms"]
    lines = [
        f"catalog: {s['items']} items; first use with shipped vectors {s['first_use_ingest_s']} s",
        f"ingest            {s['ingest_items_per_s']:9.1f} items/s   raw encode {s['raw_encode_items_per_s']:.1f} items/s"
        f"   ratio {s['ingest_to_encode_ratio']:.2f} (goal >= 0.8)",
        f"search            {_lat(s['search'])}   / query-encode p95 {enc:.2f} ms = {s['search']['p95_ms'] / enc:.2f}x"
        " (goal p95 < 50 ms)",
        f"search + filters  {_lat(s['search_filtered'])}   / query-encode p95 = "
        f"{s['search_filtered']['p95_ms'] / enc:.2f}x",
        f"recommend         {_lat(r['recommend'])}   / raw vector @ W {r['matrix'][0]}x{r['matrix'][1]} "
        f"p95 {r['raw_matvec']['p95_ms']:.2f} ms = {r['p95_ratio']:.2f}x",
        f"offline turn      {_lat(a)}   / goal p95 {a['goal_p95_ms']:.0f} ms = {a['p95_ms'] / a['goal_p95_ms']:.2f}x"
        f" (n={a['n']})",
        f"total {res['seconds']} s",
    ]
    return "\n".join(lines) + "\n"
