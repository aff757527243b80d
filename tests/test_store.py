import dataclasses

import numpy as np

import pytest

from tastebud.catalog import Catalog, Item
from tastebud.errors import EmptyQueryError, StoreError, UnknownGenreError
from tastebud.retrieval import SearchFilters, VectorIndex, semantic_search
from tastebud.store import ItemStore, build_where, open_client
from tastebud.testing import HashingEmbedder


@pytest.fixture
def store(tmp_path):
    return ItemStore(open_client(path=str(tmp_path / "chroma")), "tiny", HashingEmbedder())


def test_ingest_is_idempotent(store, tiny_catalog):
    first = store.ingest(tiny_catalog)
    assert (first.added, first.updated, first.removed) == (8, 0, 0)
    assert store.count() == 8
    again = store.ingest(tiny_catalog)
    assert (again.added, again.updated, again.removed, again.unchanged, again.embedded) == (0, 0, 0, 8, 0)
    assert store.count() == 8


def test_ingest_updates_adds_and_removes(store, tiny_catalog):
    store.ingest(tiny_catalog)
    items = [dataclasses.replace(i) for i in tiny_catalog if i.item_id != "t:7"]
    items[0] = dataclasses.replace(items[0], overview="A crew in space meets a deadly alien creature. Remastered.")
    items[1] = dataclasses.replace(items[1], popularity=999.0)  # metadata-only change: no re-embedding
    items.append(Item("t:9", "Paddington", 2014, ["Children", "Comedy"], "A bear from Peru in London"))
    embedder = store.embedder
    calls = embedder.calls
    result = store.ingest(Catalog("tiny", items))
    assert (result.added, result.updated, result.removed, result.unchanged) == (1, 2, 1, 5)
    assert embedder.calls - calls == 2  # only the changed text and the new item
    assert store.count() == 8
    got = store.collection.get(ids=["t:2", "t:7", "t:9"], include=["metadatas"])
    assert sorted(got["ids"]) == ["t:2", "t:9"]
    assert {m["popularity"] for m in got["metadatas"]} == {999.0, 0.0}


def test_failed_ingest_keeps_previous_collection(store, tiny_catalog):
    store.ingest(tiny_catalog)
    changed = Catalog("tiny", [dataclasses.replace(i, overview=i.overview + " v2") for i in tiny_catalog])

    def boom(_n):
        raise RuntimeError("killed mid-ingest")

    with pytest.raises(RuntimeError):
        store.ingest(changed, batch_size=3, progress=boom)
    fresh = ItemStore(store.client, "tiny", store.embedder)
    assert fresh.count() == 8
    assert fresh.version() == tiny_catalog.version()
    assert fresh.ingest(changed).updated == 8


