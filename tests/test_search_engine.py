"""Search runs in Chroma (HNSW + ``where``) or in the exact in-memory index, by one rule; both
give the same results, on a tiny catalog, on the shipped catalog and through a Chroma server."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from tastebud.errors import StoreError, UnknownGenreError
from tastebud.retrieval import ChromaIndex, SearchFilters, VectorIndex, semantic_search
from tastebud.services import Services
from tastebud.settings import Settings
from tastebud.store import ItemStore, open_client
from tastebud.testing import HashingEmbedder

FILTERS = [SearchFilters(), SearchFilters(["Sci-Fi"]), SearchFilters([], ["Comedy"], 1980, None),
           SearchFilters([], [], None, 1990), SearchFilters(["Action", "Sci-Fi"], ["Horror"], 1980, 1999),
           SearchFilters(["sci fi"], ["romance"])]


def _both(store, catalog, overfetch=10, max_candidates=2000, max_ids=20_000):
    vectors = store.vectors(catalog.ids)
    return ChromaIndex(catalog, store, overfetch, max_candidates, max_ids), VectorIndex(catalog, np.stack([vectors[i] for i in catalog.ids]))


def _ids(hits):
    return [item.item_id for item, _ in hits]


def _same_ranking(theirs, ours, tol=1e-5):
    """The same results, rank by rank, where exact float ties (items with identical vectors,
    scored in float32 by Chroma and by numpy) may come in either order: every rank holds the same
    item or an item with the same score."""
    return len(theirs) == len(ours) and all(a.item_id == b.item_id or abs(x - y) < tol
                                            for (a, x), (b, y) in zip(theirs, ours, strict=True))


def _agree(store, catalog):
    """Both paths of a filtered Chroma search (candidates filtered here; the ``where`` query) = exact."""
    # candidates filtered here; an id list or `where` when too few pass; always an id list; always `where`
    for wide in ((10, 2000), (1, 4, 20_000), (1, 4, 0), (1, 0, 20_000), (1, 0, 0)):
        chroma, exact = _both(store, catalog, *wide)
        for query in ("space alien", "funny toys", "a detective in paris", "zzz"):
            vector = store.embedder.encode_query(query)
            for filters in FILTERS:
                for k, exclude in ((2, ()), (5, ()), (2, ("t:2", "t:6", "nope"))):
                    theirs, ours = chroma.search(vector, k, filters, exclude), exact.search(vector, k, filters, exclude)
                    assert _ids(theirs) == _ids(ours), (wide, query, filters, exclude)
                    assert np.allclose([s for _, s in theirs], [s for _, s in ours], atol=1e-5)


def test_chroma_and_exact_agree_on_a_tiny_catalog(tmp_path, tiny_catalog):
    store = ItemStore(open_client(path=str(tmp_path / "chroma")), "tiny", HashingEmbedder(),
                      hnsw=Settings(home=tmp_path).hnsw())
    store.ingest(tiny_catalog)
    _agree(store, tiny_catalog)
    chroma, _ = _both(store, tiny_catalog)
    with pytest.raises(UnknownGenreError):
        chroma.search(store.embedder.encode_query("x"), 3, SearchFilters(["polka"]))


def test_one_rule_chooses_the_engine():
    settings = Settings(exact_search_max_items=100)
    assert settings.engine_for(100) == "exact" and settings.engine_for(101) == "chroma"
    assert Settings(search_engine="chroma").engine_for(5) == "chroma"
    assert Settings(search_engine="exact").engine_for(10**7) == "exact"
    with pytest.raises(ValueError):
        Settings(search_engine="faiss")


def test_chroma_search_never_loads_the_vectors(tmp_path, data_dir, monkeypatch):
    from tastebud.loaders import ColumnMapping, LoadReport

    services = Services(Settings(home=tmp_path / "home", search_engine="chroma"), embedder=HashingEmbedder())
    services.ingest(str(data_dir / "books_bad.csv"), mapping=ColumnMapping(), report=LoadReport())
    monkeypatch.setattr(Services, "item_vectors", lambda *a, **k: pytest.fail("search loaded every vector"))
    assert isinstance(services.search_index("books_bad"), ChromaIndex)
    hits = services.search("desert planet messiah", k=2, catalog="books_bad")
    assert hits[0].item.title == "Dune"


def test_hnsw_settings_reach_the_collection(tmp_path, tiny_catalog):
    client = open_client(path=str(tmp_path / "chroma"))
    ItemStore(client, "tiny", HashingEmbedder(), hnsw={"max_neighbors": 24, "ef_search": 150}).ingest(tiny_catalog)
    assert ItemStore(client, "tiny", HashingEmbedder()).collection.configuration["hnsw"]["max_neighbors"] == 24
    later = ItemStore(client, "tiny", HashingEmbedder(), hnsw={"ef_search": 300})  # query-time knob: changed in place
    assert later.collection.configuration["hnsw"]["ef_search"] == 300


def test_a_store_replaced_elsewhere_is_reopened(tmp_path, tiny_catalog):
    import dataclasses

    from tastebud.catalog import Catalog

    client = open_client(path=str(tmp_path / "chroma"))
    reader = ItemStore(client, "tiny", HashingEmbedder())
    ItemStore(client, "tiny", HashingEmbedder()).ingest(tiny_catalog)
    vector = reader.embedder.encode_query("space")
    assert reader.query(vector, 3)
    changed = Catalog("tiny", [dataclasses.replace(i, overview=i.overview + " v2") for i in tiny_catalog])
    ItemStore(client, "tiny", HashingEmbedder()).ingest(changed)  # another process's swap
    assert len(reader.query(vector, 3)) == 3


@pytest.mark.slow
def test_chroma_equals_exact_on_the_shipped_catalog(real_services):
    """The acceptance line: the same top-10, with and without filters and exclusions, for a set
    of queries, at the default HNSW parameters (M 32, ``ef_construction`` 200, ``ef_search`` 200);
    ranks may swap only items with equal scores."""
    chroma, exact = real_services.chroma_index("movies"), real_services.index("movies")
    embedder = real_services.embedder
    filters = [SearchFilters(), SearchFilters(["Sci-Fi"]), SearchFilters([], ["Horror"], 1990, 1999),
               SearchFilters(["Comedy", "Romance"], ["Drama"], 2000, None), SearchFilters(["Drama", "War"]),
               SearchFilters([], [], None, 1960), SearchFilters(["Film-Noir"])]
    queries = ["a space adventure with aliens", "funny road trip", "scary haunted house", "heist with a twist",
               "romantic comedy in paris", "war drama about soldiers", "animated film for kids",
               "courtroom thriller", "detective noir mystery", "time travel paradox"]
    seen = ["ml:1", "ml:260", "ml:1196"]
    for query in queries:
        vector = embedder.encode_query(query)
        for f in filters:
            for exclude in ((), seen):
                theirs, ours = chroma.search(vector, 10, f, exclude), exact.search(vector, 10, f, exclude)
                assert _same_ranking(theirs, ours), (query, f, exclude, _ids(theirs), _ids(ours))
    hits = semantic_search(chroma, embedder, "toys that come to life", k=5)
    assert [(h.item.item_id, h.matched_terms) for h in hits] == \
        [(h.item.item_id, h.matched_terms) for h in semantic_search(exact, embedder, "toys that come to life", k=5)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    """A real ``chroma run`` server on 127.0.0.1 (the one TASTEBUD_CHROMA_URL points at)."""
    port = _free_port()
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                open_client(url=f"http://127.0.0.1:{port}").heartbeat()
                break
            except Exception:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_search_through_a_chroma_server(chroma_server, tmp_path, tiny_catalog, data_dir):
    from tastebud.loaders import ColumnMapping, LoadReport

    store = ItemStore(open_client(url=chroma_server), "tiny", HashingEmbedder(), hnsw=Settings().hnsw())
    store.ingest(tiny_catalog)
    _agree(store, tiny_catalog)
    settings = Settings(home=tmp_path / "home", chroma_url=chroma_server, search_engine="chroma")
    Services(settings, embedder=HashingEmbedder()).ingest(str(data_dir / "books_bad.csv"), mapping=ColumnMapping(),
                                                          report=LoadReport())
    other = Services(settings, embedder=HashingEmbedder())  # another replica: the same collection, by name
    assert other.search("desert planet messiah", k=2, catalog="books_bad")[0].item.title == "Dune"
    with pytest.raises(StoreError):
        ItemStore(open_client(url=chroma_server), "missing", HashingEmbedder()).query(np.ones(64), 3)


@pytest.mark.slow
def test_bench_items_smoke(tmp_path, monkeypatch, capsys):
    """`tastebud bench --items N --json` on a tiny N: the figures are there; a second run reuses the cache."""
    import json

    from tastebud.cli import main

    monkeypatch.setenv("TASTEBUD_HOME", str(tmp_path))
    for cached in (False, True):
        monkeypatch.setattr(sys, "argv", ["tastebud", "bench", "--items", "300", "--queries", "5", "--json"])
        try:
            main()
        except SystemExit as exc:
            assert not exc.code
        res = json.loads(capsys.readouterr().out)
        assert res["items"] == 300 and res["ingest"]["cached"] is cached and res["ingest"]["items_per_s"] > 0
        assert {"p50_ms", "p95_ms"} <= set(res["search"]) and {"p50_ms", "p95_ms"} <= set(res["search_filtered"])
        assert 0.9 <= res["recall_at_10"] <= 1 and 0.9 <= res["recall_at_10_filtered"] <= 1
        assert res["rss_mb"]["serving"] > 0
