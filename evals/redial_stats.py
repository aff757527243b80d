"""ReDial benchmark results: per-target ranks, bootstrap intervals and the two baselines.

* :class:`RedialResult` keeps the rank of every target for the system under test and for
  each baseline scored in the same walk, and the dialogue each target belongs to.
* :func:`bootstrap_recall` gives 95 % percentile intervals by resampling *dialogues* (targets
  of one dialogue are not independent) with a fixed seed; the system and the baselines are
  resampled together, so the interval of a difference is paired.
* :class:`PopularityBaseline` ranks by mention counts of train-split dialogues (the redial
  catalog's popularity); :class:`CoMentionBaseline` sums, over the movies mentioned so far,
  how many train-split dialogues mention each candidate with them (the shipped
  ``redial_comentions.npz``), ties broken by popularity. Both read the dialogue's movie ids
  (the exclusion list), never its text or questionnaires.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["BOOTSTRAP_RESAMPLES", "BOOTSTRAP_SEED", "RedialResult", "bootstrap_recall", "PopularityBaseline",
           "CoMentionBaseline", "default_baselines"]

BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
_LEVEL = 0.95


def _hits(ranks: Sequence[int | None], groups: np.ndarray, n_groups: int, ks: Sequence[int]) -> np.ndarray:
    """Hits per group (rows) and cut-off (columns)."""
    out = np.zeros((n_groups, len(ks)), dtype=np.float64)
    r = np.array([x if x is not None else np.iinfo(np.int32).max for x in ranks], dtype=np.int64)
    for j, k in enumerate(ks):
        np.add.at(out[:, j], groups, (r <= k).astype(np.float64))
    return out


def bootstrap_recall(ranks: Mapping[str, Sequence[int | None]], groups: Sequence[int], ks: Sequence[int], *,
                     resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                     reference: str | None = None) -> dict:
    """Percentile bootstrap intervals of Recall@k, resampling groups (dialogues) with replacement.

    Each resample draws as many dialogues as there are dialogues with targets; Recall@k of a
    resample is its hits over its targets. Every system is scored on the same resamples.

    Args:
        ranks: System name → rank of each target (``None`` = not in the list).
        groups: Dialogue index of each target (same order as every ``ranks`` list).
        ks: Cut-offs.
        resamples: Number of bootstrap resamples.
        seed: Seed of the resampling (fixed: a rerun gives the same intervals).
        reference: A name in ``ranks``; adds intervals of ``reference − other`` per other system.

    Returns:
        ``{"intervals": {name: {"recall@k": [lo, hi]}}, "differences": {other: {"recall@k":
        {"delta": d, "interval": [lo, hi]}}}}`` (differences only with ``reference``).
    """
    ks = list(ks)
    groups_arr = np.asarray(groups, dtype=np.int64)
    out: dict = {"intervals": {}, "differences": {}}
    if groups_arr.size == 0:
        for name in ranks:
            out["intervals"][name] = {f"recall@{k}": [0.0, 0.0] for k in ks}
        return out
    _, groups_arr = np.unique(groups_arr, return_inverse=True)
    n = int(groups_arr.max()) + 1
    rng = np.random.default_rng(seed)
    weights = np.empty((resamples, n), dtype=np.float64)
    for b in range(resamples):
        weights[b] = np.bincount(rng.integers(0, n, size=n), minlength=n)
    totals = weights @ np.bincount(groups_arr, minlength=n).astype(np.float64)
    totals[totals == 0] = 1.0
    boot = {name: (weights @ _hits(r, groups_arr, n, ks)) / totals[:, None] for name, r in ranks.items()}
    lo, hi = 100 * (1 - _LEVEL) / 2, 100 * (1 + _LEVEL) / 2

    def interval(values: np.ndarray) -> list[float]:
        return [round(float(np.percentile(values, lo)), 4), round(float(np.percentile(values, hi)), 4)]

    for name, b in boot.items():
        out["intervals"][name] = {f"recall@{k}": interval(b[:, j]) for j, k in enumerate(ks)}
    if reference is not None:
        point = {name: _hits(r, groups_arr, n, ks).sum(0) / len(groups_arr) for name, r in ranks.items()}
        for name in (x for x in ranks if x != reference):
            out["differences"][name] = {
                f"recall@{k}": {"delta": round(float(point[reference][j] - point[name][j]), 4),
                                "interval": interval(boot[reference][:, j] - boot[name][:, j])}
                for j, k in enumerate(ks)}
    return out


@dataclass
class RedialResult:
    """Outcome of a run.

    Attributes:
        ks: The cut-offs reported.
        ranks: 1-based rank of every target in the system's list (``None`` = not in the top ``max(ks)``).
        groups: Index (in walking order) of the dialogue each target belongs to.
        baselines: Baseline name → rank of every target, same order as ``ranks``.
        dialogues: Dialogues walked.
        empty_context: Targets at a recommender message with no text before it.
        seconds: Wall time of the run.
        split: Which split was run (``dev-holdout``, ``dev-tune``, ``dev``, ``train`` or ``all``).
        resamples: Bootstrap resamples of the intervals.
        seed: Bootstrap seed.
    """

    ks: tuple[int, ...]
    ranks: list[int | None] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    baselines: dict[str, list[int | None]] = field(default_factory=dict)
    dialogues: int = 0
    empty_context: int = 0
    seconds: float = 0.0
    split: str = "all"
    resamples: int = BOOTSTRAP_RESAMPLES
    seed: int = BOOTSTRAP_SEED

    @property
    def targets(self) -> int:
        """Number of targets."""
        return len(self.ranks)

    def recall(self, k: int, system: str | None = None) -> float:
        """Share of targets ranked in the top ``k`` (by the system, or by baseline ``system``)."""
        ranks = self.ranks if system is None else self.baselines[system]
        if not ranks:
            return 0.0
        return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)

    def curve(self, system: str | None = None) -> list[tuple[int, float]]:
        """``(k, Recall@k)`` for k = 1 … ``max(ks)``."""
        return [(k, self.recall(k, system)) for k in range(1, max(self.ks) + 1)]

    def bootstrap(self) -> dict:
        """:func:`bootstrap_recall` of the system (``tastebud``) and every baseline."""
        return bootstrap_recall({"tastebud": self.ranks, **self.baselines}, self.groups, self.ks,
                                resamples=self.resamples, seed=self.seed, reference="tastebud")

    def metrics(self) -> dict:
        """The ``--json`` dict: ``recall@k``, ``intervals`` (95 %), ``baselines`` with theirs,
        ``differences`` (tastebud − baseline, paired intervals), counts and the split."""
        boot = self.bootstrap()
        out: dict = {f"recall@{k}": round(self.recall(k), 4) for k in self.ks}
        out["intervals"] = boot["intervals"]["tastebud"]
        out["baselines"] = {name: dict({f"recall@{k}": round(self.recall(k, name), 4) for k in self.ks},
                                       intervals=boot["intervals"][name]) for name in self.baselines}
        out["differences"] = boot["differences"]
        out.update(targets=self.targets, dialogues=self.dialogues, split=self.split,
                   empty_context_targets=self.empty_context, seconds=round(self.seconds, 1),
                   bootstrap={"resamples": self.resamples, "seed": self.seed, "level": _LEVEL, "unit": "dialogue"})
        return out

    def to_dict(self) -> dict:
        """Everything, JSON-able."""
        return asdict(self)


class PopularityBaseline:
    """Most-mentioned movies first (the catalog's popularity: train-split mention counts).

    Args:
        catalog: The redial catalog.
    """

    def __init__(self, catalog) -> None:
        pop = np.array([item.popularity for item in catalog], dtype=np.float64)
        self.ids = catalog.ids
        self.order = np.lexsort((np.arange(len(pop)), -pop))

    def reset(self) -> None:
        """Nothing to forget."""

    def observe(self, role: str, text: str) -> None:
        """Ignores the text."""

    def rank(self, exclude: Sequence[str], n: int) -> list[str]:
        """The ``n`` most popular ids not in ``exclude``."""
        skip, out = set(exclude), []
        for pos in self.order:
            if self.ids[pos] not in skip:
                out.append(self.ids[pos])
                if len(out) == n:
                    break
        return out


class CoMentionBaseline(PopularityBaseline):
    """Movies most often mentioned in the same train dialogue as the movies mentioned so far.

    Args:
        catalog: The redial catalog.
        path: ``redial_comentions.npz`` (default: the shipped one).
    """

    def __init__(self, catalog, path: Path | None = None) -> None:
        from scipy import sparse

        from tastebud.bundled import data_dir

        super().__init__(catalog)
        self.catalog = catalog
        self.pop = np.array([item.popularity for item in catalog], dtype=np.float64)
        with np.load(path or data_dir() / "redial_comentions.npz") as npz:
            dialogue, movie = npz["dialogue"], npz["movie"]
        pos = np.array([catalog.position(f"rd:{m}") if f"rd:{m}" in catalog else -1 for m in movie.tolist()],
                       dtype=np.int64)
        ok = pos >= 0
        x = sparse.csr_matrix((np.ones(int(ok.sum())), (dialogue[ok], pos[ok])),
                              shape=(int(dialogue.max(initial=-1)) + 1, len(catalog)))
        x.data[:] = 1.0
        self.co = (x.T @ x).tocsr()
        self.co.setdiag(0)
        self.co.eliminate_zeros()

    def rank(self, exclude: Sequence[str], n: int) -> list[str]:
        """Co-mention count summed over the excluded (= already mentioned) movies; popularity breaks ties."""
        rows = [p for p in (self.catalog.position(i) for i in exclude) if p is not None]
        if not rows:
            return super().rank(exclude, n)
        score = np.asarray(self.co[rows].sum(axis=0)).ravel()
        score[rows] = -1.0
        order = np.lexsort((np.arange(len(score)), -self.pop, -score))
        skip = set(exclude)
        return [self.ids[p] for p in order[: n + len(skip)] if self.ids[p] not in skip][:n]


def default_baselines(catalog) -> dict[str, PopularityBaseline]:
    """``{"popularity": ..., "co-mention": ...}`` over the shipped train-split statistics."""
    return {"popularity": PopularityBaseline(catalog), "co-mention": CoMentionBaseline(catalog)}