def test_interrupted_first_ingest_leaves_nothing(store, tiny_catalog):
    with pytest.raises(RuntimeError):
        store.ingest(tiny_catalog, batch_size=3, progress=lambda n: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(StoreError, match="tastebud ingest"):
        ItemStore(store.client, "tiny", store.embedder).count()


def test_precomputed_vectors_skip_the_model(store, tiny_catalog):
    from tastebud.embedding import doc_hash

    docs = [i.document() for i in tiny_catalog]
    vectors = dict(zip([doc_hash(d) for d in docs], HashingEmbedder().encode(docs), strict=True))
    result = store.ingest(tiny_catalog, precomputed=vectors)
    assert result.added == 8 and result.embedded == 0


def test_build_where():
    assert build_where() is None
    assert build_where(genres=["Sci-Fi"]) == {"genres": {"$contains": "Sci-Fi"}}
    where = build_where(["Action"], ["Horror"], 1990, 1999)
    assert {"genres": {"$not_contains": "Horror"}} in where["$and"]
    assert {"year": {"$gte": 1990}} in where["$and"] and {"year": {"$lte": 1999}} in where["$and"]
    assert {"year": {"$gte": 1}} in build_where(year_to=1980)["$and"]  # unknown years never pass


def _index(store, catalog):
    vectors = store.vectors(catalog.ids)
    return VectorIndex(catalog, np.stack([vectors[i] for i in catalog.ids]))


def test_search_filters_combine(store, tiny_catalog):
    store.ingest(tiny_catalog)
    emb = store.embedder
    index = _index(store, tiny_catalog)
    hits = semantic_search(index, emb, "space alien", k=8)
    assert len(hits) == 8 and hits[0].score >= hits[-1].score
    only = semantic_search(index, emb, "space alien", k=8, filters=SearchFilters(genres=["sci fi"]))
    assert only and all("Sci-Fi" in h.item.genres for h in only)
    no = semantic_search(index, emb, "space alien", k=8,
                         filters=SearchFilters(genres=["Sci-Fi"], exclude_genres=["comedy"], year_from=1980, year_to=1999))
    assert {h.item.item_id for h in no} == {"t:2", "t:5"}
    assert all(SearchFilters(["Sci-Fi"], ["Comedy"], 1980, 1999).passes(h.item) for h in no)
    assert "alien" in semantic_search(index, emb, "alien", k=1)[0].matched_terms


def test_search_errors(store, tiny_catalog):
    store.ingest(tiny_catalog)
    index = _index(store, tiny_catalog)
    with pytest.raises(EmptyQueryError):
        semantic_search(index, store.embedder, "   ")
    with pytest.raises(UnknownGenreError, match="valid genres"):
        semantic_search(index, store.embedder, "x", filters=SearchFilters(genres=["polka"]))


def test_index_matches_chroma_filters(store, tiny_catalog):
    """The numpy search returns what Chroma's own filtered query returns."""
    store.ingest(tiny_catalog)
    index = _index(store, tiny_catalog)
    vector = store.embedder.encode_query("space alien comedy")
    for filters in [SearchFilters(), SearchFilters(["Sci-Fi"]), SearchFilters([], ["Comedy"], 1980, None),
                    SearchFilters([], [], None, 1990), SearchFilters(["Action", "Sci-Fi"], ["Horror"], 1980, 1999)]:
        ours = [(i.item_id, round(s, 4)) for i, s in index.search(vector, 8, filters)]
        theirs = [(i, round(s, 4)) for i, s in store.query(vector, 8, where=filters.where())]
        assert ours == theirs, filters
    assert [i.item_id for i, _ in index.search(vector, 3, exclude=["t:6"])] == \
        [i for i, _ in store.query(vector, 4) if i != "t:6"][:3]


def test_services_user_catalog_roundtrip(fake_services, data_dir):
    from tastebud.loaders import ColumnMapping, LoadReport

    path = data_dir / "books_bad.csv"
    report = LoadReport()
    result = fake_services.ingest(str(path), mapping=ColumnMapping(popularity_col="rating_count"), report=report)
    assert result.added == 4 and len(report.problems) == 4
    assert fake_services.ingest(str(path), mapping=ColumnMapping(popularity_col="rating_count")).added == 0
    from tastebud.services import Services

    again = Services(fake_services.settings, embedder=fake_services.embedder)  # a new process, by name
    hits = again.search("desert planet messiah", k=2, catalog="books_bad")
    assert hits[0].item.title == "Dune"


def test_item_vectors_follow_catalog_order(fake_services, data_dir):
    from tastebud.loaders import ColumnMapping, LoadReport

    fake_services.ingest(str(data_dir / "books_bad.csv"), mapping=ColumnMapping(), report=LoadReport())
    catalog = fake_services.catalog("books_bad")
    matrix = fake_services.item_vectors("books_bad")
    assert matrix.shape == (len(catalog), fake_services.embedder.dim)
    expected = fake_services.embedder.encode([catalog.items[2].document()])[0]
    assert abs(float(matrix[2] @ expected) - 1.0) < 1e-5
