"""The simulator's CF model is fitted without the simulated users' target ratings."""

from __future__ import annotations

import numpy as np
import pytest

from tastebud.catalog import Catalog, Item
from tastebud.evals import heldout_cf
from tastebud.evals.heldout_cf import fit_heldout_models, ratings_without, target_pairs, use_heldout_recommender
from tastebud.evals.simulator import Target
from tastebud.recommenders import training


@pytest.fixture
def ml_data():
    """8 films with MovieLens ids 11..18, 12 users who each rate 5 films (some below 4.0)."""
    catalog = Catalog("mlmini", [Item(f"ml:{m}", f"Film {m}", 2000, ["Drama"], f"story {m}",
                                      source_ids={"movielens": m}) for m in range(11, 19)])
    rng = np.random.default_rng(3)
    users, movies, values = [], [], []
    for u in range(1, 13):
        for m in rng.choice(np.arange(11, 19), size=5, replace=False).tolist():
            users.append(u)
            movies.append(m)
            values.append(float(rng.choice([2.0, 4.0, 4.5, 5.0])))
    ratings = {"user": np.array(users), "movie": np.array(movies), "rating": np.array(values),
               "timestamp": np.arange(len(users))}
    return catalog, ratings


def _targets(ratings, n=3):
    """The first ``n`` users' first positive, as simulator targets."""
    out, seen = [], set()
    for u, m, r in zip(ratings["user"].tolist(), ratings["movie"].tolist(), ratings["rating"].tolist(), strict=True):
        if r >= 4.0 and u not in seen and len(out) < n:
            seen.add(u)
            out.append(Target(f"ml:{m}", f"Film {m}", ["Drama"], 2000, user=u))
    return out


def test_ratings_without_drops_exactly_the_pairs(ml_data):
    _, ratings = ml_data
    u, m = int(ratings["user"][0]), int(ratings["movie"][0])
    kept = ratings_without(ratings, {(u, m)})
    assert len(kept["user"]) == len(ratings["user"]) - 1
    assert not np.any((kept["user"] == u) & (kept["movie"] == m))
    assert all(len(v) == len(kept["user"]) for v in kept.values())
    assert len(ratings_without(ratings, set())["user"]) == len(ratings["user"])


def test_target_pairs_skip_targets_without_user_or_id(ml_data):
    catalog, _ = ml_data
    targets = [Target("ml:12", "Film 12", user=4), Target("ml:13", "Film 13"), Target("x:9", "Nope", user=1)]
    assert target_pairs(catalog, targets) == {(4, 12)}


def test_heldout_fit_leaves_the_targets_out_of_the_training_matrix(ml_data, monkeypatch):
    catalog, ratings = ml_data
    targets = _targets(ratings)
    seen = []
    real_train = training.train_models

    def spy(cat, interactions=None, **kwargs):
        seen.append((interactions, kwargs))
        return real_train(cat, interactions, **kwargs)

    monkeypatch.setattr(training, "train_models", spy)
    models = fit_heldout_models(catalog, targets, ratings=ratings, lam=5.0)
    (interactions, kwargs), = seen
    assert kwargs["lambdas"] == (5.0,)
    full = training.movielens_interactions(catalog, ratings)
    rows = {u: r for r, u in enumerate(np.unique(ratings["user"]).tolist())}
    for t in targets:  # neither a positive nor a watched entry is left for (user, target)
        r, c = rows[t.user], catalog.position(t.item_id)
        assert full.matrix[r, c] > 0 and interactions.matrix[r, c] == 0 and interactions.watched[r, c] == 0
    assert full.matrix.nnz - interactions.matrix.nnz == len(targets)  # nothing else removed
    assert full.watched.nnz - interactions.watched.nnz == len(targets)
    assert models.meta["held_out"] == len(targets) and models.meta["held_out_targets"] == len(targets)
    assert models.meta["n_positives"] == full.matrix.nnz - len(targets)
    product = real_train(catalog, full, lambdas=(5.0,))
    assert not np.allclose(product.ease.weights, models.ease.weights)  # the held-out ratings mattered


def test_heldout_fit_defaults_to_the_products_lambda(ml_data):
    catalog, ratings = ml_data
    models = fit_heldout_models(catalog, _targets(ratings, 1), ratings=ratings)
    assert models.meta["lambda"] == training.CHOSEN_LAMBDAS["movies"]


def test_use_heldout_recommender_installs_the_hybrid(ml_data, monkeypatch):
    catalog, ratings = ml_data
    installed = {}

    class StubServices:
        def catalog(self, name):
            return catalog

        def use_recommender(self, name, recommender):
            installed[name] = recommender

    monkeypatch.setattr(training, "load_hybrid", lambda services, name, models: ("hybrid", models))
    models = use_heldout_recommender(StubServices(), _targets(ratings), "mlmini", ratings=ratings)
    assert installed == {"mlmini": ("hybrid", models)}
    assert heldout_cf.__all__


def test_services_use_recommender_replaces_the_cached_one(fake_services):
    marker = object()
    fake_services.use_recommender("movies", marker)
    assert fake_services.recommender("movies") is marker


@pytest.mark.slow
def test_heldout_fit_on_the_shipped_ratings(real_services):
    from tastebud.evals.simulator import sample_targets

    targets = sample_targets(real_services, 20, seed=2)
    models = fit_heldout_models(real_services.catalog("movies"), targets)
    assert models.meta["held_out"] == models.meta["held_out_targets"] == len(targets) == 20
