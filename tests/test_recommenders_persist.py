"""Persistence (npz/json, tied to the catalog version), the CLI and the real movie catalog."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import sparse
from typer.testing import CliRunner

from tastebud.catalog import Catalog, Item
from tastebud.cli import app
from tastebud.errors import ArtifactError
from tastebud.recommenders import Interactions, get_models, load_hybrid, load_models, save_models, train_models
from tastebud.recommenders.training import models_dir
from tastebud.retrieval import SearchFilters
from tastebud.settings import Settings


class _StubServices:
    def __init__(self, catalog, home):
        self._catalog, self.settings = catalog, Settings(home=home)

    def catalog(self, name=None):
        return self._catalog


def _synthetic(n_items=8, n_users=40, seed=0):
    rng = np.random.default_rng(seed)
    items = [Item(f"s:{i}", f"Film {i}", 2000 + i, ["Drama" if i < n_items // 2 else "Comedy"]) for i in range(n_items)]
    catalog = Catalog("synthetic", items)
    dense = np.zeros((n_users, n_items), dtype=np.float32)
    for u in range(n_users):
        half = (u % 2) * (n_items // 2)
        dense[u, half + rng.choice(n_items // 2, size=3, replace=False)] = 1
    return Interactions(catalog, sparse.csr_matrix(dense))


def test_save_load_roundtrip_and_stale(tmp_path):
    inter = _synthetic()
    models = train_models(inter.catalog, inter, lambdas=(1.0, 10.0), min_count=1, k=5)
    assert models.meta["lambda"] in (1.0, 10.0) and set(models.meta["dev_recall@20"]) == {"1", "10"}
    save_models(models, tmp_path)
    assert not list(tmp_path.glob("*.pkl")) and (tmp_path / "meta.json").is_file()
    loaded = load_models(inter.catalog, tmp_path)
    user = {"s:0": 1.0, "s:5": -1.0}
    for key in ("popularity", "knn", "ease"):
        assert getattr(loaded, key).recommend(user, n=5) == getattr(models, key).recommend(user, n=5)
    changed = Catalog("synthetic", [Item(it.item_id, it.title + "!", it.year, it.genres) for it in inter.catalog])
    with pytest.raises(ArtifactError, match="stale"):
        load_models(changed, tmp_path)
    (tmp_path / "ease.npz").write_bytes(b"garbage")
    with pytest.raises(ArtifactError):
        load_models(inter.catalog, tmp_path)


def test_get_models_rebuilds_stale_artifacts(tmp_path, tiny_catalog):
    services = _StubServices(tiny_catalog, tmp_path)
    first = get_models(services, "tiny")
    meta = models_dir(services.settings, "tiny") / "meta.json"
    assert json.loads(meta.read_text())["catalog_version"] == tiny_catalog.version()
    data = json.loads(meta.read_text())
    data["catalog_version"] = "old"
    meta.write_text(json.dumps(data))
    get_models(services, "tiny")
    assert json.loads(meta.read_text())["catalog_version"] == tiny_catalog.version()
    # no interactions for a user catalog: popularity falls back to the catalog's own counts
    assert first.popularity.recommend({}, n=1)[0][0] == "t:1"


def test_hybrid_on_user_catalog_without_ratings(fake_services, tiny_catalog, tmp_path):
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps({"id": it.item_id[2:], "title": it.title, "year": it.year,
                                          "genres": it.genres, "description": it.overview})
                              for it in tiny_catalog.items))
    fake_services.ingest(str(path))
    hybrid = load_hybrid(fake_services, "tiny")
    recs = hybrid.recommend_with_evidence({"u:5": 1.0}, n=3, query="space aliens",
                                          filters=SearchFilters(genres=["Sci-Fi"]))
    assert recs and all("Sci-Fi" in r.item.genres and r.item.item_id != "u:5" for r in recs)
    assert all(set(r.evidence.sources) <= {"content", "popularity"} for r in recs)
    cold = hybrid.recommend_with_evidence({}, n=5, filters=SearchFilters(genres=["Comedy"]))
    assert {r.item.item_id for r in cold} == {"u:4", "u:6", "u:7"}  # popularity within the filters
    assert all(set(r.evidence.sources) == {"popularity"} for r in cold)


def test_train_cli_on_user_catalog(tmp_path, tiny_catalog):
    path = tmp_path / "mini.csv"
    path.write_text("id,title,year,genres,description\n1,Alien,1979,Horror|Sci-Fi,space\n2,Heat,1995,Crime,robbers\n")
    result = CliRunner().invoke(app, ["train", "--catalog", str(path), "--home", str(tmp_path / "home")])
    assert result.exit_code == 0, result.output
    assert "mini: 0 users" in result.output
    assert (tmp_path / "home" / "catalogs" / "mini" / "models" / "ease.npz").is_file()


@pytest.fixture(scope="module")
def movie_models(tmp_path_factory):
    from tastebud.services import Services

    services = Services(Settings(home=tmp_path_factory.mktemp("home")))
    return services, get_models(services, "movies")


@pytest.mark.slow
def test_fold_in_matrix_and_alien(movie_models):
    services, models = movie_models
    catalog = services.catalog("movies")
    matrix, alien = "ml:2571", "ml:1214"
    assert catalog.get(matrix).title == "The Matrix" and catalog.get(alien).title == "Alien"
    hybrid = load_hybrid(services, "movies", models=models)
    for model in (models.ease, models.knn, hybrid):
        liked = model.recommend({matrix: 1.0, alien: 1.0}, n=10)
        ids = [i for i, _ in liked]
        assert matrix not in ids and alien not in ids
        genres = [set(catalog.get(i).genres) for i in ids]
        assert sum(bool(g & {"Sci-Fi", "Action"}) for g in genres) >= 7, [catalog.get(i).label for i in ids]
        disliked = [i for i, _ in model.recommend({matrix: 1.0, alien: -1.0}, n=10)]
        assert disliked != ids and alien not in disliked and matrix not in disliked
    recs = hybrid.recommend_with_evidence({matrix: 1.0, alien: 1.0}, n=5)
    assert all({s for s, _ in r.evidence.cf_neighbours} <= {matrix, alien} for r in recs)
    assert any(r.evidence.cf_neighbours for r in recs)


@pytest.mark.slow
def test_disliked_item_is_never_cf_evidence(movie_models):
    """Heat liked, Titanic disliked: Titanic may push items up (negative x negative weights) but is
    never evidence that "people who liked Titanic also liked it"."""
    services, models = movie_models
    hybrid = load_hybrid(services, "movies", models=models)
    heat, titanic = "ml:6", "ml:1721"
    recs = hybrid.recommend_with_evidence({heat: 1.0, titanic: -1.0}, n=20)
    assert recs and all(titanic not in {s for s, _ in r.evidence.cf_neighbours} for r in recs)
    assert any(heat in {s for s, _ in r.evidence.cf_neighbours} for r in recs)


@pytest.mark.slow
def test_first_use_fits_once_with_the_chosen_lambda(movie_models):
    from tastebud.recommenders.training import CHOSEN_LAMBDAS

    _, models = movie_models
    assert models.meta["lambda"] == CHOSEN_LAMBDAS["movies"] and models.meta["dev_recall@20"] == {}
