"""The one bundle of long-lived objects (settings, embedder, Chroma client, catalogs,
stores) built once and passed down to tools, agent, UI and evals. Everything is lazy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import numpy as np

from .bundled import BUNDLED_CATALOGS, load_bundled_vectors
from .catalog import Catalog
from .catalogs import catalog_name, load_catalog, saved_catalog_path
from .embedding import Embedder, doc_hash
from .errors import ArtifactError
from .loaders import ColumnMapping, LoadReport
from .retrieval import SearchFilters, SearchHit, VectorIndex, semantic_search
from .settings import Settings
from .store import IngestResult, ItemStore, open_client

log = logging.getLogger(__name__)
__all__ = ["Services"]


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
        self._recommenders: dict[str, object] = {}
        self._linkers: dict[str, object] = {}
        self._polarity: list = []  # [model or None] once loaded
        self._dialogue: dict[str, object] = {}
        self._profiles = None
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
                store = ItemStore(self.client, name, self.embedder)
                catalog = self.catalog(spec)
                if auto_ingest and name in BUNDLED_CATALOGS and store.version() != catalog.version():
                    store.ingest(catalog, precomputed=load_bundled_vectors(name))
                self._stores[name] = store
            return self._stores[name]

    def ingest(self, spec: str | None = None, *, mapping: ColumnMapping | None = None, strict: bool = False,
               report: LoadReport | None = None, progress: Callable[[int], None] | None = None,
               on_catalog: Callable[[Catalog], None] | None = None) -> IngestResult:
        """Load a catalog from its source and write it to its store (see :meth:`ItemStore.ingest`)."""
        spec = spec or self.settings.catalog
        catalog = load_catalog(self.settings, spec, mapping=mapping, strict=strict, report=report, reload=True)
        if on_catalog:
            on_catalog(catalog)
        precomputed = load_bundled_vectors(catalog.name) if catalog.name in BUNDLED_CATALOGS else None
        store = ItemStore(self.client, catalog.name, self.embedder)
        result = store.ingest(catalog, precomputed=precomputed, batch_size=max(self.settings.batch_size, 64),
                              progress=progress)
        if catalog.name not in BUNDLED_CATALOGS:
            saved = saved_catalog_path(self.settings, catalog.name)
            saved.parent.mkdir(parents=True, exist_ok=True)
            tmp = saved.with_suffix(".tmp.gz")
            catalog.save_jsonl(tmp)
            tmp.replace(saved)
        with self._lock:
            self._catalogs[catalog.name] = catalog
            self._stores[catalog.name] = store
            self._vectors.pop(catalog.name, None)
            self._indexes.pop(catalog.name, None)
            self._recommenders.pop(catalog.name, None)
            self._linkers.pop(catalog.name, None)
        return result

    def item_vectors(self, spec: str | None = None) -> np.ndarray:
        """Embeddings of every catalog item, row ``i`` = ``catalog.items[i]`` (float32, unit norm).

        Shipped catalogs read their precomputed vectors when every item's text is there;
        other catalogs read the item store once. Cached; search and content models share it.
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
        """Filtered exact-search index over a catalog's stored vectors (cached)."""
        catalog = self.catalog(spec)
        with self._lock:
            if catalog.name not in self._indexes:
                self._indexes[catalog.name] = VectorIndex(catalog, self.item_vectors(spec))
            return self._indexes[catalog.name]

    @property
    def profiles(self):
        """The SQLite profile store (``$TASTEBUD_HOME/profiles.sqlite``)."""
        from .profile import ProfileStore, profile_db_path

        with self._lock:
            if self._profiles is None:
                self._profiles = ProfileStore(profile_db_path(self.settings))
            return self._profiles

    def recommender(self, spec: str | None = None):
        """The catalog's hybrid recommender (trained and saved on first use, then loaded)."""
        from .recommenders import load_hybrid

        catalog = self.catalog(spec)
        with self._lock:
            if catalog.name not in self._recommenders:
                self._recommenders[catalog.name] = load_hybrid(self, spec or catalog.name)
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
        return semantic_search(self.index(catalog), self.embedder, query, k=k, filters=filters, exclude=exclude)
