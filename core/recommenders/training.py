"""Interactions from the shipped data, training, and npz/json persistence of the models.

* ``movies``: MovieLens ratings of 4.0 and up are positives (binary implicit feedback;
  what a chat user's "I loved X" means): popularity, item-kNN, fold-in and evaluation
  targets. EASE learns from every rated movie as binary "watched" feedback (a rating, even
  a low one, says the person chose the film), which beats positives-only on the
  held-out-positives split (Recall@20 0.31 vs 0.28).
* ``redial``: the same ratings carried over to ReDial items matched to MovieLens (title
  matching, see :func:`tastebud.loaders.load_redial`), stacked with one row per ReDial
  *train*-split dialogue holding the movies it mentions (co-mentions; movies the seeker
  said they disliked are left out).
* user catalogs: their own interactions when ingested with ``--interactions`` (see
  :mod:`tastebud.interactions`: rated rows at or above the file's positive rating, and unrated
  rows, are positives; every row is watched); without them the hybrid runs on content and
  catalog popularity.

Artifacts live in ``settings.catalog_dir(name)/models`` as ``meta.json`` plus ``.npz``
arrays (never pickle) and are tied to ``catalog.version()``: a stale or damaged set is
retrained on load.
"""

from __future__ import annotations

import json
import logging
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import sparse

from ..bundled import data_dir, load_bundled_ratings
from ..catalog import Catalog
from ..errors import ArtifactError
from ..interactions import interactions_matrix, interactions_path, read_interactions
from .base import Interactions
from .cf import EASERecommender, ItemItemRecommender, ItemKNNRecommender, PopularityRecommender
from .content import ContentRecommender, catalog_vectors
from .hybrid import DEFAULT_WEIGHTS, HybridRecommender
from .sequence import TransitionRecommender

__all__ = ["POSITIVE_RATING", "CATALOG_WEIGHTS", "CATALOG_OPTIONS", "DEFAULT_LAMBDAS", "TrainedModels", "movielens_interactions", "build_interactions",
           "catalog_interactions",
           "train_models", "save_models", "load_models", "get_models", "load_hybrid", "models_dir",
           "redial_sequence_models", "redial_comention_ease"]

log = logging.getLogger(__name__)

POSITIVE_RATING = 4.0
DEFAULT_LAMBDAS = (20.0, 50.0, 100.0, 200.0, 400.0, 800.0, 1600.0)
#: λ that ``tastebud train`` chose on the dev split (movies: 100; redial: 50). A first use
#: fits EASE once with it instead of repeating the search (about 1 minute on 2 cores).
CHOSEN_LAMBDAS = {"movies": 100.0, "redial": 50.0}
FORMAT = 2  # 2: EASE learned from the watched signal
COMENTIONS_FILE = "redial_comentions.npz"
TRANSITIONS_FILE = "redial_transitions.npz"


class TrainedModels:
    """The fitted CF models of one catalog plus training metadata."""

    def __init__(self, popularity: PopularityRecommender, knn: ItemKNNRecommender, ease: EASERecommender,
                 meta: dict) -> None:
        self.popularity, self.knn, self.ease, self.meta = popularity, knn, ease, meta


def movielens_interactions(catalog: Catalog, ratings: dict[str, np.ndarray] | None = None,
                           threshold: float = POSITIVE_RATING) -> Interactions:
    """Users × catalog items from MovieLens ratings via ``source_ids["movielens"]``.

    Positives (``matrix``) are ratings ``>= threshold``; ``watched`` holds every rated item.
    Rows are all rating users (a user without positives has an empty positive row).
    """
    ratings = ratings if ratings is not None else load_bundled_ratings()
    cols: dict[int, list[int]] = {}
    for pos, item in enumerate(catalog.items):
        ml = item.source_ids.get("movielens")
        if ml is not None:
            cols.setdefault(int(ml), []).append(pos)
    _, user_rows = np.unique(ratings["user"], return_inverse=True)
    rows, cc, liked = [], [], []
    for u, m, r in zip(user_rows.tolist(), ratings["movie"].tolist(), ratings["rating"].tolist(), strict=True):
        for c in cols.get(m, ()):
            rows.append(u)
            cc.append(c)
            liked.append(r >= threshold)
    n_users = int(user_rows.max()) + 1 if user_rows.size else 0
    shape = (n_users, len(catalog))
    watched = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cc)), shape=shape)
    watched.data[:] = 1.0
    liked = np.array(liked, dtype=bool)
    positives = sparse.csr_matrix((np.ones(int(liked.sum()), np.float32),
                                   (np.array(rows, dtype=np.int64)[liked], np.array(cc, dtype=np.int64)[liked])),
                                  shape=shape)
    positives.data[:] = 1.0
    return Interactions(catalog, positives, watched)


