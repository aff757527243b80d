"""Benchmark of the item store on the default catalog (run: ``python -m tastebud.evals.bench_store``).

Prints ingest throughput next to raw ``model.encode`` throughput on the same texts (goal
ratio ≥ 0.8), the first-use ingest of the shipped catalog with precomputed vectors, and
search latency p50/p95 over 200 queries with and without filters (goal p95 < 50 ms).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from tastebud.catalog import Catalog
from tastebud.evals.timing import time_calls
from tastebud.retrieval import SearchFilters
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.store import ItemStore

__all__ = ["run", "main"]

_QUERIES = ["a space adventure with aliens", "funny road trip", "scary haunted house", "heist with a clever twist",
            "romantic comedy in paris", "war drama about soldiers", "animated film for kids", "courtroom thriller",
            "dystopian future rebellion", "coming of age story", "detective noir mystery", "western gunfight",
            "musical about dreams", "time travel paradox", "zombie outbreak", "superhero origin story",
            "sports underdog", "biography of a musician", "dinosaurs on an island", "artificial intelligence"]
_FILTERS = [SearchFilters(genres=["Sci-Fi"]), SearchFilters(exclude_genres=["Horror"], year_from=1990, year_to=1999),
            SearchFilters(genres=["Comedy"], year_from=2000), SearchFilters(genres=["Drama", "War"])]


def run(sample: int = 1000, queries: int = 200) -> dict:
    """Run the benchmark; returns the figures as a dict."""
    with tempfile.TemporaryDirectory() as home:
        services = Services(Settings(home=Path(home)))
        start = time.perf_counter()
        services.store("movies")
        first_use = time.perf_counter() - start
        catalog = services.catalog("movies")
        subset = Catalog("bench", catalog.items[:sample])
        texts = [item.document() for item in subset]
        embedder = services.embedder
        embedder.encode(texts[:64])  # warm-up
        start = time.perf_counter()
        embedder.encode(texts)
        raw_rate = sample / (time.perf_counter() - start)
        store = ItemStore(services.client, "bench", embedder)
        start = time.perf_counter()
        store.ingest(subset, batch_size=256)
        ingest_rate = sample / (time.perf_counter() - start)
        plain = time_calls(lambda i: services.search(_QUERIES[i % len(_QUERIES)] + f" {i}", k=10), queries)
        filtered = time_calls(lambda i: services.search(_QUERIES[i % len(_QUERIES)] + f" {i}", k=10,
                                                        filters=_FILTERS[i % len(_FILTERS)]), queries)
        encode_only = time_calls(lambda i: embedder.encode_query(_QUERIES[i % len(_QUERIES)] + f" {i}"), queries)
    return {"items": len(catalog), "first_use_ingest_s": round(first_use, 2),
            "raw_encode_items_per_s": round(raw_rate, 1), "ingest_items_per_s": round(ingest_rate, 1),
            "ingest_to_encode_ratio": round(ingest_rate / raw_rate, 3),
            "search": plain, "search_filtered": filtered, "query_encode": encode_only}


def main(argv: list[str] | None = None) -> None:
    """Print the figures as a small table (or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    res = run(args.sample, args.queries)
    if args.json:
        print(json.dumps(res, indent=2))
        return
    print(f"default catalog: {res['items']} items; first use (shipped vectors): {res['first_use_ingest_s']} s")
    print(f"ingest {res['ingest_items_per_s']} items/s vs raw encode {res['raw_encode_items_per_s']} items/s "
          f"-> ratio {res['ingest_to_encode_ratio']} (goal >= 0.8)")
    for name in ("search", "search_filtered", "query_encode"):
        r = res[name]
        print(f"{name:<16} p50 {r['p50_ms']:.1f} ms  p95 {r['p95_ms']:.1f} ms  (n={r['n']})")
    base = res["query_encode"]["p95_ms"]
    print(f"search p95 / query-encode p95 = {res['search']['p95_ms'] / base:.2f}; "
          f"filtered = {res['search_filtered']['p95_ms'] / base:.2f}")


if __name__ == "__main__":
    main()
