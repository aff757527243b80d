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
from importlib import resources
from pathlib import Path

import numpy as np

from .catalog import Catalog
from .embedding import Embedder, doc_hash
from .errors import CatalogError

__all__ = ["BUNDLED_CATALOGS", "data_dir", "load_bundled_catalog", "load_bundled_vectors",
           "load_bundled_ratings", "build_bundle"]

log = logging.getLogger(__name__)

BUNDLED_CATALOGS = ("movies", "redial")


def data_dir() -> Path:
    """Folder of the package data (``tastebud/data``)."""
    return Path(str(resources.files("tastebud") / "data"))


def load_bundled_catalog(name: str) -> Catalog:
    """Load a shipped catalog (``movies`` or ``redial``)."""
    path = data_dir() / f"{name}.jsonl.gz"
    if name not in BUNDLED_CATALOGS or not path.is_file():
        raise CatalogError(f"no bundled catalog {name!r} (bundled: {', '.join(BUNDLED_CATALOGS)})")
    return Catalog.load_jsonl(name, path)


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


def _save_comentions(dialogues: Path, out: Path) -> int:
    """Ship the movies each ReDial *train*-split dialogue mentions (the redial catalog's CF signal).

    Movies the seeker said they did not like are left out. Returns the number of dialogues.
    """
    from .redial import read_dialogues

    rows: dict[str, list[int]] = {"dialogue": [], "movie": []}
    n = 0
    for dialogue in read_dialogues(dialogues, split="train"):
        movies = [m for m in dialogue.mentioned() if dialogue.liked(m) != 0]
        if len(movies) < 2:
            continue
        rows["dialogue"] += [n] * len(movies)
        rows["movie"] += movies
        n += 1
    np.savez_compressed(out / "redial_comentions.npz", dialogue=np.array(rows["dialogue"], dtype=np.int32),
                        movie=np.array(rows["movie"], dtype=np.int32))
    return n


def _save_transitions(dialogues: Path, out: Path) -> int:
    """Ship the next-mention counts of the ReDial *train*-split dialogues (the redial sequence model).

    ``source``/``target``/``count``: how often movie ``target`` was named for the first time
    by the recommender after ``source`` had been mentioned earlier in the same dialogue;
    ``movie``/``recommended``: how often each movie was such a new recommender mention.
    Only ``@movieId`` mentions are read, never the questionnaires. Returns the number of pairs.
    """
    from collections import Counter

    from .redial import mention_ids, read_dialogues

    pairs: Counter = Counter()
    recommended: Counter = Counter()
    for dialogue in read_dialogues(dialogues, split="train"):
        before: dict[int, None] = {}
        for message in dialogue.messages:
            ids = list(dict.fromkeys(mention_ids(message.text)))
            if message.sender != dialogue.initiator:
                for b in (i for i in ids if i not in before):
                    recommended[b] += 1
                    pairs.update((a, b) for a in before)
            before.update(dict.fromkeys(ids))
    keys = sorted(pairs)
    np.savez_compressed(out / "redial_transitions.npz", source=np.array([a for a, _ in keys], dtype=np.int32),
                        target=np.array([b for _, b in keys], dtype=np.int32),
                        count=np.array([pairs[k] for k in keys], dtype=np.int32),
                        movie=np.array(sorted(recommended), dtype=np.int32),
                        recommended=np.array([recommended[m] for m in sorted(recommended)], dtype=np.int32))
    return len(keys)


def build_bundle(source: Path, out: Path | None = None, embedder: Embedder | None = None) -> dict[str, int]:
    """Rebuild the shipped data from the raw datasets.

    Args:
        source: Folder with ``movielens-small/``, ``tmdb5000/`` and ``redial/``.
        out: Destination (defaults to the package's data folder).
        embedder: Embedding model (defaults to all-MiniLM-L6-v2).

    Returns:
        Item counts per built catalog.
    """
    from .loaders import load_movielens, load_redial

    source, out = Path(source), Path(out or data_dir())
    out.mkdir(parents=True, exist_ok=True)
    embedder = embedder or Embedder()
    movies = load_movielens(source)
    redial = load_redial(source / "redial" / "movies_with_mentions.csv", movies=movies)
    for catalog in (movies, redial):
        catalog.save_jsonl(out / f"{catalog.name}.jsonl.gz")
        _save_vectors(catalog, embedder, out)
    if (source / "redial" / "train_data_partial.jsonl").is_file():
        _save_comentions(source / "redial" / "train_data_partial.jsonl", out)
        _save_transitions(source / "redial" / "train_data_partial.jsonl", out)
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
