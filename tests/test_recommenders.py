"""Recommender contract and known-answer tests on small synthetic block-structured data."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from tastebud.catalog import Catalog, Item
from tastebud.errors import UnknownGenreError
from tastebud.recommenders import (ContentRecommender, EASERecommender, HybridRecommender,
                                   Interactions, ItemKNNRecommender, PopularityRecommender, TransitionRecommender,
                                   mmr)
from tastebud.recommenders.evaluation import ndcg_at_k, recall_at_k, strong_generalization_split, user_folds
from tastebud.retrieval import FilterMask, SearchFilters, VectorIndex
from tastebud.testing import HashingEmbedder

BLOCKS = {"Sci-Fi": "space alien robot", "Comedy": "funny joke laugh", "Drama": "tears family loss"}
PER_BLOCK = 5


@pytest.fixture
def block_data():
    """3 genre blocks of 5 items; users like items of one block only; ``x:cold`` has no ratings."""
    items, rng = [], np.random.default_rng(0)
    for b, (genre, words) in enumerate(BLOCKS.items()):
        for i in range(PER_BLOCK):
            items.append(Item(f"x:{b}{i}", f"{genre} film {i}", 1990 + 5 * i, [genre], f"A {words} story",
                              popularity=float(10 - i)))
    items.append(Item("x:cold", "Unrated space film", None, ["Sci-Fi"], "A space alien robot story"))
    catalog = Catalog("blocks", items)
    rows, cols = [], []
    for u in range(60):
        block = u % 3
        # item i of each block is liked by more users when i is small (known popularity order)
        for i in range(PER_BLOCK):
            if rng.random() < 0.9 - 0.15 * i:
                rows.append(u)
                cols.append(block * PER_BLOCK + i)
    mat = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(60, len(catalog)))
    base = {g: rng.standard_normal(16) for g in BLOCKS}
    vecs = np.stack([base[it.genres[0]] + 0.3 * rng.standard_normal(16) for it in items])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return Interactions(catalog, mat), vecs.astype(np.float32)


def _models(interactions, vectors):
    pop = PopularityRecommender().fit(interactions)
    knn = ItemKNNRecommender(k=10, min_count=1).fit(interactions)
    ease = EASERecommender(lam=5.0, min_count=1).fit(interactions)
    content = ContentRecommender(vectors).fit(interactions)
    hybrid = HybridRecommender({"ease": (ease, 0.6), "content": (content, 0.35), "popularity": (pop, 0.05)},
                               vectors, mmr_lambda=0.8)
    sequence = TransitionRecommender().fit(interactions)
    return {"popularity": pop, "item-knn": knn, "ease": ease, "content": content, "hybrid": hybrid,
            "sequence": sequence}


MODEL_NAMES = ["popularity", "item-knn", "ease", "content", "hybrid", "sequence"]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_contract(block_data, name):
    model = _models(*block_data)[name]
    catalog = block_data[0].catalog
    user = {"x:00": 1.0, "x:01": 1.0, "x:10": -1.0}
    cases = [user, {"x:00": 1.0}, {}, {"nope:1": 1.0, "x:00": 1.0}, {"nope:1": 2.0}]
    for user_items in cases:
        recs = model.recommend(user_items, n=6, exclude=["x:02"])
        ids = [i for i, _ in recs]
        scores = [s for _, s in recs]
        assert recs, f"{name} returned nothing for {user_items}"
        assert all(i in catalog for i in ids)
        assert len(set(ids)) == len(ids)
        assert "x:02" not in ids and not set(ids) & set(user_items)
        assert scores == sorted(scores, reverse=True)
        assert all(np.isfinite(scores))
    filt = SearchFilters(genres=["comedy"], year_from=1995)
    recs = model.recommend(user, n=20, filters=filt)
    assert recs and all(filt.resolved(catalog).passes(catalog.get(i)) for i, _ in recs)
    assert {i for i, _ in model.recommend({}, n=20, candidates=["x:20", "x:21", "x:cold"])} <= {"x:20", "x:21",
                                                                                             "x:cold"}
    assert model.recommend(user, n=0) == []
    assert len(model.recommend(user, n=100)) <= len(catalog) - 3
    with pytest.raises(UnknownGenreError):
        model.recommend(user, n=3, filters=SearchFilters(genres=["Western-ish"]))


@pytest.mark.parametrize("name", ["item-knn", "ease", "content", "hybrid"])
def test_block_structure_recovered(block_data, name):
    model = _models(*block_data)[name]
    for b in range(3):
        liked = {f"x:{b}0": 1.0, f"x:{b}1": 1.0}
        top = [i for i, _ in model.recommend(liked, n=3)]
        assert all(i.startswith(f"x:{b}") or i == "x:cold" for i in top), (name, b, top)


def test_popularity_order_and_cold_start_within_filters(block_data):
    models = _models(*block_data)
    counts = block_data[0].item_counts
    ids = block_data[0].catalog.ids
    want = [ids[i] for i in np.argsort(-counts, kind="stable")[:3]]
    assert [i for i, _ in models["popularity"].recommend({}, n=3)] == want
    # hybrid with nothing to go on: popularity within the stated filters
    recs = models["hybrid"].recommend({}, n=3, filters=SearchFilters(genres=["Drama"]))
    drama = [i for i in np.argsort(-counts, kind="stable") if block_data[0].catalog.items[i].genres == ["Drama"]]
    assert [i for i, _ in recs] == [ids[i] for i in drama[:3]]


def test_ease_closed_form_is_block_diagonal(block_data):
    interactions, _ = block_data
    ease = EASERecommender(lam=5.0, min_count=1).fit(interactions)
    X = interactions.matrix.toarray().astype(np.float64)[:, ease.support]
    G = X.T @ X + 5.0 * np.eye(X.shape[1])
    P = np.linalg.inv(G)
    expected = np.eye(X.shape[1]) - P / np.diag(P)
    np.testing.assert_allclose(ease.weights, expected, atol=1e-5)
    assert np.allclose(np.diag(ease.weights), 0)
    genre = [interactions.catalog.items[p].genres[0] for p in ease.support]
    cross = np.array([[a != b for b in genre] for a in genre])
    assert np.abs(ease.weights[cross]).max() < 1e-6  # users never cross blocks


def test_item_knn_is_cosine(block_data):
    interactions, _ = block_data
    knn = ItemKNNRecommender(k=100, min_count=1).fit(interactions)
    X = interactions.matrix.toarray()[:, knn.support]
    a, b = X[:, 0], X[:, 1]
    assert knn.weights[0, 1] == pytest.approx(a @ b / np.linalg.norm(a) / np.linalg.norm(b), rel=1e-5)
    pruned = ItemKNNRecommender(k=2, min_count=1).fit(interactions)
    assert ((pruned.weights > 0).sum(axis=0) <= 2).all()


def test_dislike_pushes_similar_items_down(block_data):
    for name in ("ease", "content", "hybrid"):
        model = _models(*block_data)[name]
        liked = {"x:00": 1.0, "x:10": 1.0}
        base = [i for i, _ in model.recommend(liked, n=6)]
        disliked = [i for i, _ in model.recommend({"x:00": 1.0, "x:10": -1.0}, n=6)]
        assert base != disliked
        assert sum(i.startswith("x:1") for i in disliked) < sum(i.startswith("x:1") for i in base), name


def test_unrated_item_reachable_through_content_only(block_data):
    models = _models(*block_data)
    liked = {"x:00": 1.0, "x:01": 1.0, "x:02": 1.0, "x:03": 1.0}
    assert "x:cold" not in [i for i, _ in models["ease"].recommend(liked, n=20)]
    no_mmr = HybridRecommender(models["hybrid"].components, block_data[1], mmr_lambda=1.0)
    assert [i for i, _ in no_mmr.recommend(liked, n=2)] == ["x:04", "x:cold"]
    assert "x:cold" in [i for i, _ in models["hybrid"].recommend(liked, n=5)]
    # an unrated liked item still gives content recommendations from its block
    top = [i for i, _ in models["hybrid"].recommend({"x:cold": 1.0}, n=3)]
    assert all(i.startswith("x:0") for i in top)


def test_content_query_and_evidence(block_data):
    interactions, _ = block_data
    catalog = interactions.catalog
    embedder = HashingEmbedder(dim=64)
    vecs = embedder.encode([it.document() for it in catalog.items])
    models = _models(interactions, vecs)
    content = ContentRecommender(vecs, embedder).fit(interactions)
    hybrid = HybridRecommender({"ease": (models["ease"], 0.6), "content": (content, 0.4)}, vecs, mmr_lambda=1.0)
    top = [i for i, _ in content.recommend({}, n=3, query="funny joke")]
    assert all(i.startswith("x:1") for i in top)
    recs = hybrid.recommend_with_evidence({"x:00": 1.0, "x:01": 1.0}, n=4, query="space robot",
                                          filters=SearchFilters(genres=["sci-fi"]))
    assert recs and all("Sci-Fi" in r.item.genres for r in recs)
    for r in recs:
        ev = r.evidence
        assert ev.constraints_met == ["genre Sci-Fi"]
        assert "Sci-Fi" in ev.matched_genres
        assert set(ev.matched_terms) <= {"space", "robot"} and ev.matched_terms
        assert ev.popularity_rank >= 1 and set(ev.sources) <= {"ease", "content"}
        assert all(src in ("x:00", "x:01") and w > 0 for src, w in ev.cf_neighbours)
        assert all(src in ("x:00", "x:01") for src, _ in ev.content_neighbours)
        assert r.to_dict()["evidence"]["constraints_met"] == ["genre Sci-Fi"]
    rated = [r for r in recs if r.item.item_id != "x:cold"]
    assert rated and all(r.evidence.cf_neighbours for r in rated)
    assert [r.item.item_id for r in recs] == [i for i, _ in hybrid.recommend(
        {"x:00": 1.0, "x:01": 1.0}, n=4, query="space robot", filters=SearchFilters(genres=["sci-fi"]))]


def test_mmr_trades_relevance_for_diversity():
    vecs = np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32)
    rel = np.array([1.0, 0.95, 0.6])
    assert mmr(rel, vecs, 3, lam=1.0) == [0, 1, 2]
    assert mmr(rel, vecs, 2, lam=0.5) == [0, 2]


def test_hybrid_mmr_lambda_changes_diversity(block_data):
    interactions, vectors = block_data
    m = _models(interactions, vectors)
    comps = {"ease": (m["ease"], 0.6), "content": (m["content"], 0.4)}
    liked = {"x:00": 1.0, "x:01": 1.0, "x:10": 0.3}
    plain = [i for i, _ in HybridRecommender(comps, vectors, mmr_lambda=1.0).recommend(liked, n=4)]
    diverse = [i for i, _ in HybridRecommender(comps, vectors, mmr_lambda=0.2).recommend(liked, n=4)]
    assert len({i[2] for i in diverse}) > len({i[2] for i in plain})


def test_filter_index_matches_passes(tiny_catalog):
    index = PopularityRecommender().fit(Interactions(tiny_catalog, sparse.csr_matrix((0, len(tiny_catalog))))
                                        ).filter_index()
    for f in [SearchFilters(), SearchFilters(genres=["sci-fi"]), SearchFilters(exclude_genres=["Comedy"]),
              SearchFilters(year_from=1990), SearchFilters(year_to=1995, genres=["Action"]),
              SearchFilters(genres=["Action", "Sci-Fi"], year_from=1980, year_to=1999)]:
        resolved = f.resolved(tiny_catalog)
        assert index.mask(f).tolist() == [resolved.passes(it) for it in tiny_catalog.items]
        # one implementation serves the recommenders and the vector search
        vector_index = VectorIndex(tiny_catalog, np.eye(len(tiny_catalog), dtype=np.float32))
        assert vector_index.mask(resolved).tolist() == index.mask(f).tolist()
    assert isinstance(index, FilterMask) and isinstance(vector_index.filters, FilterMask)
    with pytest.raises(UnknownGenreError):
        index.mask(SearchFilters(genres=["polka"]))


def test_metrics_known_values():
    assert recall_at_k([1, 2, 3], [3, 9], k=3) == pytest.approx(0.5)
    assert recall_at_k([1, 2], [1, 2, 3, 4], k=2) == pytest.approx(1.0)
    assert ndcg_at_k([5, 1], [1], k=2) == pytest.approx(1 / np.log2(3))
    assert ndcg_at_k([1, 5], [1], k=2) == pytest.approx(1.0)


def test_strong_generalization_split(block_data):
    interactions, _ = block_data
    a = strong_generalization_split(interactions, seed=3, min_positives=2)
    b = strong_generalization_split(interactions, seed=3, min_positives=2)
    assert a.train.matrix.shape[0] + len(a.heldout) == interactions.matrix.shape[0]
    eligible = int((np.diff(interactions.matrix.indptr) >= 2).sum())
    assert len(a.heldout) == round(0.2 * eligible)
    for u, v in zip(a.heldout, b.heldout, strict=True):
        assert u.inputs.tolist() == v.inputs.tolist() and u.targets.tolist() == v.targets.tolist()
        assert u.inputs.size >= 1 and u.targets.size >= 1 and not set(u.inputs) & set(u.targets)


def test_user_folds_hold_out_every_eligible_user_once(block_data):
    interactions, _ = block_data
    folds = user_folds(interactions, 4, seed=3, min_positives=2)
    again = user_folds(interactions, 4, seed=3, min_positives=2)
    eligible = int((np.diff(interactions.matrix.indptr) >= 2).sum())
    sizes = [len(f.heldout) for f in folds]
    assert sum(sizes) == eligible and max(sizes) - min(sizes) <= 1
    counts = np.diff(interactions.matrix.indptr)
    assert sum(u.inputs.size + u.targets.size for f in folds for u in f.heldout) == counts[counts >= 2].sum()
    for fold, same in zip(folds, again, strict=True):
        assert fold.train.matrix.shape[0] + len(fold.heldout) == interactions.matrix.shape[0]
        # held-out users' positives are all inputs or targets, none left in the training rows
        held = sum(u.inputs.size + u.targets.size for u in fold.heldout)
        assert fold.train.matrix.nnz + held == interactions.matrix.nnz
        for u, v in zip(fold.heldout, same.heldout, strict=True):
            assert u.inputs.tolist() == v.inputs.tolist() and u.targets.tolist() == v.targets.tolist()
            assert u.inputs.size >= 1 and u.targets.size >= 1 and not set(u.inputs) & set(u.targets)
    with pytest.raises(ValueError):
        user_folds(interactions, 1)


def test_watched_signal_trains_ease_but_not_popularity_or_targets(block_data):
    interactions, _ = block_data
    pos = interactions.matrix.toarray()
    watched = pos.copy()
    watched[:, interactions.catalog.position("x:cold")] = 1.0  # everyone watched it, nobody liked it
    both = Interactions(interactions.catalog, interactions.matrix, sparse.csr_matrix(watched))
    cold = both.catalog.position("x:cold")
    ease = EASERecommender(lam=5.0, min_count=1).fit(both)
    assert ease.signal == "watched" and cold in ease.support.tolist()
    assert cold not in ItemKNNRecommender(min_count=1).fit(both).support.tolist()  # kNN: positives
    assert PopularityRecommender().fit(both).popularity[cold] == 0
    X = watched[:, ease.support].astype(np.float64)
    P = np.linalg.inv(X.T @ X + 5.0 * np.eye(X.shape[1]))
    np.testing.assert_allclose(ease.weights, np.eye(X.shape[1]) - P / np.diag(P), atol=1e-5)
    split = strong_generalization_split(both, seed=3, min_positives=2)
    assert split.train.watched.shape == split.train.matrix.shape
    assert all(cold not in u.inputs.tolist() + u.targets.tolist() for u in split.heldout)
    with pytest.raises(ValueError):
        Interactions(both.catalog, both.matrix, sparse.csr_matrix(watched[:5]))


@pytest.mark.parametrize("filters, query", [(None, None), (SearchFilters(genres=["Sci-Fi"]), None),
                                            (None, "funny space robot")])
def test_explain_matches_a_normal_call(block_data, filters, query):
    hybrid = _models(*block_data)["hybrid"]
    user = {"x:00": 1.0, "x:01": 1.0, "x:20": -1.0}
    full = hybrid.recommend_with_evidence(user, n=len(hybrid.catalog), filters=filters, query=query)
    assert len(full) > 3
    for k, rec in enumerate(full):  # every position, including far outside any top n
        got = hybrid.explain(user, rec.item.item_id, filters=filters, query=query)
        assert got is not None and got.item.item_id == rec.item.item_id, k
        assert got.evidence == rec.evidence, k
    top = full[0].item.item_id
    assert set(hybrid.explain(user, top, filters=filters, query=query).evidence.sources) >= {"ease", "content"}
    # the single-candidate call this replaces loses the component evidence
    assert not hybrid.recommend_with_evidence(user, 1, candidates=[top], filters=filters,
                                              query=query)[0].evidence.sources.get("ease")


def test_explain_unknown_or_filtered_item(block_data):
    hybrid = _models(*block_data)["hybrid"]
    user = {"x:00": 1.0}
    assert hybrid.explain(user, "x:nope") is None
    assert hybrid.explain(user, "x:10", filters=SearchFilters(genres=["Sci-Fi"])) is None
    assert hybrid.explain(user, "x:10") is not None
    liked = hybrid.explain(user, "x:00")  # an input item can still be explained
    assert liked is not None and liked.item.item_id == "x:00"
    cold = hybrid.explain({}, "x:01")  # no signal: popularity evidence, as a cold-start call gives
    assert set(cold.evidence.sources) == {"popularity"}


@pytest.mark.parametrize("folds", [1, 3])
def test_run_cf_eval_on_blocks(monkeypatch, folds):
    """The whole CF evaluation on 3 blocks × 8 items, 150 users who each like one block."""
    from tastebud.recommenders import content, evaluation, training

    rng = np.random.default_rng(7)
    items = [Item(f"b:{b}{i}", f"film {b}{i}", 2000, [genre]) for b, genre in enumerate(BLOCKS) for i in range(8)]
    catalog = Catalog("blocks8", items)
    liked = [(u, (u % 3) * 8 + i) for u in range(150) for i in range(8) if rng.random() < 0.95 - 0.08 * i]
    rows, cols = zip(*liked, strict=True)
    interactions = Interactions(catalog, sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(150, 24)))
    base = rng.standard_normal((3, 16))
    vectors = base[np.arange(24) // 8] + 0.3 * rng.standard_normal((24, 16))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    monkeypatch.setattr(training, "build_interactions", lambda cat: interactions)
    monkeypatch.setattr(content, "catalog_vectors", lambda services, name: vectors)
    services = type("FakeServices", (), {"catalog": lambda self, name: catalog})()
    metrics = evaluation.run_cf_eval(services, catalog="blocks8", k=5, seed=1, folds=folds)
    models = metrics["models"]
    assert set(models) == {"popularity", "item-knn", "ease", "content", "hybrid"}
    # users like one block only: EASE finds the block, popularity mixes all three
    assert models["ease"]["recall@5"] > 1.5 * models["popularity"]["recall@5"] > 0
    assert metrics["ease_vs_popularity"] == pytest.approx(models["ease"]["recall@5"] / models["popularity"]["recall@5"],
                                                          abs=1e-3)
    eligible = int((np.diff(interactions.matrix.indptr) >= 5).sum())
    if folds == 1:
        assert "folds" not in metrics and metrics["split"]["heldout_users"] == round(0.2 * eligible)
    else:
        per_fold = metrics["folds"]
        assert len(per_fold) == folds and metrics["split"]["heldout_users"] == eligible
        users = [f["heldout_users"] for f in per_fold]
        pooled = sum(f["recall@5"]["ease"] * u for f, u in zip(per_fold, users, strict=True)) / sum(users)
        assert models["ease"]["recall@5"] == pytest.approx(pooled, abs=1e-4)
        assert models["ease"]["users"] == eligible


def test_hybrid_soft_genres_zscore_and_conversation_components(block_data):
    interactions, vectors = block_data
    m = _models(interactions, vectors)
    comps = {"ease": (m["ease"], 0.6), "sequence": (m["sequence"], 0.4)}
    liked = {"x:00": 1.0, "x:01": 1.0}
    with pytest.raises(ValueError):
        HybridRecommender(comps, vectors, normalise="rank")
    hard = HybridRecommender(comps, vectors, mmr_lambda=1.0, normalise="zscore")
    soft = HybridRecommender(comps, vectors, mmr_lambda=1.0, normalise="zscore", genre_bonus=10.0)
    wish = SearchFilters(genres=["comedy"], exclude_genres=["drama"])
    hard_ids = [i for i, _ in hard.recommend(liked, n=8, filters=wish)]
    assert hard_ids and all(i.startswith("x:1") for i in hard_ids)  # wished genres filter
    recs = soft.recommend_with_evidence(liked, n=8, filters=wish)
    ids = [r.item.item_id for r in recs]
    assert all(i.startswith("x:1") for i in ids[:5]) and any(i.startswith("x:0") for i in ids)  # a strong wish, not a filter
    assert not any(i.startswith("x:2") for i in ids)  # unwanted genres stay out
    for r in recs:  # evidence claims the wished genre only for items that have it
        assert ("genre Comedy" in r.evidence.constraints_met) == ("Comedy" in r.item.genres)
        assert "not Drama" in r.evidence.constraints_met
    assert soft.explain(liked, "x:02", filters=wish) is not None and hard.explain(liked, "x:02", filters=wish) is None
    # a conversation component reads the conversation's titles, the others the person's items only
    talk = HybridRecommender(comps, vectors, mmr_lambda=1.0, conversation_components=("sequence",))
    mask = np.ones(len(interactions.catalog), dtype=bool)
    mentioned = {"x:20": 1.0, "x:21": 1.0}
    plain = talk.component_scores(liked, mask)
    heard = talk.component_scores(liked, mask, mentioned=mentioned)
    assert np.allclose(plain["ease"], heard["ease"]) and not np.allclose(plain["sequence"], heard["sequence"])
