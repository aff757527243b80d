"""A user catalog's own interactions: who read / bought / watched which item.

``tastebud ingest --catalog FILE --interactions FILE`` reads a CSV or JSONL file (user, item,
optional rating and timestamp; column names set like a catalog's) against the catalog, and
keeps it as ``interactions.npz`` in the catalog's folder (arrays ``user``, ``item``, ``rating``,
``timestamp``, like the shipped ``movielens_ratings.npz``, with item ids rather than
positions, so a changed catalog keeps its interactions). Rows naming an unknown item are
reported as ``file:line`` and skipped. ``tastebud train`` turns the file into an
:class:`~tastebud.recommenders.base.Interactions` matrix (:func:`interactions_matrix`).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .catalog import Catalog
from .errors import ArtifactError, BadRowError, CatalogError
from .textfiles import TextFormat, open_table

__all__ = [
    "InteractionMapping",
    "InteractionTable",
    "interactions_matrix",
    "interactions_path",
    "load_interactions",
    "read_interactions",
    "save_interactions",
]

INTERACTIONS_FILE = "interactions.npz"


@dataclass
class InteractionMapping:
    """How the columns of an interactions file map onto fields.

    Attributes:
        user_col: Column with the user (any string).
        item_col: Column with the item id, as in the catalog's id column.
        rating_col: Optional numeric rating column; a missing or empty rating is an
            implicit positive.
        timestamp_col: Optional timestamp column (integer seconds, or anything else kept as -1).
        positive_rating: Ratings at or above it are positives (liked); every row counts as
            an interaction (the "watched" signal) whatever its rating.
    """

    user_col: str = "user"
    item_col: str = "item"
    rating_col: str | None = "rating"
    timestamp_col: str | None = "timestamp"
    positive_rating: float = 4.0


@dataclass
class InteractionTable:
    """Interactions as parallel arrays (``rating`` NaN when not given, ``timestamp`` -1)."""

    user: np.ndarray
    item: np.ndarray
    rating: np.ndarray
    timestamp: np.ndarray
    positive_rating: float = 4.0

    def __len__(self) -> int:
        return int(self.user.size)

    def item_counts(self) -> Counter:
        """Interactions per item id."""
        return Counter(self.item.tolist())


def _number(row: dict, col: str | None, what: str) -> float | None:
    raw = row.get(col) if col else None
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"bad {what} {raw!r}") from None
    if math.isnan(value):
        raise ValueError(f"bad {what} {raw!r}")
    return value


def load_interactions(path: Path, catalog: Catalog, mapping: InteractionMapping | None = None, *, report,
                      strict: bool = False, fmt: TextFormat | None = None, prefix: str = "u") -> InteractionTable:
    """Read an interactions file against ``catalog``.

    Args:
        path: ``.csv``/``.tsv`` or ``.jsonl`` file.
        catalog: The catalog the item ids refer to (ids are matched as ``<prefix>:<id>``).
        mapping: Column names.
        report: A :class:`tastebud.loaders.LoadReport` collecting skipped rows (unknown items,
            missing user, bad rating) as ``file:line``.
        strict: Raise on the first bad row.
        fmt: Encoding and delimiter.
        prefix: Id prefix of the catalog's items (user catalogs: ``u``).

    Raises:
        CatalogError: Missing or unreadable file, absent columns, or no usable row.
    """
    path, mapping, fmt = Path(path), mapping or InteractionMapping(), fmt or TextFormat()
    rows = open_table(path, fmt, (mapping.user_col, mapping.item_col), "interactions",
                      lambda err: report.add(err, strict))
    users, items, ratings, stamps = [], [], [], []
    for line, row in rows:
        try:
            user = str(row.get(mapping.user_col) or "").strip()
            raw_item = str(row.get(mapping.item_col) or "").strip()
            if not user:
                raise ValueError(f"missing user column {mapping.user_col!r}")
            if not raw_item:
                raise ValueError(f"missing item column {mapping.item_col!r}")
            item_id = raw_item if raw_item in catalog else f"{prefix}:{raw_item}"
            if item_id not in catalog:
                raise ValueError(f"unknown item {raw_item!r} (not in catalog {catalog.name!r})")
            rating = _number(row, mapping.rating_col, "rating")
            try:
                stamp = _number(row, mapping.timestamp_col, "timestamp")
            except ValueError:
                stamp = None  # dates and other formats are kept as unknown
        except ValueError as exc:
            report.add(BadRowError(str(path), line, str(exc)), strict)
            continue
        users.append(user)
        items.append(item_id)
        ratings.append(np.nan if rating is None else rating)
        stamps.append(-1 if stamp is None else int(stamp))
    if not users:
        raise CatalogError(f"{path}: no usable interactions ({len(report.problems)} skipped)")
    return InteractionTable(np.array(users), np.array(items), np.array(ratings, dtype=np.float32),
                            np.array(stamps, dtype=np.int64), mapping.positive_rating)


def interactions_path(settings, name: str) -> Path:
    """Where a user catalog's interactions are kept."""
    return settings.catalog_dir(name) / INTERACTIONS_FILE


def save_interactions(table: InteractionTable, path: Path) -> None:
    """Write the table as ``.npz`` (string and number arrays only; written atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez(tmp, user=table.user, item=table.item, rating=table.rating, timestamp=table.timestamp,
             positive_rating=np.float32(table.positive_rating))
    tmp.replace(path)


def read_interactions(path: Path) -> InteractionTable | None:
    """The saved table, or ``None`` when there is none.

    Raises:
        ArtifactError: The file is damaged.
    """
    if not path.is_file():
        return None
    try:
        with np.load(path) as npz:
            return InteractionTable(npz["user"], npz["item"], npz["rating"], npz["timestamp"],
                                    float(npz["positive_rating"]))
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactError(f"cannot read interactions {path}: {exc}") from exc


def interactions_matrix(catalog: Catalog, table: InteractionTable) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """``(positives, watched)`` users × catalog items; items no longer in the catalog are dropped.

    A row is a positive when it has no rating or a rating ``>= table.positive_rating``; every
    row is watched (interacted with).
    """
    pos = np.array([catalog.position(i) if i in catalog else -1 for i in table.item.tolist()], dtype=np.int64)
    ok = pos >= 0
    _, rows = np.unique(table.user, return_inverse=True)
    n_users = int(rows.max()) + 1 if rows.size else 0
    shape = (n_users, len(catalog))
    watched = sparse.csr_matrix((np.ones(int(ok.sum()), np.float32), (rows[ok], pos[ok])), shape=shape)
    watched.data[:] = 1.0
    liked = ok & (np.isnan(table.rating) | (table.rating >= table.positive_rating))
    positives = sparse.csr_matrix((np.ones(int(liked.sum()), np.float32), (rows[liked], pos[liked])), shape=shape)
    positives.data[:] = 1.0
    return positives, watched
