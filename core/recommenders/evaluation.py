"""Offline evaluation: strong-generalisation split, ranking metrics, EASE λ tuning.

Strong generalisation: a fixed-seed share of users is held out entirely; models are fitted on
the other users; each held-out user's positives are shuffled and 80 % are folded in as the
user's items, the other 20 % are the targets. Training users keep all their rows (positives
and, when known, every rated item: see :meth:`Interactions.signal`); held-out users give
only positives, as inputs and targets alike. This is exactly the chat situation: the model
never saw the user, only the items they name.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .base import Interactions, Recommender

__all__ = ["HeldOutUser", "Split", "strong_generalization_split", "user_folds", "recall_at_k", "ndcg_at_k",
           "evaluate_model", "tune_ease", "run_cf_eval"]


@dataclass
class HeldOutUser:
    """A held-out user: catalog positions folded in (``inputs``) and to be found (``targets``)."""

    inputs: np.ndarray
    targets: np.ndarray


@dataclass
class Split:
    """Training rows (an :class:`Interactions`) and the held-out users."""

    train: Interactions
    heldout: list[HeldOutUser]


def strong_generalization_split(interactions: Interactions, *, heldout_frac: float = 0.2, input_frac: float = 0.8,
                                min_positives: int = 5, seed: int = 0) -> Split:
    """Hold out ``heldout_frac`` of the users with at least ``min_positives`` positives.

    Args:
        interactions: All interactions.
        heldout_frac: Share of eligible users held out.
        input_frac: Share of a held-out user's positives given as input (rest = targets).
        min_positives: Users with fewer positives always stay in training.
        seed: Seed of the user choice and of each user's input/target shuffle.
    """
    rng = np.random.default_rng(seed)
    eligible = _eligible(interactions, min_positives)
    n_out = int(round(heldout_frac * eligible.size))
    out = np.sort(rng.choice(eligible, size=n_out, replace=False)) if n_out else np.zeros(0, dtype=np.int64)
    return _hold_out(interactions, out, rng, input_frac)


def user_folds(interactions: Interactions, folds: int = 5, *, input_frac: float = 0.8, min_positives: int = 5,
               seed: int = 0) -> list[Split]:
    """``folds`` strong-generalisation splits in which every eligible user is held out exactly once.

    Cross-validation over users: on a small dataset one held-out fifth (about 120 users on
    ml-latest-small) moves Recall@20 by several points from seed to seed; the mean over
    folds uses every user.

    Args:
        interactions: All interactions.
        folds: Number of folds (at least 2).
        input_frac: As in :func:`strong_generalization_split`.
        min_positives: As in :func:`strong_generalization_split`.
        seed: Seed of the fold assignment and of each user's input/target shuffle.
    """
    if folds < 2:
        raise ValueError(f"folds must be at least 2, not {folds}")
    rng = np.random.default_rng(seed)
    parts = np.array_split(rng.permutation(_eligible(interactions, min_positives)), folds)
    return [_hold_out(interactions, np.sort(part), rng, input_frac) for part in parts]


def _eligible(interactions: Interactions, min_positives: int) -> np.ndarray:
    return np.flatnonzero(np.diff(interactions.matrix.indptr) >= min_positives)


def _hold_out(interactions: Interactions, out: np.ndarray, rng: np.random.Generator, input_frac: float) -> Split:
    mat = interactions.matrix
    keep = np.setdiff1d(np.arange(mat.shape[0]), out)
    users = []
    for u in out:
        items = mat.indices[mat.indptr[u]:mat.indptr[u + 1]][mat.data[mat.indptr[u]:mat.indptr[u + 1]] > 0]
        items = rng.permutation(items)
        cut = max(1, min(len(items) - 1, int(round(input_frac * len(items)))))
        users.append(HeldOutUser(np.sort(items[:cut]), np.sort(items[cut:])))
    return Split(interactions.rows(keep), users)


def recall_at_k(ranked: list[int], targets: Iterable[int], k: int = 20) -> float:
    """Hits in the top ``k`` divided by ``min(k, |targets|)`` (Liang et al. 2018)."""
    targets = set(targets)
    if not targets:
        return 0.0
    return len(targets.intersection(ranked[:k])) / min(k, len(targets))


def ndcg_at_k(ranked: list[int], targets: Iterable[int], k: int = 20) -> float:
    """Binary-relevance NDCG at ``k``."""
    targets = set(targets)
    if not targets:
        return 0.0
    dcg = sum(1.0 / np.log2(i + 2) for i, p in enumerate(ranked[:k]) if p in targets)
    idcg = sum(1.0 / np.log2(i + 2) for i in range(min(k, len(targets))))
    return float(dcg / idcg)


def evaluate_model(model: Recommender, users: list[HeldOutUser], *, k: int = 20, vectors: np.ndarray | None = None,
                   progress: Callable[[], None] | None = None) -> dict[str, float]:
    """Recall@k, NDCG@k, catalog coverage and intra-list diversity of one fitted model.

    Args:
        model: A fitted recommender.
        users: Held-out users.
        k: List length.
        vectors: Unit item vectors for intra-list diversity (mean pairwise ``1 − cosine``).
        progress: Called once per user.
    """
    catalog = model.catalog
    recalls, ndcgs, ilds, shown = [], [], [], set()
    for user in users:
        items = {catalog.items[p].item_id: 1.0 for p in user.inputs}
        ranked = [catalog.position(i) for i, _ in model.recommend(items, n=k)]
        recalls.append(recall_at_k(ranked, user.targets, k))
        ndcgs.append(ndcg_at_k(ranked, user.targets, k))
        shown.update(ranked)
        if vectors is not None and len(ranked) > 1:
            v = vectors[ranked]
            sim = v @ v.T
            m = len(ranked)
            ilds.append(float((m * m - sim.sum()) / (m * (m - 1))) if m > 1 else 0.0)
        if progress:
            progress()
    return {f"recall@{k}": float(np.mean(recalls)) if recalls else 0.0,
            f"ndcg@{k}": float(np.mean(ndcgs)) if ndcgs else 0.0,
            "coverage": len(shown) / max(1, len(catalog)),
            "diversity": float(np.mean(ilds)) if ilds else 0.0,
            "users": len(users)}


def tune_ease(interactions: Interactions, lambdas: Iterable[float], *, min_count: int = 3, seed: int = 0,
              k: int = 20) -> tuple[float, dict[str, float]]:
    """Pick EASE's λ by Recall@k on a strong-generalisation dev split of ``interactions``.

    Returns:
        The best λ and ``{str(λ): dev recall}``.
    """
    from .cf import EASERecommender

    dev = strong_generalization_split(interactions, heldout_frac=0.15, seed=seed + 1)
    scores: dict[str, float] = {}
    for lam in lambdas:
        model = EASERecommender(lam=lam, min_count=min_count).fit(dev.train)
        scores[f"{lam:g}"] = round(evaluate_model(model, dev.heldout, k=k)[f"recall@{k}"], 4)
    best = max(lambdas, key=lambda lam: (scores[f"{lam:g}"], -lam))
    return float(best), scores


def run_cf_eval(services, *, catalog: str = "movies", k: int = 20, seed: int = 42, folds: int = 1,
                mmr_lambda: float = 0.8, progress: Callable[[str, int], Callable[[], None]] | None = None) -> dict:
    """Evaluate popularity, item-kNN, EASE, content and hybrid on strong-generalisation splits.

    Args:
        services: Services (for the catalog and its item vectors).
        catalog: Catalog name (``movies``: ml-latest-small ratings; a user catalog: its own
            interactions, see :mod:`tastebud.interactions`).
        k: List length.
        seed: Split seed.
        folds: 1: one split holding out 20 % of the users; ``n > 1``: ``n``-fold
            cross-validation over users (see :func:`user_folds`), metrics averaged over all
            held-out users (coverage: mean over folds) and listed per fold.
        mmr_lambda: MMR trade-off of the hybrid.
        progress: ``progress(label, total)`` returns a per-user tick callback.

    Returns:
        The metrics object written to ``metrics.json``.
    """
    from .content import catalog_vectors
    from .hybrid import DEFAULT_WEIGHTS
    from .training import catalog_interactions

    started = time.perf_counter()
    cat = services.catalog(catalog)
    interactions = catalog_interactions(cat, getattr(services, "settings", None))  # a user catalog's: its home
    splits = ([strong_generalization_split(interactions, seed=seed)] if folds <= 1
              else user_folds(interactions, folds, seed=seed))
    vectors = catalog_vectors(services, catalog)
    runs = []
    for i, split in enumerate(splits):
        tag = f" {i + 1}/{len(splits)}" if len(splits) > 1 else ""
        fold_progress = (lambda label, total, tag=tag: progress(label + tag, total)) if progress else None
        runs.append(_evaluate_split(split, vectors, k=k, seed=seed, mmr_lambda=mmr_lambda, progress=fold_progress))
    results = _pool([run["models"] for run in runs], [run["heldout_users"] for run in runs])
    recall = f"recall@{k}"
    lambdas = [run["ease_lambda"] for run in runs]
    metrics = {"catalog": cat.name, "k": k, "seed": seed,
               "split": {"protocol": "strong generalisation" + (f", {len(runs)}-fold over users" if len(runs) > 1
                                                                else ""),
                         "heldout_users": sum(run["heldout_users"] for run in runs),
                         "train_users": int(np.mean([run["train_users"] for run in runs])), "input_fraction": 0.8,
                         "positive_rating": 4.0, "items": len(cat)},
               "training_signal": runs[0]["training_signal"],
               "ease_lambda": lambdas[0] if len(set(lambdas)) == 1 else lambdas,
               "ease_dev_recall": runs[0]["ease_dev_recall"],
               "hybrid": {"weights": dict(DEFAULT_WEIGHTS), "mmr_lambda": mmr_lambda},
               "models": results, "ease_vs_popularity": _ratio(results, recall)}
    if len(runs) > 1:
        metrics["folds"] = [{"heldout_users": run["heldout_users"], "ease_lambda": run["ease_lambda"],
                             recall: {name: round(row[recall], 4) for name, row in run["models"].items()},
                             "ease_vs_popularity": _ratio(run["models"], recall)} for run in runs]
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    return metrics


def _evaluate_split(split: Split, vectors: np.ndarray, *, k: int, seed: int, mmr_lambda: float,
                    progress: Callable[[str, int], Callable[[], None]] | None) -> dict:
    from .cf import EASERecommender, ItemKNNRecommender, PopularityRecommender
    from .content import ContentRecommender
    from .hybrid import DEFAULT_WEIGHTS, HybridRecommender
    from .training import DEFAULT_LAMBDAS

    lam, dev = tune_ease(split.train, DEFAULT_LAMBDAS, seed=seed)
    pop = PopularityRecommender().fit(split.train)
    ease = EASERecommender(lam=lam).fit(split.train)
    content = ContentRecommender(vectors).fit(split.train)
    parts = {"ease": ease, "content": content, "popularity": pop}
    models = {"popularity": pop, "item-knn": ItemKNNRecommender().fit(split.train), "ease": ease, "content": content,
              "hybrid": HybridRecommender({name: (parts[name], w) for name, w in DEFAULT_WEIGHTS.items()}, vectors,
                                          mmr_lambda=mmr_lambda)}
    results = {}
    for name, model in models.items():
        tick = progress(name, len(split.heldout)) if progress else None
        results[name] = evaluate_model(model, split.heldout, k=k, vectors=vectors, progress=tick)
    return {"models": results, "heldout_users": len(split.heldout), "train_users": int(split.train.matrix.shape[0]),
            "ease_lambda": lam, "ease_dev_recall": dev,
            "training_signal": {"popularity": "positive", "item-knn": models["item-knn"].signal, "ease": ease.signal}}


def _pool(runs: list[dict[str, dict]], users: list[int]) -> dict[str, dict]:
    """Per-model metrics over several splits: user-weighted means (coverage: plain mean), rounded."""
    pooled = {}
    for name in runs[0]:
        row = {}
        for key in runs[0][name]:
            values = [run[name][key] for run in runs]
            if key == "users":
                row[key] = int(sum(values))
            elif key == "coverage":
                row[key] = round(float(np.mean(values)), 4)
            else:
                row[key] = round(float(np.average(values, weights=users)) if sum(users) else 0.0, 4)
        pooled[name] = row
    return pooled


def _ratio(models: dict[str, dict], metric: str) -> float | None:
    base = models["popularity"][metric]
    return round(models["ease"][metric] / base, 3) if base else None
