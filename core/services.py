"""The one bundle of long-lived objects (settings, embedder, Chroma client, catalogs,
stores) built once and passed down to tools, agent, UI and evals. Everything is lazy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from .bundled import BUNDLED_CATALOGS, load_bundled_vectors
from .catalog import Catalog
from .catalogs import catalog_name, load_catalog, save_domain, saved_catalog_path
from .domain import Domain
from .embedding import Embedder, doc_hash
from .errors import ArtifactError, CatalogError
from .interactions import (
    InteractionMapping,
    interactions_path,
    load_interactions,
    read_interactions,
    save_interactions,
)
from .loaders import ColumnMapping, LoadReport
from .retrieval import (
    ChromaIndex,
    SearchFilters,
    SearchHit,
    SearchIndex,
    VectorIndex,
    semantic_search,
)
from .settings import Settings
from .store import IngestResult, ItemStore, open_client
from .textfiles import TextFormat

log = logging.getLogger(__name__)
__all__ = ["Services"]

#: Items per Chroma write during ingest: 1,024 costs a third less CPU than 64 per item (4,000
#: items: 2.5 s vs 3.7 s), which is most of ingest's overhead over encoding on a large catalog.
WRITE_BATCH = 1024


class Services:
    """Lazily built shared objects.

    Args:
        settings: Application settings; read from the environment when omitted.
        embedder: Embedding model; the offline all-MiniLM-L6-v2 when omitted.
    """

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._client = None
        self._catalogs: dict[str, Catalog] = {}
        self._stores: dict[str, ItemStore] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._indexes: dict[str, VectorIndex] = {}
        self._chroma_indexes: dict[str, ChromaIndex] = {}
        self._recommenders: dict[str, object] = {}
        self._linkers: dict[str, object] = {}
        self._polarity: list = []  # [model or None] once loaded
        self._dialogue: dict[str, object] = {}
        self._profiles = None
        self._profile_stores: dict[tuple[str, str], object] = {}
        self._lock = threading.RLock()

    @property
    def embedder(self) -> Embedder:
        """The shared embedding model (loaded on first encode)."""
        if self._embedder is None:
            self._embedder = Embedder(batch_size=self.settings.batch_size, threads=self.settings.torch_threads)
        return self._embedder

    @property
    def client(self):
        """The Chroma client (server mode when ``TASTEBUD_CHROMA_URL`` is set)."""
        with self._lock:
            if self._client is None:
                path = self.settings.home / "chroma"
                if not self.settings.chroma_url:
                    path.mkdir(parents=True, exist_ok=True)
                self._client = open_client(path=str(path), url=self.settings.chroma_url)
            return self._client

    def catalog(self, spec: str | None = None) -> Catalog:
        """The catalog named by ``spec`` (default: ``settings.catalog``), cached."""
        spec = spec or self.settings.catalog
        name = catalog_name(spec)
        with self._lock:
            if name not in self._catalogs:
                self._catalogs[name] = load_catalog(self.settings, spec)
            return self._catalogs[name]

    def store(self, spec: str | None = None, *, auto_ingest: bool = True) -> ItemStore:
        """The item store of a catalog; shipped catalogs are ingested on first use."""
        spec = spec or self.settings.catalog
        name = catalog_name(spec)
        with self._lock:
            if name not in self._stores:
                store = ItemStore(self.client, name, self.embedder, hnsw=self.settings.hnsw())
                catalog = self.catalog(spec)
                if auto_ingest and name in BUNDLED_CATALOGS and store.version() != catalog.version():
                    store.ingest(catalog, precomputed=load_bundled_vectors(name))
                self._stores[name] = store
            return self._stores[name]

    def ingest(self, spec: str | None = None, *, mapping: ColumnMapping | None = None, strict: bool = False,
               report: LoadReport | None = None, progress: Callable[[int], None] | None = None,
               on_catalog: Callable[[Catalog], None] | None = None, domain: Domain | None = None,
               fmt: TextFormat | None = None, interactions: Path | None = None,
               interaction_mapping: InteractionMapping | None = None) -> IngestResult:
        """Load a catalog from its source and write it to its store (see :meth:`ItemStore.ingest`).

        A user catalog's items and ``domain`` (default: the stored or inferred one) are kept
        under the home directory for later commands. With ``interactions`` (a user catalog
        only), the file is read against the catalog first (unknown items reported in ``report``)
        and saved beside it, and the catalog's models are retrained on next use. Items get their
        interaction count (from this file, or the one saved by an earlier ingest) as popularity
        when the catalog gives none.
        """
        spec = spec or self.settings.catalog
        report = report if report is not None else LoadReport()
        catalog = load_catalog(self.settings, spec, mapping=mapping, strict=strict, report=report, reload=True,
                               domain=domain, fmt=fmt)
        table = None
        if interactions is not None:
            if catalog.name in BUNDLED_CATALOGS:
                raise CatalogError(f"the shipped catalog {catalog.name!r} keeps its own interactions")
            table = load_interactions(interactions, catalog, interaction_mapping, report=report, strict=strict,
                                      fmt=fmt)
        known = table if table is not None or catalog.name in BUNDLED_CATALOGS else read_interactions(
            interactions_path(self.settings, catalog.name))  # a re-ingest keeps the interactions saved before
        if known is not None and (mapping is None or mapping.popularity_col is None):
            counts = known.item_counts()
            for item in catalog:
                item.popularity = float(counts.get(item.item_id, 0))
        if on_catalog:
            on_catalog(catalog)
        precomputed = load_bundled_vectors(catalog.name) if catalog.name in BUNDLED_CATALOGS else None
        store = ItemStore(self.client, catalog.name, self.embedder, hnsw=self.settings.hnsw())
        result = store.ingest(catalog, precomputed=precomputed, batch_size=max(self.settings.batch_size, WRITE_BATCH),
                              progress=progress)
        if catalog.name not in BUNDLED_CATALOGS:
            saved = saved_catalog_path(self.settings, catalog.name)
            saved.parent.mkdir(parents=True, exist_ok=True)
            tmp = saved.with_suffix(".tmp.gz")
            catalog.save_jsonl(tmp)
            tmp.replace(saved)
            save_domain(self.settings, catalog.name, catalog.domain)
        if table is not None:
            save_interactions(table, interactions_path(self.settings, catalog.name))
            result.interactions = len(table)
            (self.settings.catalog_dir(catalog.name) / "models" / "meta.json").unlink(missing_ok=True)
        with self._lock:
            self._catalogs[catalog.name] = catalog
            self._stores[catalog.name] = store
            self._vectors.pop(catalog.name, None)
            self._indexes.pop(catalog.name, None)
            self._chroma_indexes.pop(catalog.name, None)
            self._recommenders.pop(catalog.name, None)
            self._linkers.pop(catalog.name, None)
        return result

    def item_vectors(self, spec: str | None = None) -> np.ndarray:
        """Embeddings of every catalog item, row ``i`` = ``catalog.items[i]`` (float32, unit norm).

        Shipped catalogs read their precomputed vectors when every item's text is there;
        other catalogs read the item store once. Cached; the exact search index and the
        recommenders (content component, dialogue model) share it. Chroma search never calls it.
        """
        catalog = self.catalog(spec)
        with self._lock:
            if catalog.name not in self._vectors:
                shipped = load_bundled_vectors(catalog.name) if catalog.name in BUNDLED_CATALOGS else {}
                hashes = [doc_hash(item.document()) for item in catalog] if shipped else []
                if shipped and all(h in shipped for h in hashes):
                    matrix = np.stack([shipped[h] for h in hashes]).astype(np.float32)
                else:
                    got = self.store(spec).vectors(catalog.ids)
                    matrix = np.stack([got[i] for i in catalog.ids]).astype(np.float32)
                norms = np.linalg.norm(matrix, axis=1, keepdims=True)
                self._vectors[catalog.name] = matrix / np.where(norms == 0, 1.0, norms)
            return self._vectors[catalog.name]

    def index(self, spec: str | None = None) -> VectorIndex:
        """Filtered exact-search index over a catalog's stored vectors, all in memory (cached)."""
        catalog = self.catalog(spec)
        with self._lock:
            if catalog.name not in self._indexes:
                self._indexes[catalog.name] = VectorIndex(catalog, self.item_vectors(spec))
            return self._indexes[catalog.name]

    def chroma_index(self, spec: str | None = None) -> ChromaIndex:
        """Filtered search run by the catalog's Chroma collection (nothing loaded; cached)."""
        catalog = self.catalog(spec)
        store = self.store(spec)
        with self._lock:
            if catalog.name not in self._chroma_indexes:
                self._chroma_indexes[catalog.name] = ChromaIndex(catalog, store)
            return self._chroma_indexes[catalog.name]

    def search_index(self, spec: str | None = None) -> SearchIndex:
        """The index search uses for a catalog, by ``Settings.engine_for`` (Chroma or exact)."""
        engine = self.settings.engine_for(len(self.catalog(spec)))
        return self.index(spec) if engine == "exact" else self.chroma_index(spec)

    @property
    def profiles(self):
        """The profile store of the settings' catalog: PostgreSQL at ``database_url`` or
        ``$TASTEBUD_HOME/profiles.sqlite``."""
        from .profile import ProfileStore

        with self._lock:
            if self._profiles is None:
                self._profiles = ProfileStore.from_settings(self.settings, catalog=catalog_name(self.settings.catalog))
            return self._profiles

    def profile_store(self, spec: str | None = None):
        """The profile store of one catalog (profiles are kept per catalog; same database file as
        :attr:`profiles`, whose users, threads and forget hooks span every catalog)."""
        from .profile import ProfileStore

        base = self.profiles
        name = catalog_name(spec or self.settings.catalog)
        if name == base.catalog:
            return base
        with self._lock:
            key = (str(base.target), name)
            if key not in self._profile_stores:
                self._profile_stores[key] = ProfileStore(base.target, catalog=name)
            return self._profile_stores[key]

    def recommender(self, spec: str | None = None):
        """The catalog's hybrid recommender (trained and saved on first use, then loaded)."""
        from .recommenders import load_hybrid

        catalog = self.catalog(spec)
        with self._lock:
            if catalog.name not in self._recommenders:
                self._recommenders[catalog.name] = load_hybrid(self, spec or catalog.name)
                if self.settings.blas_threads:  # after training, which may use them all
                    from threadpoolctl import threadpool_limits

                    threadpool_limits(self.settings.blas_threads, user_api="blas")
            return self._recommenders[catalog.name]

    def use_recommender(self, spec: str | None, recommender) -> None:
        """Serve ``recommender`` for a catalog from now on (evaluations install held-out models).

        Args:
            spec: Catalog spec or name (default: the settings' catalog).
            recommender: A fitted recommender with the hybrid's interface.
        """
        catalog = self.catalog(spec)
        with self._lock:
            self._recommenders[catalog.name] = recommender

    def linker(self, spec: str | None = None):
        """Fuzzy title linker over the catalog (built once)."""
        from .nlu import TitleLinker

        catalog = self.catalog(spec)
        with self._lock:
            if catalog.name not in self._linkers:
                self._linkers[catalog.name] = TitleLinker(catalog)
            return self._linkers[catalog.name]

    def dialogue_model(self, spec: str | None = None):
        """The catalog's dialogue model (loaded once), or ``None`` where none is trained (``movies``)
        or with a test embedder."""
        from .recommenders.dialogue import load_dialogue_model

        name = self.catalog(spec).name
        with self._lock:
            if name not in self._dialogue:
                model = None
                if type(self.embedder) is Embedder:
                    try:
                        model = load_dialogue_model(self, spec or name)
                    except ArtifactError:
                        model = None
                self._dialogue[name] = model
            return self._dialogue[name]

    def polarity(self):
        """The learned polarity model over the shared embedder (loaded once), or ``None`` when the
        embedder is not the one it was trained on (tests with a hashing embedder): rules only then."""
        from .nlu.polarity import PolarityModel

        with self._lock:
            if not self._polarity:
                model = None
                if type(self.embedder) is Embedder:
                    try:
                        model = PolarityModel.load(embedder=self.embedder)
                    except ArtifactError as exc:  # understanding goes on with the rules alone
                        log.warning("%s; title polarity from the rules only", exc)
                self._polarity.append(model)
            return self._polarity[0]

    def search(self, query: str, *, k: int = 10, filters: SearchFilters | None = None,
               catalog: str | None = None, exclude: Iterable[str] = ()) -> list[SearchHit]:
        """Semantic search in a catalog (see :func:`tastebud.retrieval.semantic_search`)."""
        return semantic_search(self.search_index(catalog), self.embedder, query, k=k, filters=filters, exclude=exclude)
