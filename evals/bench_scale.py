"""``tastebud bench --items N``: Chroma search at scale, on a synthetic catalog of N items.

The catalog is made of the shipped movie vectors as centres: each synthetic item is a centre
plus Gaussian noise (cosine ≈ 0.85 to its centre), with the centre movie's genres and a year
near its year, so metadata and vectors are correlated as in a real catalog. (Uniform random
384-d vectors would have no neighbourhood structure at all: no index, and no recommender, is
meant for that.) Queries are fresh samples of the same kind. Vectors are cached under
``$TASTEBUD_HOME/bench/scale-N``; the Chroma collection is cached there too, so a second run
only searches (its ingest figures are the first run's, marked ``cached``).

Ingest runs in a child process, through :meth:`ItemStore.ingest` (staging collection, all or
nothing); search runs in this process, which never holds the vectors: its memory (RSS) is what
a serving process pays for Chroma's index plus the catalog. Search latency excludes query
encoding; recall@10 is measured against exact search over the cached vectors, read in chunks.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import shutil
import time
from pathlib import Path

import numpy as np

from .timing import time_calls

__all__ = ["FILTERS", "format_scale", "run_scale", "synthetic_catalog"]

#: (genres, excluded genres, year from, year to) of the filtered searches, cycled over queries.
FILTERS = [(["Sci-Fi"], [], None, None), ([], ["Horror"], 1990, 1999), (["Comedy"], [], 2000, None),
           (["Drama", "War"], [], None, None)]
_NOISE = 0.6  # ‖noise‖ relative to the unit centre: cosine to the centre ≈ 1 / sqrt(1 + 0.36)


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample(centres: np.ndarray, picks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal((len(picks), centres.shape[1]), dtype=np.float32)
    out = centres[picks] + noise * (_NOISE / np.sqrt(centres.shape[1]))
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def _centres(settings):
    from tastebud.services import Services

    services = Services(settings)
    return services.catalog("movies"), services.item_vectors("movies")


def synthetic_catalog(n: int, cache: Path, settings, seed: int = 0):
    """The synthetic catalog of ``n`` items and the path of its vectors (``vectors.npy``, built once)."""
    from tastebud.catalog import Catalog, Item

    movies, centres = _centres(settings)
    vec_path, pick_path = cache / "vectors.npy", cache / "centres.npy"
    if not (vec_path.exists() and pick_path.exists()):
        cache.mkdir(parents=True, exist_ok=True)
        rng = np.random.default_rng(seed)
        picks = rng.integers(0, len(movies), n).astype(np.int32)
        out = np.lib.format.open_memmap(cache / "vectors.tmp.npy", mode="w+", dtype=np.float32,
                                        shape=(n, centres.shape[1]))
        for lo in range(0, n, 50_000):
            out[lo:lo + 50_000] = _sample(centres, picks[lo:lo + 50_000], rng)
        out.flush()
        del out
        np.save(pick_path, picks)
        (cache / "vectors.tmp.npy").replace(vec_path)
    picks = np.load(pick_path)
    shift = np.random.default_rng(seed + 1).integers(-3, 4, n)
    items = []
    for i, (p, dy) in enumerate(zip(picks.tolist(), shift.tolist(), strict=True)):
        movie = movies.items[p]
        items.append(Item(f"s:{i}", f"Synthetic item {i}", movie.year + dy if movie.year else None,
                          list(movie.genres)))
    return Catalog(f"bench-scale-{n}", items), vec_path


def _client(cache: Path):
    from tastebud.store import open_client

    return open_client(path=str(cache / "chroma"))


def _ingest(n: int, cache: str, settings, hnsw: dict, batch_size: int) -> None:
    """Child process: write the synthetic catalog into its collection; figures to ``ingest.json``."""
    from tastebud.embedding import Embedder, doc_hash
    from tastebud.store import ItemStore

    cache_dir = Path(cache)
    catalog, vec_path = synthetic_catalog(n, cache_dir, settings)
    vectors = np.load(vec_path, mmap_mode="r")
    store = ItemStore(_client(cache_dir), catalog.name, Embedder(), hnsw=hnsw)
    if store.version() == catalog.version():
        return
    precomputed = {doc_hash(item.document()): vectors[row] for row, item in enumerate(catalog)}
    start = time.perf_counter()
    result = store.ingest(catalog, precomputed=precomputed, batch_size=batch_size)
    seconds = time.perf_counter() - start
    (cache_dir / "ingest.json").write_text(json.dumps({
        "items": n, "seconds": round(seconds, 1), "items_per_s": round(n / seconds, 1), "added": result.added,
        "hnsw": hnsw, "peak_rss_mb": round(_peak_mb(), 1)}))


def _exact_top(vec_path: Path, queries: np.ndarray, masks: list[np.ndarray | None], k: int = 10) -> list[set[int]]:
    """Exact top-``k`` rows per query (row ``i`` filtered by ``masks[i]``), reading vectors in chunks."""
    vectors = np.load(vec_path, mmap_mode="r")
    best_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_r = np.zeros((len(queries), k), dtype=np.int64)
    for lo in range(0, len(vectors), 50_000):
        scores = np.asarray(vectors[lo:lo + 50_000]) @ queries.T  # (chunk, q)
        for q, mask in enumerate(masks):
            col = scores[:, q] if mask is None else np.where(mask[lo:lo + 50_000], scores[:, q], -np.inf)
            s = np.concatenate([best_s[q], col])
            r = np.concatenate([best_r[q], np.arange(lo, lo + len(col))])
            top = np.argpartition(-s, k - 1)[:k]
            best_s[q], best_r[q] = s[top], r[top]
    return [{int(r) for r, s in zip(rows, ss, strict=True) if np.isfinite(s)} for rows, ss in zip(best_r, best_s, strict=True)]


def run_scale(items: int = 100_000, *, queries: int = 200, settings=None, rebuild: bool = False,
              max_neighbors: int | None = None, ef_construction: int | None = None,
              ef_search: int | None = None, batch_size: int = 5000) -> dict:
    """Build (or reuse) the synthetic catalog and its collection, then measure search.

    Args:
        items: Catalog size N.
        queries: Searches timed per mode (plain, filtered).
        settings: Application settings (home and HNSW defaults); from the environment when omitted.
        rebuild: Drop the cached collection first (the vectors stay cached).
        max_neighbors: HNSW ``M`` (default ``settings.hnsw_max_neighbors``).
        ef_construction: HNSW build candidates (default from settings).
        ef_search: HNSW query candidates (default from settings; applied to the cached collection).
        batch_size: Items per write batch during ingest.
    """
    from tastebud.embedding import Embedder
    from tastebud.retrieval import ChromaIndex, FilterMask, SearchFilters
    from tastebud.settings import Settings
    from tastebud.store import ItemStore

    settings = settings or Settings()
    hnsw = settings.hnsw() | {k: v for k, v in (("max_neighbors", max_neighbors), ("ef_construction", ef_construction),
                                                ("ef_search", ef_search)) if v}
    cache = settings.home / "bench" / f"scale-{items}"
    info = cache / "ingest.json"
    built = json.loads(info.read_text()).get("hnsw", {}) if info.exists() else {}
    if rebuild or any(built.get(k) != hnsw[k] for k in ("max_neighbors", "ef_construction")):
        shutil.rmtree(cache / "chroma", ignore_errors=True)
        info.unlink(missing_ok=True)
    cached = info.exists()
    child = multiprocessing.get_context("spawn").Process(target=_ingest, args=(items, str(cache), settings, hnsw, batch_size))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"the ingest process failed (exit {child.exitcode})")
    ingest = json.loads(info.read_text()) | {"cached": cached}

    start = time.perf_counter()
    catalog, vec_path = synthetic_catalog(items, cache, settings)
    catalog_s = time.perf_counter() - start
    rss_catalog = _rss_mb()
    index = ChromaIndex(catalog, ItemStore(_client(cache), catalog.name, Embedder(), hnsw=hnsw))
    movies, centres = _centres(settings)
    rng = np.random.default_rng(12345)
    qvecs = _sample(centres, rng.integers(0, len(movies), queries), rng)
    del centres, movies
    filters = [SearchFilters(*FILTERS[i % len(FILTERS)]) for i in range(queries)]
    start = time.perf_counter()
    index.search(qvecs[0], 10)
    first_ms = (time.perf_counter() - start) * 1000
    got: dict[str, list] = {"plain": [], "filtered": []}
    plain = time_calls(lambda i: got["plain"].append(index.search(qvecs[i % queries], 10)), queries, warmup=0)
    filtered = time_calls(lambda i: got["filtered"].append(index.search(qvecs[i % queries], 10, filters[i])),
                          queries, warmup=0)
    rss_search = _rss_mb()

    fmask = FilterMask(catalog)
    masks = [fmask.mask(f) for f in filters[:len(FILTERS)]]
    exact_plain = _exact_top(vec_path, qvecs, [None] * queries)
    exact_filtered = _exact_top(vec_path, qvecs, [masks[i % len(FILTERS)] for i in range(queries)])

    def recall(found: list, exact: list[set[int]]) -> float:
        rows = [{catalog.position(item.item_id) for item, _ in hits} for hits in found]
        return round(float(np.mean([len(r & e) / len(e) for r, e in zip(rows, exact, strict=True) if e])), 4)

    return {"items": items, "dim": int(qvecs.shape[1]), "hnsw": hnsw, "ingest": ingest,
            "catalog_build_s": round(catalog_s, 1), "first_query_ms": round(first_ms, 1),
            "search": plain, "search_filtered": filtered,
            "recall_at_10": recall(got["plain"], exact_plain),
            "recall_at_10_filtered": recall(got["filtered"], exact_filtered),
            "rss_mb": {"catalog_only": round(rss_catalog, 1), "serving": round(rss_search, 1),
                       "peak": round(_peak_mb(), 1)},
            "vectors_mb": round(items * qvecs.shape[1] * 4 / 2**20, 1)}


def format_scale(res: dict) -> str:
    """The figures as text lines, each with its goal."""
    ing, s, f, m = res["ingest"], res["search"], res["search_filtered"], res["rss_mb"]
    h = res["hnsw"]
    return "\n".join([
        (f"synthetic catalog: {res['items']} items x {res['dim']} dims; HNSW M={h['max_neighbors']} "
         f"ef_construction={h['ef_construction']} ef_search={h['ef_search']}"),
        f"ingest            {ing['items_per_s']:9.1f} items/s ({ing['seconds']} s{', cached from an earlier run' if ing['cached'] else ''})",
        (f"search            p50 {s['p50_ms']:7.2f} ms  p95 {s['p95_ms']:7.2f} ms  recall@10 {res['recall_at_10']:.3f}"
         "  (goal at 1M: p95 < 50 ms, recall >= 0.95)"),
        f"search + filters  p50 {f['p50_ms']:7.2f} ms  p95 {f['p95_ms']:7.2f} ms  recall@10 {res['recall_at_10_filtered']:.3f}",
        f"first query (loads the index) {res['first_query_ms']:.0f} ms",
        (f"memory (RSS)      catalog {m['catalog_only']:.0f} MB, serving {m['serving']:.0f} MB, peak {m['peak']:.0f} MB"
         f"  (all vectors would be {res['vectors_mb']:.0f} MB)"),
    ]) + "\n"
