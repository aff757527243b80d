"""The Chroma item store: batched, idempotent, all-or-nothing ingest and filtered search.

Search is an HNSW query with a ``where`` metadata filter run by Chroma (embedded or on a
server): nothing loads the collection into the process.

A collection is never left half-written: a changed catalog is built into a staging
collection (unchanged vectors copied, new ones embedded) which replaces the live one only
when complete. Vectors come from a precomputed table when the embedded text matches, else
from the embedding model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .catalog import Catalog, Item
from .embedding import Embedder, doc_hash
from .errors import StoreError

__all__ = ["IngestResult", "ItemStore", "build_where", "open_client"]

log = logging.getLogger(__name__)

_NONE = "(none)"


@dataclass
class IngestResult:
    """Outcome of :meth:`ItemStore.ingest`."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    seconds: float = 0.0
    interactions: int = 0


def open_client(path: str | None = None, url: str | None = None):
    """Open a Chroma client: HTTP when ``url`` is given, else persistent at ``path``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url if "://" in url else f"http://{url}")
        return chromadb.HttpClient(host=parsed.hostname or "127.0.0.1", port=parsed.port or 8000,
                                   ssl=parsed.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def build_where(genres: list[str] | None = None, exclude_genres: list[str] | None = None,
                year_from: int | None = None, year_to: int | None = None) -> dict | None:
    """Chroma ``where`` filter; all given conditions must hold. Unknown years never pass a year filter."""
    clauses: list[dict] = [{"genres": {"$contains": g}} for g in genres or []]
    clauses += [{"genres": {"$not_contains": g}} for g in exclude_genres or []]
    if year_from is not None or year_to is not None:
        clauses.append({"year": {"$gte": max(1, year_from or 1)}})
    if year_to is not None:
        clauses.append({"year": {"$lte": year_to}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _metadata(item: Item, dhash: str) -> dict:
    return {"title": item.title, "year": item.year or 0, "genres": list(item.genres) or [_NONE],
            "popularity": float(item.popularity), "doc_hash": dhash, "item_hash": item.text_hash()}


class ItemStore:
    """One catalog's Chroma collection.

    Args:
        client: A Chroma client (see :func:`open_client`).
        catalog_name: Name of the catalog; the collection is ``tastebud-<name>``.
        embedder: Embeds texts not found in ``precomputed``.
        hnsw: HNSW parameters (``max_neighbors``, ``ef_construction``, ``ef_search``; see
            ``Settings.hnsw``) of collections this store creates; ``ef_search`` is also set on
            an existing collection when it differs. Chroma's defaults when omitted.
    """

    def __init__(self, client, catalog_name: str, embedder: Embedder, *, hnsw: Mapping[str, int] | None = None) -> None:
        self.client = client
        self.catalog_name = catalog_name
        self.embedder = embedder
        self.hnsw = dict(hnsw or {})
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in catalog_name)[:60]
        self.name = f"tastebud-{safe}"
        self._collection = None

    # -- collection lifecycle -------------------------------------------------------------
    def _get(self, name: str):
        try:
            return self.client.get_collection(name)
        except Exception:  # chromadb raises NotFoundError / ValueError depending on version
            return None

    def _live(self):
        col = self._get(self.name)
        if col is None:
            staged = self._get(self.name + "-staging")
            if staged is not None and (staged.metadata or {}).get("complete"):
                staged.modify(name=self.name)  # a crash between swap steps: finish the swap
                col = staged
        if col is not None and not (col.metadata or {}).get("complete"):
            return None
        return col

    @property
    def collection(self):
        """The live collection. Raises :class:`StoreError` when not ingested yet."""
        if self._collection is None:
            col = self._live()
            if col is None:
                raise StoreError(f"catalog {self.catalog_name!r} is not ingested; run `tastebud ingest "
                                 f"--catalog {self.catalog_name}`")
            ef = self.hnsw.get("ef_search")
            if ef and (col.configuration or {}).get("hnsw", {}).get("ef_search") != ef:
                col.modify(configuration={"hnsw": {"ef_search": ef}})  # query-time knob: mutable
            self._collection = col
        return self._collection

    def version(self) -> str | None:
        """Catalog version of the live collection, or ``None`` when there is none."""
        col = self._live()
        return None if col is None else (col.metadata or {}).get("catalog_version")

    def count(self) -> int:
        """Items in the live collection."""
        return self.collection.count()

    # -- ingest ---------------------------------------------------------------------------
    def ingest(self, catalog: Catalog, *, precomputed: Mapping[str, np.ndarray] | None = None,
               batch_size: int = 256, progress: Callable[[int], None] | None = None) -> IngestResult:
        """Make the collection hold exactly ``catalog``.

        Re-running with the same catalog changes nothing; a changed catalog updates changed
        items, adds new ones and removes dropped ones, all at once.

        Args:
            catalog: The items to store.
            precomputed: ``{doc_hash: vector}`` reused instead of running the model.
            batch_size: Items per embedding / write batch.
            progress: Called with the number of items written after each batch.
        """
        start = time.perf_counter()
        result = IngestResult()
        version = catalog.version()
        live = self._live()
        old: dict[str, dict] = {}
        if live is not None:
            if (live.metadata or {}).get("catalog_version") == version:
                result.unchanged = live.count()
                result.seconds = time.perf_counter() - start
                return result
            got = live.get(include=["metadatas"])
            old = dict(zip(got["ids"], got["metadatas"], strict=True))
        items = list(catalog)
        docs = [item.document() for item in items]
        hashes = [doc_hash(d) for d in docs]
        for item in items:
            prev = old.get(item.item_id)
            if prev is None:
                result.added += 1
            elif prev.get("item_hash") != item.text_hash():
                result.updated += 1
            else:
                result.unchanged += 1
        result.removed = len(set(old) - set(catalog.ids))
        staging_name = self.name + "-staging"
        if self._get(staging_name) is not None:
            self.client.delete_collection(staging_name)
        staging = self.client.create_collection(staging_name, configuration={"hnsw": {**self.hnsw, "space": "cosine"}},
                                                embedding_function=None, metadata={"complete": False})
        vectors = self._vectors(items, hashes, docs, old, live, dict(precomputed or {}), batch_size, progress)
        result.embedded = vectors.pop("__embedded__")
        for lo in range(0, len(items), batch_size):
            chunk = slice(lo, lo + batch_size)
            batch_items, batch_docs, batch_hashes = items[chunk], docs[chunk], hashes[chunk]
            staging.add(ids=[i.item_id for i in batch_items], documents=batch_docs,
                        embeddings=np.stack([vectors[h] for h in batch_hashes]).astype(np.float32),
                        metadatas=[_metadata(i, h) for i, h in zip(batch_items, batch_hashes, strict=True)])
        staging.modify(metadata={"complete": True, "catalog_version": version, "catalog": catalog.name})
        if live is not None:
            self.client.delete_collection(self.name)
        staging.modify(name=self.name)
        self._collection = None
        result.seconds = time.perf_counter() - start
        return result

    def _vectors(self, items: list[Item], hashes: list[str], docs: list[str], old: dict[str, dict], live,
                 reuse: dict, batch_size: int, progress: Callable[[int], None] | None) -> dict:
        """Vectors for every doc hash: shipped, kept from the live collection, or embedded.

        Texts to embed are sorted by length and encoded in large chunks (less padding: as fast
        as one ``encode`` call); ``progress`` counts items as their vector becomes known. The
        number embedded is returned under the key ``"__embedded__"``.
        """
        keep = [i.item_id for i, h in zip(items, hashes, strict=True)
                if h not in reuse and old.get(i.item_id, {}).get("doc_hash") == h]
        for lo in range(0, len(keep), 1000):
            got = live.get(ids=keep[lo:lo + 1000], include=["embeddings", "metadatas"])
            for meta, vec in zip(got["metadatas"], got["embeddings"], strict=True):
                reuse[meta["doc_hash"]] = np.asarray(vec, dtype=np.float32)
        todo = sorted({h: d for h, d in zip(hashes, docs, strict=True) if h not in reuse}.items(),
                      key=lambda hd: len(hd[1]))
        if progress:
            progress(len(items) - len(todo))
        step = max(batch_size, 8 * self.embedder.batch_size)
        for lo in range(0, len(todo), step):
            part = todo[lo:lo + step]
            reuse.update(zip([h for h, _ in part], self.embedder.encode([d for _, d in part]), strict=True))
            if progress:
                progress(len(part))
        reuse["__embedded__"] = len(todo)
        return reuse

    # -- search ---------------------------------------------------------------------------
    def query(self, vector: np.ndarray, k: int = 10, where: dict | None = None,
              ids: list[str] | None = None) -> list[tuple[str, float]]:
        """Nearest items to ``vector`` passing ``where`` (and among ``ids`` when given):
        ``[(item_id, cosine similarity)]``, best first.

        Runs in Chroma (HNSW + metadata filter). A collection replaced by another process's
        ingest since this store opened it is reopened once.
        """
        if k <= 0 or ids == []:
            return []
        from chromadb.errors import NotFoundError

        args = {"query_embeddings": np.asarray(vector, dtype=np.float32)[None, :], "n_results": k, "where": where,
                "ids": ids, "include": ["distances"]}
        try:
            res = self.collection.query(**args)
        except NotFoundError:
            self._collection = None  # swapped by a newer ingest elsewhere: reopen by name, once
            res = self.collection.query(**args)
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of the given items."""
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}