def _comention_rows(catalog: Catalog, path: Path) -> sparse.csr_matrix:
    with np.load(path) as npz:
        dialogue, movie = npz["dialogue"], npz["movie"]
    pos = np.array([catalog.position(f"rd:{m}") if f"rd:{m}" in catalog else -1 for m in movie.tolist()])
    ok = pos >= 0
    n = int(dialogue.max()) + 1 if dialogue.size else 0
    mat = sparse.csr_matrix((np.ones(int(ok.sum()), np.float32), (dialogue[ok], pos[ok])), shape=(n, len(catalog)))
    mat.data[:] = 1.0
    return mat


def build_interactions(catalog: Catalog) -> Interactions:
    """Interactions of the shipped data used to train the CF models of ``catalog`` (see the module
    docstring; a user catalog's own file: :func:`catalog_interactions`)."""
    if catalog.name == "movies":
        return movielens_interactions(catalog)
    if catalog.name == "redial":
        ml = movielens_interactions(catalog)
        parts, watched = [ml.matrix], [ml.watched]
        path = data_dir() / COMENTIONS_FILE
        if path.is_file():  # a co-mentioned (non-disliked) movie is both liked and watched
            rows = _comention_rows(catalog, path)
            parts.append(rows)
            watched.append(rows)
        return Interactions(catalog, sparse.vstack(parts).tocsr(), sparse.vstack(watched).tocsr())
    return Interactions(catalog, sparse.csr_matrix((0, len(catalog)), dtype=np.float32))


def catalog_interactions(catalog: Catalog, settings=None) -> Interactions:
    """The interactions a catalog trains and evaluates on: a user catalog's own file when it was
    ingested with ``--interactions`` (kept under ``settings``' home), else :func:`build_interactions`.

    Args:
        catalog: The catalog.
        settings: Application settings (``None``: shipped data only).
    """
    table = read_interactions(interactions_path(settings, catalog.name)) if settings is not None else None
    if table is not None:
        return Interactions(catalog, *interactions_matrix(catalog, table))
    return build_interactions(catalog)


def train_models(catalog: Catalog, interactions: Interactions | None = None, *, lambdas=DEFAULT_LAMBDAS,
                 min_count: int = 3, k: int = 100, seed: int = 0,
                 progress: Callable[[str], None] | None = None) -> TrainedModels:
    """Fit popularity, item-kNN and EASE (λ picked on a dev split of users, then refit on all)."""
    from .evaluation import tune_ease

    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    interactions = interactions or build_interactions(catalog)
    say("popularity")
    pop = PopularityRecommender().fit(interactions)
    say("item-knn")
    knn = ItemKNNRecommender(k=k, min_count=min_count).fit(interactions)
    lambdas = tuple(lambdas)
    if len(lambdas) > 1 and interactions.matrix.nnz:
        say("ease: tuning λ")
        lam, dev = tune_ease(interactions, lambdas, min_count=min_count, seed=seed)
    else:
        lam, dev = lambdas[0], {}
    say(f"ease: fit λ={lam:g}")
    ease = EASERecommender(lam=lam, min_count=min_count).fit(interactions)
    meta = {"format": FORMAT, "catalog": catalog.name, "catalog_version": catalog.version(), "lambda": lam,
            "dev_recall@20": dev, "min_count": min_count, "k": k, "ease_signal": ease.signal,
            "knn_signal": knn.signal, "n_users": int(interactions.matrix.shape[0]),
            "n_items": len(catalog), "n_supported": int(ease.support.size), "n_positives": int(interactions.matrix.nnz),
            "seconds": round(time.perf_counter() - started, 2)}
    return TrainedModels(pop, knn, ease, meta)


