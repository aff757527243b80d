"""One settings object for the whole application.

Values come from environment variables (``TASTEBUD_*``, ``OPENAI_API_KEY``,
``OPENAI_BASE_URL``) or explicit keyword arguments; nothing is read at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "default_home"]


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
        backend: ``offline``, ``openai`` or ``openai-compatible``; ``auto`` picks from
            the presence of an API key or base URL.
        model: Chat model name for LLM backends.
        base_url: OpenAI-compatible server URL (Ollama, vLLM, llama.cpp server).
        openai_api_key: API key for OpenAI or a compatible server.
        history_tokens: Token budget of the conversation history sent to a model.
        llm_timeout: Seconds before one LLM call is abandoned.
        llm_retries: Retries (with backoff) of a failing LLM call before falling back.
        batch_size: Embedding batch size during ingest.
        torch_threads: Torch threads for embedding (``TASTEBUD_TORCH_THREADS``; empty = torch default).
        dialogue_weight: Blend weight of the catalog's dialogue model (the conversation's reading of
            what to name next) beside the hybrid's components; 0 turns it off.
        chromium: Chromium executable for the page review (``tastebud eval page``) and the browser
            tests; empty = ``chromium`` on the PATH, else ``/usr/bin/chromium``.
        axe_js: axe-core's ``axe.min.js`` for the accessibility checks; empty = the project's
            ``node_modules/axe-core/axe.min.js`` (installed by ``npm ci``).
    """

    model_config = SettingsConfigDict(env_prefix="TASTEBUD_", extra="ignore", populate_by_name=True)

    home: Path = Field(default_factory=default_home)
    catalog: str = "movies"
    chroma_url: str | None = None
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
    batch_size: int = 64
    torch_threads: int | None = 1
    dialogue_weight: float = 3.0
    chromium: str | None = None
    axe_js: Path | None = None

    def resolved_backend(self) -> str:
        """Return the backend to use, resolving ``auto``."""
        if self.backend != "auto":
            return self.backend
        if self.base_url:
            return "openai-compatible"
        if self.openai_api_key:
            return "openai"
        return "offline"

    def catalog_dir(self, catalog: str) -> Path:
        """Directory for artifacts tied to one catalog (models, caches)."""
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in catalog)
        return self.home / "catalogs" / safe
