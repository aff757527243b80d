"""The CF model the simulator evaluates: fitted without the simulated users' target ratings.

A simulated user's target is one of its own MovieLens ratings (see
:func:`tastebud.evals.simulator.sample_targets`). The product's EASE model learned from every
rating, so a simulator talking to it would be recommended films by a model that saw the
very (user, target) pair it is trying to find. :func:`heldout_recommender` therefore holds
the targets out *as a group*: it removes each sampled user's rating of its target from the
MovieLens ratings (whatever its value: EASE learns from every rated film), fits the
catalog's models once on the rest through the product's own training code
(:func:`tastebud.recommenders.training.movielens_interactions`, ``train_models`` with the
λ the product uses, ``load_hybrid``), and :func:`use_heldout_recommender` installs that
hybrid in :class:`tastebud.services.Services` for the run. The product's saved models are
never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

__all__ = ["target_pairs", "ratings_without", "fit_heldout_models", "use_heldout_recommender"]


def target_pairs(catalog, targets: Sequence) -> set[tuple[int, int]]:
    """``(MovieLens user, MovieLens movie)`` of each target (targets without a user or id are skipped).

    Args:
        catalog: The catalog the targets' ``item_id`` belong to.
        targets: :class:`tastebud.evals.simulator.Target` (``user``, ``item_id``).
    """
    pairs = set()
    for t in targets:
        item = catalog.get(t.item_id) if t.item_id in catalog else None
        if t.user is not None and item is not None and "movielens" in item.source_ids:
            pairs.add((int(t.user), int(item.source_ids["movielens"])))
    return pairs


def ratings_without(ratings: dict[str, np.ndarray], pairs: Iterable[tuple[int, int]]) -> dict[str, np.ndarray]:
    """The ratings arrays minus every row whose ``(user, movie)`` is in ``pairs``.

    Args:
        ratings: Arrays ``user``, ``movie``, ``rating``, ``timestamp`` of equal length.
        pairs: ``(user, movie)`` to drop.
    """
    pairs = set(pairs)
    if not pairs:
        return dict(ratings)
    drop = np.fromiter(((u, m) in pairs for u, m in zip(ratings["user"].tolist(), ratings["movie"].tolist(),
                                                          strict=True)), dtype=bool, count=len(ratings["user"]))
    return {key: value[~drop] for key, value in ratings.items()}


def fit_heldout_models(catalog, targets: Sequence, *, ratings: dict[str, np.ndarray] | None = None,
                       lam: float | None = None, progress: Callable[[str], None] | None = None):
    """The catalog's CF models fitted on MovieLens ratings without the targets' ratings.

    Args:
        catalog: A catalog whose items carry ``source_ids["movielens"]``.
        targets: The simulated users' targets.
        ratings: MovieLens ratings (default: the shipped ones).
        lam: EASE λ (default: the one the product fits with, ``CHOSEN_LAMBDAS``).
        progress: Called with a short message per training step.

    Returns:
        :class:`tastebud.recommenders.training.TrainedModels`; ``meta["held_out"]`` counts the
        removed ratings and ``meta["held_out_targets"]`` the targets they belong to.
    """
    from tastebud.bundled import load_bundled_ratings
    from tastebud.recommenders.training import (
        CHOSEN_LAMBDAS,
        movielens_interactions,
        train_models,
    )

    ratings = ratings if ratings is not None else load_bundled_ratings()
    pairs = target_pairs(catalog, targets)
    kept = ratings_without(ratings, pairs)
    lam = lam if lam is not None else CHOSEN_LAMBDAS.get(catalog.name, CHOSEN_LAMBDAS["movies"])
    models = train_models(catalog, movielens_interactions(catalog, kept), lambdas=(lam,), progress=progress)
    models.meta.update(held_out=int(len(ratings["user"]) - len(kept["user"])), held_out_targets=len(pairs))
    return models


def use_heldout_recommender(services, targets: Sequence, catalog: str = "movies", *,
                            ratings: dict[str, np.ndarray] | None = None,
                            progress: Callable[[str], None] | None = None):
    """Fit the held-out models and install their hybrid as ``services``' recommender of ``catalog``.

    Args:
        services: :class:`tastebud.services.Services` the assistant of the run uses.
        targets: The simulated users' targets.
        catalog: Catalog name.
        ratings: MovieLens ratings (default: the shipped ones).
        progress: Called with a short message per training step.

    Returns:
        The held-out :class:`tastebud.recommenders.training.TrainedModels` (for its ``meta``).
    """
    from tastebud.recommenders.training import load_hybrid

    models = fit_heldout_models(services.catalog(catalog), targets, ratings=ratings, progress=progress)
    services.use_recommender(catalog, load_hybrid(services, catalog, models=models))
    return models
