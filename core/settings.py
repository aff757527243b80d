"""One settings object for the whole application.

Values come from environment variables (``TASTEBUD_*``, ``OPENAI_API_KEY``,
``OPENAI_BASE_URL``) or explicit keyword arguments; nothing is read at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_home"]

#: Provider prefixes always read as providers, even beside a base URL (others may be a server's
#: model tag, as in ``qwen2.5:7b``).
_KNOWN_PROVIDERS = ("openai", "anthropic", "ollama", "azure_openai", "google_genai", "mistralai", "groq")


def default_home() -> Path:
    """Return the per-user data directory used when ``TASTEBUD_HOME`` is unset."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("tastebud", appauthor=False))


class Settings(BaseSettings):
    """Runtime configuration.

    Attributes:
        home: Directory holding the Chroma store, model artifacts and profiles.
        catalog: Default catalog name (``movies``, ``redial``) or a path to a user catalog.
        chroma_url: When set, use a Chroma server (``chromadb.HttpClient``) instead of a
            local persistent store.
        search_engine: What runs semantic search: ``chroma`` (an HNSW query with ``where``
            filters in the item store; nothing loads the collection), ``exact`` (every vector of
            the catalog in memory, scored by one matrix product), or ``auto``: exact up to
            ``exact_search_max_items`` items, Chroma above (see :meth:`engine_for`).
        exact_search_max_items: Largest catalog ``auto`` searches exactly in memory.
        hnsw_max_neighbors: HNSW ``M`` of new item collections (links per node). 32 with
            ``hnsw_ef_construction`` 200: at 16 / 100, fresh builds of the shipped catalog missed a
            true top-10 neighbour in about 1 search of 500 (filtered, far from every item), at
            32 / 200 in none of 13,000.
        hnsw_ef_construction: HNSW build-time candidate list of new item collections.
        hnsw_ef_search: HNSW query-time candidate list (applied to existing collections too).
        database_url: ``postgresql://…`` to keep profiles, their event log and conversations in
            PostgreSQL (shared by page replicas); unset = SQLite files under ``home``.
        browser_secret: Key the page encrypts each browser's identity with; give every replica
            the same one (unset = a random key created once under ``home``).
        backend: ``offline``, ``openai``, ``openai-compatible`` or any LangChain provider name
            (``anthropic``, ``ollama`` …); ``auto`` picks from ``model``'s provider prefix, else
            the presence of a base URL or an OpenAI key, else ``offline``.
        model: Chat model for LLM backends: a name (``gpt-4o-mini``) or a LangChain provider
            string (``openai:gpt-4.1-mini``, ``anthropic:claude-sonnet-4-5``, ``ollama:qwen2.5``),
            passed to ``langchain.chat_models.init_chat_model``.
        base_url: Server URL for the model (an OpenAI-compatible server: Ollama, vLLM, llama.cpp
            server; or a provider's own endpoint).
        openai_api_key: API key for OpenAI or a compatible server (other providers read their
            own variables, e.g. ``ANTHROPIC_API_KEY``).
        history_tokens: Token budget of the conversation history sent to a model.
        llm_timeout: Seconds before one LLM call is abandoned.
        llm_retries: Retries (with backoff, or the server's ``Retry-After``) of an LLM call that
            failed on a rate limit, a timeout, a 5xx or a lost connection, before falling back.
        llm_max_calls: Model calls an LLM may make in one turn; past it the offline default
            finishes the turn.
        batch_size: Embedding batch size during ingest.
        torch_threads: Torch threads for embedding (``TASTEBUD_TORCH_THREADS``; empty = torch default).
        blas_threads: numpy's BLAS threads once a recommender is loaded (``TASTEBUD_BLAS_THREADS``;
            empty = BLAS default). Serving does small matrix-vector products, one query at a time,
            and idle BLAS threads spin: with two, a page turn cost twice the CPU on 2 cores.
        dialogue_weight: Blend weight of the catalog's dialogue model (the conversation's reading of
            what to name next) beside the hybrid's components; 0 turns it off.
        chromium: Chromium executable for the page review (``tastebud eval page``) and the browser
            tests; empty = ``chromium`` on the PATH, else ``/usr/bin/chromium``.
        axe_js: axe-core's ``axe.min.js`` for the accessibility checks; empty = the project's
            ``node_modules/axe-core/axe.min.js`` (installed by ``npm ci``).
        page_concurrency: Turns the chat page (and its ``/chat`` API) runs at the same time
            (``TASTEBUD_PAGE_CONCURRENCY``); more visitors wait in Gradio's queue. Unset: 16 when
            turns wait on an LLM, the number of CPU cores (at least 2) on the offline default.
    """

    model_config = SettingsConfigDict(env_prefix="TASTEBUD_", extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=default_home)
    catalog: str = "movies"
    chroma_url: str | None = None
    search_engine: Literal["auto", "chroma", "exact"] = "auto"
    exact_search_max_items: int = 20_000
    hnsw_max_neighbors: int = 32
    hnsw_ef_construction: int = 200
    hnsw_ef_search: int = 200
    database_url: str | None = Field(default=None, repr=False)
    browser_secret: str | None = Field(default=None, repr=False)
    backend: str = "auto"
    model: str = "gpt-4o-mini"
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TASTEBUD_BASE_URL", "OPENAI_BASE_URL", "base_url")
    )
    openai_api_key: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "TASTEBUD_OPENAI_API_KEY", "openai_api_key"), repr=False
    )
    history_tokens: int = 3000
    llm_timeout: float = 30.0
    llm_retries: int = 2
    llm_max_calls: int = 6
    batch_size: int = 64
    torch_threads: int | None = 1
    blas_threads: int | None = 1
    dialogue_weight: float = 3.0
    chromium: str | None = None
    axe_js: Path | None = None
    page_concurrency: int | None = Field(default=None, ge=1)

    def model_provider(self) -> tuple[str | None, str]:
        """``(provider, model name)`` of :attr:`model`: ``"ollama:qwen2.5"`` → ``("ollama", "qwen2.5")``.

        Without a ``provider:`` prefix the provider is ``None``. With a base URL and the
        ``openai-compatible`` backend the whole string is the server's model name (``qwen2.5:7b``).
        """
        prefix, sep, rest = self.model.partition(":")
        if not sep or not prefix or "/" in prefix or (self.base_url and self.backend in ("auto", "openai-compatible")
                                                      and prefix not in _KNOWN_PROVIDERS):
            return None, self.model
        return prefix.replace("-", "_").lower(), rest

    def resolved_backend(self) -> str:
        """Return the backend to use, resolving ``auto`` (the offline default when nothing is configured)."""
        if self.backend != "auto":
            return self.backend
        provider, _ = self.model_provider()
        if provider:
            return provider
        if self.base_url:
            return "openai-compatible"
        if self.openai_api_key:
            return "openai"
        return "offline"

    def engine_for(self, n_items: int) -> str:
        """The search engine for a catalog of ``n_items``: ``"chroma"`` or ``"exact"`` (the one rule)."""
        if self.search_engine != "auto":
            return self.search_engine
        return "exact" if n_items <= self.exact_search_max_items else "chroma"

    def hnsw(self) -> dict[str, int]:
        """HNSW parameters of item collections (Chroma's ``configuration["hnsw"]`` keys)."""
        return {"max_neighbors": self.hnsw_max_neighbors, "ef_construction": self.hnsw_ef_construction,
                "ef_search": self.hnsw_ef_search}

    def catalog_dir(self, catalog: str) -> Path:
        """Directory for artifacts tied to one catalog (models, caches)."""
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in catalog)
        return self.home / "catalogs" / safe