def redial_sequence_models(catalog: Catalog, path: Path | None = None, *, second_order: float = 0.3
                           ) -> tuple[TransitionRecommender, PopularityRecommender] | None:
    """The redial catalog's next-mention model and mention popularity, from train-split dialogues.

    Both come from the shipped ``redial_transitions.npz`` (see
    :func:`tastebud.bundled.build_bundle`): the :class:`TransitionRecommender` counts which
    film a recommender named next after each film already mentioned; the popularity model
    scores ``log(1 + times recommended)`` (ReDial recommenders favour often-named films).
    ``second_order`` weighs the two-step transitions (0.3 chosen on ``dev-tune``: R@50 +.01).

    Returns:
        ``(sequence, mentions)``, or ``None`` for another catalog or without the file.
    """
    path = path or data_dir() / TRANSITIONS_FILE
    if catalog.name != "redial" or not path.is_file():
        return None
    with np.load(path) as npz:
        source, target, count = npz["source"], npz["target"], npz["count"].astype(np.float32)
        movie, recommended = npz["movie"], npz["recommended"].astype(np.float32)

    def positions(ids: np.ndarray) -> np.ndarray:
        return np.array([catalog.position(f"rd:{m}") if f"rd:{m}" in catalog else -1 for m in ids.tolist()],
                        dtype=np.int64)

    src, dst, pos = positions(source), positions(target), positions(movie)
    ok = (src >= 0) & (dst >= 0)
    n = len(catalog)
    empty = Interactions(catalog, sparse.csr_matrix((0, n), dtype=np.float32))
    sequence = TransitionRecommender(second_order=second_order).fit(empty, sparse.csr_matrix((count[ok], (src[ok], dst[ok])), shape=(n, n)))
    mentions = PopularityRecommender().fit(empty)
    prior = np.zeros(n, dtype=np.float32)
    np.add.at(prior, pos[pos >= 0], recommended[pos >= 0])
    mentions.popularity = np.log1p(prior)
    sequence.popularity = mentions.popularity
    return sequence, mentions


def redial_comention_ease(catalog: Catalog, path: Path | None = None, *, lam: float = 500.0
                          ) -> EASERecommender | None:
    """EASE over ReDial *train* dialogues alone: one row per dialogue, the movies it mentions.

    The served EASE mixes these rows with MovieLens ratings, which outnumber them; this one learns
    only how films go together in conversations (λ 500 chosen on ``dev-tune`` among 200 / 500 /
    1000; fitted on load, about 2 s, from the shipped ``redial_comentions.npz``).

    Returns:
        The fitted model, or ``None`` for another catalog or without the file.
    """
    path = path or data_dir() / COMENTIONS_FILE
    if catalog.name != "redial" or not path.is_file():
        return None
    rows = _comention_rows(catalog, path)
    return EASERecommender(lam=lam, min_count=3).fit(Interactions(catalog, rows, rows))


def models_dir(settings, name: str) -> Path:
    """Folder of the model artifacts of catalog ``name``."""
    return settings.catalog_dir(name) / "models"


def save_models(models: TrainedModels, folder: Path) -> None:
    """Write the models as ``.npz`` arrays plus ``meta.json`` (written last, atomically)."""
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "popularity.npz", popularity=models.popularity.popularity)
    for key in ("knn", "ease"):
        model: ItemItemRecommender = getattr(models, key)
        np.savez(folder / f"{key}.npz", support=model.support, weights=model.weights)
    tmp = folder / "meta.json.tmp"
    tmp.write_text(json.dumps(models.meta, indent=2))
    tmp.replace(folder / "meta.json")


def load_models(catalog: Catalog, folder: Path) -> TrainedModels:
    """Load saved models for ``catalog``.

    Raises:
        ArtifactError: Missing, damaged, or trained for another catalog version.
    """
    try:
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT or meta.get("catalog_version") != catalog.version():
            raise ArtifactError(f"models in {folder} are stale (catalog changed); run `tastebud train`")
        empty = Interactions(catalog, sparse.csr_matrix((0, len(catalog)), dtype=np.float32))
        with np.load(folder / "popularity.npz") as npz:
            popularity = npz["popularity"].astype(np.float32)
        pop = PopularityRecommender().fit(empty)
        knn = ItemKNNRecommender(k=meta["k"], min_count=meta["min_count"], signal=meta["knn_signal"]).fit(empty)
        ease = EASERecommender(lam=meta["lambda"], min_count=meta["min_count"], signal=meta["ease_signal"]).fit(empty)
        for model, key in ((knn, "knn"), (ease, "ease")):
            with np.load(folder / f"{key}.npz") as npz:
                model.set_weights(npz["support"], npz["weights"])
        for model in (pop, knn, ease):
            model.popularity = popularity
    except ArtifactError:
        raise
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:  # truncated or garbled files
        raise ArtifactError(f"cannot load models from {folder}: {exc}") from exc
    if popularity.shape[0] != len(catalog):
        raise ArtifactError(f"models in {folder} do not match the catalog size")
    return TrainedModels(pop, knn, ease, meta)


