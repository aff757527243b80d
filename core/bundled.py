"""Data shipped inside the package, and the command that rebuilds it.

The default catalog must be searchable within a minute of a fresh install on two cores,
so the package ships the built catalogs (gzipped JSON lines) with their precomputed
embeddings (float16, keyed by a hash of the embedded text) and the MovieLens ratings as
compact arrays. ``tastebud data build --source ../shared/data`` rebuilds all of it;
``tests/test_bundled.py`` checks the shipped vectors match the model.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

from .catalog import Catalog
from .domain import FILM_DOMAIN, get_domain
from .embedding import Embedder, doc_hash
from .errors import CatalogError

__all__ = [
    "BUNDLED_CATALOGS",
    "REDIAL_TRANSITION_KEYS",
    "build_bundle",
    "data_dir",
    "load_bundled_catalog",
    "load_bundled_ratings",
    "load_bundled_vectors",
    "redial_train_statistics",
]

log = logging.getLogger(__name__)

BUNDLED_CATALOGS = ("movies", "redial")
#: Arrays of ``redial_transitions.npz`` (see :func:`redial_train_statistics`).
REDIAL_TRANSITION_KEYS = ("source", "target", "count", "movie", "recommended")


def data_dir() -> Path:
    """Folder of the package data (``tastebud/data``)."""
    return Path(str(resources.files("tastebud") / "data"))


def load_bundled_catalog(name: str) -> Catalog:
    """Load a shipped catalog (``movies`` or ``redial``)."""
    path = data_dir() / f"{name}.jsonl.gz"
    if name not in BUNDLED_CATALOGS or not path.is_file():
        raise CatalogError(f"no bundled catalog {name!r} (bundled: {', '.join(BUNDLED_CATALOGS)})")
    return Catalog.load_jsonl(name, path, get_domain(FILM_DOMAIN))


def load_bundled_vectors(name: str) -> dict[str, np.ndarray]:
    """Precomputed embeddings of a shipped catalog, as ``{doc_hash: float32 vector}``."""
    path = data_dir() / f"{name}.vectors.npz"
    if not path.is_file():
        return {}
    with np.load(path) as npz:
        return dict(zip(npz["hashes"].tolist(), npz["vectors"].astype(np.float32), strict=True))


def load_bundled_ratings() -> dict[str, np.ndarray]:
    """MovieLens ratings as arrays ``user``, ``movie`` (MovieLens ids), ``rating``, ``timestamp``."""
    with np.load(data_dir() / "movielens_ratings.npz") as npz:
        return {key: npz[key] for key in npz.files}


def _save_vectors(catalog: Catalog, embedder: Embedder, out: Path) -> None:
    """Embed the catalog, reusing vectors already in ``out`` for unchanged texts (same hash)."""
    docs = [item.document() for item in catalog]
    hashes = [doc_hash(d) for d in docs]
    known: dict[str, np.ndarray] = {}
    old = out / f"{catalog.name}.vectors.npz"
    if old.is_file():
        with np.load(old) as npz:
            known = dict(zip(npz["hashes"].tolist(), npz["vectors"], strict=True))
    todo = [i for i, h in enumerate(hashes) if h not in known]
    fresh = embedder.encode([docs[i] for i in todo], progress=True) if todo else np.zeros((0, 0))
    vectors = np.zeros((len(docs), fresh.shape[1] if todo else len(next(iter(known.values())))), dtype=np.float16)
    for row, i in enumerate(todo):
        vectors[i] = fresh[row]
    for i, h in enumerate(hashes):
        if h in known:
            vectors[i] = known[h]
    log.info("%s: %d texts embedded, %d reused", catalog.name, len(todo), len(docs) - len(todo))
    np.savez_compressed(out / f"{catalog.name}.vectors.npz", hashes=np.array(hashes), vectors=vectors)


def redial_train_statistics(files: Iterable[Path]) -> dict[str, np.ndarray]:
    """Every ReDial statistic tastebud ships, counted on *train*-split dialogues of ``files`` only.

    Only ``@movieId`` mentions of train dialogues are counted, except that co-mentions leave
    out movies the seeker's questionnaire marks as not liked (a train dialogue's label; the
    questionnaire of a dev or test dialogue is never read). Never ``nbMentions`` (it counts the
    whole corpus, test split included).

    Args:
        files: ReDial dialogue files (:data:`tastebud.redial.TRAIN_FILES`).

    Returns:
        Arrays ``mention_movie`` / ``mention_count`` (every ``@id`` occurrence: the catalog's
        popularity), ``dialogue`` / ``movie`` (the co-mention rows: one dialogue index per
        mentioned movie, dialogues with two or more), and the transitions ``source`` /
        ``target`` / ``count`` (``target`` named for the first time by the recommender after
        ``source`` was mentioned earlier in the same dialogue) with ``movie`` /
        ``recommended`` (how often each movie was such a new recommender mention).
    """
    from .redial import mention_ids, read_files

    mentions: Counter = Counter()
    pairs: Counter = Counter()
    recommended: Counter = Counter()
    rows: dict[str, list[int]] = {"dialogue": [], "movie": []}
    n = 0
    for dialogue in read_files(files, split="train"):
        before: dict[int, None] = {}
        for message in dialogue.messages:
            ids = mention_ids(message.text)
            mentions.update(ids)
            ids = list(dict.fromkeys(ids))
            if message.sender != dialogue.initiator:
                for b in (i for i in ids if i not in before):
                    recommended[b] += 1
                    pairs.update((a, b) for a in before)
            before.update(dict.fromkeys(ids))
        movies = [m for m in before if dialogue.liked(m) != 0]
        if len(movies) >= 2:
            rows["dialogue"] += [n] * len(movies)
            rows["movie"] += movies
            n += 1
    keys, movies = sorted(pairs), sorted(recommended)
    i32 = np.int32
    return {"mention_movie": np.array(sorted(mentions), dtype=i32),
            "mention_count": np.array([mentions[m] for m in sorted(mentions)], dtype=i32),
            "dialogue": np.array(rows["dialogue"], dtype=i32), "movie_mentioned": np.array(rows["movie"], dtype=i32),
            "source": np.array([a for a, _ in keys], dtype=i32), "target": np.array([b for _, b in keys], dtype=i32),
            "count": np.array([pairs[k] for k in keys], dtype=i32), "movie": np.array(movies, dtype=i32),
            "recommended": np.array([recommended[m] for m in movies], dtype=i32)}


def _save_redial_statistics(stats: dict[str, np.ndarray], out: Path) -> None:
    """Write ``redial_comentions.npz`` and ``redial_transitions.npz`` from :func:`redial_train_statistics`."""
    np.savez_compressed(out / "redial_comentions.npz", dialogue=stats["dialogue"], movie=stats["movie_mentioned"])
    np.savez_compressed(out / "redial_transitions.npz", **{k: stats[k] for k in REDIAL_TRANSITION_KEYS})


def build_bundle(source: Path, out: Path | None = None, embedder: Embedder | None = None) -> dict[str, int]:
    """Rebuild the shipped data from the raw datasets.

    The ReDial catalog's popularity and its co-mention and transition artifacts come from
    the train split of both ReDial training files (:func:`redial_train_statistics`).

    Args:
        source: Folder with ``movielens-small/``, ``tmdb5000/`` and ``redial/``.
        out: Destination (defaults to the package's data folder).
        embedder: Embedding model (defaults to all-MiniLM-L6-v2).

    Returns:
        Item counts per built catalog.
    """
    from .loaders import load_movielens, load_redial
    from .redial import redial_files

    source, out = Path(source), Path(out or data_dir())
    out.mkdir(parents=True, exist_ok=True)
    embedder = embedder or Embedder()
    movies = load_movielens(source)
    stats = redial_train_statistics(redial_files(source / "redial"))
    counts = dict(zip(stats["mention_movie"].tolist(), stats["mention_count"].tolist(), strict=True))
    redial = load_redial(source / "redial" / "movies_with_mentions.csv", movies=movies, mentions=counts)
    for catalog in (movies, redial):
        catalog.save_jsonl(out / f"{catalog.name}.jsonl.gz")
        _save_vectors(catalog, embedder, out)
    _save_redial_statistics(stats, out)
    cols: dict[str, list] = {"user": [], "movie": [], "rating": [], "timestamp": []}
    with open(source / "movielens-small" / "ratings.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            cols["user"].append(int(row["userId"]))
            cols["movie"].append(int(row["movieId"]))
            cols["rating"].append(float(row["rating"]))
            cols["timestamp"].append(int(row["timestamp"]))
    np.savez_compressed(out / "movielens_ratings.npz", user=np.array(cols["user"], dtype=np.int32),
                        movie=np.array(cols["movie"], dtype=np.int32),
                        rating=np.array(cols["rating"], dtype=np.float32),
                        timestamp=np.array(cols["timestamp"], dtype=np.int64))
    return {"movies": len(movies), "redial": len(redial)}