def get_models(services, name: str | None = None, *, retrain: bool = False,
               progress: Callable[[str], None] | None = None) -> TrainedModels:
    """Saved models of a catalog, (re)trained and saved when missing, stale or damaged.

    ``retrain=True`` (``tastebud train``) searches λ on a dev split; an implicit first use
    fits once with the λ recorded in :data:`CHOSEN_LAMBDAS`.
    """
    catalog = services.catalog(name)
    folder = models_dir(services.settings, catalog.name)
    if not retrain:
        try:
            return load_models(catalog, folder)
        except ArtifactError as exc:
            log.info("retraining: %s", exc)
    chosen = CHOSEN_LAMBDAS.get(catalog.name)
    lambdas = DEFAULT_LAMBDAS if retrain or chosen is None else (chosen,)
    models = train_models(catalog, catalog_interactions(catalog, services.settings), lambdas=lambdas,
                          progress=progress)
    save_models(models, folder)
    return models


#: Served blends of catalogs with more than ratings: ReDial's next-mention model (``sequence``),
#: train-dialogue mention counts (``mentions``) and EASE over train dialogues (``comentions``), chosen on ReDial ``dev-tune`` dialogues beside the
#: dialogue model (``Settings.dialogue_weight``; see README, "One recommender").
CATALOG_WEIGHTS = {"redial": {"ease": 0.5, "content": 0.25, "sequence": 0.5, "mentions": 0.25, "comentions": 0.5}}
#: Other :class:`HybridRecommender` options per catalog (default: min-max, MMR λ 0.8, hard genres).
#: ReDial: standardised scores, mild MMR, wished genres soft, the next-mention and dialogue-EASE
#: models read every title of the conversation (chosen on ``dev-tune``, see README).
CATALOG_OPTIONS = {"redial": {"normalise": "zscore", "mmr_lambda": 0.95, "genre_bonus": 0.3,
                              "conversation_components": ("sequence", "comentions")}}


def load_hybrid(services, name: str | None = None, *, weights: dict[str, float] | None = None,
                mmr_lambda: float | None = None, models: TrainedModels | None = None) -> HybridRecommender:
    """The hybrid recommender (EASE + content + popularity, MMR) of a catalog, ready to use.

    Args:
        services: A :class:`tastebud.services.Services` (catalog, embedder, item vectors).
        name: Catalog name (default: the settings' catalog).
        weights: Blend weights per component (``ease``, ``content``, ``popularity``, ``item-knn``; for
            the redial catalog also ``sequence`` and ``mentions``, see :func:`redial_sequence_models`,
            and ``comentions``, see :func:`redial_comention_ease`).
        mmr_lambda: MMR trade-off; 1 disables diversity re-ranking (default: the catalog's
            :data:`CATALOG_OPTIONS`, else 0.8).
        models: Already loaded CF models (default: :func:`get_models`).
    """
    models = models or get_models(services, name)
    vectors = catalog_vectors(services, name)
    content = ContentRecommender(vectors, services.embedder)
    content.fit(Interactions(services.catalog(name), sparse.csr_matrix((0, vectors.shape[0]), dtype=np.float32)))
    content.popularity = models.popularity.popularity
    options = dict(CATALOG_OPTIONS.get(services.catalog(name).name, {}))
    if mmr_lambda is not None:
        options["mmr_lambda"] = mmr_lambda
    weights = weights or CATALOG_WEIGHTS.get(services.catalog(name).name, DEFAULT_WEIGHTS)
    pool = {"ease": models.ease, "item-knn": models.knn, "content": content, "popularity": models.popularity}
    if {"sequence", "mentions"} & set(weights):
        extra = redial_sequence_models(services.catalog(name))
        if extra is not None:
            pool["sequence"], pool["mentions"] = extra
    if "comentions" in weights:
        dialogue_ease = redial_comention_ease(services.catalog(name))
        if dialogue_ease is not None:
            pool["comentions"] = dialogue_ease
    comps = {k: (pool[k], w) for k, w in weights.items() if k in pool}
    return HybridRecommender(comps, vectors, **options)
